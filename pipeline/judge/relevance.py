"""Protest relevance: a calibrated logistic regression over stemmed words, scored without scikit-learn.

Features (all from ``text.words``, so punctuation, case and HTML leftovers change nothing):
 - stemmed unigrams, bigrams and gap pairs (two content words up to three words apart:
   "decidieron iniciar una retención" pairs "decid" with "retencion") of the headline (``t:``) and
   the lead (first ``LEAD_WORDS`` words, ``l:``); unigrams and bigrams of the body (``b:``, weighed
   down by its length);
 - lexicon cues (``c:``): which kinds of action, actors, context and other-sense words the
   headline, lead and body hold (``pipeline.judge.lexicon``), and how many distinct words of
   collective claims (``CLAIM_STEMS``) the headline with the lead, and the whole text, hold.
Weights come from ``scripts/train_relevance.py`` and live in ``data/relevance.json.gz``; the
raw score goes through a per-language Platt curve fitted on out-of-fold scores, so 0.5 is even odds.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.judge.lexicon import claim_words, placed_hits
from pipeline.judge.text import STEMMER_LANGUAGES, STOPWORDS, guess_language, stems, words

MODEL_FILE = Path(__file__).with_name("data") / "relevance.json.gz"
# Bump when the features change: a model file trained on other features is refused.
FEATURES_VERSION = 8
LEAD_WORDS = 60
HEADLINE_WORDS = 20  # text without a title: its first words stand in for one
BODY_WORDS = 1200  # the rest of a long article adds cost, rarely evidence
GAP = 3  # gap pairs: content words at most this many content words apart (adjacent ones are bigrams)
BODY_SCALE_WORDS = 60  # body features weigh sqrt(this / content words), at most 1
SIGNALS = 10
LENGTHS = ((15, "line"), (40, "paragraph"), (120, "short"), (400, "article"), (10**9, "long"))  # content words
CLAIM_BINS = (1, 2, 3, 5, 8, 12, 20)  # distinct claim words: 0, 1, 2, 3-4, 5-7, 8-11, 12-19, 20+
PLACE_NAMES = {"t": "title", "l": "lead", "b": "body", "c": "cue"}


@dataclass(frozen=True)
class Judgement:
    probability: float  # calibrated: 0.5 is even odds
    language: str
    # (readable feature, contribution to the log-odds before calibration), largest first
    contributions: list[tuple[str, float]]
    model_version: str


@dataclass(frozen=True)
class Features:
    language: str
    values: dict[str, float]
    surface: dict[str, str]  # stem -> a word of the text it came from, for readable signals
    cue_words: dict[str, str]  # cue feature -> the lexicon stem that set it first


def _ngrams(place: str, content: list[str], value: float, out: dict[str, float], gaps: bool = True) -> None:
    prefix = place + ":"
    names = [prefix + stem for stem in content]
    names += [f"{prefix}{a}_{b}" for a, b in zip(content, content[1:])]
    for distance in range(2, GAP + 1 if gaps else 2):
        names += [f"{prefix}{a}~{b}" for a, b in zip(content, content[distance:])]
    out.update(dict.fromkeys(names, value))


def _cues(place: str, hits: list[tuple[int, str, str, str]], out: dict[str, float], words_of: dict[str, str]) -> int:
    """Lexicon cue features of one part; returns how many action words it holds.

    Pairs of cues are features too, so the linear model can learn that an action word beside a
    sport or crime word ("el técnico protestó") means less, and beside an actor more."""
    actions = 0
    groups = set()
    for _, stem, group, kind in hits:
        groups.add(group)
        if group == "action":
            actions += 1
            names = [f"c:{place}:{kind}"]
        elif group in ("actor", "context"):
            names = [f"c:{place}:{group}"]
        elif group == "against":
            names = [f"c:{place}:against", f"c:against:{stem.replace(' ', '_')}"]
        else:
            continue
        for name in names:
            out[name] = 1.0
            words_of.setdefault(name, stem)
    if "action" in groups:
        for other in sorted(groups & {"actor", "context", "against"}):
            out[f"c:{place}:action&{other}"] = 1.0
    return actions


def _claim_bin(count: int) -> int:
    return sum(1 for edge in CLAIM_BINS if count >= edge)


def article_features(title: str, text: str, language: str | None = None) -> Features:
    """The model's features of one article (``language`` es/pt/en, guessed when missing)."""
    title_words = words(title)
    body_words = words(text)[:BODY_WORDS]
    if not title_words:
        title_words = body_words[:HEADLINE_WORDS]
    lang = language if language in STEMMER_LANGUAGES else guess_language(title_words + body_words)
    stops = STOPWORDS[lang]
    stemmed = stems(title_words + body_words, lang)
    surface = dict(zip(stemmed, title_words + body_words))
    title_stems, body_stems = stemmed[:len(title_words)], stemmed[len(title_words):]

    def content(tokens: list[str], stemmed_tokens: list[str]) -> list[str]:
        return [s for t, s in zip(tokens, stemmed_tokens) if t not in stops and len(t) > 1 and t != "0"]

    values: dict[str, float] = {}
    body_content = content(body_words, body_stems)
    # Gap pairs of the whole body would double the features for little: the lead states the action.
    _ngrams("b", body_content, min(1.0, math.sqrt(BODY_SCALE_WORDS / max(len(body_content), 1))), values, gaps=False)
    _ngrams("l", content(body_words[:LEAD_WORDS], body_stems[:LEAD_WORDS]), 1.0, values)
    _ngrams("t", content(title_words, title_stems), 1.0, values)
    body_hits = placed_hits(" ".join(body_words))
    lead_end = sum(len(word) + 1 for word in body_words[:LEAD_WORDS])
    cue_words: dict[str, str] = {}
    actions = _cues("t", placed_hits(" ".join(title_words)), values, cue_words)
    actions += _cues("l", [hit for hit in body_hits if hit[0] < lead_end], values, cue_words)
    body_actions = _cues("b", body_hits, values, cue_words)
    values[f"c:body_actions:{min(body_actions, 5)}"] = 1.0
    # How much text there is: a one-line blurb holds little evidence either way, so its prior is its own.
    values[f"c:length:{next(name for limit, name in LENGTHS if len(body_content) < limit)}"] = 1.0
    if not actions + body_actions:
        values["c:no_action_word"] = 1.0
    title_claims = {word for _, word in claim_words(" ".join(title_words))}
    body_claims = claim_words(" ".join(body_words))
    lead_claims = title_claims | {word for start, word in body_claims if start < lead_end}
    values[f"c:claim_words_lead:{_claim_bin(len(lead_claims))}"] = 1.0
    values[f"c:claim_words:{_claim_bin(len(lead_claims | {word for _, word in body_claims}))}"] = 1.0
    return Features(lang, values, surface, cue_words)


@dataclass(frozen=True)
class Model:
    version: str
    bias: float
    weights: dict[str, float]
    calibration: dict[str, tuple[float, float]]  # language (or "*") -> Platt slope, intercept

    def logit(self, features: Features) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) * value for name, value in features.values.items())

    def probability(self, logit: float, language: str) -> float:
        slope, intercept = self.calibration.get(language) or self.calibration["*"]
        z = slope * logit + intercept
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def model_from_json(data: dict) -> Model:
    if data.get("features_version") != FEATURES_VERSION:
        raise ValueError(f"model file made for features v{data.get('features_version')}, code has v{FEATURES_VERSION}")
    return Model(version=data["version"], bias=data["bias"], weights=data["weights"],
                 calibration={k: (v[0], v[1]) for k, v in data["calibration"].items()})


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return model_from_json(json.load(handle))


def readable(name: str, surface: dict[str, str], cue_words: dict[str, str] | None = None) -> str:
    """ "l:cort~rut" -> "lead: cortaron … ruta"; "c:t:strike" -> "cue title: strike [greve]"."""
    place, _, rest = name.partition(":")
    if place == "c":
        where, _, what = rest.partition(":")
        word = (cue_words or {}).get(name)
        text = f"cue {PLACE_NAMES.get(where, where)}: {what.replace('_', ' ')}" if what else f"cue: {where}"
        return f"{text} [{word}]" if word and word != what.replace("_", " ") else text
    for separator, joiner in (("~", " … "), ("_", " ")):
        if separator in rest:
            rest = joiner.join(surface.get(part, part) for part in rest.split(separator))
            break
    else:
        rest = surface.get(rest, rest)
    return f"{PLACE_NAMES.get(place, place)}: {rest}"


def _contributions(model: Model, features: Features) -> list[tuple[str, float]]:
    weights = model.weights
    return [(name, weights[name] * value) for name, value in features.values.items() if name in weights]


def top_contributions(model: Model, features: Features, count: int = SIGNALS,
                      parts: list[tuple[str, float]] | None = None) -> list[tuple[str, float]]:
    """The ``count`` features that moved the score most, readable, with their share of the log-odds."""
    parts = _contributions(model, features) if parts is None else parts
    top = heapq.nsmallest(count, parts, key=lambda part: (-abs(part[1]), part[0]))
    return [(readable(name, features.surface, features.cue_words), round(weight, 3)) for name, weight in top]


def judge(title: str, text: str, language: str | None = None, *, model: Model | None = None) -> Judgement:
    """How likely ``title`` + ``text`` reports collective action or social conflict (calibrated)."""
    model = model or load_model()
    features = article_features(title, text, language)
    parts = _contributions(model, features)
    probability = model.probability(model.bias + math.fsum(weight for _, weight in parts), features.language)
    return Judgement(round(probability, 4), features.language, top_contributions(model, features, parts=parts),
                     model.version)


def format_signals(contributions: Iterable[tuple[str, float]]) -> list[str]:
    """ "title: greve (+1.52)" for each contribution."""
    return [f"{name} ({weight:+.2f})" for name, weight in contributions]
