"""Bad input on the public page gets a clear message and loses nothing; whatever anyone typed
is shown as text, never as markup."""

import pytest
from django.core import signing
from django.urls import reverse
from django.utils.html import escape

from contact.models import ContactMessage
from contact.views import SENT_SALT
from tests.contact.conftest import form_data, send

pytestmark = pytest.mark.django_db


def test_an_overlong_message_gets_a_clear_error_and_keeps_what_was_typed(client, public_works):
    body = "The hedge on Oak Lane blocks the crosswalk. " * 114 + "End."
    assert len(body) > 5000
    response = send(client, public_works, body=body, name="Lee Park", email="lee@example.org")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Your message is {len(body):,} characters long. Shorten it to 5,000" in page
    assert "Your message has not been sent yet" in page
    assert f">\n{body}</textarea>" in page  # every character, as typed
    assert 'value="Lee Park"' in page and 'value="lee@example.org"' in page
    assert f'value="{public_works.pk}" checked' in page
    assert "maxlength" not in page  # a browser would cut a pasted message short
    assert ContactMessage.objects.count() == 0


def test_the_error_summary_links_to_each_field_with_an_error(client, city):
    response = client.post(reverse("contact:form"), {"body": "", "email": "not-an-address"})
    page = response.content.decode()
    assert '<a href="#id_topic_0">What is your message about?</a>: Choose what your message' in page
    assert '<a href="#id_body">Your message</a>: Write your message.' in page
    assert '<a href="#id_email">Your e-mail address</a>: Enter an e-mail address' in page
    assert 'aria-describedby="id_email-error id_email_helptext"' in page
    assert "<title>Error: Contact the city" in page


def test_a_phone_number_must_look_like_one(client, public_works):
    page = send(client, public_works, phone="call me maybe").content.decode()
    assert "Enter a phone number with its area code" in page
    send(client, public_works, phone="+1 (360) 555-0199 ext. 12")
    assert ContactMessage.objects.get().phone == "+1 (360) 555-0199 ext. 12"


def test_a_topic_no_longer_offered_is_refused_with_a_clear_message(client, city, public_works):
    data = form_data(public_works)
    public_works.change(by=city.mayor, members=list(public_works.members()), is_active=False)
    page = client.post(reverse("contact:form"), data).content.decode()
    assert "Select a valid choice" in page or "no longer offered" in page
    assert ContactMessage.objects.count() == 0


SCRIPT = '<script>alert("x")</script>'
IMAGE = '<img src=x onerror="alert(1)">'


def test_everything_a_resident_typed_is_escaped_wherever_it_is_shown(
    client, city, public_works, mailoutbox, settings, django_capture_on_commit_callbacks
):
    # On the form with an error (no topic chosen): typed text comes back as text.
    page = client.post(
        reverse("contact:form"), {"body": SCRIPT, "name": IMAGE, "started": "x"}
    ).content.decode()
    assert SCRIPT not in page and IMAGE not in page
    assert escape(SCRIPT) in page and escape(IMAGE) in page

    # Sent: the confirmation, the inbox, the message page, the answer.
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, public_works, body=SCRIPT, name=IMAGE, phone="3605550199")
    message = ContactMessage.objects.get()
    pages = [client.get(response.url).content.decode()]
    city.sign_in_client(client, "robin")
    pages.append(client.get(reverse("contact:inbox")).content.decode())
    pages.append(client.get(message.get_absolute_url()).content.decode())
    client.post(reverse("contact:answer", args=[message.reference]), {"note": SCRIPT})
    pages.append(client.get(message.get_absolute_url()).content.decode())
    for page in pages:
        assert SCRIPT not in page and IMAGE not in page
    assert escape(SCRIPT) in pages[2] and escape(IMAGE) in pages[2]
    assert escape(SCRIPT) in pages[3]
    # The department's e-mail is plain text: what was typed goes as it was.
    assert SCRIPT in mailoutbox[0].body and mailoutbox[0].content_subtype == "plain"

    # Past the rate limit, the 429 page shows the unsent message back as text too.
    settings.CONTACT_RATE_LIMITS = [(1, 15 * 60)]
    flood = send(client, public_works, body=SCRIPT)
    assert flood.status_code == 429
    assert SCRIPT not in flood.content.decode() and escape(SCRIPT) in flood.content.decode()


def test_an_altered_confirmation_link_is_not_found(client, public_works):
    response = send(client, public_works)
    assert client.get(response.url).status_code == 200
    token = signing.dumps("C-2222-2222", salt=SENT_SALT)
    assert client.get(reverse("contact:sent", args=[token])).status_code == 404
    assert client.get(reverse("contact:sent", args=["made-up"])).status_code == 404
