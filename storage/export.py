"""Export stored articles as JSON Lines, CSV or Parquet, under the keys of ``protestwire extract``.

Any search can be exported: its text and filters select the rows through the query layer's own
matching (``storage.search``), read by id in batches of CHUNK (a server-side cursor on
PostgreSQL), so memory stays constant however many rows match; Parquet is written a row group
per batch.

Every stored field is written (``source_id`` as ``source``) plus ``published_local``; only
``story_features``, ``story_method`` and ``search_stems``, internal matching aids, are left out. Near-duplicates are
included and marked by ``duplicate_of`` (the ``id`` of the canonical copy) unless ``collapse`` is
set; ``one_per`` keeps only the first stored article of each story or thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any, Literal

from sqlalchemy import Boolean, Engine, Float, Integer, BigInteger, JSON, Select, func, select
from sqlalchemy.orm import Session

from storage.models import Article, UTCDateTime
from storage.search import SearchQuery, _matching, _query_errors, group_key
from vocabulary.clock import local_time

ExportFormat = Literal["jsonl", "csv", "parquet"]
FORMATS = ("jsonl", "csv", "parquet")
INTERNAL_COLUMNS = {"story_features", "story_method", "search_stems"}
RENAMED = {"source_id": "source"}
# Rows read from the store at a time (and per Parquet row group).
CHUNK = 2000


def export_columns() -> list[str]:
    """The exported keys, in table order, then ``published_local``."""
    names = [RENAMED.get(c.name, c.name) for c in Article.__table__.columns if c.name not in INTERNAL_COLUMNS]
    return names + ["published_local"]


# The exported columns, read as plain rows (no ORM objects: an export reads millions).
_EXPORTED = [column for column in Article.__table__.columns if column.name not in INTERNAL_COLUMNS]
_KEYS = [RENAMED.get(column.name, column.name) for column in _EXPORTED]


def _row(row: Any) -> dict[str, Any]:
    data = dict(zip(_KEYS, row))
    data["published_local"] = local_time(data["published"], data["published_offset_minutes"])
    return data


def export_select(query: SearchQuery, dialect: str, *, collapse: bool = False) -> Select[Any]:
    """The exported columns of the articles matching the query's text and filters (no paging), or
    only of canonical copies."""
    stmt = _matching(query, dialect, *_EXPORTED)[0]
    return stmt.where(Article.duplicate_of.is_(None)) if collapse else stmt


def count_articles(engine: Engine, query: SearchQuery, *, collapse: bool = False) -> int:
    """How many articles an export of the query writes (exact)."""
    matching = export_select(query, engine.dialect.name, collapse=collapse).subquery()
    seen: set[int] = set()
    with _query_errors(query), Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(matching)) or 0)


def iter_articles(engine: Engine, query: SearchQuery, *, collapse: bool = False,
                  one_per: Literal["story", "thread"] | None = None) -> Iterator[dict[str, Any]]:
    """Every stored article matching the query's text and filters, by id, read CHUNK rows at a time;
    with ``one_per``, only the first of each story or thread."""
    stmt = export_select(query, engine.dialect.name, collapse=collapse)
    stmt = stmt.order_by(Article.id).execution_options(yield_per=CHUNK)
    seen: set[int] = set()
    with _query_errors(query), Session(engine) as session:
        for row in session.execute(stmt):
            if one_per is not None:
                group = group_key(row, one_per)
                if group in seen:
                    continue
                seen.add(group)
            yield _row(row)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object a line, per row."""
    for row in rows:
        yield json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False) + "\n"


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for line in jsonl_lines(rows):
        out.write(line)
        count += 1
    return count


def csv_value(value: Any) -> Any:
    """One CSV cell: lists and objects (tags, countries, places) as JSON, booleans as true/false,
    a missing value empty, a datetime in ISO 8601."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is list or kind is dict:
        return json.dumps(value, ensure_ascii=False) if value else ("[]" if kind is list else "{}")
    return _json_value(value)


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text: the header, then one article a row (cells by ``csv_value``; a row may span lines)."""
    columns = export_columns()
    header = _csv_line(columns)  # sent with the first row: a refused query fails before any output
    for row in rows:
        yield header + _csv_line([csv_value(row.get(name)) for name in columns])
        header = ""
    if header:  # no rows: the header alone
        yield header


def _csv_cell(value: Any) -> str:
    """One cell as the csv module's QUOTE_MINIMAL writes it (quoted only when it must be)."""
    cell = str(value)
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    return f'"{cell}"' if "," in cell or "\n" in cell or "\r" in cell else cell


def _csv_line(cells: list[Any]) -> str:
    """A CSV record, as ``csv.writer`` writes it (string methods: the csv module's per-character
    loop was most of an export's time)."""
    return ",".join(map(_csv_cell, cells)) + "\r\n"


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """CSV with a header, one article a row (cells by ``csv_value``)."""
    counted = _Counted(rows)
    for text in csv_lines(counted):
        out.write(text)
    return counted.count


class _Counted:
    """An iterator that counts what it hands on."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def parquet_schema() -> Any:
    import pyarrow as pa

    # JSON columns that are not lists of strings: the geotags.
    structured = {
        "countries": pa.map_(pa.string(), pa.float64()),
        "places": pa.list_(pa.struct([("name", pa.string()), ("kind", pa.string()), ("country", pa.string()),
                                      ("admin1", pa.string())])),
    }
    fields = []
    for column in Article.__table__.columns:
        if column.name in INTERNAL_COLUMNS:
            continue
        kind = column.type
        if column.name in structured:
            arrow = structured[column.name]
        elif isinstance(kind, (Integer, BigInteger)):
            arrow = pa.int64()
        elif isinstance(kind, Float):
            arrow = pa.float64()
        elif isinstance(kind, Boolean):
            arrow = pa.bool_()
        elif isinstance(kind, JSON):
            arrow = pa.list_(pa.string())
        elif isinstance(kind, UTCDateTime):
            arrow = pa.timestamp("us", tz="UTC")
        else:
            arrow = pa.string()
        fields.append(pa.field(RENAMED.get(column.name, column.name), arrow))
    fields.append(pa.field("published_local", pa.string()))
    return pa.schema(fields)


def _for_arrow(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Arrow reads a map column from (key, value) pairs.
    return [{**row, "countries": list((row.get("countries") or {}).items())} for row in rows]


def write_parquet(rows: Iterator[dict[str, Any]], path: Any) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                writer.write_table(pa.Table.from_pylist(_for_arrow(chunk), schema=schema))
                count, chunk = count + len(chunk), []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(_for_arrow(chunk), schema=schema))
            count += len(chunk)
    return count
