"""Platform adapters: one file per platform, each behind the same small interface."""

from typing import Any, NamedTuple

from .base import Adapter, PlatformError, PublishResult

__all__ = ["Adapter", "Answer", "PlatformError", "PublishResult", "adapter_for", "ask_published"]


def adapter_for(channel) -> Adapter:
    from .bluesky import BlueskyAdapter
    from .facebook import FacebookAdapter
    from .mastodon import MastodonAdapter
    from .website import WebsiteAdapter
    from .x import XAdapter

    adapters = {
        "website": WebsiteAdapter,
        "mastodon": MastodonAdapter,
        "bluesky": BlueskyAdapter,
        "facebook": FacebookAdapter,
        "x": XAdapter,
    }
    try:
        return adapters[channel.platform](channel)
    except KeyError:
        raise PlatformError(
            f"No adapter for platform {channel.platform!r}.", permanent=True
        ) from None


class Answer(NamedTuple):
    publication: Any
    value: Any = None
    error: str = ""


def ask_published(publication_id: int, question, *, cannot: str) -> Answer | None:
    """Ask the platform about one post that is out (its counts, what it shows now):
    `question(adapter, publication)`. None when the publication is gone or not published;
    otherwise the answer, or what went wrong in words (`cannot`, where the platform has no
    way to answer)."""
    from posting.models import Publication

    publication = (
        Publication.objects.select_related("channel", "post").filter(pk=publication_id).first()
    )
    if publication is None or publication.status != Publication.Status.PUBLISHED:
        return None
    try:
        return Answer(publication, question(publication.channel.adapter, publication))
    except PlatformError as exc:
        return Answer(publication, error=exc.message)
    except NotImplementedError:
        return Answer(publication, error=f"{publication.channel.platform_label} {cannot}.")
