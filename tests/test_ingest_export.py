"""`protestwire ingest` and `export`, and collapsed stories in search, feeds and the HTTP API."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from protestwire.cli import main
from storage.db import connect
from storage.search import SearchQuery, search
from tests.dedup_texts import ENGLISH, MONDAY, OTHER_EVENT, PORTUGUESE, WIRE, WIRE_COPY
from web import create_app

EXTRACT_KEYS = {"url", "canonical_url", "title", "subtitle", "body", "authors", "published", "published_source",
                "modified", "language", "section", "tags", "image", "site_name", "paywalled", "extractor_version",
                "published_local", "published_offset_minutes", "published_confidence", "modified_source"}


def line(url: str, title: str, text: str, hours: int, source: str, language: str | None = None) -> str:
    data = {"url": url, "title": title, "text": text, "published": (MONDAY + timedelta(hours=hours)).isoformat(),
            "source": source}
    if language:
        data["language"] = language
    return json.dumps(data, ensure_ascii=False)


LINES = [
    line("https://efe.example/coca", "Productores de coca bloquean la carretera a los Yungas", WIRE, 0, "efe"),
    line("https://diariodelvalle.example/coca?utm_source=x", "BLOQUEO EN LOS YUNGAS", WIRE_COPY, 2, "diariodelvalle-bo"),
    line("https://folha.example/coca", "Produtores de coca bloqueiam estrada na Bolívia", PORTUGUESE, 5, "folha-br"),
    line("https://ap.example/coca", "Bolivian coca growers block highway to the Yungas", ENGLISH, 7, "ap", "en"),
    line("https://eldeber.example/diesel", "Transportistas bloquean accesos a Santa Cruz", OTHER_EVENT, 3, "eldeber-bo"),
]


def run(*args: str, input: str | None = None):  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def ingested(tmp_path: Path, db_url: str) -> str:
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = run("ingest", str(source), "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "new 4" in result.output and "duplicate 1" in result.output
    return db_url


def exported(db_url: str, *args: str) -> list[dict]:
    result = run("export", "--db", db_url, *args)
    assert result.exit_code == 0, result.output
    return [json.loads(row) for row in result.stdout.splitlines() if row.startswith("{")]


def test_ingest_keeps_every_article_and_running_it_again_adds_nothing(ingested: str, tmp_path: Path) -> None:
    rows = exported(ingested)
    assert len(rows) == 5
    assert {r["source"] for r in rows} == {"efe", "diariodelvalle-bo", "folha-br", "ap", "eldeber-bo"}
    source = tmp_path / "articles.jsonl"
    again = run("ingest", str(source), "--db", ingested)
    assert "unchanged 5" in again.output
    assert len(exported(ingested)) == 5


def test_ingest_protest_only_and_bad_lines(tmp_path: Path, db_url: str) -> None:
    source = tmp_path / "mixed.jsonl"
    quiet = line("https://x.example/feria", "Feria del libro", "La feria del libro abrió sus puertas con 200 "
                 "editoriales y una muestra de autores bolivianos. " * 4, 1, "eldeber-bo")
    source.write_text("\n".join([LINES[0], quiet, "{not json", json.dumps({"url": "https://x.example/2"})]) + "\n",
                      encoding="utf-8")
    result = run("ingest", str(source), "--protest-only", "--db", db_url)
    assert result.exit_code == 1
    assert "line 3: not JSON" in result.output and "line 4: neither a text nor a title" in result.output
    assert "new 1" in result.output and "not-protest 1" in result.output


def test_ingest_derives_a_missing_title_and_rejects_only_records_with_neither_text_nor_title(
        tmp_path: Path, db_url: str) -> None:
    untitled = {"url": "https://x.example/untitled", "text": "Docentes de Oruro marcharon este lunes hasta la "
                "gobernación para exigir el pago de los bonos atrasados desde marzo. La marcha recorrió el centro."}
    title_only = {"url": "https://x.example/title-only", "title": "Paro de transporte en Cochabamba"}
    empty = {"url": "https://x.example/empty", "title": " ", "text": ""}
    source = tmp_path / "untitled.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in (untitled, empty, title_only)) + "\n",
                      encoding="utf-8")
    result = run("ingest", str(source), "--db", db_url)
    assert result.exit_code == 1  # one record rejected, the others stored
    assert "line 2: neither a text nor a title" in result.output
    assert "new 2" in result.output and "Titles derived from the text: 1" in result.output
    titles = {r["url"]: r["title"] for r in exported(db_url)}
    assert titles["https://x.example/untitled"] == ("Docentes de Oruro marcharon este lunes hasta la gobernación "
                                                     "para exigir el pago de los bonos atrasados desde marzo.")
    assert titles["https://x.example/title-only"] == "Paro de transporte en Cochabamba"


def test_a_derived_title_is_the_first_sentence_cut_at_a_word_boundary() -> None:
    from protestwire.ingest import derive_title

    assert derive_title("O Sr. Silva pagou R$ 1.500 ontem. Depois saiu.") == "O Sr. Silva pagou R$ 1.500 ontem."
    long = "Trabajadores " + "municipales y vecinos " * 20 + "cortaron la ruta. Luego hubo más."
    title = derive_title(long, limit=60)
    assert len(title) <= 61 and title.endswith("…") and long.startswith(title[:-1])
    assert title[:-1] == title[:-1].rstrip() and long[len(title) - 1] == " "


def test_export_has_the_extract_keys_plus_ids_stories_and_copies(ingested: str) -> None:
    rows = {r["url"].split("?")[0]: r for r in exported(ingested)}
    wire, copy = rows["https://efe.example/coca"], rows["https://diariodelvalle.example/coca"]
    assert EXTRACT_KEYS | {"id", "source", "story_id", "duplicate_of"} <= set(wire)
    assert copy["duplicate_of"] == wire["id"] and wire["duplicate_of"] is None
    assert copy["canonical_url"] == "https://diariodelvalle.example/coca"  # tracking parameters dropped
    assert rows["https://folha.example/coca"]["story_id"] == wire["story_id"]
    assert rows["https://ap.example/coca"]["story_id"] == wire["story_id"]
    assert rows["https://eldeber.example/diesel"]["story_id"] != wire["story_id"]
    assert wire["published"] == wire["published_local"] == "2026-11-16T14:30:00+00:00"


def test_export_collapse_and_filters(ingested: str) -> None:
    assert len(exported(ingested, "--collapse")) == 4
    assert {r["language"] for r in exported(ingested, "--lang", "pt")} == {"pt"}
    # The geotag filters of search work here too.
    bolivian = exported(ingested, "--event-country", "BO")
    assert bolivian and {r["event_country"] for r in bolivian} == {"BO"}
    assert {r["title"] for r in exported(ingested, "--place", "Santa Cruz")} == {
        "Transportistas bloquean accesos a Santa Cruz"}


def test_export_csv_and_parquet(ingested: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    result = run("export", "--db", ingested, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout.split("Exported")[0])))
    assert len(table) == 5 and "story_id" in table[0] and table[0]["tags"] == "[]"
    target = tmp_path / "articles.parquet"
    assert run("export", "--db", ingested, "--format", "parquet", "-o", str(target)).exit_code == 0
    read = pq.read_table(target).to_pylist()
    assert len(read) == 5 and {"id", "source", "story_id", "duplicate_of", "body"} <= set(read[0])
    # Geotags keep their shape: country weights as a map, places as records.
    tagged = next(row for row in read if row["places"])
    assert tagged["event_country"] and dict(tagged["countries"])[tagged["event_country"]] > 0
    assert {"name", "kind", "country"} <= set(tagged["places"][0])
    assert run("export", "--db", ingested, "--format", "parquet").exit_code == 1  # binary needs a file


def test_search_collapses_a_story_into_one_result_unless_expanded(ingested: str) -> None:
    engine = connect(ingested)
    collapsed = search(engine, SearchQuery(text="coca", sort="newest"))
    assert len(collapsed) == 1
    assert collapsed[0].also_reported_by == 3 and collapsed[0].story_articles == 4
    expanded = search(engine, SearchQuery(text="coca", expand=True))
    assert len(expanded) == 4
    everything = search(engine, SearchQuery(sort="newest"))
    assert len(everything) == 2  # the coca story and the diesel blockade
    second_page = search(engine, SearchQuery(sort="newest", limit=1, offset=1))
    assert [h.id for h in second_page] == [everything[1].id]
    engine.dispose()


def test_feeds_and_api_say_who_else_reported_it(ingested: str) -> None:
    result = run("feed", "coca", "--db", ingested)
    parsed = feedparser.parse(result.stdout_bytes)
    assert len(parsed.entries) == 1
    assert "Also reported by 3 other outlets." in parsed.entries[0].summary
    assert len(feedparser.parse(run("feed", "coca", "--expand", "--db", ingested).stdout_bytes).entries) == 4
    engine = connect(ingested)
    client = TestClient(create_app(engine))
    body = client.get("/api/search", params={"q": "coca"}).json()
    assert body["count"] == 1 and body["results"][0]["also_reported_by"] == 3
    assert client.get("/api/search", params={"q": "coca", "expand": "1"}).json()["count"] == 4
    engine.dispose()


def test_csv_writes_every_structured_column_as_json(ingested: str) -> None:
    result = run("export", "--db", ingested, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout.split("Exported")[0])))
    for row in table:
        for column in ("countries", "places", "authors", "tags", "protest_types", "protest_signals"):
            json.loads(row[column])  # a Python repr ({'CL': 0.3}) would not parse
    tagged = next(row for row in table if row["event_country"])
    assert json.loads(tagged["countries"])[tagged["event_country"]] > 0
    assert "modified_source" in table[0]


def test_every_export_format_has_modified_source(ingested: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    assert all("modified_source" in row for row in exported(ingested))
    target = tmp_path / "articles.parquet"
    assert run("export", "--db", ingested, "--format", "parquet", "-o", str(target)).exit_code == 0
    assert "modified_source" in pq.read_table(target).column_names


def test_ingest_rejects_a_bad_url_or_source_id_by_line_and_stores_the_rest(tmp_path: Path, db_url: str) -> None:
    source = tmp_path / "bad-values.jsonl"
    bad_url = json.dumps({"url": "not a url", "title": "Paro en Lima", "text": "Los maestros marchan en Lima."})
    bad_source = json.dumps({"url": "https://x.example/paro", "title": "Paro en Lima",
                             "text": "Los maestros marchan en Lima.", "source": "Bad Source!!"})
    source.write_text("\n".join([LINES[0], bad_url, bad_source]) + "\n", encoding="utf-8")
    result = run("ingest", str(source), "--db", db_url)
    assert result.exit_code == 1
    assert "line 2: url 'not a url' is not an http(s) URL" in result.output
    assert "line 3: source 'Bad Source!!' is not a source id" in result.output
    rows = exported(db_url)
    assert [r["url"] for r in rows] == ["https://efe.example/coca"]
    assert {r["source"] for r in rows} == {"efe"}
