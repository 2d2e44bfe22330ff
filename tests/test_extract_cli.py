"""`protestwire extract`: saved pages to JSON Lines, under the stable keys."""

import gzip
import json

from click.testing import CliRunner

from protestwire.cli import main
from tests.conftest import expected_articles

KEYS = {"url", "canonical_url", "title", "subtitle", "body", "authors", "published", "published_source", "modified",
        "language", "section", "tags", "image", "site_name", "paywalled", "extractor_version",
        "published_offset_minutes", "published_local", "published_confidence", "modified_source"}
CASE = next(c for c in expected_articles() if c.site.id == "folha-planalto-br")


def saved_page(tmp_path, compressed: bool = False):
    raw = CASE.page_bytes().replace(b"{{BASE}}", b"https://folha.example")
    path = tmp_path / ("page.html.gz" if compressed else "page.html")
    path.write_bytes(gzip.compress(raw) if compressed else raw)
    return path


def lines(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_one_page_with_its_url(tmp_path) -> None:
    path = saved_page(tmp_path)
    (article,) = lines(CliRunner().invoke(main, ["extract", str(path), "--url", "https://folha.example" + CASE.path]))
    assert set(article) == KEYS
    assert article["title"] == CASE.fields["title"]
    assert article["language"] == "pt" and article["published_local"].startswith(CASE.fields["published"])
    assert article["published_local"].endswith("-03:00") and article["published_offset_minutes"] == -180
    assert article["canonical_url"] == "https://folha.example" + CASE.path
    assert article["modified"] is not None and article["modified_source"] == "json-ld"


def test_manifest_echoes_ids_and_reads_gzip(tmp_path) -> None:
    page = saved_page(tmp_path, compressed=True)
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text(
        json.dumps({"id": "a1", "url": "https://folha.example" + CASE.path, "path": str(page)}) + "\n"
        + json.dumps({"id": 7, "url": "https://x.example/", "path": str(tmp_path / "missing.html")}) + "\n",
        encoding="utf-8",
    )
    first, second = lines(CliRunner().invoke(main, ["extract", "--manifest", str(manifest)]))
    assert first["id"] == "a1" and first["title"] == CASE.fields["title"]
    assert second["id"] == 7 and "cannot read" in second["error"]


def test_empty_and_undecodable_input_give_an_error_object(tmp_path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    garbage = tmp_path / "bad.html.gz"
    garbage.write_bytes(b"not gzip at all")
    out = lines(CliRunner().invoke(main, ["extract", str(empty), str(garbage)]))
    assert out[0]["error"].startswith("empty") and "cannot read" in out[1]["error"]
    assert "Traceback" not in json.dumps(out)


def test_bad_manifest_line_is_a_clear_error(tmp_path) -> None:
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text('{"id": 1, "url": "https://x.example/"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--manifest", str(manifest)])
    assert result.exit_code == 1 and "manifest line 1" in result.output


def test_page_without_article_text_prints_its_date_beside_the_error(tmp_path) -> None:
    video = tmp_path / "video.html"
    video.write_text("<html lang='es'><head><title>Marcha docente: el video</title>"
                     "<meta property='article:published_time' content='2026-11-18T10:30:00-03:00'></head>"
                     "<body><main><h1>Marcha docente: el video</h1><div class='player'></div></main></body></html>",
                     encoding="utf-8")
    (out,) = lines(CliRunner().invoke(main, ["extract", str(video), "--url", "https://diario.example/video/marcha"]))
    assert out["error"].startswith("no-text") and out["body"] == ""
    assert out["title"] == "Marcha docente: el video" and out["published_local"] == "2026-11-18T10:30:00-03:00"


def test_utc_times_of_a_registered_outlet_are_on_its_newsroom_clock(tmp_path) -> None:
    # infobae.com is a .com, but the sources registry knows the outlet is Argentine.
    story = "".join(f"<p>Miles de docentes marcharon por el centro de Buenos Aires, parte {i} de la nota.</p>"
                    for i in range(6))
    page = tmp_path / "nota.html"
    page.write_text("<html lang='es'><head><title>Marcha docente en Buenos Aires</title>"
                    "<meta property='article:published_time' content='2026-11-19T01:30:00Z'></head>"
                    f"<body><article><h1>Marcha docente en Buenos Aires</h1>{story}</article></body></html>",
                    encoding="utf-8")
    url = "https://www.infobae.com/sociedad/2026/11/19/marcha-docente/"
    (out,) = lines(CliRunner().invoke(main, ["extract", str(page), "--url", url]))
    assert out["published_local"] == "2026-11-18T22:30:00-03:00"
