"""Fit the event coder's linear models on the Mass Mobilization training rows; write the shipped weights.

Run: .venv/bin/python scripts/train_events.py [--output pipeline/judge/data/events_model.json.gz]

Needs the ``train`` extra (scikit-learn) and ../shared/corpora/events. Only the training part of the
frozen split is read (benchmarks/events_data.py: a quarter of the rows, by a hash of the row id, is
held out and written to benchmarks/events_eval_ids.txt). Per label: an L2 logistic regression on
the coder's features (pipeline.judge.events.features), its strength C chosen by 5-fold
cross-validation on the training rows, and its decision threshold set to the best F1 of the
out-of-fold probabilities (per-label calibration). Deterministic: the same data give the same file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402

from benchmarks.events_data import EVAL_IDS, GoldEvent, mm_events, split  # noqa: E402
from pipeline.judge.events import (  # noqa: E402
    DEMANDS, MODEL_PATH, PARTICIPANT_CATEGORIES, STATE_RESPONSES, EventModel, LinearLabel, features, save_model,
)
from vocabulary.folding import fold  # noqa: E402

MIN_DOCS = 2  # a feature seen in one training row only is noise
PRUNE = 0.05  # smaller weights change almost no decision; dropping them keeps the file small
C_GRID = (0.1, 0.3, 1.0)
# "balanced" or None, per field; chosen by grouped cross-validation on the training rows (scripts/cv_events.py).
CLASS_WEIGHT: dict[str, str | None] = {"demands": None, "state_response": None, "violence": None,
                                       "participants": None}
# Thresholds of a multi-label field (demands, state response) tuned together for its micro-F1 (True)
# or each for its own F1 (False); chosen by grouped cross-validation (scripts/cv_events.py).
JOINT_THRESHOLDS = True
THRESHOLDS = np.round(np.arange(0.1, 0.91, 0.05), 2)
SEED = 21


def _best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in THRESHOLDS:
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        f1 = 2 * tp / max(1.0, float(np.sum(pred) + np.sum(y == 1)))
        if f1 > best[1] + 1e-9:
            best = (float(t), f1)
    return best


def fit_label(x: object, y: np.ndarray, names: list[str], class_weight: str | None = None,
              c_grid: tuple[float, ...] = C_GRID) -> tuple[LinearLabel, float, np.ndarray]:
    """The label's model (C and threshold chosen by cross-validation), its out-of-fold F1 and
    out-of-fold probabilities."""
    if y.sum() < 5:  # too rare to learn: never predicted
        return LinearLabel(bias=-10.0, threshold=0.99, weights={}), 0.0, np.zeros(len(y))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    best: tuple[float, float, float] = (1.0, 0.5, -1.0)
    out_of_fold = np.zeros(len(y))
    for c in c_grid:
        model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, class_weight=class_weight)
        p = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
        threshold, f1 = _best_threshold(y, p)
        if f1 > best[2] + 1e-9:
            best, out_of_fold = (c, threshold, f1), p
    c, threshold, f1 = best
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, class_weight=class_weight).fit(x, y)
    weights = {names[i]: round(float(w), 4) for i, w in enumerate(model.coef_[0]) if abs(w) >= PRUNE}
    return LinearLabel(bias=round(float(model.intercept_[0]), 4), threshold=threshold, weights=weights), f1, out_of_fold


def _field_micro_f1(gold: np.ndarray, p: np.ndarray, thresholds: np.ndarray) -> float:
    """Micro-F1 of a multi-label field as the coder decides it: labels at or above their threshold,
    else the one likeliest relative to its threshold (pipeline.judge.events.multi_label)."""
    pred = p >= thresholds
    none = ~pred.any(axis=1)
    if none.any():
        pred[none, np.argmax(p[none] / np.maximum(thresholds, 1e-6), axis=1)] = True
    tp = float(np.sum(pred & gold))
    return 2 * tp / max(1.0, float(pred.sum() + gold.sum()))


def joint_thresholds(gold: np.ndarray, p: np.ndarray, start: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Per-label thresholds tuned together for the field's micro-F1 on out-of-fold probabilities
    (coordinate ascent from the per-label best-F1 thresholds): the calibration the benchmark scores."""
    thresholds = start.copy()
    best = _field_micro_f1(gold, p, thresholds)
    for _ in range(rounds):
        for j in range(p.shape[1]):
            if not gold[:, j].any():
                continue
            for t in THRESHOLDS:
                trial = thresholds.copy()
                trial[j] = t
                f1 = _field_micro_f1(gold, p, trial)
                if f1 > best + 1e-9:
                    best, thresholds = f1, trial
    return thresholds


def train(events: list[GoldEvent], *, cues_only: bool = False, class_weight: dict[str, str | None] | None = None,
          c_grid: tuple[float, ...] = C_GRID, joint: bool | None = None) -> EventModel:
    """The models on every feature, or (``cues_only``) on the language-neutral cue groups alone: what
    Spanish and Portuguese articles are scored with, as the training summaries are all English."""
    rows = [features(fold(e.text), e.language) for e in events]
    if cues_only:
        rows = [{k: v for k, v in row.items() if k.startswith("cue:")} for row in rows]
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    rows = [{k: v for k, v in row.items() if counts[k] >= MIN_DOCS} for row in rows]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(rows).tocsr()
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)  # liblinear wants 32-bit
    names = list(vectorizer.get_feature_names_out())
    report: dict[str, float] = {}
    weights = {**CLASS_WEIGHT, **(class_weight or {})}

    joint = JOINT_THRESHOLDS if joint is None else joint

    def labels(field: str, values: tuple[str, ...], gold: list[set[str]], multi: bool = True) -> dict[str, LinearLabel]:
        out, probabilities = {}, []
        truth = np.array([[value in g for value in values] for g in gold], dtype=bool)
        for j, value in enumerate(values):
            out[value], report[value], p = fit_label(x, truth[:, j].astype(int), names, weights[field], c_grid)
            probabilities.append(p)
        if multi and joint:
            tuned = joint_thresholds(truth, np.array(probabilities).T, np.array([out[v].threshold for v in values]))
            out = {v: LinearLabel(bias=out[v].bias, threshold=float(tuned[j]) if out[v].weights else out[v].threshold,
                                  weights=out[v].weights) for j, v in enumerate(values)}
        return out

    demands = labels("demands", DEMANDS, [set(e.demands) for e in events])
    responses = labels("state_response", STATE_RESPONSES, [set(e.state_response) for e in events])
    violence, report["violence"], _ = fit_label(x, np.array([e.violence for e in events], dtype=int), names,
                                             weights["violence"], c_grid)
    participants = labels("participants", PARTICIPANT_CATEGORIES, [{e.participants_category or ""} for e in events],
                          multi=False)
    meta = {"rows": len(events), "features": len(names), "sklearn": sklearn.__version__,
            "out_of_fold_f1": {k: round(v, 4) for k, v in report.items()}}
    return EventModel(demands=demands, state_response=responses, violence=violence, participants=participants,
                      meta=meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    training, held_out = split(mm_events())
    EVAL_IDS.write_text("".join(f"{e.id}\n" for e in sorted(held_out, key=lambda e: e.id)), encoding="utf-8")
    model = train(training)
    # Thresholds tuned together helped English by grouped CV; the cue-only models keep their own
    # per-label ones (no Spanish or Portuguese rows to choose on, and the written cases fell with it).
    neutral = train(training, cues_only=True, joint=False)
    model = EventModel(demands=model.demands, state_response=model.state_response, violence=model.violence,
                       participants=model.participants, meta=model.meta, other_languages=neutral)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, args.output)
    print(f"{len(training)} training rows, {len(held_out)} held out; {model.meta['features']} features")
    for name, f1 in model.meta["out_of_fold_f1"].items():
        print(f"  {name:30s} out-of-fold F1 {f1:.3f}   cues only {neutral.meta['out_of_fold_f1'][name]:.3f}")
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
