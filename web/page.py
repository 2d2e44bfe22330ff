"""The server-rendered search page at ``/``: a form (GET, so it works without JavaScript), results
with highlighted snippets and "also reported by", paging, and a timeline of protest-relevant
articles per day by country.

Every value from the store or the URL reaches the HTML through Jinja2's autoescaping; the one
piece of markup built here, a snippet's highlights, is made from escaped text and then passed
through nh3 allowing only ``<mark>``. Links are made only for http(s) URLs. The filters offer
their options with facet counts, and the export links carry the same search.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import nh3
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.datastructures import QueryParams

from storage.facets import facet_counts, grouped_counts
from storage.search import PROTEST_TYPES, QueryError, SearchQuery, search_page
from storage.story_members import outlets_of, story_members
from web.chart import spans_long, timeline_svg

PAGE_SIZE = 20
# The form's fields as the page's URL carries them; `scope` (protest or all) is the page's own.
FORM_FIELDS = ("q", "country", "lang", "source", "since", "until", "scope", "protest_type", "event_country",
               "place", "sort")
_MARKED = re.compile(r"\[([^\[\]]{1,200})\]")
_ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                           autoescape=select_autoescape(default=True, default_for_string=True))


def highlight(snippet: str | None) -> Markup:
    """The snippet escaped, its matched words (``[word]`` from the query layer) in ``<mark>``."""
    if not snippet:
        return Markup("")
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(snippet)))
    return Markup(nh3.clean(marked, tags={"mark"}, attributes={}))


def safe_link(url: str | None) -> str | None:
    """Only web links become hrefs (never javascript: or data: from a stored page)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


_ENVIRONMENT.filters["highlight"] = highlight
_ENVIRONMENT.filters["safe_link"] = safe_link


def page_query(params: Any) -> SearchQuery:
    """The page's URL as a validated query: protest-relevant articles unless scope=all."""
    from web import query_from

    fields = {name: params.get(name, "") for name in params.keys()}
    scope = fields.pop("scope", "") or "protest"
    if scope not in ("protest", "all"):
        raise QueryError(f"scope must be protest or all, not {scope[:40]!r}")
    if "protest" in fields or "all" in fields or "limit" in fields:
        raise QueryError("the page reads scope=protest|all and shows 20 results a page; "
                         "use /api/articles for protest=, all= and limit=")
    fields = {name: value for name, value in fields.items() if value.strip()}
    fields["protest" if scope == "protest" else "all"] = "1"
    return query_from(QueryParams(fields), default_sort="relevance")


def _form_values(params: Any) -> dict[str, str]:
    return {name: params.get(name, "") for name in FORM_FIELDS}


def _options(counts: list[Any], chosen: str) -> list[tuple[str, str]]:
    """Select options (value, label with its count), the chosen value kept even with no match."""
    options = [(v.value, f"{v.value} ({v.count:,})") for v in counts]
    if chosen and chosen not in {value for value, _ in options}:
        options.insert(0, (chosen, f"{chosen} (0)"))
    return options


def _link(form: dict[str, str], *, offset: int) -> str:
    """The page's URL at another offset, its empty fields left out."""
    values = {k: v for k, v in form.items() if v} | ({"offset": str(offset)} if offset else {})
    return "?" + urlencode(values)


def search_page_html(engine: Any, params: Any, path: str = "/") -> tuple[int, str]:
    """(HTTP status, the page): 400 with the form and the query layer's message when the URL is invalid."""
    form = _form_values(params)
    context: dict[str, Any] = {"form": form, "protest_types": PROTEST_TYPES, "error": None, "page": None,
                               "options": {"country": [], "lang": [], "source": []}, "chart": "", "path": path}
    try:
        query = replace(page_query(params), limit=PAGE_SIZE)
        result = search_page(engine, query)
        members = story_members(engine, {h.story_id for h in result.hits if h.story_id}, per_story=20)
        context["hits"] = [(hit, [o for o in outlets_of(members.get(hit.story_id or -1, []))
                                  if o["source"] != hit.source]) for hit in result.hits]
        for name, field, others in (("country", "country", replace(query, country=None)),
                                    ("lang", "language", replace(query, language=None)),
                                    ("source", "source", replace(query, source=None))):
            # Each filter's options are counted without that filter, so the other values show.
            counts = facet_counts(engine, others, (field,), limit=100)[field]
            context["options"][name] = _options(counts, form[name])
        protests = replace(query, protest_only=True)
        timeline = grouped_counts(engine, protests, ("day", "country"))
        context["chart_unit"] = "day"
        if spans_long(timeline):
            timeline = grouped_counts(engine, protests, ("week", "country"))
            context["chart_unit"] = "week"
        context["chart"] = Markup(timeline_svg(timeline, f"Protest-relevant articles per {context['chart_unit']}",
                                               step=7 if context["chart_unit"] == "week" else 1))
        context["page"] = result
        context["query"] = query
        context["previous"] = (_link(form, offset=max(0, result.offset - PAGE_SIZE)) if result.offset else None)
        context["next"] = _link(form, offset=result.next_offset) if result.next_offset is not None else None
        exported = {k: v for k, v in query.params().items() if k not in ("limit", "offset", "sort", "expand")}
        context["export"] = {fmt: "/api/export?" + urlencode({**exported, "format": fmt}) for fmt in ("csv", "jsonl")}
        status = 200
    except QueryError as exc:
        context["error"] = str(exc)
        status = 400
    return status, _ENVIRONMENT.get_template("search.html").render(**context)
