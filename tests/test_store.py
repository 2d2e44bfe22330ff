from datetime import datetime, timezone

from sqlalchemy import func, select

from pipeline.store import store_article, upsert_source
from storage.db import session_scope
from storage.models import Article, ArticleVersion
from tests.helpers import BODY, make_record


def store(engine, record):
    with session_scope(engine) as session:
        upsert_source(session, id="altiplano-bo", name="Diario El Altiplano", homepage="https://altiplano.example/",
                      country="BO", languages=["es"])
        upsert_source(session, id="voz-cauca-co", name="La Voz del Cauca", homepage="https://voz.example/",
                      country="CO", languages=["es"])
        return store_article(session, record)


def count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Article))


def test_new_article_is_stored_with_all_fields(any_engine) -> None:
    engine = any_engine
    result = store(engine, make_record())
    assert result.outcome == "new"
    with session_scope(engine) as session:
        article = session.get(Article, result.article_id)
        assert article.title == "Transportistas bloquean la carretera Oruro-La Paz"
        assert article.published == datetime(2026, 11, 21, 12, 15, tzinfo=timezone.utc)
        assert article.protest and "blockade" in article.protest_types
        assert article.source.country == "BO"
        assert any("bloque" in signal or "transportistas" in signal for signal in article.protest_signals)
        assert article.event_country == "BO" and article.countries == {"BO": 1.0}
        assert {"name": "Oruro", "kind": "city", "country": "BO", "admin1": "Oruro"} in article.places


def test_storing_the_same_article_again_changes_nothing(any_engine) -> None:
    engine = any_engine
    first = store(engine, make_record())
    again = store(engine, make_record())
    assert again.outcome == "unchanged"
    assert again.article_id == first.article_id
    assert count(engine) == 1


def test_changed_text_at_the_same_url_keeps_the_first_version_and_records_the_new_one(any_engine) -> None:
    engine = any_engine
    first = store(engine, make_record())
    update = make_record(body=BODY + " Actualización: el bloqueo fue levantado por la noche.")
    changed = store(engine, update)
    assert changed.outcome == "updated"
    assert changed.article_id == first.article_id
    assert store(engine, update).outcome == "unchanged"  # the same new version seen again
    with session_scope(engine) as session:
        article = session.get(Article, first.article_id)
        assert "levantado" not in article.body  # the first-seen version stays the article's text
        versions = session.scalars(select(ArticleVersion)).all()
        assert len(versions) == 1
        assert versions[0].article_id == first.article_id and "levantado" in versions[0].body
        assert versions[0].content_hash == update.content_hash != article.content_hash
        assert versions[0].extractor_version == "test" and versions[0].seen_at is not None
    assert count(engine) == 1


def test_same_text_at_another_outlet_is_kept_as_a_duplicate(any_engine) -> None:
    engine = any_engine
    first = store(engine, make_record())
    copy = store(engine, make_record("https://voz.example/efe/bloqueo", title="Bloqueo en Bolivia", source_id="voz-cauca-co"))
    assert copy.outcome == "duplicate"
    with session_scope(engine) as session:
        assert session.get(Article, copy.article_id).duplicate_of == first.article_id
        assert session.get(Article, first.article_id).duplicate_of is None
    assert count(engine) == 2


def test_a_failed_write_leaves_no_partial_row(any_engine) -> None:
    engine = any_engine
    store(engine, make_record())
    try:
        with session_scope(engine) as session:
            store_article(session, make_record("https://altiplano.example/otra", body="Otro texto " * 30))
            raise RuntimeError("crash mid-transaction")
    except RuntimeError:
        pass
    assert count(engine) == 1


OTHER_BODY = (
    "El precio del pan subió un 12% en Cochabamba tras el aumento de la harina importada. Los panaderos "
    "anunciaron que pedirán una reunión con el Ministerio de Desarrollo Productivo la próxima semana."
)


def _store_all(url: str, urls: list[str]) -> None:
    from storage.db import connect

    engine = connect(url)
    for article_url in urls:
        with session_scope(engine) as session:
            store_article(session, make_record(article_url, body=f"{BODY} Nota {article_url}."))
    engine.dispose()


def test_two_processes_storing_the_same_articles_make_one_row_each(any_engine) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    store(any_engine, make_record())  # sources exist before the writers start
    url = any_engine.url.render_as_string(hide_password=False)
    urls = [f"https://altiplano.example/noticias/{n}" for n in range(40)]
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        list(pool.map(_store_all, [url, url], [urls, list(reversed(urls))]))
    assert count(any_engine) == 41


def test_a_batch_has_the_same_outcomes_as_one_by_one(any_engine) -> None:
    from pipeline.store import store_articles

    engine = any_engine
    store(engine, make_record())  # already stored before the batch
    batch = [
        make_record(),  # unchanged
        make_record("https://altiplano.example/2", body=OTHER_BODY),  # new
        make_record("https://voz.example/copia", source_id="voz-cauca-co"),  # copy of the stored one
        make_record("https://voz.example/copia-2", source_id="voz-cauca-co",
                    body=OTHER_BODY),  # copy of one earlier in the batch
    ]
    with session_scope(engine) as session:
        results = store_articles(session, batch)
    assert [r.outcome for r in results] == ["unchanged", "new", "duplicate", "duplicate"]
    with session_scope(engine) as session:
        rows = {a.canonical_url: a for a in session.scalars(select(Article))}
    assert rows["https://voz.example/copia"].duplicate_of == rows["https://altiplano.example/noticias/bloqueo"].id
    assert rows["https://voz.example/copia-2"].duplicate_of == rows["https://altiplano.example/2"].id
    assert count(engine) == 4
