"""Re-judge a store: score every stored article again with the current relevance model.

`protestwire classify --store` runs this. Each article gets the current protest score, types,
signals and geotags, and ``judged_with`` = the model's version, one committed batch at a time:
an interrupted run continues where it stopped, and a store already judged by this model has
nothing to do. Only articles not stamped with the current version are read, so re-running is
cheap and changes nothing. ``regroup``, when given, is called in each batch's transaction with the
articles whose protest decision flipped (a hook for story regrouping).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from pipeline.judge.classify import ClassifyOptions, classify_protest
from pipeline.judge.geotag import geotag
from pipeline.judge.relevance import load_model
from storage.db import session_scope
from storage.models import Article, Source

BATCH = 200
# Called inside each batch's transaction with the articles whose protest decision changed, so the
# story and thread grouping (pipeline.dedup.stories) can follow them in the same commit.
Regroup = Callable[[Session, Sequence[Article]], None]


def _pending(version: str):  # noqa: ANN202 - a SQLAlchemy condition
    return or_(Article.judged_with.is_(None), Article.judged_with != version)


def pending_count(engine: Engine, version: str | None = None) -> int:
    """How many stored articles the current model (or ``version``) has not judged yet."""
    version = version or load_model().version
    with session_scope(engine, write=False) as session:
        return session.scalar(select(func.count()).select_from(Article).where(_pending(version))) or 0


def rejudge_article(article: Article, outlet_country: str | None, version: str,
                    options: ClassifyOptions = ClassifyOptions()) -> bool:
    """Score ``article`` again in place; whether its protest decision changed."""
    assessment = classify_protest(article.title, article.body, article.language, options=options)
    geo = geotag(article.title, article.body, outlet_country=outlet_country)
    changed = article.protest != assessment.protest
    article.protest = assessment.protest
    article.protest_score = assessment.protest_score
    article.protest_types = list(assessment.protest_types)
    article.protest_signals = list(assessment.signals)
    article.countries = dict(geo.countries)
    article.event_country = geo.event_country
    article.places = [place.to_json() for place in geo.places]
    article.judged_with = version
    return changed


def rejudge(
    engine: Engine, *, batch: int = BATCH, regroup: Regroup | None = None,
    on_total: Callable[[int], None] | None = None, on_done: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Re-judge every article not yet judged by the current model, in committed batches of ``batch``.

    Counts "rejudged" and "flipped" (articles whose protest decision changed)."""
    version = load_model().version
    if on_total:
        on_total(pending_count(engine, version))
    outcomes: Counter[str] = Counter()
    after = 0  # ids only grow: the next batch starts past the last one (no OFFSET scans)
    while True:
        with session_scope(engine) as session:
            rows = session.execute(
                select(Article, Source.country).outerjoin(Source, Article.source_id == Source.id)
                .where(_pending(version), Article.id > after).order_by(Article.id).limit(batch)
            ).all()
            if not rows:
                break
            flipped = [article for article, country in rows if rejudge_article(article, country, version)]
            if regroup is not None and flipped:
                regroup(session, flipped)
            after = rows[-1][0].id
        outcomes["rejudged"] += len(rows)
        outcomes["flipped"] += len(flipped)
        if on_done:
            on_done(len(rows))
    return outcomes
