"""The Mass Mobilization events of ../shared and the written es/pt cases, as coder inputs and gold fields.

Shared by scripts/train_events.py and benchmarks/events.py. The frozen split: a row is held out for
evaluation when the first byte of sha256(row id) is below 64 (a quarter); its ids are in
benchmarks/events_eval_ids.txt, and nothing is fitted or tuned on them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.judge.events import MONTHS, participant_category
from vocabulary.folding import fold

HERE = Path(__file__).resolve().parent
EVAL_IDS = HERE / "events_eval_ids.txt"
WRITTEN = HERE / "events_written.jsonl"
FILE_NAME = "mass_mobilization_latam_1990_2014.csv"


def shared_events_file() -> Path | None:
    """The MM file: $PROTESTWIRE_SHARED/corpora/events, else the first ``shared`` folder above the checkout."""
    roots = [Path(os.environ["PROTESTWIRE_SHARED"])] if os.environ.get("PROTESTWIRE_SHARED") else []
    roots += [parent / "shared" for parent in HERE.parents]
    for root in roots:
        candidate = root / "corpora" / "events" / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True, kw_only=True)
class GoldEvent:
    id: str
    text: str  # sources + notes, as the held-out test gives them
    language: str
    published: date | None  # the first report's date, from the sources line
    start: date | None
    city: str | None
    country: str | None
    demands: tuple[str, ...]
    state_response: tuple[str, ...]
    participants_category: str | None
    violence: bool


_SOURCE_DATE = re.compile(r"\b(" + "|".join(sorted((m for m in MONTHS if len(m) >= 3), key=len, reverse=True)) + r")\s+(\d{1,2}),?\s+(\d{4})")


def source_date(sources: str) -> date | None:
    """The first full date in an MM sources line ("august 6, 1994, saturday")."""
    for m in _SOURCE_DATE.finditer(fold(sources)):
        try:
            return date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
        except ValueError:
            continue
    return None


def gold_category(category: str, participants: str) -> str | None:
    """MM's crowd category; rows before 2015 give only the count ("1000s", "50+"), read as MM's coders did."""
    if category:
        return category
    raw = participants.strip().lower().replace(",", "")
    if raw in ("100s", "hundreds"):
        return "100-999"
    if raw in ("1000s", "thousands"):
        return "2000-4999"
    if raw.startswith("10000s") or raw.startswith("100000s"):
        return ">10000"
    m = re.match(r"[>about ]*(\d+)", raw)
    return participant_category(int(m.group(1))) if m else None


def is_eval(row_id: str) -> bool:
    return hashlib.sha256(row_id.encode()).digest()[0] < 64


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def mm_events() -> list[GoldEvent]:
    path = shared_events_file()
    if path is None:
        raise FileNotFoundError(f"{FILE_NAME} not found (../shared/corpora/events, or set PROTESTWIRE_SHARED)")
    events = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            location = row["location"].strip()
            events.append(GoldEvent(
                id=row["id"], text=f"{row['sources']}\n{row['notes']}", language="en",
                published=source_date(row["sources"]), start=_date(row["start_date"]),
                city=None if fold(location).startswith("national") or not location else location,
                country=row["country"],
                demands=tuple(sorted({row[f"protesterdemand{i}"] for i in range(1, 5) if row[f"protesterdemand{i}"]})),
                state_response=tuple(sorted({row[f"stateresponse{i}"] for i in range(1, 8)
                                             if row[f"stateresponse{i}"]})),
                participants_category=gold_category(row["participants_category"], row["participants"]),
                violence=row["protesterviolence"] == "1",
            ))
    return events


def split(events: list[GoldEvent]) -> tuple[list[GoldEvent], list[GoldEvent]]:
    """(train, eval) by the hash of the row id."""
    return [e for e in events if not is_eval(e.id)], [e for e in events if is_eval(e.id)]


def written_events() -> list[tuple[dict, GoldEvent]]:
    """The es/pt cases written for this project: (input record, gold)."""
    cases = []
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        gold = case["gold"]
        cases.append((case, GoldEvent(
            id=case["id"], text=case["text"], language=case["language"],
            published=date.fromisoformat(case["published"]), start=date.fromisoformat(gold["start"]),
            city=gold.get("city"), country=gold.get("country"), demands=tuple(sorted(gold["demands"])),
            state_response=tuple(sorted(gold["state_response"])),
            participants_category=gold.get("participants_category"), violence=gold["protester_violence"],
        )))
    return cases
