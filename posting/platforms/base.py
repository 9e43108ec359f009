import html
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests


class PlatformError(Exception):
    """The platform refused or could not be reached. `message` is fit to show the author.

    `retry_after` is the number of seconds until the platform's own reset signal (a rate-limit
    reset header, a throttling estimate), when it gave one; None when it did not.
    `duplicate` is True when the platform refused the post because the account already has one
    with the same content: after an attempt whose answer was lost, that one may be ours.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        status: int | None = None,
        response: Any = None,
        retry_after: float | None = None,
        outcome_unknown: bool = False,
        duplicate: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.response = response
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown
        self.duplicate = duplicate


def unreachable(platform: str, exc: Exception, *, method: str) -> PlatformError:
    """A request that got no answer. If it was a write and the connection was made, the
    platform may have acted on it: the outcome is unknown, and a retry must look first."""
    never_sent = isinstance(exc, requests.ConnectTimeout) or (
        isinstance(exc, requests.ConnectionError) and _refused(exc)
    )
    unknown = method.upper() in WRITES and not never_sent
    message = f"{platform} could not be reached: {exc.__class__.__name__}."
    if unknown:
        message = (
            f"{platform} did not answer ({exc.__class__.__name__}) after the post was sent; "
            "it may or may not have been made."
        )
    return PlatformError(message, outcome_unknown=unknown)


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _refused(exc: Exception) -> bool:
    """True when the connection itself failed (refused, no route, DNS): nothing was sent."""
    text = repr(exc)
    return any(
        marker in text
        for marker in ("NewConnectionError", "Connection refused", "Name or service not known")
    )


@dataclass
class PublishResult:
    remote_id: str
    remote_url: str
    raw_response: dict[str, Any] = field(default_factory=dict)
    # Seconds the channel should rest before its next post, when the platform's answer says its
    # budget of calls is nearly spent (Facebook's usage headers); None: no need.
    slow_down: float | None = None


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
    # The largest image the platform takes, in bytes, and the media types it takes
    # (posting.media_models checks both in the draft form, per channel).
    max_image_bytes: int = 0
    image_types: frozenset[str] = frozenset()
    # Animated GIFs, where the platform holds them to rules of their own (X: "up to 4 photos,
    # 1 animated GIF or 1 video" on a post, a GIF up to 15 MB): the largest GIF in bytes (0:
    # as any image), and whether a GIF must be the only image on its post.
    max_gif_bytes: int = 0
    gif_alone: bool = False
    counts_text_by: str = "characters"
    # True when sending the same publication twice cannot make two posts (an idempotency
    # key, a record key chosen before sending). Otherwise a retry after a lost answer first
    # looks for the post, and parks the publication for a person if it cannot tell.
    safe_to_resend: bool = True
    # How long the platform remembers an idempotency key (Mastodon: about an hour). A resend
    # after an unknown outcome later than that looks for the post first. None: for ever, or
    # no key at all (see safe_to_resend).
    idempotency_window: timedelta | None = None
    # The channel's default pace, shared by every worker; None: no limit of our own.
    posts_per_minute: int | None = None
    # True when a post can go out as a reply under an earlier post of the same account, so a
    # correction is threaded under the update it corrects (702.4.1). Otherwise the correction
    # is a post of its own that begins "Correction:".
    can_reply: bool = False


@dataclass
class RemotePost:
    """A post as the platform lists it on the city's account (702.5: read back to find posts
    that did not come through CitySocial). `text` is as the platform gives it back."""

    remote_id: str
    text: str
    created_at: datetime | None = None
    url: str = ""
    is_reply: bool = False
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteRef:
    """A post on the platform known only by its id and link: one that did not come through
    CitySocial (702.5), found by reading the account back or from a link an employee pasted.
    The adapters' `fetch` and `delete` read only `remote_id` and `remote_url` of what they are
    given, so a RemoteRef stands where a Publication would."""

    remote_id: str
    remote_url: str = ""


@dataclass
class Engagement:
    """The platform's own counts for one published post (702.6: the effectiveness of the
    content). None where the platform does not give that count to the account."""

    views: int | None = None  # impressions or views
    likes: int | None = None  # likes, favourites, reactions
    shares: int | None = None  # shares, boosts, reposts, retweets
    replies: int | None = None  # replies and comments
    raw: dict[str, Any] = field(default_factory=dict)


def count_of(value: Any) -> int | None:
    """A platform's counter as a count: None when it is missing or not a whole number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def total_of(*values: int | None) -> int | None:
    """The sum of the counts given; None when the platform gave none of them."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


@dataclass
class ReplyPolicy:
    """What the platform says about who may post or reply on the city's account (702.5.1).

    `prevented` is True when the platform confirms the public cannot post or reply, False when
    it confirms they can, None when the platform does not say. `detail` is in plain words.
    """

    prevented: bool | None
    detail: str
    raw: dict[str, Any] = field(default_factory=dict)


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

    def images_for(self, publication) -> list[Image]:
        """The post's images, in order, with their original bytes and alternative text."""
        return [image.as_adapter_image() for image in publication.post.images.in_order()]

    def publish(self, publication, *, reply_to=None) -> PublishResult:
        """Make the post, with the post's images (`images_for`). `reply_to` is the published Publication on this channel that the
        post answers (a correction answers the update it corrects); an adapter that cannot
        reply (`capabilities.can_reply` False) posts on its own and ignores it."""
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

    def recorded_elsewhere(self, publication, remote_ids) -> set[str]:
        """Which of `remote_ids` other deliveries on this channel already recorded as theirs.

        `find_existing` matches a lost post by its text; a repeated notice has the same text as
        an earlier one, which must not be taken for the lost post (else it would be recorded as
        published without ever going out).
        """
        from ..models import Publication

        wanted = [str(remote_id) for remote_id in remote_ids if remote_id]
        if not wanted:
            return set()
        return set(
            Publication.objects.filter(channel_id=self.channel.pk, remote_id__in=wanted)
            .exclude(pk=publication.pk)
            .values_list("remote_id", flat=True)
        )

    def verify_credentials(self) -> dict[str, Any]:
        """Check the channel's credentials against the platform ("test connection")."""
        raise NotImplementedError

    def same_text(self, approved: str, shown: str) -> bool:
        """Whether the text the platform shows is the text that was approved (702.5: a post
        edited on the platform after approval no longer is). Compared as the platform gives
        text back: Unicode NFC, HTML entities undone, line ends and runs of space as one."""
        return _plain(approved) == _plain(shown)

    def remote_id_from_url(self, url: str) -> str:
        """The platform's id of the post at `url` (a link an employee pasted), or ""."""
        return ""

    def fetch_remote(self, remote_id: str) -> dict[str, Any]:
        """The platform's copy of a post known only by its id (702.5, 702.7)."""
        return self.fetch(RemoteRef(remote_id))

    def delete_remote(self, remote_id: str) -> None:
        """Delete a post known only by its id: one that did not come through CitySocial."""
        self.delete(RemoteRef(remote_id))

    def recent_posts(self, *, limit: int = 50) -> list[RemotePost]:
        """The account's most recent posts, newest first, replies included (702.5: posts that
        did not come through CitySocial are found by reading these back)."""
        raise NotImplementedError

    def engagement(self, publication) -> Engagement:
        """The platform's own counts for a published post (702.6)."""
        raise NotImplementedError

    def reply_policy(self) -> ReplyPolicy:
        """What the platform says about public posting on the account (702.5.1)."""
        raise NotImplementedError


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", html.unescape(text or ""))
    return " ".join(text.split())
