"""702.3: requests to post by employees who are not authorized go through supervisory channels.
702.7: each request is a public record, archived as filed and as decided."""

import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from posting.models import IllegalTransition, PostingRequest, PostState
from retention.archive import verify_chain
from retention.models import ArchiveRecord

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


# --- The record of each request (702.7) ----------------------------------------------

POSTING_REQUEST = ArchiveRecord.Kind.POSTING_REQUEST


def request_records():
    return [r.payload["posting_request"] for r in ArchiveRecord.objects.order_by("sequence")]


def test_702_7_a_filed_request_is_archived_as_filed(city):
    request = file_request(city, category="community_engagement")
    record = ArchiveRecord.objects.get(kind=POSTING_REQUEST)
    filed = record.payload["posting_request"]
    assert filed["id"] == request.pk and filed["event"] == "filed"
    assert filed["status"] == PostingRequest.Status.SUBMITTED
    assert filed["requester"]["username"] == "staff"
    assert filed["supervisor"]["username"] == "supervisor"
    assert filed["what"] == request.what and filed["why"] == request.why
    assert filed["audience"] == "Pool users and parents"
    assert filed["urgency"] == "soon" and filed["category"] == "community_engagement"
    assert filed["created_at"] == request.created_at.isoformat()
    assert filed["decided_at"] is None and filed["decision_note"] == ""
    assert filed["attachment"] is None
    assert verify_chain().intact


def test_702_7_the_attachment_is_kept_by_name_and_sha256_not_its_bytes(city):
    content = b"%PDF-1.4 a map of the pool closure"
    file_request(city, attachment=SimpleUploadedFile("pool-map.pdf", content))
    record = ArchiveRecord.objects.get(kind=POSTING_REQUEST)
    attachment = record.payload["posting_request"]["attachment"]
    assert attachment["name"] == "pool-map.pdf"
    assert attachment["sha256"] == hashlib.sha256(content).hexdigest()
    assert attachment["size"] == len(content)
    assert "a map of the pool closure" not in record.canonical


def test_702_7_forwarding_is_archived_with_the_poster_the_draft_and_the_note(city):
    request = file_request(city)
    draft = request.forward(
        by=city.supervisor,
        to=city.poster,
        title="Pool closes early Friday",
        category="announcement",
        note="Please post by Thursday noon.",
    )
    filed, forwarded = request_records()
    assert filed["event"] == "filed"
    assert forwarded["event"] == "forwarded"
    assert forwarded["status"] == PostingRequest.Status.FORWARDED
    assert forwarded["forwarded_to"]["username"] == "poster"
    assert forwarded["draft"] == draft.pk
    assert forwarded["decision_note"] == "Please post by Thursday noon."
    assert forwarded["decided_at"] == request.decided_at.isoformat()
    assert ArchiveRecord.objects.filter(kind=POSTING_REQUEST, post=draft).count() == 1
    assert verify_chain().intact


def test_702_7_declining_is_archived_with_the_reason(city):
    request = file_request(city)
    request.decline(by=city.supervisor, reason="Already on the parks calendar.")
    _, declined = request_records()
    assert declined["event"] == "declined"
    assert declined["status"] == PostingRequest.Status.DECLINED
    assert declined["decision_note"] == "Already on the parks calendar."
    assert declined["forwarded_to"] is None and declined["draft"] is None
    assert verify_chain().intact


def test_702_7_withdrawing_is_archived(city):
    request = file_request(city)
    request.withdraw(by=city.staff)
    _, withdrawn = request_records()
    assert withdrawn["event"] == "withdrawn"
    assert withdrawn["status"] == PostingRequest.Status.WITHDRAWN
    assert verify_chain().intact


def test_a_refused_decision_archives_nothing(city):
    request = file_request(city)
    with pytest.raises(PermissionDenied):
        request.decline(by=city.supervisor2, reason="No.")
    with pytest.raises(ValidationError):
        request.decline(by=city.supervisor, reason=" ")
    with pytest.raises(PermissionDenied):
        request.withdraw(by=city.poster)
    assert ArchiveRecord.objects.filter(kind=POSTING_REQUEST).count() == 1


def test_a_request_decided_elsewhere_meanwhile_is_not_decided_twice(city):
    request = file_request(city)
    PostingRequest.objects.get(pk=request.pk).withdraw(by=city.staff)
    with pytest.raises(IllegalTransition):
        request.decline(by=city.supervisor, reason="Already on the parks calendar.")
    assert [r["event"] for r in request_records()] == ["filed", "withdrawn"]


def test_702_7_posting_requests_are_filed_under_their_own_series(city):
    request = file_request(city)
    request.decline(by=city.supervisor, reason="Already on the parks calendar.")
    for record in ArchiveRecord.objects.filter(kind=POSTING_REQUEST):
        assert record.retention.series.code == "POSTING-REQUESTS"
        assert record.retention.clock_started_at == record.recorded_at
        assert record.retention.series.final_action == "appraisal"


def test_702_7_a_request_that_cannot_be_filed_leaves_no_record(city):
    with pytest.raises(ValidationError):
        file_request(city, requester=city.outsider)
    with pytest.raises(ValidationError):
        file_request(city, audience="")
    assert not ArchiveRecord.objects.exists()
