"""Lines of a JSON Lines input in a given encoding, a line that does not decode named by number and byte."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Undecodable:
    """A line that is not text in the expected encoding; ``message`` says which byte and what to do."""

    number: int
    message: str


def check_encoding(encoding: str) -> str:
    """The codec's canonical name (raises LookupError for an unknown one)."""
    return codecs.lookup(encoding).name


def text_lines(raw_lines: Iterable[bytes], encoding: str = "utf-8") -> Iterator[str | Undecodable]:
    """One item per input line: its text, or Undecodable. Decoding line by line (not the whole
    stream) lets the other lines through and names the exact line and byte."""
    for number, raw in enumerate(raw_lines, start=1):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as exc:
            yield Undecodable(number, f"byte {exc.start + 1} (0x{raw[exc.start]:02x}) is not {encoding} text: "
                                      "give the file's encoding with --encoding, e.g. --encoding latin-1")
