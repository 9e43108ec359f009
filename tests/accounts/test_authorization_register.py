"""702.3: the register shows who may post where, why and since when; revocation acts at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Authorization
from accounts.permissions import can_publish
from posting.models import PostState

pytestmark = pytest.mark.django_db


def test_702_8_an_employee_without_current_training_cannot_be_authorized(city):
    with pytest.raises(ValidationError, match="702.8"):
        Authorization.grant(user=city.staff, channels=[city.website], by=city.mayor)
    assert not Authorization.objects.filter(user=city.staff).exists()


def test_702_8_lapsed_training_suspends_the_authorization_until_renewed(city, time_machine):
    from training.services import training_expires_at

    expires = training_expires_at(city.poster)
    time_machine.move_to(expires + timedelta(days=1), tick=False)
    Authorization.objects.refresh_for(city.poster)
    authorization = city.poster.authorizations.get()
    assert authorization.state == "suspended"
    assert "702.8" in authorization.suspension_reason
    assert not can_publish(city.poster, city.website)
    city.trained(city.poster)
    Authorization.objects.refresh_for(city.poster)
    authorization.refresh_from_db()
    assert authorization.state == "active"
    assert can_publish(city.poster, city.website)


def test_authorization_may_be_limited_to_categories(city):
    authorization = Authorization.grant(
        user=city.trained(city.staff),
        channels=[city.website],
        by=city.mayor,
        categories=["traffic"],
    )
    assert authorization.category_labels() == ["702.4(f) Traffic information"]
    assert can_publish(city.staff, city.website, category="traffic")
    assert not can_publish(city.staff, city.website, category="announcement")


def test_revocation_holds_queued_and_scheduled_posts_keeps_drafts_and_tells_the_supervisor(city):
    draft = city.draft(title="Draft stays")
    queued = city.submitted(title="Waiting for approval")
    scheduled = city.submitted(title="Scheduled", scheduled_for=timezone.now() + timedelta(days=1))
    city.approve(scheduled)
    city.poster.authorizations.get().revoke(by=city.mayor, reason="Changed jobs.")
    for post in (draft, queued, scheduled):
        post.refresh_from_db()
    assert draft.state == PostState.DRAFT
    assert queued.state == PostState.HELD
    assert scheduled.state == PostState.HELD
    assert scheduled.current_approval() is None
    (message,) = mail.outbox
    assert city.supervisor.email in message.to
    assert "Waiting for approval" in message.body and "Scheduled" in message.body


def test_the_register_lists_states_and_filters_them(client, city):
    Authorization.grant(
        user=city.trained(city.staff),
        channels=[city.website],
        by=city.mayor,
        valid_until=timezone.now() + timedelta(days=5),
    )
    city.sign_in_client(client, "mayor")
    page = client.get(reverse("accounts:authorizations")).content.decode()
    assert "Expiring" in page and "Active" in page
    expiring = client.get(
        reverse("accounts:authorizations"), {"state": "expiring"}
    ).content.decode()
    assert "Sasha Kowalski" in expiring and "Pat Nguyen" not in expiring


def test_an_authorizations_page_shows_its_history(client, city):
    authorization = city.poster.authorizations.get()
    authorization.revoke(by=city.mayor, reason="Moved to Parks.")
    city.sign_in_client(client, "mayor")
    page = client.get(reverse("accounts:authorization", args=[authorization.pk])).content.decode()
    assert "Granted by" in page or "Granted" in page
    assert "Moved to Parks." in page


def test_granting_through_the_page_refuses_untrained_staff_with_the_reason(client, city):
    city.sign_in_client(client, "mayor")
    response = client.post(
        reverse("accounts:authorization_new"),
        {"user": city.staff.pk, "channels": [city.website.pk]},
    )
    assert response.status_code == 400
    assert "702.8" in response.content.decode()
