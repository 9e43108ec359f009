"""A Facebook Page, through the Graph API (developers.facebook.com/docs/pages-api).

`POST /{page-id}/feed` with `message` (and `link` when the text has one) and the Page access
token, sent as `Authorization: Bearer`, never in the address. The channel's secret is the Page
access token, or JSON {"page_id": "...", "access_token": "..."}; without a page id the Page is
the token's own (`GET /me`).

The Graph API has no idempotency key: `find_existing` reads the Page's recent posts and matches
the message, and `publish` asks it first on every attempt after the first, so a retry after a
lost answer does not post twice.

Images: one goes as `POST /{page-id}/photos` (multipart `source`, `caption` the message,
`alt_text_custom`), which makes the post; several are uploaded with `published=false` and then
attached to one `POST /{page-id}/feed` as `attached_media[n]={"media_fbid": id}`.

Facebook Pages cannot turn comments off through the API (702.5.1): the capabilities say so, and
comments are moderated under the city's comment policy.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings

from ..credentials import secret_for
from .base import (
    Adapter,
    Capabilities,
    Engagement,
    Image,
    PlatformError,
    PublishResult,
    RemotePost,
    ReplyPolicy,
    count_of,
    unreachable,
)

DEFAULT_BASE = "https://graph.facebook.com/v21.0"
MAX_MESSAGE = 63206  # the longest a Page post's message may be
MAX_IMAGES = 10
# Page photos (graph-api/reference/page/photos): "Files can not exceed 10MB"; file types
# .jpeg, .bmp, .png, .gif, .tiff (WebP is not listed). CitySocial stores no BMP or TIFF.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})
FIELDS = "id,message,created_time,permalink_url"
RECENT_POSTS = 25
# 702.6: a post's counters, as edge summaries (limit(0): the totals without the people).
ENGAGEMENT_FIELDS = (
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"
)
VIEW_METRICS = ("post_impressions", "post_total_media_view_unique")
LOOKBACK = timedelta(minutes=10)  # posts made this long before the publication row count too

# developers.facebook.com/docs/graph-api/guides/error-handling and overview/rate-limiting.
THROTTLE_CODES = {4, 17, 32, 341, 613, 80001}
TRANSIENT_CODES = {1, 2}
TOKEN_CODES = {102, 190}
DEFAULT_THROTTLE_WAIT = 600.0  # seconds, when Facebook gives no estimate
USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage")
USAGE_KEYS = ("call_count", "total_cputime", "total_time")
SLOW_FROM = 75.0  # percent of a usage budget from which the channel is slowed
DUPLICATE_CODE = 506  # "Duplicate status message"
POST_PATH_RE = re.compile(r"^/([^/]+)/posts/(\d+)/?$")
URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?')\]]", re.IGNORECASE)


def normalize(text: str) -> str:
    """The message as Facebook gives it back: NFC, LF line ends, no surrounding space."""
    return unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).strip()


def _usage_entries(headers) -> list[dict[str, Any]]:
    """Every usage object in the answer's X-App-Usage, X-Page-Usage and
    X-Business-Use-Case-Usage headers (the last one: lists of them, per business object)."""
    entries: list[Any] = []
    for name in USAGE_HEADERS:
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        if name == "X-Business-Use-Case-Usage" and isinstance(usage, dict):
            for value in usage.values():
                entries.extend(value if isinstance(value, list) else [value])
        else:
            entries.append(usage)
    return [entry for entry in entries if isinstance(entry, dict)]


def _number(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def throttle_wait(headers) -> float | None:
    """Seconds until Facebook expects to serve again: the largest
    `estimated_time_to_regain_access` (minutes) in the usage headers, when one is above zero."""
    minutes = [_number(e.get("estimated_time_to_regain_access")) for e in _usage_entries(headers)]
    longest = max(minutes, default=0.0)
    return longest * 60 if longest > 0 else None


def usage_percent(headers) -> float:
    """How much of its budget the app, the Page or the business use case has spent, in percent:
    the highest `call_count`, `total_cputime` or `total_time` in the usage headers. Facebook
    throttles once any of them reaches 100 (graph-api/overview/rate-limiting)."""
    return max(
        (_number(e.get(key)) for e in _usage_entries(headers) for key in USAGE_KEYS),
        default=0.0,
    )


def usage_pause(headers) -> float | None:
    """Seconds the channel should rest after an answer whose usage headers say the budget is
    nearly spent, so that the city's posts slow down before Facebook throttles them: none below
    SLOW_FROM percent, then growing with the usage up to DEFAULT_THROTTLE_WAIT at 100%; the
    platform's own `estimated_time_to_regain_access` when it gives one."""
    regain = throttle_wait(headers)
    if regain:
        return regain
    percent = usage_percent(headers)
    if percent < SLOW_FROM:
        return None
    share = min(percent, 100.0) - SLOW_FROM
    return DEFAULT_THROTTLE_WAIT * share / (100.0 - SLOW_FROM)


class FacebookAdapter(Adapter):
    text_limit = MAX_MESSAGE
    capabilities = Capabilities(
        can_delete=True,
        restricts_replies=False,
        reply_restriction=(
            "Comments cannot be turned off on Facebook Pages through the API; moderate them "
            "under the city's comment policy."
        ),
        max_images=MAX_IMAGES,
        max_image_bytes=MAX_IMAGE_BYTES,
        image_types=IMAGE_TYPES,
        counts_text_by="characters",
        safe_to_resend=False,  # the Graph API has no idempotency key
        posts_per_minute=30,
        can_reply=False,  # a Page post cannot answer another; only comments can
    )

    def __init__(self, channel):
        super().__init__(channel)
        self._page: dict[str, Any] | None = None
        # The longest rest the usage headers of this adapter's answers asked for (seconds).
        self._slow_down: float | None = None

    # --- Credentials ------------------------------------------------------------------
    def _credentials(self) -> tuple[str | None, str]:
        secret = secret_for(self.channel).strip()
        if secret.startswith("{"):
            try:
                data = json.loads(secret)
                return (str(data["page_id"]) if data.get("page_id") else None), str(
                    data["access_token"]
                )
            except (ValueError, TypeError, KeyError):
                raise PlatformError(
                    f"The credentials for {self.channel.name} are not in the expected form: a "
                    'Page access token, or JSON {"page_id": ..., "access_token": ...}.',
                    permanent=True,
                ) from None
        return None, secret

    def _page_id(self) -> str:
        page_id, _ = self._credentials()
        if page_id:
            return page_id
        if self._page is None:
            self._page = self._call(
                "GET", "/me", what="the Page check", params={"fields": "id,name"}
            )
        return str(self._page["id"])

    def _base(self) -> str:
        return (self.channel.api_base_url or DEFAULT_BASE).rstrip("/")

    def _call(self, method: str, path: str, *, what: str, **kwargs) -> dict[str, Any]:
        _, token = self._credentials()
        try:
            response = requests.request(
                method,
                f"{self._base()}{path}",
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=settings.PLATFORM_HTTP_TIMEOUT,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise unreachable("Facebook", exc, method=method) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or (isinstance(body, dict) and "error" in body):
            raise _error(response, body, what)
        # A successful answer says how much of the budget is spent, too: slow down before 100%.
        pause = usage_pause(response.headers)
        if pause:
            self._slow_down = max(self._slow_down or 0.0, pause)
        if not isinstance(body, dict):
            raise PlatformError(
                f"Facebook answered {what} with something that is not JSON; it will be tried "
                "again.",
                status=response.status_code,
                response=response.text[:500],
            )
        return body

    # --- Posts ------------------------------------------------------------------------
    def _result(self, post_id: str, raw: dict[str, Any]) -> PublishResult:
        url = raw.get("permalink_url") or f"https://www.facebook.com/{post_id}"
        return PublishResult(
            remote_id=post_id, remote_url=url, raw_response=raw, slow_down=self._slow_down
        )

    def _details(self, post_id: str, created: dict[str, Any]) -> dict[str, Any]:
        """The new post's permalink and time; the post exists either way, so no failure here."""
        try:
            return {
                **created,
                **self._call("GET", f"/{post_id}", what="the post", params={"fields": FIELDS}),
            }
        except PlatformError:
            return created

    def upload_photo(self, image: Image, *, caption: str = "", published: bool = True) -> dict:
        """`POST /{page-id}/photos` with the image file, its alt text and a caption."""
        if not (image.alt or "").strip():
            raise PlatformError(
                "The image has no alternative text; every image needs one.", permanent=True
            )
        data = {"alt_text_custom": image.alt, "published": "true" if published else "false"}
        if caption:
            data["caption"] = caption
        return self._call(
            "POST",
            f"/{self._page_id()}/photos",
            what="the photo",
            data=data,
            files={"source": ("image", image.data, image.mime_type)},
        )

    def publish(
        self, publication, images: list[Image] | None = None, *, reply_to=None
    ) -> PublishResult:
        """A Page post cannot be a reply to another (`can_reply` False): a correction goes out
        as a post of its own that begins "Correction:", and `reply_to` is not used."""
        if getattr(publication, "attempts", 0) > 1:  # an earlier attempt may have posted
            existing = self.find_existing(publication)
            if existing is not None:
                return existing
        message = publication.post.body
        # Photos uploaded unpublished by an attempt whose answer was lost stay unattached (and
        # unseen); the look-up above keeps the post itself single.
        images = self.images_for(publication) if images is None else list(images)
        if len(images) > MAX_IMAGES:
            raise PlatformError(
                f"A Facebook post here takes at most {MAX_IMAGES} images; this one has "
                f"{len(images)}.",
                permanent=True,
            )
        if len(images) == 1:
            photo = self.upload_photo(images[0], caption=message)
            post_id = str(photo.get("post_id") or photo["id"])
            return self._result(post_id, self._details(post_id, photo))
        data: dict[str, Any] = {"message": message}
        link = URL_RE.search(message)
        if link and not images:
            data["link"] = link.group(0)
        for number, image in enumerate(images):
            photo = self.upload_photo(image, published=False)
            data[f"attached_media[{number}]"] = json.dumps({"media_fbid": photo["id"]})
        created = self._call("POST", f"/{self._page_id()}/feed", what="the post", data=data)
        post_id = str(created["id"])
        return self._result(post_id, self._details(post_id, created))

    def find_existing(self, publication) -> PublishResult | None:
        """The Page's recent post with exactly this message, made since the publication was and
        not recorded by another delivery (a repeated notice has the same text)."""
        since = (getattr(publication, "created_at", None) or datetime.now(UTC)) - LOOKBACK
        answer = self._call(
            "GET",
            f"/{self._page_id()}/posts",
            what="the look-up of recent posts",
            params={"fields": FIELDS, "since": int(since.timestamp()), "limit": RECENT_POSTS},
        )
        wanted = normalize(publication.post.body)
        matches = [
            post
            for post in answer.get("data") or []
            if isinstance(post, dict)
            and post.get("id")
            and normalize(post.get("message", "")) == wanted
        ]
        taken = self.recorded_elsewhere(publication, [post["id"] for post in matches])
        for post in reversed(matches):  # the oldest first: the earliest attempt made it
            if str(post["id"]) not in taken:
                return self._result(str(post["id"]), {**post, "found_existing": True})
        return None

    def delete(self, publication) -> None:
        try:
            self._call("DELETE", f"/{publication.remote_id}", what="the deletion")
        except PlatformError as exc:
            if not _is_gone(exc):  # already gone counts as removed
                raise

    def fetch(self, publication) -> dict:
        return self._call(
            "GET", f"/{publication.remote_id}", what="the post", params={"fields": FIELDS}
        )

    # --- Reading the Page back (702.5, 702.5.1) ---------------------------------------
    def remote_id_from_url(self, url: str) -> str:
        """A Page post's id is "{page-id}_{post-id}": from a permalink
        (/{page}/posts/{post-id}) or a story link (?story_fbid=...&id=...)."""
        parts = urlsplit(url or "")
        query = parse_qs(parts.query)
        if query.get("story_fbid") and query.get("id"):
            return f"{query['id'][0]}_{query['story_fbid'][0]}"
        match = POST_PATH_RE.match(parts.path)
        if not match:
            return ""
        page = match.group(1) if match.group(1).isdigit() else self._page_id()
        return f"{page}_{match.group(2)}"

    def recent_posts(self, *, limit: int = 50) -> list:
        """`GET /{page-id}/posts`: what the Page itself posted, newest first (the feed edge
        would add what visitors posted on the Page)."""
        answer = self._call(
            "GET",
            f"/{self._page_id()}/posts",
            what="the Page's recent posts",
            params={"fields": FIELDS, "limit": min(limit, 100)},
        )
        return [
            RemotePost(
                remote_id=str(post["id"]),
                text=str(post.get("message") or ""),
                created_at=_moment(post.get("created_time")),
                url=post.get("permalink_url") or f"https://www.facebook.com/{post['id']}",
                raw=post,
            )
            for post in answer.get("data") or []
            if isinstance(post, dict) and post.get("id")
        ]

    def reply_policy(self) -> ReplyPolicy:
        """The Graph API offers no setting that closes comments on a Page's posts: the Page is
        asked only to show that the token still speaks for it."""
        page = self.verify_credentials()
        return ReplyPolicy(
            prevented=False,
            detail=(
                f"Facebook cannot turn comments off on the posts of the Page "
                f"“{page.get('name') or page.get('id')}” through its API: the public can comment. "
                "Comments are moderated under the City's comment policy, and visitor posts are "
                "turned off in the Page's settings by hand (702.5.1)."
            ),
            raw={"page": {"id": page.get("id"), "name": page.get("name")}},
        )

    def verify_credentials(self) -> dict:
        """The Page the token speaks for: its id and name."""
        return self._call(
            "GET", f"/{self._page_id()}", what="the Page check", params={"fields": "id,name,link"}
        )

    # --- Engagement (702.6) ----------------------------------------------------------
    def engagement(self, publication) -> Engagement:
        """The post's reactions and comments (their summaries' total_count) and shares, and
        its views from the post's insights where the Page token allows (pages_read_insights).
        """
        post = self._call(
            "GET",
            f"/{publication.remote_id}",
            what="the post's counts",
            params={"fields": ENGAGEMENT_FIELDS},
        )
        shares = post.get("shares")
        views, insight = self._views(publication.remote_id)
        return Engagement(
            views=views,
            likes=_summary_total(post.get("reactions")),
            # Facebook leaves `shares` out of a post nobody has shared.
            shares=count_of(shares.get("count")) if isinstance(shares, dict) else 0,
            replies=_summary_total(post.get("comments")),
            raw={
                "id": post.get("id"),
                "reactions": _summary_total(post.get("reactions")),
                "comments": _summary_total(post.get("comments")),
                "shares": shares,
                "insights": insight,
            },
        )

    def _views(self, post_id: str) -> tuple[int | None, dict[str, Any]]:
        """(views, what the insights said). Meta retired the impressions metrics in November
        2025 (an invalid-metric error, code 100): then the unique media views are asked for.
        A token without insights permission, or a post without insights, gives no views."""
        for metric in VIEW_METRICS:
            try:
                answer = self._call(
                    "GET",
                    f"/{post_id}/insights",
                    what="the post's insights",
                    params={"metric": metric},
                )
            except PlatformError as exc:
                if not exc.permanent:
                    raise
                if _graph_code(exc) == 100 and metric != VIEW_METRICS[-1]:
                    continue
                return None, {"metric": metric, "refused": exc.message}
            for entry in answer.get("data") or []:
                if isinstance(entry, dict) and entry.get("name") == metric:
                    values = entry.get("values") or [{}]
                    last = values[-1] if isinstance(values[-1], dict) else {}
                    return count_of(last.get("value")), {"metric": metric}
            return None, {"metric": metric, "empty": True}
        return None, {}


def _summary_total(edge: Any) -> int | None:
    """`total_count` of an edge's summary (reactions, comments); None when not given."""
    summary = edge.get("summary") if isinstance(edge, dict) else None
    return count_of(summary.get("total_count")) if isinstance(summary, dict) else None


def _graph_code(exc: PlatformError) -> int | None:
    error = (exc.response or {}).get("error") if isinstance(exc.response, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def _moment(value) -> datetime | None:
    """Graph API times: "2026-03-01T17:04:05+0000"."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


# --- Errors ------------------------------------------------------------------------------
def _is_gone(exc: PlatformError) -> bool:
    if exc.status == 404:
        return True
    error = (exc.response or {}).get("error") if isinstance(exc.response, dict) else None
    # "(#100) ... does not exist, cannot be loaded due to missing permissions, or does not
    # support this operation": code 100, subcode 33.
    return isinstance(error, dict) and error.get("code") == 100 and error.get("error_subcode") == 33


def _error(response: requests.Response, body: Any, what: str) -> PlatformError:
    status = response.status_code
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        transient = status >= 500 or status in {408, 429}
        detail = response.reason or f"HTTP {status}"
        return PlatformError(
            f"Facebook could not take {what} just now ({status}: {detail}); it will be tried again."
            if transient
            else f"Facebook refused {what}: {detail}",
            permanent=not transient,
            status=status,
            response=body if body is not None else response.text[:500],
        )
    code = error.get("code")
    detail = str(error.get("error_user_msg") or error.get("message") or response.reason)
    trace = f" (Facebook trace {error['fbtrace_id']})" if error.get("fbtrace_id") else ""
    if code in THROTTLE_CODES:
        wait = throttle_wait(response.headers) or DEFAULT_THROTTLE_WAIT
        return PlatformError(
            f"Facebook is limiting requests from this Page ({detail}); it will be tried again "
            f"in about {round(wait / 60)} minutes.",
            permanent=False,
            status=status,
            response=body,
            retry_after=wait,
        )
    if code in TOKEN_CODES:
        return PlatformError(
            f"Facebook refused the Page access token: {detail}. Enter a new token for "
            "this channel.",
            permanent=True,
            status=status,
            response=body,
        )
    transient = (
        code in TRANSIENT_CODES
        or error.get("is_transient") is True
        or (status >= 500 and code not in {368, 506})
    )
    if transient:
        message = (
            f"Facebook could not take {what} just now: {detail}{trace}; it will be tried again."
        )
    else:
        message = f"Facebook refused {what}: {detail}{trace}"
    return PlatformError(
        message,
        permanent=not transient,
        status=status,
        response=body,
        retry_after=throttle_wait(response.headers) if transient else None,
        duplicate=code == DUPLICATE_CODE,
    )
