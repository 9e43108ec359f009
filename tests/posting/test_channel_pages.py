"""The city's channels page: credentials entered once and never shown again, a connection
test, who is told when delivery fails, and the channel's shared posting pace.

Only the Mayor's office manages channels; the secret is encrypted at rest and appears in no
page, no history table and no log line.
"""

import logging

from cryptography.fernet import Fernet
from django.urls import reverse

from posting.credentials import secret_for
from posting.models import Channel, ChannelHealth, ChannelSecret

SECRET = "token-7f3a9c1e-do-not-leak"


def channel_page(channel):
    return reverse("posting:channel", args=[channel.pk])


def test_credentials_are_stored_encrypted_and_never_shown_again(city, client, caplog, settings):
    settings.CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    city.sign_in_client(client, "mayor")
    with caplog.at_level(logging.DEBUG):
        response = client.post(channel_page(city.mastodon), {"secret": SECRET}, follow=True)

    assert b"Credentials saved, encrypted" in response.content
    assert SECRET.encode() not in response.content
    stored = ChannelSecret.objects.get(channel=city.mastodon)
    assert SECRET not in stored.ciphertext
    assert secret_for(city.mastodon) == SECRET
    assert SECRET not in caplog.text
    assert not any(SECRET in str(h.__dict__) for h in city.mastodon.history.all())
    assert SECRET.encode() not in client.get(channel_page(city.mastodon)).content


def test_a_blank_secret_is_refused_with_a_message_and_nothing_changes(city, client):
    city.sign_in_client(client, "mayor")
    response = client.post(channel_page(city.mastodon), {"secret": "   "})
    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert not ChannelSecret.objects.filter(channel=city.mastodon).exists()


def test_the_connection_test_reports_the_account_or_the_platforms_reason(
    city, client, fake_mastodon
):
    city.sign_in_client(client, "mayor")
    test = reverse("posting:channel_test", args=[city.mastodon.pk])
    ok = client.post(test, follow=True)
    assert b"Connected to Mastodon as" in ok.content

    client.post(channel_page(city.mastodon), {"secret": "a-revoked-token"})
    refused = client.post(test, follow=True)
    assert b"The connection failed" in refused.content


def test_only_the_mayors_office_manages_channels(city, client):
    for persona in ("staff", "poster", "supervisor", "clerk"):
        city.sign_in_client(client, persona)
        assert client.get(channel_page(city.mastodon)).status_code == 403
        assert client.post(channel_page(city.mastodon), {"secret": SECRET}).status_code == 403
    assert not ChannelSecret.objects.exists()


def test_the_owner_and_pace_are_set_on_the_page_and_kept_in_history(city, client):
    city.sign_in_client(client, "mayor")
    response = client.post(
        channel_page(city.mastodon),
        {"owner": city.supervisor2.pk, "rate_limit_per_minute": "12"},
        follow=True,
    )
    assert b"Delivery settings saved." in response.content
    channel = Channel.objects.get(pk=city.mastodon.pk)
    assert channel.owner == city.supervisor2 and channel.rate_limit_per_minute == 12
    assert channel.history.first().rate_limit_per_minute == 12


def test_a_pace_of_zero_is_refused_with_a_message(city, client):
    city.sign_in_client(client, "mayor")
    response = client.post(channel_page(city.mastodon), {"rate_limit_per_minute": "0"})
    assert response.status_code == 400
    assert b"Ensure this value is greater than or equal to 1." in response.content
    assert Channel.objects.get(pk=city.mastodon.pk).rate_limit_per_minute is None


def test_the_page_says_when_the_platform_is_being_rested(city, client):
    from django.utils import timezone

    ChannelHealth.objects.create(
        channel=city.mastodon,
        consecutive_failures=5,
        open_until=timezone.now() + timezone.timedelta(seconds=60),
        last_error="Mastodon answered 503.",
    )
    city.sign_in_client(client, "mayor")
    page = client.get(channel_page(city.mastodon)).content.decode()
    assert "Paused after 5 failures in a row" in page
    assert "Mastodon answered 503." in page


def test_each_channel_page_says_what_is_done_to_prevent_posting_by_the_public(
    city, client, platforms
):
    """702.5.1: every channel's page carries its compliance line, in the platform's own terms."""
    from django.utils.html import escape

    city.sign_in_client(client, "mayor")
    lines = {}
    for channel in [city.website, *(platform.channel for platform in platforms.all)]:
        page = client.get(channel_page(channel)).content.decode()
        assert "Public posting (702.5.1)" in page
        lines[channel.platform] = page.split('<dd id="compliance">')[1].split("</dd>")[0]
        assert lines[channel.platform] == escape(channel.adapter.capabilities.reply_restriction)
    assert "accepts no comments or posts from the public" in lines["website"]
    assert "Only accounts the post mentions can reply" in lines["x"]
    assert "cannot turn off replies" in lines["mastodon"]
    assert "Comments cannot be turned off on Facebook Pages" in lines["facebook"]
    assert "702.5.1" in lines["bluesky"]
