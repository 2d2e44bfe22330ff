"""The `protestwire` command: thin click commands over the library (storage, crawlers, feeds)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

# Each command imports what it runs in its body: the query layer (SQLAlchemy's ORM, the models), the
# registry, Scrapy, the extractors and alembic cost most of a second, which `protestwire --help` or a
# search should not pay (tests/test_startup.py checks what each command loads).
from protestwire.tables import checks_table, hits_table, page_caption, page_title, runs_table, sources_table
from storage.db import (
    StoreError, check_store, connect, explain, is_read_only, require_schema, resolve_db_url, sqlite_store_is_new,
    store_location,
)
from storage.query_syntax import MAX_LIMIT

if TYPE_CHECKING:
    from storage.search import SearchQuery

F = TypeVar("F", bound=Callable[..., Any])
# No console markup: titles, outlet names, URLs and messages carry "[...]" of their own
# ("[fotos] Marcha...", "pip install -e '.[web]'"); styles are set with Text and style= only.
console = Console(markup=False)
errors = Console(stderr=True, markup=False)


def db_option(func: F) -> F:
    return click.option(
        "--db", "db_url", metavar="URL", envvar="PROTESTWIRE_DB", default=None,
        help="Store URL (sqlite:///file.db, postgresql+psycopg://...). Default: $PROTESTWIRE_DB, else ./protestwire.db.",
    )(func)


# Researchers come for protest coverage: commands that read the store answer with the articles
# scored as protest unless --all asks for every stored one (--protest says the default aloud).
SCOPE_OPTION = click.option("--protest/--all", "protest_only", default=True,
                            help="Only articles scored as protest coverage (the default), or --all: every stored article.")


def filter_options(func: F, *, paging: bool = True) -> F:
    """The search filters shared by `search`, `feed` and (without paging and order) `stats`."""
    options = [
        click.argument("text", required=False, default=""),
        click.option("--country", help="Outlet country, ISO 3166-1 alpha-2 (PE, BO, BR...)."),
        click.option("--lang", "language", help="Article language, ISO 639-1 (es, pt, en)."),
        click.option("--source", help="Source id from the registry (see sources/sources.toml)."),
        click.option("--since", metavar="YYYY-MM-DD",
                     help="Published on or after this day: the publisher's own calendar day, unless --tz."),
        click.option("--until", metavar="YYYY-MM-DD",
                     help="Published on or before this day: the publisher's own calendar day, unless --tz."),
        click.option("--tz", metavar="ZONE",
                     help="Read --since/--until in this time zone for every article: America/La_Paz, UTC, -04:00."),
        SCOPE_OPTION,
        click.option("--event-country", help="Country where the story happened (geotag), ISO alpha-2, e.g. BO."),
        click.option("--protest-type", help="Kind of action: strike, blockade, march, occupation, cacerolazo, "
                     "riot, sit_in, hunger_strike, protest."),
        click.option("--place", help="City or state/province/department named in the article, e.g. 'La Paz'."),
        click.option("--raw", is_flag=True,
                     help="Pass TEXT to the full-text engine as-is (FTS5 syntax on SQLite: NEAR, column:...)."),
        click.option("--thread", type=int, help="Only the articles of this thread (a thread_id)."),
        db_option,
    ]
    if paging:  # what a page of results needs, and counting commands do not
        options[-1:-1] = [
            click.option("--limit", metavar="N", default="20", show_default=True,
                         help=f"Maximum number of results (1-{MAX_LIMIT})."),
            click.option("--offset", metavar="N", default="0", help="Skip this many results (the next page's offset)."),
            click.option("--cursor", metavar="CURSOR",
                         help="Start where the previous page ended: its 'Next page: --cursor ...' (instead of --offset)."),
            click.option("--sort", type=click.Choice(["relevance", "newest"]), default=None,
                         help="Order of results: relevance (search's default) or newest (feed's default)."),
            click.option("--expand", is_flag=True,
                         help="Every matching article; default: one per story (copies and other outlets' reports collapsed)."),
            click.option("--collapse", type=click.Choice(["story", "thread", "none"]), default="story", show_default=True,
                         help="One result per story (event), per thread (developing story over weeks), or none."),
        ]
    for option in reversed(options):
        func = option(func)
    return func


def count_filter_options(func: F) -> F:
    """The search text and filters, without --limit, --offset, --sort and --expand (commands that count)."""
    return filter_options(func, paging=False)


def make_query(**kwargs: Any) -> SearchQuery:
    """The options as a validated query: the query layer reads and checks every value."""
    from storage.search import build_query

    return build_query(**kwargs)


def fail(message: str, hint: str | None = None) -> None:
    # soft_wrap: one line however narrow the terminal, for scripts and logs that read it.
    errors.print(Text.assemble(("Error:", "bold red"), " ", message), highlight=False, soft_wrap=True)
    if hint:
        errors.print(Text(f"Hint: {hint}", style="dim"), highlight=False, soft_wrap=True)
    sys.exit(1)


STORE_KEY = "protestwire.store"


def open_store(db_url: str | None, *, create: bool = False, backfill: bool = True) -> Any:
    """The store's engine. ``create`` (commands that write): make the store if needed (saying so)
    and set up or upgrade its schema, then (``backfill``) fingerprint the articles stored before
    copies and stories were indexed. Without ``create`` a missing SQLite file is an error: a
    mistyped --db never leaves an empty file behind."""
    where = store_location(db_url)
    context = click.get_current_context(silent=True)
    if context is not None:  # for the error of a later query (ProtestwireGroup.invoke)
        context.meta[STORE_KEY] = where
    try:
        engine = connect(db_url, create=create)
        if not create:
            require_schema(engine)
            check_store(engine)
            return engine
        writable_store(engine)
        from protestwire.upgrade import upgrade_store  # the pipeline's imports only for commands that write

        new = sqlite_store_is_new(engine)
        upgrade_store(engine, console, errors, backfill=backfill)
        check_store(engine)
        if new:
            errors.print(f"Created a new store at {where}.", highlight=False, markup=False)
        return engine
    except StoreError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(explain(exc, where))


def writable_store(store: Any) -> None:
    """Fail unless the store (an engine, or a URL: nothing is created then) can be written."""
    try:
        engine = connect(store) if isinstance(store, str) else store
    except StoreError as exc:
        fail(str(exc))
    if is_read_only(engine):
        fail(f"the store {store_location(engine.url.render_as_string(hide_password=False))} is read-only (its file "
             "or folder is not writable): commands that read it work, this one writes; make both writable, or copy "
             "the store elsewhere")


class ProtestwireGroup(click.Group):
    """Every store or engine error of any command becomes one line and exit status 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            fail(str(exc))
        except SQLAlchemyError as exc:
            fail(explain(exc, ctx.meta.get(STORE_KEY, "in use")))


def one_line_fetch_errors(record: logging.LogRecord) -> bool:
    """Scrapy's robots.txt middleware logs an unreachable outlet with a traceback: one line is enough
    (the run's table counts the failure; -v keeps the traceback)."""
    if record.name == "scrapy.downloadermiddlewares.robotstxt":
        record.exc_info, record.exc_text = None, None
    return True


def setup_logging(verbose: bool) -> None:
    # The level sits on the handler: Scrapy sets its own loggers to DEBUG when a crawl starts.
    handler = RichHandler(console=errors, show_path=False)
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    if not verbose:
        handler.addFilter(one_line_fetch_errors)
    logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s", handlers=[handler], force=True)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


@click.group(cls=ProtestwireGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="protestwire")
def main() -> None:
    """protestwire: Latin American protest news, crawled, searchable and in feeds.

    Start with `protestwire demo`, then `protestwire search bloqueo`.
    """


@main.command()
@click.option("--no-backfill", is_flag=True,
              help="After upgrading, leave articles stored before copies and stories were indexed unfingerprinted "
                   "(the next init, crawl, ingest or demo fills them).")
@db_option
def init(no_backfill: bool, db_url: str | None) -> None:
    """Create the store's schema, or upgrade it to the newest version (safe to re-run).

    Articles stored by an older protestwire then get their fingerprints, as if stored one by one
    in publication order, so copies and stories are found among them too (resumable; a run with
    nothing to fill does nothing). Example: protestwire init --db sqlite:///research.db
    """
    engine = open_store(db_url, create=True, backfill=not no_backfill)
    console.print(f"Store ready at {engine.url.render_as_string(hide_password=True)}")


@main.group()
def sources() -> None:
    """Inspect and validate the sources registry (sources/sources.toml or --sources FILE).

    Example: protestwire sources check --online
    """


def sources_file_option(func: F) -> F:
    return click.option("--sources", "sources_file", type=click.Path(dir_okay=False),
                        help="Sources registry file to use instead of sources/sources.toml.")(func)


@sources.command("list")
@sources_file_option
@click.option("--country", help="Only outlets of this country (ISO 3166-1 alpha-2).")
def sources_list(sources_file: str | None, country: str | None) -> None:
    """Print the registry as a table, with the number of outlets per country.

    Example: protestwire sources list --country BR
    """
    from collections import Counter

    from sources import SourcesError, load_sources

    try:
        registry = load_sources(sources_file)
    except SourcesError as exc:
        fail(str(exc), "run `protestwire sources check` for every problem with its line")
    chosen = [s for s in registry if not country or s.country == country.upper()]
    table = sources_table(chosen)
    console.print(table)
    counts = Counter(s.country for s in chosen)
    console.print("Per country: " + ", ".join(f"{cc} {n}" for cc, n in sorted(counts.items())))


@sources.command("check")
@sources_file_option
@click.option("--online", is_flag=True, help="Also fetch every feed, sitemap and section page once and report it.")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="With --online: only this source (repeatable).")
def sources_check(sources_file: str | None, online: bool, source_ids: tuple[str, ...]) -> None:
    """Validate the registry: unknown keys, bad codes, duplicate ids, URLs outside allowed domains.

    Exits 1 when anything is wrong. Example: protestwire sources check --online --source g1-br
    """
    from crawlers.check import check_sources
    from sources import SourcesError, load_sources, select_sources

    try:
        registry = select_sources(load_sources(sources_file), list(source_ids))
    except SourcesError as exc:
        for problem in exc.problems:
            errors.print(problem, highlight=False, markup=False)
        fail(f"{len(exc.problems)} problem(s) in the sources registry")
    console.print(f"{len(registry)} sources, no problems in the file.")
    if not online:
        return
    results = check_sources(registry)
    table = checks_table(results)
    console.print(table)
    bad = [r for r in results if not r.ok]
    console.print(f"{len(results) - len(bad)} of {len(results)} URLs answered with article links.")
    if bad:
        sys.exit(1)


@main.command()
@click.option("--spider", type=click.Choice(["feeds", "sitemaps", "sections", "all"]), default="all",
              show_default=True, help="Which discovery to run: RSS/Atom feeds, news sitemaps, listing pages, or all.")
@click.option("--refetch", is_flag=True, help="Fetch articles again even when already stored (to catch corrections).")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Crawl only this source (repeatable).")
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False), help="Sources registry file to use instead of sources/sources.toml.")
@click.option("--protest-only", is_flag=True, help="Store only articles scored as protest coverage.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or protestwire setting (see crawlers/settings.py), e.g. DOWNLOAD_DELAY=2.")
@click.option("-v", "--verbose", is_flag=True, help="Log each request and dropped page.")
@db_option
def crawl(spider: str, refetch: bool, source_ids: tuple[str, ...], sources_file: str | None, protest_only: bool,
          settings: tuple[str, ...], verbose: bool, db_url: str | None) -> None:
    """Crawl the registry's outlets into the store (needs the internet).

    Example: protestwire crawl --source elcomercio-pe --spider feeds
    """
    from crawlers.run import run_crawl, unreached_sources
    from sources import SourcesError, load_sources, select_sources

    setup_logging(verbose)
    try:
        sources = select_sources(load_sources(sources_file), list(source_ids))
    except SourcesError as exc:
        fail(str(exc))
    url = resolve_db_url(db_url)
    close_stale_runs_of(open_store(url, create=True))
    spiders = ("feeds", "sitemaps", "sections") if spider == "all" else (spider,)
    overrides: dict[str, Any] = {"PROTESTWIRE_PROTEST_ONLY": protest_only, "PROTESTWIRE_PROGRESS": errors.is_terminal,
                                 "PROTESTWIRE_REFETCH": "always" if refetch else "never"}
    for assignment in settings:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            fail(f"--set takes NAME=VALUE, not {assignment!r}")
        overrides[name.strip()] = value
    summaries = run_crawl(sources, url, spiders=spiders, overrides=overrides)
    print_runs(summaries)
    unreached = unreached_sources(summaries)
    if unreached:
        fail(f"no answer from {', '.join(unreached)}: every request failed (see the run table)",
             "check the network and the URLs (`protestwire sources check --online --source ID`)")


@main.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Schedule only this source (repeatable).")
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, exists=True),
              help="Sources registry file to use instead of sources/sources.toml.")
@click.option("--once", is_flag=True, help="Crawl every source once, one after the other, then exit (for cron).")
@click.option("--interval-seconds", type=click.FloatRange(1, None), default=None, metavar="N",
              help="Crawl every source every N seconds instead of its crawl_interval_minutes (trials, tests).")
@click.option("-v", "--verbose", is_flag=True, help="Log each crawl as it starts and ends.")
@db_option
def schedule(source_ids: tuple[str, ...], sources_file: str | None, once: bool, interval_seconds: float | None,
             verbose: bool, db_url: str | None) -> None:
    """Crawl each source every crawl_interval_minutes (from the registry), until Ctrl-C.

    Each crawl runs in its own process; a failing outlet is logged and retried at its next turn.
    Example: protestwire schedule --source elcomercio-pe --source eltiempo-co
    """
    import scheduler
    from sources import SourcesError, load_sources, select_sources

    setup_logging(verbose or not once)
    try:
        sources = select_sources(load_sources(sources_file), list(source_ids))
    except SourcesError as exc:
        fail(str(exc))
    url = resolve_db_url(db_url)
    close_stale_runs_of(open_store(url, create=True))
    if not once:
        scheduler.run_forever(sources, url, sources_file, interval_seconds=interval_seconds)
        return
    codes = scheduler.run_once(sources, url, sources_file)
    failed = sorted(source for source, code in codes.items() if code != 0)
    console.print(f"Crawled {len(codes) - len(failed)} of {len(codes)} sources."
                  + (f" Failed: {', '.join(failed)}." if failed else ""), highlight=False, markup=False)
    if failed:
        sys.exit(1)


def close_stale_runs_of(engine: Any) -> None:
    """Close the crawl runs a killed process left "running" (crawlers.run.close_stale_runs)."""
    from crawlers.state import INTERRUPTED, close_stale_runs

    closed = close_stale_runs(engine)
    if closed:
        errors.print(f"Closed {closed} crawl run(s) left running by a process that is gone: status {INTERRUPTED}.",
                     highlight=False, markup=False)
    engine.dispose()


def print_runs(summaries: list[Any]) -> None:
    console.print(runs_table(summaries))


@main.command()
@click.option("--run", "run_id", type=int, help="Only articles captured by this crawl run (see crawl_runs).")
@click.option("--source", "source_id", metavar="ID", help="Only this source's articles.")
@click.option("--workers", default=2, show_default=True, help="Worker processes (0: this process only).")
@db_option
def reextract(run_id: int | None, source_id: str | None, workers: int, db_url: str | None) -> None:
    """Extract stored articles again from their raw pages (WARC captures), with the current pipeline.

    Nothing is fetched. Example: protestwire reextract --source elcomercio-pe
    """
    from rich.progress import Progress

    from protestwire.reextract import reextract as run_reextract

    engine = open_store(db_url)
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("Re-extracting", total=None)
        outcomes = run_reextract(
            engine, run_id=run_id, source_id=source_id, workers=workers,
            on_total=lambda n: progress.update(task, total=n), on_done=lambda: progress.advance(task),
        )
    total = sum(outcomes.values())
    details = ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())) or "nothing captured"
    console.print(f"Re-extracted {total} article(s): {details}.")



@main.command("regroup")
@click.option("--restart", is_flag=True, help="Regroup every article again, not only those left to do.")
@db_option
def regroup_command(restart: bool, db_url: str | None) -> None:
    """Recompute the stories and threads of stored articles with the current method.

    Articles are placed in publication order as if stored one by one; batches are committed, so
    an interrupted run resumes, and a store already regrouped is left alone (init runs this too).
    Example: protestwire regroup --db sqlite:///research.db
    """
    from protestwire.upgrade import regroup

    engine = open_store(db_url, create=False)  # the schema must be current (init upgrades it, and regroups too)
    regroup(engine, console, errors, restart=restart)

@main.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--url", help="The page's URL (with one PATH); default: file:// of the path.")
@click.option("--manifest", type=click.File("r", encoding="utf-8"),
              help='JSON Lines of {"id", "url", "path"}: extract each page with its URL; each output line echoes id.')
def extract(paths: tuple[str, ...], url: str | None, manifest: Any) -> None:
    """Extract articles from saved pages (.html or .html.gz) and print one JSON object per page.

    Keys: url, canonical_url, title, subtitle, body, authors, published, published_source, modified,
    language, section, tags, image, site_name, paywalled, extractor_version; a page that cannot be
    read gets {"error": ...}, and one with no article text gets its error beside its title and dates
    (empty body). Pages of outlets in the sources registry get the outlet's newsroom clock. Example: protestwire extract page.html --url https://elcomercio.pe/peru/x-noticia/
    """
    from protestwire.files import extract_jobs, extract_one

    if url and len(paths) != 1:
        fail("--url goes with exactly one PATH; use --manifest for several pages")
    if not paths and manifest is None:
        fail("give one or more PATHs, or --manifest FILE")
    try:
        for job in extract_jobs(paths, url, manifest):
            click.echo(json.dumps(extract_one(job), ensure_ascii=False))
    except ValueError as exc:  # a manifest line that is not {"id", "url", "path"}
        fail(str(exc))


def encoding_option(func: F) -> F:
    return click.option("--encoding", default="utf-8", show_default=True,
                        help="The input's text encoding (latin-1, cp1252...); a line that does not decode is "
                             "reported with its number and byte.")(func)


def input_lines(file: Any, encoding: str) -> Any:
    """The lines of a binary input, decoded one by one (pipeline.textlines)."""
    from pipeline.textlines import check_encoding, text_lines

    try:
        check_encoding(encoding)
    except LookupError:
        fail(f"unknown encoding {encoding!r}", "e.g. --encoding utf-8, latin-1 or cp1252")
    return text_lines(file, encoding)


@main.command("classify")
@click.option("--input", "input_file", type=click.File("rb"), default="-", show_default="stdin",
              help='JSON Lines of {"id", "title", "text", "language"?, "outlet_country"?}.')
@encoding_option
@click.option("--explain", is_flag=True, help="Print each verdict with the features that moved its score, readably.")
@click.option("--store", "rejudge_store", is_flag=True,
              help="Re-judge every article in the store (--db) with the current model instead; resumable.")
@db_option
def classify_command(input_file: Any, encoding: str, explain: bool, rejudge_store: bool, db_url: str | None) -> None:
    """Score protest relevance and geotag articles, one JSON object per input line.

    Output keys: id, protest, protest_score, protest_types, countries, event_country, places,
    signals, and for protest coverage an event record under "event" (docs/EVENTS.md; "published"
    in the input dates "ayer", "ontem"); a bad line gets {"line", "error"}. protest_score is a calibrated probability (0.5:
    even odds, the threshold of protest). Example:
    echo '{"id": 1, "title": "Paro en La Paz", "text": "Los maestros marchan."}' | protestwire classify --explain
    """
    if rejudge_store:
        rejudge_command(db_url)
        return
    from pipeline.judge.assess import assess_lines, explain_lines

    for result in assess_lines(input_lines(input_file, encoding)):
        click.echo("\n".join(explain_lines(result)) if explain else json.dumps(result, ensure_ascii=False))


def rejudge_command(db_url: str | None) -> None:
    """`classify --store`: every stored article scored again by the current model, in committed batches."""
    from rich.progress import Progress

    from protestwire.rejudge import rejudge

    engine = open_store(db_url)
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("Re-judging", total=None)
        outcomes = rejudge(engine, on_total=lambda n: progress.update(task, total=n),
                           on_done=lambda n: progress.advance(task, n))
    console.print(f"Re-judged {outcomes['rejudged']} article(s); {outcomes['flipped']} changed their protest "
                  "verdict." if outcomes["rejudged"] else "Every article is already judged by the current model.")


@main.command()
@click.argument("file", type=click.File("rb"))
@click.option("--protest-only", is_flag=True, help="Store only articles scored as protest coverage.")
@encoding_option
@db_option
def ingest(file: Any, protest_only: bool, encoding: str, db_url: str | None) -> None:
    """Store pre-extracted articles from JSON Lines (FILE, or - for standard input).

    Each line: {"url", "title"?, "text"?, "published"?, "source"?, "language"?}, with a text or a
    title (no title: the text's first sentence, counted as "titles derived"; "body", as `export`
    writes it, is read as the text). Articles go
    through normalise, classify, dedup and store; copies are kept and marked. Re-running the
    same file adds nothing. Example: protestwire ingest articles.jsonl --db sqlite:///research.db
    """
    from rich.progress import Progress

    from protestwire.ingest import ingest_lines

    lines = input_lines(file, encoding)
    engine = open_store(db_url, create=True)
    total = None
    if file.seekable():  # a file, not a pipe: count its lines first so the bar shows how far along it is
        total = sum(1 for _ in file)
        file.seek(0)
    # Event records need no pass of their own: store_articles refreshes a story's in its transaction.
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("Ingesting", total=total)
        report = ingest_lines(engine, lines, protest_only=protest_only, on_line=lambda: progress.advance(task))
    for problem in report.invalid[:20]:
        errors.print(problem, highlight=False, markup=False)
    if len(report.invalid) > 20:
        errors.print(f"... and {len(report.invalid) - 20} more bad lines", highlight=False)
    details = ", ".join(f"{name} {count}" for name, count in sorted(report.outcomes.items())) or "nothing"
    derived = f" Titles derived from the text: {report.titles_derived}." if report.titles_derived else ""
    console.print(f"Ingested {sum(report.outcomes.values())} line(s): {details}.{derived}")
    if report.invalid:
        sys.exit(1)


@main.command()
@click.argument("text", required=False, default="")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default: standard output; parquet needs one).")
@click.option("--collapse", is_flag=True, help="Leave out near-duplicates (articles with duplicate_of set).")
@click.option("--one-per", type=click.Choice(["story", "thread"]),
              help="Only the first stored article of each story (event) or thread (developing story).")
@click.option("--thread", type=int, help="Only the articles of this thread (a thread_id).")
@click.option("--country", help="Outlet country, ISO 3166-1 alpha-2 (PE, BO, BR...).")
@click.option("--lang", "language", help="Article language, ISO 639-1 (es, pt, en).")
@click.option("--source", help="Source id from the registry.")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this day (the publisher's day, unless --tz).")
@click.option("--until", metavar="YYYY-MM-DD", help="Published on or before this day (the publisher's day, unless --tz).")
@click.option("--tz", metavar="ZONE", help="Read --since/--until in this time zone for every article.")
@SCOPE_OPTION
@click.option("--event-country", help="Country where the story happened (geotag), ISO alpha-2, e.g. BO.")
@click.option("--protest-type", help="Kind of action: strike, blockade, march, occupation, cacerolazo, riot...")
@click.option("--place", help="City or state/province/department named in the article, e.g. 'La Paz'.")
@click.option("--raw", is_flag=True, help="Pass TEXT to the full-text engine as-is (as search --raw).")
@db_option
def export(text: str, fmt: str, output: str | None, collapse: bool, one_per: str | None, db_url: str | None,
           **filters: Any) -> None:
    """Write every stored article a search matches (TEXT, as `search` reads it, and the filters), with all
    stored fields, streamed in batches at constant memory; a progress bar shows on a terminal.

    Keys are those of `extract` plus id, source, story_id, thread_id and duplicate_of (the id of the
    canonical copy, or null). Every match is written (no --limit; every copy unless --collapse).
    Examples: protestwire export --format parquet --country BO -o bo.parquet;
    protestwire export '"paro nacional"' --country CO --format csv -o paro.csv
    """
    from storage.export import count_articles, iter_articles, write_csv, write_jsonl, write_parquet
    from storage.search import QueryError

    engine = open_store(db_url)
    if fmt == "parquet" and not output:
        fail("parquet is binary: give a file with --output")
    try:
        query = make_query(text=text, **filters)
        total = count_articles(engine, query, collapse=collapse) if errors.is_terminal else None
    except QueryError as exc:
        fail(str(exc))
    rows = with_progress(iter_articles(engine, query, collapse=collapse, one_per=one_per), total, "Exporting")
    try:
        if fmt == "parquet":
            count = write_parquet(rows, output)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = (write_jsonl if fmt == "jsonl" else write_csv)(rows, out)
        else:
            count = (write_jsonl if fmt == "jsonl" else write_csv)(rows, sys.stdout)
    except OSError as exc:
        fail(f"cannot write {output or 'standard output'}: {exc.strerror or exc}",
             "check that the folder exists and is writable")
    except QueryError as exc:
        fail(str(exc))
    errors.print(f"Exported {count} article(s).", highlight=False)


def with_progress(rows: Any, total: int | None, label: str) -> Any:
    """The rows, advancing a progress bar on standard error while they are read (a terminal only)."""
    if not errors.is_terminal:
        yield from rows
        return
    from rich.progress import Progress

    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task(label, total=total)
        for row in rows:
            yield row
            progress.advance(task)


@main.command()
@count_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--by", type=click.Choice(["country", "event_country"]), default="country", show_default=True,
              help="Count by the outlet's country or by the country where the story happened (geotag).")
def stats(fmt: str, by: str, db_url: str | None, **filters: Any) -> None:
    """Count the articles a search matches per country and week (weeks named by their Monday, in the
    publisher's calendar). Takes search's TEXT and filters; every copy counts.

    Examples: protestwire stats --protest --since 2026-01-01; protestwire stats bloqueo --format csv > weeks.csv
    """
    from storage.facets import grouped_counts
    from storage.search import QueryError

    engine = open_store(db_url)
    try:
        query = make_query(**filters)
        counts = grouped_counts(engine, query, ("week", by))
    except QueryError as exc:
        fail(str(exc))
    rows = sorted((week, country, count) for (week, country), count in counts)
    if fmt == "json":
        click.echo(json.dumps([{"week": w, by: c, "articles": n} for w, c, n in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["week", by, "articles"])
        writer.writerows(rows)
    elif not rows:
        console.print(Text(f"No articles match {query.describe()}."), highlight=False)
    else:
        from protestwire.tables import weeks_table

        console.print(weeks_table(rows, f"Articles per week and {by.replace('_', ' ')}: {query.describe()}"))


@main.command("events")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default: standard output; parquet needs one).")
@click.option("--rebuild", is_flag=True, help="First (re)code the event of every protest story that changed "
              "(resumable: unchanged stories are skipped).")
def events_command(fmt: str, output: str | None, rebuild: bool, db_url: str | None, **filters: Any) -> None:
    """Export the protest event dataset: one row per story, its reports' event records merged.

    The filters are search's (outlet --country, --since/--until on publication, TEXT...): an event is
    written when one of its story's articles matches. Fields and coding rules: docs/EVENTS.md.
    Example: protestwire events --country PE --since 2022-12-01 --format csv
    """
    from protestwire.story_events import refresh_story_events
    from storage.event_export import iter_events, write_events_csv, write_events_jsonl, write_events_parquet
    from storage.search import QueryError

    engine = open_store(db_url)
    filters["limit"] = "1"  # paging does not apply to the dataset
    try:
        query = make_query(**filters)
    except QueryError as exc:
        fail(str(exc))
    if rebuild:
        writable_store(engine)
        done = refresh_story_events(engine)
        errors.print(f"Events: {done.coded} coded, {done.unchanged} unchanged, {done.removed} removed.",
                     highlight=False)
    if fmt == "parquet" and not output:
        fail("parquet is binary: give a file with --output")
    rows = iter_events(engine, query)
    try:
        if fmt == "parquet":
            count = write_events_parquet(rows, output)
        else:
            writer = write_events_jsonl if fmt == "jsonl" else write_events_csv
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    count = writer(rows, out)
            else:
                count = writer(rows, sys.stdout)
    except OSError as exc:
        fail(f"cannot write {output or 'standard output'}: {exc.strerror or exc}",
             "check that the folder exists and is writable")
    errors.print(f"Exported {count} event(s).", highlight=False)


@main.command("search")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL that would run, and stop.")
def search_command(fmt: str, show_sql: bool, db_url: str | None, **filters: Any) -> None:
    """Search stored articles: accent-insensitive words, "quoted phrases", prefix*, OR, NOT or -word,
    (parentheses). Operators in capitals; at most 100 words and 1,000 characters.

    Examples: protestwire search bloqueo --country BO --since 2026-11-01;
    protestwire search '(paro OR huelga) -futbol' --lang es --format json; protestwire search paro --offset 20
    """
    from storage.search import QueryError, search_page, search_sql

    engine = open_store(db_url)
    try:
        query = make_query(**filters)
        if show_sql:
            click.echo(search_sql(engine, query))
            return
        page = search_page(engine, query)
    except QueryError as exc:
        fail(str(exc))
    if fmt == "json":  # the hits alone, as before: a script reads standard output as one document
        click.echo(json.dumps([h.to_json() for h in page.hits], ensure_ascii=False, indent=2))
        return
    for note in query.notes():
        console.print(Text(f"Note: {note}", style="dim"), highlight=False)
    if not page.hits:
        past = f" at offset {page.offset:,} (there are {page.total:,})" if page.offset else ""
        console.print(Text(f"No articles match {query.describe()}{past}."), highlight=False)
    else:
        console.print(hits_table(page.hits, page_title(page, query), caption=page_caption(page, query)))


@main.command("feed")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["atom", "rss"]), default="atom", show_default=True)
@click.option("--output", "-o", type=click.File("wb"), default="-", help="Write the feed to this file (default: standard output).")
@click.option("--self-url", help="The URL this feed will be served at (written as its self link).")
def feed_command(fmt: str, output: Any, self_url: str | None, db_url: str | None, **filters: Any) -> None:
    """Print an Atom or RSS feed of the articles a search finds, newest first (or --sort relevance).

    Example: protestwire feed '"paro nacional"' --country CO --format rss -o paro.xml
    """
    from feeds import feed_document
    from storage.search import QueryError, build_query

    engine = open_store(db_url)
    try:
        query = build_query(**filters, default_sort="newest")
        body = feed_document(engine, query, fmt, self_url=self_url)  # with each story's other reports
    except QueryError as exc:
        fail(str(exc))
    output.write(body)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; each answers requests in its own threads, with its own read-only connections "
                   "(on SQLite, one process a core is a good start).")
@db_option
def serve(host: str, port: int, workers: int, db_url: str | None) -> None:
    """Serve the search page (/), the HTTP API (/api/articles, /api/stories, /api/facets, /api/export,
    /openapi.json) and feeds (needs the `web` extra). Feeds and API answers carry ETag and
    Last-Modified: a client sending them back gets 304 while the store is unchanged.

    Example: protestwire serve --port 8000 --workers 2, then
    curl 'http://127.0.0.1:8000/feeds/search.atom?q=%22paro+nacional%22&country=CO'
    """
    import os

    try:
        import uvicorn

        import web  # noqa: F401 - the extra's imports, checked before anything starts
    except ImportError:
        fail("the web server needs its extra: pip install -e '.[web]'")
    open_store(db_url).dispose()  # a missing, damaged or outdated store fails here, with its one line
    os.environ["PROTESTWIRE_DB"] = resolve_db_url(db_url)  # what each worker's app_from_environment opens
    console.print(f"Serving the search page at http://{host}:{port}/, the API (/api/articles, /openapi.json) "
                  f"and feeds (/feeds/search.atom|.rss) with {workers} process(es); Ctrl-C stops")
    uvicorn.run("web:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


@main.command()
@click.option("--serve", is_flag=True, help="After the crawl, keep serving the replay sites and their feeds until Ctrl-C.")
@click.option("-v", "--verbose", is_flag=True, help="Log each request and dropped page.")
@click.option("--first-port", type=click.IntRange(1024, 65000), default=None,
              help="First of the consecutive 127.0.0.1 ports the replay outlets use (default 8750); "
                   "keep it the same from run to run, since the stored URLs carry it.")
@db_option
def demo(serve: bool, verbose: bool, first_port: int | None, db_url: str | None) -> None:
    """Crawl local replay outlets (no network needed) into the store and show what was collected.

    Example: protestwire demo && protestwire search bloqueo
    """
    from protestwire.demo import DEMO_FIRST_PORT, run_demo
    from protestwire.replay.server import PortInUse

    setup_logging(verbose)
    url = resolve_db_url(db_url)
    writable_store(url)
    try:
        run_demo(url, console, serve=serve, first_port=first_port or DEMO_FIRST_PORT)
    except PortInUse as busy:
        fail(f"{busy} (another protestwire demo?): stop it, or run the demo on other ports with "
             "--first-port N, the same N every time, as the stored URLs carry the port")


# Saved searches and subscriber feeds (issue 13): `protestwire feeds add|list|remove|build`.
@main.group("feeds")
def feeds_group() -> None:
    """Saved searches followed as feeds, and static files of every feed.

    A saved search NAME is served at /feeds/NAME.atom and /feeds/NAME.rss by `protestwire serve`,
    beside the ready-made /feeds/all.atom, /feeds/country/BO.atom and /feeds/type/blockade.atom.
    Example: protestwire feeds add bloqueos-bo --q bloqueo --event-country BO --protest
    """


@feeds_group.command("add")
@click.argument("name")
@count_filter_options
@click.option("--q", "q_text", metavar="TEXT", help="The search text (as `search` reads it); or give it as TEXT.")
@click.option("--sort", type=click.Choice(["newest", "relevance"]), default="newest", show_default=True,
              help="Order of the feed's entries.")
@click.option("--collapse", type=click.Choice(["story", "thread", "none"]), default="story", show_default=True,
              help="One entry per story (event), per thread, or every article (none).")
@click.option("--replace", "replace_existing", is_flag=True, help="Replace a saved search of the same name.")
def feeds_add(name: str, q_text: str | None, replace_existing: bool, db_url: str | None, **filters: Any) -> None:
    """Save a search under NAME (lower-case letters, digits, dashes): its text and any of search's filters.

    Examples: protestwire feeds add bloqueos-bo --q bloqueo --country BO --protest;
    protestwire feeds add greves --q 'greve*' --lang pt --protest-type strike
    """
    from storage.saved_searches import SavedSearchError, save_search
    from storage.search import QueryError

    if q_text is not None and filters.get("text"):
        fail("give the search text once: as TEXT or with --q")
    if q_text is not None:
        filters["text"] = q_text
    engine = open_store(db_url)
    writable_store(engine)
    try:
        query = make_query(**filters, default_sort="newest")
        saved = save_search(engine, name, query, replace_existing=replace_existing)
    except (QueryError, SavedSearchError) as exc:
        fail(str(exc))
    console.print(Text(f"Saved {saved.name}: {saved.query.describe()}. Served at /feeds/{saved.name}.atom "
                       f"and /feeds/{saved.name}.rss."), highlight=False)


@feeds_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
def feeds_list(fmt: str, db_url: str | None) -> None:
    """List the saved searches with their feed paths, and the ready-made feeds.

    Example: protestwire feeds list --format json
    """
    from storage.saved_searches import query_fields, saved_searches

    saved = saved_searches(open_store(db_url))
    if fmt == "json":
        click.echo(json.dumps([{"name": s.name, "description": s.query.describe(), "query": query_fields(s.query),
                                "atom": f"/feeds/{s.name}.atom", "rss": f"/feeds/{s.name}.rss",
                                "created_at": s.created_at.isoformat(), "updated_at": s.updated_at.isoformat()}
                               for s in saved], ensure_ascii=False, indent=2))
        return
    for s in saved:
        console.print(Text(f"{s.name}  /feeds/{s.name}.atom  {s.query.describe()}"), highlight=False)
    if not saved:
        console.print(Text("No saved searches yet: protestwire feeds add NAME --q ..."), highlight=False)
    console.print(Text("Ready-made: /feeds/all.atom, /feeds/country/CC.atom (e.g. BO), /feeds/type/TYPE.atom "
                       "(e.g. blockade); each also .rss.", style="dim"), highlight=False)


@feeds_group.command("remove")
@click.argument("name")
@db_option
def feeds_remove(name: str, db_url: str | None) -> None:
    """Remove the saved search NAME (its feed then answers 404).

    Example: protestwire feeds remove bloqueos-bo
    """
    from storage.saved_searches import SavedSearchError, remove_search

    engine = open_store(db_url)
    writable_store(engine)
    try:
        remove_search(engine, name)
    except SavedSearchError as exc:
        fail(str(exc))
    console.print(Text(f"Removed {name}."), highlight=False)


@feeds_group.command("build")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--base-url", required=True, metavar="URL",
              help="Where DIRECTORY will be served, e.g. https://example.org/feeds (the feeds' self links).")
@click.option("--site-url", metavar="URL", help="The search page's address (the feeds' alternate links).")
@db_option
def feeds_build(directory: str, base_url: str, site_url: str | None, db_url: str | None) -> None:
    """Write every saved and ready-made feed (Atom and RSS) as static files, plus index.opml.

    Unchanged files are left as they are. Example: protestwire feeds build /var/www/feeds --base-url https://example.org/feeds
    """
    from feeds.build import build_feeds

    if not base_url.lower().startswith(("http://", "https://")):
        fail(f"--base-url must be an absolute http(s) URL, not {base_url!r}")
    engine = open_store(db_url)
    try:
        report = build_feeds(engine, directory, base_url, site_url=site_url)
    except OSError as exc:
        fail(f"cannot write {directory}: {exc.strerror or exc}", "check that the folder is writable")
    console.print(Text(f"{report.feeds} feeds: {report.written} file(s) written, {report.unchanged} unchanged, "
                       f"in {directory}."), highlight=False)


# Source health (issue 13): `protestwire status`.
@main.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False),
              help="Sources registry file (for each outlet's crawl interval) instead of sources/sources.toml.")
@click.option("--recent-days", type=click.FloatRange(0.1, 60), default=2.0, show_default=True,
              help="The window read as 'now'; the baseline is the 28 days before it.")
@db_option
def status_command(fmt: str, sources_file: str | None, recent_days: float, db_url: str | None) -> None:
    """Each source's health: last successful run, articles a day now against its own baseline,
    403/429 shares, pages without body or date, and a verdict (healthy, quiet, blocked, broken, failing).

    Examples: protestwire status; protestwire status --format json | jq '.[] | select(.verdict != "healthy")'
    """
    from sources import SourcesError, load_sources
    from storage.health import HealthOptions, source_health

    try:
        intervals = {s.id: s.crawl_interval_minutes for s in load_sources(sources_file)}
    except SourcesError:
        intervals = {}
    rows = source_health(open_store(db_url), HealthOptions(recent_days=recent_days, intervals=intervals))
    if fmt == "json":
        click.echo(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print(Text("No source has been crawled yet."), highlight=False)
        return
    from protestwire.tables import health_table

    console.print(health_table(rows))


if __name__ == "__main__":
    main()
