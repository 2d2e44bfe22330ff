"""Protest relevance on the frozen evaluation set (benchmarks/relevance/eval_ids.txt), per language.

Run: .venv/bin/python -m benchmarks.relevance [--show-errors]   (needs the train extra for the TF-IDF baseline)

For es, pt and en, as written and with the punctuation stripped (and the headline in capitals):
precision, recall and F1 at the default threshold (0.5) with bootstrap 95% intervals, and the
calibration error (mean |mean score - share of positives| over five score bins, and ECE: the
same weighted by bin size), for the learned model (pipeline.judge.relevance) beside
 - the old hand-weighted lexicon (benchmarks/lexicon_v1.py, today's classify before issue 17),
 - a keyword count (old lexicon action words, at least k; k chosen on the training part),
 - TF-IDF + logistic regression (word uni/bigrams, balanced class weights, trained on the training part).
Then recall on the frozen quarter of the Mass Mobilization events (summary; source lines plus
summary), and the time per full article of the model (CPU time, one core).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.lexicon_v1 import keyword_count, lexicon_score
from benchmarks.relevance_data import (
    SOURCES, Item, all_caps_headline, all_items, event_items, in_eval, shared_corpora, split, without_punctuation,
)
from pipeline.judge.relevance import article_features, judge, load_model

LANGUAGES = ("es", "pt", "en")
BOOTSTRAP = 1000
SEED = 17
THRESHOLD = 0.5
FULL_ARTICLE_SOURCES = ("news", "pcsc", "written", "globalvoices", "extraction")
Scorer = Callable[[Item], float]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def prf(pairs: Sequence[tuple[bool, bool]]) -> Scores:
    tp = sum(1 for gold, guess in pairs if gold and guess)
    fp = sum(1 for gold, guess in pairs if not gold and guess)
    fn = sum(1 for gold, guess in pairs if gold and not guess)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def bootstrap(pairs: Sequence[tuple[bool, bool]]) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of P, R and F1 over resamples of the items."""
    rng = random.Random(SEED)
    samples = [prf([pairs[rng.randrange(len(pairs))] for _ in pairs]) for _ in range(BOOTSTRAP)]

    def interval(values: list[float]) -> tuple[float, float]:
        values = sorted(values)
        return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]

    return {name: interval([getattr(s, name) for s in samples]) for name in ("precision", "recall", "f1")}


def calibration(scored: Sequence[tuple[bool, float]]) -> tuple[float, float]:
    """(mean over non-empty fifths of |mean score - share positive|, the same weighted by bin size)."""
    bins: list[list[tuple[bool, float]]] = [[] for _ in range(5)]
    for gold, score in scored:
        bins[min(int(score * 5), 4)].append((gold, score))
    gaps = [(abs(sum(s for _, s in b) / len(b) - sum(g for g, _ in b) / len(b)), len(b)) for b in bins if b]
    return sum(g for g, _ in gaps) / len(gaps), sum(g * n for g, n in gaps) / max(len(scored), 1)


def keyword_threshold(training: list[Item]) -> int:
    """The keyword count from which an article is called relevant: the best F1 on the training part."""
    counts = [(item.label, keyword_count(item.title, item.text)) for item in training]
    return max(range(1, 8), key=lambda k: (prf([(g, c >= k) for g, c in counts]).f1, -k))


def tfidf_scorer(training: list[Item]) -> Scorer:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from pipeline.judge.text import words

    def text_of(item: Item) -> str:
        return " ".join(words(item.title + " " + item.text))

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    matrix = vectoriser.fit_transform([text_of(i) for i in training])
    # Balanced class weights: plain weights leave it almost nothing above 0.5 on rare positives.
    model = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced").fit(matrix, [int(i.label) for i in training])
    return lambda item: float(model.predict_proba(vectoriser.transform([text_of(item)]))[0][1])


def row(name: str, scored: list[tuple[bool, float]], threshold: float = THRESHOLD, with_ci: bool = True) -> str:
    pairs = [(gold, score >= threshold) for gold, score in scored]
    s = prf(pairs)
    text = f"    {name:22s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
    if with_ci:
        ci = bootstrap(pairs)
        text += "  95% CI " + " ".join(f"{k[0].upper()}[{lo:.2f},{hi:.2f}]" for k, (lo, hi) in ci.items())
    if all(0.0 <= score <= 1.0 for _, score in scored) and threshold == THRESHOLD:
        mean_gap, ece = calibration(scored)
        text += f"  cal.err={mean_gap:.3f} ECE={ece:.3f}"
    return text


def data_card(training: list[Item], evaluation: list[Item], events: int, frozen_events: int) -> None:
    """The counts table of docs/RELEVANCE.md (markdown)."""
    print("| source | language | training (positive) | evaluation (positive) |\n|---|---|---|---|")
    for source in SOURCES:
        for language in LANGUAGES:
            train = [i for i in training if (i.source, i.language) == (source, language)]
            held = [i for i in evaluation if (i.source, i.language) == (source, language)]
            if train or held:
                print(f"| {source} | {language} | {len(train)} ({sum(i.label for i in train)}) | "
                      f"{len(held)} ({sum(i.label for i in held)}) |")
    for language in LANGUAGES:
        train = [i for i in training if i.language == language]
        held = [i for i in evaluation if i.language == language]
        print(f"| **all** | **{language}** | {len(train)} ({sum(i.label for i in train)}) | "
              f"{len(held)} ({sum(i.label for i in held)}) |")
    print(f"| events (Mass Mobilization) | en | {events - frozen_events} (all) | {frozen_events} (all) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-errors", action="store_true", help="list the model's mistakes on the eval set")
    parser.add_argument("--data-card", action="store_true", help="print the data card's counts table and stop")
    args = parser.parse_args()
    shared = shared_corpora()
    if shared is None:
        raise SystemExit("the corpora are not in ../shared/corpora (set PROTESTWIRE_SHARED)")
    training, evaluation = split(all_items())
    if args.data_card:
        rows = event_items(shared, with_sources=False)
        data_card(training, evaluation, len(rows), sum(1 for e in rows if in_eval(e)))
        return
    model = load_model()
    k = keyword_threshold(training)
    tfidf = tfidf_scorer(training)
    scorers: dict[str, tuple[Scorer, float]] = {
        f"model {model.version[-12:]}": (lambda i: judge(i.title, i.text, i.language).probability, THRESHOLD),
        "old lexicon": (lambda i: lexicon_score(i.title, i.text), THRESHOLD),
        f"keyword count >= {k}": (lambda i: float(keyword_count(i.title, i.text)), float(k)),
        "tf-idf + logreg": (tfidf, THRESHOLD),
    }
    print(f"Frozen evaluation set: {len(evaluation)} articles ({sum(i.label for i in evaluation)} positive); "
          f"training part {len(training)}; model {model.version}")
    for language in LANGUAGES:
        items = [i for i in evaluation if i.language == language]
        sources = sorted({i.source for i in items})
        print(f"\n[{language}] n={len(items)} positives={sum(i.label for i in items)} sources={sources}")
        for variant, transform in (("as written", lambda i: i), ("no punctuation, CAPS headline",
                                                                  lambda i: all_caps_headline(without_punctuation(i)))):
            print(f"  {variant}")
            for name, (scorer, threshold) in scorers.items():
                if variant != "as written" and not name.startswith("model"):
                    continue
                scored = [(i.label, scorer(transform(i))) for i in items]
                print(row(name, scored, threshold))
        model_scored = [(i.label, judge(i.title, i.text, i.language).probability) for i in items]
        print("    model score bins (n, mean score, share positive): " + "  ".join(
            f"{low / 5:.1f}-{(low + 1) / 5:.1f}: {len(b)}, {sum(s for _, s in b) / len(b):.2f}, "
            f"{sum(g for g, _ in b) / len(b):.2f}" for low in range(5)
            if (b := [(g, s) for g, s in model_scored if min(int(s * 5), 4) == low])))
        for source in sources:  # our own written articles are easier than real ones: see each source
            part = [i for i in items if i.source == source]
            if sum(i.label for i in part):
                print(row(f"model, {source} only", [(i.label, judge(i.title, i.text, i.language).probability)
                                                    for i in part]) + f"  (n={len(part)}, {sum(i.label for i in part)} pos)")
        full = [i for i in items if i.source in FULL_ARTICLE_SOURCES]
        if len(full) != len(items):
            print(f"  full articles only (n={len(full)}, no one-line blurbs)")
            print(row("model", [(i.label, judge(i.title, i.text, i.language).probability) for i in full]))
    if args.show_errors:
        print("\nModel errors on the evaluation set")
        for item in evaluation:
            score = judge(item.title, item.text, item.language).probability
            if (score >= THRESHOLD) != item.label:
                print(f"  {'FN' if item.label else 'FP'} {score:.2f} {item.source} {item.language} {item.id} "
                      f"| {item.title[:90]}")
    print("\nMass Mobilization events, frozen quarter (all protests): recall at 0.5")
    for with_sources in (False, True):
        rows = [e for e in event_items(shared, with_sources=with_sources) if in_eval(e)]
        for name, (scorer, threshold) in scorers.items():
            if name.startswith("tf-idf"):
                continue
            hits = sum(1 for e in rows if scorer(e) >= threshold)
            label = "source lines + summary" if with_sources else "summary"
            print(f"  {label:24s} {name:22s} recall={hits / len(rows):.3f} ({hits}/{len(rows)})")
    full_articles = [i for i in evaluation if i.source in FULL_ARTICLE_SOURCES]
    for item in full_articles[:50]:  # warm the stemmer cache as a running crawler's would be
        judge(item.title, item.text, item.language)
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    for item in full_articles:
        judge(item.title, item.text, item.language)
    cpu = 1000 * (time.process_time() - started_cpu) / len(full_articles)
    wall = 1000 * (time.perf_counter() - started_wall) / len(full_articles)
    words_per = sum(len(article_features(i.title, i.text, i.language).surface) for i in full_articles[:1]) and sum(
        len((i.title + " " + i.text).split()) for i in full_articles) / len(full_articles)
    print(f"\nSpeed: {cpu:.2f} ms CPU ({wall:.2f} ms wall) per full article on one core, features + score + "
          f"signals; {len(full_articles)} articles of {words_per:.0f} words on average")
    from pipeline.judge.relevance import MODEL_FILE
    print(f"Model file: {MODEL_FILE.name} {MODEL_FILE.stat().st_size / 1024:.0f} KiB, {len(model.weights)} weights")


if __name__ == "__main__":
    main()
