"""The plain search syntax: what a person types, parsed once, written for each full-text engine.

Words are required (AND), ``OR`` offers alternatives, ``NOT word`` or ``-word`` excludes,
parentheses group, ``"double quotes"`` make a phrase and a trailing ``*`` a prefix. Operators
are read only in capitals: a lower-case ``or`` is a word (and ``notes`` says so). As in web
search engines, OR binds its neighbours before the AND of a space: ``paro OR huelga Bolivia``
is (paro OR huelga) AND Bolivia; NOT and ``-`` exclude the word, phrase or (group) after them. The same tree becomes FTS5
MATCH text (SQLite) and ``to_tsquery`` text (PostgreSQL), so both backends find the same; a
single word also matches its stems (``storage.fulltext``), phrases and prefixes the words as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from storage.fulltext import query_stems
from vocabulary.folding import fold

# The length bound: longer texts are refused before any SQL runs (a 12,000-word query took 13.6 s).
MAX_QUERY_CHARACTERS = 1000
MAX_QUERY_WORDS = 100
# Results a page may ask for (search's limit), beside the other bounds: the CLI reads it for its
# --help without importing the query layer.
MAX_LIMIT = 1000
_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s()"]+))')
_WORDS = re.compile(r"[^\W_]+")
_OPERATORS = {"OR", "AND", "NOT"}
_LOWER_OPERATORS = {"or", "and", "not"}
_NEGATIONS = (("op", "NOT"), ("op", "-"))


class SyntaxProblem(ValueError):
    """The text cannot be read as a query; the message says how to write it."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded (lower case, no accents), as the indexes store them
    prefix: bool = False
    # The words as typed (lower case, accents kept): what the stemmers read (storage.fulltext).
    typed: tuple[str, ...] = field(default=(), compare=False)

    @property
    def stemmed(self) -> bool:
        """A single word is matched by its stems too; phrases and prefixes stay exact."""
        return len(self.words) == 1 and not self.prefix


@dataclass(frozen=True)
class AllOf:
    """Every part required; ``excluded`` parts must not match."""

    parts: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    """At least one part matches."""

    parts: tuple[Node, ...]


Node = Term | AllOf | AnyOf


def check_length(text: str) -> None:
    """Refuse a text over the bound, without echoing it back."""
    words = len(text.split())
    if len(text) > MAX_QUERY_CHARACTERS or words > MAX_QUERY_WORDS:
        raise SyntaxProblem(
            f"the search text is too long ({len(text):,} characters, {words:,} words): the limit is "
            f"{MAX_QUERY_CHARACTERS:,} characters and {MAX_QUERY_WORDS} words; search for fewer, more telling words")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: paren, phrase, op (OR/AND/NOT/-), word; an unclosed quote runs to the end."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:  # only trailing spaces are left
            break
        position = match.end()
        if match.group("paren"):
            tokens.append(("paren", match.group("paren")))
        elif match.group("phrase") is not None:
            tokens.append(("phrase", match.group("phrase")))
        elif match.group("word"):
            word = match.group("word")
            if word in _OPERATORS:
                tokens.append(("op", word))
            elif word.startswith("-") and len(word) > 1:
                tokens += [("op", "-"), ("word", word[1:])]
            elif word == "-" and text[position:position + 1] in ('"', "("):  # -"a phrase", -(a group)
                tokens.append(("op", "-"))
            else:
                tokens.append(("word", word))
    return tokens


def _term(kind: str, value: str) -> Term | None:
    """A word or phrase as the index sees it; None when it has no letters or digits ("&", "-")."""
    prefix = kind == "word" and value.endswith("*") and len(value.rstrip("*")) > 0
    words = tuple(_WORDS.findall(fold(value)))
    typed = tuple(_WORDS.findall(unicodedata.normalize("NFC", value.lower())))
    return Term(words, prefix, typed if len(typed) == len(words) else words) if words else None


class _Parser:
    """Recursive descent over the tokens: all_of := (or_group | NOT unit | -unit)*, or_group := unit (OR unit)*."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def all_of(self) -> Node | None:
        wanted: list[Node] = []
        excluded: list[Node] = []
        while (token := self.peek()) is not None and token != ("paren", ")"):
            if token == ("op", "AND"):
                self.take()
            elif token in _NEGATIONS:
                self.take()
                node = self.unit()
                if node is None:
                    raise SyntaxProblem("NOT (or -) needs a word or phrase after it, as in: paro NOT futbol")
                if self.peek() == ("op", "OR"):
                    raise SyntaxProblem("an excluded word cannot be one side of OR: exclude a group, "
                                        "as in: paro -(futbol OR liga)")
                excluded.append(node)
            elif (node := self.or_group()) is not None:
                wanted.append(node)
        if excluded and not wanted:
            raise SyntaxProblem("NOT (or -) only excludes from something: add the words to find, "
                                "as in: paro -futbol")
        if not wanted:
            return None
        if len(wanted) == 1 and not excluded:
            return wanted[0]
        return AllOf(tuple(wanted), tuple(excluded))

    def or_group(self) -> Node | None:
        parts = [self.unit()]
        while self.peek() == ("op", "OR"):
            self.take()
            if self.peek() in _NEGATIONS:
                raise SyntaxProblem("an excluded word cannot be one side of OR: write paro OR huelga -futbol")
            parts.append(self.unit())
        if len(parts) == 1:
            return parts[0]
        if any(part is None for part in parts):
            raise SyntaxProblem("OR needs a word or phrase on each side, as in: paro OR huelga")
        return AnyOf(tuple(p for p in parts if p is not None))

    def unit(self) -> Node | None:
        """A word, a phrase or a (group); None for a word without letters or digits, or the end."""
        token = self.peek()
        if token is None or token == ("paren", ")"):
            return None
        kind, value = self.take()
        if (kind, value) == ("paren", "("):
            inner = self.all_of()
            if self.peek() != ("paren", ")"):
                raise SyntaxProblem("a '(' is not closed: add the ')', as in: (paro OR huelga) Bolivia")
            self.take()
            return inner
        if kind == "op":
            raise SyntaxProblem(f"{value} needs a word or phrase on each side, as in: paro OR huelga -futbol")
        return _term(kind, value)


def parse(text: str) -> Node | None:
    """The query tree of ``text``; None when it has no word to search for."""
    check_length(text)
    parser = _Parser(_tokens(text))
    tree = parser.all_of()
    if parser.peek() is not None:  # only a ')' stops the top level early
        raise SyntaxProblem("a ')' has no '(' before it: remove it, or add the '('")
    return tree


def notes(text: str) -> list[str]:
    """What was read literally that a person may have meant as an operator."""
    found = sorted({word for word in text.split() if word in _LOWER_OPERATORS})
    return [f"'{word}' was searched as a word; operators are written in capitals ({word.upper()})"
            for word in found]


# The columns of the FTS5 index holding the text as written; ``search_stems`` holds the stems.
FTS5_TEXT_COLUMNS = "{title subtitle body}"
FTS5_STEM_COLUMN = "search_stems"


def _fts5_quoted(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


def to_fts5(node: Node, *, stem: bool = True) -> str:
    """FTS5 MATCH text: every term a quoted string, so nothing the user typed is FTS5 syntax.

    A word matches its exact form in the text columns or, with ``stem``, any of its stems in the
    stem column; phrases and prefixes match the text columns only."""
    if isinstance(node, Term):
        exact = f"{FTS5_TEXT_COLUMNS} : {_fts5_quoted(node.words)}" + ("*" if node.prefix else "")
        if not (stem and node.stemmed):
            return exact
        stems = " OR ".join(_fts5_quoted((s,)) for s in query_stems(node.typed[0]))
        return f"({exact} OR {FTS5_STEM_COLUMN} : ({stems}))"
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(to_fts5(part, stem=stem) for part in node.parts) + ")"
    expression = " AND ".join(to_fts5(part, stem=stem) for part in node.parts)
    if node.excluded:  # FTS5's NOT is binary: (wanted) NOT excluded
        expression = f"({expression}) NOT (" + " OR ".join(to_fts5(part, stem=stem) for part in node.excluded) + ")"
    return expression if len(node.parts) == 1 and not node.excluded else f"({expression})"


def to_tsquery(node: Node) -> str:
    """PostgreSQL to_tsquery text: folded words only (no user text is tsquery syntax)."""
    if isinstance(node, Term):
        return "(" + " <-> ".join(node.words) + (":*" if node.prefix else "") + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(to_tsquery(part) for part in node.parts) + ")"
    parts = [to_tsquery(part) for part in node.parts] + [f"!{to_tsquery(part)}" for part in node.excluded]
    return "(" + " & ".join(parts) + ")"


def terms(node: Node | None) -> list[str]:
    """The words to find (not the excluded ones), for highlighting a snippet."""
    if node is None:
        return []
    if isinstance(node, Term):
        return list(node.words)
    return [word for part in node.parts for word in terms(part)]
