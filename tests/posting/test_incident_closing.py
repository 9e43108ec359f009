"""Closing an incident (702.4.1, 702.7): a pre-approved closing message goes out without a
supervisor's wait; one that waits or is returned is shown on the frozen board and is the one
thing its compilers may still revise; the after-action timeline is archived at the close and
again, as a new version, once every delivery has settled."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from posting.incident_models import ARCHIVE_CLOSED, IncidentUpdate
from posting.incident_tasks import archive_settled_after_actions
from posting.incident_templates import CLOSING_TEMPLATES
from posting.models import Category, PostState
from retention.archive import verify_chain
from retention.models import ArchiveRecord
from retention.schedule_models import RecordRetention
from review.guideline_models import GuidelineTemplate
from review.models import Approval
from tests.posting.test_incidents import (
    ACCURACY,
    NOT_CONFORMING,
    delivered,
    incident,
    publish,
    rules,
)

pytestmark = pytest.mark.django_db
__all__ = ["incident", "rules"]

ALL_CLEAR = {
    "when": "5:30 PM",
    "what": "the gas leak",
    "where": "near Oak Street and 4th Avenue",
    "what_now": "Oak Street is open again.",
}


def closing_template() -> GuidelineTemplate:
    return GuidelineTemplate.objects.get(name=CLOSING_TEMPLATES[Category.REAL_TIME_SAFETY]["name"])


def close(city, incident, **kwargs):
    if "message" not in kwargs:
        kwargs.setdefault("template", closing_template())
        kwargs.setdefault("fills", ALL_CLEAR)
    return incident.close(by=city.poster, equipment=city.kit(city.poster), **{**ACCURACY, **kwargs})


def closed_records(incident):
    return list(
        ArchiveRecord.objects.filter(
            kind=ARCHIVE_CLOSED, payload__incident__id=incident.pk
        ).order_by("sequence")
    )


def test_702_3_the_pre_approved_closing_message_goes_out_without_a_supervisor(
    incident, city, client
):
    city.sign_in_client(client, "poster")
    page = client.get(reverse("posting:incident_close", args=[incident.pk])).content.decode()
    assert "All clear ({when}): {what} {where} is over." in page  # offered first
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert "All clear ({when})" not in board  # not among the ordinary updates' templates

    response = client.post(
        reverse("posting:incident_close", args=[incident.pk]),
        {
            "template": closing_template().pk,
            **{f"fill_{name}": value for name, value in ALL_CLEAR.items()},
            **ACCURACY,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    closing = incident.closing_update()
    assert incident.is_closed and closing.purpose == IncidentUpdate.Purpose.CLOSING
    assert closing.post.state == PostState.PUBLISHING
    assert closing.post.current_approval().decision == Approval.Decision.CONFORMING
    assert closing.post.body == (
        "All clear (5:30 PM): the gas leak near Oak Street and 4th Avenue is over. Oak Street "
        "is open again. Stay clear of any crews still at work. For emergencies, call 911."
    )
    assert incident.closing_message == closing.post.body
    assert not incident.closing_may_be_revised()


def test_a_returned_closing_message_shows_on_the_frozen_board_and_only_it_is_revised(
    incident, city, client
):
    first = delivered(publish(city, incident))
    waiting = close(city, incident, message="The gas leak is over. Thanks for your patience.")
    assert waiting.post.state == PostState.SUBMITTED
    city.sign_in_client(client, "poster")
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert 'data-state="submitted"' in board and "waits for a supervisor" in board
    assert "Revise the closing message" in board

    waiting.post.reject(
        by=city.supervisor,
        comment="Say where, and that the street is open.",
        equipment=city.kit(city.supervisor),
    )
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert 'data-state="rejected"' in board
    assert "returned the closing message (update 2) for changes" in board
    assert "Say where, and that the street is open." in board

    # Nothing but the closing message: no update, no correction after the close.
    with pytest.raises(ValidationError, match="this incident is closed"):
        publish(city, incident)
    with pytest.raises(ValidationError, match="this incident is closed"):
        first.correct(by=city.poster, equipment=city.kit(city.poster), body="x", **ACCURACY)
    with pytest.raises(ValidationError, match="this incident is closed"):
        close(city, incident)

    # The compiler revises it on the closing page, from the pre-approved template.
    page = client.get(reverse("posting:incident_close", args=[incident.pk])).content.decode()
    assert "Revise the closing message" in page and "the board is frozen" in page
    response = client.post(
        reverse("posting:incident_close", args=[incident.pk]),
        {
            "template": closing_template().pk,
            **{f"fill_{name}": value for name, value in ALL_CLEAR.items()},
            **ACCURACY,
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    revised = incident.closing_update()
    waiting.post.refresh_from_db()
    assert revised.number == 3 and revised.post.state == PostState.PUBLISHING
    assert waiting.post.state == PostState.WITHDRAWN
    assert incident.closing_message == revised.post.body
    assert [e.action for e in incident.events.all()][-1] == "closing_revised"

    # Once it has gone out, the board is frozen for good.
    delivered(revised)
    with pytest.raises(ValidationError, match="the closing message has gone out"):
        incident.revise_closing(by=city.poster, message="Again.", **ACCURACY)
    response = client.get(reverse("posting:incident_close", args=[incident.pk]))
    assert response.status_code == 302
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert "Revise the closing message" not in board
    assert "went out" in board


def test_only_a_compiler_revises_the_closing_message(incident, city):
    close(city, incident, message="The gas leak is over.")
    for username in ("mayor", "supervisor"):
        with pytest.raises(PermissionDenied, match="only the compilers"):
            incident.revise_closing(by=city.people[username], message="Over.", **ACCURACY)


def test_702_7_the_after_action_is_archived_again_once_every_delivery_has_settled(incident, city):
    delivered(publish(city, incident))
    in_flight = publish(city, incident)  # released, not yet delivered at the close
    closing = close(city, incident)

    (at_close,) = closed_records(incident)
    assert at_close.payload["version"] == 1 and not at_close.payload["deliveries_settled"]
    published = {(r["update"], r["channel"]) for r in at_close.payload["after_action"]}
    assert not {(in_flight.number, "City website"), (closing.number, "City website")} & published

    assert archive_settled_after_actions() == 0  # still going out: nothing new
    delivered(in_flight)
    assert archive_settled_after_actions() == 0
    delivered(closing)
    assert archive_settled_after_actions() == 1
    assert archive_settled_after_actions() == 0  # once

    first, settled = closed_records(incident)
    assert first == at_close  # the earlier version stays as it was
    assert settled.payload["version"] == 2 and settled.payload["deliveries_settled"]
    rows = settled.payload["after_action"]
    delivered_rows = {(r["update"], r["channel"]) for r in rows if r["event"] == "Published"}
    for update in (in_flight, closing):
        for channel in ("City website", "Sandbox (Mastodon API)"):
            assert (update.number, channel) in delivered_rows
    incident.refresh_from_db()
    assert not incident.after_action_pending
    # Its retention clock runs from the close, like the records captured before it (702.7).
    retention = RecordRetention.objects.get(record=settled)
    assert retention.clock_started_at == incident.closed_at
    assert verify_chain().intact


def test_a_returned_closing_message_keeps_the_after_action_waiting(incident, city):
    waiting = close(city, incident, message=NOT_CONFORMING)
    waiting.post.reject(
        by=city.supervisor, comment="Say it is over.", equipment=city.kit(city.supervisor)
    )
    assert archive_settled_after_actions() == 0
    revised = incident.revise_closing(
        by=city.poster,
        equipment=city.kit(city.poster),
        template=closing_template(),
        fills=ALL_CLEAR,
        **ACCURACY,
    )
    delivered(revised)
    assert archive_settled_after_actions() == 1
    events = [r["event"] for r in closed_records(incident)[-1].payload["after_action"]]
    assert "Closing message revised" in events and "Withdrawn" in events
