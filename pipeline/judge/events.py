"""Event coder: one protest article -> a Mass Mobilization style event record, each field with its sentences.

Rules where rules do better (dates, crowd numbers, places, named actors); small linear models
where the wording varies (demands, state response, protester violence, the crowd size when no
number is given). The models are logistic regressions fitted offline by ``scripts/train_events.py``
on Mass Mobilization events (../shared/corpora/events) and shipped as feature weights in
``pipeline/judge/data/events_model.json.gz``; scoring is a dictionary look-up per feature, so no
scikit-learn at run time. Features: folded (lower case, accent-free), stemmed words and word pairs,
plus language-neutral cue groups (pipeline.judge.event_lexicon) that let weights learned on English
summaries reach Spanish and Portuguese text. docs/EVENTS.md gives the field definitions.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer

from pipeline.extract.language import detect_language
from pipeline.judge.classify import classify_protest
from pipeline.judge.event_lexicon import ACTOR_TYPES, CUES
from pipeline.judge.geotag import geotag
from pipeline.judge.lexicon import _trie_pattern
from vocabulary.folding import fold

MODEL_PATH = Path(__file__).with_name("data") / "events_model.json.gz"
DEMANDS = ("labor wage dispute", "land farm issue", "police brutality", "political behavior, process",
           "price increases, tax policy", "removal of politician", "social restrictions")
STATE_RESPONSES = ("accomodation", "arrests", "beatings", "crowd dispersal", "ignore", "killings", "shootings")
PARTICIPANT_CATEGORIES = ("50-99", "100-999", "1000-1999", "2000-4999", "5000-10000", ">10000")
USE_TOWNS = True  # a town the text names ("the town of X") wins over the gazetteer's city: by the training rows
BODY_CHARS = 4000  # the lead and first paragraphs report the event; later ones drift to background

# ---------------------------------------------------------------------------------------------
# Text: sentences and features


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STEMMER_LANGUAGES = {"es": "spanish", "pt": "portuguese", "en": "english"}


# A full stop after these is not a sentence end ("sept. 30", "Gen. Cedras", "Sr. Pérez").
_ABBREVIATION = re.compile(r"(?:^|\s)(?:jan|feb|mar|apr|aug|sep|sept|oct|nov|dec|ene|dic|mr|mrs|dr|gen|lieut|col|"
                           r"sr|sra|st|no|nro|av|u\.s)\.$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends and line breaks, blank pieces dropped."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    return Stemmer.Stemmer(STEMMER_LANGUAGES.get(language, "english"))


def _cue_pattern(groups: dict[str, tuple[str, ...]]) -> tuple[re.Pattern[str], dict[str, str]]:
    meaning: dict[str, str] = {}
    for group, cues in groups.items():
        for cue in cues:
            meaning.setdefault(cue.strip(), group)
    words = {c.strip() + ("\0" if c.endswith(" ") else "") for cues in groups.values() for c in cues}
    return re.compile(rf"(?<!\w){_trie_pattern(words)}"), meaning


_CUES, _CUE_GROUP = _cue_pattern(CUES)
_ACTORS, _ACTOR_TYPE = _cue_pattern(ACTOR_TYPES)


def cue_groups(folded: str) -> Counter[str]:
    """How often each cue group is named in folded text."""
    return Counter(_CUE_GROUP[m.group(0)] for m in _CUES.finditer(folded))


def features(folded: str, language: str | None) -> dict[str, float]:
    """Stemmed words, stemmed word pairs and cue groups of folded text, each counted once (binary)."""
    words = _stemmer(language or "en").stemWords(_WORD.findall(folded))
    found: dict[str, float] = dict.fromkeys((f"w:{w}" for w in words), 1.0)
    found.update(dict.fromkeys((f"b:{a}_{b}" for a, b in zip(words, words[1:])), 1.0))
    found.update({f"cue:{group}": 1.0 for group in cue_groups(folded)})
    return found


# ---------------------------------------------------------------------------------------------
# Linear models


@dataclass(frozen=True)
class LinearLabel:
    """One label's logistic regression: weights by feature name, bias and the tuned threshold."""

    bias: float
    threshold: float
    weights: dict[str, float]

    def probability(self, found: dict[str, float]) -> float:
        logit = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in found.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


@dataclass(frozen=True)
class EventModel:
    """The shipped models: a binary model per demand, per state response, for violence, per crowd size."""

    demands: dict[str, LinearLabel]
    state_response: dict[str, LinearLabel]
    violence: LinearLabel
    participants: dict[str, LinearLabel]
    meta: dict[str, Any] = field(default_factory=dict)
    # The same models on the cue groups alone, for text in a language other than the training's (English).
    other_languages: EventModel | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def for_language(self, language: str | None) -> EventModel:
        return self if language in (None, "en") or self.other_languages is None else self.other_languages

    def probabilities(self, found: dict[str, float]) -> dict[tuple[str, str], float]:
        """Every label's probability at once, keyed (field, label): one look-up per feature."""
        names, bias, rows = _stacked(self)
        logits = bias.copy()
        for name, value in found.items():
            row = rows.get(name)
            if row is not None:
                logits += row * value
        return dict(zip(names, (1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))).tolist(), strict=True))

    def labels(self) -> dict[tuple[str, str], LinearLabel]:
        every = {("demands", k): v for k, v in self.demands.items()}
        every.update({("state_response", k): v for k, v in self.state_response.items()})
        every[("violence", "violence")] = self.violence
        every.update({("participants", k): v for k, v in self.participants.items()})
        return every


    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventModel:
        def labels(part: dict[str, Any]) -> dict[str, LinearLabel]:
            return {name: LinearLabel(**value) for name, value in part.items()}

        other = data.get("other_languages")
        return cls(demands=labels(data["demands"]), state_response=labels(data["state_response"]),
                   violence=LinearLabel(**data["violence"]), participants=labels(data["participants"]),
                   meta=data.get("meta", {}), other_languages=cls.from_json(other) if other else None)


_STACKS: dict[int, tuple[list[tuple[str, str]], Any, dict[str, Any]]] = {}


def _stacked(model: EventModel) -> tuple[list[tuple[str, str]], Any, dict[str, Any]]:
    """The model's weights as one vector per feature (all labels side by side), built once per model."""
    if id(model) not in _STACKS:
        labels = model.labels()
        names = list(labels)
        rows: dict[str, Any] = {}
        for i, name in enumerate(names):
            for feature, weight in labels[name].weights.items():
                rows.setdefault(feature, np.zeros(len(names)))[i] = weight
        _STACKS[id(model)] = (names, np.array([labels[n].bias for n in names]), rows)
    return _STACKS[id(model)]


def save_model(model: EventModel, path: Path = MODEL_PATH) -> None:
    """Write the model as gzipped JSON, byte-for-byte the same for the same model (mtime 0)."""
    raw = json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")).encode()
    with open(path, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as packed:
        packed.write(raw)


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> EventModel:
    with gzip.open(path, "rt", encoding="utf-8") as packed:
        return EventModel.from_json(json.load(packed))


def multi_label(models: dict[str, LinearLabel], scores: dict[str, float], *, at_least_one: bool) -> list[str]:
    """Labels above their own threshold; with ``at_least_one``, the likeliest relative to its threshold if none."""
    chosen = [name for name, m in models.items() if scores[name] >= m.threshold]
    if not chosen and at_least_one and models:
        chosen = [max(models, key=lambda n: scores[n] / max(models[n].threshold, 1e-6))]
    return sorted(chosen)


# ---------------------------------------------------------------------------------------------
# Dates

MONTHS = {
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"), 1)},
    **{m: i for i, m in enumerate(("janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto",
                                   "setembro", "outubro", "novembro", "dezembro"), 1)},
    "setiembre": 9, "sept": 9, "sep": 9, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    **{d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{d: i for i, d in enumerate(("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"))},
    **{d: i for i, d in enumerate(("segunda-feira", "terca-feira", "quarta-feira", "quinta-feira", "sexta-feira"))},
    "segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4, "sabado": 5, "domingo": 6,
}
# Days before the article's date that an expression means.
RELATIVE_DAYS = {
    "today": 0, "this morning": 0, "this afternoon": 0, "tonight": 0, "this evening": 0, "hoy": 0,
    "esta manana": 0, "esta tarde": 0, "esta noche": 0, "hoje": 0, "nesta manha": 0, "esta manha": 0,
    "nesta tarde": 0, "nesta noite": 0, "hoje cedo": 0,
    "yesterday": 1, "last night": 1, "ayer": 1, "anoche": 1, "ontem": 1, "la vispera": 1, "na vespera": 1,
    "anteayer": 2, "antier": 2, "anteontem": 2, "day before yesterday": 2,
}
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:º|o)? de (" + "|".join(m for m in MONTHS if len(m) > 4) + r")\b")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?")
_WEEKDAY = re.compile(r"(?<![\w-])(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")(?![\w-])")
_RELATIVE = re.compile(r"(?<!\w)(" + "|".join(sorted(RELATIVE_DAYS, key=len, reverse=True)) + r")(?!\w)")
# "segunda"/"quinta" are also ordinals ("a segunda vez", "la quinta marcha"): a weekday only after these.
_PT_WEEKDAY_CUE = re.compile(r"(?:na|nesta|desta|ultima|nessa|esta|proxima) $")
_MULTI_DAY = re.compile(r"\b(two|three|four|five|dos|tres|cuatro|cinco|dois|quatro|\d)[ -](?:day|dias|días)\b|"
                        r"\b(?:de|of) (dos|tres|cuatro|cinco|dois|quatro|\d) dias\b")
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
                  "dois": 2, "quatro": 4}


def _on_or_before(published: date, month: int, day: int) -> date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= published + timedelta(days=1):
            return candidate
    return None


def date_mentions(folded: str, published: date) -> list[tuple[int, date]]:
    """(position, date) of each date expression in folded text, resolved against the article's date.

    A weekday is the last such day on or before the article's date; a day and month without a year
    is the last one on or before it (the day after allowed: time zones).
    """
    found: list[tuple[int, date]] = []
    for m in _RELATIVE.finditer(folded):
        found.append((m.start(), published - timedelta(days=RELATIVE_DAYS[m.group(1)])))
    for m in _WEEKDAY.finditer(folded):
        word = m.group(1)
        if word in ("segunda", "terca", "quarta", "quinta", "sexta") and not _PT_WEEKDAY_CUE.search(
                folded[max(0, m.start() - 8):m.start()]):
            continue
        back = (published.weekday() - WEEKDAYS[word]) % 7
        found.append((m.start(), published - timedelta(days=back)))
    for m in _DAY_MONTH.finditer(folded):
        resolved = _on_or_before(published, MONTHS[m.group(2)], int(m.group(1)))
        if resolved:
            found.append((m.start(), resolved))
    for m in _MONTH_DAY.finditer(folded):
        if m.group(1) == "may" and not m.group(3):
            continue  # the verb
        if m.group(3):
            try:
                found.append((m.start(), date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))))
            except ValueError:
                pass
            continue
        resolved = _on_or_before(published, MONTHS[m.group(1)], int(m.group(2)))
        if resolved:
            found.append((m.start(), resolved))
    return sorted(found)


# A line citing publications ("the new york times, august 6, 1994, saturday, ... 736 words"): its dates
# and weekdays are the reports', not the event's.
_CITATION = re.compile(
    r"\b\d+ words\b|\bedition\b|\bpg\. |\bpage [a-z]?\d|\bsection [a-z0-9]\b|"
    # a publication's date as a dateline gives it: "february 16, 1990, friday"
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2},? "
    r"\d{4},? (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    # wire services and monitoring digests, named in citation lines
    r"\b(?:bbc summary of world broadcasts|bbc monitoring|agence france[- ]presse|xinhua|associated press|"
    r"deutsche presse|inter press service|reuters|agencia efe|efe news|notimex|europa press|ips-inter press)\b",
    re.IGNORECASE)


def citations(text: str) -> set[str]:
    """The sentences of ``text`` that stand in citation lines."""
    return {s for line in text.splitlines() if _CITATION.search(line) for s in sentences(line)}


NO_DATE_LAG_DAYS = 1


def event_dates(event_sentences: Sequence[str], published: date | None) -> tuple[date | None, date | None, str | None]:
    """Start, end and the sentence the start came from: the first date named in a sentence that
    reports the protest, else in any sentence, else the day before the article's."""
    if published is None:
        return None, None, None
    for sentence in event_sentences:
        folded = fold(sentence)
        mentions = [d for _, d in date_mentions(folded, published) if d <= published + timedelta(days=1)]
        if mentions:
            start = mentions[0]
            length = _MULTI_DAY.search(folded)
            days = 1
            if length:
                token = length.group(1) or length.group(2)
                days = int(token) if token.isdigit() else _SMALL_NUMBERS.get(token, 1)
            return start, max(start + timedelta(days=days - 1), min(mentions[-1], published)), sentence
    # No date named: reports come out on the event's day or the next (on the MM training rows the
    # event is the day before the report as often as the same day), so the day before is nearest both.
    before = published - timedelta(days=NO_DATE_LAG_DAYS)
    return before, before, None


# ---------------------------------------------------------------------------------------------
# Participants

NUMBER_WORDS = {
    "a dozen": 12, "dozen": 12, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "one hundred": 100, "a hundred": 100, "two hundred": 200, "three hundred": 300, "four hundred": 400,
    "five hundred": 500, "a thousand": 1000, "one thousand": 1000, "two thousand": 2000,
    "three thousand": 3000, "five thousand": 5000, "ten thousand": 10000,
    "cincuenta": 50, "cinquenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "oitenta": 80,
    "cien": 100, "cem": 100, "cento": 100, "doscientos": 200, "duzentos": 200, "trescientos": 300,
    "trezentos": 300, "quinientos": 500, "quinhentos": 500, "mil": 1000, "dos mil": 2000, "dois mil": 2000,
    "tres mil": 3000, "tres mil ": 3000, "cinco mil": 5000, "diez mil": 10000, "dez mil": 10000,
}
# Crowd phrases and the estimate taken for them (MM's coders read "thousands" as 2000-4999).
CROWD_PHRASES = {
    "dozens": 60, "scores of": 100, "decenas de": 60, "dezenas de": 60, "una veintena": 20, "varias decenas": 60,
    "hundreds": 300, "centenares": 300, "cientos de": 300, "centenas de": 300, "centenares de": 300,
    "several hundred": 300, "varios cientos": 300, "algunos cientos": 300,
    "thousands": 3000, "miles de": 3000, "milhares": 3000, "several thousand": 3000, "varios miles": 3000,
    "algunos miles": 3000, "mais de mil": 1000, "mas de mil": 1000,
    "tens of thousands": 20000, "decenas de miles": 20000, "dezenas de milhares": 20000,
    "decenas de millares": 20000, "hundreds of thousands": 200000, "cientos de miles": 200000,
    "centenares de miles": 200000, "centenas de milhares": 200000, "millions": 1000000, "millones de": 1000000,
    "milhoes de": 1000000, "una multitud": 1000, "uma multidao": 1000, "multitudinaria": 5000,
}
MULTIPLIERS = {"thousand": 1000, "mil": 1000, "million": 1000000, "millones": 1000000, "millon": 1000000,
               "milhoes": 1000000, "milhao": 1000000}
PEOPLE = tuple({"people", "persons", "protesters", "protestors", "demonstrators", "marchers", "strikers",
                "personas", "pessoas", "manifestantes", "huelguistas", "grevistas", "participantes", "participants",
                "supporters", "simpatizantes", "activists", "activistas", "ativistas", "members", "miembros",
                "membros", "afiliados", "militantes", "opponents", "rioters", "marcharon", "marcharam",
                "gathered", "rallied", "took part", "participaron", "participaram", "se reunieron", "reuniu",
                "joined", "protested", "protestaron", "protestaram", "marched", "se manifestaron",
                *(w.strip() for words in ACTOR_TYPES.values() for w in words)})
# Numbers of these are not the crowd.
NOT_CROWD = ("arrest", "detain", "detenid", "detid", "presos", "killed", "dead", "muert", "mortos", "injur",
             "herid", "ferid", "wounded", "police", "polic", "soldier", "soldad", "troops", "agentes", "officers",
             "year", "ano", "anos", "percent", "por ciento", "por cento", "%", "words", "km", "kilomet", "miles ",
             "hours", "horas", "days", "dias", "pesos", "dollars", "dolares", "reais", "soles", "bolivares")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?:\s*(thousand|million|mil|millones|"
                     r"millon|milhoes|milhao)\b)?")
_PHRASES = re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in sorted(
    {**CROWD_PHRASES, **NUMBER_WORDS}, key=len, reverse=True)) + r")(?!\w)")


_POPULATION = re.compile(r"(?:nation|country|city|population|pais|poblacion|populacao|habitantes|of|de)\s*$")
PREFER_LARGEST = False  # the first figure reported, not the largest (which is often members or population)


def participant_category(estimate: int) -> str | None:
    """MM's crowd size category of an estimate (None below 50: MM codes protests of 50 or more)."""
    for low, name in ((10001, ">10000"), (5000, "5000-10000"), (2000, "2000-4999"), (1000, "1000-1999"),
                      (100, "100-999"), (50, "50-99")):
        if estimate >= low:
            return name
    return None


def _parse_number(digits: str, multiplier: str | None) -> int:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        value = float(re.sub(r"[.,]", "", digits))
    else:
        value = float(digits.replace(",", "."))
    return int(value * MULTIPLIERS.get(multiplier or "", 1))


def _is_crowd(after: str, before: str) -> bool:
    """Whether the words after a number name people who protest (not arrests, deaths, years...)."""
    head = after.lstrip(" ,")[:40]
    if head.startswith(NOT_CROWD) or re.match(r"(?:de |of )?(?:los |las |the )?(?:" + "|".join(NOT_CROWD[:16]) + ")",
                                               head):
        return False
    if re.search(r"(?:arrest\w*|detain\w*|detuv\w*|detid\w*|prend\w*|killed|mat\w+|wounded|injured|herid\w*|"
                 r"ferid\w*)(?:\s+(?:a|at least|al menos|unos|unas|some|about|cerca de))?\s*$", before):
        return False
    return head.startswith(PEOPLE) or bool(re.match(r"(?:\w+ ){0,2}(?:" + "|".join(
        re.escape(p) for p in ("people", "protesters", "demonstrators", "personas", "pessoas", "manifestantes",
                               "workers", "trabajadores", "trabalhadores", "students", "estudiantes", "estudantes",
                               "marchers", "strikers", "members", "supporters", "teachers", "maestros", "docentes",
                               "farmers", "campesinos", "indigenous", "indigenas", "residents", "vecinos"))
        + ")", head))


@dataclass(frozen=True, kw_only=True)
class Participants:
    text: str | None  # as the article puts it: "miles de personas", "200"
    estimate: int | None
    category: str | None
    sentence: str | None
    method: str  # "number", "phrase" or "model" (no figure given: the crowd-size model's guess)


def participants_in(event_sentences: Sequence[str]) -> Participants | None:
    """The largest crowd figure the text gives, as a number or a phrase ("miles", "hundreds")."""
    best: tuple[int, str, str, str] | None = None
    for sentence in event_sentences:
        folded = fold(sentence)
        for m in _NUMBER.finditer(folded):
            digits = m.group(1)
            if re.fullmatch(r"(19|20)\d\d", digits) and not m.group(2):
                continue  # a year
            if not _is_crowd(folded[m.end():], folded[max(0, m.start() - 30):m.start()]):
                continue
            value = _parse_number(digits, m.group(2))
            if value >= 1_000_000 and _POPULATION.search(folded[max(0, m.start() - 30):m.start()]):
                continue  # "a nation of 7 million people"
            if value >= 10 and (best is None or (PREFER_LARGEST and value > best[0])):
                best = (value, m.group(0), sentence, "number")
        for m in _PHRASES.finditer(folded):
            phrase = m.group(1)
            value = CROWD_PHRASES.get(phrase) or NUMBER_WORDS[phrase]
            if phrase in NUMBER_WORDS:
                tail = folded[m.end():]
                more = re.match(r"\s*(thousand|mil)\b", tail)
                if more:
                    value *= 1000
                    tail = tail[more.end():]
                if not _is_crowd(tail, folded[max(0, m.start() - 30):m.start()]):
                    continue
            elif phrase.startswith(("una multitud", "uma multidao", "multitudinaria")):
                pass
            elif not _is_crowd(folded[m.end():], "") and not re.match(r"\s*(?:of|de)\b", folded[m.end():]):
                continue
            if best is None or (PREFER_LARGEST and value > best[0]):
                best = (value, phrase, sentence, "phrase")
    if best is None:
        return None
    value, text, sentence, method = best
    return Participants(text=text, estimate=value, category=participant_category(value) or "50-99",
                        sentence=sentence, method=method)


# ---------------------------------------------------------------------------------------------
# Towns the gazetteer does not hold

# "the town of Rabinal", "el municipio de Ocosingo", "a cidade de Oyón": what follows names the place,
# whatever its size (the gazetteer holds cities of 50,000 people or more; MM's locations include villages).
# Not "city of": cities that size are in the gazetteer, and "ciudad de Guatemala" names the capital.
_TOWN = re.compile(r"\b(?:town|village|municipality|community|hamlet|pueblo|municipio|localidad|comunidad|poblado|"
                   r"povoado|vila|comunidade) "
                   r"(?:of|de|do|da) ((?:(?:de|del|la|las|los|el|san|santa|santo|sao|do|da|dos) )?[a-z][a-z'-]+"
                   r"(?: (?:(?:de|del|la|el|los|do|da) )?[a-z][a-z'-]+){0,2})")
# Words that end a town's name: it is then followed by the rest of the sentence.
_NAME_STOP = frozenset((
    "on", "in", "at", "to", "and", "are", "is", "was", "were", "have", "has", "had", "yesterday", "today", "after",
    "where", "when", "which", "who", "that", "for", "with", "from", "by", "near", "about", "as", "but", "the", "a",
    "en", "y", "e", "con", "que", "para", "por", "el", "la", "los", "las", "no", "na", "em", "com", "ao", "os", "as",
    "hoy", "ayer", "ontem", "hoje", "este", "esta", "said", "says", "last", "this", "during", "against", "over",
    "protest", "protesters", "police", "residents", "blocked", "marched", "demanded", "again", "clash", "clashed",
    "clashes", "where", "while", "then", "also", "again", *WEEKDAYS, *MONTHS,
))


def town_named(event_sentences: Sequence[str]) -> tuple[str | None, str | None]:
    """A place the text calls a town, village or municipality ("the town of Rabinal"), and its sentence."""
    for sentence in event_sentences:
        folded = fold(sentence)
        for m in _TOWN.finditer(folded):
            words = m.group(1).split()
            kept: list[str] = []
            for word in words:
                if word in _NAME_STOP and not (kept and word in ("de", "del", "la", "el", "do", "da", "los")):
                    break
                kept.append(word)
            while kept and kept[-1] in ("de", "del", "la", "el", "do", "da", "los"):
                kept.pop()
            if not kept or kept[0] in _NAME_STOP:
                continue
            start = m.start(1)
            name = " ".join(kept)
            if len(folded) == len(sentence):  # folding kept the lengths: give the place as written
                name = sentence[start:start + len(name)]
            return (name if name[:1].isupper() else name.title()), sentence
    return None, None


# ---------------------------------------------------------------------------------------------
# Actors and demand text

_NAMED_TAIL = re.compile(r"\s+(?:(?:de|da|do|del|de la|de los|das|dos|of the|of|from the|from)\s+)?"
                         r"((?:[A-ZÁÉÍÓÚÑÇ][\wÁÉÍÓÚÑÇáéíóúñçãõâêô.-]*\s?){1,5})")


@dataclass(frozen=True, kw_only=True)
class Actor:
    name: str  # as named: "docentes de la CTERA", "caminhoneiros"
    type: str
    sentence: str


def actors_in(event_sentences: Sequence[str], limit: int = 4) -> list[Actor]:
    """The protester groups named, with their type, in order of first mention (one per type and name)."""
    found: list[Actor] = []
    seen: set[str] = set()
    for sentence in event_sentences:
        folded = fold(sentence)
        for m in _ACTORS.finditer(folded):
            kind = _ACTOR_TYPE[m.group(0)]
            # Folding keeps lengths for the text we see (accents are one mark each); cut from the original.
            start, end = m.start(), m.end()
            end = end + len(re.match(r"\w*", folded[end:]).group(0))  # type: ignore[union-attr]
            name = sentence[start:end] if len(folded) == len(sentence) else folded[start:end]
            tail = _NAMED_TAIL.match(sentence[end:]) if len(folded) == len(sentence) else None
            if tail:
                name = (name + sentence[end:end + tail.end()]).strip()
            key = fold(name)
            if key in seen or (kind == "other" and any(a.type != "other" for a in found)):
                continue
            seen.add(key)
            found.append(Actor(name=name, type=kind, sentence=sentence))
    return ([a for a in found if a.type != "other"] or found[:1])[:limit]


_DEMAND_CUE = re.compile(r"(?<!\w)(?:exig\w*|reclam\w*|pid\w+|piden|demand\w*|call\w* for|against|contra|"
                         r"in protest (?:of|against|at)|to protest|para protestar|en rechazo a|en protesta por|"
                         r"em protesto contra|por (?:el|la|los|las|un|una|mejores|mais|mayores)|pelo|pela|"
                         r"en defensa de|em defesa d[aeo]s?|in defen[cs]e of|over|for)\s", re.IGNORECASE)


def demand_text(event_sentences: Sequence[str]) -> tuple[str | None, str | None]:
    """What the protesters asked for, as the text states it, and its sentence."""
    for strong in (True, False):
        for sentence in event_sentences:
            for m in _DEMAND_CUE.finditer(sentence):
                cue = m.group(0).strip().lower()
                if strong != (cue not in ("over", "for", "por el", "por la", "por los", "por las", "por un",
                                          "por una", "pelo", "pela")):
                    continue
                stated = re.split(r"[,;:.]\s|\s(?:y|e|and)\s(?:la|el|a|o|the)\s(?:polic|gobierno|governo)",
                                  sentence[m.start():])[0]
                return stated[:160].strip(), sentence
    return None, None


# ---------------------------------------------------------------------------------------------
# The record


@dataclass(frozen=True, kw_only=True)
class Evidence:
    value: str | None
    sentence: str | None


@dataclass(frozen=True, kw_only=True)
class EventRecord:
    start: date | None
    end: date | None
    country: Evidence
    admin1: Evidence
    city: Evidence
    actors: list[Actor]
    action_types: list[str]
    demands: list[str]
    demand_text: str | None
    participants: Participants | None
    state_response: list[str]
    protester_violence: bool
    sentences: dict[str, list[str]]  # field -> the sentences it came from

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data


def _cued_sentences(all_sentences: Sequence[str], groups: Iterable[str], limit: int = 3) -> list[str]:
    wanted = set(groups)
    return [s for s in all_sentences if wanted & set(cue_groups(fold(s)))][:limit]


def _place_sentence(all_sentences: Sequence[str], name: str | None) -> str | None:
    if not name:
        return None
    key = fold(name)
    return next((s for s in all_sentences if key in fold(s)), None)


def _country_sentence(all_sentences: Sequence[str], signals: list[str], country: str | None) -> str | None:
    if not country:
        return None
    for signal in signals:
        key, _, rest = signal.partition(" -> ")
        if rest.startswith(country):
            found = _place_sentence(all_sentences, key)
            if found:
                return found
    return None


def code_event(
    title: str, text: str, *, language: str | None = None, published: date | None = None,
    outlet_country: str | None = None, model: EventModel | None = None,
) -> EventRecord:
    """The event record of one protest article (es/pt/en). ``published``: the article's own date,
    against which "ayer", "ontem", "this morning" and weekday names are resolved."""
    body = text[:BODY_CHARS]
    language = language or detect_language(f"{title}\n{body[:1000]}")
    model = (model or load_model()).for_language(language)
    all_sentences = ([title.strip()] if title.strip() else []) + sentences(body)
    folded = fold(f"{title}\n{body}")
    found = features(folded, language)
    protest = classify_protest(title, body, language)
    action_sentences = [s for s in all_sentences if classify_protest("", s).protest_types] or all_sentences
    cited = citations(body)
    dated = [s for s in action_sentences + all_sentences if s not in cited]
    start, end, date_sentence = event_dates(dated, published)
    geo = geotag(title, body, outlet_country=outlet_country)
    country = geo.event_country
    city = next((p for p in geo.places if p.kind == "city" and p.country == country), None)
    admin1_name = city.admin1 if city and city.admin1 else next(
        (p.name for p in geo.places if p.kind == "admin1" and p.country == country), None)
    town, town_sentence = town_named([s for s in action_sentences + all_sentences if s not in cited])
    city_name = town if USE_TOWNS and town else (city.name if city else None)
    scores = model.probabilities(found)
    by_field: dict[str, dict[str, float]] = {}
    for (field_name, label), p in scores.items():
        by_field.setdefault(field_name, {})[label] = p
    demands = multi_label(model.demands, by_field["demands"], at_least_one=True)
    responses = multi_label(model.state_response, by_field["state_response"], at_least_one=True)
    if len(responses) > 1 and "ignore" in responses:
        responses.remove("ignore")  # MM's "ignore" means no other response
    violence = by_field["violence"]["violence"] >= model.violence.threshold
    crowd = participants_in(action_sentences) or participants_in(all_sentences)
    if crowd is None:
        # No figure given: the crowd-size model's likeliest category (MM's coders also guess from context).
        guess = max(by_field["participants"], key=lambda name: by_field["participants"][name], default=None)
        crowd = Participants(text=None, estimate=None, category=guess, sentence=None, method="model")
    stated, demand_sentence = demand_text(action_sentences)
    actor_list = actors_in(action_sentences)
    record_sentences = {
        "dates": [date_sentence] if date_sentence else [],
        "place": [s for s in dict.fromkeys([_place_sentence(all_sentences, city_name),
                                            _country_sentence(all_sentences, geo.signals, country)]) if s],
        "actors": list(dict.fromkeys(a.sentence for a in actor_list)),
        "action_types": action_sentences[:2],
        "demands": [demand_sentence] if demand_sentence else _cued_sentences(
            all_sentences, ("wage", "land", "police_brutality", "prices", "removal", "restrictions", "politics")),
        "participants": [crowd.sentence] if crowd.sentence else [],
        "state_response": _cued_sentences(all_sentences, ("teargas", "dispersal", "arrest", "beating", "shooting",
                                                          "killing", "accommodation")),
        "protester_violence": _cued_sentences(all_sentences, ("violent",)) if violence else [],
    }
    return EventRecord(
        start=start, end=end,
        country=Evidence(value=country, sentence=record_sentences["place"][-1] if record_sentences["place"] else None),
        admin1=Evidence(value=admin1_name, sentence=_place_sentence(all_sentences, admin1_name)),
        city=Evidence(value=city_name, sentence=_place_sentence(all_sentences, city_name)),
        actors=actor_list, action_types=protest.protest_types or classify_protest(title, body).protest_types,
        demands=demands, demand_text=stated, participants=crowd, state_response=responses,
        protester_violence=violence, sentences=record_sentences,
    )


# ---------------------------------------------------------------------------------------------
# One story, several reports


def _tally(values: Iterable[Any]) -> list[dict[str, Any]]:
    counts = Counter(json.dumps(v, ensure_ascii=False, sort_keys=True) for v in values if v not in (None, [], ""))
    return [{"value": json.loads(v), "reports": n} for v, n in counts.most_common()]


def merge_records(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One story's event: each field's most reported value, with every value's count of reports.

    ``records`` are ``EventRecord.to_json()`` of the story's articles; ``agreement`` maps a field
    to [{"value", "reports"}], most reported first (participants: 3 reports "miles", 1 "200").
    Ties go to the earliest report. Multi-label fields keep the labels half the reports or more give.
    """
    if not records:
        raise ValueError("a story has at least one report")
    n = len(records)

    def first_most(values: list[Any]) -> Any:
        counts = Counter(json.dumps(v, sort_keys=True) for v in values if v not in (None, "", []))
        if not counts:
            return None
        top = max(counts.values())
        return next(v for v in values if v not in (None, "", []) and counts[json.dumps(v, sort_keys=True)] == top)

    def labels(name: str) -> list[str]:
        counts = Counter(label for r in records for label in r.get(name) or [])
        return sorted(label for label, k in counts.items() if 2 * k >= n) or sorted(
            counts, key=lambda label: -counts[label])[:1]

    crowds = [r.get("participants") or {} for r in records]
    crowd = first_most([c if c.get("method") != "model" else None for c in crowds]) or first_most(crowds)
    agreement = {
        "start": _tally(r.get("start") for r in records),
        "end": _tally(r.get("end") for r in records),
        "country": _tally((r.get("country") or {}).get("value") for r in records),
        "admin1": _tally((r.get("admin1") or {}).get("value") for r in records),
        "city": _tally((r.get("city") or {}).get("value") for r in records),
        "participants": _tally(c.get("text") or c.get("category") for c in crowds),
        "participants_category": _tally(c.get("category") for c in crowds),
        "demands": _tally(label for r in records for label in r.get("demands") or []),
        "state_response": _tally(label for r in records for label in r.get("state_response") or []),
        "action_types": _tally(label for r in records for label in r.get("action_types") or []),
        "protester_violence": _tally(r.get("protester_violence") for r in records),
    }

    def evidence(name: str) -> dict[str, Any]:
        value = first_most([(r.get(name) or {}).get("value") for r in records])
        sentence = next(((r.get(name) or {}).get("sentence") for r in records
                         if (r.get(name) or {}).get("value") == value), None)
        return {"value": value, "sentence": sentence}

    actors: list[dict[str, Any]] = []
    for r in records:
        for actor in r.get("actors") or []:
            if fold(actor["name"]) not in {fold(a["name"]) for a in actors}:
                actors.append(actor)
    violent = sum(bool(r.get("protester_violence")) for r in records)
    sentences_by_field: dict[str, list[str]] = {}
    for r in records:
        for name, found in (r.get("sentences") or {}).items():
            sentences_by_field.setdefault(name, [])
            sentences_by_field[name] += [s for s in found if s not in sentences_by_field[name]]
    return {
        "start": first_most([r.get("start") for r in records]),
        "end": first_most([r.get("end") for r in records]),
        "country": evidence("country"), "admin1": evidence("admin1"), "city": evidence("city"),
        "actors": actors[:6],
        "action_types": labels("action_types"),
        "demands": labels("demands"),
        "demand_text": first_most([r.get("demand_text") for r in records]),
        "participants": crowd,
        "state_response": labels("state_response"),
        "protester_violence": 2 * violent >= n,
        "sentences": sentences_by_field,
        "reports": n,
        "agreement": agreement,
    }
