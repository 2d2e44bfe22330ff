"""Build pipeline/data/story_prior.json.gz: background document frequencies of story terms.

    python scripts/build_story_prior.py

A young store has seen too few articles to know which words are common ("maestros", "marcharon",
"government"): until it has, its TF-IDF weighs them like names. The prior counts, for every story
term (``pipeline.dedup.stories.story_terms``), how many articles of a background corpus use it: the
1,138 es/pt articles of ../shared/corpora/news, the Global Voices articles (en) and the Wikipedia
"In the news" blurbs (pt, en). Only counts of terms used by at least two articles are kept (no
text). The store adds its own counts to these (``pipeline.dedup.stories.idf``).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stories import SHARED, load_itn  # noqa: E402
from pipeline.dedup.stories import PRIOR_FILE, story_terms  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / PRIOR_FILE
_TAGS = re.compile(r"<[^>]+>")


def background() -> list[tuple[str, str]]:
    """(title, text) of the background articles."""
    texts = []
    for line in (SHARED / "news" / "es_pt_news_open_v1.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.append((row.get("title") or "", row.get("text") or ""))
    for line in (SHARED / "globalvoices" / "articles" / "gv_articles_en.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.append((row.get("title") or "", html.unescape(_TAGS.sub(" ", row.get("content_html") or ""))))
    texts += [(item.title, "") for item in load_itn()]
    return texts


def main() -> None:
    counts: Counter[str] = Counter()
    texts = background()
    for title, text in texts:
        counts.update(story_terms(title, text).distinct())
    kept = {term: n for term, n in sorted(counts.items()) if n >= 2}
    OUT.write_bytes(gzip.compress(json.dumps({"documents": len(texts), "df": kept}, ensure_ascii=False,
                                             separators=(",", ":")).encode("utf-8"), mtime=0))
    print(f"wrote {OUT}: {len(texts)} articles, {len(kept)} terms ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
