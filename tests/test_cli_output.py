"""What the CLI prints: other people's text (titles, outlet names, URLs) printed as it is, never
read as rich markup; the search table with id and URL at 100 columns; counts and paging."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from crawlers.check import UrlCheck
from crawlers.run import RunSummary
from pipeline.store import store_article, upsert_source
from protestwire import cli
from protestwire.cli import main
from protestwire.tables import checks_table, hits_table, runs_table
from storage.db import connect, session_scope
from storage.search import SearchQuery, search
from tests.helpers import make_record

HOSTILE_TITLES = [
    "[fotos] Marcha en Cusco por el agua",
    "Cierre [/] total de la vía",
    "[bold red]Alerta[/bold red] en El Alto",
    "[link=https://evil.example]Paro[/link] cívico",
]
HOSTILE_NAME = "[fotos] Diario [/] de [red]Cusco[/red]"
LONG_URL = "https://cusco.example/noticias/2026/11/21/" + "marcha-regional-por-el-agua-" * 3 + "cusco-[fotos]/"


def invoke(*args: str, width: int = 100):
    return CliRunner().invoke(main, list(args), terminal_width=width, env={"COLUMNS": str(width)})


@pytest.fixture
def hostile_db(db_url: str) -> str:
    engine = connect(db_url)
    with session_scope(engine) as session:
        upsert_source(session, id="cusco-pe", name=HOSTILE_NAME, homepage="https://cusco.example/", country="PE",
                      languages=["es"])
        start = datetime(2026, 11, 21, 15, tzinfo=timezone.utc)
        for number, title in enumerate(HOSTILE_TITLES):
            url = LONG_URL if number == 0 else f"https://cusco.example/{number}"
            body = f"Texto número {number} sobre la jornada: {title}. " * 3 + f"Detalle {number} " * number
            store_article(session, make_record(url, title=title, body=body, source_id="cusco-pe",
                                               published=start - timedelta(hours=number)))
    engine.dispose()
    return db_url


def flat(output: str) -> str:
    """The output without the spaces and line breaks a wrapped cell adds."""
    return "".join(output.split())


def test_search_prints_hostile_titles_as_they_are(hostile_db: str) -> None:
    result = invoke("search", "--db", hostile_db, "--all", "--expand")
    assert result.exit_code == 0, result.output
    for title in HOSTILE_TITLES:
        assert flat(title) in flat(result.output)


def test_search_table_has_id_and_url_and_fits_100_columns(hostile_db: str) -> None:
    result = invoke("search", "--db", hostile_db, "--all", "--expand")
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[1].split()[:2] == ["id", "published"] and "url" in lines[1]
    ids = [hit.id for hit in search(connect(hostile_db), SearchQuery(expand=True))]
    first_cells = [line.split()[0] for line in lines[3:] if line.strip()]
    assert set(map(str, ids)) <= set(first_cells)
    assert flat(LONG_URL) in flat(result.output)
    assert "https://cusco.example/3" in result.output


def test_hostile_text_in_every_table_is_literal() -> None:
    """The tables hold Text, not markup: even a console that reads markup prints them as they are."""
    console = Console(width=200, record=True, markup=True)
    runs = RunSummary(spider="[bold]feeds[/]", status="finished", pages_fetched=1, articles_new=1,
                      articles_updated=0, articles_unchanged=0, articles_duplicate=0, articles_dropped=1,
                      drop_reasons={"[/] listing": 1}, errors={"[red]dns[/red]": 1})
    checks = UrlCheck(source_id="cusco-pe", kind="feed", url="https://cusco.example/rss?tag=[fotos]", status=None,
                      links=0, problem="[/] refused")
    console.print(runs_table([runs]))
    console.print(checks_table([checks]))
    console.print(hits_table([], "[/] [fotos] title"))
    printed = console.export_text()
    for text in ("[bold]feeds[/]", "[/] listing: 1", "[red]dns[/red]: 1", "https://cusco.example/rss?tag=[fotos]",
                 "[/] refused", "[/] [fotos] title"):
        assert text in printed


def test_sources_list_prints_hostile_names(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        f'[[source]]\nid = "cusco-pe"\nname = "{HOSTILE_NAME}"\nhomepage = "http://127.0.0.1/"\ncountry = "PE"\n'
        'languages = ["es"]\nfeeds = ["http://127.0.0.1:9/rss?tag=[fotos]"]\n', encoding="utf-8")
    listed = invoke("sources", "list", "--sources", str(registry), width=200)
    assert listed.exit_code == 0 and HOSTILE_NAME in listed.output
    checked = invoke("sources", "check", "--online", "--sources", str(registry), width=200)
    assert "http://127.0.0.1:9/rss?tag=[fotos]" in checked.output and "Traceback" not in checked.output


def test_errors_and_hints_print_their_brackets(filled_db_with_brackets: str, capsys) -> None:
    result = invoke("search", "--lang", "[/]", "--db", filled_db_with_brackets)
    assert result.exit_code == 1 and "not '[/]'" in result.output and "Traceback" not in result.output
    with pytest.raises(SystemExit):
        cli.fail("the web server needs its extra", "pip install -e '.[web]'")
    assert "pip install -e '.[web]'" in capsys.readouterr().err


@pytest.fixture
def filled_db_with_brackets(hostile_db: str) -> str:
    return hostile_db


def test_errors_are_one_line(hostile_db: str) -> None:
    result = invoke("search", "--raw", "foo:bar", "--db", hostile_db, width=60)
    assert result.exit_code == 1
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1


def test_search_shows_page_against_total_and_the_next_page(hostile_db: str) -> None:
    first = invoke("search", "--db", hostile_db, "--all", "--expand", "--limit", "3")
    assert first.output.startswith("3 of 4 article(s) matching all articles")
    assert "Next page: --offset 3 --limit 3" in first.output
    second = invoke("search", "--db", hostile_db, "--all", "--expand", "--limit", "3", "--offset", "3")
    assert second.output.startswith("1 of 4 (from 4) article(s)") and "Next page" not in second.output
    as_json = invoke("search", "--db", hostile_db, "--format", "json", "--all", "--expand", "--limit", "1", "--offset", "3")
    assert [hit["title"] for hit in json.loads(as_json.output)] == [HOSTILE_TITLES[3]]


def test_search_notes_operators_read_as_words(hostile_db: str) -> None:
    result = invoke("search", "marcha or paro", "--db", hostile_db)
    assert "'or' was searched as a word; operators are written in capitals (OR)" in result.output


def test_feed_sort_option_is_honoured(hostile_db: str) -> None:
    import feedparser

    def titles(*extra: str) -> list[str]:
        result = CliRunner().invoke(main, ["feed", "Detalle OR jornada", "--db", hostile_db, "--all", "--expand", *extra])
        return [entry.title for entry in feedparser.parse(result.stdout_bytes).entries]

    newest = titles()
    assert newest == HOSTILE_TITLES  # stored an hour apart, the first newest
    assert titles("--sort", "relevance") != newest and sorted(titles("--sort", "relevance")) == sorted(newest)


def test_search_help_states_the_query_limits() -> None:
    from storage.search import MAX_QUERY_CHARACTERS, MAX_QUERY_WORDS

    help_text = " ".join(invoke("search", "--help").output.split())
    assert f"at most {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARACTERS:,} characters" in help_text


@pytest.mark.parametrize(
    ("args", "message"),
    [(["search", "--since", "ayer"], "since must be a day as YYYY-MM-DD, not 'ayer'"),
     (["feed", "--until", "2026-02-30"], "until must be a day as YYYY-MM-DD"),
     (["search", "--limit", "many"], "limit must be a whole number, not 'many'"),
     (["search", "--limit", "5000"], "limit must be between 1 and 1000"),
     (["search", "--offset", "-1"], "offset must be 0 or more"),
     (["feed", "--lang", "[/]"], "not '[/]'"),
     (["search", "--country", "Perú"], "ISO 3166-1 alpha-2"),
     (["search", "--tz", "Nowhere/Here"], "unknown time zone"),
     (["search", "paro " * 200], "too long (1,000 characters, 200 words)")],
)
def test_bad_values_get_the_query_layers_one_line_error(hostile_db: str, args: list[str], message: str) -> None:
    result = invoke(*args, "--db", hostile_db, width=60)
    assert result.exit_code == 1, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
