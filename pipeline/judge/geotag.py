"""Geotag stage: which countries an article mentions, where its event most likely happened, and
which sub-national places it names.

1. Fold title and lead (accents and case dropped) and cut them into words.
2. Look each run of one to four words up in the gazetteer (``vocabulary/data/gazetteer.json.gz``,
   built by ``scripts/build_gazetteer.py`` from pycountry and GeoNames, no network at run time):
   country names in es/pt/en/fr, demonyms ("bolivianos", "paulista", "porteño"), first-level
   divisions, and cities. The longest name wins ("ciudad de mexico" over "mexico").
3. Unambiguous names add evidence to their country, weighted by kind and by where they stand
   (a dateline counts most, then the headline, then the lead). A Latin American outlet named in
   the text ("source: el mercurio") is weak evidence; foreign outlets' names and the home towns
   of cited publications ("the globe and mail canada, april 24, 1996") are not evidence; a small
   town or a division named in lower-case text counts fully only when something else names its
   country. In mixed-case text a capitalised word right after a given name is a surname ("Andrés
   Lagos"), and a town named like a common word, an institution or a surname ("Cerro", "El Banco",
   "Santander") counts only after a locative ("en Salto") or when another mention or the outlet
   names its country, never as part of a longer capitalised name ("Cerro Colorado", "Banco Central").
4. Ambiguous names ("La Paz", "Córdoba", "Santiago", "San José") go to the candidate country that
   the other evidence already supports, else the outlet's country, else the most likely candidate
   (a country name before a division before a city, larger and Latin American cities first).
5. The event country is the country with most evidence, the outlet's country adding only a small
   prior; an article naming no place at all is given the outlet's country.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.judge.geotag_names import GIVEN_NAMES, LATAM
from pipeline.types import GeoTags, Place
from vocabulary.folding import fold
from vocabulary.places import Entry as _Entry, gazetteer

MAX_WORDS = 4  # the longest names kept ("santiago de los caballeros", "sao jose dos campos")
# Weights of a mention by kind and place in the article. Set by hand, then checked on the Mass
# Mobilization events in ../shared (event country accuracy, benchmarks/classify.py; changing any
# of them by a third moved accuracy by under a point): a country name or demonym is the
# strongest cue, a city slightly weaker (many are ambiguous), and the headline and lead say where
# the story is while later paragraphs drift to comparisons and reactions abroad.
# A Latin American outlet named in the text ("source: el mercurio") is weak evidence: it decides only
# when nothing else names a place.
KIND_WEIGHTS = {"country": 1.0, "demonym": 0.8, "admin1": 0.9, "city": 0.9, "cue": 0.6, "outlet": 0.3}
TITLE_WEIGHT = 2.0
DATELINE_WEIGHT = 3.0  # "SANTIAGO, Chile (AP) —": where the reporter files from, above the headline's places
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
# A town of fewer people than this, or a division, named in text without capitals and corroborated
# by nothing else, counts this much: it is then as often a surname or a common word as the place.
SMALL_TOWN_POPULATION = 250_000
UNCORROBORATED_WEIGHT = 0.3
BODY_CHARS = 3000  # place cues sit in the headline and first paragraphs
# Words before a place name that say it is one ("marcha en Salto", "vecinos de Cerro", "greve em Natal").
# Not "del": "el presidente del Banco", "clientes del Santander" name institutions.
LOCATIVES = frozenset({"en", "de", "em", "in", "desde"})
ARTICLES = frozenset({"el", "la", "los", "las", "o", "a", "os", "as", "the"})  # "El Santander": no longer name
# Publications and wires cited by name ("the new york times", "associated press"): not places in the
# story. Latin American outlets are in the gazetteer instead (kind "outlet", weak evidence).
OUTLET_NAMES = (
    "new york times", "washington post", "los angeles times", "christian science monitor", "boston globe",
    "miami herald", "el nuevo herald", "financial times", "chicago tribune", "the times london",
    "guardian london", "the independent london", "wall street journal", "toronto star", "houston chronicle",
    "san francisco chronicle", "dallas morning news", "st petersburg times",
    "sydney morning herald", "the nation thailand", "irish times", "daily telegraph london", "ottawa citizen",
    "montreal gazette", "agence france presse", "washington times", "new york", "london", "boston",
    "atlanta journal", "canadian press", "the gazette montreal", "globe and mail", "vancouver sun",
    "calgary herald", "edmonton journal", "new zealand herald", "dominion post", "the australian",
    "courier mail", "herald sun", "the advertiser", "herald glasgow", "news agency paris",
    "deutsche presse agentur", "german press agency", "caribbean net news", "grand cayman",
    "daily telegraph", "sunday telegraph", "daily mirror", "sunday mirror", "evening mail", "hobart mercury",
    "the times", "the guardian", "the observer", "the independent", "the economist", "sunday times",
    "south china morning post", "jerusalem post", "straits times", "bbc summary of world broadcasts",
    "bbc monitoring", "associated press", "xinhua", "inter press service", "notimex", "prensa latina",
    "acan efe", "agencia efe", "reuters", "deutsche welle", "voice of america", "united press international",
    "world markets analysis", "business news americas", "caribbean media corporation", "al jazeera",
)
# Month names and abbreviations (en/es/pt): a place name followed by a date in mid-text is a citation's
# place of publication ("the globe and mail canada, april 24, 1996").
MONTHS = frozenset("""
january february march april may june july august september october november december jan feb mar apr jun
jul aug sep sept oct nov dec enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre
noviembre diciembre ene abr ago dic janeiro fevereiro marco maio junho julho setembro outubro novembro
dezembro fev mai out dez
""".split())
_LETTERS = r"[^\W\d_]"
_DATELINE = re.compile(
    rf"[ \t]*(?P<place>{_LETTERS}+(?:[ '’.-]{{1,2}}{_LETTERS}+){{0,4}})"  # SANTIAGO, Buenos Aires, SÃO PAULO
    rf"(?:[ \t]*,[ \t]*{_LETTERS}+(?:[ .-]{{1,2}}{_LETTERS}+){{0,3}})?"  # , Chile
    rf"(?:[ \t]*,?[ \t]*(?:\d{{1,2}}[ \t]+(?:de[ \t]+)?(?P<month>{_LETTERS}{{3,10}})\.?"  # 12 nov, 12 de noviembre
    rf"(?:[ \t]+(?:de[ \t]+)?\d{{4}})?"
    rf"|(?P<month2>{_LETTERS}{{3,10}})\.?[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?))?"  # Nov. 12, 2024
    r"[ \t]*(?:\((?P<wire>[^()\n]{2,40})\))?"  # (AP), (EFE)
    r"[ \t]*(?:\.[ \t]*[-–—]|[-–—:])"
)


@dataclass(frozen=True, kw_only=True)
class GeotagOptions:
    body_chars: int = BODY_CHARS
    outlet_prior: float = OUTLET_PRIOR

    def __post_init__(self) -> None:
        if self.body_chars < 0:
            raise ValueError("body_chars must be 0 or more")
        if self.outlet_prior < 0:
            raise ValueError("outlet_prior must be 0 or more")


_Gazetteer = tuple[
    list[_Entry], dict[str, tuple[int, ...]], frozenset[str], frozenset[str], frozenset[str], frozenset[str]
]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Entries, folded name -> entry ids, proper prefixes of names of several words, first words,
    the names that are also common words (matched only when written with a capital), and the names
    that are also common words, institutions or surnames (counted only when corroborated)."""
    places = gazetteer()
    prefixes, starters = set(), set()
    for name in [*places.index, *_OUTLETS]:
        words = name.split()
        starters.add(words[0])
        prefixes.update(" ".join(words[:k]) for k in range(1, len(words)))
    return (places.entries, places.index, frozenset(prefixes), frozenset(starters), places.word_names,
            places.corroborate_names)


_OUTLETS = frozenset(OUTLET_NAMES)


_CASED_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class _Cased:
    """The words of a mixed-case segment as written, and whether each is followed by the next with only
    spaces between (no comma, full stop or dash): "Cerro Colorado" is one name, "Lima, Cusco" two."""
    written: list[str]
    joined: list[bool]


def _words(segment: str) -> tuple[list[str], _Cased | None]:
    """Folded words of ``segment`` and, when it is in mixed case, the same words as written.

    Accents go by Unicode decomposition (C speed, case kept); letters with no ASCII form split words.
    """
    if not segment.isascii():
        segment = unicodedata.normalize("NFKD", segment).encode("ascii", "ignore").decode("ascii")
    written = _CASED_WORD.findall(segment)
    words = " ".join(written).lower().split(" ") if written else []
    if segment.islower() or segment.isupper() or not written:
        return words, None  # all lower (or upper) case: capitals tell nothing
    gaps = _CASED_WORD.split(segment)[1:-1]  # the text between consecutive words
    return words, _Cased(written, [gap.isspace() for gap in gaps])


@dataclass(frozen=True)
class _Match:
    start: int  # word position
    end: int
    key: str
    ids: tuple[int, ...]  # gazetteer entries; empty for a foreign outlet's name


def _matches(words: list[str], cased: _Cased | None) -> list[_Match]:
    """Every gazetteer name and foreign outlet name, longest first, left to right.

    In mixed-case text a place or country name must have a capital in it ("La Paz", not "la paz",
    peace; "Cerro", not "cerró"), an outlet's last word too ("El Tiempo", not "El tiempo"); demonyms,
    nicknames and cues are lower case in es/pt.
    """
    entries, index, prefixes, starters, word_names, _ = _gazetteer()
    written = cased.written if cased else None
    found: list[_Match] = []
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
        elif ids and written is not None:
            capital = any(w[0].isupper() for w in written[i:i + n])
            ids = tuple(j for j in ids if entries[j].lower_case_ok or (
                written[i + n - 1][0].isupper() if entries[j].kind == "outlet" else capital))
        if ids or key in _OUTLETS:
            found.append(_Match(i, i + n, key, ids))
        after = i + n
    return found


def _reading(match: _Match, words: list[str], cased: _Cased, corroborate: frozenset[str]) -> str:
    """How a name in mixed-case text reads: "surname" right after a given name ("Andrés Lagos");
    for a name that is also a common word, an institution or a surname, "fragment" when it is part of
    a longer capitalised name ("Cerro Colorado", "el Banco Central", "Banco Santander"), "located"
    after a locative preposition ("en Salto") and "uncertain" otherwise; else "place"."""
    start, end, written, joined = match.start, match.end, cased.written, cased.joined
    before = words[start - 1] if start > 0 and joined[start - 1] else None
    if before in GIVEN_NAMES and written[start - 1][0].isupper():
        return "surname"
    if match.key not in corroborate:
        return "place"
    capital_before = before is not None and before not in LOCATIVES | ARTICLES and written[start - 1][0].isupper()
    capital_after = end < len(words) and joined[end - 1] and written[end][0].isupper()
    if capital_before or capital_after:
        return "fragment"
    return "located" if before in LOCATIVES else "uncertain"


def _corroborated(
    mentions: list[tuple[float, str, list[_Entry], bool, bool]], outlet: str | None
) -> list[tuple[float, str, list[_Entry], bool]]:
    """The mentions that stand, each with the candidates that stand: an uncertain one (flagged True)
    keeps only the places in a country another mention names unambiguously, or the outlet's."""
    named = {outlet} | {c[0].country for _, _, c, _, uncertain in mentions
                        if not uncertain and len({e.country for e in c}) == 1}
    kept = []
    for weight, key, candidates, uncased, uncertain in mentions:
        if uncertain:
            candidates = [e for e in candidates if e.country in named or e.kind not in ("city", "admin1")]
        if candidates:
            kept.append((weight, key, candidates, uncased))
    return kept


def _date_at(words: list[str], i: int) -> bool:
    """Whether a date starts at word ``i``: "april 24", "24 april", "12 de noviembre"."""
    if i + 1 >= len(words):
        return False
    if words[i] in MONTHS:
        return words[i + 1].isdigit()
    if words[i].isdigit() and len(words[i]) <= 2:
        following = words[i + 2] if words[i + 1] == "de" and i + 2 < len(words) else words[i + 1]
        return following in MONTHS
    return False


def _publication_places(words: list[str], matches: list[_Match]) -> set[int]:
    """Indexes of the matches that say where a cited publication is based rather than where the story
    is: a name right after an outlet's name ("the globe and mail canada"), right before a date ("the
    daily telegraph sydney, australia, may 19, 2004"), or chained to such a name."""
    outlet_ends = {m.end for m in matches if m.key in _OUTLETS}
    marked: set[int] = set()
    for k in range(len(matches) - 1, -1, -1):
        match = matches[k]
        if not match.ids:
            continue
        chained = k + 1 in marked and matches[k + 1].start == match.end
        if chained or match.start in outlet_ends or (match.start > 0 and _date_at(words, match.end)):
            marked.add(k)
    return marked


def _dateline(text: str) -> int:
    """Length of the dateline that opens ``text`` ("SANTIAGO, Chile (AP) —", "LIMA, 12 nov (EFE).-",
    "BUENOS AIRES -"), or 0. A dateline is a place in capitals, or any place followed by a wire's
    name in brackets or a date, then a dash or colon, within the first line."""
    match = _DATELINE.match(text)
    if not match:
        return 0
    month = match["month"] or match["month2"]
    dated = month is not None and fold(month) in MONTHS
    return match.end() if match["place"].isupper() or match["wire"] or dated else 0


_KIND_ORDER = {"country": 4, "demonym": 3, "cue": 3, "outlet": 3, "city": 2, "admin1": 1}


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
    if entry.kind in ("country", "demonym", "cue", "outlet"):
        return 1e12
    population = ADMIN1_POPULATION if entry.kind == "admin1" else entry.population
    return population * (LATAM_PRIOR if entry.country in LATAM else 1.0)


def _uncorroborated_towns(resolved: list[tuple[_Entry, bool]]) -> list[bool]:
    """For each resolved mention, whether it is a town or a division named in text without capitals
    whose country nothing else names: such a word is as often a surname or a common word
    ("delgado", "banco", "cordon", "guerrero") as the place."""
    def town(entry: _Entry, uncased: bool) -> bool:
        return uncased and (entry.kind == "admin1" or entry.kind == "city" and entry.population < SMALL_TOWN_POPULATION)

    corroborated = {entry.country for entry, uncased in resolved if not town(entry, uncased)}
    return [town(entry, uncased) and entry.country not in corroborated for entry, uncased in resolved]


def geotag(
    title: str, text: str, *, outlet_country: str | None = None, options: GeotagOptions = GeotagOptions()
) -> GeoTags:
    """Countries, event country and places of one article (``outlet_country``: ISO alpha-2 or None)."""
    entries, index, _, _, _, corroborate = _gazetteer()
    outlet = outlet_country.upper() if outlet_country else None
    body = text[: options.body_chars]
    cut = _dateline(body)
    found: list[tuple[float, str, list[_Entry], bool, bool]] = []
    for segment, position_weight in ((title, TITLE_WEIGHT), (body[:cut], DATELINE_WEIGHT), (body[cut:], None)):
        words, cased = _words(segment)
        matches = _matches(words, cased)
        publication = _publication_places(words, matches) if position_weight != DATELINE_WEIGHT else set()
        for k, match in enumerate(matches):
            candidates = [entries[j] for j in match.ids]
            if k in publication:  # a foreign outlet's home town is not a place in the story
                candidates = [e for e in candidates if e.country in LATAM]
            reading = _reading(match, words, cased, corroborate) if cased else "place"
            if reading in ("surname", "fragment"):
                candidates = [e for e in candidates if e.kind not in ("city", "admin1")]
            if not candidates:
                continue
            weight = position_weight or (LEAD_WEIGHT if match.start < LEAD_WORDS else BODY_WEIGHT)
            found.append((weight, match.key, candidates, cased is None, reading == "uncertain"))
    mentions = _corroborated(found, outlet)
    evidence: dict[str, float] = {}
    ambiguous = []
    for weight, key, candidates, uncased in mentions:
        countries = {e.country for e in candidates if e.country}
        if len(countries) == 1:
            best = max(candidates, key=_prior)
            evidence[best.country] = evidence.get(best.country, 0.0) + weight * KIND_WEIGHTS[best.kind]
        elif countries:
            ambiguous.append((weight, key, candidates, uncased))
    resolved: list[tuple[float, str, _Entry, str | None, bool, bool]] = []
    for weight, key, candidates, uncased in mentions:
        if len({e.country for e in candidates if e.country}) == 1:
            resolved.append((weight, key, *_within_country(candidates), False, uncased))
    for weight, key, candidates, uncased in ambiguous:
        supported = [e for e in candidates if evidence.get(e.country, 0.0) > 0]
        if not supported and all(e.kind == "outlet" for e in candidates):
            continue  # "la prensa" (NI, PA, HN, BO) says nothing on its own
        if supported:
            best = max(supported, key=lambda e: (evidence[e.country], _prior(e)))
        elif outlet and any(e.country == outlet for e in candidates):
            best = max((e for e in candidates if e.country == outlet), key=_prior)
        else:
            best = max(candidates, key=_prior)
        same_country = [e for e in candidates if e.country == best.country]
        resolved.append((weight, key, *_within_country(same_country), True, uncased))
    shares: dict[str, float] = {}
    cues: dict[str, float] = {}
    places: dict[tuple[str, str, str, str | None], float] = {}
    signals = []
    lone_towns = _uncorroborated_towns([(entry, uncased) for _, _, entry, _, _, uncased in resolved])
    for (weight, key, entry, admin1, was_ambiguous, _), lone in zip(resolved, lone_towns, strict=True):
        value = weight * KIND_WEIGHTS[entry.kind] * (AMBIGUOUS_WEIGHT if was_ambiguous else 1.0)
        if lone:
            value *= UNCORROBORATED_WEIGHT
        if entry.country not in LATAM:
            value *= OUTSIDE_REGION_WEIGHT
        bucket = cues if entry.kind in ("cue", "outlet") else shares
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
