"""Building articles for storage and search tests without HTML, and free ports for the demo."""

from __future__ import annotations

import random
import socket
from datetime import datetime, timezone

from pipeline import record_from_article
from pipeline.types import ArticleRecord, ExtractedArticle
from protestwire.replay.server import load_sites

BODY = (
    "Cientos de transportistas bloquearon la carretera entre Oruro y La Paz este jueves en protesta por la escasez "
    "de diésel. Los dirigentes exigen al gobierno una respuesta inmediata."
)


def make_record(
    url: str = "https://altiplano.example/noticias/bloqueo",
    *,
    title: str = "Transportistas bloquean la carretera Oruro-La Paz",
    body: str = BODY,
    language: str = "es",
    published: datetime | None = datetime(2026, 11, 21, 12, 15, tzinfo=timezone.utc),
    source_id: str | None = "altiplano-bo",
    authors: list[str] | None = None,
) -> ArticleRecord:
    article = ExtractedArticle(
        url=url, canonical_url=url, title=title, body=body, language=language, published=published,
        published_source="json-ld", authors=authors or ["Ana Quispe"], extractor_version="test",
    )
    return record_from_article(article, source_id=source_id)


def fill_store(engine) -> None:  # noqa: ANN001 - an Engine
    """One Bolivian outlet with a protest article and an economy article."""
    from pipeline.store import store_article, upsert_source
    from storage.db import session_scope

    with session_scope(engine) as session:
        upsert_source(session, id="altiplano-bo", name="Diario El Altiplano", homepage="https://altiplano.example/",
                      country="BO", languages=["es"])
        store_article(session, make_record())
        store_article(session, make_record("https://altiplano.example/economia", title="Exportaciones mineras crecen",
                                           body="Las exportaciones de minerales crecieron un 8% en octubre. " * 5))


_OLDEST_ARTICLE_COLUMNS = ("url, canonical_url, content_hash, title, body, authors, language, tags, paywalled, "
                           "extractor_version, protest, protest_score, protest_types, first_seen, last_seen")


def insert_as_older_protestwire(engine, url: str, title: str, body: str, language: str = "es") -> None:  # noqa: ANN001
    """An article row as any earlier schema holds it (the columns of migration 0001 only): the
    store's write code writes columns that older schemas lack."""
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text(
            f"INSERT INTO articles ({_OLDEST_ARTICLE_COLUMNS}) VALUES (:url, :url, :hash, :title, :body, '[]', "
            ":language, '[]', false, 'old', false, 0.0, '[]', :now, :now)"),
            {"url": url, "hash": str(hash(url)), "title": title, "body": body, "language": language,
             "now": datetime(2026, 1, 1)})


def fill_older_store(engine) -> None:  # noqa: ANN001 - an Engine
    """fill_store's two articles, written as an earlier protestwire wrote them."""
    insert_as_older_protestwire(engine, "https://altiplano.example/noticias/bloqueo",
                                "Transportistas bloquean la carretera Oruro-La Paz", BODY)
    insert_as_older_protestwire(engine, "https://altiplano.example/economia", "Exportaciones mineras crecen",
                                "Las exportaciones de minerales crecieron un 8% en octubre. " * 5)


# The replay outlets of the demo, one port each.
DEMO_SITES = len(load_sites())


def free_first_port(count: int = DEMO_SITES) -> str:
    """The first of ``count`` consecutive free ports on 127.0.0.1, for `demo --first-port`: the demo
    needs the same ports on every run, and another test run on this machine may hold 8750."""
    for _ in range(50):
        first = random.randrange(20000, 60000)
        sockets = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return str(first)
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports on 127.0.0.1")
