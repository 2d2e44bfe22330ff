"""Article-extraction quality and speed: protestwire's extractor against trafilatura and readability-lxml.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--only body|eval|dates]

Extractors (rows). Each gets the raw page bytes and decodes them itself; each gets the page's URL
when the corpus records a real one (a ``.invalid`` placeholder otherwise), so URL-borne dates
count the same for everyone.
  ours               pipeline.extract.page.extract_article + pipeline.extract.normalise.normalise_article
                     (what gets stored); ``Dropped`` counts as empty output. Its time includes
                     its metadata, date and language passes: it is the whole extract stage.
  trafilatura        trafilatura.extract(html) with default options
  trafilatura fast   trafilatura.extract(html, fast=True)
  readability-lxml   readability.Document(html).summary(), as text via lxml text_content()
                     (with a newline after each block element so paragraphs do not fuse)

1. body: full-text ground truth, read in place under ../shared/corpora
   fundus (hand-checked paragraphs + sub-headlines; the standfirst "summary" is left out since
   the stored body is the story alone), newspaper4k (expected .txt, newspaper's own output),
   mozilla-readability-testpages (expected.html as text: Readability.js's own output, so it leans
   towards readability), globalvoices/pages (Media Cloud's extracted_text minus the headline), and
   zyte-article-extraction-benchmark when it has been staged. goose3 (first sentences only),
   trafilatura-eval (segments) and htmldate-dates (dates) are not full-text truth.
   Score: tokens re.findall(r"\\w+", text.lower()), 4-word shingles as multisets; per page
   precision = |extracted & truth| / |extracted|, recall = |extracted & truth| / |truth| (empty
   output: both 0); precision and recall are averaged over pages, F1 = 2PR/(P+R) of the averages;
   overall and per page language (es, pt, en, other). Pages whose truth has no shingle are skipped.
   Languages written without spaces (zh, ja, th) give few \\w+ tokens, so "other" is rough.
2. eval: trafilatura's own evaluation corpus (trafilatura-eval; tests/eval_common.py protocol): per
   page each "with" segment found in the whitespace-normalised output is a TP, missing a FN; each
   "without" segment found is a FP, absent a TN; summed over pages. All 990 annotated pages, and
   the 54 Spanish/Portuguese ones of evaldata_es_pt.json.
3. dates: exact calendar day of the publication date on htmldate-dates (MediaCloud 2020 + 4 es
   pages; the 5 NaN "no date" entries skipped) and on the dated es/pt pages of trafilatura-eval.
   Ours stores UTC, so "strict" compares published.date() and "tolerant" also accepts the day
   before when the UTC time is before 06:00 (an evening publication in the Americas). Baselines
   give a local calendar day, so their strict and tolerant figures are the same.
   A page ours drops for having no article text still counts with the date it gives
   (``Dropped.article``, what `protestwire extract` prints beside the error).
   Baselines: htmldate.find_date(html, original_date=True) and the "date" of
   trafilatura.extract(html, with_metadata=True, output_format="json").
4. speed: ms/page of each extractor over the same pages (body + eval pages), single process, after
   one warm-up call each, and the ratio ours / trafilatura.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import extraction_data as data  # noqa: E402
from benchmarks.extraction_data import REPORTED_LANGUAGES, BodyPage, DatePage, SegmentPage  # noqa: E402
from pipeline.extract.normalise import normalise_article  # noqa: E402
from pipeline.extract.page import ExtractOptions, extract_article  # noqa: E402
from pipeline.types import Dropped, ExtractedArticle  # noqa: E402

# readability-lxml logs a traceback for every page it cannot parse; those pages are scored as empty instead.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)

SHINGLE_SIZE = 4
# An evening story in UTC-3..UTC-6 lands on the next UTC day before this hour.
AMERICAS_EVENING_CUTOFF_HOUR = 6
WORST_PAGES_SHOWN = 10

TextExtractor = Callable[[bytes, str], str | None]


# --- extractors ---------------------------------------------------------------------------------


def real_url(url: str) -> str | None:
    return None if ".invalid/" in url else url


def ours_article(raw: bytes, url: str) -> ExtractedArticle:
    """What gets stored for the page; raises Dropped when there is no article."""
    return normalise_article(extract_article(raw, url))


def ours_text(raw: bytes, url: str) -> str | None:
    return ours_article(raw, url).body


def ours_quick_text(raw: bytes, url: str) -> str | None:
    return normalise_article(extract_article(raw, url, options=ExtractOptions(thorough=False))).body


def has_thorough_option() -> bool:
    return "thorough" in ExtractOptions.__dataclass_fields__


def trafilatura_text(raw: bytes, url: str) -> str | None:
    import trafilatura

    return trafilatura.extract(raw, url=real_url(url))


def trafilatura_fast_text(raw: bytes, url: str) -> str | None:
    import trafilatura

    return trafilatura.extract(raw, url=real_url(url), fast=True)


def readability_text(raw: bytes, url: str) -> str | None:
    from readability import Document

    summary = Document(raw, url=real_url(url)).summary()
    return data.html_to_text(summary) if summary.strip() else None


TEXT_EXTRACTORS: dict[str, TextExtractor] = {
    "ours": ours_text,
    "trafilatura": trafilatura_text,
    "trafilatura fast": trafilatura_fast_text,
    "readability-lxml": readability_text,
}
if has_thorough_option():
    # ExtractOptions.thorough=False skips trafilatura's fallback extractors; its cost/benefit is shown here.
    TEXT_EXTRACTORS["ours (thorough=False)"] = ours_quick_text


@dataclass(frozen=True)
class Outcome:
    text: str | None
    seconds: float
    failure: str | None = None  # "dropped: no-text", "error: ValueError", ...


def run_text_extractor(extractor: TextExtractor, raw: bytes, url: str) -> Outcome:
    """Output and wall time of one call; a drop or a crash is empty output, as in production."""
    start = time.perf_counter()
    try:
        text = extractor(raw, url)
        failure = None if text else "empty"
    except Dropped as dropped:
        text, failure = None, f"dropped: {dropped.reason}"
    except Exception as error:  # noqa: BLE001 - a crashing baseline is scored, not fatal
        text, failure = None, f"error: {type(error).__name__}"
    return Outcome(text, time.perf_counter() - start, failure)


@dataclass
class Timings:
    """Seconds per extractor over the pages every extractor saw."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    pages: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, outcome: Outcome) -> None:
        self.seconds[name] += outcome.seconds
        self.pages[name] += 1

    def ms_per_page(self, name: str) -> float:
        return 1000 * self.seconds[name] / self.pages[name] if self.pages[name] else float("nan")


def warm_up(raw: bytes, url: str) -> None:
    # First calls load lxml/htmldate/charset caches; keep that out of the per-page times.
    for extractor in TEXT_EXTRACTORS.values():
        run_text_extractor(extractor, raw, url)


# --- 1. body F1 ---------------------------------------------------------------------------------


def shingles(text: str | None) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", (text or "").lower())
    return Counter(tuple(tokens[i:i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1))


def precision_recall(extracted: str | None, truth: Counter[tuple[str, ...]]) -> tuple[float, float]:
    found = shingles(extracted)
    if not found:
        return 0.0, 0.0
    overlap = sum((found & truth).values())
    return overlap / sum(found.values()), overlap / sum(truth.values())


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class PageScore:
    page: BodyPage
    precision: float
    recall: float
    failure: str | None

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def averaged(scores: Sequence[PageScore]) -> tuple[float, float, float]:
    """(P, R, F1) with P and R averaged over pages and F1 taken from the averages."""
    if not scores:
        return float("nan"), float("nan"), float("nan")
    precision = sum(s.precision for s in scores) / len(scores)
    recall = sum(s.recall for s in scores) / len(scores)
    return precision, recall, f1(precision, recall)


def score_body(pages: Sequence[BodyPage], timings: Timings) -> dict[str, list[PageScore]]:
    scores: dict[str, list[PageScore]] = {name: [] for name in TEXT_EXTRACTORS}
    for page in pages:
        truth = shingles(page.truth)
        for name, extractor in TEXT_EXTRACTORS.items():
            outcome = run_text_extractor(extractor, page.raw, page.url)
            timings.add(name, outcome)
            scores[name].append(PageScore(page, *precision_recall(outcome.text, truth), outcome.failure))
    return scores


def report_body(pages: Sequence[BodyPage], skipped: int, scores: dict[str, list[PageScore]]) -> None:
    print("\n== 1. Body text: 4-word-shingle P/R/F1 against full-text ground truth ==")
    per_set = Counter((p.corpus, p.language) for p in pages)
    for corpus in dict.fromkeys(p.corpus for p in pages):
        counts = ", ".join(f"{lang} {per_set[corpus, lang]}" for lang in (*REPORTED_LANGUAGES, "other")
                           if per_set[corpus, lang])
        print(f"  set {corpus}: {sum(per_set[corpus, l] for l in (*REPORTED_LANGUAGES, 'other'))} pages ({counts})")
    if not data.ZYTE.is_dir():
        print(f"  set zyte-article-extraction-benchmark: not staged at {data.ZYTE} "
              "(listed in ES_PT_PAGES_INDEX.tsv), so not used")
    for corpus, why in data.BODY_SETS_LEFT_OUT.items():
        print(f"  left out {corpus}: {why}")
    if skipped:
        print(f"  skipped {skipped} page(s) whose ground truth has no 4-word shingle")
    languages = [lang for lang in (*REPORTED_LANGUAGES, "other") if any(p.language == lang for p in pages)]
    by_language = Counter(p.language for p in pages)
    header = ["extractor", "P", "R", "F1", "empty"] + [f"F1 {lang} (n={by_language[lang]})" for lang in languages]
    rows = []
    for name, page_scores in scores.items():
        precision, recall, overall = averaged(page_scores)
        empty = sum(1 for s in page_scores if s.failure)
        per_language = [averaged([s for s in page_scores if s.page.language == lang])[2] for lang in languages]
        rows.append([name, f"{precision:.3f}", f"{recall:.3f}", f"{overall:.3f}", str(empty),
                     *(f"{value:.3f}" for value in per_language)])
    print_table(header, rows, title=f"{len(pages)} pages")
    report_body_per_set(pages, scores)


def report_body_per_set(pages: Sequence[BodyPage], scores: dict[str, list[PageScore]]) -> None:
    corpora = list(dict.fromkeys(p.corpus for p in pages))
    header = ["extractor"] + [f"F1 {c} (n={sum(p.corpus == c for p in pages)})" for c in corpora]
    rows = [[name] + [f"{averaged([s for s in page_scores if s.page.corpus == c])[2]:.3f}" for c in corpora]
            for name, page_scores in scores.items()]
    print_table(header, rows, title="body F1 per set")


def report_worst_pages(scores: dict[str, list[PageScore]]) -> None:
    ours = scores["ours"]
    reference = {id(s.page): s for s in scores["trafilatura"]}
    worst = sorted(ours, key=lambda s: s.f1)[:WORST_PAGES_SHOWN]
    rows = [[f"{s.page.corpus}/{s.page.name}", s.page.language, f"{s.f1:.3f}", f"{reference[id(s.page)].f1:.3f}",
             f"{s.precision:.2f}/{s.recall:.2f}", s.failure or ""] for s in worst]
    print_table(["page", "lang", "ours F1", "traf. F1", "ours P/R", "ours outcome"], rows,
                title=f"{WORST_PAGES_SHOWN} worst body-F1 pages for ours")


# --- 2. trafilatura-eval segments ---------------------------------------------------------------


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, page: SegmentPage, output: str | None) -> None:
        text = normalise_whitespace(output or "")
        found_with = sum(1 for s in page.with_segments if output and normalise_whitespace(s) in text)
        found_without = sum(1 for s in page.without_segments if output and normalise_whitespace(s) in text)
        self.tp += found_with
        self.fn += len(page.with_segments) - found_with
        self.fp += found_without
        self.tn += len(page.without_segments) - found_without

    def figures(self) -> tuple[float, float, float, float]:
        """precision, recall, F1, accuracy."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        return precision, recall, f1(precision, recall), (self.tp + self.tn) / total if total else 0.0


def normalise_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class SegmentResult:
    everything: Confusion = field(default_factory=Confusion)
    es_pt: Confusion = field(default_factory=Confusion)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (page key, why the output is empty)


def score_segments(pages: Sequence[SegmentPage], timings: Timings) -> dict[str, SegmentResult]:
    results = {name: SegmentResult() for name in TEXT_EXTRACTORS}
    for page in pages:
        for name, extractor in TEXT_EXTRACTORS.items():
            outcome = run_text_extractor(extractor, page.raw, page.url)
            timings.add(name, outcome)
            result = results[name]
            result.everything.add(page, outcome.text)
            if page.es_pt:
                result.es_pt.add(page, outcome.text)
            if outcome.failure:
                result.failures.append((page.key, outcome.failure))
    return results


def report_segments(pages: Sequence[SegmentPage], results: dict[str, SegmentResult]) -> None:
    n_es_pt = sum(p.es_pt for p in pages)
    print("\n== 2. trafilatura-eval: with/without segments (TP/FN/FP/TN summed over pages) ==")
    header = ["extractor", "all P", "all R", "all F1", "all acc", "es/pt P", "es/pt R", "es/pt F1", "es/pt acc",
              "empty"]
    rows = [[name, *(f"{v:.3f}" for v in result.everything.figures()),
             *(f"{v:.3f}" for v in result.es_pt.figures()), str(len(result.failures))]
            for name, result in results.items()]
    print_table(header, rows, title=f"all = {len(pages)} annotated pages; es/pt = {n_es_pt} of them "
                "(evaldata_es_pt.json); empty = pages with no output")
    # Every empty page costs all its "with" segments, so name ours' drops for follow-up.
    for key, why in results["ours"].failures:
        print(f"  ours empty: {key}  ({why})")


# --- 3. publication dates -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayGuess:
    strict: date | None
    tolerant: frozenset[date] = frozenset()
    # Calendar day in the page's own UTC offset (ours: the stored published_local).
    page_offset: date | None = None


def ours_day(raw: bytes, url: str) -> DayGuess:
    try:
        article = normalise_article(extract_article(raw, url))
    except Dropped as dropped:
        if dropped.article is None:
            raise
        # No article text, but `protestwire extract` still gives the page's date.
        article = normalise_article(dropped.article)
    published: datetime | None = article.published
    if published is None:
        return DayGuess(None)
    day = published.date()
    accepted = {day}
    if published.hour < AMERICAS_EVENING_CUTOFF_HOUR:
        accepted.add(day - timedelta(days=1))
    local = article.to_json()["published_local"]  # stored: UTC plus the page's own offset
    return DayGuess(day, frozenset(accepted), date.fromisoformat(local[:10]) if local else day)


def htmldate_day(raw: bytes, url: str) -> DayGuess:
    from htmldate import find_date

    return local_day(find_date(raw, url=real_url(url), original_date=True))


def trafilatura_metadata_day(raw: bytes, url: str) -> DayGuess:
    import trafilatura

    output = trafilatura.extract(raw, url=real_url(url), with_metadata=True, output_format="json")
    return local_day(json.loads(output).get("date") if output else None)


def local_day(value: str | None) -> DayGuess:
    if not value:
        return DayGuess(None)
    day = date.fromisoformat(value[:10])
    return DayGuess(day, frozenset({day}), day)


DATE_EXTRACTORS: dict[str, Callable[[bytes, str], DayGuess]] = {
    "ours": ours_day,
    "htmldate": htmldate_day,
    "trafilatura (metadata)": trafilatura_metadata_day,
}


@dataclass
class DateTally:
    pages: int = 0
    strict: int = 0
    tolerant: int = 0
    page_offset: int = 0
    missing: int = 0
    seconds: float = 0.0


def run_date_extractor(extractor: Callable[[bytes, str], DayGuess], page: DatePage) -> tuple[DayGuess, float]:
    start = time.perf_counter()
    try:
        guess = extractor(page.raw, page.url)
    except Dropped:
        guess = DayGuess(None)
    except Exception:  # noqa: BLE001 - a crash is a missing date
        guess = DayGuess(None)
    return guess, time.perf_counter() - start


def score_dates(pages: Sequence[DatePage]) -> dict[str, DateTally]:
    tallies = {name: DateTally() for name in DATE_EXTRACTORS}
    for page in pages:
        truth = date.fromisoformat(page.date)
        for name, extractor in DATE_EXTRACTORS.items():
            guess, seconds = run_date_extractor(extractor, page)
            tally = tallies[name]
            tally.pages += 1
            tally.seconds += seconds
            tally.strict += guess.strict == truth
            tally.tolerant += truth in guess.tolerant
            tally.page_offset += guess.page_offset == truth
            tally.missing += guess.strict is None
    return tallies


def report_dates(sets: Iterable[tuple[str, Sequence[DatePage], dict[str, DateTally]]]) -> None:
    print("\n== 3. Publication date: exact calendar day ==")
    print("  ours: strict = stored UTC date; tolerant also accepts UTC date - 1 when UTC time < 06:00;")
    print("  local = day in the offset the page gave (ours: published_local, stored with the UTC time).")
    print("  Baselines give the page's local day, so their three figures are equal.")
    for label, pages, tallies in sets:
        languages = Counter(p.language for p in pages)
        mix = ", ".join(f"{lang} {n}" for lang, n in languages.most_common())
        rows = [[name, share(t.strict, t.pages), share(t.tolerant, t.pages), share(t.page_offset, t.pages),
                 str(t.missing), f"{1000 * t.seconds / t.pages:.1f}" if t.pages else "n/a"]
                for name, t in tallies.items()]
        print_table(["method", "strict", "tolerant", "local", "no date", "ms/page"], rows,
                    title=f"{label}: {len(pages)} pages ({mix})")


def share(count: int, total: int) -> str:
    return f"{count / total:.3f}" if total else "n/a"


# --- 4. speed -----------------------------------------------------------------------------------


def report_speed(timings: Timings) -> None:
    print("\n== 4. Speed: single process, same pages for every extractor ==")
    reference = timings.ms_per_page("trafilatura")
    rows = [[name, str(timings.pages[name]), f"{timings.ms_per_page(name):.1f}",
             f"{timings.ms_per_page(name) / reference:.2f}"] for name in TEXT_EXTRACTORS]
    print_table(["extractor", "pages", "ms/page", "x trafilatura"], rows, title="")
    print(f"  ratio ours / trafilatura: {timings.ms_per_page('ours') / reference:.2f}")


# --- 5. title and authors ---------------------------------------------------------------------


def _fold_name(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@dataclass
class MetadataTally:
    pages: int = 0
    title_exact: int = 0
    authors_exact: int = 0
    authors_found: int = 0  # annotated authors we named
    authors_wanted: int = 0
    junk: int = 0  # names we printed that are nobody's on the page


def score_metadata(pages: Sequence[data.MetadataPage]) -> dict[str, MetadataTally]:
    tallies = {"ours": MetadataTally(), "trafilatura": MetadataTally()}
    for page in pages:
        for name, tally in tallies.items():
            title, authors = TITLE_AND_AUTHORS[name](page.raw, page.url)
            wanted = {_fold_name(a) for a in page.authors}
            got = {_fold_name(a) for a in authors}
            tally.pages += 1
            tally.title_exact += _fold_name(title) == _fold_name(page.title)
            tally.authors_exact += got == wanted
            tally.authors_found += len(got & wanted)
            tally.authors_wanted += len(wanted)
            tally.junk += len(got - wanted)
    return tallies


def ours_title_and_authors(raw: bytes, url: str) -> tuple[str, list[str]]:
    """Our title and authors of a page, also when it has no article text (what `protestwire
    extract` prints beside the error)."""
    try:
        article = ours_article(raw, url)
    except Dropped as dropped:
        if dropped.article is None:
            return "", []
        article = dropped.article
    return article.title, article.authors


def trafilatura_title_and_authors(raw: bytes, url: str) -> tuple[str, list[str]]:
    """trafilatura's title and authors of a page (its metadata pass)."""
    import trafilatura

    document = trafilatura.extract_metadata(raw, default_url=url)
    if document is None:
        return "", []
    return document.title or "", [a.strip() for a in (document.author or "").split(";") if a.strip()]


TITLE_AND_AUTHORS = {"ours": ours_title_and_authors, "trafilatura": trafilatura_title_and_authors}


def score_eval_metadata(pages: Sequence[SegmentPage]) -> list[list[str]]:
    """Title exact and authors exact (folded) on the trafilatura-eval pages annotated with them,
    all and es/pt, and the names printed that are not the annotated ones."""
    rows = []
    for name in ("ours", "trafilatura"):
        hits: Counter[str] = Counter()
        for page in pages:
            if not (page.title or page.authors):
                continue
            title, authors = TITLE_AND_AUTHORS[name](page.raw, page.url)
            if page.title:
                right = _fold_name(title) == _fold_name(page.title)
                hits["title"] += right
                hits["title es/pt"] += right and page.es_pt
            if page.authors:
                wanted, got = {_fold_name(a) for a in page.authors}, {_fold_name(a) for a in authors}
                hits["authors"] += got == wanted
                hits["authors es/pt"] += got == wanted and page.es_pt
                hits["junk"] += len(got - wanted)
        titled = [p for p in pages if p.title]
        authored = [p for p in pages if p.authors]
        rows.append([name, share(hits["title"], len(titled)),
                     share(hits["title es/pt"], sum(p.es_pt for p in titled)),
                     share(hits["authors"], len(authored)),
                     share(hits["authors es/pt"], sum(p.es_pt for p in authored)), str(hits["junk"])])
    return rows


def report_metadata(pages: Sequence[data.MetadataPage], tallies: dict[str, MetadataTally]) -> None:
    print("\n== 5. Title and authors: fundus pages with annotated title and authors ==")
    by_language = Counter(p.language for p in pages)
    print(f"  {len(pages)} pages ({', '.join(f'{k} {v}' for k, v in sorted(by_language.items()))});"
          " names compared case-, accent- and punctuation-insensitively")
    rows = [[name, share(t.title_exact, t.pages), share(t.authors_exact, t.pages),
             share(t.authors_found, t.authors_wanted), str(t.junk)] for name, t in tallies.items()]
    print_table(["extractor", "title exact", "authors exact set", "author recall", "junk names"], rows, title="")
    eval_pages = data.segment_pages(None)
    titled, authored = [p for p in eval_pages if p.title], [p for p in eval_pages if p.authors]
    print_table(["extractor", "title exact", "title es/pt", "authors exact set", "authors es/pt", "junk names"],
                score_eval_metadata(eval_pages),
                title=f"  trafilatura-eval pages with an annotated title: {len(titled)} (es/pt "
                      f"{sum(p.es_pt for p in titled)}), with annotated authors: {len(authored)} (es/pt "
                      f"{sum(p.es_pt for p in authored)})")


# --- output and entry point ---------------------------------------------------------------------


def print_table(header: list[str], rows: list[list[str]], *, title: str) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = "  " + "-+-".join("-" * w for w in widths)
    if title:
        print(f"\n  {title}")
    print("  " + " | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print(line)
    for row in rows:
        print("  " + " | ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in
                                enumerate(zip(row, widths))))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per set (quick runs)")
    parser.add_argument("--only", choices=("body", "eval", "dates", "meta"), default=None)
    return parser.parse_args(argv)


def run_body(limit: int | None, timings: Timings) -> None:
    loaded = data.body_pages(limit)
    pages = [p for p in loaded if shingles(p.truth)]
    scores = score_body(pages, timings)
    report_body(pages, len(loaded) - len(pages), scores)
    report_worst_pages(scores)


def run_eval(limit: int | None, timings: Timings) -> None:
    pages = data.segment_pages(limit)
    report_segments(pages, score_segments(pages, timings))


def run_dates(limit: int | None) -> None:
    sets = []
    for label, pages in (("htmldate-dates", data.htmldate_pages(limit)),
                         ("trafilatura-eval es/pt (dated)", data.dated_es_pt_eval_pages(limit))):
        sets.append((label, pages, score_dates(pages)))
    report_dates(sets)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    data.require_shared()
    started = time.perf_counter()
    timings = Timings()
    first = data.globalvoices_pages()[:1] or data.fundus_pages()[:1]
    if first:
        warm_up(first[0].raw, first[0].url)
    if args.only in (None, "body"):
        run_body(args.limit, timings)
    if args.only in (None, "eval"):
        run_eval(args.limit, timings)
    if args.only in (None, "dates"):
        run_dates(args.limit)
    if args.only in (None, "meta"):
        pages = data.fundus_metadata_pages(args.limit)
        report_metadata(pages, score_metadata(pages))
    if timings.pages:
        report_speed(timings)
    print(f"\ntotal wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
