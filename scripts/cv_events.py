"""Grouped cross-validation of the event coder on the Mass Mobilization training rows only.

Run: .venv/bin/python scripts/cv_events.py [--class-weight FIELD=balanced ...] [--c-grid 0.1,0.3,1]

What settings and features are chosen on (docs/EVENTS.md): the training part of the frozen split
(benchmarks/events_data.py) is cut into 5 folds grouped by country and year (the id without its
protest number), so reports of one wave of protests never sit on both sides. Each fold's models
are fitted by ``scripts/train_events.py``'s ``train`` on the other four and the held fold is coded
and scored as the benchmark scores it. The frozen rows are never read.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.model_selection import GroupKFold  # noqa: E402

from benchmarks.events import scores  # noqa: E402
from benchmarks.events_data import mm_events, split  # noqa: E402
from pipeline.judge.events import code_event  # noqa: E402

FOLDS = 5


def _trainer():  # noqa: ANN202 - the script module
    spec = importlib.util.spec_from_file_location("train_events", ROOT / "scripts" / "train_events.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cross_validate(**options: object) -> dict[str, float]:
    """Each field's figure over the out-of-fold codings of all training rows."""
    trainer = _trainer()
    training, _ = split(mm_events())
    groups = [e.id[:-3] for e in training]
    coded: list[object] = [None] * len(training)
    for fit, held in GroupKFold(n_splits=FOLDS).split(training, groups=groups):
        model = trainer.train([training[i] for i in fit], **options)
        for i in held:
            e = training[i]
            coded[i] = code_event("", e.text, language=e.language, published=e.published, model=model)
    return {name: value for name, (value, _) in scores(training, coded).items()}  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--class-weight", action="append", default=[], metavar="FIELD=balanced")
    parser.add_argument("--c-grid", default=None)
    parser.add_argument("--joint", action="store_true", help="thresholds tuned together for micro-F1")
    args = parser.parse_args()
    options: dict[str, object] = {}
    if args.class_weight:
        options["class_weight"] = {k: (v if v != "none" else None)
                                   for k, v in (item.split("=") for item in args.class_weight)}
    if args.c_grid:
        options["c_grid"] = tuple(float(c) for c in args.c_grid.split(","))
    if args.joint:
        options["joint"] = True
    figures = cross_validate(**options)
    print(" ".join(f"{k}={v:.3f}" for k, v in figures.items()), options)


if __name__ == "__main__":
    main()
