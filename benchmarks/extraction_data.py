"""Loaders for the extraction benchmark: real pages and their ground truth, read in place.

Everything comes from ../shared/corpora (``benchmarks.common.SHARED``); nothing is copied into
the repository. Each loader returns plain dataclasses so that ``extraction.py`` only scores.
See the docstring of ``benchmarks/extraction.py`` for which sets are used and why.
"""

from __future__ import annotations

import ast
import csv
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from benchmarks.common import SHARED

EXTRACTION = SHARED / "extraction"
GLOBALVOICES_PAGES = SHARED / "globalvoices" / "pages"
TRAFILATURA_EVAL = EXTRACTION / "trafilatura-eval"
HTMLDATE_DATES = EXTRACTION / "htmldate-dates"
ZYTE = EXTRACTION / "zyte-article-extraction-benchmark"
REPORTED_LANGUAGES = ("es", "pt", "en")
# Elements after which a browser starts a new line; without a separator there, text_content()
# glues "end.</p><p>Next" into one token and costs every extractor shingles it did find.
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr td th section article header footer "
    "figure figcaption dd dt dl aside main nav hr".split()
)


@dataclass(frozen=True)
class BodyPage:
    """A page whose ground truth is the full article text."""

    corpus: str
    name: str
    url: str
    raw: bytes
    truth: str
    language: str  # es, pt, en or other


@dataclass(frozen=True)
class SegmentPage:
    """A trafilatura-eval page: segments that must / must not appear in the extracted text."""

    key: str
    url: str
    raw: bytes
    with_segments: tuple[str, ...]
    without_segments: tuple[str, ...]
    date: str | None  # YYYY-MM-DD, when annotated
    language: str
    es_pt: bool
    title: str | None = None  # when annotated
    authors: tuple[str, ...] | None = None  # when annotated


@dataclass(frozen=True)
class DatePage:
    """A page whose ground truth is its publication day."""

    corpus: str
    name: str
    url: str
    raw: bytes
    date: str  # YYYY-MM-DD
    language: str


class MissingCorpus(SystemExit):
    pass


def require_shared() -> None:
    """Stop with a readable message rather than a traceback when the read-only data is absent."""
    if not EXTRACTION.is_dir():
        raise MissingCorpus(
            f"extraction benchmark: the shared corpora are not at {EXTRACTION}\n"
            "(expected ../shared/corpora beside the checkout, read in place; nothing to benchmark)"
        )


def language_bucket(code: str | None) -> str:
    code = (code or "").strip().lower()[:2]
    return code if code in REPORTED_LANGUAGES else "other"


def read_page(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.name.endswith(".gz") else raw


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def html_to_text(markup: str | lxml_html.HtmlElement) -> str:
    """Visible text of an HTML fragment, one line per block element."""
    root = lxml_html.fromstring(markup) if isinstance(markup, str) else markup
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return root.text_content()


def placeholder_url(corpus: str, name: str) -> str:
    # The extractors want a URL; .invalid can never resolve, so nothing is fetched or inferred from it.
    return f"https://{corpus}.invalid/{name}"


# --- full-text ground truth -------------------------------------------------------------------


def fundus_pages() -> list[BodyPage]:
    """Fundus test data: hand-checked standfirst ("summary"), paragraphs and sub-headlines."""
    folder = EXTRACTION / "fundus" / "test_data"
    pages = []
    for row in read_tsv(EXTRACTION / "fundus" / "MANIFEST.tsv"):
        if "body" not in row["annotated_fields"].split(","):
            continue
        country = folder / row["country_dir"]
        truth_json = json.loads((country / f"{row['publisher']}.json").read_text(encoding="utf-8"))
        body = truth_json[row["parser_version"]]["body"]
        lines = [*body["summary"],
                 *(line for section in body["sections"] for line in (*section["headline"], *section["paragraphs"]))]
        pages.append(BodyPage("fundus", row["html_file"], row["url"], read_page(country / row["html_file"]),
                              "\n".join(lines), language_bucket(row["lang_guess"])))
    return pages


@dataclass(frozen=True)
class MetadataPage:
    """A page whose title and authors people annotated (fundus test data)."""

    name: str
    url: str
    raw: bytes
    title: str
    authors: tuple[str, ...]
    language: str


def fundus_metadata_pages(limit: int | None = None) -> list[MetadataPage]:
    """Fundus pages with annotated title and authors (an empty author list is a real answer:
    the outlet names nobody, so any author we print there is junk)."""
    folder = EXTRACTION / "fundus" / "test_data"
    pages = []
    for row in read_tsv(EXTRACTION / "fundus" / "MANIFEST.tsv"):
        fields = row["annotated_fields"].split(",")
        if "title" not in fields or "authors" not in fields:
            continue
        country = folder / row["country_dir"]
        truth = json.loads((country / f"{row['publisher']}.json").read_text(encoding="utf-8"))[row["parser_version"]]
        authors = truth["authors"]
        authors = ast.literal_eval(authors) if isinstance(authors, str) else authors
        pages.append(MetadataPage(row["html_file"], row["url"], read_page(country / row["html_file"]),
                                  truth["title"], tuple(authors or ()), language_bucket(row["lang_guess"])))
        if limit and len(pages) >= limit:
            break
    return pages


def newspaper4k_pages() -> list[BodyPage]:
    """newspaper4k's regression texts (newspaper's own output, kept as the expected full text)."""
    folder = EXTRACTION / "newspaper4k"
    pages = []
    for row in read_tsv(folder / "MANIFEST.tsv"):
        if row["html"] != "y" or row["expected_txt"] != "y":
            continue
        truth = (folder / "txt" / f"{row['name']}.txt").read_text(encoding="utf-8")
        url = row["url"] or placeholder_url("newspaper4k", row["name"])
        pages.append(BodyPage("newspaper4k", row["name"], url, read_page(folder / "html" / f"{row['name']}.html.gz"),
                              truth, language_bucket(row["lang"])))
    return pages


def mozilla_pages() -> list[BodyPage]:
    """Readability.js test pages: expected.html is the cleaned article (Readability.js's own output)."""
    folder = EXTRACTION / "mozilla-readability-testpages" / "test-pages"
    pages = []
    for row in read_tsv(EXTRACTION / "mozilla-readability-testpages" / "MANIFEST.tsv"):
        page_dir = folder / row["page_dir"]
        truth = html_to_text((page_dir / "expected.html").read_text(encoding="utf-8"))
        url = row["url"] or placeholder_url("mozilla", row["page_dir"])
        pages.append(BodyPage("mozilla-readability", row["page_dir"], url, read_page(page_dir / "source.html.gz"),
                              truth, language_bucket(row["lang_guess_expected"])))
    return pages


def globalvoices_pages() -> list[BodyPage]:
    """Global Voices 2009 article pages with Media Cloud's expected extracted_text (the home page is skipped:
    its "expected text" is a teaser, not an article)."""
    pages = []
    for line in (GLOBALVOICES_PAGES / "MANIFEST.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if not Path(entry["file"]).name.startswith("index_"):
            continue
        expected = json.loads((GLOBALVOICES_PAGES / entry["expected"]).read_text(encoding="utf-8"))
        truth = expected["extracted_text"]
        # Media Cloud puts the headline first; the benchmark scores the body only.
        if truth.startswith(expected["title"]):
            truth = truth[len(expected["title"]):]
        name = Path(entry["file"]).stem
        url = entry["url"] or placeholder_url("globalvoices", name)
        pages.append(BodyPage("globalvoices", name, url, read_page(GLOBALVOICES_PAGES / entry["file"]), truth, "en"))
    return pages


def zyte_pages() -> list[BodyPage]:
    """Zyte article-extraction benchmark (articleBody), only if it has been staged."""
    truth_file = ZYTE / "ground-truth.json"
    if not truth_file.is_file():
        return []
    languages = {Path(r["path"]).name: r["lang"] for r in read_tsv(EXTRACTION / "ES_PT_PAGES_INDEX.tsv")
                 if r["set"] == ZYTE.name}
    pages = []
    for page_id, entry in json.loads(truth_file.read_text(encoding="utf-8")).items():
        html_file = ZYTE / "html" / f"{page_id}.html.gz"
        if not html_file.is_file() or not entry.get("articleBody"):
            continue
        raw = read_page(html_file)
        language = languages.get(html_file.name) or _html_lang_attribute(raw)
        pages.append(BodyPage("zyte", page_id, entry.get("url") or placeholder_url("zyte", page_id), raw,
                              entry["articleBody"], language_bucket(language)))
    return pages


def _html_lang_attribute(raw: bytes) -> str | None:
    match = re.search(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", raw[:5000], re.IGNORECASE)
    return match.group(1).decode() if match else None


BODY_LOADERS = {
    "zyte": zyte_pages, "fundus": fundus_pages, "newspaper4k": newspaper4k_pages,
    "mozilla-readability": mozilla_pages, "globalvoices": globalvoices_pages,
}
# Present under ../shared but not usable for full-text F1, so the report can say why they are absent.
BODY_SETS_LEFT_OUT = {
    "goose3": "cleaned_text is only the first sentence(s) (prefix checks), not full text",
    "trafilatura-eval": "with/without segments, not full text (scored in the 'eval' section)",
    "htmldate-dates": "publication dates only",
}


def body_pages(limit: int | None) -> list[BodyPage]:
    pages = []
    for loader in BODY_LOADERS.values():
        pages.extend(loader()[:limit] if limit else loader())
    return pages


# --- trafilatura-eval segments ------------------------------------------------------------------


def segment_pages(limit: int | None, *, es_pt_only: bool = False) -> list[SegmentPage]:
    """All annotated trafilatura-eval pages; ``es_pt`` marks the 54 of evaldata_es_pt.json.

    With --limit the es/pt pages come first so that a short run still covers them."""
    evaldata = json.loads((TRAFILATURA_EVAL / "evaldata.json").read_text(encoding="utf-8"))
    es_pt_keys = set(json.loads((TRAFILATURA_EVAL / "evaldata_es_pt.json").read_text(encoding="utf-8")))
    languages = {Path(r["path"]).name.removesuffix(".gz"): r["lang_guess"]
                 for r in read_tsv(TRAFILATURA_EVAL / "MANIFEST.tsv")}
    keys = sorted(evaldata, key=lambda k: k not in es_pt_keys)
    if es_pt_only:
        keys = [k for k in keys if k in es_pt_keys]
    pages = []
    for key in keys[:limit] if limit else keys:
        item = evaldata[key]
        path = _resolve_eval_html(item["file"])
        if path is None:
            continue
        url = key if key.startswith("http") else placeholder_url("trafilatura-eval", item["file"])
        pages.append(SegmentPage(key, url, read_page(path), tuple(item["with"]), tuple(item["without"]),
                                 item.get("date") or None, languages.get(item["file"], "unk"), key in es_pt_keys,
                                 item.get("title") or None, _annotated_authors(item.get("author"))))
    return pages


def _annotated_authors(value: object) -> tuple[str, ...] | None:
    """trafilatura-eval's "author": a list of names or one string, several separated by ";"."""
    names = value if isinstance(value, list) else str(value).split(";") if value else []
    cleaned = tuple(name.strip() for name in names if isinstance(name, str) and name.strip())
    return cleaned or None


def _resolve_eval_html(file_name: str) -> Path | None:
    # Upstream's order: the cache folder first, then eval.
    for sub in ("cache", "eval"):
        candidate = TRAFILATURA_EVAL / "html" / sub / f"{file_name}.gz"
        if candidate.is_file():
            return candidate
    return None


# --- publication dates --------------------------------------------------------------------------


def htmldate_pages(limit: int | None) -> list[DatePage]:
    """htmldate's MediaCloud-2020 set plus its 4 Spanish default-set pages; NaN (no determinable date) skipped."""
    languages = {r["staged_path"]: r["lang_guess"] for r in read_tsv(HTMLDATE_DATES / "MANIFEST.tsv")}
    pages = []
    for annotation, folder in (("eval_mediacloud_2020.json", "test_set"), ("eval_default_es_subset.json", "eval")):
        entries = json.loads((HTMLDATE_DATES / annotation).read_text(encoding="utf-8"))
        for url, item in entries.items():
            date = item.get("date")
            if not isinstance(date, str):  # NaN: the upstream annotators found no date
                continue
            staged = f"{folder}/{item['file']}.gz"
            path = HTMLDATE_DATES / staged
            if not path.is_file():
                continue
            pages.append(DatePage("htmldate", item["file"], url, read_page(path), date,
                                  language_bucket(languages.get(staged))))
    return pages[:limit] if limit else pages


def dated_es_pt_eval_pages(limit: int | None) -> list[DatePage]:
    """The es/pt trafilatura-eval pages whose annotation carries a non-empty date."""
    pages = [
        DatePage("trafilatura-eval es/pt", page.key, page.url, page.raw, page.date, language_bucket(page.language))
        for page in segment_pages(None, es_pt_only=True)
        if page.date
    ]
    return pages[:limit] if limit else pages
