"""702.4.1 accuracy: a correction links to and supersedes the update it corrects. Where the
platform can, it goes out as a reply under that update; on the city website the update is
marked corrected on the news page and in the Atom feed."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from posting.incident_models import Incident, IncidentKind
from tests.posting.test_incidents import ACCURACY, FILLS, delivered, publish, rules, template_for

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}
__all__ = ["rules"]


@pytest.fixture
def incident(rules, platforms):
    city = rules
    return Incident.open(
        by=city.mayor,
        title="Gas leak <Oak & 4th>",
        kind=IncidentKind.PUBLIC_SAFETY,
        severity="severe",
        area="Oak Street between 3rd and 5th Avenue",
        channels=[city.website] + [p.channel for p in platforms.all],
        compilers=[city.poster],
    )


def remote_id(update, platform) -> str:
    return update.post.publications.get(channel=platform.channel).remote_id


def test_a_correction_is_a_reply_where_the_platform_allows_and_marked_on_the_website(
    incident, city, platforms, client
):
    first = delivered(publish(city, incident))
    correction = delivered(
        first.correct(
            by=city.poster,
            equipment=city.kit(city.poster),
            template=template_for(),
            fills={**FILLS, "where": "near Elm Street and 4th Avenue"},
            **ACCURACY,
        )
    )
    assert {p.status for p in correction.post.publications.all()} == {"published"}

    mastodon = {s["id"]: s for s in platforms.mastodon.fake.statuses}
    reply = mastodon[remote_id(correction, platforms.mastodon)]
    assert reply["in_reply_to_id"] == remote_id(first, platforms.mastodon)

    bluesky = {p["uri"]: p for p in platforms.bluesky.fake.posts}
    original_uri = remote_id(first, platforms.bluesky)
    ref = {"uri": original_uri, "cid": bluesky[original_uri]["cid"]}
    answer = bluesky[remote_id(correction, platforms.bluesky)]["value"]
    assert answer["reply"] == {"root": ref, "parent": ref}

    x = {p["id"]: p for p in platforms.x.fake.posts}
    tweet = x[remote_id(correction, platforms.x)]
    assert tweet["referenced_tweets"] == [
        {"type": "replied_to", "id": remote_id(first, platforms.x)}
    ]
    assert tweet["reply_settings"] == "mentionedUsers"

    # A Facebook Page post cannot answer another: the correction is a post of its own.
    sent = platforms.facebook.post_requests()[-1].form
    assert sent["message"].startswith("Correction: A gas leak near Elm Street")

    # The news page and its feed mark the corrected update and link to the correction.
    page = client.get(reverse("news:index")).content.decode()
    corrected = page.split('data-corrected="true"')[1].split("</article>")[0]
    assert "Gas leak &lt;Oak &amp; 4th&gt; (update 1)" in corrected
    link = reverse("news:item", args=[correction.post_id])
    assert f'<strong>Corrected</strong>: see <a href="{link}">Correction: Gas leak &lt;Oak' in (
        corrected
    )
    assert "<Oak" not in page
    item = client.get(reverse("news:item", args=[first.post_id])).content.decode()
    assert 'data-corrected="true"' in item and link in item

    feed = ET.fromstring(client.get(reverse("news:feed")).content)
    entries = {e.findtext("a:id", namespaces=ATOM): e for e in feed.findall("a:entry", ATOM)}
    old = entries[f"{settings.SITE_URL}{reverse('news:item', args=[first.post_id])}"]
    new = entries[f"{settings.SITE_URL}{link}"]
    assert old.findtext("a:title", namespaces=ATOM) == "[Corrected] Gas leak <Oak & 4th> (update 1)"
    summary = old.findtext("a:summary", namespaces=ATOM)
    assert f'Corrected: see <a href="{settings.SITE_URL}{link}">Correction: Gas leak &lt;Oak' in (
        summary
    )
    assert old.findtext("a:updated", namespaces=ATOM) == new.findtext("a:updated", namespaces=ATOM)
    assert old.findtext("a:updated", namespaces=ATOM) != old.findtext(
        "a:published", namespaces=ATOM
    )


def test_a_correction_counts_only_once_it_went_out_somewhere(rules, client, fake_mastodon):
    from posting.models import PostState

    city = rules
    incident = Incident.open(
        by=city.mayor,
        title="Gas leak",
        kind=IncidentKind.PUBLIC_SAFETY,
        severity="severe",
        area="Oak Street",
        channels=[city.mastodon],
        compilers=[city.poster],
    )
    first = delivered(publish(city, incident))
    correction = first.correct(
        by=city.poster,
        equipment=city.kit(city.poster),
        template=template_for(),
        fills={**FILLS, "where": "near Elm Street and 4th Avenue"},
        **ACCURACY,
    )
    city.sign_in_client(client, "poster")
    live_url = reverse("posting:incident_live", args=[incident.pk])

    # On its way: shown as pending, not yet as superseding.
    live = client.get(live_url).content.decode()
    assert 'data-correction-pending="2"' in live and "data-corrected-by" not in live

    # Every channel refuses it: update 1 stands, as the public saw it, and may be corrected.
    fake_mastodon.fail_next(422, body={"error": "Validation failed: Text is too long"})
    delivered(correction)
    assert correction.post.state == PostState.FAILED
    assert type(first).objects.get(pk=first.pk).superseding() is None
    live = client.get(live_url).content.decode()
    assert "data-corrected-by" not in live and "data-correction-pending" not in live
    facts = live.split('id="current-facts"')[1].split("</dl>")[0]
    assert "near Oak Street and 4th Avenue" in facts and "Elm Street" not in facts
    assert reverse("posting:incident_correct", args=[incident.pk, first.pk]) in live
    (status,) = fake_mastodon.statuses
    assert "Correction" not in status["content"]
