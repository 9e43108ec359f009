"""702.7: drafts returned for changes, rejected or withdrawn, with their check results, are
transitory records (CORE's transitory series): captured as they stood, filed under TRANSITORY
and disposed of on its short schedule. A published post's approval trail stays with its
published record.
"""

from datetime import timedelta

import pytest
import time_machine

from retention.archive import verify_chain
from retention.disposition import propose_batches
from retention.models import ArchiveRecord

pytestmark = pytest.mark.django_db

SET_ASIDE = ArchiveRecord.Kind.DRAFT_SET_ASIDE


def returned(city, post):
    post.reject(by=city.supervisor, comment="Add the detour.", equipment=city.kit(city.supervisor))


def declined(city, post):
    post.decline(by=city.supervisor, comment="Duplicate.", equipment=city.kit(city.supervisor))


def withdrawn(city, post):
    post.withdraw(by=city.poster, reason="The repairs were postponed.")


@pytest.mark.parametrize(
    "set_aside, outcome, reason",
    [
        (returned, "rejected", "Add the detour."),
        (declined, "declined", "Duplicate."),
        (withdrawn, "withdrawn", "The repairs were postponed."),
    ],
)
def test_702_7_a_draft_set_aside_is_kept_as_a_transitory_record_with_its_checks(
    city, set_aside, outcome, reason
):
    post = city.submitted(title="Main Street repairs", body="Crews repair Main Street on Tuesday.")
    assessment = post.assessments.get()
    set_aside(city, post)
    record = post.archive_records.get()
    assert record.kind == SET_ASIDE
    assert record.retention.series.code == "TRANSITORY"
    assert record.retention.clock_started_at == record.recorded_at
    what = record.payload
    assert what["set_aside"]["outcome"] == outcome
    assert what["set_aside"]["reason"] == reason
    assert what["post"]["title"] == "Main Street repairs"
    assert what["post"]["body"] == "Crews repair Main Street on Tuesday."
    assert what["post"]["content_digest"] == post.content_digest()
    assert what["checks"] == {
        "decision": assessment.decision,
        "findings": assessment.findings,
        "content_digest": assessment.content_digest,
        "at": assessment.at.isoformat(),
    }
    if set_aside is not withdrawn:
        (decision,) = what["decisions"]
        assert (decision["decision"], decision["comment"]) == (
            {"rejected": "returned"}.get(outcome, outcome),
            reason,
        )
    assert verify_chain().intact


def test_a_transitory_draft_is_proposed_for_destruction_after_its_short_schedule(city):
    post = city.submitted()
    declined(city, post)
    record = post.archive_records.get(kind=SET_ASIDE)
    series = record.retention.series
    assert series.destroys
    due = record.recorded_at + timedelta(days=series.retention_days)
    with time_machine.travel(due - timedelta(days=1), tick=False):
        assert propose_batches() == []
    with time_machine.travel(due + timedelta(days=1), tick=False):
        (batch,) = propose_batches()
        assert list(batch.records.all()) == [record]
        certificate = batch.approve(by=city.clerk)
    record.refresh_from_db()
    assert record.is_destroyed and record.certificate == certificate
    assert verify_chain().intact


def test_the_approval_trail_of_a_published_post_stays_with_its_published_record(city):
    """A draft returned once and then published: the returned draft is a transitory record of
    its own; the published record carries every decision, the return included."""
    from posting.platforms import PublishResult
    from posting.publishing import record_success

    post = city.submitted(channels=[city.website])
    returned(city, post)
    post.revise(
        by=city.poster,
        title=post.title,
        body=post.body + " Detour: Oak Street.",
        category=post.category,
        channels=[city.website],
    )
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.approve(post)
    publication = post.publications.get()
    record_success(publication, PublishResult("news-1", "http://127.0.0.1/news/1/", {}))
    post.settle()
    kinds = sorted(post.archive_records.values_list("kind", flat=True))
    assert kinds == [SET_ASIDE, ArchiveRecord.Kind.PUBLISHED]
    published = post.archive_records.get(kind=ArchiveRecord.Kind.PUBLISHED)
    assert [a["decision"] for a in published.payload["approvals"]] == ["returned", "approved"]
    assert published.retention.series.code != "TRANSITORY"
    assert published.payload["checks"]["content_digest"] == post.content_digest()


def test_a_published_post_files_no_transitory_record(city):
    post = city.published()
    assert list(post.archive_records.values_list("kind", flat=True)) == ["published"]
