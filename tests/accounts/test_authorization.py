"""702.3: only employees authorized by the Mayor or the authorized designee post."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Authorization
from accounts.permissions import can_publish, publishable_channels

pytestmark = pytest.mark.django_db


def test_an_authorized_poster_may_publish_to_their_channels(city):
    assert can_publish(city.poster, city.website)
    assert can_publish(city.poster, city.mastodon)
    assert set(publishable_channels(city.poster)) == {city.website, city.mastodon}


def test_staff_without_authorization_may_not_publish(city):
    assert not can_publish(city.staff, city.website)
    assert list(publishable_channels(city.staff)) == []


def test_only_the_mayors_office_grants(city):
    with pytest.raises(PermissionDenied, match="702.3"):
        Authorization.grant(user=city.staff, channels=[city.website], by=city.supervisor)


def test_grant_assigns_the_guardian_object_permission(city):
    Authorization.grant(user=city.trained(city.staff), channels=[city.website], by=city.mayor)
    assert city.staff.has_perm("posting.publish_to_channel", city.website)
    assert can_publish(city.staff, city.website)
    assert not can_publish(city.staff, city.mastodon)


def test_revocation_takes_effect_at_once(city):
    city.poster.authorizations.get().revoke(by=city.mayor, reason="Reassigned.")
    assert not can_publish(city.poster, city.website)
    from guardian.core import ObjectPermissionChecker

    assert not ObjectPermissionChecker(city.poster).has_perm("publish_to_channel", city.website)


def test_an_expired_authorization_no_longer_counts(city):
    authorization = Authorization.grant(
        user=city.trained(city.staff),
        channels=[city.website],
        by=city.mayor,
        valid_until=timezone.now() + timedelta(days=30),
    )
    assert can_publish(city.staff, city.website)
    assert not can_publish(city.staff, city.website, at=timezone.now() + timedelta(days=31))
    assert authorization.state == "active"


def test_revocation_needs_a_reason(city):
    with pytest.raises(ValidationError):
        city.poster.authorizations.get().revoke(by=city.mayor, reason="")


def test_a_superuser_without_authorization_still_may_not_publish(city):
    from accounts.models import User

    admin = User.objects.create_superuser("it-admin", password="x" * 12)
    assert not can_publish(admin, city.website)


def test_submit_refuses_channels_the_author_is_not_authorized_for(city):
    post = city.draft(author=city.staff)
    with pytest.raises(ValidationError, match="not authorized"):
        post.submit(by=city.staff, equipment=city.kit(city.staff))
