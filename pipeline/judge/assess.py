"""Classify and geotag JSON Lines records (what `protestwire classify` runs).

Input lines are {"id", "title", "text", "language"?, "outlet_country"?, "published"?}; each output
line is {"id", "protest", "protest_score", "protest_types", "countries", "event_country", "places",
"signals"}, plus "event" (pipeline.judge.events) for protest coverage. A line that is not such an object gets {"id"?, "error"} instead, and the rest go on.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.judge.classify import ClassifyOptions, classify_protest
from pipeline.judge.events import code_event
from pipeline.judge.geotag import GeotagOptions, geotag
from pipeline.textlines import Undecodable


def assess(
    record: dict[str, Any], *, classify_options: ClassifyOptions = ClassifyOptions(),
    geotag_options: GeotagOptions = GeotagOptions(),
) -> dict[str, Any]:
    """The protest assessment and geotags of one {"id", "title", "text", ...} record."""
    title, text = record.get("title") or "", record.get("text") or ""
    if not isinstance(title, str) or not isinstance(text, str):
        raise ValueError("title and text must be strings")
    if not (title.strip() or text.strip()):
        raise ValueError("title and text are both empty")
    language = record.get("language")
    assessment = classify_protest(title, text, language if isinstance(language, str) else None,
                                  options=classify_options)
    outlet = record.get("outlet_country")
    geo = geotag(title, text, outlet_country=outlet if isinstance(outlet, str) else None, options=geotag_options)
    return {
        "id": record.get("id"), "protest": assessment.protest, "protest_score": assessment.protest_score,
        "protest_types": assessment.protest_types, "countries": geo.countries, "event_country": geo.event_country,
        "places": [place.to_json() for place in geo.places],
        "signals": assessment.signals + [f"place: {s}" for s in geo.signals],
        **({"event": code_event(title, text, language=language if isinstance(language, str) else None,
                                published=_published_day(record.get("published")),
                                outlet_country=outlet if isinstance(outlet, str) else None).to_json()}
           if assessment.protest else {}),
    }


def _published_day(value: Any) -> date | None:
    """The article's day from an ISO date or datetime ("2026-11-19", "2026-11-19T08:00:00-05:00")."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO 8601 date") from None


def assess_lines(lines: Iterable[str | Undecodable]) -> Iterator[dict[str, Any]]:
    """One result per non-blank JSON Lines input line, errors included, in input order."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, Undecodable):
            yield {"line": number, "error": line.message}
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"line": number, "error": f"not JSON: {exc.msg}"}
            continue
        if not isinstance(record, dict):
            yield {"line": number, "error": 'expected an object {"id", "title", "text"}'}
            continue
        try:
            yield assess(record)
        except ValueError as exc:
            yield {"id": record.get("id"), "line": number, "error": str(exc)}


def explain_lines(result: dict[str, Any]) -> list[str]:
    """A result as a researcher reads it: verdict, score and types, then each signal with its weight."""
    if "error" in result:
        return [f"{result.get('id', result.get('line'))}: error: {result['error']}"]
    verdict = "protest" if result["protest"] else "not protest"
    types = ", ".join(result["protest_types"]) or "-"
    lines = [f"{result['id']}: {verdict} (score {result['protest_score']:.2f}; types: {types}; "
             f"event country: {result['event_country'] or '-'})"]
    for signal in result["signals"]:
        name, _, weight = signal.rpartition(" (")
        if weight.endswith(")") and name and not signal.startswith("place:"):
            lines.append(f"  {weight[:-1]:>6}  {name}")
        else:
            lines.append(f"          {signal}")
    return lines
