"""A synthetic but realistic news store for the search benchmark (issue 20).

es/pt/en articles of 300-590 words from 92 outlets in 20 countries over 3 years. Word ranks follow
a Zipf law (rank = V ** u for a uniform u, the s = 1 Zipf CDF inverted) over a vocabulary V that
grows with the words written so far (Heaps' law, V = 40 * N ** 0.55), so a bigger store brings new
rare words as real news does. 18% are protest stories (protest words, protest = 1 with action
types), 2% are wire copies (another outlet's text, same story), and 10% report a recent story
again from another outlet. Articles come in date order with a few hours of jitter, as a crawl
stores them.

Two ways to store them: ``ingest`` (``pipeline.store.store_articles``, the crawl's write path with
copy and story detection) and ``bulk`` for 100k-1M, which issues the same article INSERT
(``pipeline.store._INSERT_ARTICLE``, so the full-text triggers and stems are the same) in
batches of 5,000, with the story and copy links the generator already knows instead of looking
them up, then the same ``_close_own_stories`` update.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

COUNTRIES = {  # country -> language of its outlets
    "AR": "es", "BO": "es", "CL": "es", "CO": "es", "EC": "es", "PE": "es", "VE": "es", "MX": "es", "UY": "es",
    "PY": "es", "GT": "es", "HN": "es", "SV": "es", "CR": "es", "PA": "es", "DO": "es", "BR": "pt", "PT": "pt",
    "US": "en", "GB": "en",
}
OUTLETS = 92
START = datetime(2023, 12, 1, tzinfo=timezone.utc)
DAYS = 3 * 365
PROTEST_SHARE, WIRE_SHARE, FOLLOW_SHARE = 0.18, 0.02, 0.10
MENTION_SHARE = 0.08  # non-protest Spanish stories that still say "protesta"
RARE_RANK = 60_000  # a tail word in about 0.06% of articles at any size
COMMON = {
    "es": "de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí "
          "porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno "
          "gobierno país presidente ciudad año años millones según dijo informó ministro nacional región ley "
          "provincia municipio precio salario trabajadores empresa mercado economía elecciones congreso policía",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à "
          "seu sua ou ser quando muito há nos já está eu também só pelo pela até isso governo país presidente "
          "cidade ano anos milhões segundo disse ministro nacional estado lei preço salário trabalhadores empresa",
    "en": "the of and to a in is it you that he was for on are as with his they at be this have from or one had "
          "by word but not what all were we when your can said there use an each which she do how their if will "
          "government country president city year years million according minister national state law price",
}
PROTEST = {
    "es": "protestas paro huelga bloqueo bloqueos marcha manifestantes manifestación movilización "
          "sindicato dirigentes reclamo cacerolazo piquete toma",
    "pt": "protesto protestos greve bloqueio marcha manifestantes manifestação mobilização sindicato ocupação "
          "paralisação ato",
    "en": "protest protests strike blockade march protesters demonstration rally union walkout picket",
}
TYPES = ("strike", "blockade", "march", "protest", "occupation", "cacerolazo", "assembly")
_SYLLABLES = ("ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se "
              "si so su ta te ti to tu va ve vi vo ba be bi bo ca ce ci co da de di do ga go gu fa fe fi fo").split()


def synthetic_word(rank: int) -> str:
    """The word of a vocabulary rank past the common lists: syllables spelling the rank."""
    parts = []
    rank += len(_SYLLABLES) ** 2  # at least three syllables
    while rank:
        rank, digit = divmod(rank, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    return "".join(parts)


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    country: str
    language: str


def outlets() -> list[Outlet]:
    countries = list(COUNTRIES)
    return [Outlet(f"bench-{i:02d}", f"Bench outlet {i}", countries[i % len(countries)],
                   COUNTRIES[countries[i % len(countries)]]) for i in range(OUTLETS)]


@dataclass
class Item:
    id: int
    outlet: Outlet
    url: str
    title: str
    body: str
    published: datetime
    protest: bool
    types: list[str]
    story_id: int | None  # None: its own story
    duplicate_of: int | None


class Generator:
    """Deterministic articles (a seed), ids from 1 in the order they are written."""

    def __init__(self, total: int, seed: int = 20) -> None:
        self.rnd = random.Random(seed)
        self.total = total
        self.outlets = outlets()
        self.words_written = 0
        self.common = {lang: words.split() for lang, words in COMMON.items()}
        self.protest = {lang: words.split() for lang, words in PROTEST.items()}
        self.recent: list[Item] = []  # stories that other outlets may report again
        self._words: dict[int, str] = {}

    def vocabulary(self) -> int:
        return int(40 * max(self.words_written, 1000) ** 0.55)

    def _word(self, language: str) -> str:
        rank = int(self.vocabulary() ** self.rnd.random()) - 1
        common = self.common[language]
        if rank < len(common):
            return common[rank]
        word = self._words.get(rank)
        if word is None:
            word = self._words[rank] = synthetic_word(rank)
        return word

    def _text(self, language: str, words: int, protest: bool, topic: list[str]) -> str:
        out = [self._word(language) for _ in range(words)]
        extra = topic + (self.rnd.sample(self.protest[language], 4) if protest else [])
        if language == "es" and (protest or self.rnd.random() < MENTION_SHARE):
            extra.append("protesta")  # in about 20% of all articles, as in the stores
        if protest and language == "es" and self.rnd.random() < 0.2:
            extra.append("paro nacional")
        for word in extra:
            out.insert(self.rnd.randrange(len(out)), word)
        return " ".join(out)

    def items(self) -> Iterator[Item]:
        rnd = self.rnd
        for number in range(1, self.total + 1):
            day = DAYS * (number - 1) / self.total
            published = START + timedelta(days=day, hours=rnd.uniform(-6, 6))
            outlet = rnd.choice(self.outlets)
            roll = rnd.random()
            if roll < WIRE_SHARE and self.recent:
                first = rnd.choice(self.recent)
                story, copy_of, body, protest, types = first.story_id or first.id, first.duplicate_of or first.id, \
                    first.body, first.protest, first.types
                title = first.title
            else:
                follow = roll < WIRE_SHARE + FOLLOW_SHARE and self.recent
                first = rnd.choice(self.recent) if follow else None
                protest = first.protest if first else rnd.random() < PROTEST_SHARE
                types = sorted(rnd.sample(TYPES, rnd.randint(1, 2))) if protest else []
                topic = [synthetic_word(rnd.randrange(10**6, 10**7)) for _ in range(3)] if not first \
                    else first.title.split()[:3]
                words = rnd.randint(300, 590)
                body = self._text(outlet.language, words, protest, topic)
                title = " ".join(topic + [self._word(outlet.language) for _ in range(6)])
                story, copy_of = (first.story_id or first.id) if first else None, None
            self.words_written += len(body.split()) // 2 if copy_of else len(body.split())
            item = Item(number, outlet, f"https://{outlet.id}.example/{number}", title, body, published, protest,
                        types, story, copy_of)
            if copy_of is None:
                self.recent.append(item)
                if len(self.recent) > 200:
                    self.recent.pop(0)
            yield item


def _record(item: Item):  # -> ArticleRecord
    from pipeline import ArticleRecord, ExtractedArticle, ProtestAssessment, record_from_article
    from pipeline.types import GeoTags

    article = ExtractedArticle(url=item.url, canonical_url=item.url, title=item.title, body=item.body,
                               language=item.outlet.language, published=item.published, extractor_version="bench")
    assessment = ProtestAssessment(protest=item.protest, protest_score=0.9 if item.protest else 0.05,
                                   protest_types=item.types, model_version="bench")
    if item.id < 0:  # never: the full record path, kept for reference
        return record_from_article(article, source_id=item.outlet.id)
    geo = GeoTags(countries={item.outlet.country: 1.0}, event_country=item.outlet.country)
    return ArticleRecord(article=article, assessment=assessment, content_hash=f"{hash(item.body) & (2**63 - 1):x}",
                         source_id=item.outlet.id, geo=geo, fingerprint=None)


def add_outlets(engine) -> None:
    from pipeline.store import upsert_source
    from storage.db import session_scope

    with session_scope(engine) as session:
        for outlet in outlets():
            upsert_source(session, id=outlet.id, name=outlet.name, homepage=f"https://{outlet.id}.example/",
                          country=outlet.country, languages=[outlet.language])


def ingest(engine, total: int, batch: int = 500, seed: int = 20) -> None:
    """Through ``store_articles``, copies and stories found by the pipeline's own dedup."""
    from pipeline.store import store_articles
    from storage.db import session_scope

    add_outlets(engine)
    records = []
    for item in Generator(total, seed).items():
        records.append(_record(item))
        if len(records) >= batch:
            with session_scope(engine) as session:
                store_articles(session, records)
            records = []
    if records:
        with session_scope(engine) as session:
            store_articles(session, records)


def bulk(engine, total: int, batch: int = 5000, seed: int = 20, progress=None) -> None:
    """The same article INSERT as ``store_articles`` (executemany), with the generator's links."""
    from pipeline.store import _INSERT_ARTICLE, _close_own_stories, _columns
    from storage.db import session_scope
    from storage.fulltext import stem_values

    add_outlets(engine)
    dialect = engine.dialect.name
    now = datetime.now(timezone.utc)
    rows: list[dict] = []
    own: list[int] = []

    def flush() -> None:
        with session_scope(engine) as session:
            session.connection().execute(_INSERT_ARTICLE, rows)
            _close_own_stories(session, own)
        rows.clear()
        own.clear()

    for item in Generator(total, seed).items():
        record = _record(item)
        values = _columns(record)
        values.update(stem_values(dialect, item.title, None, item.body, item.outlet.language))
        values.update(id=item.id, first_seen=now, last_seen=now, crawl_run_id=None, capture_id=None,
                      story_method="bench", story_id=item.story_id, thread_id=item.story_id,
                      duplicate_of=item.duplicate_of, story_features=None)
        rows.append(values)
        if item.story_id is None:
            own.append(item.id)
        if len(rows) >= batch:
            flush()
            if progress:
                progress(item.id)
    if rows:
        flush()
