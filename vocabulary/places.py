"""Place names: the gazetteer every layer reads, and the lookup behind the ``place`` filter.

``data/gazetteer.json.gz`` holds country names in es/pt/en/fr, demonyms, nicknames and cues,
first-level divisions and cities with their country, division and population. It is built at dev
time by ``scripts/build_gazetteer.py`` (pycountry and GeoNames, plus the names of
``pipeline/judge/geotag_names.py`` and the outlets of ``sources/sources.toml``); nothing is
fetched at run time. The geotag stage (``pipeline/judge/geotag.py``) matches articles against it;
the query layer asks ``place_names`` which stored names a searched place stands for.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vocabulary.folding import fold

GAZETTEER = Path(__file__).with_name("data") / "gazetteer.json.gz"
_WORD = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """The lookup form of a place name: folded words joined by one space ("EE.UU." -> "ee uu")."""
    return " ".join(_WORD.findall(fold(name)))


@dataclass(frozen=True)
class Entry:
    kind: str
    country: str
    name: str
    admin1: str
    population: int
    lower_case_ok: int  # demonyms, nicknames and cues are written in lower case in es/pt


@dataclass(frozen=True)
class Gazetteer:
    entries: list[Entry]
    index: dict[str, tuple[int, ...]]  # name_key -> entry ids
    word_names: frozenset[str]  # names that are also common words: matched only when written with a capital
    corroborate_names: frozenset[str]  # also common words, institutions or surnames: counted only when corroborated


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process."""
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return Gazetteer(
        entries=[Entry(*row) for row in data["entries"]],
        index={key: tuple(ids) for key, ids in data["index"].items()},
        word_names=frozenset(data["word_names"]),
        corroborate_names=frozenset(data["corroborate_names"]),
    )


def place_names(name: str) -> list[str]:
    """The stored names of the cities and divisions called ``name`` ("sao paulo" -> ["São Paulo"])."""
    places = gazetteer()
    return sorted({places.entries[i].name for i in places.index.get(name_key(name), ())
                   if places.entries[i].kind in ("city", "admin1")})
