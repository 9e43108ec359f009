"""Emergency stop (702.4.1): the Mayor's office or a designee suspends all scheduled and queued
content, on every channel or one, with a reason; resumes it later; recorded and archived (702.7)."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from posting.models import EmergencyStop, PostState, Publication
from posting.publishing import claim
from posting.tasks import release_due_posts
from retention.archive import verify_chain
from retention.models import ArchiveRecord
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db

REASON = "A tragedy in the city this morning: all scheduled posts wait for the Mayor."
NOT_ALLOWED = ["staff", "poster", "supervisor", "clerk", "it", "outsider"]


def stop_everything(city, by=None, reason=REASON):
    return EmergencyStop.start(by=by or city.mayor, reason=reason)


# --- Who may stop and resume -------------------------------------------------------


def test_the_mayors_office_stops_every_channel_with_a_reason(city):
    stop = stop_everything(city)
    assert stop.is_active
    assert stop.channel is None
    assert stop.started_by == city.mayor
    assert stop.reason == REASON
    assert EmergencyStop.objects.halted_channel_ids() is None
    assert EmergencyStop.objects.halting(city.website)
    assert EmergencyStop.objects.halting(city.mastodon)


def test_the_mayors_designee_stops_and_resumes(city):
    stop = EmergencyStop.start(
        by=city.designee, reason="Account compromised.", channel=city.mastodon
    )
    assert EmergencyStop.objects.halted_channel_ids() == {city.mastodon.pk}
    stop.resume(by=city.designee, note="Password changed, sessions revoked.")
    assert not stop.is_active
    assert stop.ended_by == city.designee
    assert EmergencyStop.objects.halted_channel_ids() == set()


@pytest.mark.parametrize("username", NOT_ALLOWED)
def test_no_one_else_may_stop_publishing(city, username):
    with pytest.raises(PermissionDenied, match="702.4.1: only the Mayor's office or the Mayor's"):
        EmergencyStop.start(by=city.people[username], reason=REASON)
    with pytest.raises(PermissionDenied):
        EmergencyStop.start(by=city.people[username], reason=REASON, channel=city.website)
    assert not EmergencyStop.objects.exists()


@pytest.mark.parametrize("username", NOT_ALLOWED)
def test_no_one_else_may_resume_publishing(city, username):
    stop = stop_everything(city)
    with pytest.raises(PermissionDenied, match="702.4.1"):
        stop.resume(by=city.people[username])
    stop.refresh_from_db()
    assert stop.is_active


def test_a_designee_stops_only_the_channels_of_the_designation(city):
    city.designation.channels.set([city.website])
    with pytest.raises(PermissionDenied, match="outside the scope of your designation"):
        EmergencyStop.start(by=city.designee, reason=REASON)
    with pytest.raises(PermissionDenied, match="outside the scope of your designation"):
        EmergencyStop.start(by=city.designee, reason=REASON, channel=city.mastodon)
    EmergencyStop.start(by=city.designee, reason=REASON, channel=city.website)
    assert EmergencyStop.scopes_for(city.designee) == [city.website]


def test_a_designee_may_not_lift_a_stop_outside_the_designation(city):
    city.designation.channels.set([city.website])
    stop = stop_everything(city)
    with pytest.raises(PermissionDenied, match="outside the scope of your designation"):
        stop.resume(by=city.designee)


def test_a_revoked_designee_may_no_longer_stop_publishing(city):
    city.designation.revoke(by=city.mayor, reason="Returned to Public Works.")
    with pytest.raises(PermissionDenied, match="702.4.1"):
        EmergencyStop.start(by=city.designee, reason=REASON)


# --- What a stop needs -------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_stop_needs_a_reason(city, reason):
    with pytest.raises(ValidationError, match="Say why publishing is stopped"):
        EmergencyStop.start(by=city.mayor, reason=reason)
    assert not EmergencyStop.objects.exists()
    assert not ArchiveRecord.objects.exists()


def test_a_second_stop_on_the_same_channels_is_refused(city):
    stop_everything(city)
    with pytest.raises(ValidationError, match="already stopped on every channel"):
        stop_everything(city, by=city.designee)
    EmergencyStop.start(by=city.mayor, reason="Account compromised.", channel=city.mastodon)
    with pytest.raises(ValidationError, match="already stopped on Sandbox"):
        EmergencyStop.start(by=city.mayor, reason="Again.", channel=city.mastodon)
    assert EmergencyStop.objects.active().count() == 2


def test_a_stop_is_resumed_once(city):
    stop = stop_everything(city)
    stop.resume(by=city.mayor)
    with pytest.raises(ValidationError, match="already lifted"):
        EmergencyStop.objects.get(pk=stop.pk).resume(by=city.designee)
    assert ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.EMERGENCY_RESUME).count() == 1


def test_lifting_the_global_stop_leaves_a_channel_stop_in_force(city):
    everything = stop_everything(city)
    mastodon = EmergencyStop.start(by=city.mayor, reason="Compromised.", channel=city.mastodon)
    everything.resume(by=city.mayor)
    assert EmergencyStop.objects.halted_channel_ids() == {city.mastodon.pk}
    mastodon.resume(by=city.mayor)
    assert EmergencyStop.objects.halted_channel_ids() == set()


# --- Recorded and archived (702.7) ---------------------------------------------------


def test_stopping_and_resuming_are_archived_and_kept_in_history(city):
    stop = EmergencyStop.start(by=city.mayor, reason=REASON, channel=city.mastodon)
    stop.resume(by=city.designee, note="The family was told; posts may resume.")
    started = ArchiveRecord.objects.get(kind=ArchiveRecord.Kind.EMERGENCY_STOP)
    resumed = ArchiveRecord.objects.get(kind=ArchiveRecord.Kind.EMERGENCY_RESUME)
    assert started.channel == resumed.channel == city.mastodon
    assert started.payload["emergency_stop"]["reason"] == REASON
    assert started.payload["emergency_stop"]["started_by"]["username"] == "mayor"
    assert started.payload["emergency_stop"]["ended_at"] is None
    assert resumed.payload["emergency_stop"]["ended_by"]["username"] == "designee"
    assert resumed.payload["emergency_stop"]["resume_note"] == (
        "The family was told; posts may resume."
    )
    assert verify_chain().intact
    assert [h.history_type for h in stop.history.order_by("history_date")] == ["+", "~"]


def test_a_global_stop_is_archived_as_every_channel(city):
    stop_everything(city)
    record = ArchiveRecord.objects.get(kind=ArchiveRecord.Kind.EMERGENCY_STOP)
    assert record.channel is None
    assert record.payload["emergency_stop"]["scope"] == "every channel"


# --- What a stop holds back ----------------------------------------------------------


def test_a_post_approved_during_a_global_stop_waits_queued(city):
    stop_everything(city)
    post = city.submitted()
    city.approve(post)
    assert post.publications.count() == 2
    assert set(post.publications.values_list("status", flat=True)) == {"queued"}
    assert all(EmergencyStop.objects.pausing(p) for p in post.publications.all())


def test_a_scheduled_post_is_not_released_during_a_global_stop(
    city, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=1)
    post = city.submitted(scheduled_for=at)
    city.approve(post)
    stop = stop_everything(city)
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        assert release_due_posts() == 0
        post.refresh_from_db()
        assert post.state == PostState.APPROVED
        with django_capture_on_commit_callbacks(execute=True):
            stop.resume(by=city.mayor)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING  # released by the resume, once
    assert post.publications.count() == 2


def test_a_scheduled_post_is_released_during_a_channel_stop_and_waits_on_that_channel(city):
    at = timezone.now() + timedelta(hours=1)
    post = city.submitted(scheduled_for=at)
    city.approve(post)
    EmergencyStop.start(by=city.mayor, reason="Compromised.", channel=city.mastodon)
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        assert release_due_posts() == 1
    mastodon = post.publications.get(channel=city.mastodon)
    website = post.publications.get(channel=city.website)
    assert EmergencyStop.objects.pausing(mastodon)
    assert not EmergencyStop.objects.pausing(website)


def test_the_sweepers_leave_halted_channels_alone(city):
    EmergencyStop.start(by=city.mayor, reason="Compromised.", channel=city.mastodon)
    post = city.submitted()
    city.approve(post)
    waiting = Publication.objects.filter(status="queued")
    assert set(waiting.not_halted().values_list("channel", flat=True)) == {city.website.pk}
    stop_everything(city)
    assert not waiting.not_halted().exists()


def test_the_delivery_table_says_paused_by_emergency_stop(client, city):
    EmergencyStop.start(by=city.mayor, reason="Compromised.", channel=city.mastodon)
    post = city.submitted()
    city.approve(post)
    assert EmergencyStop.objects.pausing(post.publications.get(channel=city.mastodon))
    assert not EmergencyStop.objects.pausing(post.publications.get(channel=city.website))
    city.sign_in_client(client, "poster")
    page = client.get(post.get_absolute_url()).content.decode()
    mastodon = page[page.index('data-channel="sandbox-mastodon"') :].split("</tr>")[0]
    website = page[page.index('data-channel="city-website"') :].split("</tr>")[0]
    assert "Paused by emergency stop" in mastodon
    assert "Paused by emergency stop" not in website


# --- The pages ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["staff", "poster", "supervisor", "clerk", "it"])
def test_the_stop_page_and_its_actions_refuse_everyone_else(client, city, username):
    stop = stop_everything(city)
    city.sign_in_client(client, username)
    assert client.get(reverse("posting:emergency")).status_code == 403
    start = client.post(
        reverse("posting:emergency_start"),
        {"scope": "all", "reason": "Not mine to decide.", "confirm": "on"},
    )
    assert start.status_code == 403
    resume = client.post(
        reverse("posting:emergency_resume", args=[stop.pk]), {f"resume-{stop.pk}-confirm": "on"}
    )
    assert resume.status_code == 403
    assert "702.4.1" in resume.content.decode()
    stop.refresh_from_db()
    assert stop.is_active
    assert EmergencyStop.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(client, city):
    response = client.get(reverse("posting:emergency"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_mayor_stops_every_channel_from_the_page_in_one_action(client, city):
    city.sign_in_client(client, "mayor")
    response = client.post(
        reverse("posting:emergency_start"),
        {"scope": "all", "reason": REASON, "confirm": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "Publishing is stopped on every channel." in page
    stop = EmergencyStop.objects.active().get()
    assert stop.channel is None and stop.reason == REASON
    assert f'action="{reverse("posting:emergency_resume", args=[stop.pk])}"' in page


def test_the_designee_stops_one_channel_from_the_page(client, city):
    city.sign_in_client(client, "designee")
    client.post(
        reverse("posting:emergency_start"),
        {"scope": str(city.mastodon.pk), "reason": "Account compromised.", "confirm": "on"},
    )
    assert EmergencyStop.objects.active().get().channel == city.mastodon


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "all", "reason": " ", "confirm": "on"}, "Say why publishing is stopped"),
        ({"scope": "all", "reason": REASON}, "Confirm that you mean to stop publishing."),
        ({"reason": REASON, "confirm": "on"}, "Choose every channel or one channel."),
        ({"scope": "999", "reason": REASON, "confirm": "on"}, "Select a valid choice"),
    ],
)
def test_a_stop_without_its_parts_is_refused_with_a_clear_message(client, city, data, message):
    city.sign_in_client(client, "mayor")
    response = client.post(reverse("posting:emergency_start"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Publishing was not stopped" in response.content.decode()
    assert not EmergencyStop.objects.exists()


def test_a_second_stop_from_the_page_names_the_first(client, city):
    stop_everything(city)
    city.sign_in_client(client, "designee")
    response = client.post(
        reverse("posting:emergency_start"), {"scope": "all", "reason": "Me too.", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "Publishing is already stopped on every channel" in response.content.decode()
    assert EmergencyStop.objects.count() == 1


def test_the_mayor_resumes_with_a_note_after_confirming(client, city):
    stop = stop_everything(city)
    city.sign_in_client(client, "mayor")
    url = reverse("posting:emergency_resume", args=[stop.pk])
    prefix = f"resume-{stop.pk}"
    unconfirmed = client.post(url, {f"{prefix}-note": "All clear."})
    assert unconfirmed.status_code == 400
    assert "Confirm that you mean to resume publishing." in unconfirmed.content.decode()
    stop.refresh_from_db()
    assert stop.is_active
    response = client.post(url, {f"{prefix}-note": "All clear.", f"{prefix}-confirm": "on"})
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.ended_by == city.mayor and stop.resume_note == "All clear."
    again = client.post(url, {f"{prefix}-confirm": "on"}, follow=True)
    assert "was already lifted" in again.content.decode()


def test_the_page_lists_the_stops_in_force_and_every_stop_so_far(client, city):
    old = EmergencyStop.start(by=city.mayor, reason="Storm damage", channel=city.website)
    old.resume(by=city.designee, note="Website checked.")
    stop_everything(city)
    city.sign_in_client(client, "designee")
    page = client.get(reverse("posting:emergency")).content.decode()
    assert "Publishing is stopped on every channel" in page
    assert page.count("<tr data-stop=") == 2
    assert "Storm damage" in page and "Website checked." in page and "Still in force" in page


def test_the_stop_page_costs_the_same_queries_however_many_stops(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city.sign_in_client(client, "mayor")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("posting:emergency")).status_code == 200
        return len(context.captured_queries)

    EmergencyStop.start(by=city.mayor, reason="One", channel=city.website).resume(by=city.mayor)
    few = queries()
    for number in range(5):
        stop = EmergencyStop.start(by=city.mayor, reason=f"Stop {number}")
        stop.resume(by=city.designee, note=f"Note {number}")
    assert queries() == few


def test_what_was_typed_is_escaped(client, city):
    stop_everything(city, reason="<script>alert('stop')</script>")
    city.sign_in_client(client, "mayor")
    for url in (reverse("posting:emergency"), reverse("dashboard")):
        page = client.get(url).content.decode()
        assert "<script>alert('stop')</script>" not in page
        assert "&lt;script&gt;alert(&#x27;stop&#x27;)&lt;/script&gt;" in page


# --- The banner on every page --------------------------------------------------------


def banner(response) -> str:
    page = response.content.decode()
    start = page.find('id="emergency-stop-alert"')
    return "" if start < 0 else page[start : page.find("</section>", start)]


def test_every_staff_page_says_so_while_a_stop_is_on_and_not_after(client, city):
    post = city.submitted()
    stop = stop_everything(city)
    city.sign_in_client(client, "poster")
    for url in (reverse("dashboard"), post.get_absolute_url(), reverse("posting:mine")):
        alert = banner(client.get(url))
        assert "Emergency stop: scheduled and queued posts are held" in alert
        assert "Publishing on <strong>every channel</strong> is stopped since" in alert
        assert "by Morgan Reyes" in alert
        assert REASON in alert
        assert reverse("posting:emergency") not in alert  # the poster may not lift it
    stop.resume(by=city.mayor)
    for url in (reverse("dashboard"), post.get_absolute_url()):
        assert banner(client.get(url)) == ""


def test_the_banner_links_the_stop_page_for_those_who_may_lift_it(client, city):
    stop_everything(city)
    city.sign_in_client(client, "designee")
    alert = banner(client.get(reverse("dashboard")))
    assert f'href="{reverse("posting:emergency")}"' in alert


def test_residents_on_the_public_pages_see_no_internal_reason(client, city):
    news = city.published(title="Library hours")
    stop_everything(city)
    for url in (reverse("news:index"), reverse("news:item", args=[news.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert banner(response) == ""
        assert REASON not in response.content.decode()


def test_the_navigation_offers_the_stop_page_only_to_those_who_may_use_it(client, city):
    link = f'href="{reverse("posting:emergency")}"'
    for username, shown in [("mayor", True), ("designee", True), ("supervisor", False)]:
        city.sign_in_client(client, username)
        assert (link in client.get(reverse("dashboard")).content.decode()) is shown


# --- In a real worker: nothing goes out, then everything once ------------------------


def broker_is_drained() -> bool:
    queue = settings.BROKER_DIR / "queue"
    return not any(queue.iterdir()) if queue.exists() else True


def nothing_more_happens():
    """Let the worker take every message it was sent, and a moment to act on it."""
    wait_for(broker_is_drained, message="the worker to take its messages")
    time.sleep(2)


def statuses(post):
    return dict(post.publications.values_list("channel__slug", "status"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_global_stop_holds_every_post_and_after_resume_each_goes_out_once(
    city, fake_mastodon, celery_worker_process
):
    stop = stop_everything(city)
    approved = city.submitted(title="Pool", body="The city pool opens Saturday at 10 AM.")
    city.approve(approved)
    due_at = timezone.now() + timedelta(seconds=2)
    scheduled = city.submitted(
        title="Road", body="Elm Street is closed Monday for paving.", scheduled_for=due_at
    )
    city.approve(scheduled)
    nothing_more_happens()
    wait_for(scheduled.is_due, message="the scheduled time to come")
    assert release_due_posts() == 0  # the beat, during the stop

    approved.refresh_from_db()
    scheduled.refresh_from_db()
    assert statuses(approved) == {"city-website": "queued", "sandbox-mastodon": "queued"}
    assert scheduled.state == PostState.APPROVED
    assert fake_mastodon.statuses == []
    assert not ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.PUBLISHED).exists()

    stop.resume(by=city.mayor, note="The family was told.")
    for post in (approved, scheduled):
        wait_for(lambda post=post: published(post), message=f"{post} to go out after the resume")
    assert sorted(s["content"] for s in fake_mastodon.statuses) == sorted(
        f"<p>{post.body}</p>" for post in (approved, scheduled)
    )
    assert ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.PUBLISHED).count() == 4


def published(post) -> bool:
    post.refresh_from_db()
    return post.state == PostState.PUBLISHED


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_channel_stop_holds_only_that_channel_while_the_website_publishes(
    city, fake_mastodon, celery_worker_process
):
    stop = EmergencyStop.start(
        by=city.designee, reason="The Mastodon account may be compromised.", channel=city.mastodon
    )
    post = city.submitted()
    city.approve(post)
    wait_for(
        lambda: statuses(post)["city-website"] == "published", message="the website to publish"
    )
    nothing_more_happens()
    assert statuses(post)["sandbox-mastodon"] == "queued"
    assert fake_mastodon.statuses == []
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING

    stop.resume(by=city.designee, note="Credentials rotated.")
    wait_for(lambda: published(post), message="Mastodon to publish after the resume")
    assert len(fake_mastodon.statuses) == 1


@pytest.mark.django_db(transaction=True)
def test_a_stop_pressed_while_a_worker_claims_a_delivery_holds_it_back(city):
    """The claim and the check of the stop are one step: a worker claiming while the stop is
    being committed waits for it, then sees it. Nothing slips out in between."""
    post = city.submitted()
    city.approve(post)
    publication = post.publications.get(channel=city.mastodon)
    pressed, committing = threading.Event(), threading.Event()
    claims = []

    def press_the_stop():
        try:
            with transaction.atomic():
                stop_everything(city)
                pressed.set()
                committing.wait(10)  # the Mayor's request is still being committed
        finally:
            connection.close()

    def a_worker_claims():
        try:
            claims.append(claim(publication.pk))
        finally:
            connection.close()

    stopper = threading.Thread(target=press_the_stop)
    stopper.start()
    assert pressed.wait(10)
    worker = threading.Thread(target=a_worker_claims)
    worker.start()
    worker.join(0.5)
    assert worker.is_alive()  # it waits for the stop's commit
    committing.set()
    stopper.join(10)
    worker.join(10)

    assert claims == [None]
    publication.refresh_from_db()
    assert publication.status == Publication.Status.QUEUED and publication.attempts == 0
