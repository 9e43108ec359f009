"""Every move a post may make, and every move it may not (702.3)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posting.models import TRANSITIONS, IllegalTransition, Post, PostState, PostTransition

pytestmark = pytest.mark.django_db


def test_submit_moves_a_draft_to_awaiting_approval_and_records_who(city):
    post = city.draft()
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED
    move = post.transitions.get()
    assert (move.from_state, move.to_state, move.actor) == ("draft", "submitted", city.poster)


def test_approve_records_the_supervisor_and_releases_a_due_post(city):
    post = city.submitted()
    post.approve(by=city.supervisor, equipment=city.kit(city.supervisor), comment="Good to go.")
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    assert [t.to_state for t in post.transitions.all()] == ["submitted", "approved", "publishing"]
    assert post.publications.count() == 2
    assert post.current_approval().reviewer == city.supervisor


def test_a_scheduled_post_waits_approved_until_its_time(city):
    from datetime import timedelta

    from django.utils import timezone

    post = city.submitted(scheduled_for=timezone.now() + timedelta(hours=2))
    post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    assert post.publications.count() == 0
    assert list(Post.objects.due_for_release()) == []
    assert list(Post.objects.due_for_release(timezone.now() + timedelta(hours=3))) == [post]


def test_reject_needs_a_comment_and_returns_the_post(city):
    post = city.submitted()
    with pytest.raises(ValidationError):
        post.reject(by=city.supervisor, equipment=city.kit(city.supervisor), comment="  ")
    post.reject(
        by=city.supervisor, equipment=city.kit(city.supervisor), comment="Add the detour route."
    )
    post.refresh_from_db()
    assert post.state == PostState.REJECTED


@pytest.mark.parametrize(
    "origin",
    [
        PostState.DRAFT,
        PostState.APPROVED,
        PostState.REJECTED,
        PostState.PUBLISHED,
        PostState.WITHDRAWN,
        PostState.FAILED,
    ],
)
def test_only_a_submitted_post_can_be_approved(city, origin):
    post = city.draft()
    Post.objects.filter(pk=post.pk).update(state=origin)
    post.refresh_from_db()
    with pytest.raises(IllegalTransition):
        post.approve(by=city.supervisor, equipment=city.kit(city.supervisor))


def test_every_illegal_transition_is_refused(city):
    post = city.draft()
    for origin, allowed in TRANSITIONS.items():
        for target in PostState.values:
            if target in allowed:
                continue
            Post.objects.filter(pk=post.pk).update(state=origin)
            post.refresh_from_db()
            with pytest.raises(IllegalTransition):
                post._move(target, by=city.poster)
            post.refresh_from_db()
            assert post.state == origin


def test_a_withdrawn_post_cannot_be_submitted_or_edited(city):
    post = city.draft()
    post.withdraw(by=city.poster)
    with pytest.raises(IllegalTransition):
        post.submit(by=city.poster, equipment=city.kit(city.poster))
    with pytest.raises(IllegalTransition):
        post.revise(
            by=city.poster, title="x", body="y", category="announcement", channels=[city.website]
        )


def test_a_published_post_cannot_be_withdrawn(city):
    post = city.draft()
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED)
    post.refresh_from_db()
    with pytest.raises(IllegalTransition):
        post.withdraw(by=city.poster)


def test_only_the_author_submits_or_edits(city):
    post = city.draft()
    with pytest.raises(PermissionDenied):
        post.submit(by=city.supervisor, equipment=city.kit(city.supervisor))
    with pytest.raises(PermissionDenied):
        post.revise(
            by=city.supervisor,
            title="x",
            body="y",
            category="announcement",
            channels=[city.website],
        )


def test_nothing_but_post_methods_assigns_the_state():
    """Style rule: a post's state changes only through its transition methods, and any other
    governed model's state only through its own (in its own models module)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        if any(part in {".venv", "node_modules", "tests", "migrations"} for part in path.parts):
            continue
        own_models_module = path.name == "models.py" or path.name.endswith("_models.py")
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assigns_a_post = re.search(r"\bpost\w*\.state\s*=[^=]", line)
            assigns_its_own = re.search(r"\bself\.state\s*=[^=]", line)
            if assigns_a_post or (assigns_its_own and not own_models_module):
                offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == [], offenders


def test_every_transition_leaves_a_row(city):
    post = city.submitted()
    post.reject(by=city.supervisor, equipment=city.kit(city.supervisor), comment="Add times.")
    post.revise(
        by=city.poster,
        title=post.title,
        body=post.body + " 9 AM-3 PM.",
        category="announcement",
        channels=[city.website],
    )
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    post.withdraw(by=city.poster, reason="Work postponed.")
    moves = list(PostTransition.objects.filter(post=post).values_list("from_state", "to_state"))
    assert moves == [
        ("draft", "submitted"),
        ("submitted", "rejected"),
        ("rejected", "draft"),
        ("draft", "submitted"),
        ("submitted", "withdrawn"),
    ]
