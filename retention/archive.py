"""Capturing public records (702.7) and checking the chain."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import GENESIS, ArchiveHead, ArchiveRecord, sha256_hex


def append(*, kind: str, payload: dict, post=None, publication=None, channel=None) -> ArchiveRecord:
    with transaction.atomic():
        head, _ = ArchiveHead.objects.select_for_update().get_or_create(pk=1)
        sequence = head.sequence + 1
        recorded_at = timezone.now()
        canonical = ArchiveRecord.envelope(
            sequence=sequence,
            kind=kind,
            recorded_at=recorded_at,
            payload=payload,
            previous_digest=head.digest,
        )
        record = ArchiveRecord.objects.create(
            sequence=sequence,
            kind=kind,
            recorded_at=recorded_at,
            post=post,
            publication=publication,
            channel=channel,
            payload=payload,
            canonical=canonical,
            previous_digest=head.digest,
            digest=sha256_hex(canonical),
        )
        head.sequence, head.digest = sequence, record.digest
        head.save(update_fields=["sequence", "digest"])
    return record


def archive_publication(publication, raw_response: dict) -> ArchiveRecord:
    """The record of a post as published on one channel, with who approved it and what the platform said."""
    post = publication.post
    approval = post.current_approval()
    payload = {
        "post": {
            "id": post.pk,
            "title": post.title,
            "body": post.body,
            "category": post.category,
            "category_label": post.get_category_display(),
            "author": {
                "id": post.author_id,
                "username": post.author.username,
                "name": str(post.author),
            },
            "created_at": post.created_at.isoformat(),
            "submitted_at": post.submitted_at.isoformat() if post.submitted_at else None,
            "scheduled_for": post.scheduled_for.isoformat() if post.scheduled_for else None,
            "content_digest": post.content_digest(),
        },
        "channel": {
            "id": publication.channel_id,
            "name": publication.channel.name,
            "platform": publication.channel.platform,
            "handle": publication.channel.handle,
        },
        "publication": {
            "id": publication.pk,
            "remote_id": publication.remote_id,
            "remote_url": publication.remote_url,
            "published_at": publication.published_at.isoformat(),
            "attempts": publication.attempts,
            "idempotency_key": str(publication.idempotency_key),
        },
        "approvals": [
            {
                "reviewer": {
                    "id": a.reviewer_id,
                    "username": a.reviewer.username,
                    "name": str(a.reviewer),
                },
                "decision": a.decision,
                "comment": a.comment,
                "content_digest": a.content_digest,
                "decided_at": a.decided_at.isoformat(),
                "in_force": a.pk == (approval.pk if approval else None),
                "equipment": a.equipment,
            }
            for a in post.approvals.select_related("reviewer")
        ],
        "transitions": [
            {
                "from": t.from_state,
                "to": t.to_state,
                "actor": t.actor.username if t.actor else "system",
                "reason": t.reason,
                "at": t.at.isoformat(),
                "equipment": t.equipment,
            }
            for t in post.transitions.select_related("actor")
        ],
        "attestations": [
            {
                "by": a.by.username,
                "statement": a.statement,
                "content_digest": a.content_digest,
                "at": a.at.isoformat(),
            }
            for a in post.attestations.select_related("by")
        ],
        "checks": _latest_checks(post),
        "overrides": [
            {
                "supervisor": o.supervisor.username,
                "justification": o.justification,
                "findings": o.findings,
                "at": o.at.isoformat(),
            }
            for o in post.overrides.select_related("supervisor")
        ],
        "platform_response": raw_response,
    }
    return append(
        kind=ArchiveRecord.Kind.PUBLISHED,
        payload=payload,
        post=post,
        publication=publication,
        channel=publication.channel,
    )


def _latest_checks(post) -> dict | None:
    assessment = post.assessments.order_by("-at").first()
    if assessment is None:
        return None
    return {
        "decision": assessment.decision,
        "findings": assessment.findings,
        "content_digest": assessment.content_digest,
        "at": assessment.at.isoformat(),
    }


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """Recompute every digest and link, oldest first; name the first record that does not hold."""
    expected_previous, expected_sequence, checked = GENESIS, 1, 0
    records = ArchiveRecord.objects.order_by("sequence").iterator(chunk_size=2000)
    for record in records:
        checked += 1
        if record.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "a record is missing before this one")
        if record.previous_digest != expected_previous:
            return ChainReport(checked, record.sequence, "it does not link to the record before it")
        if not record.digest_matches():
            return ChainReport(checked, record.sequence, "its content does not match its digest")
        if not record.content_matches():
            return ChainReport(checked, record.sequence, "its fields differ from its hashed form")
        expected_previous, expected_sequence = record.digest, expected_sequence + 1
    head = ArchiveHead.objects.filter(pk=1).first()
    if head and head.sequence != expected_sequence - 1:
        return ChainReport(checked, expected_sequence, "the newest records are missing")
    return ChainReport(checked)
