"""Serve replay sites on 127.0.0.1, one port per outlet, each with its own robots.txt.

A site is a folder with ``site.toml`` (id, name, country, languages, feeds, sitemaps,
optional charset) and the files to serve. ``{{BASE}}`` in any file becomes the
site's origin, so feeds and canonical links point back at the replay server.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crawlers.sources import Source

SITES_DIR = Path(__file__).with_name("sites")
CONTENT_TYPES = {
    ".html": "text/html", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
    ".xml": "application/xml", ".txt": "text/plain", ".json": "application/json",
}
INDEX_FILES = ("index.html", "index.rss", "index.atom", "index.xml")


@dataclass(frozen=True)
class ReplaySite:
    folder: Path
    id: str
    name: str
    country: str
    languages: tuple[str, ...]
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    charset: str = "utf-8"

    @classmethod
    def load(cls, folder: Path) -> ReplaySite:
        config = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
        return cls(
            folder=folder, id=config["id"], name=config["name"], country=config["country"],
            languages=tuple(config["languages"]), feeds=tuple(config.get("feeds", [])),
            sitemaps=tuple(config.get("sitemaps", [])), charset=config.get("charset", "utf-8"),
        )

    def resolve(self, path: str) -> Path | None:
        """The file served at URL ``path``, or None; never a file outside the site folder."""
        relative = unquote(urlsplit(path).path).lstrip("/")
        candidate = (self.folder / relative).resolve()
        if not candidate.is_relative_to(self.folder.resolve()):
            return None
        if candidate.is_dir():
            return next((candidate / n for n in INDEX_FILES if (candidate / n).is_file()), None)
        return candidate if candidate.is_file() and candidate.name not in ("site.toml", "expected.toml") else None


def load_sites(folder: Path = SITES_DIR) -> list[ReplaySite]:
    return [ReplaySite.load(d) for d in sorted(folder.iterdir()) if (d / "site.toml").is_file()]


def _handler_for(site: ReplaySite, base: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "protestwire-replay"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._respond(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond(send_body=False)

        def _respond(self, *, send_body: bool) -> None:
            file = site.resolve(self.path)
            if file is None:
                body, status, content_type = b"<html><body><h1>404 Not Found</h1></body></html>", 404, "text/html"
            else:
                body = file.read_bytes().replace(b"{{BASE}}", base[0].encode("ascii"))
                status, content_type = 200, CONTENT_TYPES.get(file.suffix, "application/octet-stream")
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset={site.charset}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet: the crawler logs
            pass

    return Handler


@dataclass(frozen=True)
class RunningSite:
    site: ReplaySite
    base_url: str

    def as_source(self) -> Source:
        """The registry entry a crawler uses for this replay site."""
        return Source(
            id=self.site.id, name=self.site.name, homepage=self.base_url + "/", country=self.site.country,
            languages=self.site.languages, feeds=tuple(self.base_url + p for p in self.site.feeds),
            sitemaps=tuple(self.base_url + p for p in self.site.sitemaps), allowed_domains=("127.0.0.1",),
        )


def _bind(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError:  # the preferred port is taken: any free port will do
        return ThreadingHTTPServer((host, 0), handler)


@contextmanager
def serve_sites(
    sites: list[ReplaySite] | None = None, host: str = "127.0.0.1", first_port: int = 0
) -> Iterator[list[RunningSite]]:
    """Serve each site on its own port of ``host`` in background threads until the block ends.

    With ``first_port`` the sites take consecutive ports from there (when free), so their
    URLs, and the canonical URLs stored from them, stay the same from one run to the next.
    """
    servers: list[ThreadingHTTPServer] = []
    running: list[RunningSite] = []
    try:
        for index, site in enumerate(sites if sites is not None else load_sites()):
            base: list[str] = [""]
            server = _bind(host, first_port + index if first_port else 0, _handler_for(site, base))
            server.daemon_threads = True
            base[0] = f"http://{host}:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, name=f"replay-{site.id}", daemon=True).start()
            servers.append(server)
            running.append(RunningSite(site, base[0]))
        yield running
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
