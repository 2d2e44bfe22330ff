"""Story level: different texts (any of es/pt/en) about the same event.

Each article is reduced to a bag of language-neutral features taken from its headline and
lede, where reports of one event agree most:

 - ``e:`` names (capitalised words that are not sentence words: "Lula", "Juliaca", "EFE" is not);
 - ``c:`` countries, whatever the language or form ("Irã", "Irán", "Iran" -> ``c:IR``);
 - ``n:`` numbers ("50 mortos", "50 people killed"; years left out: every story has one);
 - ``k:`` event concepts shared by the three languages ("mata", "muertos", "killed" -> ``k:kill``;
   ``story_lexicon``);
 - ``w:`` content-word stems: folded, stop words of es/pt/en removed, cut to five letters so
   cognates meet ("protestos", "protestas", "protests" -> ``w:prote``).

Two articles belong to the same story when the weighted cosine of their features is high
enough (lower across languages) and they were published within a window of days.
``index_keys`` are the features worth an index lookup (names, numbers, countries), so
candidates come from an indexed table, not a scan.
"""

from __future__ import annotations

import gettext
import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from pipeline.classify import fold
from pipeline.story_lexicon import concept, country_alias

_TOKEN = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])|\d[\d.,]*\d|\d|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»()\n]")


@dataclass(frozen=True, kw_only=True)
class StoryOptions:
    """How articles are grouped into stories. Calibrated with ``benchmarks/dedup.py``."""

    # Articles further apart than this are never the same story. Wikipedia "In the news"
    # reports of one event span up to 16 days, 90% of them within 10.
    window_days: float = 10.0
    # Words of the body read after the headline: the lede says what happened, later
    # paragraphs drift into background shared with related stories.
    lede_words: int = 60
    # Weighted cosine at or above which an article joins a story; reports in two languages
    # share fewer words, so they need less.
    threshold: float = 0.5
    cross_language_threshold: float = 0.2
    # Feature weights: names and numbers identify an event, countries and words less so.
    weight_name: float = 3.0
    weight_number: float = 2.0
    weight_country: float = 1.5
    weight_word: float = 1.0
    weight_concept: float = 1.5
    # Reports placing an event in different countries, none in common, are rarely about one
    # event ("... Prime Minister of Nepal" and "... Prime Minister of Fiji"): their score is cut.
    other_countries_factor: float = 0.5
    # Candidate articles compared in full per new article (the most key-sharing ones), and
    # rows read per key (the latest in the window): a common name costs no more than a rare one.
    max_candidates: int = 40
    rows_per_key: int = 100

    def __post_init__(self) -> None:
        if self.window_days <= 0 or self.lede_words < 0 or not 0 < self.threshold <= 1:
            raise ValueError("window_days must be positive, lede_words >= 0 and threshold in (0, 1]")

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


DEFAULT_STORY = StoryOptions()

# Function words and newsroom words of es, pt and en, folded. Words that only start a
# sentence capitalised are not names; neither are wire agencies or weekdays and months.
_STOP = set("""
a al algo algun alguna algunas alguno algunos ante antes aquel aquella aqui asi aun cada como con contra cual cuando
de del desde donde dos durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estan
estas este esto estos fue fueron ha habia han hasta hay la las le les lo los mas me mi mientras muy ni no nos nosotros
o os otra otras otro otros para pero poco por porque que quien se segun ser sera si sido sin sobre su sus tambien
tan tanto tiene tienen todo todos tras tu un una uno unos unas ya yo ao aos as com da das do dos ela elas ele eles
em essa essas esse esses esta estao este estes foi foram isso isto ja lhe mais mas na nas nem no nos num numa o os
ou pela pelas pelo pelos quando sao seu seus sua suas tem tambem ate apos nao sim uma umas um uns vai vao ser
the of and to in on at by for with from as is are was were be been has have had it its this that these those
an or but not after before over under into about than then there their they he she his her we our you your will
would can could said says say also more most who which what when where while new first last other during against
dijo dice afirmo senalo segun informo disse afirmou segundo informou told according
lunes martes miercoles jueves viernes sabado domingo segunda terca quarta quinta sexta sabado domingo feira
monday tuesday wednesday thursday friday saturday sunday
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
janeiro fevereiro marco maio junho julho setembro outubro novembro dezembro
january february march april may june july august september october november december
efe afp ap reuters ansa dpa agencia agence press associated news noticias foto imagem imagen pictured image
hoy ayer hoje ontem today yesterday
""".split())
# Numbers read as calendar years (and so not telling one story from another).
_YEAR = re.compile(r"^(19|20)\d\d$")


@lru_cache(maxsize=1)
def _country_names() -> dict[tuple[str, ...], str]:
    """Folded country names in en, es and pt (pycountry's own translations) -> alpha-2 code."""
    import pycountry

    translators = [gettext.NullTranslations()]
    for language in ("es", "pt", "pt_BR"):
        try:
            translators.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]))
        except OSError:
            continue
    names: dict[tuple[str, ...], str] = {}
    for country in pycountry.countries:
        variants = {country.name, getattr(country, "common_name", country.name)}
        for translator in translators:
            variants.add(translator.gettext(country.name))
        for variant in variants:
            words = tuple(fold(variant.split(",")[0]).replace("-", " ").split())
            if words:
                names[words] = country.alpha_2
    # Everyday short forms the standard names miss.
    for short, code in (("eua", "US"), ("eeuu", "US"), ("ee uu", "US"), ("usa", "US"), ("estados unidos", "US"),
                        ("united states", "US"), ("uk", "GB"), ("reino unido", "GB"), ("iran", "IR"),
                        ("russia", "RU"), ("rusia", "RU"), ("venezuela", "VE"), ("bolivia", "BO")):
        names[tuple(short.split())] = code
    return names


def _countries(folded_words: list[str]) -> set[str]:
    names = _country_names()
    found = set()
    for size in (3, 2, 1):
        for start in range(len(folded_words) - size + 1):
            code = names.get(tuple(folded_words[start:start + size]))
            if code:
                found.add(code)
    return found


@lru_cache(maxsize=200_000)
def _word_meaning(word: str) -> tuple[str | None, str | None]:
    """(country code, concept) of a folded word, either None."""
    return _country_names().get((word,)) or country_alias(word), concept(word)


def _number(token: str) -> str | None:
    digits = re.sub(r"[.,  ](?=\d{3}\b)", "", token).replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    if value < 2 or _YEAR.match(digits):
        return None
    return f"{value:g}"


def story_features(title: str, body: str, language: str | None = None,
                   options: StoryOptions = DEFAULT_STORY) -> dict[str, float]:
    """The weighted features of an article's headline and lede (see the module docstring)."""
    lede = " ".join(body.split()[: options.lede_words])
    features: dict[str, float] = {}
    if language:
        features["l:" + language] = 0.0  # no weight: read by best_story for its threshold
    folded_words: list[str] = []
    for part in (title, lede):
        sentence_start = True
        for match in _TOKEN.finditer(part):
            token = match.group()
            gap = part[max(0, match.start() - 3):match.start()]
            if _SENTENCE_END.search(gap):
                sentence_start = True
            if token[0].isdigit():
                number = _number(token)
                if number:
                    features["n:" + number] = options.weight_number
                sentence_start = False
                continue
            word = fold(_POSSESSIVE.sub("", token))
            folded_words.append(word)
            if word in _STOP or len(word) < 3:
                sentence_start = False
                continue
            country, idea = _word_meaning(word)
            if country:
                features["c:" + country] = options.weight_country
            elif token[0].isupper() and not sentence_start:
                features["e:" + word] = options.weight_name
            if idea:
                features["k:" + idea] = options.weight_concept
            features.setdefault("w:" + word[:5], options.weight_word)
            sentence_start = False
        folded_words.append("")  # no country name across the title/lede boundary
    for code in _countries(folded_words):
        features["c:" + code] = options.weight_country
    return features


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two weighted feature sets (0 when either is empty)."""
    shared = sum(weight * b[key] for key, weight in a.items() if key in b)
    if not shared:
        return 0.0
    return shared / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def best_story(
    features: dict[str, float], candidates: Iterable[tuple[int, dict[str, float]]],
    options: StoryOptions = DEFAULT_STORY,
) -> int | None:
    """The story of the most similar candidate (story id, features) if similar enough, else None."""
    best, best_margin = None, 0.0
    language = _language(features)
    for story_id, other in candidates:
        other_language = _language(other)
        same = language is None or other_language is None or language == other_language
        threshold = options.threshold if same else options.cross_language_threshold
        score = similarity(features, other)
        if _countries_differ(features, other):
            score *= options.other_countries_factor
        margin = score - threshold
        if margin >= best_margin:
            best, best_margin = story_id, margin
    return best


def _countries_differ(a: dict[str, float], b: dict[str, float]) -> bool:
    """Both name countries and share none of them."""
    countries_a = {k for k in a if k.startswith("c:")}
    countries_b = {k for k in b if k.startswith("c:")}
    return bool(countries_a and countries_b and not countries_a & countries_b)


def _language(features: dict[str, float]) -> str | None:
    return next((key[2:] for key in features if key.startswith("l:")), None)


def index_keys(features: Iterable[str]) -> list[int]:
    """Signed 64-bit keys of the features worth an index lookup: names, numbers and countries."""
    return sorted({key_hash(f) for f in features if f[:2] in ("e:", "n:", "c:")})


def key_hash(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def encode_features(features: dict[str, float]) -> str:
    """Features as stored in ``articles.story_features``: space-separated, weights from the prefix."""
    return " ".join(sorted(features))


def decode_features(stored: str | None, options: StoryOptions = DEFAULT_STORY) -> dict[str, float]:
    weights = {"e:": options.weight_name, "n:": options.weight_number, "c:": options.weight_country,
               "w:": options.weight_word, "k:": options.weight_concept, "l:": 0.0}
    return {f: weights.get(f[:2], options.weight_word) for f in (stored or "").split()}
