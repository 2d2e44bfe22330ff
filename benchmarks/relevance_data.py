"""The labelled relevance data (benchmarks/relevance/) and its frozen split, for training and benchmark alike.

Shared texts are read in place from ../shared/corpora (ids only are kept here); our own written
articles are files under benchmarks/relevance/. Every item belongs to the frozen evaluation set
when the hash of its split key (source and id; for a developing-story corpus, the story) falls
in the lowest quarter; ``eval_ids.txt`` records those ids once and is only ever added to.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "relevance"
EVAL_IDS = DATA / "eval_ids.txt"
CLASSIFY_LABELS = HERE / "classify_labels.tsv"
CASES = HERE.parent / "tests" / "data" / "classify_cases.jsonl"
EVAL_SHARE = 4  # one in four items of every source
SOURCES = ("news", "pcsc", "written", "cases", "globalvoices", "itn", "extraction", "events")


def shared_corpora() -> Path | None:
    """../shared/corpora beside the checkout (or beside the folder of worktrees), or $PROTESTWIRE_SHARED."""
    if os.environ.get("PROTESTWIRE_SHARED"):
        return Path(os.environ["PROTESTWIRE_SHARED"])
    for parent in HERE.parents:
        candidate = parent / "shared" / "corpora"
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class Item:
    source: str
    id: str
    language: str
    title: str
    text: str
    label: bool
    types: tuple[str, ...] = ()
    kind: str = ""  # the hard-negative kind of a negative, when labelled
    group: str = ""  # split key when not the id (one developing story stays on one side)

    @property
    def key(self) -> str:
        return f"{self.source}\t{self.id}"


def in_eval(item: Item) -> bool:
    """Whether the item belongs to the frozen evaluation set (by hash, stable as data grows)."""
    split_key = f"{item.source}\t{item.group or item.id}"
    return int(hashlib.sha256(split_key.encode("utf-8")).hexdigest()[:8], 16) % EVAL_SHARE == 0


def _label_rows(pattern: str) -> dict[str, tuple[bool, tuple[str, ...], str]]:
    """id -> (label, types, hard-negative kind) from the label files (id, label, types, kind, confidence, note)."""
    rows: dict[str, tuple[bool, tuple[str, ...], str]] = {}
    for path in sorted(DATA.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) < 2 or cells[1].strip() not in ("0", "1"):
                continue
            types = tuple(t.strip() for t in (cells[2] if len(cells) > 2 else "").split(",") if t.strip())
            kind = cells[3].strip() if len(cells) > 3 else ""
            rows[cells[0].strip()] = (cells[1].strip() == "1", types, "" if kind == "none" else kind)
    return rows


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def news_items(shared: Path) -> list[Item]:
    labels = _label_rows("labels_news_*.tsv")
    return [Item("news", r["id"], r["lang"], r["title"], r["text"], *labels[r["id"]])
            for r in _jsonl(shared / "news" / "es_pt_news_open_v1.jsonl") if r["id"] in labels]


def pcsc_items(shared: Path) -> list[Item]:
    labels = _label_rows("labels_pcsc.tsv")
    return [Item("pcsc", r["doc_id"], "pt", r["title"], r["text"], *labels[r["doc_id"]], group=r["cluster_id"])
            for r in _jsonl(shared / "threads" / "pcsc_dev.jsonl") if r["doc_id"] in labels]


def written_items() -> list[Item]:
    items = []
    for path in sorted(DATA.glob("written_*.jsonl")):
        for r in _jsonl(path):
            label = r["label"] in (1, True, "1")
            types = tuple(r.get("types") or ()) if isinstance(r.get("types"), list) else tuple(
                t for t in str(r.get("types") or "").split(",") if t)
            items.append(Item("written", r["id"], r["lang"], r.get("title") or "", r["text"], label, types,
                              "" if label else str(r.get("kind") or "")))
    return items


def case_items() -> list[Item]:
    return [Item("cases", r["id"], r["language"], r["title"], r["text"], r["protest"], tuple(r["types"]))
            for r in _jsonl(CASES)]


def _classify_positives() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in CLASSIFY_LABELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("set\t") or not line.strip():
            continue
        name, ident, label = line.split("\t")
        if label == "1":
            found.setdefault(name, set()).add(ident)
    return found


def globalvoices_items(shared: Path) -> list[Item]:
    pos = _classify_positives().get("globalvoices", set())
    return [Item("globalvoices", str(r["id"]), "en", r["title"], r["text"], str(r["id"]) in pos)
            for r in _jsonl(shared / "globalvoices" / "articles" / "gv_articles_en.jsonl")]


def itn_items(shared: Path) -> list[Item]:
    pos = _classify_positives().get("itn", set())
    items, seen = [], set()
    for r in _jsonl(shared / "clustering" / "itn_blurbs_pt_en" / "itn_blurbs_pt_en.jsonl"):
        ident = f"{r['qid']}/{r['lang']}/{r['ts']}"
        if ident not in seen and r["lang"] in ("pt", "en"):
            seen.add(ident)
            items.append(Item("itn", ident, r["lang"], "", r["blurb_text"], r["qid"] in pos, group=r["qid"]))
    return items


def _extraction_cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "protestwire" / "relevance_extraction.jsonl"


def extraction_items(shared: Path) -> list[Item]:
    """The es/pt/en news pages of ../shared/corpora/extraction, extracted once by our extractor (the
    extracted texts are cached outside the repository: they are not ours to copy)."""
    from pipeline.extract.page import extract_article
    from pipeline.extract.normalise import normalise_article

    import gzip

    pos = _classify_positives().get("extraction", set())
    cache = _extraction_cache()
    if not cache.exists():
        rows = []
        for file in sorted((shared / "extraction").rglob("*")):
            if not file.is_file() or not file.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
                continue
            raw = gzip.decompress(file.read_bytes()) if file.name.endswith(".gz") else file.read_bytes()
            name = str(file.relative_to(shared / "extraction"))
            if len(raw) < 2_000:  # as benchmarks/common.news_pages: not a page
                continue
            try:
                article = normalise_article(extract_article(raw, "https://example.org/" + name.replace("/", "-")))
            except Exception:  # noqa: BLE001 - pages that are not articles are simply not scored
                continue
            if article.language in ("es", "pt", "en"):
                rows.append({"id": name, "lang": article.language, "title": article.title, "text": article.body})
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return [Item("extraction", r["id"], r["lang"], r["title"], r["text"], r["id"] in pos) for r in _jsonl(cache)]


def event_rows(shared: Path) -> list[dict[str, str]]:
    with (shared / "events" / "mass_mobilization_latam_1990_2014.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def event_items(shared: Path, *, with_sources: bool) -> list[Item]:
    """Mass Mobilization protest events (all positives, en): the summary, or source lines plus summary."""
    return [Item("events", r["id"], "en", "", (r["sources"] + " " + r["notes"]) if with_sources else r["notes"], True)
            for r in event_rows(shared) if r["notes"].strip()]


def all_items(*, include_extraction: bool = True) -> list[Item]:
    """Every labelled article, sorted by source and id (events excluded: see ``event_items``)."""
    shared = shared_corpora()
    items = written_items() + case_items()
    if shared is not None:
        items += news_items(shared) + pcsc_items(shared) + globalvoices_items(shared) + itn_items(shared)
        if include_extraction:
            items += extraction_items(shared)
    return sorted(items, key=lambda item: (item.source, item.id))


def frozen_eval_keys() -> set[str]:
    if not EVAL_IDS.exists():
        return set()
    return {line for line in EVAL_IDS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}


def freeze_eval_ids(items: list[Item]) -> int:
    """Add the evaluation items not yet recorded to eval_ids.txt (never removes one); how many were added."""
    known = frozen_eval_keys()
    new = sorted(item.key for item in items if in_eval(item) and item.key not in known)
    if new:
        header = "" if EVAL_IDS.exists() else (
            "# Frozen relevance evaluation set (source<TAB>id): never trained or tuned on. Chosen by\n"
            "# sha256(source, id or story) % 4 == 0 (benchmarks/relevance_data.in_eval); only ever added to.\n")
        with EVAL_IDS.open("a", encoding="utf-8") as handle:
            handle.write(header + "".join(key + "\n" for key in new))
    return len(new)


def split(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """(training, evaluation): an item recorded in eval_ids.txt, or hashed into it, is never trained on."""
    frozen = frozen_eval_keys()
    evaluation = [item for item in items if in_eval(item) or item.key in frozen]
    keys = {item.key for item in evaluation}
    return [item for item in items if item.key not in keys], evaluation


def without_punctuation(item: Item) -> Item:
    """The item as some archives deliver it: no punctuation at all."""
    strip = str.maketrans({c: " " for c in ".,;:!?¡¿\"'()[]«»“”‘’—–-/…"})
    return replace(item, title=item.title.translate(strip), text=item.text.translate(strip))


def all_caps_headline(item: Item) -> Item:
    return replace(item, title=item.title.upper())
