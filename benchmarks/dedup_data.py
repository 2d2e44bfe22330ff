"""Development sets for ``benchmarks/dedup.py``, built from the real texts of ../shared in place.

Wire copies: real article texts (es/pt pages of the extraction corpora run through our
extractor; en full-text ground truth; Global Voices articles) re-published by made-up outlets
the way aggregators do it: another headline, an intro line, trimmed final paragraphs,
"Read also" links, the outlet's boilerplate and other dates. Every text of the set is also an
original, so different articles of one outlet and topic (Global Voices, the same newspapers)
are the hard negatives, and copies by one outlet share its boilerplate.

Stories: Wikipedia "In the news" blurbs (pt, en) keyed by Wikidata event.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from benchmarks.common import SHARED

ITN = SHARED / "clustering" / "itn_blurbs_pt_en" / "itn_blurbs_pt_en.jsonl"
GV_ARTICLES = SHARED / "globalvoices" / "articles" / "gv_articles_en.jsonl"
ES_PT_INDEX = SHARED / "extraction" / "ES_PT_PAGES_INDEX.tsv"
# Texts shorter than this are briefs: too little to re-publish with changes.
MIN_WORDS = 80
BASE_TIME = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Item:
    """One article to ingest, with the group it truly belongs to."""

    url: str
    source: str
    title: str
    text: str
    published: datetime
    language: str
    gold: str

    def to_line(self) -> str:
        return json.dumps({"url": self.url, "source": self.source, "title": self.title, "text": self.text,
                           "published": self.published.isoformat(), "language": self.language}, ensure_ascii=False)


@dataclass(frozen=True)
class Text:
    key: str
    outlet: str
    language: str
    title: str
    body: str


def _es_pt_texts() -> list[Text]:
    """es/pt pages of the extraction corpora through our own extract + normalise stages."""
    import csv
    import gzip

    from pipeline.extract.normalise import normalise_article
    from pipeline.extract.page import extract_article
    from pipeline.types import Dropped

    texts = []
    with ES_PT_INDEX.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            path = SHARED / "extraction" / row["set"] / row["path"]
            if not path.is_file():
                continue
            raw = path.read_bytes()
            raw = gzip.decompress(raw) if path.name.endswith(".gz") else raw
            try:
                article = normalise_article(extract_article(raw, f"https://{row['domain']}/{path.stem}"))
            except Dropped:
                continue
            title = article.title or " ".join(article.body.split()[:10])
            texts.append(Text(f"{row['set']}/{row['path']}", row["domain"], row["lang"], title, article.body))
    return texts


def _english_texts() -> list[Text]:
    from benchmarks.extraction_data import body_pages

    texts = [Text(f"{p.corpus}/{p.name}", p.url.split("/")[2], p.language, " ".join(p.truth.split()[:10]), p.truth)
             for p in body_pages(None) if p.language == "en"]
    for line in GV_ARTICLES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.append(Text(f"gv/{row['id']}", "globalvoices.org", "en", row["title"], row["text"]))
    return texts


# Originals sharing this much of their 5-word shingles are copies already (the corpora hold a few
# real ones: one EFE story on two Chilean sites, a Cuban page embedding another's article).
ORIGINAL_OVERLAP = 0.3


def real_texts() -> tuple[list[Text], int]:
    """Distinct real article texts of at least MIN_WORDS words, es/pt/en, and how many were left out
    for copying another (exact shingle containment over all pairs, no LSH)."""
    from pipeline.dedup.neardup import overlap, shingles

    found: list[Text] = []
    prints: list[Any] = []
    removed = 0
    for text in _es_pt_texts() + _english_texts():
        if len(text.body.split()) < MIN_WORDS:
            continue
        mine = shingles(text.body)
        if any(overlap(mine, theirs).containment >= ORIGINAL_OVERLAP for theirs in prints):
            removed += 1
            continue
        prints.append(mine)
        found.append(text)
    return found, removed


# What re-publishing outlets add, per language (our own wording).
INTROS = {
    "es": ["{city}, {day} nov ({agency}).- ", "Esta nota fue publicada originalmente por {agency}. ",
           "ACTUALIZACIÓN: se agregaron declaraciones. "],
    "pt": ["{city}, {day} nov ({agency}) - ", "Esta reportagem foi publicada originalmente pela {agency}. ",
           "ATUALIZAÇÃO: reportagem atualizada com novas informações. "],
    "en": ["{city}, Nov {day} ({agency}) - ", "This story was first published by {agency}. ",
           "UPDATE: This article has been updated with new comments. "],
}
RELATED = {"es": "Lea también: {title}", "pt": "Leia também: {title}", "en": "Read more: {title}"}
BOILERPLATE = {
    "es": ["Síguenos en nuestras redes sociales y suscríbete a nuestro boletín.",
           "© {year} {outlet}. Todos los derechos reservados. Prohibida su reproducción total o parcial.",
           "Únete a nuestro canal de WhatsApp para recibir las noticias más importantes del día."],
    "pt": ["Siga-nos nas redes sociais e assine a nossa newsletter.",
           "© {year} {outlet}. Todos os direitos reservados. É proibida a reprodução total ou parcial.",
           "Entre no nosso canal do WhatsApp e receba as principais notícias do dia."],
    "en": ["Follow us on social media and sign up for our newsletter.",
           "© {year} {outlet}. All rights reserved. This material may not be published or redistributed.",
           "Join our WhatsApp channel to get the day's top stories."],
}
WEEKDAYS = {
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
HEADLINE_PREFIXES = {"es": ["Última hora: ", "EN VIVO | ", ""], "pt": ["Urgente: ", "AO VIVO | ", ""],
                     "en": ["Breaking: ", "LIVE | ", ""]}
CITIES = ["La Paz", "Lima", "Bogotá", "Santiago", "Quito", "Brasília", "São Paulo", "Caracas"]
AGENCIES = ["EFE", "AFP", "AP", "Agência Brasil", "Reuters"]


def _paragraphs(body: str) -> list[str]:
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if len(paragraphs) >= 3:
        return paragraphs
    sentences = re.split(r"(?<=[.!?])\s+", body)  # one long paragraph: work on sentences
    size = max(1, len(sentences) // 6)
    return [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def wire_copy(text: Text, others: list[Text], outlet: str, rng: random.Random) -> tuple[str, str, list[str]]:
    """(headline, body, transforms applied) of ``text`` as re-published by ``outlet``."""
    language = text.language if text.language in INTROS else "en"
    paragraphs = _paragraphs(text.body)
    applied = ["headline"]
    kinds = rng.sample(["intro", "trim", "related", "boilerplate", "dates"], rng.randint(2, 5))
    if "trim" in kinds and len(paragraphs) >= 3:
        keep = max(2, round(len(paragraphs) * rng.uniform(0.5, 0.8)))
        paragraphs = paragraphs[:keep]
        applied.append("trim")
    if "dates" in kinds:
        days = WEEKDAYS[language]
        new_day = rng.choice(days)
        paragraphs = [re.sub("|".join(re.escape(d) for d in days), new_day, p) for p in paragraphs]
        paragraphs = [re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + rng.choice([-1, 1])), p)
                      if rng.random() < 0.5 else p for p in paragraphs]
        applied.append("dates")
    if "related" in kinds:
        for _ in range(rng.randint(1, 3)):
            other = rng.choice(others)
            paragraphs.insert(rng.randint(1, len(paragraphs)), RELATED[language].format(title=other.title))
        applied.append("related")
    if "intro" in kinds:
        intro = rng.choice(INTROS[language]).format(city=rng.choice(CITIES), day=rng.randint(1, 28),
                                                   agency=rng.choice(AGENCIES))
        paragraphs[0] = intro + paragraphs[0]
        applied.append("intro")
    if "boilerplate" in kinds:
        lines = [line.format(year=2026, outlet=outlet) for line in BOILERPLATE[language]]
        paragraphs = [lines[0]] + paragraphs + lines[1:]
        applied.append("boilerplate")
    words = text.title.split()
    headline = rng.choice(HEADLINE_PREFIXES[language]) + " ".join(words[: max(3, len(words) - rng.randint(0, 3))])
    if rng.random() < 0.5:
        headline = headline.upper()
    return headline, "\n\n".join(paragraphs), applied


def wire_copy_set(texts: list[Text], seed: int, copies: tuple[int, int] = (1, 3)) -> list[Item]:
    """Every text as an original, plus 1-3 re-published copies each from made-up outlets."""
    rng = random.Random(seed)
    outlets = [f"outlet{n}" for n in range(12)]
    items = []
    for index, text in enumerate(texts):
        published = BASE_TIME + timedelta(hours=index * 3)
        items.append(Item(f"https://{text.outlet}/{seed}/{index}", text.outlet.replace(".", "-"), text.title,
                          text.body, published, text.language, text.key))
        for copy in range(rng.randint(*copies)):
            outlet = rng.choice(outlets)
            title, body, _ = wire_copy(text, texts, outlet, rng)
            when = published + timedelta(hours=rng.uniform(-6, 72))
            items.append(Item(f"https://{outlet}.example/{seed}/{index}-{copy}", outlet, title, body, when,
                              text.language, text.key))
    rng.shuffle(items)
    return items


def itn_items() -> list[Item]:
    """Wikipedia "In the news" blurbs as headline-only articles, gold = Wikidata event.

    The corpus lists one blurb under each article it links in bold (25 blurbs, 75 rows: "death
    of Mahsa Amini" and "Mahsa Amini protests"); events sharing an identical blurb are one.
    """
    rows = [json.loads(line) for line in ITN.read_text(encoding="utf-8").splitlines()]
    parent: dict[str, str] = {}

    def root(qid: str) -> str:
        while parent.get(qid, qid) != qid:
            qid = parent[qid]
        return qid

    first_qid: dict[str, str] = {}
    for row in rows:
        other = first_qid.setdefault(row["blurb_text"], row["qid"])
        if root(other) != root(row["qid"]):
            parent[root(row["qid"])] = root(other)
    items = [Item(f"https://itn.example/{row['lang']}/{n}", f"wikipedia-{row['lang']}", row["blurb_text"],
                  row["blurb_text"], datetime.fromtimestamp(row["ts"], timezone.utc), row["lang"], root(row["qid"]))
             for n, row in enumerate(rows)]
    return sorted(items, key=lambda item: item.published)
