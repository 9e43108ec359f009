"""Incidents (702.4.1): the Mayor or the designee compiles what is released, through compilers
who publish fast, accurate and frequent updates to every channel at once."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from posting.incident_models import (
    ARCHIVE_CLOSED,
    ARCHIVE_OPENED,
    ARCHIVE_UPDATE,
    Incident,
    IncidentKind,
    IncidentStatus,
    IncidentUpdate,
)
from posting.incident_tasks import remind_overdue_incident_updates
from posting.incident_templates import INCIDENT_TEMPLATES
from posting.models import Category, Post, PostState, Publication
from posting.publishing import deliver
from retention.archive import verify_chain
from retention.models import ArchiveRecord
from review.guideline_models import GuidelineTemplate
from review.models import Approval

pytestmark = pytest.mark.django_db

FILLS = {
    "what": "A gas leak",
    "where": "near Oak Street and 4th Avenue",
    "when": "since 2:15 PM",
    "what_to_do": "Avoid the area and keep windows closed.",
}
ACCURACY = {"source": "Fire dispatch, call 26-1187", "verified_by": "Battalion Chief R. Ortiz"}
# Free text that does not strictly conform: no "call 911", nothing to do (702.3).
NOT_CONFORMING = "Crews are still working on the gas leak near Oak Street."
NOT_ALLOWED = ["staff", "poster", "supervisor", "clerk", "it", "outsider"]


@pytest.fixture
def rules(city):
    """The Mayor's guidelines with the incident templates, and the prohibited-content checks."""
    from posting.incident_templates import load_incident_templates
    from review.checks.defaults import load_default_configuration
    from review.guideline_defaults import load_default_guidelines

    load_default_configuration()
    load_default_guidelines()
    load_incident_templates()
    return city


@pytest.fixture
def incident(rules):
    city = rules
    return Incident.open(
        by=city.mayor,
        title="Gas leak",
        kind=IncidentKind.PUBLIC_SAFETY,
        severity="severe",
        area="Oak Street between 3rd and 5th Avenue",
        channels=[city.website, city.mastodon],
        compilers=[city.poster],
        cadence_minutes=30,
    )


def template_for(category=Category.REAL_TIME_SAFETY) -> GuidelineTemplate:
    return GuidelineTemplate.objects.get(name=INCIDENT_TEMPLATES[category]["name"])


def publish(city, incident, by=None, **kwargs) -> IncidentUpdate:
    by = by or city.poster
    if "body" not in kwargs:
        kwargs.setdefault("template", template_for())
        kwargs.setdefault("fills", FILLS)
    return IncidentUpdate.release_new(
        incident=incident, by=by, equipment=city.kit(by), **{**ACCURACY, **kwargs}
    )


def delivered(update) -> IncidentUpdate:
    """The publishing worker's own code delivers each channel (the fake Mastodon answers)."""
    for publication in update.post.publications.all():
        deliver(publication.pk)
    update.post.refresh_from_db()
    return update


# --- Opening an incident and appointing its compilers ---------------------------------


def test_702_4_1_the_mayors_office_opens_an_incident_and_appoints_its_compilers(incident, city):
    assert incident.status == IncidentStatus.ACTIVE
    assert incident.opened_by == city.mayor
    assert list(incident.current_compilers()) == [city.poster]
    assert incident.is_compiler(city.poster) and not incident.is_compiler(city.supervisor)
    record = ArchiveRecord.objects.get(kind=ARCHIVE_OPENED)
    assert record.payload["incident"]["compilers"][0]["username"] == "poster"
    assert [e.action for e in incident.events.all()] == ["opened", "compiler_appointed"]


def test_702_4_e_and_f_the_kind_of_incident_sets_the_category_of_its_updates(rules):
    assert Incident(kind=IncidentKind.TRAFFIC).category == Category.TRAFFIC
    for kind in set(IncidentKind) - {IncidentKind.TRAFFIC}:
        assert Incident(kind=kind).category == Category.REAL_TIME_SAFETY


def test_a_designee_opens_incidents_only_within_the_channels_of_the_designation(rules):
    city = rules
    city.designation.channels.set([city.website])
    opening = {
        "by": city.designee,
        "title": "Flooding",
        "kind": IncidentKind.WEATHER_DISASTER,
        "severity": "moderate",
        "area": "Riverside neighborhood",
    }
    with pytest.raises(PermissionDenied, match="outside the scope of your designation"):
        Incident.open(channels=[city.website, city.mastodon], **opening)
    incident = Incident.open(channels=[city.website], **opening)
    assert incident.opened_by == city.designee


@pytest.mark.parametrize("username", NOT_ALLOWED)
def test_no_one_else_opens_an_incident(rules, username):
    city = rules
    with pytest.raises(PermissionDenied, match="702.4.1: only the Mayor's office"):
        Incident.open(
            by=city.people[username],
            title="Gas leak",
            kind=IncidentKind.PUBLIC_SAFETY,
            severity="severe",
            area="Oak Street",
            channels=[city.website],
        )
    assert not Incident.objects.exists()


def test_702_3_a_compiler_must_be_authorized_for_every_channel_of_the_incident(incident, city):
    with pytest.raises(ValidationError, match="702.3: Sasha Kowalski is not authorized"):
        incident.appoint_compiler(by=city.mayor, person=city.staff)
    with pytest.raises(PermissionDenied, match="702.4.1"):
        incident.appoint_compiler(by=city.poster, person=city.supervisor)
    incident.appoint_compiler(by=city.designee, person=city.supervisor)
    assert set(incident.current_compilers()) == {city.poster, city.supervisor}


# --- Only compilers release ------------------------------------------------------------


@pytest.mark.parametrize("username", ["supervisor", "mayor", "designee", "staff"])
def test_702_4_1_only_the_compilers_release_the_incidents_updates(incident, city, username):
    with pytest.raises(PermissionDenied, match="702.4.1: only the compilers of this incident"):
        publish(city, incident, by=city.people[username])
    assert not incident.posts.exists() and not incident.updates.exists()


def test_a_removed_compiler_releases_nothing_more_and_their_waiting_update_is_withdrawn(
    incident, city
):
    waiting = publish(city, incident, body=NOT_CONFORMING)
    assert waiting.post.state == PostState.SUBMITTED
    incident.remove_compiler(by=city.mayor, person=city.poster)
    waiting.post.refresh_from_db()
    assert waiting.post.state == PostState.WITHDRAWN
    assert "no longer a compiler" in waiting.post.transitions.last().reason
    with pytest.raises(PermissionDenied, match="only the compilers"):
        publish(city, incident)


# --- Proposals go to the compilers -----------------------------------------------------


def test_a_proposal_from_another_authorized_poster_lands_in_the_compilers_inbox(
    incident, city, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = IncidentUpdate.propose(
            incident=incident, by=city.supervisor, template=template_for(), fills=FILLS, **ACCURACY
        )
    assert proposal.status == IncidentUpdate.Status.PROPOSED
    assert proposal.post is None and not incident.posts.exists()
    (message,) = mail.outbox
    assert message.to == ["poster@riverton.example"]
    assert "Proposed update for Gas leak, from Sam Okafor" in message.subject
    city.sign_in_client(client, "poster")
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert f'id="proposal-{proposal.pk}"' in board
    assert "Publish this proposal" in board


def test_a_compiler_publishes_a_proposal_as_its_own_release(incident, city):
    proposal = IncidentUpdate.propose(
        incident=incident, by=city.supervisor, template=template_for(), fills=FILLS, **ACCURACY
    )
    proposal.accept(by=city.poster, equipment=city.kit(city.poster))
    proposal.refresh_from_db()
    assert proposal.status == IncidentUpdate.Status.RELEASED
    assert proposal.post.author == city.poster and proposal.released_by == city.poster
    assert proposal.proposed_by == city.supervisor
    assert proposal.post.state == PostState.PUBLISHING


def test_a_compiler_declines_a_proposal_saying_why(incident, city):
    proposal = IncidentUpdate.propose(
        incident=incident, by=city.supervisor, body=NOT_CONFORMING, **ACCURACY
    )
    with pytest.raises(ValidationError, match="Tell the poster why"):
        proposal.decline(by=city.poster, reason=" ")
    proposal.decline(by=city.poster, reason="Not confirmed by the fire department yet.")
    proposal.refresh_from_db()
    assert proposal.status == IncidentUpdate.Status.DECLINED and proposal.post is None


def test_only_compilers_decide_proposals_and_only_authorized_posters_propose(incident, city):
    proposal = IncidentUpdate.propose(
        incident=incident, by=city.supervisor, body=NOT_CONFORMING, **ACCURACY
    )
    with pytest.raises(PermissionDenied, match="only the compilers"):
        proposal.accept(by=city.supervisor, equipment=city.kit(city.supervisor))
    with pytest.raises(PermissionDenied, match="only the compilers"):
        proposal.decline(by=city.mayor, reason="No.")
    with pytest.raises(PermissionDenied, match="702.3: only employees authorized"):
        IncidentUpdate.propose(incident=incident, by=city.staff, body=NOT_CONFORMING, **ACCURACY)


# --- Pre-approved templates: speed without a supervisor's wait, never past the checks ----


def test_702_3_a_conforming_templated_update_publishes_without_a_supervisor(incident, city):
    update = publish(city, incident)
    post = update.post
    assert post.state == PostState.PUBLISHING
    approval = post.current_approval()
    assert approval.decision == Approval.Decision.CONFORMING and approval.reviewer is None
    assert post.body == (
        "A gas leak near Oak Street and 4th Avenue, since 2:15 PM. Avoid the area and keep "
        "windows closed. For emergencies, call 911."
    )
    assert post.title == "Gas leak (update 1)"
    assert post.category == Category.REAL_TIME_SAFETY and post.incident == incident
    assert {p.channel for p in post.publications.all()} == {city.website, city.mastodon}
    delivered(update)
    assert update.post.state == PostState.PUBLISHED


def test_702_4_f_a_traffic_incident_update_conforms_through_its_template(rules):
    city = rules
    incident = Incident.open(
        by=city.mayor,
        title="Crash on Main Street",
        kind=IncidentKind.TRAFFIC,
        severity="moderate",
        area="Main Street at 4th Avenue",
        channels=[city.website, city.mastodon],
        compilers=[city.poster],
    )
    fills = {
        "road": "Main Street",
        "where": "between 3rd and 5th Avenue",
        "when": "until 6 PM",
        "what": "a crash",
        "detour": "use Oak Street",
    }
    update = publish(city, incident, template=template_for(Category.TRAFFIC), fills=fills)
    assert update.post.state == PostState.PUBLISHING
    assert update.post.category == Category.TRAFFIC


def test_702_3_an_update_that_does_not_conform_waits_for_a_supervisor(incident, city):
    update = publish(city, incident, body=NOT_CONFORMING)
    assert update.post.state == PostState.SUBMITTED
    assert update.waits_for_supervisor
    assert not update.post.publications.exists()
    city.approve(update.post)
    update.post.refresh_from_db()
    assert update.post.state == PostState.PUBLISHING


def test_702_5_e_tactical_positions_block_a_templated_update_and_nothing_is_saved(incident, city):
    fills = {
        **FILLS,
        "what_to_do": "Avoid the area. The SWAT team is positioned behind the school.",
    }
    with pytest.raises(ValidationError, match=r"702\.5\(e\)"):
        publish(city, incident, fills=fills)
    assert not incident.updates.exists() and not Post.objects.filter(incident=incident).exists()
    assert not ArchiveRecord.objects.filter(kind=ARCHIVE_UPDATE).exists()


def test_702_5_b_a_victims_name_blocks_an_update(incident, city):
    from review.check_models import WatchListEntry

    WatchListEntry.objects.create(term="Jane Roe", kind="victim", added_by=city.supervisor)
    with pytest.raises(ValidationError, match=r"702\.5\(b\)"):
        publish(city, incident, fills={**FILLS, "what": "A fire at the home of Jane Roe"})
    assert not incident.updates.exists()


def test_a_fill_that_does_not_fit_is_refused_beside_its_field(incident, city):
    with pytest.raises(ValidationError) as refused:
        publish(city, incident, fills={**FILLS, "where": "somewhere", "what_to_do": ""})
    assert set(refused.value.message_dict) >= {"where", "what_to_do"}


def test_every_update_records_its_source_and_verifier_internally(incident, city):
    update = delivered(publish(city, incident))
    record = ArchiveRecord.objects.get(kind=ARCHIVE_UPDATE)
    assert record.post == update.post
    assert record.payload["update"]["source"] == ACCURACY["source"]
    assert record.payload["update"]["verified_by"] == ACCURACY["verified_by"]
    # Never published: not on the news page, not in what the platforms received.
    assert ACCURACY["source"] not in update.post.body
    assert verify_chain().intact


# --- Corrections supersede ---------------------------------------------------------------


def test_a_correction_links_to_and_supersedes_the_update_it_corrects(incident, city, client):
    first = delivered(publish(city, incident))
    corrected_fills = {**FILLS, "where": "near Elm Street and 4th Avenue"}
    correction = first.correct(
        by=city.poster,
        equipment=city.kit(city.poster),
        template=template_for(),
        fills=corrected_fills,
        **ACCURACY,
    )
    delivered(correction)
    assert correction.corrects == first and correction.purpose == "correction"
    assert correction.post.body.startswith("Correction: A gas leak near Elm Street")
    assert correction.post.title == "Correction: Gas leak (update 2)"
    first.refresh_from_db()
    assert first.superseding() == correction

    # The board: the current state of facts is the corrected one.
    city.sign_in_client(client, "poster")
    live = client.get(reverse("posting:incident_live", args=[incident.pk])).content.decode()
    assert 'data-corrected-by="2"' in live
    assert "near Elm Street and 4th Avenue" in live.split('id="current-facts"')[1].split("</dl>")[0]
    assert "near Oak Street" not in live.split('id="current-facts"')[1].split("</dl>")[0]

    # The website: the corrected update is marked, newest first; the feed says so too.
    client.logout()
    page = client.get(reverse("news:incident", args=[incident.pk])).content.decode()
    assert page.index("Correction: Gas leak (update 2)") < page.index("Gas leak (update 1)")
    assert 'data-corrected="true"' in page and "<strong>Corrected</strong>" in page
    feed = ET.fromstring(client.get(reverse("news:incident_feed", args=[incident.pk])).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == ["Correction: Gas leak (update 2)", "[Corrected] Gas leak (update 1)"]


def test_only_an_update_that_went_out_is_corrected_and_only_once(incident, city):
    waiting = publish(city, incident, body=NOT_CONFORMING)
    with pytest.raises(ValidationError, match="Only an update that has gone out"):
        waiting.correct(by=city.poster, equipment=city.kit(city.poster), body="x", **ACCURACY)
    first = delivered(publish(city, incident))
    correction = first.correct(
        by=city.poster,
        equipment=city.kit(city.poster),
        fills=FILLS,
        **ACCURACY,
        template=template_for(),
    )
    again = {
        "by": city.poster,
        "equipment": city.kit(city.poster),
        "template": template_for(),
        "fills": FILLS,
        **ACCURACY,
    }
    with pytest.raises(ValidationError, match="Update 3 is going out to correct update 2"):
        first.correct(**again)
    delivered(correction)
    with pytest.raises(ValidationError, match="already corrected by update 3"):
        first.correct(**again)


# --- Cadence: frequent updates, with reminders ------------------------------------------


def test_cadence_reminders_fire_once_per_overdue_update(
    rules, client, django_capture_on_commit_callbacks
):
    city = rules
    start = timezone.now() + timedelta(seconds=5)  # after the authorizations began
    with time_machine.travel(start, tick=False) as traveller:
        incident = Incident.open(
            by=city.mayor,
            title="Gas leak",
            kind=IncidentKind.PUBLIC_SAFETY,
            severity="severe",
            area="Oak Street",
            channels=[city.website, city.mastodon],
            compilers=[city.poster],
            cadence_minutes=30,
        )
        assert incident.next_update_due_at == start + timedelta(minutes=30)

        traveller.move_to(start + timedelta(minutes=29))
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_overdue_incident_updates() == 0
        assert mail.outbox == []

        traveller.move_to(start + timedelta(minutes=31))
        # Overdue, before the reminder has run: the board does not claim an e-mail.
        city.sign_in_client(client, "poster")
        live = client.get(reverse("posting:incident_live", args=[incident.pk])).content.decode()
        assert 'data-overdue="true"' in live and "Update overdue" in live
        assert "The compilers have not been e-mailed yet" in live
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_overdue_incident_updates() == 1
            assert remind_overdue_incident_updates() == 0  # once per missed update
        (reminder,) = mail.outbox
        assert reminder.to == ["poster@riverton.example"]
        assert reminder.subject == "Incident update overdue: Gas leak"
        live = client.get(reverse("posting:incident_live", args=[incident.pk])).content.decode()
        assert "Reminder: e-mailed Pat Nguyen." in live
        assert incident.events.get(action="reminded").detail.endswith("; e-mailed Pat Nguyen.")

        publish(city, incident)  # the clock restarts from this update
        incident.refresh_from_db()
        assert incident.next_update_due_at == start + timedelta(minutes=61)
        live = client.get(reverse("posting:incident_live", args=[incident.pk])).content.decode()
        assert 'data-overdue="false"' in live and "in 30 minutes" in live

        traveller.move_to(start + timedelta(minutes=62))
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_overdue_incident_updates() == 1
        assert len(mail.outbox) == 2


def test_the_status_and_cadence_change_together_or_not_at_all(incident, city, client):
    city.sign_in_client(client, "poster")
    url = reverse("posting:incident_settings", args=[incident.pk])
    before = incident.next_update_due_at
    # A cadence the form takes but the incident refuses leaves the status as it was.
    with pytest.raises(ValidationError):
        incident.update_settings(
            by=city.poster, status=IncidentStatus.MONITORING, cadence_minutes=3
        )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE
    assert incident.next_update_due_at == before
    with pytest.raises(ValidationError):
        incident.update_settings(
            by=city.poster, status=IncidentStatus.MONITORING, cadence_minutes=3
        )
    assert incident.status == IncidentStatus.ACTIVE  # the object too, as the page shows it
    response = client.post(url, {"status": IncidentStatus.MONITORING, "cadence_minutes": 2})
    assert response.status_code == 400
    assert '<span class="usa-tag" id="incident-status">Active</span>' in response.content.decode()
    incident.refresh_from_db()
    assert (incident.status, incident.cadence_minutes) == (IncidentStatus.ACTIVE, 30)
    assert [e.action for e in incident.events.all()] == ["opened", "compiler_appointed"]

    # The same cadence again: nothing logged, and the clock keeps running from before.
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        response = client.post(url, {"status": IncidentStatus.MONITORING, "cadence_minutes": 30})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.MONITORING
    assert incident.next_update_due_at == before
    assert [e.action for e in incident.events.all()][-1] == "status"
    assert not incident.events.filter(action="cadence").exists()


def test_the_cadence_is_set_by_the_mayors_authority_or_a_compiler(incident, city):
    incident.set_cadence(by=city.poster, minutes=15)
    incident.set_status(by=city.designee, status=IncidentStatus.MONITORING)
    incident.refresh_from_db()
    assert (incident.cadence_minutes, incident.status) == (15, IncidentStatus.MONITORING)
    with pytest.raises(PermissionDenied):
        incident.set_cadence(by=city.supervisor, minutes=10)
    with pytest.raises(ValidationError, match="between 5 minutes and 24 hours"):
        incident.set_cadence(by=city.poster, minutes=1)


# --- Closing ---------------------------------------------------------------------------------


def test_closing_publishes_the_message_freezes_the_board_and_archives_the_after_action(
    incident, city
):
    first = delivered(publish(city, incident))
    waiting = publish(city, incident, body=NOT_CONFORMING)
    proposal = IncidentUpdate.propose(
        incident=incident, by=city.supervisor, body=NOT_CONFORMING, **ACCURACY
    )
    closing = incident.close(
        by=city.poster,
        message="The gas leak near Oak Street is fixed and the area is open again.",
        equipment=city.kit(city.poster),
        **ACCURACY,
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.closed_by == city.poster
    assert closing.purpose == "closing" and closing.post.incident == incident
    waiting.post.refresh_from_db()
    proposal.refresh_from_db()
    assert waiting.post.state == PostState.WITHDRAWN
    assert proposal.status == IncidentUpdate.Status.DECLINED
    assert incident.next_update_due_at is None

    record = ArchiveRecord.objects.get(kind=ARCHIVE_CLOSED)
    rows = record.payload["after_action"]
    released = [r for r in rows if r["event"] == "Update released"]
    assert [r["who"] for r in released] == ["Pat Nguyen", "Pat Nguyen"]
    published = {r["channel"]: r for r in rows if r["event"] == "Published" and r["update"] == 1}
    assert set(published) == {"City website", "Sandbox (Mastodon API)"}
    assert all(r["delivery_seconds"] >= 0 for r in published.values())
    assert first.post.body in [r["detail"] for r in released]
    assert verify_chain().intact


def test_a_closed_incident_refuses_updates(incident, city):
    first = delivered(publish(city, incident))
    incident.close(
        by=city.poster, message="All clear.", equipment=city.kit(city.poster), **ACCURACY
    )
    closed = "702.4.1: this incident is closed"
    with pytest.raises(ValidationError, match=closed):
        publish(city, incident)
    with pytest.raises(ValidationError, match=closed):
        IncidentUpdate.propose(incident=incident, by=city.supervisor, body="x", **ACCURACY)
    with pytest.raises(ValidationError, match=closed):
        first.correct(by=city.poster, equipment=city.kit(city.poster), body="x", **ACCURACY)
    with pytest.raises(ValidationError, match=closed):
        incident.appoint_compiler(by=city.mayor, person=city.supervisor)
    with pytest.raises(ValidationError, match=closed):
        incident.set_cadence(by=city.mayor, minutes=10)
    with pytest.raises(ValidationError, match=closed):
        incident.close(
            by=city.poster, message="Again.", equipment=city.kit(city.poster), **ACCURACY
        )
    assert incident.updates.count() == 2


def test_only_a_compiler_closes_the_incident(incident, city):
    with pytest.raises(PermissionDenied, match="only the compilers"):
        incident.close(by=city.mayor, message="All clear.", **ACCURACY)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE


# --- The board, in the browser's place -------------------------------------------------


def test_one_action_on_the_board_publishes_to_every_channel(incident, city, client):
    city.sign_in_client(client, "poster")
    board = client.get(reverse("posting:incident", args=[incident.pk]))
    assert board.status_code == 200
    assert "Publish to 2 channels" in board.content.decode()
    response = client.post(
        reverse("posting:incident_publish", args=[incident.pk]),
        {
            "template": template_for().pk,
            **{f"fill_{name}": value for name, value in FILLS.items()},
            **ACCURACY,
        },
    )
    assert response.status_code == 302
    (update,) = incident.updates.all()
    assert update.post.state == PostState.PUBLISHING
    assert update.post.publications.count() == 2
    page = client.get(response.url).content.decode()
    assert "no supervisor needed (702.3)" in page


def test_the_board_says_what_is_wrong_and_saves_nothing(incident, city, client):
    city.sign_in_client(client, "poster")
    response = client.post(
        reverse("posting:incident_publish", args=[incident.pk]),
        {"template": template_for().pk, "fill_what": "A gas leak"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The update was not released" in page
    assert "Fill in this field." in page
    assert "Say where the information came from" in page
    assert not incident.updates.exists()


def test_what_people_type_is_escaped_on_the_board(incident, city, client):
    IncidentUpdate.propose(
        incident=incident, by=city.supervisor, body="<script>alert(1)</script>", **ACCURACY
    )
    city.sign_in_client(client, "poster")
    page = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_board_costs_the_same_queries_however_many_updates(
    incident, city, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city.sign_in_client(client, "poster")
    url = reverse("posting:incident_live", args=[incident.pk])
    delivered(publish(city, incident))
    client.get(url)  # warm the guideline cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        delivered(publish(city, incident))
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_the_public_page_waits_for_an_update_on_the_website(incident, city, client):
    assert client.get(reverse("news:incident", args=[incident.pk])).status_code == 404
    assert client.get(reverse("news:incident_feed", args=[incident.pk])).status_code == 404
    delivered(publish(city, incident))
    page = client.get(reverse("news:incident", args=[incident.pk]))
    assert page.status_code == 200
    assert "Gas leak (update 1)" in page.content.decode()


def test_the_after_action_timeline_exports_as_csv(incident, city, client):
    delivered(publish(city, incident))
    city.sign_in_client(client, "mayor")
    response = client.get(reverse("posting:incident_after_action_csv", args=[incident.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    events = [row["event"] for row in rows]
    assert events[:2] == ["Incident opened", "Compiler appointed"]
    published = [row for row in rows if row["event"] == "Published"]
    assert {row["channel"] for row in published} == {"City website", "Sandbox (Mastodon API)"}
    assert all(float(row["delivery_seconds"]) >= 0 for row in published)


def test_staff_who_may_not_post_do_not_see_incident_boards(incident, city, client):
    city.sign_in_client(client, "staff")
    assert client.get(reverse("posting:incidents")).status_code == 403
    assert client.get(reverse("posting:incident", args=[incident.pk])).status_code == 403


def test_a_publication_is_delivered_once_per_channel(incident, city, client, fake_mastodon):
    update = delivered(publish(city, incident))
    delivered(update)  # a second wake-up of the workers (a redelivered task) sends nothing
    statuses = list(update.post.publications.values_list("channel__slug", "status"))
    assert sorted(statuses) == [
        ("city-website", Publication.Status.PUBLISHED),
        ("sandbox-mastodon", Publication.Status.PUBLISHED),
    ]
    # Counted where the posts land: one status on the fake Mastodon, one item on the website.
    text = "A gas leak near Oak Street and 4th Avenue, since 2:15 PM."
    assert [text in status["content"] for status in fake_mastodon.statuses] == [True]
    news = client.get(reverse("news:index")).content.decode()
    assert news.count("Gas leak (update 1)") == 1


def test_an_overdue_reminder_with_no_one_to_e_mail_says_so(rules):
    city = rules
    start = timezone.now() + timedelta(seconds=5)
    with time_machine.travel(start, tick=False) as traveller:
        incident = Incident.open(
            by=city.mayor,
            title="Gas leak",
            kind=IncidentKind.PUBLIC_SAFETY,
            severity="severe",
            area="Oak Street",
            channels=[city.website],
            cadence_minutes=30,
        )
        traveller.move_to(start + timedelta(minutes=31))
        assert remind_overdue_incident_updates() == 1
        event = incident.events.get(action="reminded")
        assert event.detail.endswith("no compiler is appointed, so nobody was e-mailed.")

        type(city.poster).objects.filter(pk=city.poster.pk).update(email="")
        incident.appoint_compiler(by=city.mayor, person=city.poster)
        incident.set_cadence(by=city.mayor, minutes=15)  # a new due time, already past
        assert remind_overdue_incident_updates() == 1
    detail = incident.events.filter(action="reminded").last().detail
    assert detail.endswith("no compiler has an e-mail address, so nobody was e-mailed.")
    assert "e-mailed Pat" not in detail and mail.outbox == []


# --- The map point ---------------------------------------------------------------------


def test_the_map_point_is_validated_whole(rules):
    city = rules
    opening = {
        "by": city.mayor,
        "title": "Gas leak",
        "kind": IncidentKind.PUBLIC_SAFETY,
        "severity": "severe",
        "area": "Oak Street",
        "channels": [city.website],
    }
    refused = [
        ({"latitude": "45.52345"}, "longitude", "Give both the latitude and the longitude"),
        ({"radius_meters": 200}, "radius_meters", "A radius needs a map point."),
        ({"latitude": "91", "longitude": "0"}, "latitude", "less than or equal to 90"),
        ({"latitude": "0", "longitude": "-181"}, "longitude", "greater than or equal to -180"),
        (
            {"latitude": "45.5", "longitude": "-122.6", "radius_meters": 0},
            "radius_meters",
            "greater than or equal to 1",
        ),
    ]
    for point, field, message in refused:
        with pytest.raises(ValidationError) as error:
            Incident.open(**opening, **point)
        assert any(message in m for m in error.value.message_dict[field]), point
    assert not Incident.objects.exists()


def test_the_map_point_shows_on_the_board_and_the_public_page_as_a_link(rules, client):
    city = rules
    incident = Incident.open(
        by=city.mayor,
        title="Gas leak",
        kind=IncidentKind.PUBLIC_SAFETY,
        severity="severe",
        area="Oak Street",
        channels=[city.website],
        compilers=[city.poster],
        latitude="45.52345",
        longitude="-122.67621",
        radius_meters=250,
    )
    link = (
        "https://www.openstreetmap.org/?mlat=45.52345&amp;mlon=-122.67621"
        "#map=16/45.52345/-122.67621"
    )
    city.sign_in_client(client, "poster")
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    point = board.split('id="map-point"')[1].split("</dd>")[0]
    assert "45.52345, -122.67621, within 250 m" in point and link in point
    client.logout()
    delivered(publish(city, incident))
    page = client.get(reverse("news:incident", args=[incident.pk])).content.decode()
    point = page.split('id="map-point"')[1].split("</p>")[0]
    assert "45.52345, -122.67621, within 250 meters" in point and link in point
    assert "<iframe" not in page and "tile" not in page  # a link, no map loaded


# --- A real city gets the templates ------------------------------------------------------


def test_the_load_command_gives_a_city_the_guidelines_and_incident_templates(db):
    from django.core.management import call_command

    from posting.incident_templates import CLOSING_TEMPLATES
    from review.guidelines import clear_cache, conforming_templates

    out = io.StringIO()
    call_command("load_incident_templates", stdout=out)
    names = set(GuidelineTemplate.objects.values_list("name", flat=True))
    expected = {
        spec["name"] for spec in [*INCIDENT_TEMPLATES.values(), *CLOSING_TEMPLATES.values()]
    }
    assert expected <= names
    assert "4 incident template(s) added" in out.getvalue()
    clear_cache()
    for category in (Category.REAL_TIME_SAFETY, Category.TRAFFIC):
        offered = {spec.name for spec in conforming_templates(category)}
        shipped = {INCIDENT_TEMPLATES[category]["name"], CLOSING_TEMPLATES[category]["name"]}
        assert shipped <= offered  # each conforms to its guideline as shipped

    # Again, after the Mayor's office edited one: nothing added, nothing overwritten.
    edited = GuidelineTemplate.objects.get(name=INCIDENT_TEMPLATES[Category.TRAFFIC]["name"])
    edited.text += " Thank you."
    edited.save()
    call_command("load_incident_templates", stdout=io.StringIO())
    assert GuidelineTemplate.objects.count() == len(names)
    edited.refresh_from_db()
    assert edited.text.endswith(" Thank you.")
