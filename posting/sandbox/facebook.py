"""A small fake Facebook Graph API for one Page, speaking the Graph wire format.

Used by the test suite and by the local demo. Standard library only.

What it follows (developers.facebook.com/docs/graph-api, pages-api):

* The Page access token comes as the ``access_token`` parameter (query or form) or in
  ``Authorization: Bearer``/``OAuth``; a missing one is code 104, a wrong one code 190, and
  after :meth:`FakeFacebook.expire_token` code 190 subcode 463 (session expired).
* ``POST /{page-id}/feed`` (``message``, ``link``, ``attached_media[n]``) answers
  ``{"id": "{page-id}_{post-id}"}``; the same message as a live post is code 506
  (duplicate), a message over 63,206 characters code 100.
* ``POST /{page-id}/photos`` (multipart ``source``, or ``url``; ``caption``,
  ``alt_text_custom``, ``published``) answers ``{"id", "post_id"}`` (``{"id"}`` when
  unpublished). The file's type is read from its bytes: anything but JPEG, PNG or GIF is code
  324 (``Missing or invalid image file``), over 10 MB code 100 (the Page photos reference:
  "Files can not exceed 10MB").
* ``GET /{post-id}?fields=message,created_time,permalink_url``, ``DELETE /{post-id}``
  (``{"success": true}``), ``GET /{page-id}/posts`` (newest first, ``since``/``until``/
  ``limit``), ``GET /me`` and ``GET /{page-id}``. An unknown object is code 100 subcode 33.
* Errors are ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``
  (HTTP 400, or 500 for codes 1 and 2). Every answer carries ``X-App-Usage``,
  ``X-Page-Usage`` and ``X-Business-Use-Case-Usage`` (percentages of a 200-calls-an-hour
  budget, and ``estimated_time_to_regain_access`` in minutes). Versioned paths
  (``/v21.0/...``) and unversioned ones both work.

* ``GET /{post-id}?fields=reactions.summary(total_count).limit(0),comments.summary(...),
  shares`` answers the edges with ``summary.total_count`` (``shares.count`` only when shared);
  ``GET /{post-id}/insights?metric=post_impressions`` (or ``/insights/{metric}``) answers the
  lifetime value, ``post_total_media_view_unique`` too; an unknown metric is code 100, a token
  without insights permission code 10, and a post without insights an empty ``data``.

Not Facebook, for tests and demos (as methods, and under ``/_sandbox/``): ``engagement``
(``{"id": "<post id>", "likes": 3, "shares": 1, "replies": 2, "views": 40}``; reactions count as
likes, comments as replies), ``insights`` (``{"allowed": false}``, ``{"impressions_retired":
true}``), ``fail``,
``throttle`` (a throttling error with ``estimated_time_to_regain_access`` set), ``drop``
(carry out the next write, then close the connection without answering), ``latency``,
``expire`` and ``reset``; ``GET /_sandbox/state``.

``GET /`` is a small HTML page of the Page's posts; ``GET /{page-id}/posts/{n}`` shows one.
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
    page,
    path_matches,
    sniff_image_type,
)
from .base import timeline_section as _timeline_section

MAX_MESSAGE = 63206
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})
HOURLY_BUDGET = 200
WRITE_METHODS = frozenset({"POST", "DELETE"})
VERSION_RE = re.compile(r"^/v\d+\.\d+(?=/|$)")
THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try "
    "again. For more info, please refer to "
    "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
}


# Post insights that count views: (title, description) as the Graph API describes them.
VIEW_METRICS = {
    "post_impressions": (
        "Lifetime Post Total Impressions",
        "Lifetime: The number of times your Page's post entered a person's screen.",
    ),
    "post_total_media_view_unique": (
        "Lifetime Post Total Media Views Unique",
        "Lifetime: The number of people who saw your Page's post.",
    ),
}


def split_fields(fields: str) -> list[str]:
    """A `fields` parameter split at its top-level commas: "a,b.summary(x,y){c,d}" is two."""
    parts, depth, current = [], 0, []
    for char in fields:
        if char in "({":
            depth += 1
        elif char in ")}":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _trace() -> str:
    alphabet = string.ascii_letters + string.digits
    return "A" + "".join(secrets.choice(alphabet) for _ in range(22))


def graph_error(
    code: int,
    message: str,
    *,
    status: int = 400,
    kind: str = "OAuthException",
    subcode: int | None = None,
    transient: bool | None = None,
) -> _Answer:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    error["fbtrace_id"] = _trace()
    headers = {}
    if kind == "OAuthException" and code in {104, 190}:
        headers["WWW-Authenticate"] = f'OAuth "Facebook Platform" "invalid_token" "{message}"'
    return _Answer(status, {"error": error}, headers)


def _not_found(object_id: str, verb: str = "get") -> _Answer:
    return graph_error(
        100,
        f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read the "
        "Graph API documentation at https://developers.facebook.com/docs/graph-api",
        kind="GraphMethodException",
        subcode=33,
    )


def _fb_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


class RecordedRequest(NamedTuple):
    """One request to the API: method, full path, headers, raw body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    @property
    def form(self) -> dict[str, Any]:
        """The body's parameters (form, multipart or JSON); files as bytes."""
        content_type = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        return _parse_body(content_type, self.body)


@dataclass
class _Fault(Fault):
    path: str = "/:id/feed"

    def matches(self, method: str, path: str) -> bool:
        return path_matches(self.path, self.method, method, path)


class FakeFacebook(SandboxServer):
    """A Graph API for one Page in a daemon thread, with an in-memory store and fault controls."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "sandbox-page-token",  # noqa: S107 - a sandbox token, not a secret
        title: str = "Sandbox (Facebook Graph API)",
        *,
        page_id: str = "104000000000001",
        page_name: str = "City (sandbox)",
        verbose: bool = False,
    ):
        self.token = token
        self.page_id = page_id
        self.page_name = page_name
        super().__init__(host, port, title, verbose)

    def _clear(self) -> None:
        with self._lock:
            self._clear_controls()
            self._posts: dict[str, dict[str, Any]] = {}
            self._photos: dict[str, dict[str, Any]] = {}
            self._expired = False
            self._calls: list[float] = []
            self._regain_minutes = 0
            self._last_id = 0
            self._insights_allowed = True
            self._impressions_retired = False

    # --- Controls ---------------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        count: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        method: str = "POST",
        path: str = "/:id/feed",
    ) -> None:
        """Answer the next `count` matching requests with `status` (paths without the version;
        ":id" matches any segment). `body` defaults to a Graph error; a string is sent as HTML."""
        self._queue_fault(_Fault, status, count, body, headers, method, path)

    def throttle_next(
        self,
        count: int = 1,
        *,
        code: int = 80001,
        minutes: int = 1,
        status: int = 400,
        method: str = "POST",
        path: str = "/:id/feed",
    ) -> None:
        """Answer the next requests with a throttling error, usage at 100% and
        `estimated_time_to_regain_access` set to `minutes` in the usage headers."""
        error = graph_error(code, THROTTLE_MESSAGES.get(code, f"(#{code}) Rate limited"))
        with self._lock:
            self._regain_minutes = int(minutes)
            self._faults.append(
                _Fault(int(status), int(count), error.payload, {}, method.upper(), path)
            )

    def expire_token(self) -> None:
        """The Page token expires: every call is then code 190, subcode 463."""
        with self._lock:
            self._expired = True

    @property
    def posts(self) -> list[dict[str, Any]]:
        """The live posts, oldest first: id, message, link, created_time, photos."""
        with self._lock:
            return [copy.deepcopy(p) for p in self._posts.values()]

    @property
    def photos(self) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(p) for p in self._photos.values()]

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "posts": len(self._posts),
                "photos": len(self._photos),
                "pending_failures": [
                    {"method": f.method, "path": f.path, "status": f.status, "count": f.count}
                    for f in self._faults
                ],
                "pending_drops": self._drops,
                "latency": self._latency,
                "token_expired": self._expired,
                "requests": len(self._requests),
            }

    # --- Usage headers ----------------------------------------------------------------
    def _usage(self, now: float, throttled: bool) -> dict[str, str]:
        with self._lock:
            self._calls = [t for t in self._calls if t > now - 3600] + [now]
            percent = 100 if throttled else min(100, len(self._calls) * 100 // HOURLY_BUDGET)
            regain = self._regain_minutes if throttled else 0
        usage = {
            "call_count": percent,
            "total_cputime": max(1, percent // 2),
            "total_time": max(1, percent // 2),
        }
        page = {**usage, "estimated_time_to_regain_access": regain}
        business = {self.page_id: [{"type": "pages", **page}]}
        return {
            "X-App-Usage": json.dumps(usage),
            "X-Page-Usage": json.dumps(page),
            "X-Business-Use-Case-Usage": json.dumps(business),
        }

    # --- The API ----------------------------------------------------------------------
    def handle_api(self, method: str, target: str, headers, raw: bytes) -> _Answer:
        split = urlsplit(target)
        path = VERSION_RE.sub("", split.path).rstrip("/") or "/"
        now = time.time()
        fault = self._take_fault(method, path)
        if fault is not None:
            throttled = (
                isinstance(fault.body, dict)
                and (fault.body.get("error") or {}).get("code") in THROTTLE_MESSAGES
            )
            answer = _Answer(fault.status, fault.body, self._usage(now, throttled))
            if fault.body is None:
                answer.payload = graph_error(
                    2 if fault.status >= 500 else 100,
                    "An unexpected error has occurred. Please retry your request later."
                    if fault.status >= 500
                    else "(#100) Invalid parameter",
                    transient=fault.status >= 500,
                ).payload
            answer.headers.update(fault.headers)
            return answer
        try:
            params = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
            params.update(_parse_body(headers.get("Content-Type", ""), raw))
        except ValueError:
            answer = graph_error(100, "(#100) The request body could not be parsed")
        else:
            answer = self._authorize(params, headers) or self._route(method, path, params)
        answer.headers = {**self._usage(now, False), **answer.headers}
        if method in WRITE_METHODS and answer.status < 400:
            self._take_drop(answer, path)
        return answer

    def _authorize(self, params: dict, headers) -> _Answer | None:
        token = params.pop("access_token", None)
        if not token:
            scheme, _, value = (headers.get("Authorization") or "").strip().partition(" ")
            if scheme.lower() in {"bearer", "oauth"}:
                token = value.strip()
        if not token:
            return graph_error(104, "An access token is required to request this resource.")
        if not hmac.compare_digest(str(token).encode(), self.token.encode()):
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        if self._expired:
            return graph_error(
                190,
                "Error validating access token: Session has expired on Thursday, 01-Jan-26 "
                "00:00:00 PST. The current time is later.",
                subcode=463,
            )
        return None

    def _route(self, method: str, path: str, params: dict) -> _Answer:
        parts = path.strip("/").split("/") if path != "/" else []
        if len(parts) == 1:
            node = self.page_id if parts[0] in {"me", self.page_id} else parts[0]
            if node == self.page_id and method == "GET":
                return _Answer(200, self._fields(self._page_object(), params, "id,name"))
            if method == "GET":
                post = self._posts.get(node) or self._photos.get(node)
                if post is None:
                    return _not_found(node)
                answer = self._fields(post, params, "id,created_time,message")
                if node in self._posts:
                    answer.update(self._engagement_fields(node, params))
                return _Answer(200, answer)
            if method == "DELETE":
                return self._delete(node)
            return _not_found(node, "post")
        if len(parts) in {2, 3} and parts[1] == "insights" and parts[0] in self._posts:
            metric = parts[2] if len(parts) == 3 else str(params.get("metric") or "")
            return self._post_insights(parts[0], metric) if method == "GET" else _not_found(path)
        if len(parts) == 2 and parts[0] in {"me", self.page_id}:
            edge = parts[1]
            if edge == "feed" and method == "POST":
                return self._create_post(params)
            if edge == "photos" and method == "POST":
                return self._create_photo(params)
            if edge in {"posts", "feed", "published_posts"} and method == "GET":
                return self._list_posts(params)
            return graph_error(100, f"(#100) Unknown path components: /{edge}")
        return _not_found("/".join(parts), method.lower())

    def _page_object(self) -> dict[str, Any]:
        return {
            "id": self.page_id,
            "name": self.page_name,
            "link": f"{self.base_url}/{self.page_id}",
            "category": "Government organization",
        }

    @staticmethod
    def _fields(obj: dict[str, Any], params: dict, default: str) -> dict[str, Any]:
        wanted = split_fields(str(params.get("fields") or default))
        return {k: copy.deepcopy(obj[k]) for k in ["id", *wanted] if k in obj}

    def _next_id(self) -> str:
        with self._lock:
            self._last_id = max(self._last_id + 1, int(time.time() * 1000))
            return str(self._last_id)

    def _store_post(self, message: str, link: str | None, photos: list[dict]) -> dict:
        number = self._next_id()
        post_id = f"{self.page_id}_{number}"
        post = {
            "id": post_id,
            "message": message,
            "created_time": _fb_time(datetime.now(UTC)),
            "permalink_url": f"{self.base_url}/{self.page_id}/posts/{number}",
        }
        if link:
            post["link"] = link
        if photos:
            post["attachments"] = [{"photo_id": p["id"], "alt_text": p["alt_text"]} for p in photos]
        self._posts[post_id] = post
        return post

    def _create_post(self, params: dict) -> _Answer:
        message = str(params.get("message") or "")
        link = params.get("link")
        media = [v for k, v in sorted(params.items()) if k.startswith("attached_media[")]
        if not message.strip() and not link and not media:
            return graph_error(100, "(#100) Missing message or attachment")
        if len(message) > MAX_MESSAGE:
            return graph_error(
                100, f"(#100) Param message must be at most {MAX_MESSAGE} characters long"
            )
        photos = []
        for item in media:
            try:
                fbid = (
                    str(json.loads(item)["media_fbid"])
                    if isinstance(item, str)
                    else str(item["media_fbid"])
                )
            except (ValueError, KeyError, TypeError):
                return graph_error(100, '(#100) attached_media must be {"media_fbid": id}')
            photo = self._photos.get(fbid)
            if photo is None or photo["published"]:
                return graph_error(100, f"(#100) Photo {fbid} cannot be attached")
            photos.append(photo)
        with self._lock:
            if message.strip() and any(p["message"] == message for p in self._posts.values()):
                return graph_error(506, "Duplicate status message", subcode=1455006)
            post = self._store_post(message, str(link) if link else None, photos)
        return _Answer(200, {"id": post["id"]})

    # --- Posts made in Facebook itself, not through CitySocial (702.5) -----------------
    def post_as_account(self, text: str) -> dict[str, Any]:
        """A post made on the Page in Facebook itself, by whoever holds a Page role."""
        if len(text) > MAX_MESSAGE:
            raise ValueError(f"A Page post's message holds at most {MAX_MESSAGE} characters.")
        with self._lock:
            return copy.deepcopy(self._store_post(text, None, []))

    def edit_post(self, post_id: str, text: str) -> None:
        """POST /{post-id} with a new message, as Facebook's editor does."""
        with self._lock:
            post = self._posts.get(post_id)
            if post is None:
                raise ValueError(f"No post {post_id}.")
            post.update(message=text, updated_time=_fb_time(datetime.now(UTC)))

    def _create_photo(self, params: dict) -> _Answer:
        source, url = params.get("source"), params.get("url")
        if not isinstance(source, bytes) and not url:
            return graph_error(324, "(#324) Requires upload file", subcode=2069019)
        if isinstance(source, bytes):
            if sniff_image_type(source) not in PHOTO_TYPES:
                return graph_error(324, "(#324) Missing or invalid image file", subcode=2069019)
            if len(source) > MAX_PHOTO_BYTES:
                return graph_error(100, "(#100) Invalid parameter: files can not exceed 10MB")
        published = str(params.get("published", "true")).lower() not in {"false", "0"}
        photo_id = self._next_id()
        caption = str(params.get("caption") or params.get("message") or "")
        photo = {
            "id": photo_id,
            "alt_text": str(params.get("alt_text_custom") or ""),
            "size": len(source) if isinstance(source, bytes) else None,
            "data": source if isinstance(source, bytes) else None,
            "url": url,
            "published": published,
            "created_time": _fb_time(datetime.now(UTC)),
        }
        with self._lock:
            self._photos[photo_id] = photo
            if not published:
                return _Answer(200, {"id": photo_id})
            post = self._store_post(caption, None, [photo])
        return _Answer(200, {"id": photo_id, "post_id": post["id"]})

    def _delete(self, node: str) -> _Answer:
        with self._lock:
            removed = self._posts.pop(node, None) or self._photos.pop(node, None)
        if removed is None:
            return _not_found(node, "delete")
        return _Answer(200, {"success": True})

    def _list_posts(self, params: dict) -> _Answer:
        try:
            limit = min(max(int(params.get("limit") or 25), 1), 100)
            since = int(params["since"]) if params.get("since") else None
            until = int(params["until"]) if params.get("until") else None
        except ValueError:
            return graph_error(100, "(#100) since, until and limit must be numbers")
        with self._lock:
            posts = list(self._posts.values())

        def stamp(post):
            return datetime.strptime(post["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp()

        posts = [
            p
            for p in posts
            if (since is None or stamp(p) >= since) and (until is None or stamp(p) <= until)
        ]
        posts.sort(key=lambda p: int(p["id"].split("_")[1]), reverse=True)
        page = [self._fields(p, params, "id,created_time,message") for p in posts[:limit]]
        body: dict[str, Any] = {"data": page}
        if page:
            body["paging"] = {"cursors": {"before": page[0]["id"], "after": page[-1]["id"]}}
        return _Answer(200, body)

    # --- Engagement (702.6): a post's summaries and insights ---------------------------
    def set_insights(self, *, allowed: bool = True, impressions_retired: bool = False) -> None:
        """`allowed` False: the Page token lacks pages_read_insights (code 10 on /insights).
        `impressions_retired`: post_impressions answers the invalid-metric error, as Meta
        answers since it deprecated the impressions metrics."""
        with self._lock:
            self._insights_allowed = bool(allowed)
            self._impressions_retired = bool(impressions_retired)

    def _engagement_fields(self, post_id: str, params: dict) -> dict[str, Any]:
        """`reactions`, `comments` (with `.summary(...)`: total_count) and `shares` (count,
        left out when nobody shared, as Facebook does) when the fields ask for them."""
        counts = self.engagement_of(post_id)
        found: dict[str, Any] = {}
        for field in split_fields(str(params.get("fields") or "")):
            name = re.split(r"[.{]", field, maxsplit=1)[0]
            if name in {"reactions", "comments"}:
                total = counts["likes" if name == "reactions" else "replies"] or 0
                edge: dict[str, Any] = {"data": []}
                if ".summary(" in field:
                    edge["summary"] = {"total_count": total}
                    if name == "reactions":
                        edge["summary"]["viewer_reaction"] = "NONE"
                    else:
                        edge["summary"].update(order="ranked", can_comment=True)
                found[name] = edge
            elif name == "shares" and counts["shares"]:
                found["shares"] = {"count": counts["shares"]}
        return found

    def _post_insights(self, post_id: str, metrics: str) -> _Answer:
        wanted = [m.strip() for m in metrics.split(",") if m.strip()]
        if not wanted:
            return graph_error(
                3001,
                "No metric was specified to be fetched. Please specify one or more metrics to "
                "be fetched and try again.",
                kind="OAuthException",
                subcode=1504028,
            )
        with self._lock:
            allowed, retired = self._insights_allowed, self._impressions_retired
        if not allowed:
            return graph_error(10, "(#10) Application does not have permission for this action")
        known = set(VIEW_METRICS) - ({"post_impressions"} if retired else set())
        unknown = [m for m in wanted if m not in known]
        if unknown:
            return graph_error(100, "(#100) The value must be a valid insights metric")
        views = self.engagement_of(post_id)["views"]
        data = []
        if views is not None:  # None: Facebook has no insights for this post (an empty list)
            for metric in wanted:
                title, description = VIEW_METRICS[metric]
                data.append(
                    {
                        "name": metric,
                        "period": "lifetime",
                        "values": [{"value": views}],
                        "title": title,
                        "description": description,
                        "id": f"{post_id}/insights/{metric}/lifetime",
                    }
                )
        return _Answer(200, {"data": data, "paging": {"previous": "", "next": ""}})

    # --- Control surface over HTTP ------------------------------------------------
    def _control(self, action: str, body: dict[str, Any]) -> bool:
        if action == "insights":
            self.set_insights(
                allowed=body.get("allowed", True),
                impressions_retired=body.get("impressions_retired", False),
            )
            return True
        if action == "fail":
            self.fail_next(
                body.get("status", 500),
                body.get("count", 1),
                body.get("body"),
                body.get("headers"),
                method=body.get("method", "POST"),
                path=body.get("path", "/:id/feed"),
            )
        elif action == "throttle":
            self.throttle_next(
                body.get("count", 1),
                code=body.get("code", 80001),
                minutes=body.get("minutes", 1),
                method=body.get("method", "POST"),
                path=body.get("path", "/:id/feed"),
            )
        elif action == "expire":
            self.expire_token()
        else:
            return False
        return True

    # --- HTML -----------------------------------------------------------------------
    def render_page(self, number: str | None = None) -> tuple[int, str]:
        posts = list(reversed(self.posts))
        if number is not None:
            posts = [p for p in posts if p["id"] == f"{self.page_id}_{number}"]
            if not posts:
                return missing_post_page(self.title, "Page")
        items = "".join(_post_html(p) for p in posts)
        heading = "Post" if number is not None else "Page posts, newest first"
        body = (
            '<p class="note"><strong>This is a local sandbox that speaks the Facebook Graph API.'
            "</strong> Nothing here is public: posts live only in this process's memory and "
            f"vanish when it stops. Page: {html.escape(self.page_name)} "
            f"({html.escape(self.page_id)}). Comments cannot be turned off on Facebook Pages "
            "through the API.</p>" + _timeline_section(heading, items)
        )
        if number is not None:
            body += '<p><a href="/">Back to the Page</a></p>'
        return 200, page(self.title, self.title, body)


def _post_html(post: dict[str, Any]) -> str:
    link = post.get("link")
    link_html = ""
    if link and str(link).lower().startswith(("https://", "http://")):
        link_html = f'<p>Link: <a href="{html.escape(link)}" rel="nofollow noopener">{html.escape(link)}</a></p>'
    photos = "".join(
        f"<li>Photo: {html.escape(a.get('alt_text') or 'no description')}</li>"
        for a in post.get("attachments") or []
    )
    permalink = urlsplit(post["permalink_url"]).path
    return (
        f'<li><article aria-label="Post {html.escape(post["id"])}">'
        f'<p class="meta"><a href="{html.escape(permalink)}">'
        f'<time datetime="{html.escape(post["created_time"])}">{html.escape(post["created_time"])}'
        f"</time></a></p><p>{html.escape(post['message']).replace(chr(10), '<br>')}</p>"
        f"{link_html}{f'<ul>{photos}</ul>' if photos else ''}</article></li>"
    )


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        return data
    if media_type == "multipart/form-data":
        header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + raw)
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            payload = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                fields[name] = payload
            else:
                fields[name] = payload.decode("utf-8", "replace")
        return fields
    return {k: v[-1] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}


class _Handler(SandboxHandler):
    server_version = "FakeFacebook/1.0"
    json_content_type = "application/json; charset=UTF-8"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base signature
        # The request line would carry an access_token parameter: never print it.
        if self.fake.verbose:
            line = re.sub(r"access_token=[^&\s]+", "access_token=[hidden]", format % args)
            super(SandboxHandler, self).log_message("%s", line)

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        raw, path = self._read_body()
        if path.startswith("/_sandbox/"):
            self._send(fake.handle_control(method, path, raw))
            return
        page = re.fullmatch(rf"/{re.escape(fake.page_id)}/posts/(\d+)/?", path)
        if method == "GET" and (path == "/" or page) and not urlsplit(self.path).query:
            self._send_html(*fake.render_page(page.group(1) if page else None))
            return
        fake._log_request(RecordedRequest(method, self.path, dict(self.headers.items()), raw))
        answer = fake.handle_api(method, self.path, self.headers, raw)
        if answer.drop:
            self._drop()
            return
        answer.headers.setdefault("facebook-api-version", "v21.0")
        answer.headers.setdefault("x-fb-trace-id", _trace())
        answer.headers.setdefault("Cache-Control", "private, no-cache, no-store, must-revalidate")
        self._send(answer)


FakeFacebook.handler_class = _Handler
