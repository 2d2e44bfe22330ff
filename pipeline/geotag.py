"""Geotag stage: which countries an article mentions, where its event most likely happened, and
which sub-national places it names.

1. Fold title and lead (accents and case dropped) and cut them into words.
2. Look each run of one to four words up in the gazetteer (``pipeline/data/gazetteer.json.gz``,
   built by ``scripts/build_gazetteer.py`` from pycountry and GeoNames, no network at run time):
   country names in es/pt/en/fr, demonyms ("bolivianos", "paulista", "porteño"), first-level
   divisions, and cities. The longest name wins ("ciudad de mexico" over "mexico").
3. Unambiguous names add evidence to their country, weighted by kind and by where they stand
   (the headline counts most, then the lead).
4. Ambiguous names ("La Paz", "Córdoba", "Santiago", "San José") go to the candidate country that
   the other evidence already supports, else the outlet's country, else the most likely candidate
   (a country name before a division before a city, larger and Latin American cities first).
5. The event country is the country with most evidence, the outlet's country adding only a small
   prior; an article naming no place at all is given the outlet's country.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.classify import fold
from pipeline.geotag_names import LATAM
from pipeline.types import GeoTags, Place

GAZETTEER = Path(__file__).with_name("data") / "gazetteer.json.gz"
MAX_WORDS = 4  # the longest names kept ("santiago de los caballeros", "sao jose dos campos")
# Weights of a mention by kind and place in the article. Set by hand, then checked on the Mass
# Mobilization events in ../shared (event country accuracy, benchmarks/classify.py; changing any
# of them by a third moved accuracy by under a point): a country name or demonym is the
# strongest cue, a city slightly weaker (many are ambiguous), and the headline and lead say where
# the story is while later paragraphs drift to comparisons and reactions abroad.
KIND_WEIGHTS = {"country": 1.0, "demonym": 0.8, "admin1": 0.9, "city": 0.9, "cue": 0.6}
TITLE_WEIGHT = 2.0
LEAD_WORDS = 80
LEAD_WEIGHT = 1.5
BODY_WEIGHT = 1.0
AMBIGUOUS_WEIGHT = 0.6  # a name with several candidate countries, once resolved
ADMIN1_POPULATION = 300_000  # a division's weight among ambiguous candidates, as if a city this size
OUTLET_PRIOR = 0.5  # about half a mention: an outlet mostly covers its own country
LATAM_PRIOR = 5.0  # population multiplier for Latin American candidates of an ambiguous city
# Evidence for a country outside Latin America and the Caribbean counts this much: datelines of
# wire services ("agence france presse, paris"), outlets abroad and reactions from Washington or
# Madrid are common in regional news, while events there are the exception (events set: +3 points).
OUTSIDE_REGION_WEIGHT = 0.5
BODY_CHARS = 3000  # place cues sit in the headline and first paragraphs
# Publications cited by name ("the new york times") are not places in the story.
OUTLET_NAMES = (
    "new york times", "washington post", "los angeles times", "christian science monitor", "boston globe",
    "miami herald", "el nuevo herald", "financial times", "chicago tribune", "the times london",
    "guardian london", "the independent london", "wall street journal", "toronto star", "houston chronicle",
    "san francisco chronicle", "dallas morning news", "st petersburg times", "buenos aires herald",
    "mexico city news", "rio de janeiro o globo", "la nacion buenos aires", "sydney morning herald",
    "the nation thailand", "irish times", "daily telegraph london", "ottawa citizen", "montreal gazette",
    "agence france presse", "washington times", "new york", "london", "boston", "atlanta journal",
    "canadian press", "the gazette montreal", "montreal gazette", "globe and mail", "vancouver sun",
    "calgary herald", "edmonton journal", "new zealand herald", "dominion post", "the australian",
    "courier mail", "herald sun", "the advertiser", "herald glasgow", "news agency paris",
    "deutsche presse agentur", "german press agency", "caribbean net news", "grand cayman",
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, kw_only=True)
class GeotagOptions:
    body_chars: int = BODY_CHARS
    outlet_prior: float = OUTLET_PRIOR

    def __post_init__(self) -> None:
        if self.body_chars < 0:
            raise ValueError("body_chars must be 0 or more")
        if self.outlet_prior < 0:
            raise ValueError("outlet_prior must be 0 or more")


def name_key(name: str) -> str:
    """The lookup form of a place name: folded words joined by one space ("EE.UU." -> "ee uu")."""
    return " ".join(_WORD.findall(fold(name)))


@dataclass(frozen=True)
class _Entry:
    kind: str
    country: str
    name: str
    admin1: str
    population: int
    lower_case_ok: int  # demonyms, nicknames and cues are written in lower case in es/pt


_Gazetteer = tuple[list[_Entry], dict[str, tuple[int, ...]], frozenset[str], frozenset[str], frozenset[str]]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Entries, folded name -> entry ids, proper prefixes of names of several words, first words,
    and the names that are also common words (matched only when written with a capital)."""
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    entries = [_Entry(*row) for row in data["entries"]]
    index = {key: tuple(ids) for key, ids in data["index"].items()}
    prefixes, starters = set(), set()
    for name in [*index, *_OUTLETS]:
        words = name.split()
        starters.add(words[0])
        prefixes.update(" ".join(words[:k]) for k in range(1, len(words)))
    return entries, index, frozenset(prefixes), frozenset(starters), frozenset(data["word_names"])


_OUTLETS = frozenset(OUTLET_NAMES)


_CASED_WORD = re.compile(r"[A-Za-z0-9]+")


def _words(segment: str) -> tuple[list[str], list[str] | None]:
    """Folded words of ``segment`` and, when it is in mixed case, the same words as written.

    Accents go by Unicode decomposition (C speed, case kept); letters with no ASCII form split words.
    """
    if not segment.isascii():
        segment = unicodedata.normalize("NFKD", segment).encode("ascii", "ignore").decode("ascii")
    written = _CASED_WORD.findall(segment)
    words = " ".join(written).lower().split(" ") if written else []
    if segment.islower() or segment.isupper() or not written:
        return words, None  # all lower (or upper) case: capitals tell nothing
    return words, written


def _matches(words: list[str], written: list[str] | None) -> list[tuple[int, str, tuple[int, ...]]]:
    """(word position, name, entry ids) of every gazetteer name, longest first, left to right.

    In mixed-case text a place or country name must have a capital in it ("La Paz", not "la paz",
    peace; "Cerro", not "cerró"); demonyms, nicknames and cues are lower case in es/pt.
    """
    entries, index, prefixes, starters, word_names = _gazetteer()
    found: list[tuple[int, str, tuple[int, ...]]] = []
    count, after = len(words), 0
    for i in [i for i, word in enumerate(words) if word in starters]:  # most words start no name
        if i < after:
            continue
        key, n, best = words[i], 1, None
        while True:
            if key in index or key in _OUTLETS:
                best = (n, key)
            if n == MAX_WORDS or i + n >= count or key not in prefixes:
                break
            key = f"{key} {words[i + n]}"
            n += 1
        if best is None:
            continue
        n, key = best
        ids = index.get(key, ())
        if ids and written is None and key in word_names:
            ids = ()
        elif ids and written is not None and not any(w[0].isupper() for w in written[i:i + n]):
            ids = tuple(j for j in ids if entries[j].lower_case_ok)
        if ids:
            found.append((i, key, ids))
        after = i + n
    return found


_KIND_ORDER = {"country": 4, "demonym": 3, "cue": 3, "city": 2, "admin1": 1}


def _within_country(candidates: list[_Entry]) -> tuple[_Entry, str | None]:
    """The entry a name stands for among same-country candidates, and its division's name.

    A country name or demonym first, then the largest city ("Oruro": the city, in the department
    of the same name), else the division itself.
    """
    best = max(candidates, key=lambda e: (_KIND_ORDER[e.kind], e.population))
    if best.kind == "admin1":
        return best, best.name
    division = next((e.name for e in candidates if e.kind == "admin1"), None)
    return best, division if best.kind == "city" else None


def _prior(entry: _Entry) -> float:
    if entry.kind in ("country", "demonym", "cue"):
        return 1e12
    population = ADMIN1_POPULATION if entry.kind == "admin1" else entry.population
    return population * (LATAM_PRIOR if entry.country in LATAM else 1.0)


def geotag(
    title: str, text: str, *, outlet_country: str | None = None, options: GeotagOptions = GeotagOptions()
) -> GeoTags:
    """Countries, event country and places of one article (``outlet_country``: ISO alpha-2 or None)."""
    entries, index, _, _, _ = _gazetteer()
    outlet = outlet_country.upper() if outlet_country else None
    mentions: list[tuple[float, str, list[_Entry]]] = []
    for segment, position_weight in ((title, TITLE_WEIGHT), (text[: options.body_chars], None)):
        words, written = _words(segment)
        for i, key, ids in _matches(words, written):
            weight = position_weight or (LEAD_WEIGHT if i < LEAD_WORDS else BODY_WEIGHT)
            mentions.append((weight, key, [entries[j] for j in ids]))
    evidence: dict[str, float] = {}
    ambiguous = []
    for weight, key, candidates in mentions:
        countries = {e.country for e in candidates if e.country}
        if len(countries) == 1:
            best = max(candidates, key=_prior)
            evidence[best.country] = evidence.get(best.country, 0.0) + weight * KIND_WEIGHTS[best.kind]
        elif countries:
            ambiguous.append((weight, key, candidates))
    resolved: list[tuple[float, str, _Entry, str | None, bool]] = []
    for weight, key, candidates in mentions:
        if len({e.country for e in candidates if e.country}) == 1:
            resolved.append((weight, key, *_within_country(candidates), False))
    for weight, key, candidates in ambiguous:
        supported = [e for e in candidates if evidence.get(e.country, 0.0) > 0]
        if supported:
            best = max(supported, key=lambda e: (evidence[e.country], _prior(e)))
        elif outlet and any(e.country == outlet for e in candidates):
            best = max((e for e in candidates if e.country == outlet), key=_prior)
        else:
            best = max(candidates, key=_prior)
        resolved.append((weight, key, *_within_country([e for e in candidates if e.country == best.country]), True))
    shares: dict[str, float] = {}
    cues: dict[str, float] = {}
    places: dict[tuple[str, str, str, str | None], float] = {}
    signals = []
    for weight, key, entry, admin1, was_ambiguous in resolved:
        value = weight * KIND_WEIGHTS[entry.kind] * (AMBIGUOUS_WEIGHT if was_ambiguous else 1.0)
        if entry.country not in LATAM:
            value *= OUTSIDE_REGION_WEIGHT
        bucket = cues if entry.kind == "cue" else shares
        bucket[entry.country] = bucket.get(entry.country, 0.0) + value
        if entry.kind in ("city", "admin1"):
            place = (entry.name, entry.kind, entry.country, admin1)
            places[place] = places.get(place, 0.0) + value
        signals.append(f"{key} -> {entry.country} ({entry.kind}{', ambiguous' if was_ambiguous else ''})")
    total = sum(shares.values())
    countries = {c: round(v / total, 3) for c, v in sorted(shares.items(), key=lambda kv: -kv[1])} if total else {}
    scored = dict(shares)  # in order of first mention, so a tie goes to the country named first
    for country, value in cues.items():
        scored[country] = scored.get(country, 0.0) + value
    if outlet:
        scored[outlet] = scored.get(outlet, 0.0) + options.outlet_prior
    event = max(scored, key=lambda c: scored[c]) if scored else None
    ordered = sorted(places.items(), key=lambda kv: -kv[1])
    return GeoTags(
        countries=countries, event_country=event,
        places=[Place(name=n, kind=k, country=c, admin1=a) for (n, k, c, a), _ in ordered],
        signals=list(dict.fromkeys(signals)),
    )


def place_names(name: str) -> list[str]:
    """The stored names of the cities and divisions called ``name`` ("sao paulo" -> ["São Paulo"])."""
    entries, index, _, _, _ = _gazetteer()
    return sorted({entries[i].name for i in index.get(name_key(name), ()) if entries[i].kind in ("city", "admin1")})
