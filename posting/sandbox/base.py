"""What the fake platform servers share: the threaded HTTP server and its lifecycle, the
request log, the fault controls (fail, drop, latency, reset), the ``/_sandbox/`` control
surface, the response writer and the small HTML pages. Standard library only.

``POST /_sandbox/external_post`` ``{"text": ...}`` makes a post on the account directly, as
someone who got hold of its password would in the platform's own app (it did not come through
CitySocial; the answer's ``post`` is the post as the API shows it), and ``POST /_sandbox/edit``
``{"id": ..., "text": ...}`` changes a live post's text the same way (702.5: what the
unauthorized-post detection must find).

Each fake (mastodon.py, bluesky.py, facebook.py, x.py) subclasses :class:`SandboxServer`
and :class:`SandboxHandler` and keeps everything that is particular to its platform.
"""

from __future__ import annotations

import contextlib
import copy
import html
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit


@dataclass
class Answer:
    """What to send back: a status, a payload (JSON-able, str as HTML, or bytes), headers.

    `drop` means: the request was carried out, close the connection without answering.
    """

    status: int
    payload: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


@dataclass
class Fault:
    """A queued failure: the next `count` matching requests are answered with `status`."""

    status: int
    count: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "POST"


def path_matches(pattern: str, method_pattern: str, method: str, path: str) -> bool:
    """`pattern` ("/:id/feed" style, ":" segments match anything) against `path`."""
    wanted = pattern.strip("/").split("/")
    actual = path.strip("/").split("/")
    return (
        method_pattern.upper() == method
        and len(wanted) == len(actual)
        and all(p.startswith(":") or p == a for p, a in zip(wanted, actual, strict=True))
    )


def sniff_image_type(data: bytes) -> str | None:
    """The media type of an image from its first bytes (as the platforms check content, not
    names): JPEG, PNG, GIF or WebP; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


# --- HTML ---------------------------------------------------------------------------
PAGE_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:42rem;padding:1rem;
color:#1a1a1a;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem}
.note{background:#fff4d6;border:2px solid #8a6100;border-radius:6px;padding:.75rem}
.timeline{list-style:none;padding:0}
.timeline>li{border-bottom:1px solid #767676;padding:.75rem 0}
.meta{color:#4a4a4a;font-size:.9rem;margin:0}
a{color:#0645ad}a:focus{outline:3px solid #1a1a1a;outline-offset:2px}
"""

HTML_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

NOTHING_YET = "<li><p>Nothing has been posted yet.</p></li>"


def page(title: str, heading: str, body: str, css: str = PAGE_CSS) -> str:
    """A whole HTML page: not indexed, styled inline, `body` already escaped."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head>"
        f"<body><header><h1>{html.escape(heading)}</h1></header><main>{body}</main></body></html>"
    )


def back_link(label: str) -> str:
    return f'<p><a href="/">Back to the {label}</a></p>'


def missing_post_page(title: str, back: str, css: str = PAGE_CSS) -> tuple[int, str]:
    """404 for one post that is not (or no longer) there."""
    return 404, page(
        f"Not found - {title}",
        title,
        "<p>This post is not here. It may have been deleted.</p>" + back_link(back),
        css,
    )


def nowhere_page(title: str, back: str, css: str = PAGE_CSS) -> tuple[int, str]:
    """404 for an address the fake has no page for."""
    return 404, page(
        "Not found", title, "<p>There is nothing at this address.</p>" + back_link(back), css
    )


def timeline_section(heading: str, items: str, section_id: str = "posts") -> str:
    return (
        f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{html.escape(heading)}'
        f'</h2><ol class="timeline">{items or NOTHING_YET}</ol></section>'
    )


# --- The server -----------------------------------------------------------------------
class SandboxServer:
    """A fake API in a daemon thread: lifecycle, request log and fault controls.

    Subclasses set `handler_class`, create their own stores in `_clear` (calling
    `_clear_controls`), and answer `state`, `_control` and `_control_not_found`.
    """

    handler_class: ClassVar[type[BaseHTTPRequestHandler]]

    def __init__(self, host: str, port: int, title: str, verbose: bool):
        self.host = host
        self.port = port
        self.title = title
        self.verbose = verbose
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._clear()

    def _clear(self) -> None:
        with self._lock:
            self._clear_controls()

    def _clear_controls(self) -> None:
        with self._lock:
            self._faults: list[Any] = []
            self._drops = 0
            self._drop_path: str | None = None
            self._latency = 0.0
            self._requests: list[Any] = []
            self._engagement: dict[str, dict[str, int | None]] = {}

    # --- Lifecycle ------------------------------------------------------------------
    def start(self) -> Self:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer((self.host, self.port), self.handler_class)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stop() returns at once
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host = self.host
        if host in {"", "0.0.0.0"}:  # noqa: S104 - only to print a reachable address
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    # --- Controls for tests (also under /_sandbox/) -------------------------------
    def _queue_fault(self, fault_class: type, status, count, body, headers, method, target):
        status, count = int(status), int(count)
        if not 400 <= status <= 599:
            raise ValueError("A failure needs an HTTP error status (400-599).")
        with self._lock:
            self._faults.append(
                fault_class(status, count, body, dict(headers or {}), method.upper(), target)
            )

    def drop_next(self, count: int = 1, *, path: str | None = None) -> None:
        """Carry out the next `count` writes, then close the connection without answering.

        With `path`, only writes whose path (or XRPC method) ends with it are dropped, e.g.
        "/api/v1/statuses": an image upload before the post still gets its answer.
        """
        with self._lock:
            self._drops += int(count)
            self._drop_path = path

    def set_latency(self, seconds: float) -> None:
        """Wait this long before answering every API request."""
        with self._lock:
            self._latency = max(0.0, float(seconds))

    def reset(self) -> None:
        """Forget everything stored, every fault, request and rate-limit count."""
        self._clear()

    @property
    def requests(self) -> list[Any]:
        """Every API request received, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def _take_fault(self, method: str, path: str) -> Any:
        with self._lock:
            for fault in self._faults:
                if fault.count > 0 and fault.matches(method, path):
                    fault.count -= 1
                    taken = copy.deepcopy(fault)
                    self._faults = [f for f in self._faults if f.count > 0]
                    return taken
        return None

    def _take_drop(self, answer: Answer, path: str | None = None) -> None:
        """Mark `answer` (to a write to `path`) to be dropped if a drop is pending for it."""
        with self._lock:
            wanted = self._drop_path
            if wanted and path is not None and not path.rstrip("/").endswith(wanted):
                return
            if self._drops > 0:
                self._drops -= 1
                answer.drop = True

    def _log_request(self, record: Any) -> None:
        """Keep `record` in the request log, then wait the configured latency."""
        with self._lock:
            self._requests.append(record)
            latency = self._latency
        if latency:
            time.sleep(latency)

    def state(self) -> dict[str, Any]:
        raise NotImplementedError

    # --- Posts made on the account, not through the API client (702.5) -------------
    def post_as_account(self, text: str, **options) -> dict[str, Any]:
        """Make a post on the account directly, as whoever holds its password would in the
        platform's own app: it did not come through CitySocial. Answers the post as the API
        shows it."""
        raise NotImplementedError

    def edit_post(self, post_id: str, text: str) -> None:
        """Change a live post's text, as the platform's own app would."""
        raise NotImplementedError

    @staticmethod
    def _external_text(text: Any) -> str:
        text = str(text or "")
        if not text.strip():
            raise ValueError("Give the post some text.")
        return text

    # --- Engagement counts (702.6): what the platform would count for a post -----------
    ENGAGEMENT_COUNTS = ("views", "likes", "shares", "quotes", "replies")

    def engagement_key(self, post_id: str) -> str:
        """The key a post's counts are kept under; a fake may accept several spellings."""
        return str(post_id)

    def set_engagement(self, post_id: str, **counts: int | None) -> None:
        """Set the counts the platform reports for a post (views, likes, shares, quotes,
        replies); a count left out stays as it was (0 at first). None: not reported."""
        unknown = set(counts) - set(self.ENGAGEMENT_COUNTS)
        if unknown:
            raise ValueError(f"Unknown engagement counts: {', '.join(sorted(unknown))}.")
        for name, value in counts.items():
            if value is not None and (isinstance(value, bool) or int(value) < 0):
                raise ValueError(f"{name} must be a count (0 or more).")
        with self._lock:
            stored = self._engagement.setdefault(self.engagement_key(post_id), {})
            stored.update({k: (None if v is None else int(v)) for k, v in counts.items()})

    def engagement_of(self, post_id: str) -> dict[str, int | None]:
        """The post's counts, every one present (0 unless set)."""
        with self._lock:
            stored = dict(self._engagement.get(self.engagement_key(post_id), {}))
        return {name: stored.get(name, 0) for name in self.ENGAGEMENT_COUNTS}

    # --- Control surface over HTTP ------------------------------------------------
    def _control_not_found(self) -> Answer:
        return Answer(404, {"error": "Not found"})

    def _control(self, action: str, body: dict[str, Any]) -> bool:
        """Carry out a platform-specific control `action`; False if there is none."""
        return False

    def handle_control(self, method: str, path: str, raw: bytes) -> Answer:
        try:
            body = json.loads(raw.decode("utf-8") or "{}") if raw else {}
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            return Answer(400, {"error": "Send a JSON object."})
        action = path[len("/_sandbox/") :].strip("/")
        try:
            if method == "GET" and action == "state":
                return Answer(200, self.state())
            if method != "POST":
                return self._control_not_found()
            if action == "drop":
                self.drop_next(body.get("count", 1), path=body.get("path"))
            elif action == "latency":
                self.set_latency(body.get("seconds", 0))
            elif action == "reset":
                self.reset()
            elif action == "external_post":
                options = {k: v for k, v in body.items() if k != "text"}
                made = self.post_as_account(self._external_text(body.get("text")), **options)
                return Answer(200, {**self.state(), "post": made})
            elif action == "edit":
                self.edit_post(str(body.get("id") or ""), self._external_text(body.get("text")))
            elif action == "engagement":
                post_id = body.get("id")
                if not post_id:
                    raise ValueError('Name the post: {"id": ..., "likes": 3, ...}.')
                counts = {k: v for k, v in body.items() if k != "id"}
                self.set_engagement(str(post_id), **counts)
            elif not self._control(action, body):
                return self._control_not_found()
        except (TypeError, ValueError) as exc:
            return Answer(422, {"error": str(exc) or "Invalid control parameters."})
        return Answer(200, self.state())


# --- HTTP -------------------------------------------------------------------------
class SandboxHandler(BaseHTTPRequestHandler):
    """Reads the body, writes answers, drops connections, logs quietly."""

    protocol_version = "HTTP/1.1"
    json_content_type = "application/json; charset=utf-8"

    def version_string(self) -> str:
        return self.server_version

    @property
    def fake(self) -> Any:
        return self.server.fake  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base signature
        # Quiet by default. When verbose, only the request line and status are printed:
        # headers (and so tokens) and bodies never are.
        if self.fake.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        raise NotImplementedError

    def _read_body(self) -> tuple[bytes, str]:
        """The raw request body and the request's path (without the query)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        raw = self.rfile.read(length) if length > 0 else b""
        return raw, urlsplit(self.path).path

    def _content_type(self, answer: Answer) -> str:
        return self.json_content_type

    def _send(self, answer: Answer) -> None:
        payload, headers = answer.payload, dict(answer.headers)
        if isinstance(payload, bytes):
            body = payload
        elif isinstance(payload, str):
            body = payload.encode("utf-8")
            headers.setdefault("Content-Type", "text/html; charset=utf-8")
        elif payload is None:
            body = b""
        else:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            headers.setdefault("Content-Type", self._content_type(answer))
        self.send_response(answer.status)
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_html(self, status: int, text: str) -> None:
        self._send(Answer(status, text.encode("utf-8"), dict(HTML_HEADERS)))

    def _drop(self) -> None:
        """The write happened; the answer is lost. Close without a byte of response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
