"""Classify stage: how likely an article reports collective action or social conflict, and which kind.

The score is the calibrated probability of the learned relevance model (``pipeline.judge.relevance``:
a logistic regression over stemmed words, headline, lead and lexicon cues; 0.5 is even odds and the
default threshold). The kinds of action (``protest_types``) are named by the lexicon
(``pipeline.judge.lexicon``); ``signals`` lists the features that moved the score most, with their weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.judge.lexicon import ACTION_STEMS, ACTOR_STEMS, NEGATIVE_STEMS, NEUTRAL_STEMS, action_types, lexicon_hits
from pipeline.judge.relevance import format_signals, judge
from pipeline.judge.text import words
from pipeline.types import ProtestAssessment

__all__ = ["ACTION_STEMS", "ACTOR_STEMS", "NEGATIVE_STEMS", "NEUTRAL_STEMS", "DEFAULT_THRESHOLD", "ClassifyOptions",
           "classify_protest"]

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, kw_only=True)
class ClassifyOptions:
    threshold: float = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError("threshold must be between 0 and 1")


def protest_types(title: str, text: str) -> list[str]:
    """The kinds of action the lexicon finds in the article (march, strike, blockade, claim...)."""
    return action_types(lexicon_hits(" ".join(words(title) + words(text))))


def classify_protest(
    title: str, text: str, language: str | None = None, *, options: ClassifyOptions = ClassifyOptions()
) -> ProtestAssessment:
    """Score ``title`` + ``text`` (es/pt/en; ``language`` picks the stemmer, guessed when missing)."""
    judgement = judge(title, text, language)
    is_protest = judgement.probability >= options.threshold
    return ProtestAssessment(
        protest=is_protest,
        protest_score=judgement.probability,
        protest_types=(protest_types(title, text) or ["protest"]) if is_protest else [],
        signals=format_signals(judgement.contributions),
        model_version=judgement.model_version,
    )
