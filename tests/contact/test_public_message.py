"""702.5.1: a resident writes to city employees directly; 702.7: the message is a public record."""

import logging

import pytest
from django.urls import reverse

from contact.models import ContactEvent, ContactMessage
from retention.models import ArchiveRecord, RetentionSeries
from tests.contact.conftest import RESIDENT_ADDRESS, send

pytestmark = pytest.mark.django_db

BODY = "The street light on Elm Street at 5th has been out for a week."


def test_702_5_1_the_contact_page_is_open_to_everyone_without_signing_in(client, public_works):
    response = client.get(reverse("contact:form"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Contact the city" in page
    assert public_works.label in page and "Goes to Public Works" in page
    assert "call 911" in page and "(360) 555-0142" in page
    assert "5 messages every 15 minutes and 20 messages a day" in page
    assert "captcha" not in page.lower().replace("no captcha", "")
    # Linked from the city website's home (the news) and every public page's navigation.
    news = client.get(reverse("news:index")).content.decode()
    assert news.count(f'href="{reverse("contact:form")}"') >= 2


def test_702_5_1_a_genuine_message_reaches_the_department_inbox_and_email_is_archived_and_acknowledged(
    client, city, public_works, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            public_works,
            body=BODY,
            name="Lee Park",
            email="lee.park@example.org",
            phone="(360) 555-0199",
        )
    message = ContactMessage.objects.get()
    assert response.status_code == 302
    assert message.state == ContactMessage.State.WAITING and message.spam_reasons == []
    assert (message.topic, message.body, message.name) == (public_works, BODY, "Lee Park")

    # The acknowledgement page, with the reference number.
    page = client.get(response.url).content.decode()
    assert "Your message was sent" in page and message.reference in page
    assert "Public Works" in page

    # The department's inbox in the app.
    city.sign_in_client(client, "robin")
    inbox = client.get(reverse("contact:inbox")).content.decode()
    assert message.reference in inbox
    assert BODY[:40] in client.get(message.get_absolute_url()).content.decode()

    # E-mail to the topic's shared address and each inbox member; the resident acknowledged.
    to_department, to_resident = mailoutbox
    assert set(to_department.to) == {
        "publicworks@riverton.example",
        city.robin.email,
        city.poster.email,
    }
    assert BODY in to_department.body and "lee.park@example.org" in to_department.body
    assert message.reference in to_department.subject
    assert to_resident.to == ["lee.park@example.org"]
    assert message.reference in to_resident.body and "call 911" in to_resident.body
    # The city's address never repeats what a stranger typed to someone else's inbox.
    assert BODY not in to_resident.body and "Lee Park" not in to_resident.body

    # 702.7: archived as received, under the public correspondence series.
    (record,) = message.archive_records()
    assert record.kind == ArchiveRecord.Kind.CONTACT_MESSAGE
    assert record.payload["contact_message"]["body"] == BODY
    assert record.payload["contact_message"]["email"] == "lee.park@example.org"
    assert record.retention.series.code == "PUBLIC-CONTACT"
    assert record.retention.clock_started_at is None  # counted from the answer (CORE)
    assert [e.kind for e in message.events.all()] == [ContactEvent.Kind.RECEIVED]
    # The series cites Washington's CORE schedule for communications.
    series = RetentionSeries.objects.get(code="PUBLIC-CONTACT")
    assert "GS2010-001" in series.authority and "GS50-01-12" in series.authority
    assert series.retention_years == 2 and series.clock_event == "contact_answered"
    assert not series.destroys  # appraisal until the City Clerk confirms the series


def test_a_resident_who_leaves_no_address_is_not_emailed_but_the_department_is(
    client, public_works, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, public_works)
    (only,) = mailoutbox
    assert "publicworks@riverton.example" in only.to


def test_answering_archives_the_answer_and_starts_the_retention_clock(client, city, public_works):
    send(client, public_works, email="lee.park@example.org")
    message = ContactMessage.objects.get()
    city.sign_in_client(client, "robin")
    response = client.post(
        reverse("contact:answer", args=[message.reference]),
        {"note": "Replied by e-mail: the light is fixed on Tuesday."},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == ContactMessage.State.ANSWERED
    assert message.answered_by == city.robin
    received, answered = message.archive_records().order_by("sequence")
    assert answered.kind == ArchiveRecord.Kind.CONTACT_HANDLED
    assert answered.payload["contact_message"]["event"] == "answered"
    assert answered.payload["contact_message"]["by"]["username"] == "robin"
    assert answered.payload["contact_message"]["answer_note"].startswith("Replied by e-mail")
    # 2 years after the later of received and provided: both clocks start at the answer.
    for record in (received, answered):
        record.retention.refresh_from_db()
        assert record.retention.clock_started_at == message.answered_at


def test_an_answer_needs_a_note_and_is_given_once(client, city, public_works):
    send(client, public_works)
    message = ContactMessage.objects.get()
    city.sign_in_client(client, "robin")
    url = reverse("contact:answer", args=[message.reference])
    response = client.post(url, {"note": "  "})
    assert response.status_code == 400 and "Say how it was answered" in response.content.decode()
    client.post(url, {"note": "Called back."})
    again = client.post(url, {"note": "Called back twice."})
    assert again.status_code == 400
    message.refresh_from_db()
    assert message.answer_note == "Called back."


def test_a_mail_outage_never_loses_the_message_and_logs_nothing_that_identifies_the_resident(
    client, public_works, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.contact.test_public_message.RefusingMailServer"
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = send(
            client, public_works, name="Lee Park", email="lee.park@example.org", phone="3605550199"
        )
    message = ContactMessage.objects.get()
    assert response.status_code == 302
    assert message.state == ContactMessage.State.WAITING and message.archive_records().exists()
    assert "not sent (SMTPRecipientsRefused)" in caplog.text
    for identifying in ("lee.park@example.org", "Lee Park", "3605550199", RESIDENT_ADDRESS):
        assert identifying not in caplog.text


class RefusingMailServer:
    """A mail server that refuses every recipient, naming them in its error as real ones do."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        refused = {address: (550, b"no such user") for m in messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)
