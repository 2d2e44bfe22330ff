"""Bringing a store up to date: the schema migrations, then the fingerprints older articles lack."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import Engine

from pipeline.backfill import BackfillReport, backfill_fingerprints, needs_backfill
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


def upgrade_store(engine: Engine, console: Console, progress_console: Console | None = None, *,
                  backfill: bool = True) -> None:
    """Migrate the schema to the newest version and stem the articles stored before stemming
    (with a progress bar), then fingerprint the articles that lack one
    (only when there are such rows: a store that is up to date costs one indexed lookup)."""
    with Progress(console=progress_console or console, transient=True) as progress:
        task = progress.add_task("Stemming older articles", total=None, visible=False)
        init_db(engine, on_total=lambda n: progress.update(task, total=n, visible=n > 0),
                on_done=lambda n: progress.advance(task, n))
    if not needs_backfill(engine):
        return
    if backfill:
        fill_fingerprints(engine, console, progress_console)
    else:
        console.print("Some articles, stored before copies and stories were indexed, have no fingerprint yet: "
                      "run `protestwire init` to fill them in.")
