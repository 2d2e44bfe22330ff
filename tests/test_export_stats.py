"""`protestwire export TEXT` (a search, streamed in batches) and `protestwire stats` (per week and country)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.test_ingest_export import exported, ingested, run  # noqa: F401 - the fixture

__all__ = ["ingested"]


def test_export_takes_a_search_text(ingested: str) -> None:  # noqa: F811
    titles = {r["title"] for r in exported(ingested, "yungas")}
    assert titles == {"Productores de coca bloquean la carretera a los Yungas", "BLOQUEO EN LOS YUNGAS",
                      "Produtores de coca bloqueiam estrada na Bolívia",
                      "Bolivian coca growers block highway to the Yungas"}
    assert {r["title"] for r in exported(ingested, "yungas", "--lang", "en")} == {
        "Bolivian coca growers block highway to the Yungas"}
    assert {r["title"] for r in exported(ingested, '"santa cruz"')} == {"Transportistas bloquean accesos a Santa Cruz"}
    assert len(exported(ingested, "yungas", "--collapse")) == 3  # the copy of the wire story left out


def test_export_of_a_bad_search_is_one_line(ingested: str) -> None:  # noqa: F811
    result = run("export", "--db", ingested, "paro OR")
    assert result.exit_code == 1 and "OR needs a word" in result.output and "Traceback" not in result.output


def test_export_reads_and_writes_in_batches(ingested: str, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    import pyarrow.parquet as pq

    from storage import export

    monkeypatch.setattr(export, "CHUNK", 2)
    target = tmp_path / "bolivia.parquet"
    result = run("export", "--db", ingested, "coca OR santa", "--format", "parquet", "-o", str(target))
    assert result.exit_code == 0, result.output
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_rows == 5 and parquet.metadata.num_row_groups == 3  # 2 + 2 + 1
    assert [r["id"] for r in parquet.read().to_pylist()] == sorted(r["id"] for r in parquet.read().to_pylist())


def stats(db_url: str, *args: str) -> str:
    result = run("stats", "--db", db_url, *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_stats_per_week_and_country_as_json_csv_and_table(ingested: str) -> None:  # noqa: F811
    rows = json.loads(stats(ingested, "--format", "json"))
    assert rows and set(rows[0]) == {"week", "country", "articles"}
    assert sum(r["articles"] for r in rows) == 5
    assert all(r["week"] == rows[0]["week"] for r in rows)  # one Monday: the articles span hours
    by_event = json.loads(stats(ingested, "--format", "json", "--by", "event_country", "yungas"))
    assert {r["event_country"] for r in by_event} == {"BO"} and sum(r["articles"] for r in by_event) == 4
    table = list(csv.DictReader(io.StringIO(stats(ingested, "--format", "csv", "--lang", "pt"))))
    assert [row["articles"] for row in table] == ["1"]
    printed = stats(ingested, "--protest")
    assert "week of" in printed and "total" in printed


@pytest.mark.parametrize("args", [["--country", "Bolivia"], ["--since", "ayer"], ["paro OR"]])
def test_stats_refuses_bad_filters_in_one_line(ingested: str, args: list[str]) -> None:  # noqa: F811
    result = run("stats", "--db", ingested, *args)
    assert result.exit_code == 1 and "Error:" in result.output and "Traceback" not in result.output


def test_stats_has_no_paging_options() -> None:
    result = run("stats", "--help")
    assert "--limit" not in result.output and "--since" in result.output
