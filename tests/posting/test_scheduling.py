"""Scheduled posts go out at the city's time, DST and all, and may be moved or cancelled until then.

The city's clock is America/Los_Angeles: in 2027 the clocks spring forward at 2:00 AM on
Sunday, March 14 (2:30 AM never happens) and fall back at 2:00 AM on Sunday, November 7
(1:30 AM happens twice).
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from posting.models import IllegalTransition, Post, PostState
from posting.publishing import check_still_allowed
from posting.scheduling import instant_of, short_label, wall_parts
from posting.tasks import release_due_posts
from posting.timeline import timeline_for

pytestmark = pytest.mark.django_db

CITY = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def city_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"


def city_clock(year, month, day, hour, minute=0, fold=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CITY, fold=fold)


# The city is loaded after the clock is set, so that everyone's authorization is current then.
@pytest.fixture
def before_spring_forward(time_machine):
    time_machine.move_to(city_clock(2027, 3, 13, 12), tick=False)


@pytest.fixture
def before_fall_back(time_machine):
    time_machine.move_to(city_clock(2027, 10, 25, 12), tick=False)


def days_ahead(days: int, hour: int = 10) -> datetime:
    """`hour` o'clock city time, `days` from today."""
    today = timezone.localdate()
    return instant_of(datetime.combine(today + timedelta(days=days), time(hour)))


def form_data(city, **overrides):
    data = {
        "title": "Leaf collection starts Monday",
        "category": "announcement",
        "channels": [city.website.pk],
        "body": "Curbside leaf collection starts Monday. Rake leaves to the curb.",
        "scheduled_for": "",
    }
    data.update(overrides)
    return data


def approved_for(city, when, **kwargs) -> Post:
    # In UTC, as the form and the database give it: the content digest spells the time out.
    post = city.submitted(scheduled_for=when.astimezone(UTC), **kwargs)
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    return post


# --- Entering a time on the city's clock --------------------------------------------


def test_a_time_the_clocks_skip_is_refused_naming_the_gap(before_spring_forward, city, client):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, scheduled_for="2027-03-14T02:30")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "2:30 AM on Sunday, March 14, 2027 does not exist in city time" in page
    assert "the clocks spring forward from 2:00 AM PST to 3:00 AM PDT" in page
    assert not Post.objects.exists()


def test_a_time_the_clocks_show_twice_is_refused_offering_both(before_fall_back, city, client):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, scheduled_for="2027-11-07T01:30")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "1:30 AM on Sunday, November 7, 2027 happens twice in city time" in page
    assert 'name="scheduled_for_fold"' in page
    assert '<option value="first">1:30 AM PDT (the first, before the clocks go back)' in page
    assert '<option value="second">1:30 AM PST (the second, an hour later)' in page
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("fold", "instant", "zone"),
    [
        ("first", datetime(2027, 11, 7, 8, 30, tzinfo=UTC), "PDT"),
        ("second", datetime(2027, 11, 7, 9, 30, tzinfo=UTC), "PST"),
    ],
)
def test_the_chosen_one_of_the_two_is_stored_as_its_own_instant(
    before_fall_back, city, client, fold, instant, zone
):
    city.sign_in_client(client, "poster")
    data = form_data(city, scheduled_for="2027-11-07T01:30", scheduled_for_fold=fold)
    assert client.post(reverse("posting:new"), data).status_code == 302
    post = Post.objects.get()
    assert post.scheduled_for == instant
    assert post.scheduled_label == f"Sunday, November 7, 2027, 1:30 AM {zone}"
    assert f"Now set for Sunday, November 7, 2027, 1:30 AM {zone}" in (
        client.get(post.get_absolute_url()).content.decode()
    )


def test_a_time_in_the_past_is_refused(before_spring_forward, city, client):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, scheduled_for="2027-03-13T09:00")
    )
    assert response.status_code == 400
    assert "has passed. Choose a time in the future" in response.content.decode()
    assert not Post.objects.exists()


def test_a_post_scheduled_across_the_clock_change_goes_out_at_the_right_instant(
    before_spring_forward, city, client, time_machine
):
    # Saturday, on standard time (UTC-8), the poster schedules Sunday 9:00 AM, daylight time.
    city.sign_in_client(client, "poster")
    client.post(reverse("posting:new"), form_data(city, scheduled_for="2027-03-14T09:00"))
    post = Post.objects.get()
    assert post.scheduled_for == datetime(2027, 3, 14, 16, 0, tzinfo=UTC)  # UTC-7, not UTC-8
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.approve(post)

    time_machine.move_to(datetime(2027, 3, 14, 15, 59, 30, tzinfo=UTC), tick=False)
    assert release_due_posts() == 0
    time_machine.move_to(datetime(2027, 3, 14, 16, 0, tzinfo=UTC), tick=False)
    assert release_due_posts() == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING


# --- Who may reschedule or cancel, and until when -----------------------------------


def test_the_author_may_reschedule_and_another_staff_member_may_not(city, client):
    post = approved_for(city, days_ahead(2))
    later = days_ahead(3)
    with pytest.raises(PermissionDenied):
        post.reschedule(by=city.staff, when=later)
    with pytest.raises(PermissionDenied):
        post.cancel_schedule(by=city.staff)

    when = wall_parts(later)[0]
    reschedule = reverse("posting:reschedule", args=[post.pk])
    for someone in ("staff", "mayor"):  # the Mayor's office sees every post, but does not move it
        city.sign_in_client(client, someone)
        assert client.post(reschedule, {"when": when}).status_code == 403
        cancel = client.post(reverse("posting:cancel_schedule", args=[post.pk]))
        assert cancel.status_code == 403

    city.sign_in_client(client, "poster")
    assert client.post(reschedule, {"when": when, "back": "post"}).url == post.get_absolute_url()
    post.refresh_from_db()
    assert post.scheduled_for == later


def test_a_supervisor_may_take_a_post_off_the_schedule(city):
    post = approved_for(city, days_ahead(2))
    post.cancel_schedule(by=city.supervisor2, reason="The event is postponed.")
    post.refresh_from_db()
    assert (post.state, post.scheduled_for) == (PostState.DRAFT, None)
    move = post.transitions.last()
    assert move.actor == city.supervisor2
    assert "The event is postponed." in move.reason


def test_once_publishing_a_post_can_no_longer_be_rescheduled_or_cancelled(
    city, client, time_machine
):
    when = days_ahead(1)
    post = approved_for(city, when)
    time_machine.move_to(when, tick=False)
    assert release_due_posts() == 1
    post.refresh_from_db()

    with pytest.raises(IllegalTransition, match="released to its channels"):
        post.reschedule(by=city.poster, when=when + timedelta(days=1))
    with pytest.raises(IllegalTransition, match="released to its channels"):
        post.cancel_schedule(by=city.poster)

    city.sign_in_client(client, "poster")
    response = client.post(reverse("posting:cancel_schedule", args=[post.pk]), follow=True)
    assert "released to its channels" in response.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING


def test_a_post_whose_time_has_come_can_no_longer_be_moved(city, time_machine):
    when = days_ahead(1)
    post = approved_for(city, when)
    time_machine.move_to(when, tick=False)  # due; the beat has not run yet
    with pytest.raises(IllegalTransition, match="has passed"):
        post.reschedule(by=city.poster, when=when + timedelta(hours=1))


# --- Rescheduling keeps the approval; cancelling keeps the post from going out ------


def test_a_rescheduled_approved_post_keeps_its_approval_and_does_not_go_out_at_the_old_time(
    city, time_machine
):
    old, new = days_ahead(2, hour=9), days_ahead(3, hour=15)
    post = approved_for(city, old)
    approval = post.current_approval()

    post.reschedule(by=city.poster, when=new)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    kept = post.current_approval()
    assert (kept.reviewer, kept.decided_at) == (city.supervisor, approval.decided_at)
    assert "Carried over to the new time" in kept.comment
    approval.refresh_from_db()
    assert approval.voided_at is not None  # it approved the post at the old time
    assert approval.void_reason.startswith(f"Rescheduled from {short_label(old)}")

    time_machine.move_to(old + timedelta(minutes=1), tick=False)
    assert release_due_posts() == 0
    time_machine.move_to(new, tick=False)
    assert release_due_posts() == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    for publication in post.publications.all():
        check_still_allowed(publication)  # the worker's 702.3 check at send time passes


def test_a_release_that_read_the_post_before_it_was_rescheduled_sends_nothing(city, time_machine):
    when = days_ahead(1)
    post = approved_for(city, when)
    time_machine.move_to(when - timedelta(seconds=1), tick=False)
    read_by_the_beat = Post.objects.get(pk=post.pk)
    post.reschedule(by=city.poster, when=when + timedelta(days=1))

    time_machine.move_to(when, tick=False)
    read_by_the_beat.release()  # re-reads the time under the lock: not due yet
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    assert not post.publications.exists()


def test_cancelling_takes_an_approved_post_back_to_draft_and_it_never_goes_out(city, time_machine):
    when = days_ahead(2)
    post = approved_for(city, when)
    post.cancel_schedule(by=city.poster, reason="Wrong date.")
    post.refresh_from_db()
    assert (post.state, post.scheduled_for) == (PostState.DRAFT, None)
    assert post.current_approval() is None
    assert not post.approvals.filter(voided_at__isnull=True).exists()
    assert post.transitions.last().reason == (
        f"Taken off the schedule (it was to go out {short_label(when)}). "
        "Reason: Wrong date. Back to draft; the approval is void."
    )

    time_machine.move_to(when + timedelta(minutes=1), tick=False)
    assert release_due_posts() == 0
    assert not post.publications.exists()


def test_the_reschedule_is_in_the_history_and_on_the_timeline(city):
    old, new = days_ahead(2), days_ahead(4)
    post = approved_for(city, old)
    post.reschedule(by=city.supervisor, when=new)

    record = post.history.first()
    assert record.history_user == city.supervisor
    assert record.history_change_reason == (
        f"Rescheduled from {short_label(old)} to {short_label(new)}."
    )
    event = next(e for e in timeline_for(post) if e.what == "Rescheduled")
    assert event.who == str(city.supervisor)
    assert event.detail == record.history_change_reason


# --- The pages ------------------------------------------------------------------------


def test_the_reschedule_form_asks_which_of_two_times_and_then_takes_it(
    before_fall_back, city, client
):
    post = approved_for(city, city_clock(2027, 11, 5, 9))
    reschedule = reverse("posting:reschedule", args=[post.pk])
    city.sign_in_client(client, "poster")

    response = client.post(reschedule, {"when": "2027-11-07T01:30"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "happens twice in city time" in page
    assert 'name="when_fold"' in page
    assert "1:30 AM PDT (the first" in page
    assert "1:30 AM PST (the second" in page
    post.refresh_from_db()
    assert post.scheduled_for == city_clock(2027, 11, 5, 9)

    response = client.post(reschedule, {"when": "2027-11-07T01:30", "when_fold": "second"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.scheduled_for == datetime(2027, 11, 7, 9, 30, tzinfo=UTC)
    assert post.current_approval() is not None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2027-03-14T02:30", "does not exist in city time"),
        ("2027-03-01T09:00", "has passed. Choose a time in the future."),
        ("next Tuesday", "Enter the date and time as YYYY-MM-DD HH:MM."),
        ("", "Choose the date and time."),
    ],
)
def test_the_reschedule_form_refuses_bad_times_with_a_message(
    before_spring_forward, city, client, typed, message
):
    post = approved_for(city, city_clock(2027, 3, 20, 9))
    city.sign_in_client(client, "poster")
    response = client.post(reverse("posting:reschedule", args=[post.pk]), {"when": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    post.refresh_from_db()
    assert post.scheduled_for == city_clock(2027, 3, 20, 9)


def test_the_scheduled_page_groups_posts_by_city_day_with_the_zone(before_fall_back, city, client):
    city.submitted(title="Early", scheduled_for=city_clock(2027, 11, 7, 1, 30, fold=0))
    city.submitted(title="Later", scheduled_for=city_clock(2027, 11, 7, 1, 30, fold=1))
    city.submitted(title="Monday", scheduled_for=city_clock(2027, 11, 8, 9))
    page = city.sign_in_client(client, "poster").get(reverse("posting:scheduled"))
    text = page.content.decode()
    assert text.index("Sunday, November 7, 2027") < text.index("Monday, November 8, 2027")
    assert text.index("1:30 AM PDT") < text.index("Early") < text.index("1:30 AM PST")
    assert text.index("Later") < text.index("9:00 AM PST") < text.index("Monday</a>")


def test_each_person_sees_the_scheduled_posts_they_may_see(city, client):
    when = days_ahead(2)
    city.submitted(title="Waiting for approval", scheduled_for=when)
    city.draft(author=city.robin, title="Robin's draft", scheduled_for=when)
    city.draft(author=city.supervisor, title="The supervisor's own", scheduled_for=when)
    city.draft(title="Not scheduled")
    seen = {
        "poster": {"Waiting for approval"},
        "supervisor": {"Waiting for approval", "Robin's draft", "The supervisor's own"},
        "supervisor2": {"Waiting for approval"},  # in every supervisor's queue
        "mayor": {"Waiting for approval", "Robin's draft", "The supervisor's own"},
        "staff": set(),
    }
    titles = {"Waiting for approval", "Robin's draft", "The supervisor's own", "Not scheduled"}
    for person, expected in seen.items():
        page = city.sign_in_client(client, person).get(reverse("posting:scheduled"))
        text = page.content.decode().replace("&#x27;", "'")
        assert {title for title in titles if title in text} == expected, person


def test_the_actions_show_only_to_those_who_may_use_them(city, client):
    post = approved_for(city, days_ahead(2))
    actions = f'data-schedule-actions="{post.pk}"'
    for person, shown in (("poster", True), ("supervisor2", True), ("mayor", False)):
        page = city.sign_in_client(client, person).get(post.get_absolute_url())
        assert (actions in page.content.decode()) is shown, person
    for person, shown in (("poster", True), ("supervisor", True), ("mayor", False)):
        page = city.sign_in_client(client, person).get(reverse("posting:scheduled"))
        assert post.title in page.content.decode()
        assert (actions in page.content.decode()) is shown, person


def test_the_scheduled_page_costs_the_same_queries_however_many_posts(city, client):
    city.sign_in_client(client, "supervisor")
    city.submitted(scheduled_for=days_ahead(1))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("posting:scheduled")).status_code == 200
        return len(captured)

    few = queries()
    for days in (2, 3, 4):
        city.submitted(scheduled_for=days_ahead(days))
        city.draft(author=city.robin, scheduled_for=days_ahead(days))
    assert queries() == few


def test_cancel_from_the_scheduled_page_returns_to_it(city, client):
    post = approved_for(city, days_ahead(2))
    city.sign_in_client(client, "poster")
    response = client.post(
        reverse("posting:cancel_schedule", args=[post.pk]), {"back": "list"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("posting:scheduled")
    assert "Taken off the schedule: it will not go out." in response.content.decode()
    assert "No posts are scheduled." in response.content.decode()
