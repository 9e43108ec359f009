"""702.5.1: each department reads its own messages; the Mayor's office decides who reads which."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from contact.models import ContactMessage, ContactTopic
from retention.models import ArchiveRecord
from tests.contact.conftest import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def pothole(client, public_works):
    send(client, public_works, body="A pothole on Main Street at 3rd.")
    return ContactMessage.objects.get(body__startswith="A pothole")


@pytest.fixture
def pool(client, parks):
    send(client, parks, body="The pool's changing room door is broken.")
    return ContactMessage.objects.get(body__startswith="The pool")


ACTIONS = {
    "contact:answer": {"note": "Called back."},
    "contact:assign": {"to": ""},
    "contact:move": {"reason": "Wrong department."},
    "contact:release": {},
}


def test_702_5_1_inbox_members_only_see_their_topics_messages(client, city, pothole, pool):
    city.sign_in_client(client, "robin")  # Public Works
    inbox = client.get(reverse("contact:inbox")).content.decode()
    assert pothole.reference in inbox and pool.reference not in inbox
    assert client.get(pothole.get_absolute_url()).status_code == 200
    refused = client.get(pool.get_absolute_url())
    assert refused.status_code == 403
    assert "only the inbox members of “Parks, trails and recreation”" in refused.content.decode()

    city.sign_in_client(client, "staff")  # Parks and Recreation
    inbox = client.get(reverse("contact:inbox")).content.decode()
    assert pool.reference in inbox and pothole.reference not in inbox
    assert client.get(pothole.get_absolute_url()).status_code == 403


def test_staff_outside_every_inbox_are_refused_everything(client, city, pothole):
    city.sign_in_client(client, "it")
    refused = client.get(reverse("contact:inbox"))
    assert refused.status_code == 403
    assert "You are not named for any" in refused.content.decode()
    assert client.get(pothole.get_absolute_url()).status_code == 403
    for name, data in ACTIONS.items():
        response = client.post(reverse(name, args=[pothole.reference]), data)
        assert response.status_code == 403, name
    pothole.refresh_from_db()
    assert pothole.state == ContactMessage.State.WAITING and pothole.events.count() == 1


def test_a_member_of_another_inbox_cannot_answer_assign_or_move_a_message(
    client, city, pothole, parks
):
    city.sign_in_client(client, "staff")
    for name, data in ACTIONS.items():
        data = {**data, "topic": parks.pk} if name == "contact:move" else data
        assert client.post(reverse(name, args=[pothole.reference]), data).status_code == 403
    with pytest.raises(PermissionDenied):
        pothole.answer(by=city.staff, note="Not mine to answer.")
    pothole.refresh_from_db()
    assert pothole.topic.department.name == "Public Works" and pothole.answered_at is None


def test_anonymous_people_are_sent_to_sign_in_for_the_inbox(client, city, pothole):
    for url in (reverse("contact:inbox"), pothole.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("contact:answer", args=[pothole.reference]), {"note": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    pothole.refresh_from_db()
    assert pothole.state == ContactMessage.State.WAITING


def test_a_message_is_assigned_only_to_a_colleague_of_the_same_inbox(client, city, pothole):
    city.sign_in_client(client, "robin")
    url = reverse("contact:assign", args=[pothole.reference])
    assert client.post(url, {"to": city.poster.pk}).status_code == 302
    pothole.refresh_from_db()
    assert pothole.assigned_to == city.poster
    refused = client.post(url, {"to": city.staff.pk})  # Parks: not offered, not accepted
    assert refused.status_code == 400
    with pytest.raises(ValidationError):
        pothole.assign(by=city.robin, to=city.staff)
    pothole.refresh_from_db()
    assert pothole.assigned_to == city.poster
    assert [e.description for e in pothole.events.all()][-1] == f"Assigned to {city.poster}"


def test_702_5_1_a_message_that_belongs_elsewhere_moves_to_that_departments_inbox(
    client, city, pothole, parks, mailoutbox, django_capture_on_commit_callbacks
):
    city.sign_in_client(client, "robin")
    url = reverse("contact:move", args=[pothole.reference])
    missing_reason = client.post(url, {"topic": parks.pk})
    assert missing_reason.status_code == 400
    assert "Say why it belongs to the other department" in missing_reason.content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"topic": parks.pk, "reason": "It is in the park's lot."})
    assert response.status_code == 302 and response.url == reverse("contact:inbox")
    pothole.refresh_from_db()
    assert pothole.topic == parks
    assert client.get(pothole.get_absolute_url()).status_code == 403  # no longer Public Works'
    (moved,) = mailoutbox
    assert "parks@riverton.example" in moved.to and "moved to your department" in moved.body
    record = pothole.archive_records().order_by("sequence").last()
    assert record.kind == ArchiveRecord.Kind.CONTACT_HANDLED
    assert record.payload["contact_message"]["event"] == "moved"
    assert record.payload["contact_message"]["topic"]["department"] == "Parks and Recreation"

    city.sign_in_client(client, "staff")
    assert pothole.reference in client.get(reverse("contact:inbox")).content.decode()


def test_the_inbox_lists_messages_in_a_fixed_number_of_queries(
    client, city, public_works, django_assert_max_num_queries
):
    for n in range(12):  # from twelve households: one would reach the rate limit
        address = f"203.0.113.{n + 10}"
        send(client, public_works, address=address, body=f"Message number {n}", name=f"R {n}")
    city.sign_in_client(client, "robin")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("contact:inbox")).content.decode()
    assert page.count("Message number") == 12


def test_the_dashboard_shows_inbox_members_what_waits(client, city, pothole):
    city.sign_in_client(client, "robin")
    page = client.get(reverse("dashboard")).content.decode()
    assert "Messages from the public (702.5.1)" in page and "1</strong> message waiting" in page
    assert reverse("contact:inbox") in page
    city.sign_in_client(client, "it")
    assert "Messages from the public" not in client.get(reverse("dashboard")).content.decode()


def test_only_the_mayors_office_manages_the_topics_and_every_change_is_kept(client, city):
    city.sign_in_client(client, "staff")
    assert client.get(reverse("contact:topics")).status_code == 403
    assert client.post(reverse("contact:topic_new"), {"label": "Dogs"}).status_code == 403
    with pytest.raises(PermissionDenied):
        ContactTopic.create(by=city.staff, members=[city.staff], label="Dogs", department_id=1)

    city.sign_in_client(client, "mayor")
    department = city.staff.department
    data = {
        "label": "Animals and pets",
        "hint": "Licenses, lost pets, barking",
        "department": department.pk,
        "email": "animals@riverton.example",
        "position": 60,
        "is_active": "on",
    }
    nobody = client.post(reverse("contact:topic_new"), data)
    assert nobody.status_code == 200
    assert "Name at least one person" in nobody.content.decode()
    response = client.post(reverse("contact:topic_new"), {**data, "inbox_members": [city.staff.pk]})
    assert response.status_code == 302
    topic = ContactTopic.objects.get(label="Animals and pets")
    assert list(topic.members()) == [city.staff]
    assert ">Animals and pets<span" in client.get(reverse("contact:form")).content.decode()

    client.post(
        reverse("contact:topic_edit", args=[topic.pk]),
        {**data, "is_active": "", "inbox_members": [city.staff.pk]},
    )
    topic.refresh_from_db()
    assert not topic.is_active
    offered = [row.is_active for row in topic.history.order_by("history_date")]
    assert offered[0] is True and offered[-1] is False
    assert topic.history.latest().history_user == city.mayor
    assert ">Animals and pets<span" not in client.get(reverse("contact:form")).content.decode()
