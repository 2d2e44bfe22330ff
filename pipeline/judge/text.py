"""Text as the judge reads it: the same words however an archive delivered the article.

HTML leftovers (tags, entities), ALL-CAPS headlines and stripped punctuation must not change an
answer, so everything the models see is case-folded, accent-folded words of letters and digits
only: no feature depends on a comma, a full stop or a capital letter. ``stems`` gives their
Snowball stems (PyStemmer) in the article's language, cached per word.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import Stemmer

_TAG = re.compile(r"<[^<>]{0,2000}>")
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
# A corpus artefact worth undoing wherever it turns up: numbers masked as *NUMBER*.
_MASKED_NUMBER = re.compile(r"\*NUMBER\*")

STEMMER_LANGUAGES = {"es": "spanish", "pt": "portuguese", "en": "english"}
# Function words, dropped before bigrams and gap pairs so "corte de ruta" pairs "corte" with "ruta".
STOPWORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        "a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bajo bien cada como con contra cual "
        "cuando de del desde donde dos e el ella ellas ellos en entre era es esa esas ese eso esos esta estaba estan "
        "estas este esto estos fue fueron ha habia han hasta hay la las le les lo los mas me mi muy ni no nos o otra "
        "otras otro otros para pero poco por porque que quien se ser si sido sin sobre son su sus tambien tan tras "
        "tu un una uno unos unas y ya yo segun durante mientras tanto todo toda todos todas".split()),
    "pt": frozenset(
        "a ao aos as ate com como contra da das de dela dele deles depois do dos e ela elas ele eles em entre era "
        "essa esse esta estao este eu foi foram ha isso isto ja la lhe mais mas me mesmo muito na nao nas nem no "
        "nos num numa o os ou para pela pelas pelo pelos por porque quando que quem se sem ser seu seus sua suas "
        "tambem tem uma um umas uns segundo sobre apos durante todo toda todos todas".split()),
    "en": frozenset(
        "a about after again all also an and any are as at be been before being but by can could did do does "
        "during for from had has have he her his how i if in into is it its me more most my no nor not of on or "
        "other our out over she so some such than that the their them then there these they this those through "
        "to too under until up very was we were what when where which while who why will with would you your "
        "said says".split()),
}


def fold(text: str) -> str:
    """Case-folded and accent-free: "PARALIZACIÓN" and "paralizacion" read alike."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", folded))


def clean(text: str) -> str:
    """Text without HTML tags, entities or masked numbers (twice-escaped entities too)."""
    if "&" in text:
        text = html.unescape(html.unescape(text))
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "*NUMBER*" in text:
        text = _MASKED_NUMBER.sub("0", text)
    return text


def words(text: str) -> list[str]:
    """The folded words (letters and digits only) of ``text``, HTML leftovers removed; every
    number reads "0" (the value says nothing about protest, and masked numbers read alike)."""
    return _WORD.findall(_DIGITS.sub("0", fold(clean(text))))


def guess_language(tokens: list[str]) -> str:
    """es, pt or en by function words, for text that comes without a language."""
    sample = tokens[:300]
    counts = {lang: sum(1 for t in sample if t in stops) for lang, stops in STOPWORDS.items()}
    # "de", "a", "que" are shared by es and pt: telling words decide between them.
    counts["pt"] += 2 * sum(1 for t in sample if t in {"nao", "sao", "tambem", "pelo", "pela", "ao", "do", "da", "em"})
    counts["es"] += 2 * sum(1 for t in sample if t in {"el", "los", "del", "y", "las", "por", "una", "con"})
    return max(sorted(counts), key=counts.__getitem__)


@lru_cache(maxsize=3)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_LANGUAGES[language])


_STEM_CACHE: dict[str, dict[str, str]] = {language: {} for language in STEMMER_LANGUAGES}
STEM_CACHE_WORDS = 200_000  # a news vocabulary: past it, the cache starts again


def stems(tokens: list[str], language: str) -> list[str]:
    """Snowball stems of ``tokens`` in ``language`` (es, pt or en); a word is stemmed once, then looked up."""
    cache = _STEM_CACHE[language]
    unknown = [token for token in set(tokens) if token not in cache]
    if unknown:
        if len(cache) > STEM_CACHE_WORDS:
            cache.clear()
        cache.update(zip(unknown, _stemmer(language).stemWords(unknown)))
    return [cache[token] for token in tokens]
