"""The page's timeline chart, drawn on the server."""

from web.chart import series_by_country, spans_long, timeline_svg


def test_days_without_articles_are_zero_and_countries_ranked() -> None:
    days, series = series_by_country([(("2026-11-01", "BO"), 2), (("2026-11-03", "PE"), 5), (("2026-11-03", "BO"), 1)])
    assert [d.isoformat() for d in days] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert series == {"PE": [0, 0, 5], "BO": [2, 0, 1]}


def test_beyond_six_countries_the_rest_is_other() -> None:
    rows = [(("2026-11-01", code), 10 - n) for n, code in enumerate(["AR", "BO", "BR", "CL", "CO", "EC", "PE", "UY"])]
    _, series = series_by_country(rows)
    assert list(series) == ["AR", "BO", "BR", "CL", "CO", "EC", "other"] and series["other"] == [4 + 3]


def test_weeks_step_by_seven_and_long_spans_are_charted_by_week() -> None:
    days, series = series_by_country([(("2026-01-05", "BO"), 1), (("2026-01-19", "BO"), 3)], step=7)
    assert len(days) == 3 and series["BO"] == [1, 0, 3]
    assert spans_long([(("2025-01-06", "BO"), 1), (("2026-01-05", "BO"), 1)])
    assert not spans_long([(("2026-01-05", "BO"), 1)])


def test_svg_has_a_bar_per_country_and_day_and_escapes_labels() -> None:
    svg = timeline_svg([(("2026-11-01", "BO"), 2), (("2026-11-02", "<b>"), 1)])
    assert svg.startswith("<svg") and svg.count("<rect") == 2 + 2  # two bars, two legend keys
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "nothing to chart" in timeline_svg([])
