"""Platform credentials: entered once, encrypted at rest, never shown again (issue: publishing).

A channel's secret is the encrypted ChannelSecret when one was entered, otherwise the
environment variable the channel names (`credentials_ref`), e.g. for the local sandbox.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction

from .platforms.base import PlatformError


def _cipher() -> MultiFernet:
    keys = list(settings.CREDENTIALS_KEYS)
    if not keys:
        # Local only (production refuses to start without CREDENTIALS_KEYS).
        digest = hashlib.sha256(f"citysocial-credentials:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def store_secret(channel, value: str, *, by) -> None:
    from .models import ChannelSecret

    if not value.strip():
        raise ValueError("empty secret")
    ciphertext = _cipher().encrypt(value.strip().encode()).decode()
    with transaction.atomic():
        ChannelSecret.objects.update_or_create(
            channel=channel, defaults={"ciphertext": ciphertext, "set_by": by}
        )


def has_secret(channel) -> bool:
    from .models import ChannelSecret

    return ChannelSecret.objects.filter(channel=channel).exists() or bool(
        channel.credentials_ref and os.environ.get(channel.credentials_ref)
    )


def secret_for(channel) -> str:
    from .models import ChannelSecret

    stored = ChannelSecret.objects.filter(channel=channel).first()
    if stored is not None:
        try:
            return _cipher().decrypt(stored.ciphertext.encode()).decode()
        except InvalidToken:
            raise PlatformError(
                f"The credentials for {channel.name} cannot be read with the current key "
                "(CREDENTIALS_KEYS); enter them again.",
                permanent=True,
            ) from None
    name = channel.credentials_ref
    value = os.environ.get(name, "") if name else ""
    if not value:
        where = f" (or set the environment variable {name})" if name else ""
        raise PlatformError(
            f"The credentials for {channel.name} are not configured: enter them on the "
            f"channel's page{where}.",
            permanent=True,
        )
    return value
