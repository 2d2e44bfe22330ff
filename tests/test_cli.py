"""The CLI driven in-process: each command, its help, and its errors."""

import json
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from protestwire.cli import main
from storage.db import connect
from tests.helpers import fill_store

README = Path(__file__).resolve().parents[1] / "README.md"
COMMANDS = sorted(main.commands)


@pytest.fixture
def filled_db(db_url: str) -> str:
    engine = connect(db_url)
    fill_store(engine)
    engine.dispose()
    return db_url


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"protestwire {name}" in README.read_text(encoding="utf-8")


def test_init_creates_and_upgrades_the_store(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert run("init", "--db", url).exit_code == 0
    second = run("init", "--db", url)
    assert second.exit_code == 0 and "Store ready" in second.output


def test_db_can_come_from_the_environment(filled_db: str) -> None:
    result = run("search", "carretera", "--format", "json", env={"PROTESTWIRE_DB": filled_db})
    assert [hit["title"] for hit in json.loads(result.output)] == ["Transportistas bloquean la carretera Oruro-La Paz"]


def test_search_json_has_stable_keys(filled_db: str) -> None:
    result = run("search", "--db", filled_db, "--format", "json", "--country", "bo", "--all")
    hits = json.loads(result.output)
    assert len(hits) == 2
    assert {"id", "url", "canonical_url", "title", "published", "language", "source", "country", "protest",
            "protest_score", "protest_types", "duplicate_of"} <= hits[0].keys()


def test_search_shows_protest_coverage_unless_all(filled_db: str) -> None:
    for scope in ([], ["--protest"]):  # the default, and the same said aloud
        result = run("search", "--db", filled_db, *scope)
        assert result.exit_code == 0
        assert "Transportistas bloquean" in result.output and "Exportaciones" not in result.output
    every = run("search", "--db", filled_db, "--all")
    assert "Transportistas bloquean" in every.output and "Exportaciones" in every.output


def test_search_sql_prints_the_query(filled_db: str) -> None:
    result = run("search", "paro", "--db", filled_db, "--sql")
    assert result.output.startswith("SELECT") and "MATCH" in result.output


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_prints_a_valid_feed(filled_db: str, fmt: str) -> None:
    result = CliRunner().invoke(main, ["feed", "--db", filled_db, "--format", fmt, "--protest"])
    parsed = feedparser.parse(result.stdout_bytes)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Transportistas bloquean la carretera Oruro-La Paz"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--country", "Peru"], "ISO 3166-1 alpha-2"),
        (["search", "paro OR", "--raw"], "drop --raw"),
        (["search", "--since", "2026-11-20", "--until", "2026-11-01"], "is after until"),
        (["feed", "--lang", "spanish"], "ISO 639-1"),
    ],
)
def test_bad_queries_get_a_clear_error_and_exit_1(filled_db: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--db", filled_db])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_store_without_schema_says_to_run_init(tmp_path) -> None:
    result = CliRunner().invoke(main, ["search", "paro", "--db", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert result.exit_code == 1 and "protestwire init" in result.output


def test_crawl_refuses_unknown_sources(tmp_path) -> None:
    result = CliRunner().invoke(main, ["crawl", "--source", "nope", "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert result.exit_code == 1 and "unknown source id" in result.output


def test_the_documented_commands_exist() -> None:
    assert {"init", "crawl", "search", "feed", "demo"} <= set(COMMANDS)


CLASSIFY_KEYS = {"id", "protest", "protest_score", "protest_types", "countries", "event_country", "places", "signals"}


def test_classify_reads_json_lines_and_prints_one_result_per_line(tmp_path) -> None:
    lines = [
        {"id": "a", "title": "Maestros bloquean la carretera a Oruro", "language": "es",
         "text": "Los maestros rurales mantienen el bloqueo de la carretera La Paz-Oruro y exigen al gobierno un bono."},
        {"id": 7, "title": "Exportações de soja batem recorde", "text": "As vendas ao exterior cresceram 9%."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n", encoding="utf-8")
    result = run("classify", "--input", str(path))
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    assert all(set(o) == CLASSIFY_KEYS | ({"event"} if o["protest"] else set()) for o in out)
    assert out[0]["protest"] is True and "blockade" in out[0]["protest_types"]
    assert out[0]["event_country"] == "BO" and out[0]["countries"]["BO"] > 0.5
    assert {"name": "Oruro", "kind": "city", "country": "BO", "admin1": "Oruro"} in out[0]["places"]
    assert any("maestros" in s or "bloque" in s for s in out[0]["signals"])  # weighted features of the text
    assert out[1]["protest"] is False and out[1]["protest_types"] == []


def test_classify_reads_stdin_and_reports_bad_lines_without_stopping() -> None:
    stdin = 'not json\n["a list"]\n{"id": 3, "title": "", "text": ""}\n{"id": 4, "title": "Greve", "text": "Greve em Recife."}\n'
    result = CliRunner().invoke(main, ["classify"], input=stdin, catch_exceptions=False)
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o.get("line") for o in out[:3]] == [1, 2, 3]
    assert all("error" in o for o in out[:3]) and out[2]["id"] == 3
    assert out[3]["id"] == 4 and out[3]["event_country"] == "BR"


def test_search_filters_by_event_country_type_and_place(filled_db: str) -> None:
    found = json.loads(run("search", "--db", filled_db, "--event-country", "bo", "--protest-type", "blockade",
                           "--place", "oruro", "--format", "json").output)
    assert [hit["title"] for hit in found] == ["Transportistas bloquean la carretera Oruro-La Paz"]
    assert found[0]["event_country"] == "BO"
    result = run("search", "--db", filled_db, "--protest-type", "parade")
    assert result.exit_code == 1 and "protest type must be one of" in result.output
