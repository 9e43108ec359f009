"""702.3: content is approved by a supervisor, never by its author, and only as it was approved."""

import pytest
from django.core.exceptions import PermissionDenied

from posting.models import PostState
from review.models import Approval

pytestmark = pytest.mark.django_db


def test_supervisor_cannot_approve_own_post(city):
    post = city.submitted(author=city.supervisor)
    with pytest.raises(PermissionDenied, match="their own post"):
        post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED
    assert not Approval.objects.exists()


def test_another_supervisor_can_approve_a_supervisors_post(city):
    post = city.submitted(author=city.supervisor)
    post.approve(by=city.supervisor2, equipment=city.kit(city.supervisor2))
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING


@pytest.mark.parametrize("who", ["poster", "staff", "clerk", "mayor", "outsider"])
def test_only_supervisors_approve(city, who):
    post = city.submitted()
    with pytest.raises(PermissionDenied, match="702.3"):
        post.approve(by=getattr(city, who), equipment=city.kit(getattr(city, who)))


def test_edit_after_approval_voids_it(city):
    from datetime import timedelta

    from django.utils import timezone

    post = city.submitted(scheduled_for=timezone.now() + timedelta(days=1))
    post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))
    assert post.current_approval() is not None
    post.revise(
        by=city.poster,
        title=post.title,
        body="Changed after approval.",
        category=post.category,
        channels=[city.website],
    )
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert post.current_approval() is None
    approval = Approval.objects.get(post=post)
    assert approval.voided_at is not None
    assert "edited" in approval.void_reason


def test_approval_is_bound_to_the_exact_content(city):
    from datetime import timedelta

    from django.utils import timezone

    from posting.models import Post

    post = city.submitted(scheduled_for=timezone.now() + timedelta(days=1))
    post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))
    # Someone changes the text behind the state machine's back (a direct database edit):
    Post.objects.filter(pk=post.pk).update(body="Something nobody approved.")
    post.refresh_from_db()
    assert post.current_approval() is None
    with pytest.raises(PermissionDenied, match="no valid supervisor approval"):
        post.release()


def test_a_post_whose_author_lost_authorization_is_held_and_cannot_be_approved(city):
    from posting.models import IllegalTransition

    post = city.submitted()
    city.poster.authorizations.get().revoke(by=city.mayor, reason="Left the department.")
    post.refresh_from_db()
    assert post.state == PostState.HELD
    with pytest.raises(IllegalTransition, match="held"):
        post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))
