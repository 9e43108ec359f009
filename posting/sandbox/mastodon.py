"""A small fake Mastodon server that speaks Mastodon's documented REST wire format.

Used by the test suite and by the local demo ("make run"), so that CitySocial can
publish, fetch and delete statuses without any real server. Standard library only.

What it follows (docs.joinmastodon.org):

* ``POST /api/v1/statuses`` (methods/statuses#create): bearer token required,
  form-encoded, multipart or JSON parameters, ``Idempotency-Key`` honoured for an
  hour, 422 ``Validation failed: ...`` for blank or too long text (500 characters,
  counted as Mastodon's StatusLengthValidator does: every URL is 23, a remote
  mention counts by its local part, spoiler text counts too).
* ``POST /api/v2/media`` (methods/media#v2): multipart ``file`` and ``description``; the type
  is read from the bytes (JPEG, PNG, GIF, WebP), anything else is 422 ``Validation failed: File
  content type is invalid, File is invalid``, over 16 MB 422 ``Validation failed: File file
  size must be less than 16 MB``. Answers 200 with the MediaAttachment, or, after
  :meth:`FakeMastodon.process_media_slowly`, 202 with ``url`` null; ``GET /api/v1/media/:id``
  then answers 206 with an empty body until processing is over, then 200. A status's
  ``media_ids[]`` must name unattached, processed media of this account (422 otherwise, and
  ``Cannot attach files that have not finished processing. Try again in a moment!``).
* ``GET /api/v1/statuses/:id``, ``DELETE /api/v1/statuses/:id`` (the deleted status
  comes back with its source ``text`` instead of ``content``).
* ``GET /api/v1/accounts/verify_credentials``, ``GET /api/v1/accounts/:id``,
  ``GET /api/v1/accounts/:id/statuses`` (newest first, ``limit``/``max_id``/
  ``since_id``/``min_id`` and a ``Link`` header), ``GET /api/v1/instance``.
* Errors are the Error entity ``{"error": "..."}``; every ``/api/`` answer carries
  ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``
  (api/rate-limits: 300 requests per 5 minutes per account or IP, 30 deletions per
  30 minutes), and going over answers 429 ``{"error": "Too many requests"}``.

Not Mastodon, for tests and demos only, under ``/_sandbox/`` (and as methods):
``POST /_sandbox/fail`` ``{"status": 500, "count": 2, "body": {...}, "headers": {...}}``,
``POST /_sandbox/drop``, ``POST /_sandbox/latency`` ``{"seconds": 0.1}``,
``POST /_sandbox/reset``, ``POST /_sandbox/engagement`` ``{"id": "<status id>", "likes": 3,
"shares": 2, "replies": 1}`` (the status's ``favourites_count``, ``reblogs_count`` and
``replies_count``) and ``GET /_sandbox/state``.

``GET /`` is a small HTML timeline of what was posted; ``GET /@username/:id`` shows
one status (the ``url`` of every status points there).

Everything lives in memory and vanishes when the server stops. Nothing is public.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import hmac
import html
import json
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlencode, urlsplit

from . import base
from .base import Answer as _Answer
from .base import Fault, SandboxHandler, SandboxServer, path_matches, sniff_image_type

MAX_CHARS = 500
IMAGE_SIZE_LIMIT = 16 * 1024 * 1024  # configuration.media_attachments.image_size_limit
IMAGE_MATRIX_LIMIT = 33_177_600
DESCRIPTION_LIMIT = 1500
IMAGE_EXTENSIONS = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}
URL_PLACEHOLDER = "x" * 23
MAX_MEDIA = 4
IDEMPOTENCY_TTL = 3600.0  # "Idempotency keys are stored for up to 1 hour."
VISIBILITIES = ("public", "unlisted", "private", "direct")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# api/rate-limits: (bucket, limit, period in seconds).
GENERAL_LIMIT = ("api", 300, 300)
DELETION_LIMIT = ("deletion", 30, 1800)
RETRY_AFTER_429 = 5  # seconds ahead for an injected 429's X-RateLimit-Reset

DEFAULT_ERRORS = {
    400: "Bad request",
    401: "The access token is invalid",
    403: "This action is not allowed",
    404: "Record not found",
    410: "Gone",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "There was a temporary problem serving your request, please try again",
    504: "Gateway timeout",
}

# --- Text, the way Mastodon reads it --------------------------------------------
# A URL needs its scheme, may not be glued to a preceding letter, digit, @, $ or #,
# and does not end in punctuation (twitter-text's valid_url, which Mastodon uses).
URL_RE = re.compile(r"(?<![A-Za-z0-9@$#])https?://[^\s<>\"/?#.,;:!]+[^\s<>\"]*", re.IGNORECASE)
URL_END_OK = frozenset("=_#/-+&")
# Account::MENTION_RE: @user or @user@domain, not after =, / or a word character.
MENTION_RE = re.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@([\w.-]+\w))?", re.IGNORECASE
)
HASHTAG_RE = re.compile(r"(?<![\w/&#])#(\w*[^\W\d_]\w*)")


def _trim_url(candidate: str) -> str:
    """Drop trailing punctuation that twitter-text would leave outside the URL."""
    url = candidate
    while url:
        last = url[-1]
        if last.isalnum() or last in URL_END_OK:
            break
        if last == ")" and url.count("(") >= url.count(")"):
            break  # balanced parentheses, as in Wikipedia links
        url = url[:-1]
    return url


def _entities(text: str) -> list[tuple[int, int, str, re.Match | str]]:
    """Non-overlapping URLs, mentions and hashtags as (start, end, kind, value), in order.

    URLs win over mentions and hashtags inside them (Extractor.remove_overlapping_entities).
    """
    found: list[tuple[int, int, str, Any]] = []
    taken: list[tuple[int, int]] = []
    for match in URL_RE.finditer(text):
        url = _trim_url(match.group(0))
        if "://" in url and not url.endswith("://"):
            found.append((match.start(), match.start() + len(url), "url", url))
            taken.append((match.start(), match.start() + len(url)))
    for kind, regex in (("mention", MENTION_RE), ("hashtag", HASHTAG_RE)):
        for match in regex.finditer(text):
            start, end = match.span()
            if not any(start < t_end and t_start < end for t_start, t_end in taken):
                found.append((start, end, kind, match))
                taken.append((start, end))
    return sorted(found, key=lambda entity: entity[0])


def _grapheme_length(text: str) -> int:
    """An approximation of Ruby's each_grapheme_cluster.size, in the standard library.

    Combining marks, variation selectors, emoji modifiers, tag characters, ZWJ
    sequences, regional-indicator pairs and CRLF count as one with what they join.
    """
    count, join_next, open_flag, previous = 0, False, False, ""
    for char in text:
        code = ord(char)
        if join_next:
            join_next = False
        elif code == 0x200D:
            join_next = True
        elif (
            unicodedata.category(char).startswith("M")
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
            or (char == "\n" and previous == "\r")
        ):
            pass
        elif 0x1F1E6 <= code <= 0x1F1FF:
            if open_flag:
                open_flag = False
            else:
                open_flag = True
                count += 1
            previous = char
            continue
        else:
            count += 1
        open_flag = False
        previous = char
    return count


def countable_text(text: str) -> str:
    """StatusLengthValidator#countable_text: URLs become 23 x, @user@domain becomes @user."""
    if not text.strip():
        return ""
    parts, position = [], 0
    for start, end, kind, value in _entities(text):
        parts.append(text[position:start])
        if kind == "url":
            parts.append(URL_PLACEHOLDER)
        elif kind == "mention":
            parts.append("@" + value.group(1))
        else:
            parts.append(text[start:end])
        position = end
    parts.append(text[position:])
    return "".join(parts)


def status_length(text: str, spoiler_text: str = "") -> int:
    """How long Mastodon considers a status: spoiler text plus countable text."""
    return _grapheme_length(spoiler_text + countable_text(text))


def _link(url: str) -> str:
    """TextFormatter#link_to_url: the scheme is invisible, long links are ellipsised."""
    match = re.match(r"(https?://(?:www\.)?)(.*)", url, re.IGNORECASE | re.DOTALL)
    prefix, rest = (match.group(1), match.group(2)) if match else ("", url)
    display, hidden = rest[:30], rest[30:]
    visible_class = "ellipsis" if hidden else ""
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{html.escape(prefix)}</span>'
        f'<span class="{visible_class}">{html.escape(display)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


def format_content(text: str, base_url: str) -> str:
    """Plain text to Mastodon's status HTML: escaped, linked, paragraphs and line breaks."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            out, position = [], 0
            for start, end, kind, value in _entities(line):
                out.append(html.escape(line[position:start]))
                if kind == "url":
                    out.append(_link(value))
                elif kind == "hashtag":
                    tag = value.group(1)
                    href = f"{base_url}/tags/{tag.lower()}"
                    out.append(
                        f'<a href="{html.escape(href)}" class="mention hashtag" rel="tag">'
                        f"#<span>{html.escape(tag)}</span></a>"
                    )
                else:  # a mention of nobody this server knows stays text
                    out.append(html.escape(line[start:end]))
                position = end
            out.append(html.escape(line[position:]))
            lines.append("".join(out))
        rendered.append("<p>" + "<br />".join(lines) + "</p>")
    return "".join(rendered)


def _iso_ms(moment: datetime) -> str:
    """Mastodon's datetime format: ISO 8601, UTC, milliseconds, Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _iso_us(moment: datetime) -> str:
    """Ruby's Time#iso8601(6), as used for X-RateLimit-Reset."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}Z"


def _now() -> datetime:
    return datetime.now(UTC)


# --- The server's memory ----------------------------------------------------------
class RecordedRequest(NamedTuple):
    """One request to the API, for assertions: the full path, every header, the raw body."""

    method: str
    path: str
    headers: dict[str, str]
    body: str

    @property
    def params(self) -> dict[str, Any]:
        """The body's parameters: a dict from JSON, or a dict of lists from a form."""
        content_type = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        if "json" in content_type:
            try:
                return json.loads(self.body or "{}")
            except ValueError:
                return {}
        return parse_qs(self.body, keep_blank_values=True)


@dataclass
class _Fault(Fault):
    path: str = "/api/v1/statuses"

    def matches(self, method: str, path: str) -> bool:
        return path_matches(self.path, self.method, method, path)


class FakeMastodon(SandboxServer):
    """A Mastodon API server in a daemon thread, with an in-memory store and fault controls.

    Example::

        with FakeMastodon(token="t") as fake:
            requests.post(f"{fake.base_url}/api/v1/statuses", ...)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "sandbox-token",  # noqa: S107 - a sandbox token, not a secret
        title: str = "Sandbox (Mastodon API)",
        *,
        username: str = "city",
        display_name: str = "City (sandbox)",
        enforce_rate_limits: bool = True,
        idempotency_ttl: float = IDEMPOTENCY_TTL,
        verbose: bool = False,
    ):
        self.token = token
        self.username = username
        self.display_name = display_name
        self.enforce_rate_limits = enforce_rate_limits
        self.idempotency_ttl = idempotency_ttl
        self.account_id = "1"
        self.account_created_at = _now().replace(hour=0, minute=0, second=0, microsecond=0)
        super().__init__(host, port, title, verbose)

    def _clear(self) -> None:
        with self._lock:
            self._clear_controls()
            self._statuses: dict[int, dict[str, Any]] = {}
            self._media: dict[int, dict[str, Any]] = {}
            self._slow_media = 0  # uploads still to answer 202 "still processing"
            self._slow_polls = 0  # 206 answers each of them gives before it is processed
            self._idempotency: dict[str, tuple[int, float]] = {}
            self._buckets: dict[tuple[str, str], tuple[float, int]] = {}
            self._last_id = 0

    # --- Controls for tests (also under /_sandbox/) -------------------------------
    def fail_next(
        self,
        status: int,
        count: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        method: str = "POST",
        path: str = "/api/v1/statuses",
    ) -> None:
        """Answer the next `count` matching requests (status posts, by default) with `status`.

        `body` defaults to the Error entity for that status; a string is sent as HTML,
        as a proxy in front of Mastodon would. `path` may hold ":id"-style segments.
        """
        self._queue_fault(_Fault, status, count, body, headers, method, path)

    def process_media_slowly(self, count: int = 1, polls: int = 1) -> None:
        """The next `count` uploads answer 202 (url null) and are processed only after
        `polls` look-ups with GET /api/v1/media/:id (each answered 206 until then)."""
        with self._lock:
            self._slow_media, self._slow_polls = int(count), int(polls)

    def reset(self) -> None:
        """Forget every status, media, key, fault, request and rate-limit count."""
        super().reset()

    @property
    def media(self) -> list[dict[str, Any]]:
        """Every uploaded media attachment, oldest first: id, data (the bytes), mime_type,
        description, status_id (None while unattached), processed."""
        with self._lock:
            return [dict(m) for m in self._media.values()]

    @property
    def statuses(self) -> list[dict[str, Any]]:
        """The live statuses as Status entities, oldest first (a copy)."""
        with self._lock:
            return [self._entity(record, authed=True) for record in self._statuses.values()]

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "statuses": len(self._statuses),
                "media": len(self._media),
                "pending_failures": [
                    {"method": f.method, "path": f.path, "status": f.status, "count": f.count}
                    for f in self._faults
                ],
                "pending_drops": self._drops,
                "latency": self._latency,
                "requests": len(self._requests),
            }

    # --- Entities -------------------------------------------------------------------
    def account(self, *, credential: bool = False) -> dict[str, Any]:
        base, user = self.base_url, self.username
        with self._lock:
            records = list(self._statuses.values())
        last = max((r["created"] for r in records), default=None)
        account = {
            "id": self.account_id,
            "username": user,
            "acct": user,
            "display_name": self.display_name,
            "locked": False,
            "bot": False,
            "discoverable": False,
            "indexable": False,
            "group": False,
            "created_at": _iso_ms(self.account_created_at),
            "note": "<p>A local sandbox account. Nothing posted here is public.</p>",
            "url": f"{base}/@{user}",
            "uri": f"{base}/users/{user}",
            "avatar": f"{base}/avatars/original/missing.png",
            "avatar_static": f"{base}/avatars/original/missing.png",
            "header": f"{base}/headers/original/missing.png",
            "header_static": f"{base}/headers/original/missing.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": len(records),
            "last_status_at": last.strftime("%Y-%m-%d") if last else None,
            "hide_collections": False,
            "noindex": True,
            "emojis": [],
            "roles": [],
            "fields": [],
        }
        if credential:
            account["source"] = {
                "privacy": "public",
                "sensitive": False,
                "language": "en",
                "note": "A local sandbox account. Nothing posted here is public.",
                "fields": [],
                "follow_requests_count": 0,
            }
        return account

    def _entity(self, record: dict[str, Any], *, authed: bool, source: bool = False) -> dict:
        base, user, status_id = self.base_url, self.username, str(record["id"])
        entity: dict[str, Any] = {
            "id": status_id,
            "created_at": _iso_ms(record["created"]),
            "in_reply_to_id": record["in_reply_to_id"],
            "in_reply_to_account_id": self.account_id if record["in_reply_to_id"] else None,
            "sensitive": record["sensitive"],
            "spoiler_text": record["spoiler_text"],
            "visibility": record["visibility"],
            "language": record["language"],
            "uri": f"{base}/users/{user}/statuses/{status_id}",
            "url": f"{base}/@{user}/{status_id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": _iso_ms(record["edited"]) if record.get("edited") else None,
            **self._counts(status_id),
        }
        if authed:  # only for a signed-in viewer (REST::StatusSerializer)
            entity.update(
                favourited=False, reblogged=False, muted=False, bookmarked=False, pinned=False
            )
            entity["filtered"] = []
        if source:
            entity["text"] = record["text"]
        else:
            entity["content"] = record["content"]
        entity.update(
            reblog=None,
            application={"name": record["application"], "website": None},
            account=self.account(),
            media_attachments=[
                self._media_entity(self._media[media_id])
                for media_id in record.get("media_ids", [])
                if media_id in self._media
            ],
            mentions=[],
            tags=copy.deepcopy(record["tags"]),
            emojis=[],
            card=None,
            poll=None,
        )
        return entity

    def _counts(self, status_id: str) -> dict[str, int]:
        """The Status entity's counters (entities/Status): what `set_engagement` set, else 0.
        Mastodon counts no views; a quote is not a boost here."""
        counts = self.engagement_of(status_id)
        return {
            "replies_count": counts["replies"] or 0,
            "reblogs_count": counts["shares"] or 0,
            "favourites_count": counts["likes"] or 0,
        }

    # --- The API --------------------------------------------------------------------
    def _next_id(self, moment: datetime) -> int:
        """Snowflake-like, as Mastodon's: milliseconds since the epoch, shifted 16 bits."""
        candidate = int(moment.timestamp() * 1000) << 16
        self._last_id = max(candidate, self._last_id + 1)
        return self._last_id

    def _rate(self, method: str, path: str, key: str, now: float) -> tuple[dict, bool]:
        """Count this request in its buckets; the headers describe the closest to its limit."""
        buckets = [GENERAL_LIMIT]
        if method == "DELETE" and re.fullmatch(r"/api/v1/statuses/[^/]+", path):
            buckets.append(DELETION_LIMIT)
        closest, exceeded = None, False
        with self._lock:
            for name, limit, period in buckets:
                window = now - (now % period)
                start, used = self._buckets.get((name, key), (window, 0))
                if start != window:
                    used = 0
                used += 1
                self._buckets[(name, key)] = (window, used)
                remaining = max(limit - used, 0)
                exceeded = exceeded or used > limit
                if closest is None or remaining < closest[1]:
                    closest = (limit, remaining, window + period)
        limit, remaining, reset = closest
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": _iso_us(datetime.fromtimestamp(reset, UTC)),
        }
        return headers, exceeded and self.enforce_rate_limits

    def _authorized(self, headers) -> bool | None:
        """True for our token, False for another, None when no bearer token was sent."""
        value = headers.get("Authorization") or ""
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return hmac.compare_digest(token.strip().encode(), self.token.encode())

    def handle_api(self, method: str, target: str, headers, raw: bytes, client: str) -> _Answer:
        split = urlsplit(target)
        path = split.path.rstrip("/") or "/"
        auth = self._authorized(headers)
        key = f"account:{self.account_id}" if auth else f"ip:{client}"
        rate_headers, exceeded = self._rate(method, path, key, time.time())

        fault = self._take_fault(method, path)
        if fault is not None:
            answer = _Answer(fault.status, fault.body, dict(rate_headers))
            if fault.body is None:
                answer.payload = {"error": DEFAULT_ERRORS.get(fault.status, "Error")}
            if fault.status == 429:
                reset = _now() + timedelta(seconds=RETRY_AFTER_429)
                answer.headers.update(
                    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": _iso_us(reset)}
                )
            answer.headers.update(fault.headers)
            return answer
        if exceeded:
            return _Answer(
                429, {"error": "Too many requests"}, {**rate_headers, "X-RateLimit-Remaining": "0"}
            )

        try:
            params = _parse_params(split.query, headers.get("Content-Type", ""), raw)
        except ValueError:
            answer = _Answer(400, {"error": "Error occurred while parsing request parameters"})
        else:
            answer = self._route(method, path, params, auth, headers)
        answer.headers = {**rate_headers, **answer.headers}
        if method in WRITE_METHODS:
            self._take_drop(answer, path)
        return answer

    def _route(self, method, path, params, auth, headers) -> _Answer:
        parts = path.strip("/").split("/")[2:]  # after "api", "v1"
        if path == "/api/v2/media" and method == "POST":
            return self._require(auth) or self._upload_media(params)
        if path.startswith("/api/v1/media/") and len(parts) == 2 and method == "GET":
            return self._require(auth) or self._show_media(parts[1])
        if path.startswith("/api/v1/") and parts:
            if parts == ["statuses"] and method == "POST":
                return self._require(auth) or self._create_status(params, headers)
            if len(parts) == 2 and parts[0] == "statuses":
                if method == "GET":
                    return self._show_status(parts[1], auth)
                if method == "DELETE":
                    return self._require(auth) or self._delete_status(parts[1])
            if parts == ["accounts", "verify_credentials"] and method == "GET":
                return self._require(auth) or _Answer(200, self.account(credential=True))
            if len(parts) == 2 and parts[0] == "accounts" and method == "GET":
                if parts[1] != self.account_id:
                    return _not_found()
                return _Answer(200, self.account())
            if (
                len(parts) == 3
                and parts[0] == "accounts"
                and parts[2] == "statuses"
                and (method == "GET")
            ):
                return self._account_statuses(parts[1], params, auth)
            if parts == ["instance"] and method == "GET":
                return _Answer(200, self._instance())
        return _not_found()

    @staticmethod
    def _require(auth: bool | None) -> _Answer | None:
        if auth:
            return None
        return _Answer(
            401,
            {"error": "The access token is invalid"},
            {
                "WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token", '
                'error_description="The access token is invalid"'
            },
        )

    def _create_status(self, params: dict[str, Any], headers) -> _Answer:
        key = (headers.get("Idempotency-Key") or "").strip()
        text = str(params.get("status") or "")
        spoiler = str(params.get("spoiler_text") or "")
        visibility = str(params.get("visibility") or "public")
        language = str(params.get("language") or "en")
        reply_to = params.get("in_reply_to_id")
        media_ids = params.get("media_ids") or []
        sensitive = str(params.get("sensitive") or "").lower() in {"1", "true", "on", "yes"}
        now, monotonic = _now(), time.monotonic()
        with self._lock:
            # PostStatusService: a known key returns the status made with it, if it still exists.
            self._idempotency = {k: v for k, v in self._idempotency.items() if v[1] > monotonic}
            if key and key in self._idempotency:
                earlier = self._statuses.get(self._idempotency[key][0])
                if earlier is not None:
                    return _Answer(200, self._entity(earlier, authed=True))
            if not isinstance(media_ids, list):
                media_ids = [media_ids]
            if media_ids:
                refused = self._check_media(media_ids)
                if refused is not None:
                    return refused
            if visibility not in VISIBILITIES:
                return _invalid("Validation failed: Visibility is not included in the list")
            if not text.strip() and not media_ids:
                return _invalid("Validation failed: Text can't be blank")
            if status_length(text, spoiler) > MAX_CHARS:
                return _invalid(f"Validation failed: Text character limit of {MAX_CHARS} exceeded")
            if reply_to is not None and str(reply_to) != "":
                if _to_int(reply_to) not in self._statuses:
                    return _Answer(
                        404,
                        {"error": "The post you are trying to reply to does not appear to exist."},
                    )
                reply_to = str(reply_to)
            else:
                reply_to = None
            status_id = self._next_id(now)
            record = {
                "id": status_id,
                "created": now,
                "text": text,
                "content": format_content(text, self.base_url),
                "spoiler_text": spoiler,
                "sensitive": sensitive or bool(spoiler),
                "visibility": visibility,
                "language": language,
                "in_reply_to_id": reply_to,
                "media_ids": [int(i) for i in media_ids],
                "application": _application(headers),
                "tags": [
                    {"name": tag, "url": f"{self.base_url}/tags/{tag}"}
                    for tag in dict.fromkeys(
                        m.group(1).lower() for _, _, kind, m in _entities(text) if kind == "hashtag"
                    )
                ],
            }
            self._statuses[status_id] = record
            for media_id in record["media_ids"]:
                self._media[media_id]["status_id"] = status_id
            if key:
                self._idempotency[key] = (status_id, monotonic + self.idempotency_ttl)
            return _Answer(200, self._entity(record, authed=True))

    # --- Media ----------------------------------------------------------------------------
    def _media_entity(self, media: dict[str, Any]) -> dict[str, Any]:
        """The MediaAttachment entity; `url` is null while the full size is processing."""
        base = self.base_url
        media_id = str(media["id"])
        path = f"{base}/system/media_attachments/{media_id}"
        ext = IMAGE_EXTENSIONS[media["mime_type"]]
        width, height = media["width"], media["height"]
        original = {"width": width, "height": height} if width and height else {}
        if original:
            original.update(size=f"{width}x{height}", aspect=width / height)
        return {
            "id": media_id,
            "type": "gifv" if media["mime_type"] == "image/gif" else "image",
            "url": f"{path}/original.{ext}" if media["processed"] else None,
            "preview_url": f"{path}/small.{ext}",
            "remote_url": None,
            "text_url": None,
            "meta": {"original": original} if original else {},
            "description": media["description"] or None,
            "blurhash": None,
        }

    def _upload_media(self, params: dict[str, Any]) -> _Answer:
        upload = params.get("file")
        if not isinstance(upload, UploadedPart):
            return _invalid("Validation failed: File can't be blank")
        mime = sniff_image_type(upload.data)
        if mime is None:
            return _invalid("Validation failed: File content type is invalid, File is invalid")
        if len(upload.data) > IMAGE_SIZE_LIMIT:
            return _invalid("Validation failed: File file size must be less than 16 MB")
        description = str(params.get("description") or "")
        if len(description) > DESCRIPTION_LIMIT:
            return _invalid(
                f"Validation failed: Description is too long (maximum is {DESCRIPTION_LIMIT} "
                "characters)"
            )
        width, height = _image_size(upload.data, mime)
        with self._lock:
            slow = self._slow_media > 0
            if slow:
                self._slow_media -= 1
            media_id = self._next_id(_now())
            media = {
                "id": media_id,
                "data": upload.data,
                "mime_type": mime,
                "description": description,
                "width": width,
                "height": height,
                "status_id": None,
                "processed": not slow,
                "polls_left": self._slow_polls if slow else 0,
            }
            self._media[media_id] = media
            return _Answer(202 if slow else 200, self._media_entity(media))

    def _show_media(self, raw_id: str) -> _Answer:
        with self._lock:
            media = self._media.get(_to_int(raw_id))
            if media is None:
                return _not_found()
            if not media["processed"]:
                if media["polls_left"] > 0:
                    media["polls_left"] -= 1
                    return _Answer(206, None)
                media["processed"] = True
            return _Answer(200, self._media_entity(media))

    def _check_media(self, media_ids: list) -> _Answer | None:
        """PostStatusService#validate_media!, for statuses (called with the lock held)."""
        if len(media_ids) > MAX_MEDIA:
            return _invalid(f"You can't attach more than {MAX_MEDIA} files")
        found = [self._media.get(_to_int(i)) for i in media_ids]
        if any(m is None or m["status_id"] is not None for m in found):
            ids = ", ".join(str(i) for i in media_ids)
            return _invalid(f"Media {ids} not found or already attached to another post")
        if any(not m["processed"] for m in found):
            return _invalid(
                "Cannot attach files that have not finished processing. Try again in a moment!"
            )
        return None

    def media_file(self, media_id: str) -> tuple[bytes, str] | None:
        with self._lock:
            media = self._media.get(_to_int(media_id))
        if media is None or not media["processed"]:
            return None
        return media["data"], media["mime_type"]

    def post_as_account(
        self, text: str, *, in_reply_to_id: str | None = None, visibility: str = "public"
    ) -> dict[str, Any]:
        """A status made in Mastodon's own web app, with no API client of ours (702.5)."""
        if visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}")
        now = _now()
        with self._lock:
            if in_reply_to_id is not None and _to_int(in_reply_to_id) not in self._statuses:
                raise ValueError(f"No status {in_reply_to_id} to reply to.")
            record = {
                "id": self._next_id(now),
                "created": now,
                "text": text,
                "content": format_content(text, self.base_url),
                "spoiler_text": "",
                "sensitive": False,
                "visibility": visibility,
                "language": "en",
                "in_reply_to_id": str(in_reply_to_id) if in_reply_to_id is not None else None,
                "application": "Web",
                "tags": [],
            }
            self._statuses[record["id"]] = record
            return self._entity(record, authed=True)

    def edit_post(self, post_id: str, text: str) -> None:
        """PUT /api/v1/statuses/:id as the web app does it: new text, `edited_at` set."""
        with self._lock:
            record = self._statuses.get(_to_int(post_id))
            if record is None:
                raise ValueError(f"No status {post_id}.")
            record.update(text=text, content=format_content(text, self.base_url), edited=_now())

    def _find(self, raw_id: str, auth: bool | None) -> dict[str, Any] | None:
        with self._lock:
            record = self._statuses.get(_to_int(raw_id))
        if record is None or (record["visibility"] in {"private", "direct"} and not auth):
            return None
        return record

    def _show_status(self, raw_id: str, auth: bool | None) -> _Answer:
        record = self._find(raw_id, auth)
        if record is None:
            return _not_found()
        return _Answer(200, self._entity(record, authed=bool(auth)))

    def _delete_status(self, raw_id: str) -> _Answer:
        with self._lock:
            record = self._statuses.pop(_to_int(raw_id), None)
        if record is None:
            return _not_found()
        # Returned with its source text, for delete-and-redraft (methods/statuses#delete).
        return _Answer(200, self._entity(record, authed=True, source=True))

    def _account_statuses(self, account_id: str, params, auth) -> _Answer:
        if account_id != self.account_id:
            return _not_found()
        try:
            limit = min(max(int(params.get("limit") or 20), 1), 40)
        except (TypeError, ValueError):
            limit = 20
        max_id, since_id, min_id = (
            _to_int(params.get(name)) for name in ("max_id", "since_id", "min_id")
        )
        # The sandbox has no boosts, so exclude_reblogs leaves everything in.
        no_replies = str(params.get("exclude_replies") or "").lower() in {"1", "true"}
        with self._lock:
            records = [
                r
                for r in self._statuses.values()
                if (auth or r["visibility"] in {"public", "unlisted"})
                and not (no_replies and r["in_reply_to_id"])
                and (max_id is None or r["id"] < max_id)
                and (since_id is None or r["id"] > since_id)
                and (min_id is None or r["id"] > min_id)
            ]
        records.sort(key=lambda r: r["id"], reverse=min_id is None)
        page = records[:limit]
        page.sort(key=lambda r: r["id"], reverse=True)  # always newest first
        headers = {}
        if page:
            url = f"{self.base_url}/api/v1/accounts/{self.account_id}/statuses"
            older = urlencode({"limit": limit, "max_id": page[-1]["id"]})
            newer = urlencode({"limit": limit, "min_id": page[0]["id"]})
            headers["Link"] = f'<{url}?{older}>; rel="next", <{url}?{newer}>; rel="prev"'
        return _Answer(200, [self._entity(r, authed=bool(auth)) for r in page], headers)

    def _instance(self) -> dict[str, Any]:
        return {
            "uri": urlsplit(self.base_url).netloc,
            "title": self.title,
            "short_description": "A local sandbox that speaks the Mastodon API.",
            "description": "A local sandbox that speaks the Mastodon API. Nothing here is public.",
            "email": "",
            "version": "4.3.0 (compatible; CitySocial sandbox)",
            "urls": {},
            "stats": {"user_count": 1, "status_count": len(self._statuses), "domain_count": 1},
            "thumbnail": None,
            "languages": ["en"],
            "registrations": False,
            "approval_required": False,
            "invites_enabled": False,
            "configuration": {
                "statuses": {
                    "max_characters": MAX_CHARS,
                    "max_media_attachments": MAX_MEDIA,
                    "characters_reserved_per_url": len(URL_PLACEHOLDER),
                },
                "media_attachments": {
                    "supported_mime_types": sorted(IMAGE_EXTENSIONS),
                    "image_size_limit": IMAGE_SIZE_LIMIT,
                    "image_matrix_limit": IMAGE_MATRIX_LIMIT,
                    "description_limit": DESCRIPTION_LIMIT,
                },
            },
            "contact_account": self.account(),
            "rules": [],
        }

    # --- Control surface over HTTP ------------------------------------------------
    def _control_not_found(self) -> _Answer:
        return _not_found()

    def _control(self, action: str, body: dict[str, Any]) -> bool:
        if action != "fail":
            return False
        self.fail_next(
            body.get("status", 500),
            body.get("count", 1),
            body.get("body"),
            body.get("headers"),
            method=body.get("method", "POST"),
            path=body.get("path", "/api/v1/statuses"),
        )
        return True

    # --- HTML -----------------------------------------------------------------------
    def render_page(self, status_id: str | None = None) -> tuple[int, str]:
        with self._lock:
            records = [
                r for r in self._statuses.values() if r["visibility"] in {"public", "unlisted"}
            ]
        records.sort(key=lambda r: r["id"], reverse=True)
        if status_id is not None:
            records = [r for r in records if str(r["id"]) == status_id]
            if not records:
                return base.missing_post_page(self.title, "timeline", PAGE_CSS)
        heading = "Post" if status_id is not None else "Timeline, newest first"
        with self._lock:
            described = {
                r["id"]: [(m, self._media[m]["description"]) for m in r.get("media_ids", [])]
                for r in records
            }
        items = "".join(_status_html(r, self.username, described[r["id"]]) for r in records)
        body = (
            '<p class="note"><strong>This is a local sandbox that speaks the Mastodon API.'
            "</strong> "
            f"Nothing here is public: posts live only in this process's memory and vanish "
            f"when it stops. Account: {html.escape(self.display_name)} "
            f"(@{html.escape(self.username)}).</p>"
            + base.timeline_section(heading, items, "timeline")
        )
        if status_id is not None:
            body += '<p><a href="/">Back to the timeline</a></p>'
        return 200, _page(self.title, self.title, body)


# --- Helpers ----------------------------------------------------------------------
class UploadedPart(NamedTuple):
    """A file part of a multipart body: its name, declared type and bytes."""

    filename: str
    content_type: str
    data: bytes


def _image_size(data: bytes, mime: str) -> tuple[int | None, int | None]:
    """Width and height from the header, for PNG and GIF (enough for the sandbox's meta)."""
    if mime == "image/png" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if mime == "image/gif" and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    return None, None


def _to_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _not_found() -> _Answer:
    return _Answer(404, {"error": "Record not found"})


def _invalid(message: str) -> _Answer:
    return _Answer(422, {"error": message})


def _application(headers) -> str:
    agent = (headers.get("User-Agent") or "").split("/")[0].strip()
    return agent[:60] or "Sandbox client"


def _parse_params(query: str, content_type: str, raw: bytes) -> dict[str, Any]:
    """Rails-style parameters: query string and body merged; `name[]` collects a list."""
    pairs: list[tuple[str, Any]] = []
    for name, values in parse_qs(query, keep_blank_values=True).items():
        pairs.extend((name, value) for value in values)
    media_type = content_type.split(";")[0].strip().lower()
    if raw:
        if media_type == "application/json":
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("JSON body must be an object")
            for name, value in data.items():
                if isinstance(value, list):
                    pairs.extend((f"{name}[]", item) for item in value)
                else:
                    pairs.append((name, value))
        elif media_type == "multipart/form-data":
            header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + raw)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name:
                    payload = part.get_payload(decode=True) or b""
                    if part.get_filename() is not None:
                        kind = part.get_content_type()
                        pairs.append((name, UploadedPart(part.get_filename(), kind, payload)))
                    else:
                        pairs.append((name, payload.decode("utf-8", "replace")))
        else:
            text = raw.decode("utf-8")
            for name, values in parse_qs(text, keep_blank_values=True).items():
                pairs.extend((name, value) for value in values)
    params: dict[str, Any] = {}
    for name, value in pairs:
        if name.endswith("[]"):
            params.setdefault(name[:-2], []).append(value)
        else:
            params[name] = value
    return params


PAGE_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:42rem;padding:1rem;
color:#1a1a1a;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem}
.note{background:#fff4d6;border:2px solid #8a6100;border-radius:6px;padding:.75rem}
.timeline{list-style:none;padding:0}
.timeline li{border-bottom:1px solid #767676;padding:.75rem 0}
.meta{color:#4a4a4a;font-size:.9rem;margin:0}
a{color:#0645ad}a:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.invisible{font-size:0;line-height:0;display:inline-block;width:0;height:0;overflow:hidden}
.ellipsis::after{content:"\\2026"}
"""


def _page(title: str, heading: str, body: str) -> str:
    return base.page(title, heading, body, PAGE_CSS)


def _status_html(record: dict[str, Any], username: str, media=()) -> str:
    created = record["created"]
    readable = created.strftime("%d %B %Y, %H:%M:%S UTC")
    # The content is Mastodon-style HTML made by format_content from escaped text.
    content = record["content"]
    if record["spoiler_text"]:
        content = (
            f"<details><summary>{html.escape(record['spoiler_text'])}</summary>{content}</details>"
        )
    reply = ""
    if record["in_reply_to_id"]:
        parent = html.escape(str(record["in_reply_to_id"]))
        reply = f' &middot; in reply to <a href="/@{html.escape(username)}/{parent}">{parent}</a>'
    images = "".join(
        f'<li><img src="/system/media_attachments/{m}/original" alt="{html.escape(d or "")}" '
        f'style="max-width:100%"></li>'
        for m, d in media
    )
    return (
        f'<li><article aria-label="Post {record["id"]}">'
        f'<p class="meta"><a href="/@{html.escape(username)}/{record["id"]}">'
        f'<time datetime="{_iso_ms(created)}">{html.escape(readable)}</time></a>'
        f" &middot; {html.escape(record['visibility'])}{reply}</p>{content}"
        f"{f'<ul>{images}</ul>' if images else ''}</article></li>"
    )


# --- HTTP -------------------------------------------------------------------------
class _Handler(SandboxHandler):
    server_version = "FakeMastodon/1.0"

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        raw, path = self._read_body()

        if path.startswith("/api/"):
            body = raw.decode("utf-8", "replace")
            fake._log_request(RecordedRequest(method, self.path, dict(self.headers.items()), body))
            answer = fake.handle_api(method, self.path, self.headers, raw, self.client_address[0])
            if answer.drop:
                self._drop()
                return
            answer.headers.setdefault("X-Request-Id", str(uuid.uuid4()))
            answer.headers.setdefault("Cache-Control", "private, no-store")
            self._send(answer)
        elif path.startswith("/_sandbox/"):
            self._send(fake.handle_control(method, path, raw))
        elif method == "GET":
            self._html(path)
        else:
            self._send(_not_found())

    def _html(self, path: str) -> None:
        stored = re.fullmatch(r"/system/media_attachments/(\d+)/original(?:\.\w+)?", path)
        if stored:
            found = self.fake.media_file(stored.group(1))
            if found is None:
                self._send(_not_found())
            else:
                data, mime = found
                self._send(_Answer(200, data, {"Content-Type": mime}))
            return
        user = re.escape(self.fake.username)
        single = re.fullmatch(rf"/@{user}/(\d+)/?", path)
        if path in {"/", f"/@{self.fake.username}"} or single:
            status, page = self.fake.render_page(single.group(1) if single else None)
        else:
            status, page = base.nowhere_page(self.fake.title, "timeline", PAGE_CSS)
        self._send_html(status, page)


FakeMastodon.handler_class = _Handler
