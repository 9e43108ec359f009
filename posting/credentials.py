"""Platform secrets live outside the database: a channel names one, the environment holds it."""

import os

from .platforms.base import PlatformError


def secret_for(channel) -> str:
    name = channel.credentials_ref
    value = os.environ.get(name, "") if name else ""
    if not value:
        raise PlatformError(
            f"The credentials for {channel.name} are not configured "
            f"(set the environment variable {name or 'named on the channel'}).",
            permanent=True,
        )
    return value
