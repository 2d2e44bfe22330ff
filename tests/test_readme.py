"""Every example of README.md runs as the README shows it, in a directory holding a demo store.

Each shell line of the README is one case: run with bash in a copy of a directory where
`protestwire demo` made ./protestwire.db (and the input files the examples name: page.html,
saved/*.html.gz, pages.jsonl, articles.jsonl), its output checked against what the README says
the command does. Lines that need the internet (installing, crawling real outlets), run for
minutes (benchmarks) or are the test suite itself are skipped, each with the reason. A README line
no rule knows fails, so a new example needs its check here. The Python and TOML examples run too.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import feedparser
import pyarrow.parquet as pq
import pytest

from sources import parse_sources
from tests.helpers import free_first_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SITES = ROOT / "protestwire" / "replay" / "sites"
BIN = Path(sys.executable).parent
PAGE = SITES / "observador-andino-pe" / "peru" / "2026" / "11" / "20" / "paro-agrario-en-ica-noticia" / "index.html"
OTHER_PAGE = SITES / "altiplano-bo" / "noticias" / "2026" / "11" / "21" / "bloqueos-en-la-carretera-oruro-la-paz" / "index.html"
INGEST_LINES = [  # {"url", "title", "text", ...}: articles extracted elsewhere, as the README describes them
    {"id": 1, "url": "https://elcomercio.pe/peru/paro-de-transportistas-en-lima-noticia/",
     "title": "Transportistas acatan un paro en Lima contra las extorsiones",
     "text": "Miles de transportistas de Lima y Callao acataron este jueves un paro contra las extorsiones. "
             "Los gremios bloquearon avenidas y marcharon hasta el Congreso para exigir medidas al Gobierno.",
     "source": "elcomercio-pe", "published": "2026-11-20T09:00:00-05:00"},
    {"id": 2, "url": "https://elcomercio.pe/economia/exportaciones-crecen-noticia/",
     "title": "Las exportaciones peruanas crecen 8% hasta octubre",
     "text": "Las exportaciones del Perú sumaron 60.000 millones de dólares entre enero y octubre, informó el "
             "gremio de exportadores, impulsadas por el cobre y los productos agrícolas.",
     "source": "elcomercio-pe", "language": "es"},
]
SEARCH_KEYS = {  # the stable keys the README lists for `search --format json`
    "id", "url", "canonical_url", "title", "subtitle", "published", "language", "source", "source_name", "country",
    "authors", "protest", "protest_score", "protest_types", "duplicate_of", "event_country", "countries", "places",
    "snippet", "story_id", "story_articles", "also_reported_by",
}


def readme_blocks(language: str) -> list[str]:
    return [body for lang, body in re.findall(r"^```(\w+)\n(.*?)^```", README.read_text(encoding="utf-8"),
                                              re.S | re.M) if lang == language]


def readme_commands() -> list[str]:
    """The shell lines of the README, without their comments, each once."""
    commands = []
    for block in readme_blocks("sh"):
        for line in block.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command and not command.startswith("#") and command not in commands:
                commands.append(command)
    return commands


def sh(command: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(cwd), "COLUMNS": "200"})


def ok(command: str, cwd: Path) -> str:
    result = sh(command, cwd)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`protestwire demo` (on free ports) in an empty directory: ./protestwire.db and warc/."""
    folder = tmp_path_factory.mktemp("readme-demo")
    result = sh(f"protestwire demo --first-port {free_first_port()}", folder)
    assert result.returncode == 0, result.stderr
    return folder, result


@pytest.fixture
def workdir(demo_dir, tmp_path) -> Path:
    """A copy of the demo directory with the input files the examples name."""
    folder = tmp_path / "work"
    shutil.copytree(demo_dir[0], folder)
    shutil.copy(PAGE, folder / "page.html")
    (folder / "saved").mkdir()
    for name, page in (("ica.html.gz", PAGE), ("oruro.html.gz", OTHER_PAGE)):
        (folder / "saved" / name).write_bytes(gzip.compress(page.read_bytes()))
    (folder / "pages.jsonl").write_text("".join(
        json.dumps({"id": n, "url": url, "path": f"saved/{name}"}) + "\n" for n, (name, url) in enumerate([
            ("ica.html.gz", "https://elcomercio.pe/peru/paro-agrario-noticia/"),
            ("oruro.html.gz", "https://altiplano.example/noticias/bloqueos/")], start=1)), encoding="utf-8")
    (folder / "articles.jsonl").write_text("".join(json.dumps(line) + "\n" for line in INGEST_LINES), encoding="utf-8")
    return folder


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def json_objects(text: str) -> list[dict]:
    """`search --format json` output: one array of objects, or one object a line."""
    return json.loads(text) if text.lstrip().startswith("[") else json_lines(text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serving(command: str, cwd: Path, port: int, check: Callable[[str], None]) -> None:
    """Run a server command (until Ctrl-C in the README) on ``port``, check it, then stop it."""
    server = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env={"PATH": f"{BIN}:/usr/bin:/bin",
                                                                        "HOME": str(cwd)})
    try:
        for _ in range(300):
            if server.poll() is not None:
                pytest.fail(f"{command} stopped: {server.stdout.read() if server.stdout else ''}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        check(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - 127.0.0.1 only
        return answer.status, answer.read().decode("utf-8")


# --- checks, one per kind of README line: (command, workdir) -> None ---

def check_demo(command: str, demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, result = demo
    assert "Articles per outlet" in result.stdout and "Sample search" in result.stdout and "Next:" in result.stdout
    assert (folder / "protestwire.db").is_file() and list((folder / "warc").glob("*.warc.gz"))
    assert "Disabled" not in result.stdout + result.stderr  # no noise on the happy path
    assert "Traceback" not in result.stderr


def check_init(command: str, cwd: Path) -> None:
    ok(command, cwd)
    assert "Traceback" not in sh(command, cwd).stderr  # again: nothing to do, no error


def check_reextract(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    if "--source" in command:  # eltiempo-co is a real outlet, not one of the demo's
        assert "Re-extracted 0 article(s)" in output, output
    else:
        assert "Re-extracted 30 article(s)" in output and "unchanged" in output, output


def check_sources_check(command: str, cwd: Path) -> None:
    assert "no problems" in ok(command, cwd)


def check_sources_list(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    assert "BO" in output and "CL" not in re.sub(r"\bCL\w", "", output.split("\n\n")[0]), output


def check_extract_page(command: str, cwd: Path) -> None:
    (article,) = json_lines(ok(command, cwd))
    assert "error" not in article, article
    assert article["title"].startswith("Paro agrario en Ica") and article["body"] and article["published"]


def check_extract_saved(command: str, cwd: Path) -> None:
    articles = json_lines(ok(command, cwd))
    assert len(articles) == 2 and all("error" not in a and a["body"] for a in articles), articles


def check_extract_manifest(command: str, cwd: Path) -> None:
    ok(command, cwd)
    articles = json_lines((cwd / "articles.jsonl").read_text(encoding="utf-8"))
    assert [a["id"] for a in articles] == [1, 2] and all(a["title"] and "error" not in a for a in articles)


def check_classify_file(command: str, cwd: Path) -> None:
    ok(command, cwd)
    scored = json_lines((cwd / "scored.jsonl").read_text(encoding="utf-8"))
    assert [s["id"] for s in scored] == [1, 2]
    assert scored[0]["protest"] is True and scored[1]["protest"] is False
    assert scored[0]["event_country"] == "PE" and "blockade" in scored[0]["protest_types"]


def check_classify_echo(command: str, cwd: Path) -> None:
    (scored,) = json_lines(ok(command, cwd))
    assert scored["id"] == 1 and scored["event_country"] == "BO"
    assert scored["protest"] is True, scored  # a road blockade by teachers: protest coverage


def check_classify_explain(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    assert re.search(r"^1: protest \(score [01]\.\d\d", output, re.M), output  # the verdict, then its features
    assert re.search(r"^2: not protest", output, re.M) and re.search(r"^\s+[+-]\d\.\d\d  ", output, re.M), output


def check_classify_store(command: str, cwd: Path) -> None:
    first = ok(command, cwd)
    assert "Re-judged" in first or "already judged" in first, first
    assert "already judged by the current model" in ok(command, cwd)  # a finished store: nothing to do


def check_search_json(command: str, cwd: Path) -> None:
    hits = json_objects(ok(command, cwd))
    assert hits and all(SEARCH_KEYS <= set(hit) for hit in hits), hits[:1]
    assert all(hit["language"] == "es" for hit in hits)


def check_search_sql(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    assert "SELECT" in output and "articles_fts MATCH" in output


def check_search(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    expected = {"bloqueo": "Transportistas", "greve*": "greve", "paro OR huelga": "aro", "NEAR(paro nacional": "Popayán"}
    word = next(w for w in expected if w in command)
    assert expected[word].casefold() in output.casefold(), output


def check_feed(command: str, cwd: Path) -> None:
    ok(command, cwd)
    name = re.search(r"(?:> |-o )(\S+)$", command)[1]  # type: ignore[index]
    feed = feedparser.parse((cwd / name).read_bytes())
    assert not feed.bozo and feed.version.startswith("atom" if name.endswith(".atom") else "rss")
    if "bloqueo" in command:
        assert feed.entries and any("bloquean" in e.title for e in feed.entries)


def check_ingest(command: str, cwd: Path) -> None:
    ok(command, cwd)
    titles = {hit["title"] for hit in json_objects(ok("protestwire search paro --format json --expand", cwd))}
    assert INGEST_LINES[0]["title"] in titles
    protest_only = "--protest-only" in command
    exports = {a["title"] for a in json_lines(ok("protestwire export --all --source elcomercio-pe", cwd))}
    assert (INGEST_LINES[1]["title"] in exports) is not protest_only
    ok(command, cwd)  # the same file again adds nothing
    again = [a["title"] for a in json_lines(ok("protestwire export --all --source elcomercio-pe", cwd))]
    assert sorted(again) == sorted(exports)


def check_export_jsonl(command: str, cwd: Path) -> None:
    ok(command, cwd)
    articles = json_lines((cwd / "articles.jsonl").read_text(encoding="utf-8"))
    assert len(articles) == 30
    assert all({"id", "source", "story_id", "duplicate_of", "protest", "countries", "places", "first_seen"}
               <= set(a) for a in articles)


def check_export_parquet(command: str, cwd: Path) -> None:
    ok(command, cwd)
    rows = pq.read_table(cwd / re.search(r"-o (\S+)", command)[1]).to_pylist()  # type: ignore[index]
    assert rows
    if "--country BO" in command:
        assert {row["source"] for row in rows} == {"altiplano-bo"}
    if "--event-country PE" in command:
        assert all(row["event_country"] == "PE" and "blockade" in row["protest_types"] for row in rows)


def check_export_csv(command: str, cwd: Path) -> None:
    ok(command, cwd)
    with (cwd / "protests.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["protest"] in ("true", "True", "1") for row in rows)
    assert all(row["duplicate_of"] == "" for row in rows)  # --collapse: no copies
    assert all(isinstance(json.loads(row["protest_types"]), list) for row in rows)  # lists as JSON arrays


def check_export_query(command: str, cwd: Path) -> None:
    """`export TEXT --filters`: only the matches, to Parquet or CSV."""
    ok(command, cwd)
    name = re.search(r"-o (\S+)$", command)[1]  # type: ignore[index]
    if name.endswith(".parquet"):
        rows = pq.read_table(cwd / name).to_pylist()
    else:
        with (cwd / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    everything = json_lines(ok("protestwire export", cwd))
    assert rows and len(rows) < len(everything), len(rows)
    if "--country CO" in command:
        assert {row["source"] for row in rows} <= {s["source"] for s in everything if s["source"].endswith("-co")}
        assert all("paro nacional" in (row["title"] + " " + row["body"]).casefold() for row in rows)
    if "--since 2026-01-01" in command:
        assert all(str(row["published"]) >= "2026-01-01" for row in rows)
        assert all(re.search(r"bloque|paro c[ií]vico", (row["title"] + row["body"]).casefold()) for row in rows)


def check_export_one_per_thread(command: str, cwd: Path) -> None:
    ok(command, cwd)
    articles = json_lines((cwd / "threads.jsonl").read_text(encoding="utf-8"))
    everything = json_lines(ok("protestwire export", cwd))
    assert articles and len({a["thread_id"] for a in articles}) == len(articles)  # one per thread
    assert {a["thread_id"] for a in articles} == {a["thread_id"] for a in everything}
    assert len(articles) < len(everything)


def check_stats(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    if "--format json" in command:
        rows = json.loads(output)
        assert rows and all(set(row) == {"week", "country", "articles"} for row in rows), rows
        assert all(row["country"] == "CO" and row["articles"] > 0 for row in rows)  # "paro nacional": the Cauca story
    elif "--format csv" in command:
        name = re.search(r"> (\S+)$", command)[1]  # type: ignore[index]
        with (cwd / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and set(rows[0]) == {"week", "event_country", "articles"}, rows[:1]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", row["week"]) and int(row["articles"]) > 0 for row in rows)
    else:  # the table: a column per outlet country, weeks by their Monday, totals
        assert "week of" in output and "total" in output and all(cc in output for cc in ("BO", "BR", "CO", "PE"))
        assert re.search(r"^\s*2026-11-\d\d\s", output, re.M), output


def check_search_threads(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    if "--collapse thread" in command:
        assert "one per thread" in output and "Paro nacional" in output, output
        return
    # --thread ID: thread 1042 is an example id; the demo's biggest thread lists all its articles
    assert "No articles match" in output, output
    threads = [a["thread_id"] for a in json_lines(ok("protestwire export", cwd))]
    thread = max(set(threads), key=threads.count)
    hits = json_objects(ok(command.replace("1042", str(thread)) + " --format json --limit 1000", cwd))
    assert len(hits) == threads.count(thread) > 1, hits
    assert all(hit["story_id"] for hit in hits)


def check_regroup(command: str, cwd: Path) -> None:
    before = {a["id"]: (a["story_id"], a["thread_id"]) for a in json_lines(ok("protestwire export", cwd))}
    output = ok(command, cwd)
    assert "Regrouped" in output and "Traceback" not in output, output
    after = {a["id"]: (a["story_id"], a["thread_id"]) for a in json_lines(ok("protestwire export", cwd))}
    assert after == before  # a store grouped by the current method is left as it is
    assert "Regrouped" in ok(command, cwd)


EVENT_COLUMNS = {"story_id", "start", "end", "country", "admin1", "city", "actors", "actor_types", "action_types",
                 "demands", "demand_text", "participants", "participants_estimate", "participants_category",
                 "state_response", "protester_violence", "reports", "agreement", "sentences"}


def check_events(command: str, cwd: Path) -> None:
    if "--rebuild" not in command:
        ok("protestwire events --rebuild --format csv -o /dev/null", cwd)  # the session's step before
    result = sh(command, cwd)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    output = result.stdout
    name = re.search(r"-o (\S+)$", command)
    if name and name[1].endswith(".parquet"):
        rows = pq.read_table(cwd / name[1]).to_pylist()
    else:
        text = (cwd / name[1]).read_text(encoding="utf-8") if name else output.split("\nExported")[0]
        rows = list(csv.DictReader(text.splitlines()))
    assert rows and EVENT_COLUMNS <= set(rows[0]), rows[:1]
    assert len({row["story_id"] for row in rows}) == len(rows)  # one row per protest story
    if "--rebuild" in command:
        assert re.search(r"Events: \d+ coded", result.stdout + result.stderr), result  # the summary
    if "--country PE" in command:
        assert all(str(row["start"]) >= "2026-11-01" for row in rows)
        assert {row["country"] for row in rows} == {"PE"}
    if '"paro"' in command:
        assert all(isinstance(row["actors"], list) for row in rows) and len(rows) < 30


def check_serve(command: str, cwd: Path) -> None:
    port = free_port()
    feed_url = re.search(r"#\s+(http://127\.0\.0\.1:8000/\S+)", README.read_text(encoding="utf-8"))[1]  # type: ignore[index]

    def check(base: str) -> None:
        assert get(f"{base}/healthz")[0] == 200
        status, body = get(feed_url.replace("http://127.0.0.1:8000", base))
        assert status == 200 and feedparser.parse(body).version.startswith("atom")

    serving(command.replace("8000", str(port)), cwd, port, check)


def check_curl(command: str, cwd: Path) -> None:
    port = free_port()
    url = re.search(r"'(http://127\.0\.0\.1:8000/[^']+)'", command)[1]  # type: ignore[index]
    path = url.split("8000", 1)[1].split("?")[0]

    def check(base: str) -> None:
        status, body = get(url.replace("http://127.0.0.1:8000", base))
        assert status == 200
        if path == "/api/export":  # -o paro.csv: every match as CSV
            rows = list(csv.DictReader(body.splitlines()))
            assert rows and all("paro nacional" in (r["title"] + " " + r["body"]).casefold() for r in rows), rows[:1]
            assert {"id", "source", "story_id", "thread_id", "protest"} <= set(rows[0])
            return
        answer = json.loads(body)
        if path == "/openapi.json":
            assert answer["openapi"].startswith("3.") and {"/api/articles", "/api/stories", "/api/facets",
                                                           "/api/export", "/api/events"} <= set(answer["paths"])
        elif path == "/api/stories":
            assert answer["stories"] and answer["total"] >= len(answer["stories"])
            assert all({"story_id", "hit", "articles", "outlets"} <= set(s) and s["hit"]["country"] == "CO"
                       for s in answer["stories"])
        elif path == "/api/facets":
            assert set(answer["facets"]) == {"country", "language", "week"} and answer["facets"]["country"], answer
        elif path == "/api/events":
            assert answer["results"] and all(EVENT_COLUMNS <= set(event) for event in answer["results"])
        else:
            assert path in ("/api/articles", "/api/search") and answer["results"]
            assert all(hit["country"] == "BO" and hit["protest"] for hit in answer["results"])

    if path == "/api/events":
        ok("protestwire events --rebuild --format csv -o /dev/null", cwd)
    serving(f"protestwire serve --port {port}", cwd, port, check)


def check_postgres_init(command: str, cwd: Path) -> None:
    from tests.services import fresh_postgres_database, require_postgres

    require_postgres()
    with fresh_postgres_database() as url:
        ok(f"export PROTESTWIRE_DB={url} && protestwire init && protestwire search paro", cwd)


def check_datasette(command: str, cwd: Path) -> None:
    port = free_port()

    def check(base: str) -> None:
        status, body = get(f"{base}/protestwire/articles.json?_search=bloqueo&_shape=array&_col=title")
        titles = [row["title"] for row in json.loads(body)]
        assert status == 200 and titles and len(titles) < 30, titles
        assert any("bloquea" in title for title in titles)

    serving(f"{command} --port {port}", cwd, port, check)


def check_feeds_add(command: str, cwd: Path) -> None:
    ok(command, cwd)
    name = command.split()[3]
    (saved,) = [row for row in json.loads(ok("protestwire feeds list --format json", cwd)) if row["name"] == name]
    assert saved["atom"] == f"/feeds/{name}.atom" and saved["query"]["text"]


def check_feeds_list(command: str, cwd: Path) -> None:
    ok("protestwire feeds add readme-check --q bloqueo", cwd)
    assert "readme-check" in ok(command, cwd)


def check_feeds_remove(command: str, cwd: Path) -> None:
    name = command.split()[3]
    ok(f"protestwire feeds add {name} --q greve", cwd)
    ok(command, cwd)
    assert name not in ok("protestwire feeds list", cwd)


def check_feeds_build(command: str, cwd: Path) -> None:
    from tests.feed_check import check_feed as valid_feed

    ok("protestwire feeds add bloqueos-bo --q bloqueo --country BO --protest", cwd)
    ok(command, cwd)
    folder, base = cwd / command.split()[3], command.split("--base-url ")[1].split()[0]
    assert (folder / "index.opml").is_file() and (folder / "country" / "BO.atom").is_file()
    parsed = valid_feed((folder / "bloqueos-bo.atom").read_bytes())
    assert parsed.entries and all("BO" in {t.term for t in e.tags} for e in parsed.entries)
    assert any(l.href == f"{base}/bloqueos-bo.atom" for l in parsed.feed.links)
    assert valid_feed((folder / "all.rss").read_bytes()).entries


def check_status(command: str, cwd: Path) -> None:
    output = ok(command, cwd)
    if "--format json" in command:
        rows = json.loads(output)
        assert rows and {"source", "verdict", "last_success", "per_day_now", "http_403", "no_body"} <= set(rows[0])
        assert {row["verdict"] for row in rows} <= {"healthy", "quiet", "blocked", "broken", "failing"}
    else:
        assert "Source health" in output and "altiplano-bo" in output


def skip(reason: str) -> Callable[[str, Path], None]:
    def skipped(command: str, cwd: Path) -> None:
        pytest.skip(reason)
    return skipped


INTERNET = "needs the internet"
RULES: list[tuple[str, Callable[[str, Path], None]]] = [
    (r"^python3 -m venv ", skip(f"installs protestwire from PyPI ({INTERNET}); its demo runs as its own case")),
    (r"^bash scripts/test\.sh$", skip("runs this very test suite")),
    (r"^pip install ", skip(f"installs extras from PyPI ({INTERNET}); the test extras include them")),
    (r"^protestwire demo$", check_demo),
    (r"^protestwire demo --serve$", skip("serves the replay sites until Ctrl-C; the demo case crawls them")),
    (r"^protestwire init( --no-backfill)?$", check_init),
    (r"^protestwire crawl\b", skip(f"crawls real outlets ({INTERNET})")),
    (r"^protestwire schedule\b", skip(f"crawls real outlets on their schedule ({INTERNET})")),
    (r"^protestwire sources check --online\b", skip(f"fetches the outlet's feeds ({INTERNET})")),
    (r"^protestwire reextract\b", check_reextract),
    (r"^protestwire sources check$", check_sources_check),
    (r"^protestwire sources list\b", check_sources_list),
    (r"^protestwire extract page\.html\b", check_extract_page),
    (r"^protestwire extract saved/", check_extract_saved),
    (r"^protestwire extract --manifest\b", check_extract_manifest),
    (r"^protestwire classify --input\b", check_classify_file),
    (r"^echo .*\| protestwire classify$", check_classify_echo),
    (r"^protestwire classify --explain\b", check_classify_explain),
    (r"^protestwire classify --store\b", check_classify_store),
    (r"^protestwire search .*--format json", check_search_json),
    (r"^protestwire search .*--sql$", check_search_sql),
    (r"^protestwire search .*(--collapse thread|--thread \d+)", check_search_threads),
    (r"^protestwire search ", check_search),
    (r"^protestwire feed ", check_feed),
    (r"^protestwire ingest ", check_ingest),
    (r"^protestwire feeds add ", check_feeds_add),
    (r"^protestwire feeds list$", check_feeds_list),
    (r"^protestwire feeds remove ", check_feeds_remove),
    (r"^protestwire feeds build ", check_feeds_build),
    (r"^protestwire status\b", check_status),
    (r"^protestwire export --all > articles\.jsonl$", check_export_jsonl),
    (r"^protestwire export --format parquet\b", check_export_parquet),
    (r"^protestwire export --format csv\b", check_export_csv),
    (r"^protestwire export ('[^']+'|\"[^\"]+\") .*-o \S+$", check_export_query),
    (r"^protestwire export --one-per thread -o threads\.jsonl$", check_export_one_per_thread),
    (r"^protestwire stats\b", check_stats),
    (r"^protestwire regroup$", check_regroup),
    (r"^protestwire events\b", check_events),
    (r"^protestwire serve --port 8000( --workers \d+)?$", check_serve),
    (r"^curl ", check_curl),
    (r"^export PROTESTWIRE_DB=postgresql", check_postgres_init),
    (r"^datasette protestwire\.db$", check_datasette),
    (r"^python (-m )?benchmarks[./]", skip("reads the corpora of ../shared and runs for minutes: benchmarks print "
                                           "figures, they are not tests")),
]
def rule_for(command: str) -> Callable[[str, Path], None] | None:
    return next((check for pattern, check in RULES if re.search(pattern, command)), None)


def cases() -> list:
    params = []
    for command in readme_commands():
        check = rule_for(command)
        params.append(pytest.param(command, check, id=command[:70]))
    return params


def test_every_readme_command_has_a_check() -> None:
    unknown = [command for command in readme_commands() if rule_for(command) is None]
    assert not unknown, f"README commands with no check in tests/test_readme.py: {unknown}"


@pytest.mark.parametrize(("command", "check"), cases())
def test_readme_command(command: str, check: Callable[[str, Path], None] | None, request) -> None:
    if check is None:
        pytest.fail(f"no check for {command!r}")
    if check is check_demo:
        check(command, request.getfixturevalue("demo_dir"))
    else:
        check(command, request.getfixturevalue("workdir"))


def test_the_sources_example_is_a_valid_source() -> None:
    (block,) = readme_blocks("toml")
    (source,) = parse_sources(block, "README.md")
    assert source.id == "eldeber-bo" and source.country == "BO" and source.allows("https://eldeber.com.bo/pais/x")


def test_the_python_example_prints_the_stored_article(tmp_path: Path) -> None:
    """"From Python": a page of a registered outlet, processed, stored, then found by outlet country; then the
    second example (counts and whole results) on the same engine and names."""
    first, second = readme_blocks("python")
    shutil.copy(PAGE, tmp_path / "page.html")
    try:
        import pandas  # noqa: F401
    except ImportError:  # pandas is no dependency: a DataFrame stand-in that keeps the rows the README builds
        second = second.replace("import pandas as pd", "class pd:  # noqa: N801\n"
                                "    DataFrame = staticmethod(lambda rows, columns=None: list(rows))")
    code = first + second + "\nprint(len(weeks), len(articles))\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5, result.stdout
    assert lines[0].startswith("Paro agrario en Ica") and "2026-11-20" in lines[0]
    assert lines[1].startswith("2026-11-20") and "Paro agrario en Ica" in lines[1]
    assert lines[2] == "0"  # the one stored article is Peruvian, the query asks for Colombia
    assert "'language'" in lines[3] and "'protest_type'" in lines[3], lines[3]
    assert lines[4] == "0 0", lines[4]
