"""Mastodon, through its REST API (docs.joinmastodon.org/methods/statuses/).

POST /api/v1/statuses with a bearer token and an Idempotency-Key header: the
server answers a repeated key with the status it already made, so a retry
after a lost answer does not post twice. Mastodon keeps the key for about an
hour only: a retry later than that first looks for the status among the
account's recent ones (`find_existing`).

Images go first, one by one, to POST /api/v2/media (multipart `file`, with the alternative
text as `description`; methods/media#v2). 200 means processed; 202 means the full-size file is
still processing (`url` null), and GET /api/v1/media/:id is asked until it answers 200 with a
`url` (206 while processing). The status then names them in `media_ids[]`. A retry uploads
again (the earlier uploads stay unattached, and the server forgets them), but the status itself
is made once: the Idempotency-Key is the same on every attempt.
"""

import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

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
    unreachable,
)

MAX_STATUSES_PER_PAGE = 40  # GET /api/v1/accounts/:id/statuses: "Max 40 statuses"
STATUS_URL_RE = re.compile(r"/@[^/]+/(\d+)/?$")

# Mastodon counts every URL as 23 characters and a remote mention by its
# local part only (app/validators/status_length_validator.rb). A URL does not
# start glued to a letter, digit, @, $ or #, and trailing punctuation stays
# outside it and counts ("see https://city.gov." is 23 + 1 after "see ");
# a mention does not start after =, / or a word character (twitter-text).
URL_RE = re.compile(r"(?<![A-Za-z0-9@$#])https?://[^\s<>\"]+", re.IGNORECASE)
URL_END_CHARS = frozenset("=_#/-+&")
MENTION_RE = re.compile(r"(?<![=/\w])(@[A-Za-z0-9_]+)@[A-Za-z0-9.\-]+[A-Za-z0-9]")
URL_WEIGHT = 23
IDEMPOTENCY_WINDOW = timedelta(hours=1)  # methods/statuses#create: keys are kept up to an hour
LOOKBACK = timedelta(minutes=10)  # statuses made this long before the publication row count too
RECENT_STATUSES = 40  # the most GET /api/v1/accounts/:id/statuses gives at once
MAX_PAGES = 5

# Instance configuration `media_attachments` and `statuses.max_media_attachments` on
# Mastodon 4 (entities/Instance): 16 MB images, 4 attachments. An instance may set less.
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 16 * 1024 * 1024
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
# While a 202 upload is processed: ask this often, this many times, before trying later.
MEDIA_POLL_INTERVAL = 1.0
MEDIA_POLL_ATTEMPTS = 30


def _url_placeholder(match: re.Match) -> str:
    url = match.group(0)
    end = len(url)
    while end:
        last = url[end - 1]
        balanced = last == ")" and url.count("(", 0, end) >= url.count(")", 0, end)
        if last.isalnum() or last in URL_END_CHARS or balanced:
            break
        end -= 1
    return "x" * URL_WEIGHT + url[end:]


class _StatusText(HTMLParser):
    """A status's `content` (HTML) back to the words a reader sees: paragraphs and line breaks
    kept, every tag dropped. A link's text is kept whole, including the parts Mastodon hides
    (`<span class="invisible">https://</span>`), so that it compares with what was sent."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def status_text(content: str) -> str:
    parser = _StatusText()
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts).strip()


def _moment(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _retry_after(response: requests.Response) -> float | None:
    """Seconds until X-RateLimit-Reset (ISO 8601, api/rate-limits), else Retry-After seconds."""
    reset = response.headers.get("X-RateLimit-Reset", "").strip()
    if reset:
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return max(0.0, (moment - datetime.now(UTC)).total_seconds())
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


class MastodonAdapter(Adapter):
    text_limit = 500
    capabilities = Capabilities(
        can_delete=True,
        restricts_replies=False,
        reply_restriction="Mastodon's API cannot turn off replies to a post: replies from the "
        "public appear under the City's posts. Moderate them under the City's comment policy "
        "and say so on the account's profile (702.5.1).",
        posts_per_minute=30,
        can_reply=True,  # in_reply_to_id
        idempotency_window=IDEMPOTENCY_WINDOW,
        max_images=MAX_IMAGES,
        max_image_bytes=MAX_IMAGE_BYTES,
        image_types=IMAGE_TYPES,
    )
    media_poll_interval = MEDIA_POLL_INTERVAL

    def text_length(self, text: str) -> int:
        counted = URL_RE.sub(_url_placeholder, text)
        counted = MENTION_RE.sub(r"\1", counted)
        return len(counted)

    def _url(self, path: str) -> str:
        return f"{self.channel.api_base_url.rstrip('/')}{path}"

    def _headers(self, **extra) -> dict:
        token = secret_for(self.channel)
        return {"Authorization": f"Bearer {token}", "Accept": "application/json", **extra}

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = requests.request(
                method, self._url(path), timeout=settings.PLATFORM_HTTP_TIMEOUT, **kwargs
            )
        except requests.RequestException as exc:
            raise unreachable("Mastodon", exc, method=method) from exc
        if response.status_code >= 400:
            raise self._error(response)
        return response

    def _error(self, response: requests.Response) -> PlatformError:
        try:
            body = response.json()
            # Mastodon's Error entity is an object; a proxy in front may send anything.
            detail = (body.get("error") if isinstance(body, dict) else None) or response.reason
        except ValueError:
            body, detail = response.text[:500], response.reason
        # 401/403/404/422 will not get better by trying again; 429 and 5xx may.
        permanent = response.status_code in {401, 403, 404, 410, 422}
        return PlatformError(
            f"Mastodon answered {response.status_code}: {detail}",
            permanent=permanent,
            status=response.status_code,
            response=body,
            retry_after=_retry_after(response) if response.status_code == 429 else None,
        )

    def publish(self, publication, images=None, *, reply_to=None) -> PublishResult:
        images = self.images_for(publication) if images is None else list(images)
        data: dict = {"status": publication.post.body, "visibility": "public", "language": "en"}
        if images:
            data["media_ids[]"] = [self.upload_media(image)["id"] for image in images]
        if reply_to is not None:
            data["in_reply_to_id"] = reply_to.remote_id
        try:
            status = self._post_status(publication, data)
        except PlatformError as exc:
            if "in_reply_to_id" not in data or exc.status != 404:
                raise
            # The post it answers was deleted on Mastodon: the correction still goes out.
            del data["in_reply_to_id"]
            status = self._post_status(publication, data)
        return PublishResult(
            remote_id=str(status["id"]), remote_url=status.get("url") or "", raw_response=status
        )

    def upload_media(self, image) -> dict:
        """POST /api/v2/media with the file and its alternative text; wait while it processes."""
        if not (image.alt or "").strip():
            raise PlatformError(
                "An image has no alternative text; every image needs one (702.3).", permanent=True
            )
        response = self._call(
            "POST",
            "/api/v2/media",
            headers=self._headers(),
            data={"description": image.alt},
            files={"file": (_filename(image.mime_type), image.data, image.mime_type)},
        )
        media = response.json()
        if response.status_code == 202 or not media.get("url"):
            media = self._wait_for_media(str(media["id"]))
        return media

    def _wait_for_media(self, media_id: str) -> dict:
        """GET /api/v1/media/:id until it is processed: 200 with a url (206 while not)."""
        for _ in range(MEDIA_POLL_ATTEMPTS):
            time.sleep(self.media_poll_interval)
            response = self._call("GET", f"/api/v1/media/{media_id}", headers=self._headers())
            if response.status_code == 200:
                media = response.json()
                if media.get("url"):
                    return media
        raise PlatformError(
            f"Mastodon is still processing image {media_id}; it will be tried again.",
            status=206,
        )

    def _post_status(self, publication, data: dict) -> dict:
        return self._call(
            "POST",
            "/api/v1/statuses",
            headers=self._headers(**{"Idempotency-Key": str(publication.idempotency_key)}),
            data=data,
        ).json()

    def find_existing(self, publication) -> PublishResult | None:
        """The account's status with this text, made since the publication was and not recorded
        by another delivery (a repeated notice has the same text); None when there is none.

        Raises PlatformError when the account's statuses cannot be read back far enough to tell.
        """
        since = publication.created_at - LOOKBACK
        account = self._call(
            "GET", "/api/v1/accounts/verify_credentials", headers=self._headers()
        ).json()
        wanted = comparable(publication.post.body)
        matches, max_id = [], None
        for _ in range(MAX_PAGES):
            params = {"limit": RECENT_STATUSES, "exclude_reblogs": "true"}
            if max_id:
                params["max_id"] = max_id
            page = self._call(
                "GET",
                f"/api/v1/accounts/{account['id']}/statuses",
                headers=self._headers(),
                params=params,
            ).json()
            statuses = [s for s in page if isinstance(s, dict) and s.get("id")]
            for status in statuses:
                if _created(status) >= since and comparable(_text(status)) == wanted:
                    matches.append(status)
            if len(statuses) < RECENT_STATUSES or _created(statuses[-1]) < since:
                break  # read back to before the publication was made
            max_id = statuses[-1]["id"]
        else:
            raise PlatformError(
                "Mastodon's list of the account's recent posts is too long to read back to when "
                "this post was first sent."
            )
        taken = self.recorded_elsewhere(publication, [status["id"] for status in matches])
        for status in reversed(matches):  # the oldest first: the earliest attempt made it
            if str(status["id"]) not in taken:
                return PublishResult(
                    remote_id=str(status["id"]),
                    remote_url=status.get("url") or "",
                    raw_response={**status, "found_existing": True},
                )
        return None

    def delete(self, publication) -> None:
        try:
            self._call(
                "DELETE", f"/api/v1/statuses/{publication.remote_id}", headers=self._headers()
            )
        except PlatformError as exc:
            if exc.status != 404:  # already gone counts as removed
                raise

    def fetch(self, publication) -> dict:
        return self._call(
            "GET", f"/api/v1/statuses/{publication.remote_id}", headers=self._headers()
        ).json()

    def verify_credentials(self) -> dict:
        return self._call(
            "GET", "/api/v1/accounts/verify_credentials", headers=self._headers()
        ).json()

    def _account_id(self) -> str:
        if getattr(self, "_account", None) is None:
            self._account = self.verify_credentials()
        return str(self._account["id"])

    def remote_id_from_url(self, url: str) -> str:
        match = STATUS_URL_RE.search((url or "").split("?")[0])
        return match.group(1) if match else ""

    def recent_posts(self, *, limit: int = 50) -> list:
        """GET /api/v1/accounts/:id/statuses, newest first, replies included, boosts left out
        (a boost is someone else's post shared, not the City's words)."""
        statuses = self._call(
            "GET",
            f"/api/v1/accounts/{self._account_id()}/statuses",
            headers=self._headers(),
            params={"limit": min(limit, MAX_STATUSES_PER_PAGE), "exclude_reblogs": "true"},
        ).json()
        return [
            RemotePost(
                remote_id=str(status["id"]),
                text=status_text(status.get("content") or ""),
                created_at=_moment(status.get("created_at")),
                url=status.get("url") or "",
                is_reply=bool(status.get("in_reply_to_id")),
                raw=status,
            )
            for status in statuses
            if isinstance(status, dict) and not status.get("reblog")
        ]

    def reply_policy(self) -> ReplyPolicy:
        """Mastodon's API has no setting that closes replies: the account is asked only to show
        that it is there and how it posts by default."""
        account = self.verify_credentials()
        self._account = account
        privacy = (account.get("source") or {}).get("privacy", "public")
        return ReplyPolicy(
            prevented=False,
            detail=(
                f"Mastodon cannot turn replies off through its API: anyone can reply to the "
                f"City's public posts on @{account.get('acct') or account.get('username')} "
                f"(posts are {privacy} by default). Replies are moderated under the City's "
                "comment policy (702.5.1)."
            ),
            raw={
                "acct": account.get("acct"),
                "locked": account.get("locked"),
                "default_privacy": privacy,
            },
        )

    # --- Engagement (702.6) ----------------------------------------------------------
    def engagement(self, publication) -> Engagement:
        """The status's own counters (GET /api/v1/statuses/:id, entities/Status):
        favourites, boosts and replies. Mastodon counts no views."""
        status = self.fetch(publication)
        counts = {name: status.get(name) for name in MASTODON_COUNTS}
        return Engagement(
            views=None,
            likes=count_of(counts["favourites_count"]),
            shares=count_of(counts["reblogs_count"]),
            replies=count_of(counts["replies_count"]),
            raw={"id": status.get("id"), **counts},
        )


# --- Reading statuses back ---------------------------------------------------------
def _text(status: dict) -> str:
    if isinstance(status.get("text"), str):  # the source text, where Mastodon gives it
        return status["text"]
    return status_text(str(status.get("content") or ""))


def comparable(text: str) -> str:
    """Text reduced for matching a status to a post: NFC, a remote mention as Mastodon shows
    it (by its local part), whitespace collapsed."""
    text = MENTION_RE.sub(r"\1", unicodedata.normalize("NFC", text or ""))
    return " ".join(text.split())


def _created(status: dict) -> datetime:
    moment = _moment(status.get("created_at"))
    if moment is None:
        return datetime.now(UTC)  # no time: count it as recent, so that it is looked at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _filename(mime_type: str) -> str:
    """A name for the multipart part; Mastodon reads the type from the content anyway."""
    return "image." + {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}.get(
        mime_type, "webp"
    )


MASTODON_COUNTS = ("favourites_count", "reblogs_count", "replies_count")
