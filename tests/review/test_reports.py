"""Reports of content (702.5): "Any employee who becomes aware of content on this city's social
media sites that the employee believes is unauthorized or inappropriate should promptly report
such content to a supervisor. The supervisor will ensure its removal from public view and
investigate the cause of the entry."
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from posting import publishing, removal
from posting.models import PostState, Publication
from retention.archive import verify_chain
from retention.models import ArchiveRecord
from review.oversight_models import ContentReport, Investigation
from review.reports import file_report, match_link, responsible_supervisor

pytestmark = pytest.mark.django_db

UNAUTHORIZED = ContentReport.Concern.UNAUTHORIZED
INAPPROPRIATE = ContentReport.Concern.INAPPROPRIATE
REASON = "It gives the home address of a witness (702.5(b))."


def published_everywhere(city, **kwargs):
    """Approved, then delivered to the website and the fake Mastodon by the real publish path."""
    post = city.submitted(**kwargs)
    city.approve(post)
    for publication in post.publications.all():
        publishing.deliver(publication.pk)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    return post


def report(city, post, by=None, concern=INAPPROPRIATE):
    return file_report(by=by or city.staff, concern=concern, reason=REASON, post=post)


def kinds(**filters):
    return sorted(ArchiveRecord.objects.filter(**filters).values_list("kind", flat=True))


# --- Routing: a report reaches the right supervisor ----------------------------------------
def test_702_5_a_report_reaches_the_channels_owner_when_the_owner_is_a_supervisor(
    city, django_capture_on_commit_callbacks
):
    city.website.owner = city.supervisor2
    city.website.save()
    post = city.published()
    with django_capture_on_commit_callbacks(execute=True):
        filed = report(city, post)
    assert filed.assigned_to == city.supervisor2
    assert responsible_supervisor(channel=city.website, post=post)[1] == (
        f"the owner of {city.website}"
    )
    [message] = mail.outbox
    assert message.to == ["supervisor2@riverton.example"]
    assert message.subject == f"Report of content (702.5): “{post.title}”"
    assert REASON in message.body and filed.get_absolute_url() in message.body


def test_702_5_otherwise_it_reaches_the_authors_supervisor_in_the_org_chart(city):
    city.website.owner = city.it  # an owner who is not a supervisor
    city.website.save()
    assert report(city, city.published()).assigned_to == city.supervisor


def test_702_5_nobody_is_sent_a_report_about_their_own_post(city):
    city.website.owner = city.supervisor
    city.website.save()
    own = city.submitted(author=city.supervisor, channels=[city.website])
    city.approve(own, by=city.supervisor2)
    publishing.deliver(own.publications.get().pk)
    filed = report(city, own)
    assert filed.assigned_to == city.mayor  # the supervisor's own supervisor
    with pytest.raises(PermissionDenied):
        filed.dismiss(by=city.supervisor, reasons="It is fine.")


def test_702_5_a_link_to_no_known_post_goes_to_the_supervisor_with_fewest_open_reports(city):
    first = file_report(
        by=city.staff,
        concern=UNAUTHORIZED,
        reason="Not ours.",
        link="https://elsewhere.example/post/1",
        channel=city.mastodon,
    )
    second = file_report(
        by=city.staff,
        concern=UNAUTHORIZED,
        reason="Not ours either.",
        link="https://elsewhere.example/post/2",
        channel=city.mastodon,
    )
    assert {first.assigned_to, second.assigned_to} == {city.supervisor, city.supervisor2}
    assert (second.post, second.channel, second.link) == (
        None,
        city.mastodon,
        "https://elsewhere.example/post/2",
    )


def test_702_5_without_any_supervisor_the_report_goes_to_the_mayors_office(city):
    Group.objects.get(name=Role.SUPERVISOR.value).user_set.clear()
    filed = file_report(
        by=city.staff,
        concern=UNAUTHORIZED,
        reason="Not ours.",
        link="https://elsewhere.example/post/1",
        channel=city.mastodon,
    )
    assert filed.assigned_to == city.mayor


# --- Reporting by link, and bad input -------------------------------------------------------
def test_702_5_a_pasted_link_is_matched_to_what_citysocial_published(city, fake_mastodon):
    post = published_everywhere(city)
    on_mastodon = post.publications.get(channel=city.mastodon)
    found = match_link(on_mastodon.remote_url)
    assert (found.publication, found.channel) == (on_mastodon, city.mastodon)
    news = match_link(f"http://city.example{reverse('news:item', args=[post.pk])}")
    assert news.publication == post.publications.get(channel=city.website)

    filed = file_report(
        by=city.staff, concern=INAPPROPRIATE, reason=REASON, link=on_mastodon.remote_url
    )
    assert (filed.post, filed.channel) == (post, city.mastodon)


def test_702_5_a_link_to_a_post_not_made_through_citysocial_keeps_its_channel_and_id(
    city, fake_mastodon
):
    made = fake_mastodon.post_as_account("Posted in the app by someone.")
    filed = file_report(by=city.staff, concern=UNAUTHORIZED, reason="Who?", link=made["url"])
    assert (filed.post, filed.channel, filed.remote_id) == (None, city.mastodon, made["id"])
    assert filed.removable_by_citysocial


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"concern": "", "reason": REASON}, "concern", "Choose whether it is unauthorized"),
        ({"concern": INAPPROPRIATE, "reason": "  "}, "reason", "Say what is wrong with it"),
        ({"concern": INAPPROPRIATE, "reason": REASON, "link": "city hall"}, "link", "full link"),
        (
            {"concern": INAPPROPRIATE, "reason": REASON, "link": "https://nowhere.example/x"},
            "channel",
            "Say which city channel you saw it on",
        ),
    ],
)
def test_702_5_a_report_without_what_it_needs_is_refused_with_a_clear_message(
    client, city, data, field, message
):
    city.sign_in_client(client, "staff")
    posted = {"link": "https://nowhere.example/x", **data}
    response = client.post(reverse("reports:new"), posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContentReport.objects.exists()
    with pytest.raises(ValidationError) as refused:
        file_report(by=city.staff, **posted)
    assert field in refused.value.message_dict


def test_702_5_any_employee_reports_a_post_that_went_out_from_its_page(client, city):
    post = city.published()
    city.sign_in_client(client, "poster")
    page = client.get(post.get_absolute_url())
    assert reverse("reports:post", args=[post.pk]) in page.content.decode()
    city.sign_in_client(client, "staff")  # staff cannot open the post page, but saw it published
    response = client.post(
        reverse("reports:post", args=[post.pk]), {"concern": INAPPROPRIATE, "reason": REASON}
    )
    assert response.status_code == 302 and response.url == reverse("reports:mine")
    filed = ContentReport.objects.get()
    assert (filed.post, filed.reported_by, filed.assigned_to) == (post, city.staff, city.supervisor)
    mine = client.get(reverse("reports:mine")).content.decode()
    assert f"#{filed.pk}" in mine and "Open: waiting for the supervisor" in mine


def test_702_5_a_post_that_has_not_gone_out_is_reported_only_by_those_who_may_see_it(client, city):
    waiting = city.submitted()
    city.sign_in_client(client, "staff")
    assert client.get(reverse("reports:post", args=[waiting.pk])).status_code == 403


# --- Who may see and decide ----------------------------------------------------------------
@pytest.mark.parametrize("who", ["staff", "poster", "clerk", "supervisor2", "designee"])
def test_702_5_only_the_assigned_supervisor_and_the_mayors_office_see_a_report(client, city, who):
    filed = report(city, city.published())
    city.sign_in_client(client, who)
    assert client.get(filed.get_absolute_url()).status_code == 403
    assert client.post(reverse("reports:remove", args=[filed.pk]), {"reason": "x"}).status_code == (
        403
    )
    for person in ("supervisor", "mayor"):
        city.sign_in_client(client, person)
        assert client.get(filed.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["staff", "poster", "supervisor2", "clerk"])
def test_702_5_others_cannot_remove_dismiss_or_investigate(city, who):
    post = city.published()
    filed = report(city, post)
    person = city.people[who]
    with pytest.raises(PermissionDenied):
        filed.remove_from_public_view(by=person, reason=REASON)
    with pytest.raises(PermissionDenied):
        filed.dismiss(by=person, reasons="Fine.")
    filed.dismiss(by=city.supervisor, reasons="Within the guidelines.")
    with pytest.raises(PermissionDenied):
        Investigation.record(report=filed, by=person, cause="human_error")
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and not Investigation.objects.exists()


def test_702_5_the_supervisors_queue_shows_the_content_as_archived(
    client, city, django_assert_max_num_queries
):
    post = city.published(title="Library hours", body="The library opens at 9 AM on Saturday.")
    filed = report(city, post)
    other = file_report(
        by=city.staff,
        concern=UNAUTHORIZED,
        reason="Not ours.",
        link="https://elsewhere.example/1",
        channel=city.mastodon,
    )
    city.sign_in_client(client, "supervisor")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("reports:queue")).content.decode()
    assert f'data-report="{filed.pk}"' in page
    assert "The library opens at 9 AM on Saturday." in page
    assert (f'data-report="{other.pk}"' in page) == (other.assigned_to == city.supervisor)
    detail = client.get(filed.get_absolute_url()).content.decode()
    record = post.archive_records.get(kind=ArchiveRecord.Kind.PUBLISHED)
    assert f'data-record="{record.sequence}"' in detail
    assert "Remove from public view on every channel" in detail


# --- Removal, dismissal and investigation -------------------------------------------------
def test_702_5_taking_down_from_a_report_removes_it_from_every_channel_and_the_archive_keeps_it(
    client, city, fake_mastodon
):
    post = published_everywhere(city)
    filed = report(city, post)
    assert len(fake_mastodon.statuses) == 1

    city.sign_in_client(client, "supervisor")
    refused = client.post(reverse("reports:remove", args=[filed.pk]), {"reason": ""})
    assert refused.status_code == 400 and "It was not removed" in refused.content.decode()
    response = client.post(reverse("reports:remove", args=[filed.pk]), {"reason": REASON})
    assert response.status_code == 302
    for publication in post.publications.filter(status=Publication.Status.REMOVING):
        removal.remove(publication.pk)  # what the workers do once the take-down commits

    filed.refresh_from_db()
    post.refresh_from_db()
    assert (filed.state, filed.decided_by) == (ContentReport.State.REMOVED, city.supervisor)
    assert post.state == PostState.REMOVED
    assert set(post.publications.values_list("status", flat=True)) == {"removed"}
    assert fake_mastodon.statuses == []
    deleted = [r for r in fake_mastodon.requests if r.method == "DELETE"]
    assert len(deleted) == 1
    assert f"Report #{filed.pk}" in post.take_downs.get().reason
    assert kinds(post=post) == sorted(
        ["published"] * 2 + ["captured_before_removal"] * 2 + ["removed"] * 2
        + ["content_report"] * 2
    )  # fmt: skip
    decided = ArchiveRecord.objects.filter(kind="content_report").order_by("sequence").last()
    assert decided.payload["event"] == "removed"
    assert decided.payload["content_report"]["decision_note"] == REASON
    assert verify_chain().intact
    with pytest.raises(ValidationError, match="already decided"):
        filed.dismiss(by=city.supervisor, reasons="Too late.")


def test_702_5_the_investigation_records_the_cause_and_closes_archived(client, city):
    filed = report(city, city.published())
    with pytest.raises(ValidationError, match="first"):
        Investigation.record(report=filed, by=city.supervisor, cause="human_error")
    filed.dismiss(by=city.supervisor, reasons="The address is the library's, not a witness's.")
    city.sign_in_client(client, "supervisor")
    url = reverse("reports:investigation", args=[filed.pk])

    saved = client.post(url, {"cause": "human_error", "findings": "Misread.", "save": ""})
    assert saved.status_code == 302
    incomplete = client.post(url, {"cause": "human_error", "findings": "Misread.", "close": ""})
    assert incomplete.status_code == 400
    assert "Say how the matter was resolved before closing." in incomplete.content.decode()
    closed = client.post(
        url,
        {
            "cause": "human_error",
            "findings": "The reporter misread the address.",
            "corrective_actions": "Reminded staff how addresses appear in posts.",
            "resolution": "The post stays up.",
            "close": "",
        },
    )
    assert closed.status_code == 302

    investigation = Investigation.objects.get(report=filed)
    assert investigation.is_closed and investigation.investigator == city.supervisor
    assert investigation.history.count() == 2  # saved, then closed
    assert filed.history.count() == 2  # filed, then dismissed
    record = ArchiveRecord.objects.get(kind=ArchiveRecord.Kind.INVESTIGATION)
    assert record.payload["investigation"]["cause"] == "human_error"
    assert record.retention.series.code == "OVERSIGHT"
    with pytest.raises(ValidationError, match="closed"):
        Investigation.record(report=filed, by=city.supervisor, cause="other", findings="More.")
    page = client.get(filed.get_absolute_url()).content.decode()
    assert "The reporter misread the address." in page and "Human error" in page
