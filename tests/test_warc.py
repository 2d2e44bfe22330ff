"""Raw captures: what replay tools and re-extraction read back from our WARC files."""

from __future__ import annotations

import gzip

from warcio.archiveiterator import ArchiveIterator

from storage.warc import RawPage, WarcFile, read_response

PAGE = RawPage(
    "https://diario.example/politica/paro-nacional",
    200,
    [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"), ("ETag", '"a1"')],
    "<html><body><p>Paro nacional: los camioneros bloquean rutas.</p></body></html>".encode() * 50,
)


def test_a_record_reads_back_from_its_offset_alone(tmp_path) -> None:
    warc = WarcFile(tmp_path / "run.warc.gz")
    first = warc.write_response(PAGE)
    second = warc.write_response(RawPage(PAGE.url + "-2", 200, PAGE.headers, b"<p>otra</p>"))
    warc.close()
    assert read_response(tmp_path / "run.warc.gz", first[0]) == RawPage(
        PAGE.url, 200, [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"a1"'),
                        ("Content-Length", str(len(PAGE.body)))], PAGE.body)
    assert read_response(tmp_path / "run.warc.gz", second[0]).body == b"<p>otra</p>"
    # Each record is one gzip member: its bytes alone decompress.
    raw = (tmp_path / "run.warc.gz").read_bytes()
    assert gzip.decompress(raw[second[0]:second[0] + second[1]]).startswith(b"WARC/1.")


def test_records_carry_digests_that_verify(tmp_path) -> None:
    warc = WarcFile(tmp_path / "run.warc.gz")
    warc.write_response(PAGE)
    warc.close()
    with open(tmp_path / "run.warc.gz", "rb") as stream:
        records = []
        for record in ArchiveIterator(stream, check_digests="raise"):
            record.content_stream().read()
            records.append(record)
    response = records[-1]
    assert response.rec_type == "response"
    assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert response.rec_headers.get_header("WARC-Block-Digest").startswith("sha1:")


def test_appending_to_an_existing_file_keeps_earlier_records(tmp_path) -> None:
    path = tmp_path / "run.warc.gz"
    first = WarcFile(path)
    offset, _ = first.write_response(PAGE)
    first.close()
    again = WarcFile(path)
    later, _ = again.write_response(RawPage(PAGE.url + "-b", 200, PAGE.headers, b"<p>b</p>"))
    again.close()
    assert later > offset
    assert read_response(path, offset).body == PAGE.body
    with open(path, "rb") as stream:
        kinds = [record.rec_type for record in ArchiveIterator(stream)]
    assert kinds == ["warcinfo", "response", "response"]
