"""Who sees and runs an incident (702.4.1): the board names internal sources and verifiers, so
it is for the incident's compilers, the Mayor's office, designees over its channels,
supervisors and the employees authorized to post to its channels; everyone else is refused,
on the server. An incident's update is changed only from its board, never on the post page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Authorization
from posting.incident_models import NOT_EDITED_HERE, Incident, IncidentKind, IncidentStatus
from posting.models import Post, PostState
from tests.posting.test_incidents import (
    ACCURACY,
    FILLS,
    NOT_CONFORMING,
    incident,
    publish,
    rules,
    template_for,
)

pytestmark = pytest.mark.django_db
__all__ = ["incident", "rules"]

BOARD_PAGES = ["incident", "incident_live", "incident_after_action", "incident_after_action_csv"]


def urls(incident, names=BOARD_PAGES):
    return [reverse(f"posting:{name}", args=[incident.pk]) for name in names]


def messages_on(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- Who sees the board ---------------------------------------------------------------


def test_702_4_1_the_board_is_refused_to_staff_the_clerk_it_and_outsiders(incident, city, client):
    delivered_source = publish(city, incident).source
    for username in ("staff", "clerk", "it", "outsider"):
        city.sign_in_client(client, username)
        for url in urls(incident):
            response = client.get(url)
            assert response.status_code == 403, (username, url)
            assert delivered_source not in response.content.decode()
        assert client.get(reverse("posting:incidents")).status_code == 403
        client.logout()
    for url in urls(incident):
        assert client.get(url).url.startswith(reverse("login"))


def test_the_board_is_for_compilers_the_mayor_designees_supervisors_and_proposers(
    incident, city, client
):
    for username in ("poster", "mayor", "designee", "supervisor", "supervisor2"):
        assert incident.may_be_seen_by(city.people[username]), username
        city.sign_in_client(client, username)
        for url in urls(incident):
            assert client.get(url).status_code == 200, (username, url)
        client.logout()
    assert list(Incident.objects.visible_to(city.supervisor2)) == [incident]


def test_a_poster_or_designee_outside_the_incidents_channels_does_not_see_its_board(rules, client):
    city = rules
    on_mastodon = Incident.open(
        by=city.mayor,
        title="Flooding",
        kind=IncidentKind.WEATHER_DISASTER,
        severity="moderate",
        area="Riverside neighborhood",
        channels=[city.mastodon],
    )
    on_website = Incident.open(
        by=city.mayor,
        title="Crash on Main Street",
        kind=IncidentKind.TRAFFIC,
        severity="minor",
        area="Main Street at 4th Avenue",
        channels=[city.website],
    )
    robin = city.trained(city.public_works_employee)
    Authorization.grant(user=robin, channels=[city.website], by=city.mayor, note="Website only.")
    city.designation.channels.set([city.website])

    for username in ("robin", "designee"):
        person = city.people[username]
        assert not on_mastodon.may_be_seen_by(person)
        assert on_website.may_be_seen_by(person)
        assert list(Incident.objects.visible_to(person)) == [on_website]
        city.sign_in_client(client, username)
        for url in urls(on_mastodon):
            assert client.get(url).status_code == 403, (username, url)
        assert client.get(urls(on_website)[0]).status_code == 200
        index = client.get(reverse("posting:incidents")).content.decode()
        assert "Crash on Main Street" in index and "Flooding" not in index
        client.logout()


# --- Refused actions, in the model and in the views -------------------------------------


def test_702_4_1_only_the_mayors_authority_removes_a_compiler(incident, city, client):
    for username in ("poster", "supervisor", "staff", "clerk"):
        with pytest.raises(PermissionDenied, match="702.4.1: only the Mayor's office"):
            incident.remove_compiler(by=city.people[username], person=city.poster)
    city.sign_in_client(client, "poster")
    response = client.post(
        reverse("posting:incident_compilers", args=[incident.pk]),
        {"person": city.poster.pk, "action": "remove"},
    )
    assert response.status_code == 403
    assert list(incident.current_compilers()) == [city.poster]


def test_702_4_1_only_the_mayors_authority_or_a_compiler_sets_the_status(incident, city, client):
    for username in ("supervisor", "staff", "clerk"):
        with pytest.raises(PermissionDenied, match="the status is set by"):
            incident.set_status(by=city.people[username], status=IncidentStatus.MONITORING)
    city.sign_in_client(client, "supervisor")
    response = client.post(
        reverse("posting:incident_settings", args=[incident.pk]),
        {"status": IncidentStatus.MONITORING, "cadence_minutes": 10},
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert (incident.status, incident.cadence_minutes) == (IncidentStatus.ACTIVE, 30)


def test_the_boards_actions_refuse_whoever_may_not_take_them(incident, city, client):
    update = publish(city, incident)
    proposal = incident.updates.model.propose(
        incident=incident, by=city.supervisor, body=NOT_CONFORMING, **ACCURACY
    )
    form = {"template": template_for().pk, **{f"fill_{k}": v for k, v in FILLS.items()}}
    refused = {
        # Not a compiler: the supervisor sees the board, and proposes, but releases nothing.
        "supervisor": [
            ("incident_publish", [incident.pk], {**form, **ACCURACY}),
            ("incident_accept", [incident.pk, proposal.pk], {}),
            ("incident_decline", [incident.pk, proposal.pk], {"reason": "No."}),
            ("incident_correct", [incident.pk, update.pk], {}),
            ("incident_close", [incident.pk], {}),
            ("incident_compilers", [incident.pk], {"person": city.supervisor.pk}),
        ],
        # The Mayor's office appoints compilers but releases nothing itself.
        "mayor": [
            ("incident_publish", [incident.pk], {**form, **ACCURACY}),
            ("incident_close", [incident.pk], {}),
        ],
        # Staff who may not post see no board, and so take no action on one.
        "staff": [
            ("incident_propose", [incident.pk], {**form, **ACCURACY}),
            ("incident_settings", [incident.pk], {"status": "monitoring"}),
        ],
    }
    for username, actions in refused.items():
        city.sign_in_client(client, username)
        for name, args, data in actions:
            response = client.post(reverse(f"posting:{name}", args=args), data)
            assert response.status_code == 403, (username, name)
        client.logout()
    assert incident.updates.count() == 2 and incident.posts.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == proposal.Status.PROPOSED


# --- Compilers whose authorization lapsed ----------------------------------------------


def test_a_compiler_whose_authorization_lapsed_can_still_be_removed(incident, city, client):
    for authorization in Authorization.objects.current().filter(user=city.poster):
        authorization.revoke(by=city.mayor, reason="Left the department.")
    city.sign_in_client(client, "mayor")
    board = client.get(reverse("posting:incident", args=[incident.pk])).content.decode()
    assert f'name="person" value="{city.poster.pk}"' in board  # the Remove button is there
    response = client.post(
        reverse("posting:incident_compilers", args=[incident.pk]),
        {"person": city.poster.pk, "action": "remove"},
    )
    assert response.status_code == 302
    assert list(incident.current_compilers()) == []
    assert "Pat Nguyen no longer compiles this incident." in messages_on(response)
    # Someone who is not a compiler is not "removed": the form says so.
    response = client.post(
        reverse("posting:incident_compilers", args=[incident.pk]),
        {"person": city.supervisor.pk, "action": "remove"},
    )
    assert response.status_code == 400
    assert "That person is not a compiler of this incident." in response.content.decode()


# --- An update is changed only from the board -------------------------------------------


def test_702_4_1_an_incident_update_is_not_edited_through_the_ordinary_post_page(
    incident, city, client
):
    waiting = publish(city, incident, body=NOT_CONFORMING)
    post = waiting.post
    assert post.state == PostState.SUBMITTED
    moves = post.transitions.count()
    city.sign_in_client(client, "poster")

    page = client.get(reverse("posting:detail", args=[post.pk])).content.decode()
    assert reverse("posting:edit", args=[post.pk]) not in page
    assert "it is not edited here" in page

    edit = reverse("posting:edit", args=[post.pk])
    response = client.get(edit)
    assert response.status_code == 302 and response.url == incident.get_absolute_url()
    assert NOT_EDITED_HERE in messages_on(response)
    # The text, channels and category the compiler would change, with a plea to override the
    # checks: nothing of it is saved, and the post still waits for its supervisor.
    response = client.post(
        edit,
        {
            "title": "Anything",
            "body": "The SWAT team is positioned behind the school.",
            "category": "announcement",
            "channels": [city.website.pk],
            "submit": "1",
            "attest": "on",
            "override_request": "Urgent.",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("posting:submit", args=[post.pk]), {"attest": "on"})
    assert response.status_code == 302
    post.refresh_from_db()
    waiting.refresh_from_db()
    assert post.state == PostState.SUBMITTED and post.body == NOT_CONFORMING == waiting.body
    assert post.category == incident.category
    assert set(post.channels.all()) == {city.website, city.mastodon}
    assert post.transitions.count() == moves

    with pytest.raises(ValidationError, match="changed only from the incident board"):
        Post.objects.get(pk=post.pk).revise(
            by=city.poster,
            title="Anything",
            body="Other words.",
            category="announcement",
            channels=[city.website],
        )
