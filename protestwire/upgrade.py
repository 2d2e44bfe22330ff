"""Bringing a store up to date: the schema migrations, the fingerprints older articles lack, and
stories and threads regrouped by the current method (``protestwire.regroup``)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import Engine

from protestwire.backfill import BackfillReport, backfill_fingerprints, needs_backfill
from protestwire.regroup import RegroupReport, needs_regroup, regroup_store
from storage.db import init_db


def describe_backfill(report: BackfillReport) -> str:
    return (f"Fingerprinted {report.fingerprinted} article(s) stored before copies and stories were indexed: "
            f"{report.copies} copies found, {report.joined_stories} joined another article's story.")


def fill_fingerprints(engine: Engine, console: Console, progress_console: Console | None = None) -> BackfillReport:
    """The backfill with a progress bar (on ``progress_console``), then one summary line."""
    with Progress(console=progress_console or console, transient=True) as progress:
        task = progress.add_task("Fingerprinting older articles", total=None)
        report = backfill_fingerprints(engine, on_total=lambda n: progress.update(task, total=n),
                                       on_done=lambda: progress.advance(task))
    console.print(describe_backfill(report))
    return report


def regroup(engine: Engine, console: Console, progress_console: Console | None = None, *,
            restart: bool = False) -> RegroupReport:
    """The regroup with a progress bar (on ``progress_console``), then one summary line."""
    with Progress(console=progress_console or console, transient=True) as progress:
        task = progress.add_task("Regrouping stories and threads", total=None)
        report = regroup_store(engine, restart=restart, on_total=lambda n: progress.update(task, total=n),
                               on_done=lambda: progress.advance(task))
    console.print(f"Regrouped {report.regrouped} article(s): {report.joined_stories} joined an earlier story, "
                  f"{report.joined_threads} started a story in an earlier thread.")
    return report


def upgrade_store(engine: Engine, console: Console, progress_console: Console | None = None, *,
                  backfill: bool = True) -> None:
    """Migrate the schema to the newest version and stem the articles stored before stemming
    (with a progress bar), then fingerprint the articles that lack one and regroup those grouped
    by an older method (only when there are such rows: a store that is up to date costs a few
    indexed lookups)."""
    with Progress(console=progress_console or console, transient=True) as progress:
        task = progress.add_task("Stemming older articles", total=None, visible=False)
        init_db(engine, on_total=lambda n: progress.update(task, total=n, visible=n > 0),
                on_done=lambda n: progress.advance(task, n))
    if needs_backfill(engine):
        if not backfill:
            console.print("Some articles, stored before copies and stories were indexed, have no fingerprint yet: "
                          "run `protestwire init` to fill them in.")
            return
        fill_fingerprints(engine, console, progress_console)
    if needs_regroup(engine):
        if backfill:
            regroup(engine, console, progress_console)
        else:
            console.print("Some articles were grouped into stories by an older method: run `protestwire regroup`.")
