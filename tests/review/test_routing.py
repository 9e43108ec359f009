"""702.3 and 702.5: only what needs a human goes to a human, and nothing prohibited slips by."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from posting.models import Post, PostState
from review.models import Approval, ApprovalChain, ApprovalStep, Attestation, Override
from review.routing import awaiting, current_step

pytestmark = pytest.mark.django_db

# Strictly conforming under the default traffic guideline: location, time window, what to do.
CONFORMING_TRAFFIC = (
    "Main Street is closed between 1st Avenue and 3rd Avenue from 9 AM to 3 PM on Tuesday "
    "for paving. Use Oak Street as a detour and plan extra time."
)
# 702.3 in the default guidelines: every media release goes to a supervisor first.
WAITS = {"category": "media_release", "title": "Council adopts the budget"}
CASE_NUMBER = "Detectives ask anyone with information on case 26-004512 to call."


@pytest.fixture
def rules(city):
    from review.checks.defaults import load_default_configuration
    from review.guideline_defaults import load_default_guidelines

    load_default_configuration()
    load_default_guidelines()
    return city


def test_702_3_a_conforming_clean_post_from_an_authorized_poster_goes_out_without_waiting(rules):
    city = rules
    post = city.submitted(title="Main Street paving", body=CONFORMING_TRAFFIC, category="traffic")
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    approval = post.current_approval()
    assert approval.decision == Approval.Decision.CONFORMING and approval.reviewer is None
    assert post.auto_approved


def test_702_3_a_post_that_does_not_conform_waits_for_a_supervisor(rules):
    city = rules
    post = city.submitted(
        title="Main Street paving", body="Main Street is closed Tuesday.", category="traffic"
    )
    assert post.state == PostState.SUBMITTED
    assessment = post.assessments.get()
    assert assessment.decision == "needs_approval"
    assert {f["rule"] for f in assessment.guideline_findings} >= {"702.3/required-element"}


def test_702_4_the_attestation_is_recorded_with_the_content_it_covers(rules):
    city = rules
    post = city.submitted()
    attestation = Attestation.objects.get(post=post)
    assert attestation.by == city.poster
    assert attestation.content_digest == post.content_digest()
    assert "appropriate for public release" in attestation.statement


def test_702_5_c_blocked_content_is_refused_at_submission_and_the_draft_kept(rules):
    city = rules
    post = city.draft(title="Help us", body=CASE_NUMBER, category="request_for_information")
    with pytest.raises(ValidationError, match=r"702\.5\(c\)"):
        post.submit(by=city.poster, equipment=city.kit(city.poster))
    post.refresh_from_db()
    assert post.state == PostState.DRAFT and post.body == CASE_NUMBER


def test_702_5_an_override_needs_the_authors_reason_and_the_supervisors_justification(rules):
    city = rules
    post = city.draft(title="Help us", body=CASE_NUMBER, category="request_for_information")
    post.submit(
        by=city.poster,
        equipment=city.kit(city.poster),
        override_request="The case number is already public in the Police press release.",
    )
    assert post.state == PostState.SUBMITTED
    with pytest.raises(ValidationError, match="written justification"):
        city.approve(post)
    city.approve(post, justification="Released by the Police Chief in this morning's statement.")
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING
    override = Override.objects.get(post=post)
    assert override.supervisor == city.supervisor
    assert override.findings[0]["clause"] == "702.5(c)"


def test_rules_changed_after_submission_apply_before_approval(rules):
    from review.check_models import WatchListEntry
    from review.checks.engine import load_config

    city = rules
    post = city.submitted(
        body="Come meet Officer Jane Roe at the Eastside block party Saturday.", **WAITS
    )
    WatchListEntry.objects.create(term="Jane Roe", kind="investigation", added_by=city.supervisor)
    load_config()
    with pytest.raises(ValidationError, match="written justification"):
        city.approve(post)


def test_an_approval_chain_waits_at_each_step(rules):
    city = rules
    chain = ApprovalChain.objects.create(name="Media releases", category="media_release")
    ApprovalStep.objects.create(chain=chain, order=1, group=Group.objects.get(name="Supervisor"))
    ApprovalStep.objects.create(chain=chain, order=2, person=city.mayor)
    post = city.submitted(title="Budget adopted", category="media_release")
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED
    assert current_step(post).order == 2
    with pytest.raises(PermissionDenied, match="not an approver at this step"):
        city.approve(post, by=city.supervisor2)
    city.approve(post, by=city.mayor)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING


def test_an_all_step_needs_every_approver_but_never_the_author(rules):
    city = rules
    chain = ApprovalChain.objects.create(name="Everything, twice")
    ApprovalStep.objects.create(
        chain=chain, order=1, group=Group.objects.get(name="Supervisor"), rule="all"
    )
    post = city.submitted(author=city.supervisor, **WAITS)
    city.approve(post, by=city.supervisor2)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING


def test_an_all_step_waits_for_each_supervisor(rules):
    city = rules
    chain = ApprovalChain.objects.create(name="Everything, twice")
    ApprovalStep.objects.create(
        chain=chain, order=1, group=Group.objects.get(name="Supervisor"), rule="all"
    )
    post = city.submitted(**WAITS)
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED
    city.approve(post, by=city.supervisor2)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING


def test_a_pending_approval_lapses_at_the_scheduled_time_and_tells_the_author(rules, time_machine):
    from review.tasks import lapse_overdue_approvals

    city = rules
    when = timezone.now() + timedelta(hours=2)
    post = city.submitted(scheduled_for=when, **WAITS)
    time_machine.move_to(when + timedelta(minutes=1), tick=False)
    assert lapse_overdue_approvals() == 1
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert "not approved in time" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [city.poster.email]


def test_request_changes_returns_it_and_reject_is_final(rules):
    city = rules
    post = city.submitted(**WAITS)
    post.reject(by=city.supervisor, comment="Add the detour.", equipment=city.kit(city.supervisor))
    assert post.state == PostState.REJECTED
    post.revise(
        by=city.poster,
        title=post.title,
        body=post.body + " Detour: Oak St.",
        category=post.category,
        channels=[city.website],
    )
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    post.decline(by=city.supervisor, comment="Duplicate.", equipment=city.kit(city.supervisor))
    assert post.state == PostState.DECLINED
    with pytest.raises(ValidationError):
        post.revise(
            by=city.poster, title="x", body="y", category="announcement", channels=[city.website]
        )


def test_the_queue_lists_only_posts_waiting_for_you(rules):
    city = rules
    chain = ApprovalChain.objects.create(name="Media releases", category="media_release")
    ApprovalStep.objects.create(chain=chain, order=1, person=city.supervisor2)
    media = city.submitted(title="Budget adopted", category="media_release")
    other = city.submitted(title="Leaf pickup", body="Leaves.", category="announcement")
    submitted = Post.objects.awaiting_review()
    assert awaiting(city.supervisor, submitted) == [other]
    assert set(awaiting(city.supervisor2, submitted)) == {media, other}


def test_check_content_with_guidelines_gives_the_routing_a_draft_would_get(rules, tmp_path):
    import io
    import json

    from django.core.management import call_command

    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text(
        "\n".join(
            json.dumps({"text": text, "category": "traffic", "channels": ["city-website"]})
            for text in (CONFORMING_TRAFFIC, "Main Street is closed Tuesday.")
        )
    )
    out = io.StringIO()
    call_command("check_content", str(drafts), "--guidelines", stdout=out)
    decisions = [json.loads(line)["decision"] for line in out.getvalue().splitlines()]
    assert decisions == ["allow", "needs_approval"]
