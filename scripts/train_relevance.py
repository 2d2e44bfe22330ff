"""Rebuild pipeline/judge/data/relevance.json.gz from the labelled data (benchmarks/relevance/).

Run from the checkout, with the train extra installed (pip install -e '.[train]'):
    .venv/bin/python scripts/train_relevance.py
Reads the shared texts in place from ../shared/corpora; records any newly arrived evaluation
ids in benchmarks/relevance/eval_ids.txt first (never removes one) and trains only on the rest.
Same data, same weights: inputs are sorted and every random choice is seeded.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.relevance_data import (  # noqa: E402
    Item, all_caps_headline, all_items, event_items, freeze_eval_ids, in_eval, shared_corpora, split,
    without_punctuation,
)
from pipeline.judge.relevance import MODEL_FILE, article_features, model_from_json  # noqa: E402
from pipeline.judge.training import STRENGTHS, Example, train  # noqa: E402

# Event summaries are all positives and short: they teach the English vocabulary of protest
# without swamping the articles; a marker feature takes up their all-positive prior, and they fit
# no calibration curve (their share of positives is not a real one).
EVENT_WEIGHT = 0.3
HEADLESS_WEIGHT = 0.5
# Positives are one article in ten: weighing them up sharpens the ranking where it matters (the
# Platt curve then puts the probabilities right again). Chosen by cross-validation F1.
POSITIVE_WEIGHT = 1.0  # the copy of an article without its headline, as archives without titles deliver it


def examples_of(item: Item) -> list[Example]:
    """The item, its headline-less copy, and its punctuation-free and all-caps-headline copies where
    they read differently (by construction they rarely do: the features ignore case and punctuation)."""
    base = Example(item.key, item.language, item.title, item.text, item.label)
    found = [base]
    seen = {frozenset(article_features(item.title, item.text, item.language).values.items())}
    for copy in (without_punctuation(item), all_caps_headline(item)):
        values = frozenset(article_features(copy.title, copy.text, copy.language).values.items())
        if values not in seen:
            seen.add(values)
            found.append(Example(item.key, copy.language, copy.title, copy.text, copy.label))
    if item.title.strip():
        found.append(Example(item.key, item.language, "", f"{item.title}. {item.text}", item.label,
                             HEADLESS_WEIGHT, calibrate=False))
    return found


def cross_validation_report(content: dict, examples: list[Example], logits: list[float]) -> None:
    """F1 at 0.5 of the calibrated out-of-fold scores per language (training part only: what
    choices are judged on, never the frozen evaluation set)."""
    model = model_from_json(content)
    for language in ("es", "pt", "en"):
        pairs = [(e.label, model.probability(z, language) >= 0.5)
                 for e, z in zip(examples, logits) if e.calibrate and e.language == language]
        tp = sum(1 for gold, guess in pairs if gold and guess)
        fp = sum(1 for gold, guess in pairs if not gold and guess)
        fn = sum(1 for gold, guess in pairs if gold and not guess)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"  cross-validation {language}: n={len(pairs)} positives={tp + fn} F1 at 0.5 = {f1:.3f} "
              f"(P={tp / max(tp + fp, 1):.3f} R={tp / max(tp + fn, 1):.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    parser.add_argument("--strengths", type=float, nargs="+", default=STRENGTHS,
                        help="values of C to choose from by cross-validation (default: %(default)s)")
    parser.add_argument("--positive-weight", type=float, default=POSITIVE_WEIGHT,
                        help="weight of a positive article against a negative one (chosen by cross-validation)")
    args = parser.parse_args()
    shared = shared_corpora()
    if shared is None:
        raise SystemExit("the corpora are not in ../shared/corpora (set PROTESTWIRE_SHARED)")
    items = all_items()
    events = event_items(shared, with_sources=False) + event_items(shared, with_sources=True)
    added = freeze_eval_ids(items + events)
    print(f"eval_ids.txt: {added} new evaluation ids recorded")
    training, evaluation = split(items)
    train_events, _ = split(events)
    print(f"articles: {len(training)} training, {len(evaluation)} frozen for evaluation; "
          f"events: {len(train_events)} training rows")
    print("  training by source/language/label:",
          dict(sorted(Counter(f"{i.source}/{i.language}/{int(i.label)}" for i in training).items())))
    examples = [replace(example, weight=example.weight * (args.positive_weight if example.label else 1.0))
                for item in training for example in examples_of(item)]
    examples += [Example(e.key, "en", e.title, e.text, True, EVENT_WEIGHT, calibrate=False,
                         markers=("c:event_summary",)) for e in train_events]
    print(f"examples with copies: {len(examples)}")
    content, ordered, logits = train(examples, strengths=args.strengths)
    cross_validation_report(content, ordered, logits)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.output, "wb", mtime=0) as handle:  # mtime=0: the same bytes every time
        handle.write(json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KiB, {len(content['weights'])} weights, "
          f"C={content['strength']}, {content['version']}); calibration {content['calibration']}")
    assert not any(in_eval(e) for e in train_events)


if __name__ == "__main__":
    main()
