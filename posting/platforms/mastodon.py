"""Mastodon, through its REST API (docs.joinmastodon.org/methods/statuses/).

POST /api/v1/statuses with a bearer token and an Idempotency-Key header: the
server answers a repeated key with the status it already made, so a retry
after a lost answer never posts twice.
"""

import re
from datetime import UTC, datetime

import requests
from django.conf import settings

from ..credentials import secret_for
from .base import (
    Adapter,
    Capabilities,
    Engagement,
    PlatformError,
    PublishResult,
    count_of,
    unreachable,
)

# Mastodon counts every URL as 23 characters and a remote mention by its
# local part only (app/validators/status_length_validator.rb). A URL does not
# start glued to a letter, digit, @, $ or #, and trailing punctuation stays
# outside it and counts ("see https://city.gov." is 23 + 1 after "see ");
# a mention does not start after =, / or a word character (twitter-text).
URL_RE = re.compile(r"(?<![A-Za-z0-9@$#])https?://[^\s<>\"]+", re.IGNORECASE)
URL_END_CHARS = frozenset("=_#/-+&")
MENTION_RE = re.compile(r"(?<![=/\w])(@[A-Za-z0-9_]+)@[A-Za-z0-9.\-]+[A-Za-z0-9]")
URL_WEIGHT = 23


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
    )

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

    def publish(self, publication, *, reply_to=None) -> PublishResult:
        data = {"status": publication.post.body, "visibility": "public", "language": "en"}
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

    def _post_status(self, publication, data: dict) -> dict:
        return self._call(
            "POST",
            "/api/v1/statuses",
            headers=self._headers(**{"Idempotency-Key": str(publication.idempotency_key)}),
            data=data,
        ).json()

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


MASTODON_COUNTS = ("favourites_count", "reblogs_count", "replies_count")
