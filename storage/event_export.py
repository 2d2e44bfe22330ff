"""Export the event dataset: one row per story's protest event (``story_events``), CSV, JSON Lines or Parquet.

The rows are the events of the stories with an article matching the search filters (the filters of
`protestwire search`, text included), ordered by start date. Columns are EVENT_COLUMNS; ``agreement``
(each field's values and how many reports gave them) and ``sentences`` (each field's source
sentences) are JSON objects, as strings in CSV and Parquet.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.export import csv_value
from storage.models import Article, StoryEvent
from storage.search import SearchQuery, _matching

LIST_COLUMNS = ("actors", "actor_types", "action_types", "demands", "state_response")
TEXT_COLUMNS = ("start", "end", "country", "admin1", "city", "demand_text", "participants",
                "participants_category", "agreement", "sentences")
EVENT_COLUMNS = ("story_id", "start", "end", "country", "admin1", "city", "actors", "actor_types", "action_types",
                 "demands", "demand_text", "participants", "participants_estimate", "participants_category",
                 "state_response", "protester_violence", "reports", "agreement", "sentences")


def event_row(event: StoryEvent) -> dict[str, Any]:
    """One exported row of a stored event."""
    record = event.record or {}
    crowd = record.get("participants") or {}
    actors = record.get("actors") or []
    return {
        "story_id": event.story_id,
        "start": event.start_date.isoformat() if event.start_date else None,
        "end": event.end_date.isoformat() if event.end_date else None,
        "country": event.country, "admin1": event.admin1, "city": event.city,
        "actors": [a["name"] for a in actors], "actor_types": list(dict.fromkeys(a["type"] for a in actors)),
        "action_types": list(event.action_types or []), "demands": list(event.demands or []),
        "demand_text": record.get("demand_text"), "participants": crowd.get("text"),
        "participants_estimate": event.participants_estimate, "participants_category": event.participants_category,
        "state_response": list(event.state_response or []), "protester_violence": event.protester_violence,
        "reports": event.reports, "agreement": record.get("agreement") or {}, "sentences": record.get("sentences") or {},
    }


def iter_events(engine: Engine, query: SearchQuery) -> Iterator[dict[str, Any]]:
    """The events of the stories that have an article matching ``query`` (its paging ignored)."""
    story = func.coalesce(Article.story_id, Article.id)  # as protestwire.story_events keys stories
    stories = _matching(query, engine.dialect.name, story.label("story"))[0].subquery()
    stmt = (select(StoryEvent).where(StoryEvent.story_id.in_(select(stories.c.story)))
            .order_by(StoryEvent.start_date.nulls_last(), StoryEvent.story_id))
    with Session(engine) as session:
        for event in session.scalars(stmt):
            yield event_row(event)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "agreement": json.dumps(row["agreement"], ensure_ascii=False),
            "sentences": json.dumps(row["sentences"], ensure_ascii=False)}


def write_events_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_events_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: csv_value(v) for k, v in _flat(row).items()})
        count += 1
    return count


def events_parquet_schema() -> Any:
    import pyarrow as pa

    def arrow(name: str) -> Any:
        if name in LIST_COLUMNS:
            return pa.list_(pa.string())
        if name in ("story_id", "participants_estimate", "reports"):
            return pa.int64()
        if name == "protester_violence":
            return pa.bool_()
        return pa.string()

    return pa.schema([pa.field(name, arrow(name)) for name in EVENT_COLUMNS])


def write_events_parquet(rows: Iterator[dict[str, Any]], path: Any) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    flat = [_flat(row) for row in rows]
    pq.write_table(pa.Table.from_pylist(flat, schema=events_parquet_schema()), path)
    return len(flat)
