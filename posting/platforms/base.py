from dataclasses import dataclass, field
from typing import Any


class PlatformError(Exception):
    """The platform refused or could not be reached. `message` is fit to show the author.

    `retry_after` is the number of seconds until the platform's own reset signal (a rate-limit
    reset header, a throttling estimate), when it gave one; None when it did not.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        status: int | None = None,
        response: Any = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.response = response
        self.retry_after = retry_after


@dataclass
class PublishResult:
    remote_id: str
    remote_url: str
    raw_response: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Capabilities:
    """What a platform lets CitySocial do, in words fit for the compose and channel pages.

    `restricts_replies` is True only when every post goes out with replies from the public
    switched off (702.5.1); `reply_restriction` says plainly what happens either way.
    `counts_text_by` is "characters", "graphemes" or "weighted characters".
    """

    can_delete: bool = True
    restricts_replies: bool = False
    reply_restriction: str = "Replies cannot be restricted on this platform through its API."
    max_images: int = 0
    counts_text_by: str = "characters"


@dataclass(frozen=True)
class Image:
    """An image to attach to a post: its bytes, media type and alternative text (required)."""

    data: bytes
    mime_type: str
    alt: str
    width: int | None = None
    height: int | None = None


class Adapter:
    """What every platform offers CitySocial: publish, delete, fetch, and its text rules."""

    text_limit = 5000
    capabilities = Capabilities()

    def __init__(self, channel):
        self.channel = channel

    def text_length(self, text: str) -> int:
        return len(text)

    def publish(self, publication) -> PublishResult:
        raise NotImplementedError

    def delete(self, publication) -> None:
        raise NotImplementedError

    def fetch(self, publication) -> dict[str, Any]:
        raise NotImplementedError

    def find_existing(self, publication) -> PublishResult | None:
        """The post this publication already made, if the platform shows one; else None.

        For platforms without an idempotency mechanism: a retry after an unknown outcome
        asks this first, so that it does not post twice.
        """
        return None

    def verify_credentials(self) -> dict[str, Any]:
        """Check the channel's credentials against the platform ("test connection")."""
        raise NotImplementedError
