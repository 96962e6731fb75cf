"""A fake Nominatim on 127.0.0.1 for tests of online geocoding (no test reaches a network).

It answers ``/search?q=...``: "Nowhereville" is found at (12.5, -3.25), every
other name is not found; with ``fail`` set it answers HTTP 500 instead.  It
records each query and when it arrived, so tests can check the pace.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Nominatim:
    """A running fake: ``options`` point geopy's Nominatim at it."""

    options: dict[str, Any]
    hits: list[str] = field(default_factory=list)  # the queries, in arrival order
    times: list[float] = field(default_factory=list)  # time.time() of each arrival
    fail: bool = False


def _handler(state: Nominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
            state.times.append(time.time())
            state.hits.append(query)
            if state.fail:
                self.send_response(500)
                self.end_headers()
                return
            body = []
            if "nowhereville" in query.lower():
                body = [{"place_id": 1, "lat": "12.5", "lon": "-3.25",
                         "display_name": "Nowhereville, Testland", "importance": 0.4}]  # fmt: skip
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve() -> Iterator[Nominatim]:
    """Run a fake Nominatim for the duration of the block."""
    state = Nominatim(options={})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.options = {"domain": f"127.0.0.1:{server.server_address[1]}", "scheme": "http"}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)  # fmt: skip
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
