"""Train the story model (pipeline/data/story_model.json): logistic weights over the similarity
features of ``pipeline.dedup.stories`` (Miranda et al. 2018), from the tuning halves of the sets.

    python scripts/train_stories.py            # rewrites pipeline/data/story_model.json
    python scripts/train_stories.py --dry-run  # prints the weights only

Examples are made as the store meets them: articles stored one by one in publication order, each
compared with the stories of its index candidates (the true stories so far, teacher-forced); the
label says whether the article belongs to that story. Every example is also given undated (its
time features unknown), so the model learns to place an article by its content alone.
Deterministic: the same sets give the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stories import (  # noqa: E402
    FIXTURE, FULLTEXT, FULLTEXT_PT, Item, MemoryStore, in_order, load_itn, load_same_event, split,
)
from pipeline.dedup.stories import (  # noqa: E402
    DEFAULT_STORY, FEATURES, MODEL_FILE, THREAD_FEATURES, Member, similarity_features, story_terms, story_vectors,
    thread_features,
)
from benchmarks.stories import load_pcsc  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / MODEL_FILE
L2 = 1.0


def examples(items: list[Item], level: str = "story") -> tuple[list[list[float]], list[int]]:
    """Teacher-forced examples of the story model (``level`` "story") or the thread model ("thread")."""
    store = MemoryStore(DEFAULT_STORY)
    first_of: dict[str, int] = {}
    rows: list[list[float]] = []
    labels: list[int] = []
    newest = max((i.published for i in items if i.published), default=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for item in in_order(items):
        terms = story_terms(item.title, item.text)
        vectors = story_vectors(terms, item.language, store.frequencies, store.documents)
        candidates = store.candidates(vectors, item.published)
        groups: dict[int, list[Member]] = {}
        for member in candidates:
            if level == "thread" or item.published is None or member.when is None or abs(
                    member.when - item.published) <= DEFAULT_STORY.window:
                groups.setdefault(member.story_id, []).append(member)
        for group_id, members in groups.items():
            label = int(first_of.get(item.gold if level == "story" else item.thread_gold) == group_id)
            for when in {item.published, None}:
                rows.append(similarity_features(vectors, when, members) if level == "story"
                            else thread_features(vectors, when, members))
                labels.append(label)
        article_id = len(store.members) + 1
        story = first_of.setdefault(item.gold if level == "story" else item.thread_gold, article_id)
        store.members[article_id] = Member(article_id, story, story, vectors, item.published)
        for key in vectors.keys:
            store.postings[key].append((item.published or newest, article_id))
        store.frequencies.update(terms.distinct())
        store.documents += 1
    return rows, labels


def fit(rows: list[list[float]], labels: list[int], l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    x, y = np.array(rows), np.array(labels, dtype=float)
    weights = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ weights))
        gradient = x.T @ (p - y) + penalty * weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def training_sets() -> dict[str, list[Item]]:
    sets = {"fixture": split(load_same_event(FIXTURE))["tune"], "itn": split(load_itn())["tune"]}
    if FULLTEXT.exists():
        sets["fulltext"] = split(load_same_event(FULLTEXT))["tune"]
    if FULLTEXT_PT.exists():
        sets["fulltext_pt"] = split(load_same_event(FULLTEXT_PT))["tune"]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    model: dict[str, object] = {}
    thread_sets = {"pcsc": split(load_pcsc())["tune"], "fixture": training_sets()["fixture"]}
    for level, features, sets in (("story", FEATURES, training_sets()), ("thread", THREAD_FEATURES, thread_sets)):
        rows: list[list[float]] = []
        labels: list[int] = []
        counts = {}
        for name, items in sets.items():
            more_rows, more_labels = examples(items, level)
            rows += more_rows
            labels += more_labels
            counts[name] = {"articles": len(items), "examples": len(more_labels), "positive": sum(more_labels)}
        weights = fit(rows, labels)
        model[level] = {"features": list(features), "weights": [round(float(w), 4) for w in weights],
                        "trained_on": counts, "l2": L2}
    print(json.dumps(model, indent=1))
    if not args.dry_run:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
