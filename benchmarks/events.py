"""Event coder benchmark (pipeline.judge.events) on the frozen Mass Mobilization split and the es/pt cases.

Run: .venv/bin/python -m benchmarks.events [--show-errors FIELD]

Sets: "mm-eval", the held-out quarter of ../shared/corpora/events (ids in benchmarks/events_eval_ids.txt;
input = sources + notes, article date = the first date in the sources line, as the 2015-2020 test
gives them); "mm-train", the rows the models were fitted on (for comparison only); "written-es/pt",
benchmarks/events_written.jsonl. Prints, beside majority-class baselines fitted on the training rows:
demands and state response micro-F1, participants category accuracy, protester violence accuracy,
start date within one day (baseline: the article's own date), event city where the text names it,
and the time per article on one core.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence

from benchmarks.events_data import GoldEvent, mm_events, split, written_events
from pipeline.judge.events import EventRecord, code_event, load_model
from vocabulary.folding import fold
from vocabulary.places import place_names

TARGETS = {"demands": 0.85, "state_response": 0.80, "participants": 0.65, "violence": 0.90, "start": 0.85,
           "city": 0.90}


def micro_f1(gold: Sequence[set[str]], pred: Sequence[set[str]]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    total = sum(len(g) for g in gold) + sum(len(p) for p in pred)
    return 2 * tp / total if total else 0.0


def _key(name: str) -> str:
    return fold(name).replace("-", " ").strip()


def same_city(gold: str, record: EventRecord) -> bool:
    """The coded city (or, when MM's location is a state or department, the coded division) is MM's
    location, or one of its parts ("Santo Domingo and Santiago")."""
    predicted = {_key(v) for v in (record.city.value, record.admin1.value) if v}
    for part in re.split(r",| and | y ", gold):
        names = {_key(n) for n in place_names(part.strip())} | {_key(part)}
        if predicted & names:
            return True
    return False


def city_named(event: GoldEvent) -> bool:
    return bool(event.city) and _key(event.city) in fold(event.text).replace("-", " ")


def within_a_day(event: GoldEvent, start: object) -> bool:
    return event.start is not None and start is not None and abs((start - event.start).days) <= 1  # type: ignore[operator]


def scores(events: list[GoldEvent], records: list[EventRecord]) -> dict[str, tuple[float, int]]:
    """Each field's figure and the number of events it was measured on."""
    pairs = list(zip(events, records, strict=True))
    crowd = [(e, r) for e, r in pairs if e.participants_category]
    dated = [(e, r) for e, r in pairs if e.start and e.published]
    cities = [(e, r) for e, r in pairs if city_named(e)]
    return {
        "demands": (micro_f1([set(e.demands) for e in events], [set(r.demands) for r in records]), len(events)),
        "state_response": (micro_f1([set(e.state_response) for e in events],
                                    [set(r.state_response) for r in records]), len(events)),
        "participants": (_share(crowd, lambda e, r: r.participants is not None
                                and r.participants.category == e.participants_category), len(crowd)),
        "violence": (_share(pairs, lambda e, r: r.protester_violence == e.violence), len(pairs)),
        "start": (_share(dated, lambda e, r: within_a_day(e, r.start)), len(dated)),
        "city": (_share(cities, lambda e, r: same_city(e.city or "", r)), len(cities)),
    }


def _share(pairs: list[tuple[GoldEvent, EventRecord]], right: Callable[[GoldEvent, EventRecord], bool]) -> float:
    return sum(right(e, r) for e, r in pairs) / len(pairs) if pairs else 0.0


def baselines(train: list[GoldEvent], events: list[GoldEvent]) -> dict[str, float]:
    """Majority-class answers fitted on the training rows; the article's own date for the start."""
    top_demand = Counter(d for e in train for d in e.demands).most_common(1)[0][0]
    top_response = Counter(s for e in train for s in e.state_response).most_common(1)[0][0]
    top_crowd = Counter(e.participants_category for e in train if e.participants_category).most_common(1)[0][0]
    top_violence = Counter(e.violence for e in train).most_common(1)[0][0]
    crowd = [e for e in events if e.participants_category]
    dated = [e for e in events if e.start and e.published]
    return {
        "demands": micro_f1([set(e.demands) for e in events], [{top_demand} for _ in events]),
        "state_response": micro_f1([set(e.state_response) for e in events], [{top_response} for _ in events]),
        "participants": sum(e.participants_category == top_crowd for e in crowd) / max(1, len(crowd)),
        "violence": sum(e.violence == top_violence for e in events) / max(1, len(events)),
        "start": sum(within_a_day(e, e.published) for e in dated) / max(1, len(dated)),
    }


def code_all(events: list[GoldEvent], outlet: Sequence[str | None] | None = None) -> tuple[list[EventRecord], float]:
    load_model()
    began = time.perf_counter()
    records = [code_event("", e.text, language=e.language, published=e.published,
                          outlet_country=(outlet[i] if outlet else None)) for i, e in enumerate(events)]
    return records, (time.perf_counter() - began) * 1000 / max(1, len(events))


def report(name: str, events: list[GoldEvent], records: list[EventRecord], ms: float,
           base: dict[str, float] | None) -> None:
    print(f"\n{name}: {len(events)} events, {ms:.2f} ms/article")
    print(f"  {'field':16s} {'coder':>6s} {'baseline':>9s} {'target':>7s}  n")
    for field, (value, n) in scores(events, records).items():
        b = f"{base[field]:.3f}" if base and field in base else "-"
        print(f"  {field:16s} {value:6.3f} {b:>9s} {TARGETS[field]:7.2f}  {n}")


def show_errors(field: str, events: list[GoldEvent], records: list[EventRecord], limit: int = 25) -> None:
    shown = 0
    for e, r in zip(events, records, strict=True):
        gold: object
        pred: object
        if field == "demands":
            gold, pred = set(e.demands), set(r.demands)
        elif field == "state_response":
            gold, pred = set(e.state_response), set(r.state_response)
        elif field == "participants":
            gold, pred = e.participants_category, r.participants and (r.participants.category, r.participants.text)
            if gold is None or (pred and pred[0] == gold):
                continue
        elif field == "violence":
            gold, pred = e.violence, r.protester_violence
        elif field == "start":
            gold, pred = e.start, r.start
            if within_a_day(e, r.start):
                continue
        else:
            gold, pred = e.city, r.city.value
            if not city_named(e) or same_city(e.city or "", r):
                continue
        if gold != pred:
            print(f"--- {e.id} gold={gold} pred={pred}\n{e.text[:600]}")
            shown += 1
            if shown >= limit:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-errors", metavar="FIELD", help="demands, state_response, participants, violence, "
                                                              "start or city, on mm-eval")
    args = parser.parse_args()
    train, held_out = split(mm_events())
    records, ms = code_all(held_out)
    report("mm-eval (frozen split)", held_out, records, ms, baselines(train, held_out))
    train_records, train_ms = code_all(train)
    report("mm-train (fitted on; for comparison)", train, train_records, train_ms, baselines(train, train))
    written = written_events()
    for language in ("es", "pt"):
        chosen = [(case, gold) for case, gold in written if gold.language == language]
        golds = [g for _, g in chosen]
        recs, wms = code_all(golds, [case.get("outlet_country") for case, _ in chosen])
        report(f"written-{language}", golds, recs, wms, baselines(train, golds))
    if args.show_errors:
        show_errors(args.show_errors, held_out, records)


if __name__ == "__main__":
    main()
