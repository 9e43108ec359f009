"""The city's Ed25519 key, which signs every export's tag manifest (702.7).

A recipient checks the signature with the public key the city publishes, so that a package
is known to come from the city unaltered. RECORDS_SIGNING_KEY holds the private key (PEM, or
base64 of the raw 32 bytes); without it, outside production, a key is made once under
VAR_DIR and kept there.
"""

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LOCAL_KEY_NAME = "records-signing-key.pem"
ALGORITHM = "Ed25519"


def city_signing_key() -> Ed25519PrivateKey:
    configured = settings.RECORDS_SIGNING_KEY
    if configured:
        return parse_private_key(configured)
    return _local_key(Path(settings.VAR_DIR) / LOCAL_KEY_NAME)


def parse_private_key(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if "BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"RECORDS_SIGNING_KEY is not a readable PEM key: {error}"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("RECORDS_SIGNING_KEY must be an Ed25519 key.")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "RECORDS_SIGNING_KEY must be a PEM Ed25519 private key or base64 of its 32 raw bytes."
        )
    return Ed25519PrivateKey.from_private_bytes(raw)


def _local_key(path: Path) -> Ed25519PrivateKey:
    """Made once: web, worker and command all sign with the same key. Two processes may start
    at once, so the file is created exclusively and the loser reads the winner's key."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
            return key
    return parse_private_key(path.read_text())


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key: what the city publishes for recipients to compare."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as error:
        raise ValueError(f"the public key is not a readable PEM key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the public key is not an Ed25519 key")
    return key


def signature_holds(public_key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
