"""702.5.1: a flood from one connection is turned away with a clear 429 page; others get through."""

import pytest

from contact.models import ContactMessage
from contact.protection import address_bucket
from tests.contact.conftest import NEIGHBOUR_ADDRESS, RESIDENT_ADDRESS, send

pytestmark = pytest.mark.django_db


def test_702_5_1_a_flood_from_one_address_gets_429_after_the_limit_while_another_address_gets_through(
    client, public_works, settings
):
    assert settings.CONTACT_RATE_LIMITS[0] == (5, 15 * 60)
    for n in range(5):
        assert send(client, public_works, body=f"Message {n}").status_code == 302

    flood = send(client, public_works, body="The sixth message, typed with care.")
    page = flood.content.decode()
    assert flood.status_code == 429
    assert 0 < int(flood["Retry-After"]) <= 15 * 60
    assert "Your message was not sent" in page
    assert "(360) 555-0142" in page and "Monday to Friday, 8 AM to 5 PM" in page
    assert "The sixth message, typed with care." in page  # shown back: nothing is lost
    assert ContactMessage.objects.count() == 5

    assert send(client, public_works, address=NEIGHBOUR_ADDRESS).status_code == 302
    assert ContactMessage.objects.count() == 6


def test_the_daily_limit_holds_after_the_short_window(client, public_works, settings):
    settings.CONTACT_RATE_LIMITS = [(50, 15 * 60), (3, 24 * 60 * 60)]
    for _ in range(3):
        send(client, public_works)
    refused = send(client, public_works)
    assert refused.status_code == 429 and "3 messages a day" in refused.content.decode()


def test_a_forged_forwarded_header_does_not_escape_the_limit_without_a_proxy(
    client, public_works, settings
):
    settings.CONTACT_RATE_LIMITS = [(2, 15 * 60)]
    assert settings.CLIENT_IP_HEADER == ""
    for n in range(2):
        send(client, public_works, forwarded_for=f"192.0.2.{n}")
    assert send(client, public_works, forwarded_for="192.0.2.99").status_code == 429


def test_behind_the_citys_proxy_the_configured_header_names_the_client(
    client, public_works, settings
):
    settings.CONTACT_RATE_LIMITS = [(2, 15 * 60)]
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = "10.0.0.5"
    # A client may put anything first; the proxy appends the address it saw, which counts.
    for forged in ("192.0.2.1", "192.0.2.2"):
        send(client, public_works, address=proxy, forwarded_for=f"{forged}, {RESIDENT_ADDRESS}")
    flood = send(
        client, public_works, address=proxy, forwarded_for=f"192.0.2.3, {RESIDENT_ADDRESS}"
    )
    assert flood.status_code == 429
    neighbour = send(client, public_works, address=proxy, forwarded_for=NEIGHBOUR_ADDRESS)
    assert neighbour.status_code == 302


def test_ipv6_clients_are_counted_per_64_network():
    assert address_bucket("2001:db8:1:2::10") == address_bucket("2001:db8:1:2:ffff::1")
    assert address_bucket("2001:db8:1:3::10") != address_bucket("2001:db8:1:2::10")
    assert address_bucket("::ffff:203.0.113.7") == "203.0.113.7"
    assert address_bucket("not an address") == "unknown"


def test_when_the_cache_is_down_a_message_still_gets_through(client, public_works, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert send(client, public_works).status_code == 302
    assert ContactMessage.objects.count() == 1
