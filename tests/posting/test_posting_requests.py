"""702.3: requests to post by employees who are not authorized go through supervisory channels."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from posting.models import PostingRequest, PostState

pytestmark = pytest.mark.django_db


def file_request(city, **overrides):
    data = {
        "requester": city.staff,
        "what": "The Riverside pool closes at 4 PM on Friday for staff training.",
        "why": "Swim lessons are cancelled; parents need to know.",
        "audience": "Pool users and parents",
        "urgency": "soon",
    }
    data.update(overrides)
    return PostingRequest.file(**data)


def test_a_request_goes_to_the_requesters_supervisor(city):
    request = file_request(city)
    assert request.supervisor == city.supervisor
    assert request.progress == "With the supervisor"


def test_a_request_without_a_supervisor_on_record_is_refused_with_what_to_do(city):
    with pytest.raises(ValidationError, match="no supervisor on record"):
        file_request(city, requester=city.outsider)


def test_the_supervisor_forwards_it_as_a_prefilled_draft_to_an_authorized_poster(city):
    request = file_request(city)
    draft = request.forward(
        by=city.supervisor,
        to=city.poster,
        title="Pool closes early Friday",
        category="announcement",
    )
    assert draft.author == city.poster
    assert draft.state == PostState.DRAFT
    assert draft.body == request.what
    assert set(draft.channels.all()) == {city.website, city.mastodon}
    assert request.progress == "Forwarded to an authorized poster: the post is draft"


def test_forwarding_to_someone_not_authorized_is_refused(city):
    request = file_request(city)
    with pytest.raises(ValidationError, match="not authorized"):
        request.forward(by=city.supervisor, to=city.clerk, title="x", category="announcement")


def test_only_the_requesters_supervisor_decides(city):
    request = file_request(city)
    with pytest.raises(PermissionDenied):
        request.decline(by=city.supervisor2, reason="No.")
    with pytest.raises(PermissionDenied):
        request.forward(by=city.poster, to=city.poster, title="x", category="announcement")


def test_declining_needs_a_reason_and_the_requester_sees_it(client, city):
    request = file_request(city)
    with pytest.raises(ValidationError):
        request.decline(by=city.supervisor, reason="")
    request.decline(by=city.supervisor, reason="Already on the parks calendar.")
    city.sign_in_client(client, "staff")
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Declined" in page and "Already on the parks calendar." in page


def test_filing_from_the_page_tells_the_supervisor_by_email(client, city):
    city.sign_in_client(client, "staff")
    response = client.post(
        reverse("posting:request_new"),
        {
            "what": "Trail closed for repairs.",
            "why": "Safety.",
            "audience": "Hikers",
            "urgency": "urgent",
            "attachment": SimpleUploadedFile("map.pdf", b"%PDF-1.4 map"),
        },
    )
    request = PostingRequest.objects.get()
    assert response.status_code == 302
    assert request.attachment.name.endswith("map.pdf")
    (message,) = mail.outbox
    assert message.to == [city.supervisor.email]


def test_an_attachment_of_the_wrong_kind_is_refused_and_nothing_is_lost(client, city):
    city.sign_in_client(client, "staff")
    response = client.post(
        reverse("posting:request_new"),
        {
            "what": "Trail closed.",
            "why": "Safety.",
            "audience": "Hikers",
            "urgency": "urgent",
            "attachment": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "Attach a picture" in response.content.decode()
    assert "Trail closed." in response.content.decode()
    assert not PostingRequest.objects.exists()


def test_others_cannot_see_a_request_or_its_attachment(client, city):
    request = file_request(city, attachment=SimpleUploadedFile("a.txt", b"x"))
    city.sign_in_client(client, "poster")
    assert client.get(request.get_absolute_url()).status_code == 403
    assert client.get(reverse("posting:request_attachment", args=[request.pk])).status_code == 403
    city.sign_in_client(client, "supervisor")
    assert client.get(reverse("posting:request_attachment", args=[request.pk])).status_code == 200
