"""Offline training of the relevance model (needs scikit-learn: the ``train`` extra); never run at scoring time.

``train`` fits an L2 logistic regression on ``relevance.article_features``, picks its strength
by grouped cross-validation on the training data only, fits per-language Platt curves on the
out-of-fold scores and returns the model file's content. Inputs are sorted and every random
choice is seeded, so the same data gives the same weights.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.judge.relevance import FEATURES_VERSION, Features, article_features

SEED = 17
FOLDS = 5
# C of the logistic regression: a grid (--strengths 0.25 0.5 1 2 4) chose 1.0 on every data snapshot so far,
# so the default fits that alone (a quarter of the time on the shared machine).
STRENGTHS = (1.0,)
MIN_DOCUMENTS = 2  # a feature seen in fewer training articles is dropped
MIN_WEIGHT = 0.002  # smaller weights are pruned from the shipped file
CALIBRATION_MIN = 40  # a language needs this many items (and 8 of each class) for its own curve


@dataclass(frozen=True)
class Example:
    key: str  # copies of one article share it: they stay in one fold
    language: str
    title: str
    text: str
    label: bool
    weight: float = 1.0
    calibrate: bool = True  # whether its out-of-fold score fits the calibration (not for event summaries)
    # Features only training sees: a marker of a kind of text (event summaries, all positive) takes
    # up that kind's prior, so it does not leak into the bias, and never fires at scoring time.
    markers: tuple[str, ...] = ()


def _features(examples: Sequence[Example]) -> list[Features]:
    found = []
    for example in examples:
        features = article_features(example.title, example.text, example.language)
        features.values.update(dict.fromkeys(example.markers, 1.0))
        found.append(features)
    return found


def _matrix(features: list[Features], vocabulary: dict[str, int]):  # noqa: ANN202 - a scipy sparse matrix
    from scipy.sparse import csr_matrix

    rows, columns, values = [], [], []
    for row, feature in enumerate(features):
        for name, value in feature.values.items():
            column = vocabulary.get(name)
            if column is not None:
                rows.append(row)
                columns.append(column)
                values.append(value)
    return csr_matrix((values, (rows, columns)), shape=(len(features), len(vocabulary)))


def _vocabulary(features: list[Features]) -> dict[str, int]:
    counts = Counter(name for feature in features for name in feature.values)
    kept = sorted(name for name, count in counts.items() if count >= MIN_DOCUMENTS)
    return {name: index for index, name in enumerate(kept)}


def _fit(matrix, labels: list[int], weights: list[float], strength: float):  # noqa: ANN001, ANN202
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=strength, solver="liblinear", max_iter=5000, random_state=SEED, tol=1e-4)
    model.fit(matrix, labels, sample_weight=weights)
    return model


def _folds(examples: Sequence[Example]) -> list[tuple[list[int], list[int]]]:
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    labels = [int(e.label) for e in examples]
    groups = [e.key for e in examples]
    return [(list(a), list(b)) for a, b in splitter.split(list(range(len(examples))), labels, groups)]


def _log_loss(logits: list[float], labels: list[int], weights: list[float]) -> float:
    total = 0.0
    for z, y, w in zip(logits, labels, weights):
        p = min(max(1 / (1 + math.exp(-z)), 1e-9), 1 - 1e-9)
        total -= w * (y * math.log(p) + (1 - y) * math.log(1 - p))
    return total / sum(weights)


def out_of_fold_logits(examples: Sequence[Example], features: list[Features], strength: float) -> list[float]:
    """Each example's raw score from a model that never saw it (nor its copies)."""
    logits = [0.0] * len(examples)
    for train_rows, test_rows in _folds(examples):
        vocabulary = _vocabulary([features[i] for i in train_rows])
        fitted = _fit(_matrix([features[i] for i in train_rows], vocabulary),
                      [int(examples[i].label) for i in train_rows], [examples[i].weight for i in train_rows], strength)
        scores = fitted.decision_function(_matrix([features[i] for i in test_rows], vocabulary))
        for row, score in zip(test_rows, scores):
            logits[row] = float(score)
    return logits


def platt(logits: list[float], labels: list[int]) -> tuple[float, float]:
    """Slope and intercept of a logistic curve from raw scores to probabilities."""
    from sklearn.linear_model import LogisticRegression

    curve = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    curve.fit([[z] for z in logits], labels)
    return round(float(curve.coef_[0][0]), 6), round(float(curve.intercept_[0]), 6)


def calibration_curves(examples: Sequence[Example], logits: list[float]) -> dict[str, tuple[float, float]]:
    """Per-language Platt curves ("*" for all languages) from out-of-fold scores."""
    chosen = [(e.language, z, int(e.label)) for e, z in zip(examples, logits) if e.calibrate]
    curves = {"*": platt([z for _, z, _ in chosen], [y for _, _, y in chosen])}
    for language in sorted({lang for lang, _, _ in chosen}):
        rows = [(z, y) for lang, z, y in chosen if lang == language]
        positives = sum(y for _, y in rows)
        if len(rows) >= CALIBRATION_MIN and min(positives, len(rows) - positives) >= 8:
            curves[language] = platt([z for z, _ in rows], [y for _, y in rows])
    return curves


def train(
    examples: Sequence[Example], *, strengths: Sequence[float] = STRENGTHS, log=print  # noqa: ANN001
) -> tuple[dict, list[Example], list[float]]:
    """The model file's content (weights, bias, calibration, a version stamp) trained on ``examples``,
    with the examples in training order and their out-of-fold raw scores (for the report)."""
    examples = sorted(examples, key=lambda e: (e.key, e.title, e.text))
    features = _features(examples)
    labels = [int(e.label) for e in examples]
    weights = [e.weight for e in examples]
    best: tuple[float, float, list[float]] | None = None
    for strength in strengths:
        logits = out_of_fold_logits(examples, features, strength)
        loss = _log_loss(logits, labels, weights)
        log(f"  C={strength:<5} out-of-fold log loss {loss:.4f}")
        if best is None or loss < best[0] - 1e-9:
            best = (loss, strength, logits)
    assert best is not None
    _, strength, logits = best
    calibration = calibration_curves(examples, logits)
    vocabulary = _vocabulary(features)
    fitted = _fit(_matrix(features, vocabulary), labels, weights, strength)
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    markers = {marker for e in examples for marker in e.markers}
    kept = {name: round(float(w), 4) for name, w in zip(names, fitted.coef_[0])
            if abs(w) >= MIN_WEIGHT and name not in markers}
    content = {
        "features_version": FEATURES_VERSION,
        "bias": round(float(fitted.intercept_[0]), 4),
        "weights": dict(sorted(kept.items())),
        "calibration": {k: list(v) for k, v in sorted(calibration.items())},
        "strength": strength,
        "trained_on": dict(sorted(Counter(f"{e.language}:{int(e.label)}" for e in examples).items())),
    }
    stamp = hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    return {"version": f"relevance-{stamp}", **content}, examples, logits
