"""702.5.1 without a CAPTCHA: what looks like spam is held for a person to look at, never lost."""

import time

import pytest
from django.urls import reverse

from contact.models import ContactEvent, ContactMessage
from contact.protection import sign_started
from retention.models import ArchiveRecord
from tests.contact.conftest import send

pytestmark = pytest.mark.django_db


def held_message():
    message = ContactMessage.objects.get()
    assert message.state == ContactMessage.State.HELD
    return message


def test_702_5_1_a_filled_honeypot_is_held_as_spam_not_lost_and_can_be_released(
    client, city, public_works, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client, public_works, website="http://cheap-pills.example", email="a@b.example"
        )
    # The sender sees the same confirmation as anyone: a robot learns nothing.
    assert response.status_code == 302
    assert "Your message was sent" in client.get(response.url).content.decode()
    message = held_message()
    assert "honeypot" in message.spam_reasons[0]
    assert mailoutbox == []  # neither the department nor the given address is mailed
    (record,) = message.archive_records()  # a public record all the same (702.7)
    assert record.payload["contact_message"]["state"] == "held"

    city.sign_in_client(client, "robin")
    held_list = client.get(reverse("contact:inbox") + "?show=held").content.decode()
    assert message.reference in held_list
    assert message.reference not in client.get(reverse("contact:inbox")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact:release", args=[message.reference]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == ContactMessage.State.WAITING
    assert [e.kind for e in message.events.all()] == [
        ContactEvent.Kind.HELD,
        ContactEvent.Kind.RELEASED,
    ]
    to_department, to_resident = mailoutbox
    assert "publicworks@riverton.example" in to_department.to
    assert to_resident.to == ["a@b.example"]
    released = message.archive_records().order_by("sequence").last()
    assert released.kind == ArchiveRecord.Kind.CONTACT_HANDLED
    assert released.payload["contact_message"]["event"] == "released"


def test_702_5_1_too_fast_forged_or_link_stuffed_messages_are_held_while_a_person_gets_through(
    client, public_works
):
    links = " ".join(f"https://deals{n}.example/buy" for n in range(4))
    forged = sign_started(time.time() - 3600)[:-2] + "xx"
    sent = {
        "too fast": send(client, public_works, started=sign_started(time.time() - 0.5)),
        "forged": send(client, public_works, address="192.0.2.10", started=forged),
        "links": send(client, public_works, address="192.0.2.11", body=f"Offers {links}"),
        "person": send(
            client,
            public_works,
            address="192.0.2.12",
            body="The map at https://example.org/elm shows the broken light.",
        ),
    }
    assert {response.status_code for response in sent.values()} == {302}
    held = [m.spam_reasons for m in ContactMessage.objects.in_state("held")]
    assert len(held) == 3
    reasons = " ".join(" ".join(r) for r in held)
    assert "seconds after the form was opened" in reasons
    assert "timestamp was missing or altered" in reasons
    assert "4 links" in reasons
    person = ContactMessage.objects.get(body__startswith="The map")
    assert person.state == ContactMessage.State.WAITING and person.spam_reasons == []


def test_fixing_an_error_on_the_form_never_makes_the_message_too_fast(client, public_works):
    """The form keeps the time it was first opened across a page with errors."""
    opened = sign_started(time.time() - 30)
    first = client.post(reverse("contact:form"), {"topic": public_works.pk, "started": opened})
    assert first.status_code == 200 and opened in first.content.decode()
    send(client, public_works, started=opened)
    assert ContactMessage.objects.get().state == ContactMessage.State.WAITING


def test_the_honeypot_is_hidden_from_people_and_screen_readers_and_out_of_the_tab_order(
    client, city
):
    page = client.get(reverse("contact:form")).content.decode()
    assert '<div class="contact-extra" aria-hidden="true">' in page
    assert 'name="website" id="id_website" value="" tabindex="-1" autocomplete="off"' in page


def test_a_member_of_another_inbox_cannot_release_a_held_message(client, city, public_works):
    send(client, public_works, website="spam")
    message = held_message()
    city.sign_in_client(client, "staff")  # Parks and Recreation
    response = client.post(reverse("contact:release", args=[message.reference]))
    assert response.status_code == 403
    assert held_message().events.count() == 1
