"""A small fake X API v2 for one account, speaking X's wire format.

Used by the test suite and by the local demo. Standard library only.

What it follows (docs.x.com/x-api):

* OAuth 2.0 user-context bearer token in ``Authorization``; anything else is 401
  ``{"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}``.
* ``POST /2/tweets`` (JSON ``text``, ``reply_settings`` one of following, mentionedUsers,
  subscribers, verified) answers 201 ``{"data": {"id", "text", "edit_history_tweet_ids"}}``.
  ``reply.in_reply_to_tweet_id`` makes a reply (a malformed id is 400 ``invalid-request``;
  a missing post is 403 "You attempted to reply to a Tweet that is deleted or not visible to
  you.").
  The stored text has every URL shortened to a t.co link and &, <, > escaped, as X gives text
  back. Over 280 weighted characters (twitter-text config v3: URLs 23, most of Latin 1, CJK
  and emoji 2) or the same text as a live post is 403 problem JSON; a bad field is 400
  ``invalid-request`` with ``errors``.
* ``POST /2/media/upload`` (multipart ``media``, ``media_category`` tweet_image, optional
  ``media_type``) answers ``{"data": {"id", "media_key", "size", "expires_after_secs",
  "image"}}``; the type is read from the bytes (JPEG, PNG, WebP; anything else is 400
  ``invalid-request``), over 5 MB is 400 too. After :meth:`FakeX.process_media_slowly` an
  upload carries ``processing_info`` (pending) and ``GET /2/media/upload?command=STATUS&media_id=``
  answers in_progress until it has been asked enough, then succeeded.
  The chunked upload, for an animated GIF (``media_category`` tweet_gif, up to 15 MB) or an
  image (tweet_image, up to 5 MB): ``POST /2/media/upload/initialize`` (JSON ``media_type``,
  ``total_bytes``, ``media_category``) answers ``{"data": {"id", "media_key",
  "expires_after_secs"}}``; ``POST /2/media/upload/:id/append`` (multipart ``segment_index``,
  0, 1, ... in order, and ``media``, at most 5 MB) answers ``{"data": {"expires_at"}}``;
  ``POST /2/media/upload/:id/finalize`` answers ``{"data": {"id", "media_key", "size",
  "expires_after_secs"}}``, with ``processing_info`` after :meth:`FakeX.process_media_slowly`.
  An unknown id, a segment out of order or too large, more bytes than announced, a finalize
  before every byte has come, or bytes that are not of the announced type are 400
  ``invalid-request``.
  ``POST /2/media/metadata`` (JSON ``{"id", "metadata": {"alt_text": {"text"}}}``, at most
  1,000 characters) sets the alternative text. ``POST /2/tweets`` takes ``media.media_ids``
  (1 to 4 ids of this account's processed uploads, an animated GIF only on its own; otherwise
  400 "Your media IDs are invalid.").
* ``GET /2/tweets/:id`` (a missing post is 200 with ``errors`` of type resource-not-found),
  ``DELETE /2/tweets/:id`` (``{"data": {"deleted": true}}``; a missing post is 404),
  ``GET /2/users/me``, ``GET /2/users/:id/tweets`` (newest first, ``max_results`` 5-100,
  ``start_time``, ``end_time``).
* Every answer carries ``x-rate-limit-limit``, ``x-rate-limit-remaining`` and
  ``x-rate-limit-reset`` (epoch seconds) for its endpoint's 15-minute window; posting also
  carries ``x-user-limit-24hour-*`` and ``x-app-limit-24hour-*``. Going over is 429
  ``{"title": "Too Many Requests", ...}``.

``tweet.fields=public_metrics`` adds ``retweet_count``, ``reply_count``, ``like_count``,
``quote_count``, ``bookmark_count`` and ``impression_count``.

Not X, for tests and demos (as methods, and under ``/_sandbox/``): ``engagement`` (``{"id":
"<post id>", "views": 120, "likes": 3, "shares": 2, "quotes": 1, "replies": 0}``), ``fail``,
``rate_limit``
(429 with the reset a few seconds ahead), ``drop`` (carry out the next write, then close the
connection without answering), ``keep_delete`` (answer a deletion ``{"deleted": false}``),
``latency`` and ``reset``; ``GET /_sandbox/state``.

``GET /`` is a small HTML page of the posts; ``GET /<username>/status/<id>`` shows one.
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
import secrets
import string
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from .base import Answer as _Answer
from .base import (
    Fault,
    SandboxHandler,
    SandboxServer,
    missing_post_page,
    nowhere_page,
    page,
    sniff_image_type,
)
from .base import timeline_section as _timeline_section

MAX_WEIGHTED = 280
REPLY_SETTINGS = ("following", "mentionedUsers", "subscribers", "verified")
WRITE_METHODS = frozenset({"POST", "DELETE"})
WINDOW = 900  # 15 minutes
DAY = 86400
RETRY_AFTER_429 = 5
# (method, route): requests per 15-minute window, per user.
LIMITS = {
    ("POST", "/2/tweets"): 100,
    ("DELETE", "/2/tweets/:id"): 50,
    ("GET", "/2/tweets/:id"): 900,
    ("GET", "/2/users/me"): 75,
    ("GET", "/2/users/:id/tweets"): 900,
}
MAX_MEDIA = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
ONE_SHOT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# The chunked upload: what each category takes, and up to what size.
CHUNKED_CATEGORIES = {
    "tweet_image": (ONE_SHOT_TYPES, MAX_IMAGE_BYTES),
    "tweet_gif": (frozenset({"image/gif"}), 15 * 1024 * 1024),
}
MEDIA_CATEGORIES = "tweet_image, tweet_gif, tweet_video, amplify_video, dm_image, dm_gif, dm_video"
# X's documentation: "Keep each segment at or below 5 MB (server maximum is 8 MB)"; the fake
# holds clients to the documented 5 MB.
MAX_SEGMENT_BYTES = 5 * 1024 * 1024
MAX_SEGMENT_INDEX = 999
STEPS = ("append", "finalize")  # of a chunked upload, after its initialize
UPLOAD_EXPIRES_AFTER = 86400
MAX_ALT_TEXT = 1000
USER_DAILY_POSTS = 100
APP_DAILY_POSTS = 10000
PROBLEMS = "https://api.twitter.com/2/problems"

# --- twitter-text config v3, as the server counts ---------------------------------------
LIGHT = [(0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037)]
URL_RE = re.compile(r"(?<![\w@＠$＄#＃])https?://\S+", re.IGNORECASE)
BARE_RE = re.compile(
    r"(?<![\w@＠$＄#＃.\-/])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,}))(?![\w-])(/\S*)?",
    re.IGNORECASE | re.ASCII,
)
GTLD_WORDS = (
    "com net org gov edu mil int info biz name pro app dev aero asia cat coop jobs mobi museum "
    "post tel travel xxx city town news online site social page blog tech today life live "
    "world community health email link club shop store top xyz"
)
GTLDS = set(GTLD_WORDS.split())


def _pictographic(code: int) -> bool:
    """Roughly Unicode's Extended_Pictographic: the emoji blocks and the older symbols."""
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or 0x2190 <= code <= 0x21FF
        or 0x2300 <= code <= 0x23FF
        or 0x25A0 <= code <= 0x25FF
        or 0x2900 <= code <= 0x297F
        or code in {0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D, 0x3297, 0x3299}
    )


def _ends_url(char: str, url: str) -> bool:
    if char.isalnum() or char in "=_#/-+&":
        return True
    return char == ")" and url.count("(") >= url.count(")")


def _url_ranges(text: str) -> list[tuple[int, int]]:
    found = []
    for match in URL_RE.finditer(text):
        url = match.group(0)
        while url and not _ends_url(url[-1], url):
            url = url[:-1]
        host = url.split("://", 1)[1].split("/")[0].split("?")[0].split("#")[0]
        if "." in host.strip("."):
            found.append((match.start(), match.start() + len(url)))
    for match in BARE_RE.finditer(text):
        if any(a <= match.start() < b for a, b in found):
            continue
        domain, tld, path = match.group(1), match.group(2).lower(), match.group(3)
        ok = tld in GTLDS or (
            len(tld) == 2 and (path or domain.count(".") > 1 or tld in {"co", "tv"})
        )
        if not ok:
            continue
        url = match.group(0)
        while url and not _ends_url(url[-1], url):
            url = url[:-1]
        found.append((match.start(), match.start() + len(url)))
    return sorted(found)


def _weigh_plain(text: str) -> int:
    total, i, codes = 0, 0, [ord(c) for c in text]
    while i < len(codes):
        code = codes[i]
        nxt = codes[i + 1] if i + 1 < len(codes) else None
        if 0x1F1E6 <= code <= 0x1F1FF and nxt is not None and 0x1F1E6 <= nxt <= 0x1F1FF:
            total, i = total + 200, i + 2  # a flag
            continue
        if chr(code) in "0123456789#*":
            j = i + 1 + (nxt == 0xFE0F)
            if j < len(codes) and codes[j] == 0x20E3:
                total, i = total + 200, j + 1  # a keycap
                continue
        if _pictographic(code) and not (code in {0xA9, 0xAE} and nxt != 0xFE0F):
            j = i + 1
            while j < len(codes):  # modifiers, variation selector, tags, ZWJ + the next emoji
                if (
                    codes[j] == 0xFE0F
                    or 0x1F3FB <= codes[j] <= 0x1F3FF
                    or 0xE0020 <= codes[j] <= 0xE007F
                ):
                    j += 1
                elif codes[j] == 0x200D and j + 1 < len(codes) and _pictographic(codes[j + 1]):
                    j += 2
                else:
                    break
            total, i = total + 200, j
            continue
        total += 100 if any(a <= code <= b for a, b in LIGHT) else 200
        i += 1
    return total


def weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end in _url_ranges(text):
        total += _weigh_plain(text[position:start]) + 2300
        position = end
    return (total + _weigh_plain(text[position:])) // 100


def _tco(text: str) -> str:
    """The text as X gives it back: URLs become t.co links; &, <, > are escaped."""
    out, position = [], 0
    for start, end in _url_ranges(text):
        out.append(text[position:start])
        slug = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))
        out.append(f"https://t.co/{slug}")
        position = end
    out.append(text[position:])
    return "".join(out).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra) -> _Answer:
    return _Answer(
        status, {"title": title, "detail": detail, "type": kind, "status": status, **extra}
    )


def _unauthorized() -> _Answer:
    return problem(401, "Unauthorized", "Unauthorized")


def _json_object(headers, raw: bytes) -> dict[str, Any] | _Answer:
    """The request's JSON object, or X's answer refusing the request."""
    if "json" not in (headers.get("Content-Type") or "").lower():
        return problem(415, "Unsupported Media Type", "Content-Type must be application/json")
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return _invalid("body", "", "Request body is not valid JSON")
    return body


def _media_form(headers, raw: bytes) -> dict[str, Any] | _Answer:
    """A multipart upload's fields, with its `media` bytes, or X's answer refusing it."""
    content_type = headers.get("Content-Type") or ""
    if not content_type.lower().startswith("multipart/form-data"):
        return problem(415, "Unsupported Media Type", "Content-Type must be multipart/form-data")
    fields = _multipart(content_type, raw)
    media = fields.get("media")
    if not isinstance(media, bytes) or not media:
        return _invalid("media", "", "$.media: is missing but it is required")
    return fields


def _invalid(parameter: str, value: Any, message: str) -> _Answer:
    return _Answer(
        400,
        {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": f"{PROBLEMS}/invalid-request",
        },
    )


def _missing(post_id: str) -> dict[str, Any]:
    return {
        "value": post_id,
        "detail": f"Could not find tweet with id: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "id",
        "resource_id": post_id,
        "type": f"{PROBLEMS}/resource-not-found",
    }


class RecordedRequest(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    @property
    def route(self) -> str:
        return urlsplit(self.path).path


@dataclass
class _Fault(Fault):
    path: str = "/2/tweets"

    def matches(self, method: str, path: str) -> bool:
        return self.method.upper() == method and _route(path) == _route(self.path)


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """A multipart/form-data body: file parts as bytes, the others as text."""
    header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True) or b""
            fields[name] = payload if part.get_filename() is not None else payload.decode()
    return fields


def _route(path: str) -> str:
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[:2] == ["2", "tweets"]:
        return "/2/tweets/:id"
    if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[3] == "tweets":
        return "/2/users/:id/tweets"
    if len(parts) == 5 and parts[:3] == ["2", "media", "upload"] and parts[4] in STEPS:
        return f"/2/media/upload/:id/{parts[4]}"
    return "/" + "/".join(parts)


class FakeX(SandboxServer):
    """An X API v2 for one account in a daemon thread, with an in-memory store."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "sandbox-user-token",  # noqa: S107 - a sandbox token, not a secret
        title: str = "Sandbox (X API)",
        *,
        user_id: str = "1500000000000000001",
        username: str = "CitySandbox",
        name: str = "City (sandbox)",
        enforce_rate_limits: bool = True,
        verbose: bool = False,
    ):
        self.token = token
        self.user_id = user_id
        self.username = username
        self.name = name
        self.enforce_rate_limits = enforce_rate_limits
        super().__init__(host, port, title, verbose)

    def _clear(self) -> None:
        with self._lock:
            self._clear_controls()
            self._posts: dict[str, dict[str, Any]] = {}
            self._media: dict[str, dict[str, Any]] = {}
            self._slow_media = 0
            self._slow_checks = 0
            self._check_after = 1
            self._kept_deletes = 0
            self._buckets: dict[tuple[str, str], tuple[float, int]] = {}
            self._daily: list[float] = []
            self._last_id = 0

    # --- Controls ---------------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        count: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        method: str = "POST",
        path: str = "/2/tweets",
    ) -> None:
        """Answer the next `count` matching requests with `status` ("/2/tweets/:id" style
        paths); `body` defaults to problem JSON; a string is sent as HTML."""
        self._queue_fault(_Fault, status, count, body, headers, method, path)

    def rate_limit_next(
        self,
        count: int = 1,
        *,
        seconds: int = RETRY_AFTER_429,
        method: str = "POST",
        path: str = "/2/tweets",
    ) -> None:
        """Answer the next requests 429, x-rate-limit-reset `seconds` ahead."""
        self.fail_next(
            429,
            count,
            problem(429, "Too Many Requests", "Too Many Requests").payload,
            {
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(time.time()) + int(seconds)),
            },
            method=method,
            path=path,
        )

    def process_media_slowly(self, count: int = 1, checks: int = 1, check_after: int = 1) -> None:
        """The next `count` uploads (a chunked one at its finalize) answer with processing_info
        pending, and are succeeded only after `checks` STATUS look-ups (each answered
        in_progress, `check_after_secs` ahead)."""
        with self._lock:
            self._slow_media, self._slow_checks = int(count), int(checks)
            self._check_after = int(check_after)

    @property
    def media(self) -> list[dict[str, Any]]:
        """Every upload, oldest first: id, media_key, media_category, data (a chunked upload's
        segments joined in order), total_bytes, segments, mime_type, alt_text, state, post_id."""
        with self._lock:
            return [dict(m) for m in self._media.values()]

    def keep_next_delete(self, count: int = 1) -> None:
        """Answer the next `count` deletions 200 {"data": {"deleted": false}}, keeping the post."""
        with self._lock:
            self._kept_deletes += int(count)

    @property
    def posts(self) -> list[dict[str, Any]]:
        """The live posts, oldest first: id, text (as X gives it back), submitted_text, ..."""
        with self._lock:
            return [copy.deepcopy(p) for p in self._posts.values()]

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "posts": len(self._posts),
                "pending_failures": [
                    {"method": f.method, "path": f.path, "status": f.status, "count": f.count}
                    for f in self._faults
                ],
                "pending_drops": self._drops,
                "latency": self._latency,
                "requests": len(self._requests),
            }

    # --- Rate limits ------------------------------------------------------------------
    def _rate(self, method: str, path: str, now: float) -> tuple[dict[str, str], bool]:
        route = _route(path)
        limit = LIMITS.get((method, route), 300)
        window = now - (now % WINDOW)
        with self._lock:
            start, used = self._buckets.get((method, route), (window, 0))
            used = (0 if start != window else used) + 1
            self._buckets[(method, route)] = (window, used)
            headers = {
                "x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(max(limit - used, 0)),
                "x-rate-limit-reset": str(int(window + WINDOW)),
            }
            if (method, route) == ("POST", "/2/tweets"):
                self._daily = [t for t in self._daily if t > now - DAY]
                reset = str(int((self._daily[0] if self._daily else now) + DAY))
                headers.update(
                    {
                        "x-user-limit-24hour-limit": str(USER_DAILY_POSTS),
                        "x-user-limit-24hour-remaining": str(
                            max(USER_DAILY_POSTS - len(self._daily) - 1, 0)
                        ),
                        "x-user-limit-24hour-reset": reset,
                        "x-app-limit-24hour-limit": str(APP_DAILY_POSTS),
                        "x-app-limit-24hour-remaining": str(APP_DAILY_POSTS - len(self._daily) - 1),
                        "x-app-limit-24hour-reset": reset,
                    }
                )
        return headers, used > limit and self.enforce_rate_limits

    # --- The API ----------------------------------------------------------------------
    def handle_api(self, method: str, target: str, headers, raw: bytes) -> _Answer:
        split = urlsplit(target)
        path = split.path.rstrip("/")
        rate_headers, exceeded = self._rate(method, path, time.time())
        fault = self._take_fault(method, path)
        if fault is not None:
            answer = _Answer(fault.status, fault.body, dict(rate_headers))
            if fault.body is None:
                titles = {
                    400: "Invalid Request",
                    403: "Forbidden",
                    404: "Not Found Error",
                    429: "Too Many Requests",
                }
                title = titles.get(
                    fault.status, "Service Unavailable" if fault.status >= 500 else "Error"
                )
                answer.payload = problem(fault.status, title, title).payload
            if fault.status == 429:
                answer.headers.update(
                    {
                        "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": str(int(time.time()) + RETRY_AFTER_429),
                    }
                )
            answer.headers.update(fault.headers)
            return answer
        if not self._authorized(headers):
            answer = _unauthorized()
        elif exceeded:
            answer = problem(429, "Too Many Requests", "Too Many Requests")
        else:
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            answer = self._dispatch(method, path, query, headers, raw)
        answer.headers = {**rate_headers, **answer.headers}
        if method in WRITE_METHODS and answer.status < 400:
            self._take_drop(answer, path)
        return answer

    def _authorized(self, headers) -> bool:
        scheme, _, token = (headers.get("Authorization") or "").strip().partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.token.encode()
        )

    def _dispatch(self, method: str, path: str, query: dict, headers, raw: bytes) -> _Answer:
        route = _route(path)
        post_id = path.rsplit("/", 1)[-1]
        if (method, route) == ("POST", "/2/tweets"):
            return self._create(headers, raw)
        if (method, route) == ("POST", "/2/media/upload"):
            return self._upload_media(headers, raw)
        if (method, route) == ("GET", "/2/media/upload"):
            return self._media_status(query)
        if (method, route) == ("POST", "/2/media/metadata"):
            return self._media_metadata(headers, raw)
        if (method, route) == ("POST", "/2/media/upload/initialize"):
            return self._initialize_upload(headers, raw)
        if (method, route) == ("POST", "/2/media/upload/:id/append"):
            return self._append_upload(path.split("/")[4], headers, raw)
        if (method, route) == ("POST", "/2/media/upload/:id/finalize"):
            return self._finalize_upload(path.split("/")[4])
        if (method, route) == ("GET", "/2/tweets/:id"):
            with self._lock:
                post = self._posts.get(post_id)
            if post is None:
                return _Answer(200, {"errors": [_missing(post_id)]})
            return _Answer(200, {"data": self._fields(post, query)})
        if (method, route) == ("DELETE", "/2/tweets/:id"):
            with self._lock:
                if self._kept_deletes > 0 and post_id in self._posts:
                    self._kept_deletes -= 1
                    return _Answer(200, {"data": {"deleted": False}})
                removed = self._posts.pop(post_id, None)
            if removed is None:
                return problem(
                    404,
                    "Not Found Error",
                    f"Could not find tweet with id: [{post_id}].",
                    f"{PROBLEMS}/resource-not-found",
                )
            return _Answer(200, {"data": {"deleted": True}})
        if (method, route) == ("GET", "/2/users/me"):
            return _Answer(
                200, {"data": {"id": self.user_id, "name": self.name, "username": self.username}}
            )
        if (method, route) == ("GET", "/2/users/:id/tweets"):
            return self._timeline(path.split("/")[3], query)
        return problem(404, "Not Found Error", "Sorry, that page does not exist.")

    def _fields(self, post: dict[str, Any], query: dict) -> dict[str, Any]:
        history = list(post.get("edit_history") or [post["id"]])
        data = {"id": post["id"], "text": post["text"], "edit_history_tweet_ids": history}
        for name in (query.get("tweet.fields") or "").split(","):
            if name in post and name not in data and name != "submitted_text":
                data[name] = post[name]
            elif name == "public_metrics":
                data[name] = self._public_metrics(post["id"])
        return data

    def _public_metrics(self, post_id: str) -> dict[str, int]:
        """The post's public_metrics (data dictionary, Post object): what `set_engagement`
        set, else 0. X counts impressions for everyone to see."""
        counts = self.engagement_of(post_id)
        return {
            "retweet_count": counts["shares"] or 0,
            "reply_count": counts["replies"] or 0,
            "like_count": counts["likes"] or 0,
            "quote_count": counts["quotes"] or 0,
            "bookmark_count": 0,
            "impression_count": counts["views"] or 0,
        }

    def _create(self, headers, raw: bytes) -> _Answer:
        body = _json_object(headers, raw)
        if isinstance(body, _Answer):
            return body
        text = body.get("text")
        settings = body.get("reply_settings")
        if not isinstance(text, str) or not text.strip():
            return _invalid("text", text, "$.text: must be a non-empty string")
        if settings is not None and settings not in REPLY_SETTINGS:
            return _invalid(
                "reply_settings",
                settings,
                f"$.reply_settings: does not have a value in the enumeration [{', '.join(REPLY_SETTINGS)}]",
            )
        reply = body.get("reply")
        parent_id = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        if reply is not None and not (isinstance(parent_id, str) and parent_id.isdigit()):
            return _invalid(
                "reply.in_reply_to_tweet_id",
                parent_id,
                f"$.reply.in_reply_to_tweet_id: string [{parent_id}] does not match pattern "
                "^[0-9]{1,19}$",
            )
        media = body.get("media")
        media_ids = media.get("media_ids") if isinstance(media, dict) else None
        if media is not None:
            refused = self._check_media(media_ids)
            if refused is not None:
                return refused
        if weighted_length(text) > MAX_WEIGHTED:
            return problem(
                403,
                "Forbidden",
                "Your Tweet text is too long. For more information on how X determines text "
                "length see https://github.com/twitter/twitter-text.",
            )
        with self._lock:
            parent = self._posts.get(parent_id) if parent_id else None
            if parent_id and parent is None:
                return problem(
                    403,
                    "Forbidden",
                    "You attempted to reply to a Tweet that is deleted or not visible to you.",
                )
            if any(p["submitted_text"] == text for p in self._posts.values()):
                return problem(
                    403,
                    "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.",
                )
            self._last_id = max(self._last_id + 1, int(time.time() * 1000) << 22)
            post_id = str(self._last_id)
            post = {
                "id": post_id,
                "text": _tco(unicodedata.normalize("NFC", text)),
                "submitted_text": text,
                "created_at": _iso(datetime.now(UTC)),
                "author_id": self.user_id,
                "conversation_id": parent["conversation_id"] if parent else post_id,
                "reply_settings": settings or "everyone",
            }
            if media_ids:
                post["attachments"] = {
                    "media_keys": [self._media[str(i)]["media_key"] for i in media_ids]
                }
                for media_id in media_ids:
                    self._media[str(media_id)]["post_id"] = post_id
            if parent:
                post["in_reply_to_user_id"] = parent["author_id"]
                post["referenced_tweets"] = [{"type": "replied_to", "id": parent["id"]}]
            self._posts[post_id] = post
            self._daily.append(time.time())
        return _Answer(
            201,
            {"data": {"id": post_id, "text": post["text"], "edit_history_tweet_ids": [post_id]}},
        )

    # --- Media --------------------------------------------------------------------------
    def _upload_media(self, headers, raw: bytes) -> _Answer:
        fields = _media_form(headers, raw)
        if isinstance(fields, _Answer):
            return fields
        data = fields["media"]
        category = fields.get("media_category")
        if category != "tweet_image":
            return _invalid(
                "media_category",
                category,
                "$.media_category: does not have a value in the enumeration "
                "[tweet_image, dm_image, subtitles]",
            )
        mime = sniff_image_type(data)
        if mime not in ONE_SHOT_TYPES:
            return _invalid(
                "media", "", "Unsupported media type: upload a JPEG, PNG or WebP image."
            )
        if len(data) > MAX_IMAGE_BYTES:
            return _invalid(
                "media", "", f"File size exceeds {MAX_IMAGE_BYTES} bytes for tweet_image."
            )
        with self._lock:
            media = self._new_media("tweet_image", mime, len(data))
            media["data"] = data
            self._uploaded(media)
            return _Answer(200, {"data": self._media_data(media)})

    def _new_media(self, category: str, mime: str, total_bytes: int) -> dict[str, Any]:
        """A media id for an upload, its bytes still to come (callers hold the lock)."""
        media_id = self._new_id()
        # X's media keys begin with the kind of media: 3_ a photo, 16_ an animated GIF.
        kind = "16" if category == "tweet_gif" else "3"
        self._media[media_id] = {
            "id": media_id,
            "media_key": f"{kind}_{media_id}",
            "media_category": category,
            "data": b"",
            "total_bytes": total_bytes,
            "segments": 0,
            "mime_type": mime,
            "alt_text": None,
            "state": "uploading",
            "checks_left": 0,
            "post_id": None,
        }
        return self._media[media_id]

    def _uploaded(self, media: dict[str, Any]) -> None:
        """Every byte is in: processed at once, or slowly after `process_media_slowly`."""
        slow = self._slow_media > 0
        if slow:
            self._slow_media -= 1
        media["state"] = "pending" if slow else "succeeded"
        media["checks_left"] = self._slow_checks if slow else 0

    def _initialize_upload(self, headers, raw: bytes) -> _Answer:
        body = _json_object(headers, raw)
        if isinstance(body, _Answer):
            return body
        category, mime = body.get("media_category"), body.get("media_type")
        total = body.get("total_bytes")
        if category not in CHUNKED_CATEGORIES:
            return _invalid(
                "media_category",
                category,
                f"$.media_category: does not have a value in the enumeration [{MEDIA_CATEGORIES}]",
            )
        types, limit = CHUNKED_CATEGORIES[category]
        if mime not in types:
            return _invalid(
                "media_type", mime, f"$.media_type: {mime} is not a media type of {category}"
            )
        if isinstance(total, bool) or not isinstance(total, int) or total < 1:
            return _invalid("total_bytes", total, "$.total_bytes: must be a positive integer")
        if total > limit:
            return _invalid(
                "total_bytes", total, f"File size exceeds {limit} bytes for {category}."
            )
        with self._lock:
            media = self._new_media(category, mime, total)
            return _Answer(
                200,
                {
                    "data": {
                        "id": media["id"],
                        "media_key": media["media_key"],
                        "expires_after_secs": UPLOAD_EXPIRES_AFTER,
                    }
                },
            )

    def _append_upload(self, media_id: str, headers, raw: bytes) -> _Answer:
        fields = _media_form(headers, raw)
        if isinstance(fields, _Answer):
            return fields
        chunk = fields["media"]
        try:
            index = int(fields.get("segment_index", ""))
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index <= MAX_SEGMENT_INDEX:
            return _invalid(
                "segment_index",
                fields.get("segment_index"),
                f"$.segment_index: must be an integer from 0 to {MAX_SEGMENT_INDEX}",
            )
        if len(chunk) > MAX_SEGMENT_BYTES:
            return _invalid("media", "", f"Segment size exceeds {MAX_SEGMENT_BYTES} bytes.")
        with self._lock:
            media = self._media.get(media_id)
            if media is None or media["state"] != "uploading":
                return _invalid("id", media_id, "$.id: no upload in progress with this id")
            if index != media["segments"]:
                return _invalid(
                    "segment_index",
                    index,
                    f"Segment {index} is out of order: the next segment is {media['segments']}.",
                )
            if len(media["data"]) + len(chunk) > media["total_bytes"]:
                return _invalid(
                    "media",
                    "",
                    f"The segments exceed the {media['total_bytes']} bytes given as total_bytes.",
                )
            media["data"] += chunk
            media["segments"] += 1
        return _Answer(200, {"data": {"expires_at": int(time.time()) + UPLOAD_EXPIRES_AFTER}})

    def _finalize_upload(self, media_id: str) -> _Answer:
        with self._lock:
            media = self._media.get(media_id)
            if media is None or media["state"] != "uploading":
                return _invalid("id", media_id, "$.id: no upload in progress with this id")
            received, total = len(media["data"]), media["total_bytes"]
            if received < total:
                return _invalid(
                    "id",
                    media_id,
                    f"The upload is incomplete: {received} of {total} bytes have been received.",
                )
            if sniff_image_type(media["data"]) != media["mime_type"]:
                return _invalid(
                    "media_type",
                    media["mime_type"],
                    f"Unsupported media type: the bytes are not {media['mime_type']}.",
                )
            self._uploaded(media)
            return _Answer(200, {"data": self._media_data(media)})

    def _media_data(self, media: dict[str, Any]) -> dict[str, Any]:
        data = {
            "id": media["id"],
            "media_key": media["media_key"],
            "size": len(media["data"]),
            "expires_after_secs": UPLOAD_EXPIRES_AFTER,
        }
        if media["media_category"] == "tweet_image":
            data["image"] = {"image_type": media["mime_type"]}
        if media["state"] != "succeeded":
            data["processing_info"] = {
                "state": media["state"],
                "check_after_secs": self._check_after,
            }
        return data

    def _media_status(self, query: dict) -> _Answer:
        with self._lock:
            media = self._media.get(str(query.get("media_id") or ""))
            if query.get("command") != "STATUS" or media is None or media["state"] == "uploading":
                return problem(
                    400, "Invalid Request", "One or more parameters to your request was invalid."
                )
            if media["state"] != "succeeded":
                if media["checks_left"] > 0:
                    media["checks_left"] -= 1
                    media["state"] = "in_progress"
                else:
                    media["state"] = "succeeded"
            data = self._media_data(media)
            data["processing_info"] = {"state": media["state"], "progress_percent": 100}
            if media["state"] != "succeeded":
                data["processing_info"].update(
                    check_after_secs=self._check_after, progress_percent=50
                )
            return _Answer(200, {"data": data})

    def _media_metadata(self, headers, raw: bytes) -> _Answer:
        body = _json_object(headers, raw)
        if isinstance(body, _Answer):
            return body
        media_id = str(body.get("id") or "")
        alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
        with self._lock:
            media = self._media.get(media_id)
            if media is None:
                return _invalid("id", media_id, "$.id: media not found")
            if not isinstance(alt, str) or len(alt) > MAX_ALT_TEXT:
                return _invalid(
                    "metadata.alt_text.text",
                    alt,
                    f"$.metadata.alt_text.text: must be a string of at most {MAX_ALT_TEXT} "
                    "characters",
                )
            media["alt_text"] = alt
        return _Answer(
            200, {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": alt}}}}
        )

    def _check_media(self, media_ids) -> _Answer | None:
        invalid = _invalid("media.media_ids", media_ids, "Your media IDs are invalid.")
        if not isinstance(media_ids, list) or not 1 <= len(media_ids) <= MAX_MEDIA:
            return invalid
        with self._lock:
            found = [self._media.get(str(i)) for i in media_ids]
        if any(m is None or m["post_id"] is not None or m["state"] != "succeeded" for m in found):
            return invalid
        if len(found) > 1 and any(m["media_category"] == "tweet_gif" for m in found):
            return invalid  # "up to 4 photos, 1 animated GIF or 1 video"
        return None

    # --- Posts made in X itself, not through CitySocial (702.5) ---------------------------
    def _new_id(self) -> str:
        self._last_id = max(self._last_id + 1, int(time.time() * 1000) << 22)
        return str(self._last_id)

    def post_as_account(self, text: str, *, reply_settings: str = "everyone") -> dict[str, Any]:
        """A post made in X's own app; the app's default lets everyone reply."""
        if reply_settings not in (*REPLY_SETTINGS, "everyone"):
            raise ValueError(f"reply_settings must be everyone or one of {REPLY_SETTINGS}")
        if weighted_length(text) > MAX_WEIGHTED:
            raise ValueError("An X post holds at most 280 weighted characters.")
        with self._lock:
            post_id = self._new_id()
            self._posts[post_id] = {
                "id": post_id,
                "text": _tco(unicodedata.normalize("NFC", text)),
                "submitted_text": text,
                "created_at": _iso(datetime.now(UTC)),
                "author_id": self.user_id,
                "conversation_id": post_id,
                "reply_settings": reply_settings,
            }
            return self._fields(self._posts[post_id], {"tweet.fields": "created_at,reply_settings"})

    def edit_post(self, post_id: str, text: str) -> None:
        """An edit on X makes a new version with an id of its own; the timeline shows the
        newest, with every id in `edit_history_tweet_ids`."""
        with self._lock:
            post = self._posts.pop(post_id, None)
            if post is None:
                raise ValueError(f"No post {post_id}.")
            new_id = self._new_id()
            history = [*(post.get("edit_history") or [post_id]), new_id]
            self._posts[new_id] = {
                **post,
                "id": new_id,
                "text": _tco(unicodedata.normalize("NFC", text)),
                "submitted_text": text,
                "edit_history": history,
            }

    def _timeline(self, user_id: str, query: dict) -> _Answer:
        if user_id != self.user_id:
            return _Answer(
                200,
                {
                    "errors": [
                        {
                            **_missing(user_id),
                            "resource_type": "user",
                            "detail": f"Could not find user with id: [{user_id}].",
                        }
                    ]
                },
            )
        try:
            limit = int(query.get("max_results") or 10)
        except ValueError:
            limit = 0
        if not 5 <= limit <= 100:
            return _invalid(
                "max_results",
                query.get("max_results"),
                "The `max_results` query parameter value is not between 5 and 100",
            )

        def moment(value):
            return datetime.strptime(value.replace(".000", ""), "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=UTC
            )

        try:
            start = moment(query["start_time"]) if query.get("start_time") else None
            end = moment(query["end_time"]) if query.get("end_time") else None
        except ValueError:
            return _invalid(
                "start_time", query.get("start_time"), "Invalid date format (YYYY-MM-DDTHH:mm:ssZ)"
            )
        with self._lock:
            posts = list(self._posts.values())

        def created(post):
            return datetime.strptime(post["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=UTC
            )

        # exclude=replies,retweets (the timeline's documented parameter); there are no retweets.
        excluded = {part.strip() for part in (query.get("exclude") or "").split(",")}
        posts = [
            p
            for p in posts
            if (start is None or created(p) >= start)
            and (end is None or created(p) <= end)
            and not (
                "replies" in excluded
                and (p.get("in_reply_to_user_id") or p.get("referenced_tweets"))
            )
        ]
        posts.sort(key=lambda p: int(p["id"]), reverse=True)
        page = [self._fields(p, query) for p in posts[:limit]]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        body: dict[str, Any] = {"meta": meta}
        if page:
            body["data"] = page
        return _Answer(200, body)

    # --- Control surface over HTTP ------------------------------------------------
    def _control(self, action: str, body: dict[str, Any]) -> bool:
        if action == "fail":
            self.fail_next(
                body.get("status", 500),
                body.get("count", 1),
                body.get("body"),
                body.get("headers"),
                method=body.get("method", "POST"),
                path=body.get("path", "/2/tweets"),
            )
        elif action == "rate_limit":
            self.rate_limit_next(
                body.get("count", 1),
                seconds=body.get("seconds", RETRY_AFTER_429),
                method=body.get("method", "POST"),
                path=body.get("path", "/2/tweets"),
            )
        elif action == "keep_delete":
            self.keep_next_delete(body.get("count", 1))
        else:
            return False
        return True

    # --- HTML -----------------------------------------------------------------------
    def render_page(self, post_id: str | None = None) -> tuple[int, str]:
        posts = list(reversed(self.posts))
        if post_id is not None:
            posts = [p for p in posts if p["id"] == post_id]
            if not posts:
                return missing_post_page(self.title, "posts")
        items = "".join(self._post_html(p) for p in posts)
        heading = "Post" if post_id is not None else "Posts, newest first"
        body = (
            '<p class="note"><strong>This is a local sandbox that speaks the X API v2.</strong> '
            "Nothing here is public: posts live only in this process's memory and vanish when it "
            f"stops. Account: {html.escape(self.name)} (@{html.escape(self.username)}).</p>"
            + _timeline_section(heading, items)
        )
        if post_id is not None:
            body += '<p><a href="/">Back to the posts</a></p>'
        return 200, page(self.title, self.title, body)

    def _post_html(self, post: dict[str, Any]) -> str:
        who = {
            "everyone": "anyone can reply",
            "mentionedUsers": "only mentioned accounts can reply",
            "following": "only accounts this one follows can reply",
        }.get(post["reply_settings"], f"replies: {post['reply_settings']}")
        href = f"/{html.escape(self.username)}/status/{html.escape(post['id'])}"
        thread = ""
        for reference in post.get("referenced_tweets") or []:
            parent = html.escape(reference["id"])
            parent_href = f"/{html.escape(self.username)}/status/{parent}"
            thread += f' &middot; in reply to <a href="{parent_href}">{parent}</a>'
        # The stored text is already escaped the way X escapes it; show what the author wrote.
        text = html.escape(post["submitted_text"]).replace("\n", "<br>")
        with self._lock:
            alts = [
                m["alt_text"] or "no description"
                for m in self._media.values()
                if m["post_id"] == post["id"]
            ]
        images = "".join(f"<li>Image: {html.escape(a)}</li>" for a in alts)
        return (
            f'<li><article aria-label="Post {html.escape(post["id"])}">'
            f'<p class="meta"><a href="{href}"><time datetime="{html.escape(post["created_at"])}">'
            f"{html.escape(post['created_at'])}</time></a> &middot; {html.escape(who)}{thread}</p>"
            f"<p>{text}</p>{f'<ul>{images}</ul>' if images else ''}</article></li>"
        )


class _Handler(SandboxHandler):
    server_version = "FakeX/1.0"

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        raw, path = self._read_body()
        if path.startswith("/2/"):
            fake._log_request(RecordedRequest(method, self.path, dict(self.headers.items()), raw))
            answer = fake.handle_api(method, self.path, self.headers, raw)
            if answer.drop:
                self._drop()
                return
            self._send(answer)
        elif path.startswith("/_sandbox/"):
            self._send(fake.handle_control(method, path, raw))
        elif method == "GET":
            single = re.fullmatch(r"/(?:[A-Za-z0-9_]{1,15}|i/web)/status/(\d+)/?", path)
            if path == "/" or single:
                status, text = fake.render_page(single.group(1) if single else None)
            else:
                status, text = nowhere_page(fake.title, "posts")
            self._send_html(status, text)
        else:
            self._send(problem(404, "Not Found Error", "Sorry, that page does not exist."))

    def _content_type(self, answer: _Answer) -> str:
        payload = answer.payload
        if "title" in payload and "type" in payload and answer.status >= 400:
            return "application/problem+json; charset=utf-8"
        return super()._content_type(answer)


FakeX.handler_class = _Handler
