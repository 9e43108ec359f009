"""When a platform's answer is lost, the post is found, not posted twice, and never wrongly
recorded (702.2).

Mastodon's Idempotency-Key lasts about an hour; later, the retry looks for the post first.
A look-up never takes a post another delivery already recorded (a repeated notice has the
same text) and sees replies too (a correction is a reply). A platform's "duplicate" refusal
after a lost answer means the post is probably there: a person looks, nothing is failed.
The publishing code runs for real against the fake platforms on 127.0.0.1.
"""

from datetime import timedelta

import pytest
import requests
import time_machine
from django.core import mail
from django.utils import timezone

from posting.models import PostState, Publication
from posting.publishing import claim, deliver, mark_sent
from posting.tasks import STALLED_AFTER, sweep_stalled_publications
from tests.posting.conftest import FACEBOOK_TOKEN, GRAPH_VERSION, X_TOKEN
from tests.posting.test_incident_corrections import incident
from tests.posting.test_incidents import ACCURACY, FILLS, delivered, publish, rules, template_for

pytestmark = pytest.mark.django_db
__all__ = ["incident", "rules"]

NOTICE = "The boil-water notice for the east side is lifted. Tap water is safe to drink."


def approved(city, channels, body=NOTICE):
    post = city.submitted(channels=channels, body=body)
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    return post


def deliver_at(moment, publication: Publication) -> Publication:
    with time_machine.travel(moment, tick=False):
        deliver(publication.pk)
    publication.refresh_from_db()
    return publication


def due(publication: Publication):
    return publication.next_attempt_at + timedelta(seconds=1)


def posted_elsewhere(platform, count: int) -> None:
    """The account keeps posting meanwhile, from the platform's own app."""
    for n in range(count):
        text = f"Council meeting agenda item {n} is online."
        if platform.name == "x":
            answer = requests.post(
                f"{platform.fake.base_url}/2/tweets",
                json={"text": text},
                headers={"Authorization": f"Bearer {X_TOKEN}"},
                timeout=5,
            )
        else:
            answer = requests.post(
                f"{platform.fake.base_url}/{GRAPH_VERSION}/{platform.fake.page_id}/feed",
                data={"message": text},
                headers={"Authorization": f"Bearer {FACEBOOK_TOKEN}"},
                timeout=5,
            )
        answer.raise_for_status()


def with_text(platform, text=NOTICE) -> list:
    key = "text" if platform.name == "x" else "message"
    return [post for post in platform.fake.posts if post[key] == text]


# --- Mastodon's key lasts about an hour -----------------------------------------------------


@pytest.fixture
def forgetful_mastodon(fake_mastodon, monkeypatch):
    """Mastodon forgets each Idempotency-Key at once, as it does after about an hour."""
    monkeypatch.setattr(fake_mastodon, "idempotency_ttl", 0)
    return fake_mastodon


def test_a_mastodon_retry_after_its_key_expired_finds_the_post_instead_of_posting_again(
    city, forgetful_mastodon
):
    forgetful_mastodon.drop_next()  # the status is made; the answer is lost
    post = approved(city, [city.mastodon])
    lost = deliver_at(timezone.now(), post.publications.get())
    assert lost.status == Publication.Status.RETRYING and lost.outcome_unknown
    [made] = forgetful_mastodon.statuses

    found = deliver_at(lost.first_sent_at + timedelta(hours=2), lost)

    assert found.status == Publication.Status.PUBLISHED
    assert found.remote_id == str(made["id"])
    assert len(forgetful_mastodon.statuses) == 1
    creates = [r for r in forgetful_mastodon.requests if r.method == "POST"]
    assert len(creates) == 1  # looked, found, never sent again


def test_a_mastodon_retry_after_its_key_expired_waits_for_a_person_if_it_cannot_look(
    city, forgetful_mastodon, django_capture_on_commit_callbacks
):
    forgetful_mastodon.drop_next()
    post = approved(city, [city.mastodon])
    lost = deliver_at(timezone.now(), post.publications.get())
    forgetful_mastodon.fail_next(503, count=3, method="GET", path="/api/v1/accounts/:id/statuses")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        parked = deliver_at(lost.first_sent_at + timedelta(hours=2), lost)

    assert parked.status == Publication.Status.NEEDS_HUMAN
    assert "could not be read to check (it answered 503)" in parked.last_error
    assert len(forgetful_mastodon.statuses) == 1
    assert "will not send it again by itself" in mail.outbox[0].body


def test_within_the_hour_mastodon_is_trusted_to_give_back_the_status_made_with_the_key(
    city, fake_mastodon
):
    fake_mastodon.drop_next()
    post = approved(city, [city.mastodon])
    lost = deliver_at(timezone.now(), post.publications.get())
    published = deliver_at(due(lost), lost)
    assert published.status == Publication.Status.PUBLISHED
    assert len(fake_mastodon.statuses) == 1
    reads = [r for r in fake_mastodon.requests if r.method == "GET"]
    assert reads == []  # no need to look: the key still holds


# --- A repeated notice ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["facebook", "x"])
def test_a_repeated_notice_is_never_taken_for_the_post_another_delivery_recorded(
    city, platforms, name, django_capture_on_commit_callbacks
):
    platform = getattr(platforms, name)
    first = approved(city, [platform.channel])
    earlier = deliver_at(timezone.now(), first.publications.get())
    assert earlier.status == Publication.Status.PUBLISHED

    again = approved(city, [platform.channel])  # the same notice, a week later say
    repeat = again.publications.get()
    mark_sent(claim(repeat.pk))  # a worker began to send it and died: did it get there?
    later = timezone.now() + STALLED_AFTER + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert sweep_stalled_publications() == 1
    with django_capture_on_commit_callbacks(execute=True):
        repeat = deliver_at(later, repeat)

    # The only post with that text is the first notice's: it is not the repeat's. The
    # platform refuses the same text twice, so a person decides what to do.
    assert repeat.remote_id == "" and repeat.status != Publication.Status.PUBLISHED
    assert repeat.status == Publication.Status.NEEDS_HUMAN
    assert "duplicate" in repeat.last_error
    assert [p["id"] for p in with_text(platform)] == [earlier.remote_id]


# --- Replies, and the platform's "duplicate" -------------------------------------------------


def test_a_correction_whose_answer_was_lost_on_x_is_found_among_the_replies(
    incident, city, platforms, django_capture_on_commit_callbacks
):
    first = delivered(publish(city, incident))
    correction = first.correct(
        by=city.poster,
        equipment=city.kit(city.poster),
        template=template_for(),
        fills={**FILLS, "where": "near Elm Street and 4th Avenue"},
        **ACCURACY,
    )
    x = platforms.x
    x.fake.drop_next()  # X makes the reply; the answer is lost
    lost = deliver_at(timezone.now(), correction.post.publications.get(channel=x.channel))
    assert lost.status == Publication.Status.RETRYING and lost.outcome_unknown
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        found = deliver_at(due(lost), lost)

    assert found.status == Publication.Status.PUBLISHED
    reply = {p["id"]: p for p in x.fake.posts}[found.remote_id]
    original = first.post.publications.get(channel=x.channel).remote_id
    assert reply["referenced_tweets"] == [{"type": "replied_to", "id": original}]
    assert len(x.post_requests()) == 2  # the update and its correction, each once
    assert mail.outbox == []  # no "not published" for a post that is live


@pytest.mark.parametrize("name", ["facebook", "x"])
def test_a_duplicate_refusal_after_a_lost_answer_puts_it_before_a_person_and_fails_nothing(
    city, platforms, name, django_capture_on_commit_callbacks
):
    platform = getattr(platforms, name)
    platform.fake.drop_next()  # the post is made; the answer is lost
    post = approved(city, [platform.channel])
    lost = deliver_at(timezone.now(), post.publications.get())
    assert lost.status == Publication.Status.RETRYING and lost.outcome_unknown
    # A busy account: so many posts since that the lost one is past the recent posts read.
    posted_elsewhere(platform, 30)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        parked = deliver_at(due(lost), lost)

    assert parked.status == Publication.Status.NEEDS_HUMAN  # not FAILED
    assert "refused the post as a duplicate of one it already has" in parked.last_error
    assert len(with_text(platform)) == 1
    (message,) = mail.outbox
    assert message.subject.startswith("Please check")
    assert "could not be published" not in message.body
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
