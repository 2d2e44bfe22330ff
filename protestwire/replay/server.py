"""Serve replay sites on 127.0.0.1, one port per outlet, each with its own robots.txt.

A site is a folder with ``site.toml`` (id, name, country, languages, feeds, sitemaps,
sections, optional charset) and the files to serve. ``{{BASE}}`` in any file becomes the
site's origin, so feeds and canonical links point back at the replay server. Files are
served with ETag and Last-Modified and answer conditional requests with 304, as real
servers do. An optional ``faults.toml`` makes paths misbehave for tests: statuses,
Retry-After, delays, redirects, connection resets, oversized or mistyped bodies.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sources import Source

SITES_DIR = Path(__file__).with_name("sites")
CONTENT_TYPES = {
    ".html": "text/html", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
    ".xml": "application/xml", ".txt": "text/plain", ".json": "application/json",
}
INDEX_FILES = ("index.html", "index.rss", "index.atom", "index.xml")


@dataclass(frozen=True)
class Fault:
    """How one path misbehaves. ``times``: only the first N requests (0: every request)."""

    path: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 0
    delay_seconds: float = 0.0
    redirect_to: str | None = None
    reset: bool = False
    body_bytes: int = 0
    body: str | None = None
    content_type: str | None = None
    # After the delay, serve the path's real file (a slow page, not a broken one).
    then_serve: bool = False


@dataclass(frozen=True)
class ReplaySite:
    folder: Path
    id: str
    name: str
    country: str
    languages: tuple[str, ...]
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    sections: tuple[str, ...] = ()
    charset: str = "utf-8"
    faults: tuple[Fault, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> ReplaySite:
        config = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
        faults_file = folder / "faults.toml"
        faults = tomllib.loads(faults_file.read_text(encoding="utf-8")).get("fault", []) if faults_file.is_file() else []
        return cls(
            folder=folder, id=config["id"], name=config["name"], country=config["country"],
            languages=tuple(config["languages"]), feeds=tuple(config.get("feeds", [])),
            sitemaps=tuple(config.get("sitemaps", [])), sections=tuple(config.get("sections", [])),
            charset=config.get("charset", "utf-8"), faults=tuple(Fault(**f) for f in faults),
        )

    def fault_for(self, path: str) -> Fault | None:
        return next((f for f in self.faults if f.path == urlsplit(path).path), None)

    def resolve(self, path: str) -> Path | None:
        """The file served at URL ``path``, or None; never a file outside the site folder."""
        relative = unquote(urlsplit(path).path).lstrip("/")
        candidate = (self.folder / relative).resolve()
        if not candidate.is_relative_to(self.folder.resolve()):
            return None
        if candidate.is_dir():
            return next((candidate / n for n in INDEX_FILES if (candidate / n).is_file()), None)
        hidden = ("site.toml", "expected.toml", "faults.toml")
        return candidate if candidate.is_file() and candidate.name not in hidden else None


def load_sites(folder: Path = SITES_DIR) -> list[ReplaySite]:
    return [ReplaySite.load(d) for d in sorted(folder.iterdir()) if (d / "site.toml").is_file()]


@dataclass
class RequestLog:
    """Every request a replay site received: (method, path, headers), for tests to inspect."""

    entries: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, headers: dict[str, str]) -> int:
        with self.lock:
            self.entries.append((method, path, headers))
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]


def _not_modified(headers: Any, etag: str, modified: float) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return int(modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
    return False


def _handler_for(site: ReplaySite, base: list[str], log: RequestLog) -> type[BaseHTTPRequestHandler]:
    # Served bytes and their validators, per file, until the file changes: a benchmark's
    # server should spend its CPU on sending, not on re-reading and re-hashing.
    cache: dict[Path, tuple[int, bytes, str, float]] = {}

    def load(file: Path) -> tuple[bytes, str, float]:
        stat = file.stat()
        cached = cache.get(file)
        if cached is None or cached[0] != stat.st_mtime_ns:
            body = file.read_bytes().replace(b"{{BASE}}", base[0].encode("ascii"))
            cached = (stat.st_mtime_ns, body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"', stat.st_mtime)
            cache[file] = cached
        return cached[1], cached[2], cached[3]

    class Handler(BaseHTTPRequestHandler):
        server_version = "protestwire-replay"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._respond(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond(send_body=False)

        def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str],
                  send_body: bool) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body and body:
                self.wfile.write(body)

        def _respond(self, *, send_body: bool) -> None:
            hit = log.add(self.command, self.path, dict(self.headers.items()))
            fault = site.fault_for(self.path)
            if fault is not None and (fault.times == 0 or hit <= fault.times):
                if not fault.then_serve:
                    self._misbehave(fault, send_body)
                    return
                time.sleep(fault.delay_seconds)
            file = site.resolve(self.path)
            if file is None:
                self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html", {}, send_body)
                return
            body, etag, modified = load(file)
            validators = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
            if _not_modified(self.headers, etag, modified):
                self._send(304, b"", None, validators, send_body)
                return
            content_type = f"{CONTENT_TYPES.get(file.suffix, 'application/octet-stream')}; charset={site.charset}"
            self._send(200, body, content_type, validators, send_body)

        def _misbehave(self, fault: Fault, send_body: bool) -> None:
            if fault.delay_seconds:
                time.sleep(fault.delay_seconds)
            if fault.reset:  # an abortive close: the client sees "connection reset"
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            headers = dict(fault.headers)
            if fault.redirect_to:
                headers["Location"] = fault.redirect_to.replace("{{BASE}}", base[0])
            body = (fault.body or "").replace("{{BASE}}", base[0]).encode(site.charset)
            if fault.body_bytes:
                body = b"<html><body>" + b"x" * fault.body_bytes + b"</body></html>"
            status = fault.status or (302 if fault.redirect_to else 200)
            self._send(status, body, fault.content_type or "text/html; charset=utf-8", headers, send_body)

        def log_message(self, format: str, *args: object) -> None:  # quiet: the crawler logs
            pass

    return Handler


@dataclass(frozen=True)
class RunningSite:
    site: ReplaySite
    base_url: str
    requests: RequestLog = field(default_factory=RequestLog)

    def as_source(self) -> Source:
        """The registry entry a crawler uses for this replay site."""
        return Source(
            id=self.site.id, name=self.site.name, homepage=self.base_url + "/", country=self.site.country,
            languages=self.site.languages, feeds=tuple(self.base_url + p for p in self.site.feeds),
            sitemaps=tuple(self.base_url + p for p in self.site.sitemaps),
            sections=tuple(self.base_url + p for p in self.site.sections), allowed_domains=("127.0.0.1",),
        )


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up (or a fault that resets) is not worth a traceback


class PortInUse(OSError):
    """A fixed port the replay sites need is taken."""


def _bind(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    try:
        return _QuietServer((host, port), handler)
    except OSError as error:
        if port:
            # Another port would give other URLs, and a store that already holds the pages under
            # the usual ones would keep a second copy of each.
            raise PortInUse(f"port {port} on {host} is in use") from error
        raise


@contextmanager
def serve_sites(
    sites: list[ReplaySite] | None = None, host: str = "127.0.0.1", first_port: int = 0
) -> Iterator[list[RunningSite]]:
    """Serve each site on its own port of ``host`` in background threads until the block ends.

    With ``first_port`` the sites take consecutive ports from there, so their URLs, and the
    canonical URLs stored from them, stay the same from one run to the next; ``PortInUse`` when
    one is taken. Without it, any free ports.
    """
    servers: list[ThreadingHTTPServer] = []
    running: list[RunningSite] = []
    try:
        for index, site in enumerate(sites if sites is not None else load_sites()):
            base: list[str] = [""]
            log = RequestLog()
            server = _bind(host, first_port + index if first_port else 0, _handler_for(site, base, log))
            base[0] = f"http://{host}:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, name=f"replay-{site.id}", daemon=True).start()
            servers.append(server)
            running.append(RunningSite(site, base[0], log))
        yield running
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
