"""702.3: post and approve only from city-approved equipment, unless a supervisor says otherwise."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.equipment import COOKIE, Equipment, token_for
from accounts.models import Device, EquipmentException
from posting.models import PostState

pytestmark = pytest.mark.django_db


def test_submitting_from_an_unenrolled_device_is_refused(city):
    post = city.draft()
    with pytest.raises(PermissionDenied, match="city-approved equipment"):
        post.submit(by=city.poster, equipment=Equipment(device=None))


def test_a_pending_enrollment_does_not_count_yet(city):
    device = Device.objects.create(user=city.poster, name="Laptop PW-7")
    with pytest.raises(PermissionDenied, match="waiting for approval"):
        city.draft().submit(by=city.poster, equipment=Equipment(device=device))


def test_someone_elses_device_does_not_count(city):
    with pytest.raises(PermissionDenied):
        city.draft().submit(by=city.poster, equipment=Equipment(device=city.devices["staff"]))


def test_approving_from_an_unenrolled_device_is_refused(city):
    post = city.submitted()
    with pytest.raises(PermissionDenied, match="city-approved equipment"):
        post.approve(by=city.supervisor, equipment=None)


def test_every_submission_and_approval_records_its_device(city):
    post = city.submitted()
    city.approve(post)
    submitted, approved = post.transitions.all()[:2]
    assert submitted.device == city.devices["poster"]
    assert approved.device == city.devices["supervisor"]
    assert post.approvals.get().device == city.devices["supervisor"]


def test_only_the_mayors_office_or_it_approves_a_device(city):
    device = Device.objects.create(user=city.poster, name="Laptop PW-7")
    with pytest.raises(PermissionDenied):
        device.approve(by=city.supervisor)
    device.approve(by=city.it)
    assert device.status == Device.Status.APPROVED


def test_a_revoked_device_no_longer_counts(city):
    device = city.devices["poster"]
    device.revoke(by=city.it, reason="Laptop reported stolen.")
    with pytest.raises(PermissionDenied):
        city.draft().submit(by=city.poster, equipment=Equipment(device=device))


def test_a_supervisors_time_boxed_exception_allows_other_equipment(city, time_machine):
    EquipmentException.grant(
        employee=city.poster,
        by=city.supervisor,
        reason="Storm response from home.",
        valid_until=timezone.now() + timedelta(days=2),
    )
    post = city.draft()
    post.submit(by=city.poster, equipment=Equipment(device=None))
    assert "exception granted by" in post.transitions.get().equipment
    time_machine.move_to(timezone.now() + timedelta(days=3), tick=False)
    with pytest.raises(PermissionDenied):
        city.draft(title="Later").submit(by=city.poster, equipment=Equipment(device=None))


def test_only_the_employees_supervisor_grants_an_exception_and_for_30_days_at_most(city):
    with pytest.raises(PermissionDenied):
        EquipmentException.grant(
            employee=city.poster,
            by=city.supervisor2,
            reason="x",
            valid_until=timezone.now() + timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="30 days"):
        EquipmentException.grant(
            employee=city.poster,
            by=city.supervisor,
            reason="x",
            valid_until=timezone.now() + timedelta(days=45),
        )


def test_enrolling_from_the_browser_sets_the_device_token(client, city):
    city.sign_in_client(client, "staff")
    response = client.post(reverse("accounts:equipment"), {"name": "Parks tablet 3"})
    device = Device.objects.get(name="Parks tablet 3")
    assert device.status == Device.Status.REQUESTED
    assert response.cookies[COOKIE].value == token_for(device)
    assert response.cookies[COOKIE]["httponly"]


def test_a_forged_device_cookie_is_ignored(client, city):
    post = city.draft()
    city.sign_in_client(client, "poster")
    client.cookies[COOKIE] = "forged-value"
    response = client.post(reverse("posting:submit", args=[post.pk]), {"attest": "on"})
    assert response.status_code == 403
    assert "city-approved equipment" in response.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
