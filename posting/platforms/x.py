"""X, through its API v2 (docs.x.com/x-api/posts).

`POST /2/tweets` with JSON {"text", "reply_settings"} and an OAuth 2.0 user-context bearer
token (the channel's secret). Replies go to "mentionedUsers", the most restrictive setting the
API offers: only accounts the post mentions may reply, so a city post that mentions nobody gets
no replies from the public (702.5.1).

X has no idempotency key: `find_existing` reads the account's recent posts and matches the
text (X gives it back with every link shortened to t.co and &, <, > escaped), and `publish`
asks it first on every attempt after the first, so a retry after a lost answer does not post
twice.

Images (docs.x.com/x-api/media): a JPEG, PNG or WebP picture (up to 5 MB) goes to
`POST /2/media/upload` as multipart `media` with `media_category=tweet_image` and its
`media_type`, in one request. An animated GIF (up to 15 MB, and alone on its post: "up to 4
photos, 1 animated GIF or 1 video") goes through the chunked upload with
`media_category=tweet_gif`: `POST /2/media/upload/initialize` with JSON {"media_type",
"total_bytes", "media_category"}, then `POST /2/media/upload/{id}/append` with multipart
`segment_index` (0, 1, ... in order) and `media` (each segment at most 5 MB), then
`POST /2/media/upload/{id}/finalize`. Each image's alternative text goes to
`POST /2/media/metadata` as {"id", "metadata": {"alt_text": {"text"}}} before the post, and the
post names them in `media.media_ids`. An upload whose `processing_info` is not yet succeeded is
asked about (`GET /2/media/upload?command=STATUS`) until it is. A retry after a lost answer
looks for the post first (above); uploads of an earlier attempt stay unused and expire.

Text is counted the way twitter-text's configuration v3 does: NFC first, every URL counts 23,
code points in the ranges below count 1 and all others 2, and an emoji sequence counts 2
however many code points it has; the limit is 280.
"""

from __future__ import annotations

import html
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import regex
import requests
from django.conf import settings

from ..credentials import secret_for
from .base import (
    Adapter,
    Capabilities,
    Engagement,
    PlatformError,
    PublishResult,
    RemotePost,
    ReplyPolicy,
    count_of,
    total_of,
    unreachable,
)

DEFAULT_BASE = "https://api.x.com"
DEFAULT_WEB = "https://x.com"
REPLY_SETTINGS = "mentionedUsers"  # the most restrictive of following/mentionedUsers/...
RECENT_POSTS = 20
LOOKBACK = timedelta(minutes=10)

# twitter-text config/v3.json: weights in hundredths of a character.
MAX_WEIGHTED_LENGTH = 280
SCALE = 100
DEFAULT_WEIGHT = 200
TRANSFORMED_URL_LENGTH = 23
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))  # weight 100 each

_MODIFIER = r"(?:\uFE0F|[\U0001F3FB-\U0001F3FF])?"
EMOJI_RE = regex.compile(
    r"[\U0001F1E6-\U0001F1FF]{2}"  # a flag: two regional indicators
    r"|[0-9#*]\uFE0F?\u20E3"  # a keycap
    r"|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"  # a subdivision flag (tag sequence)
    rf"|\p{{Extended_Pictographic}}{_MODIFIER}(?:\u200D\p{{Extended_Pictographic}}{_MODIFIER})*"
)

# URLs as twitter-text extracts them: with a scheme, or a bare domain with a known top-level
# domain, not glued to a letter, digit, @, $ or # before it; trailing punctuation stays out.
_NOT_BEFORE = r"A-Za-z0-9@\uFF20$\uFF04#\uFF03"
URL_WITH_SCHEME_RE = re.compile(rf"(?<![{_NOT_BEFORE}])https?://[^\s]+", re.IGNORECASE)
BARE_URL_RE = re.compile(
    rf"(?<![{_NOT_BEFORE}.\-_/])"
    r"((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,}))(?![a-z0-9-])(/[^\s]*)?",
    re.IGNORECASE,
)
GENERIC_TLD_WORDS = """com net org gov edu mil int info biz name pro app dev aero asia cat coop
jobs mobi museum post tel travel xxx city town news online site social page blog tech today life
live world community health email link club shop store top xyz"""
GENERIC_TLDS = frozenset(GENERIC_TLD_WORDS.split())
SPECIAL_CCTLDS = frozenset({"co", "tv"})  # a bare "name.co" is a link without a path
URL_END_CHARS = frozenset("=_#/-+&")

# Reply settings under which the public cannot reply (702.5.1): only accounts the post mentions,
# or only accounts the City follows. "everyone", "subscribers" and "verified" let the public in.
CLOSED_REPLY_SETTINGS = frozenset({"mentionedUsers", "following"})
STATUS_URL_RE = re.compile(r"/status(?:es)?/(\d{1,19})/?$")
TIMELINE_FIELDS = "created_at,text,reply_settings,in_reply_to_user_id,referenced_tweets"
PROBLEM_NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"

MAX_IMAGES = 4  # "up to 4 photos, 1 animated GIF or 1 video" on a post
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # images 5 MB (tweet_image)
MAX_GIF_BYTES = 15 * 1024 * 1024  # animated GIFs 15 MB (tweet_gif)
GIF = "image/gif"
ONE_REQUEST_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})  # POST /2/media/upload
IMAGE_TYPES = ONE_REQUEST_TYPES | {GIF}  # a GIF goes through the chunked upload
MAX_SEGMENT_BYTES = 5 * 1024 * 1024  # "keep each segment at or below 5 MB"
SEGMENT_BYTES = 4 * 1024 * 1024  # what CitySocial appends at a time, under that limit
MAX_STATUS_CHECKS = 10


# --- Text ------------------------------------------------------------------------------
def _trim_url(url: str) -> str:
    end = len(url)
    while end:
        last = url[end - 1]
        balanced = last == ")" and url.count("(", 0, end) >= url.count(")", 0, end)
        if last.isalnum() or last in URL_END_CHARS or balanced:
            break
        end -= 1
    return url[:end]


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL twitter-text would count as 23 characters."""
    spans: list[tuple[int, int]] = []
    for match in URL_WITH_SCHEME_RE.finditer(text):
        url = _trim_url(match.group(0))
        host = urlsplit(url).hostname or ""
        if "." in host.strip("."):
            spans.append((match.start(), match.start() + len(url)))
    for match in BARE_URL_RE.finditer(text):
        start = match.start()
        if any(s <= start < e for s, e in spans):
            continue
        domain, tld, path = match.group(1), match.group(2).lower(), match.group(3)
        if tld in GENERIC_TLDS:
            pass
        elif len(tld) == 2:
            short = domain.count(".") == 1  # "name.cc": needs a path unless .co or .tv
            if short and not path and tld not in SPECIAL_CCTLDS:
                continue
        else:
            continue
        url = _trim_url(match.group(0))
        if url:
            spans.append((start, start + len(url)))
    return sorted(spans)


def _code_point_weight(char: str) -> int:
    code = ord(char)
    if any(low <= code <= high for low, high in LIGHT_RANGES):
        return SCALE
    return DEFAULT_WEIGHT


def _plain_weight(text: str) -> int:
    total, position = 0, 0
    for match in EMOJI_RE.finditer(text):
        total += sum(_code_point_weight(c) for c in text[position : match.start()])
        emoji = match.group(0)
        if len(emoji) == 1 and _code_point_weight(emoji) == SCALE:
            total += SCALE  # e.g. a bare (c) sign: a Latin-1 character, not an emoji picture
        else:
            total += DEFAULT_WEIGHT
        position = match.end()
    return total + sum(_code_point_weight(c) for c in text[position:])


def weighted_length(text: str) -> int:
    """twitter-text's weightedLength for config v3, in characters (out of 280)."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end in url_spans(text):
        total += _plain_weight(text[position:start]) + TRANSFORMED_URL_LENGTH * SCALE
        position = end
    total += _plain_weight(text[position:])
    return total // SCALE


def comparable(text: str) -> str:
    """Text as X gives it back, reduced for matching: NFC, unescaped, every URL one token."""
    text = html.unescape(unicodedata.normalize("NFC", text or "")).replace("\r\n", "\n").strip()
    out, position = [], 0
    for start, end in url_spans(text):
        out.append(text[position:start])
        out.append("\x00URL\x00")
        position = end
    out.append(text[position:])
    return " ".join("".join(out).split())


# --- The adapter -----------------------------------------------------------------------
class XAdapter(Adapter):
    text_limit = MAX_WEIGHTED_LENGTH
    reply_settings = REPLY_SETTINGS
    capabilities = Capabilities(
        can_delete=True,
        restricts_replies=True,
        reply_restriction=(
            "Only accounts the post mentions can reply (X's most restrictive reply setting): "
            "a post that mentions nobody gets no replies from the public (702.5.1)."
        ),
        max_images=MAX_IMAGES,
        max_image_bytes=MAX_IMAGE_BYTES,
        image_types=IMAGE_TYPES,
        max_gif_bytes=MAX_GIF_BYTES,
        gif_alone=True,
        counts_text_by="weighted characters",
        safe_to_resend=False,  # POST /2/tweets has no idempotency key
        posts_per_minute=6,  # 100 posts per user per 15 minutes
        can_reply=True,  # reply.in_reply_to_tweet_id
    )

    def __init__(self, channel, *, segment_bytes: int = SEGMENT_BYTES):
        super().__init__(channel)
        self._me: dict[str, Any] | None = None
        # The size of each appended segment of a chunked upload, at most X's 5 MB.
        self.segment_bytes = max(1, min(int(segment_bytes), MAX_SEGMENT_BYTES))

    def text_length(self, text: str) -> int:
        return weighted_length(text)

    def _base(self) -> str:
        return (self.channel.api_base_url or DEFAULT_BASE).rstrip("/")

    def _call(self, method: str, path: str, *, what: str, **kwargs) -> dict[str, Any]:
        token = secret_for(self.channel)
        try:
            response = requests.request(
                method,
                f"{self._base()}{path}",
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=settings.PLATFORM_HTTP_TIMEOUT,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise unreachable("X", exc, method=method) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            raise _error(response, body, what)
        if not isinstance(body, dict):
            raise PlatformError(
                f"X answered {what} with something that is not JSON; it will be tried again.",
                status=response.status_code,
                response=response.text[:500],
            )
        return body

    def _user(self) -> dict[str, Any]:
        if self._me is None:
            self._me = self._call("GET", "/2/users/me", what="the account check")["data"]
        return self._me

    def _post_url(self, post_id: str) -> str:
        origin = DEFAULT_WEB
        public = (self.channel.public_url or "").strip()
        if public:
            parts = urlsplit(public)
            if parts.scheme and parts.netloc:
                origin = f"{parts.scheme}://{parts.netloc}"
        handle = (self.channel.handle or "").strip().lstrip("@")
        return f"{origin}/{handle or 'i/web'}/status/{post_id}"

    def _result(self, data: dict[str, Any], raw: dict[str, Any]) -> PublishResult:
        post_id = str(data["id"])
        return PublishResult(
            remote_id=post_id, remote_url=self._post_url(post_id), raw_response=raw
        )

    def publish(self, publication, images=None, *, reply_to=None) -> PublishResult:
        if getattr(publication, "attempts", 0) > 1:  # an earlier attempt may have posted
            existing = self.find_existing(publication)
            if existing is not None:
                return existing
        images = self.images_for(publication) if images is None else list(images)
        # A reply keeps the most restrictive reply setting (702.5.1).
        body: dict[str, Any] = {
            "text": publication.post.body,
            "reply_settings": self.reply_settings,
        }
        if len(images) > 1 and any(image.mime_type == GIF for image in images):
            raise PlatformError(
                f"X takes one animated GIF on a post, or up to {MAX_IMAGES} other images, not "
                "both; this post has a GIF among its images.",
                permanent=True,
            )
        if images:
            body["media"] = {"media_ids": [self.upload_media(image) for image in images]}
        if reply_to is not None:
            body["reply"] = {"in_reply_to_tweet_id": reply_to.remote_id}
        try:
            answer = self._call("POST", "/2/tweets", what="the post", json=body)
        except PlatformError as exc:
            if "reply" not in body or not _reply_target_gone(exc):
                raise
            # The post it answers was deleted on X: the correction still goes out.
            del body["reply"]
            answer = self._call("POST", "/2/tweets", what="the post", json=body)
        return self._result(answer["data"], answer)

    def upload_media(self, image) -> str:
        """Upload one image and give it its alternative text; answer its media id."""
        if not (image.alt or "").strip():
            raise PlatformError(
                "An image has no alternative text; every image needs one (702.3).", permanent=True
            )
        if image.mime_type not in IMAGE_TYPES:
            raise PlatformError(
                "X takes JPEG, PNG and WebP images and animated GIFs from CitySocial; this one "
                f"is {image.mime_type}.",
                permanent=True,
            )
        gif = image.mime_type == GIF
        limit = MAX_GIF_BYTES if gif else MAX_IMAGE_BYTES
        if len(image.data) > limit:
            raise PlatformError(
                f"The {'GIF' if gif else 'image'} is {len(image.data):,} bytes; X takes "
                f"{'animated GIFs' if gif else 'images'} up to {limit:,} bytes.",
                permanent=True,
            )
        if gif:
            uploaded = self._upload_in_segments(image)
        else:
            uploaded = self._call(
                "POST",
                "/2/media/upload",
                what="the image",
                data={"media_category": "tweet_image", "media_type": image.mime_type},
                files={"media": ("image", image.data, image.mime_type)},
            )["data"]
        media_id = str(uploaded["id"])
        self._wait_until_processed(media_id, uploaded.get("processing_info"))
        self._call(
            "POST",
            "/2/media/metadata",
            what="the image's alternative text",
            json={"id": media_id, "metadata": {"alt_text": {"text": image.alt}}},
        )
        return media_id

    def _upload_in_segments(self, image) -> dict[str, Any]:
        """X's chunked upload, the one way it takes an animated GIF: initialize, append every
        segment in order, finalize. Answers the finalize's `data`."""
        started = self._call(
            "POST",
            "/2/media/upload/initialize",
            what="the GIF upload",
            json={
                "media_type": image.mime_type,
                "total_bytes": len(image.data),
                "media_category": "tweet_gif",
            },
        )["data"]
        media_id = str(started["id"])
        step = self.segment_bytes
        for index, start in enumerate(range(0, len(image.data), step)):
            part = image.data[start : start + step]
            self._call(
                "POST",
                f"/2/media/upload/{media_id}/append",
                what=f"part {index + 1} of the GIF",
                data={"segment_index": index},
                files={"media": ("media", part, "application/octet-stream")},
            )
        path = f"/2/media/upload/{media_id}/finalize"
        return self._call("POST", path, what="the GIF upload")["data"]

    def _wait_until_processed(self, media_id: str, info: dict | None) -> None:
        for _ in range(MAX_STATUS_CHECKS):
            state = (info or {}).get("state", "succeeded")
            if state == "succeeded":
                return
            if state == "failed":
                error = (info or {}).get("error") or {}
                raise PlatformError(
                    f"X could not process the image: {error.get('message') or 'failed'}.",
                    permanent=True,
                    response=info,
                )
            time.sleep(min(float((info or {}).get("check_after_secs", 1)), 5.0))
            info = self._call(
                "GET",
                "/2/media/upload",
                what="the image's processing",
                params={"command": "STATUS", "media_id": media_id},
            )["data"].get("processing_info")
        raise PlatformError("X is still processing the image; it will be tried again.")

    def find_existing(self, publication) -> PublishResult | None:
        """The account's recent post with this text, made since the publication was and not
        recorded by another delivery (a repeated notice has the same text). Replies count: a
        correction goes out as a reply to the update it corrects (702.4.1)."""
        since = (getattr(publication, "created_at", None) or datetime.now(UTC)) - LOOKBACK
        answer = self._call(
            "GET",
            f"/2/users/{self._user()['id']}/tweets",
            what="the look-up of recent posts",
            params={
                "max_results": RECENT_POSTS,
                "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tweet.fields": "created_at,text,reply_settings",
                "exclude": "retweets",
            },
        )
        wanted = comparable(publication.post.body)
        matches = [
            post
            for post in answer.get("data") or []
            if isinstance(post, dict)
            and post.get("id")
            and comparable(post.get("text", "")) == wanted
        ]
        taken = self.recorded_elsewhere(publication, [post["id"] for post in matches])
        for post in reversed(matches):  # the oldest first: the earliest attempt made it
            if str(post["id"]) not in taken:
                return self._result(post, {"data": post, "found_existing": True})
        return None

    def delete(self, publication) -> None:
        try:
            answer = self._call("DELETE", f"/2/tweets/{publication.remote_id}", what="the deletion")
        except PlatformError as exc:
            if exc.status == 404:  # already gone counts as removed
                return
            raise
        if (answer.get("data") or {}).get("deleted") is True or _not_found(answer):
            return
        try:  # {"deleted": false}: gone already, or refused?
            self.fetch(publication)
        except PlatformError as exc:
            if exc.status == 404:
                return
            raise
        raise PlatformError(
            "X did not delete the post; it is still there. It will be tried again.",
            status=200,
            response=answer,
        )

    def fetch(self, publication) -> dict:
        answer = self._call(
            "GET",
            f"/2/tweets/{publication.remote_id}",
            what="the post",
            params={
                "tweet.fields": "created_at,text,reply_settings,author_id,edit_history_tweet_ids"
            },
        )
        if "data" not in answer and _not_found(answer):
            detail = answer["errors"][0].get("detail") or "not found"
            raise PlatformError(
                f"X has no such post ({detail}); it may have been deleted.",
                permanent=True,
                status=404,
                response=answer,
            )
        return answer.get("data") or answer

    # --- Reading the account back (702.5, 702.5.1) -------------------------------------
    def same_text(self, approved: str, shown: str) -> bool:
        """X gives text back with links shortened to t.co and &, <, > escaped."""
        return comparable(approved) == comparable(shown)

    def remote_id_from_url(self, url: str) -> str:
        match = STATUS_URL_RE.search((url or "").split("?")[0])
        return match.group(1) if match else ""

    def _timeline(self, limit: int) -> list[dict[str, Any]]:
        """`GET /2/users/:id/tweets` (max_results 5-100), retweets left out: a retweet is
        someone else's post shared, not the City's words."""
        answer = self._call(
            "GET",
            f"/2/users/{self._user()['id']}/tweets",
            what="the account's recent posts",
            params={
                "max_results": max(5, min(limit, 100)),
                "tweet.fields": TIMELINE_FIELDS,
                "exclude": "retweets",
            },
        )
        return [post for post in answer.get("data") or [] if isinstance(post, dict)]

    def recent_posts(self, *, limit: int = 50) -> list:
        return [
            RemotePost(
                remote_id=str(post["id"]),
                text=html.unescape(str(post.get("text") or "")),
                created_at=_moment(post.get("created_at")),
                url=self._post_url(str(post["id"])),
                is_reply=any(
                    ref.get("type") == "replied_to" for ref in post.get("referenced_tweets") or []
                ),
                raw=post,
            )
            for post in self._timeline(limit)[:limit]
        ]

    def reply_policy(self) -> ReplyPolicy:
        """The reply setting of each recent post, as X reports it."""
        posts = self._timeline(100)
        if not posts:
            return ReplyPolicy(
                prevented=None,
                detail="No posts on the account to check yet. Every post CitySocial makes goes "
                "out with replies limited to the accounts it mentions (702.5.1).",
            )
        open_posts = [
            post for post in posts if post.get("reply_settings") not in CLOSED_REPLY_SETTINGS
        ]
        raw = {
            "checked": len(posts),
            "open": {str(p["id"]): p.get("reply_settings") or "unknown" for p in open_posts},
        }
        if open_posts:
            shown = ", ".join(
                f"{self._post_url(str(p['id']))} ({p.get('reply_settings') or 'not given'})"
                for p in open_posts[:3]
            )
            return ReplyPolicy(
                prevented=False,
                detail=f"{len(open_posts)} of the last {len(posts)} posts let the public reply: "
                f"{shown}. Posts from CitySocial limit replies to the accounts they mention; "
                "change the others on X or take them down (702.5.1).",
                raw=raw,
            )
        return ReplyPolicy(
            prevented=True,
            detail=f"Each of the last {len(posts)} posts limits replies to the accounts it "
            "mentions or the City follows: the public cannot reply (702.5.1).",
            raw=raw,
        )

    def verify_credentials(self) -> dict:
        self._me = None
        return self._user()

    # --- Engagement (702.6) ----------------------------------------------------------
    def engagement(self, publication) -> Engagement:
        """The post's public_metrics (GET /2/tweets/:id?tweet.fields=public_metrics):
        impressions, likes, reposts and quotes (shares: a quote is a share with words), and
        replies."""
        answer = self._call(
            "GET",
            f"/2/tweets/{publication.remote_id}",
            what="the post's counts",
            params={"tweet.fields": "public_metrics"},
        )
        if "data" not in answer and _not_found(answer):
            raise PlatformError(
                "X has no such post; it may have been deleted.",
                permanent=True,
                status=404,
                response=answer,
            )
        data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
        metrics = data.get("public_metrics") if isinstance(data.get("public_metrics"), dict) else {}
        return Engagement(
            views=count_of(metrics.get("impression_count")),
            likes=count_of(metrics.get("like_count")),
            shares=total_of(
                count_of(metrics.get("retweet_count")), count_of(metrics.get("quote_count"))
            ),
            replies=count_of(metrics.get("reply_count")),
            raw={"id": data.get("id"), "public_metrics": metrics},
        )


def _moment(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


# --- Errors ------------------------------------------------------------------------------
def _reply_target_gone(exc: PlatformError) -> bool:
    """X's 403 for a reply to a post that is deleted or not visible to the account."""
    body = exc.response if isinstance(exc.response, dict) else {}
    return exc.status == 403 and "reply to a Tweet that is deleted" in str(body.get("detail"))


def _not_found(body: dict[str, Any]) -> bool:
    errors = body.get("errors") if isinstance(body, dict) else None
    return bool(errors) and all(
        isinstance(e, dict) and e.get("type") == PROBLEM_NOT_FOUND for e in errors
    )


def _retry_after(headers, *, limited: bool = True) -> float | None:
    """Seconds until the limit that ran out resets: the 24-hour posting limits first, then
    the 15-minute window (x-rate-limit-reset, epoch seconds). Every answer carries the
    window's reset; unless the answer was a 429 (`limited`) it counts only when spent."""
    now = time.time()
    for prefix in ("x-user-limit-24hour", "x-app-limit-24hour", "x-rate-limit"):
        remaining, reset = headers.get(f"{prefix}-remaining"), headers.get(f"{prefix}-reset")
        window_ran_out = remaining == "0" or (prefix == "x-rate-limit" and limited)
        if reset is None or not window_ran_out:
            continue
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            continue
    try:
        return max(0.0, float(headers.get("retry-after", "")))
    except ValueError:
        return None


def _error(response: requests.Response, body: Any, what: str) -> PlatformError:
    status = response.status_code
    detail = response.reason or f"HTTP {status}"
    if isinstance(body, dict):
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        first = errors[0] if errors and isinstance(errors[0], dict) else {}
        detail = str(
            body.get("detail")
            or first.get("message")
            or first.get("detail")
            or body.get("title")
            or detail
        )
        # An invalid request's detail is general ("One or more parameters to your request was
        # invalid."); its first error says which and why, which is what a person can act on.
        specific = str(first.get("message") or "")
        if specific and specific not in detail:
            detail = f"{detail} {specific}" if detail.endswith(".") else f"{detail}: {specific}"
    if status == 429:
        wait = _retry_after(response.headers)
        when = f" in about {round(wait)} seconds" if wait is not None else " later"
        return PlatformError(
            f"X is limiting requests from this account ({detail}); it will be tried again{when}.",
            permanent=False,
            status=status,
            response=body,
            retry_after=wait,
        )
    if status >= 500 or status == 408:
        return PlatformError(
            f"X could not take {what} just now ({status}: {detail}); it will be tried again.",
            status=status,
            response=body if body is not None else response.text[:500],
            retry_after=_retry_after(response.headers, limited=False) if status == 503 else None,
        )
    if status == 401:
        return PlatformError(
            f"X refused the access token ({detail}): connect the account again.",
            permanent=True,
            status=status,
            response=body,
        )
    return PlatformError(
        f"X refused {what}: {detail}",
        permanent=True,
        status=status,
        response=body if body is not None else response.text[:500],
        # 403 "You are not allowed to create a Tweet with duplicate content."
        duplicate=status == 403 and "duplicate content" in detail.lower(),
    )
