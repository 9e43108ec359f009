"""Platform adapters: one file per platform, each behind the same small interface."""

from .base import Adapter, PlatformError, PublishResult

__all__ = ["Adapter", "PlatformError", "PublishResult", "adapter_for"]


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
