"""702.3: the Mayor's designee acts for the Mayor within a scope and a period."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Authorization, Designation

pytestmark = pytest.mark.django_db


def test_only_the_mayors_office_names_designees(city):
    with pytest.raises(PermissionDenied, match="702.3"):
        Designation.grant(designee=city.staff, by=city.supervisor, authority="Memo")
    with pytest.raises(PermissionDenied, match="702.3"):
        Designation.grant(designee=city.staff, by=city.designee, authority="Memo")


def test_every_designation_says_who_granted_it_and_on_whose_authority(city):
    with pytest.raises(ValidationError, match="whose authority"):
        Designation.grant(designee=city.staff, by=city.mayor, authority=" ")
    designation = city.designation
    assert designation.granted_by == city.mayor
    assert designation.authority == "Mayor Dana Ortiz, Executive Order 2026-03"


def test_a_designee_authorizes_within_scope(city):
    authorization = Authorization.grant(
        user=city.trained(city.public_works_employee), channels=[city.website], by=city.designee
    )
    assert authorization.designation == city.designation
    assert "designee of the Mayor" in authorization.authority


def test_a_designee_is_refused_outside_the_departments_of_the_scope(city):
    with pytest.raises(PermissionDenied, match="outside the scope"):
        Authorization.grant(
            user=city.trained(city.staff), channels=[city.website], by=city.designee
        )


def test_a_designee_is_refused_outside_the_channels_of_the_scope(city):
    city.designation.channels.set([city.website])
    with pytest.raises(PermissionDenied, match="outside the scope"):
        Authorization.grant(
            user=city.trained(city.public_works_employee),
            channels=[city.mastodon],
            by=city.designee,
        )


def test_a_revoked_or_ended_designation_no_longer_acts(city):
    city.designation.revoke(by=city.mayor, reason="Reorganisation.")
    with pytest.raises(PermissionDenied):
        Authorization.grant(
            user=city.trained(city.public_works_employee), channels=[city.website], by=city.designee
        )
    assert not Designation.objects.current().filter(designee=city.designee).exists()


def test_a_designation_for_a_period_ends_by_itself(city, time_machine):
    Designation.objects.filter(pk=city.designation.pk).update(
        valid_until=timezone.now() + timedelta(days=10)
    )
    time_machine.move_to(timezone.now() + timedelta(days=11), tick=False)
    with pytest.raises(PermissionDenied):
        Authorization.grant(
            user=city.trained(city.public_works_employee), channels=[city.website], by=city.designee
        )


def test_the_designee_pages_are_for_the_mayors_office(client, city):
    city.sign_in_client(client, "designee")
    assert client.get(reverse("accounts:designations")).status_code == 403
    city.sign_in_client(client, "mayor")
    page = client.get(reverse("accounts:designations")).content.decode()
    assert "Executive Order 2026-03" in page
