"""Keeping the contact page open to everyone and closed to floods, without tracking anyone.

No CAPTCHA: it shuts out people who use screen readers or cannot solve puzzles, and 702.2
asks the city to protect the rights of all people. Instead:

- a honeypot field that people never see or reach (off-screen, aria-hidden, tabindex=-1) and
  that form-filling robots fill in;
- a minimum time between opening the form and sending it, measured by a signed timestamp in
  the form itself (no cookie, no server-side state);
- a few spam heuristics (many links, a link as a name, forum link markup);
- rate limits per client address, counted in the cache (Redis where configured) under a keyed
  hash of the address that expires with its window. The address itself is never stored,
  never logged, never put on the message.

A message judged spam is held for an inbox member to look at, never silently dropped.
"""

import hashlib
import hmac
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

log = logging.getLogger(__name__)

STARTED_SALT = "contact.form.started"
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
LINK_MARKUP = re.compile(r"\[url[=\]]|<a\s+href", re.IGNORECASE)


# --- When the form was opened --------------------------------------------------------------


def sign_started(at: float | None = None) -> str:
    """The moment the form was opened, signed so a robot cannot claim it waited."""
    return signing.dumps(round(at if at is not None else time.time(), 3), salt=STARTED_SALT)


def seconds_since_started(token: str, now: float | None = None) -> float | None:
    """How long ago the form was opened; None when the token is missing or altered."""
    try:
        started = float(signing.loads(token or "", salt=STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - started


# --- Spam heuristics -------------------------------------------------------------------------


def spam_reasons(*, honeypot: str, started: str, body: str, name: str) -> list[str]:
    """Why a message looks like spam, in words an inbox member reads; empty when it does not."""
    reasons = []
    if honeypot.strip():
        reasons.append("The hidden field that people never see was filled in (honeypot).")
    elapsed = seconds_since_started(started)
    minimum = settings.CONTACT_MIN_FILL_SECONDS
    if elapsed is None:
        reasons.append("The form's timestamp was missing or altered.")
    elif elapsed < minimum:
        reasons.append(
            f"Sent {max(elapsed, 0):.1f} seconds after the form was opened "
            f"(people take at least {minimum})."
        )
    links = len(LINK.findall(body))
    if links > settings.CONTACT_MAX_LINKS:
        reasons.append(f"The message has {links} links (more than {settings.CONTACT_MAX_LINKS}).")
    if LINK.search(name):
        reasons.append("The name is a link.")
    if LINK_MARKUP.search(body):
        reasons.append("The message has forum or HTML link markup.")
    return reasons


# --- Who is asking (never kept) ----------------------------------------------------------------


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind the city's proxy the header it sets
    (CLIENT_IP_HEADER), and nothing else a client could forge."""
    header = settings.CLIENT_IP_HEADER
    address = request.META.get("REMOTE_ADDR", "")
    if header:
        meta_name = "HTTP_" + header.upper().replace("-", "_")
        hops = [hop.strip() for hop in request.META.get(meta_name, "").split(",") if hop.strip()]
        count = max(settings.TRUSTED_PROXY_COUNT, 1)
        if len(hops) >= count:
            address = hops[-count]
    return address


def address_bucket(address: str) -> str:
    """One bucket per IPv4 address, per IPv6 /64 (one household or phone has a whole /64)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _keyed_hash(bucket: str) -> str:
    """A keyed hash, so that the cache never holds an address and none can be guessed back
    from it by trying every IPv4 address."""
    key = hashlib.sha256(f"contact-rate:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, bucket.encode(), hashlib.sha256).hexdigest()[:32]


# --- Rate limits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limited:
    """A limit was reached: how many in how long, and when the person may try again."""

    limit: int
    window_seconds: int
    retry_after: int

    @property
    def retry_text(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        if minutes <= 1:
            return "in a minute"
        if minutes < 120:
            return f"in {minutes} minutes"
        return f"in {math.ceil(minutes / 60)} hours"

    @property
    def window_label(self) -> str:
        minutes = self.window_seconds // 60
        if self.window_seconds % 86400 == 0:
            days = self.window_seconds // 86400
            return "day" if days == 1 else f"{days} days"
        if self.window_seconds % 3600 == 0:
            hours = self.window_seconds // 3600
            return "hour" if hours == 1 else f"{hours} hours"
        return f"{minutes} minutes"


def limits_text() -> str:
    """The limits in words, for the page: "5 messages every 15 minutes and 20 a day"."""
    parts = []
    for limit, window in settings.CONTACT_RATE_LIMITS:
        label = Limited(limit, window, 0).window_label
        every = "a" if label in {"day", "hour"} else "every"
        parts.append(f"{limit} message{'' if limit == 1 else 's'} {every} {label}")
    return " and ".join(parts)


def count_message(request, now: float | None = None) -> Limited | None:
    """Count one message from this request's address in every window; the first limit it goes
    over, if any. Counting first and checking after is one atomic step per window (INCR), so
    two requests at once cannot both slip under a limit.

    If the cache is down the message is let through: turning residents away because a cache is
    unavailable would be worse than a few extra messages, which the spam checks still hold.
    """
    now = now if now is not None else time.time()
    who = _keyed_hash(address_bucket(client_address(request)))
    over = None
    for limit, window in settings.CONTACT_RATE_LIMITS:
        slot = math.floor(now / window)
        key = f"contact-rate:{window}:{slot}:{who}"
        try:
            cache.add(key, 0, timeout=window + 60)
            count = cache.incr(key)
        except Exception:  # any cache failure: let the message through
            log.warning("contact rate limit unavailable (cache error); message accepted")
            return None
        if count > limit and over is None:
            retry_after = max(int((slot + 1) * window - now), 1)
            over = Limited(limit, window, retry_after)
    return over
