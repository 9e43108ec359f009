"""Capturing public records (702.7) and checking the chain."""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS, ArchiveHead, ArchiveRecord, sha256_hex
from .schedules import file_record


def append(*, kind: str, payload: dict, post=None, publication=None, channel=None) -> ArchiveRecord:
    with transaction.atomic():
        _share_referenced_rows(post=post, publication=publication, channel=channel)
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
        file_record(record)
        head.sequence, head.digest = sequence, record.digest
        head.save(update_fields=["sequence", "digest"])
    return record


def _share_referenced_rows(**rows) -> None:
    """Take the foreign-key locks on the record's post, publication and channel before the
    chain's head. PostgreSQL checks the keys at commit (FOR KEY SHARE); a transaction holding
    the post for update while it waits for the head would otherwise deadlock with this one."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for row in rows.values():
            if row is not None and row.pk is not None:
                table = connection.ops.quote_name(row._meta.db_table)
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", [row.pk])  # noqa: S608


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
                # None: approved as conforming to the Mayor's guidelines, by no one (702.3).
                "reviewer": {
                    "id": a.reviewer_id,
                    "username": a.reviewer.username,
                    "name": str(a.reviewer),
                }
                if a.reviewer_id
                else None,
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
    # Tombstones met on the way: certificate number -> [first sequence, last sequence, count].
    destroyed: dict[int, list[int]] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    @property
    def destroyed_count(self) -> int:
        return sum(count for _, _, count in self.destroyed.values())

    def destroyed_lines(self) -> list[str]:
        return [
            f"{count} record(s) destroyed under certificate {number} "
            f"(records {first} to {last}); their tombstones still link the chain"
            for number, (first, last, count) in sorted(self.destroyed.items())
        ]

    def _tombstone(self, record) -> None:
        span = self.destroyed.setdefault(record.certificate_id, [record.sequence, 0, 0])
        span[1], span[2] = record.sequence, span[2] + 1


def verify_chain() -> ChainReport:
    """Recompute every digest and link, oldest first; name the first record that does not hold.

    A record destroyed on schedule is a tombstone: its content is gone, so its digest is
    vouched for by its certificate of destruction, and it must still link the chain.
    """
    report = ChainReport(0)
    expected_previous, expected_sequence = GENESIS, 1
    records = (
        ArchiveRecord.objects.select_related("certificate_entry")
        .order_by("sequence")
        .iterator(chunk_size=2000)
    )
    for record in records:
        report.checked += 1
        if record.sequence != expected_sequence:
            return _broken(report, expected_sequence, "a record is missing before this one")
        if record.previous_digest != expected_previous:
            return _broken(report, record.sequence, "it does not link to the record before it")
        if record.is_destroyed:
            if problem := _tombstone_problem(record):
                return _broken(report, record.sequence, problem)
            report._tombstone(record)
        elif not record.digest_matches():
            return _broken(report, record.sequence, "its content does not match its digest")
        elif not record.content_matches():
            return _broken(report, record.sequence, "its fields differ from its hashed form")
        expected_previous, expected_sequence = record.digest, expected_sequence + 1
    head = ArchiveHead.objects.filter(pk=1).first()
    if head and head.sequence != expected_sequence - 1:
        return _broken(report, expected_sequence, "the newest records are missing")
    return report


def _broken(report: ChainReport, sequence: int, problem: str) -> ChainReport:
    report.broken_at, report.problem = sequence, problem
    return report


def _tombstone_problem(record) -> str:
    entry = getattr(record, "certificate_entry", None)
    if entry is None or entry.certificate_id != record.certificate_id:
        return f"it is marked destroyed, but certificate {record.certificate_id} does not list it"
    if entry.digest != record.digest:
        return f"its digest differs from the one certificate {record.certificate_id} recorded"
    if record.payload or record.canonical:
        return "it is marked destroyed but still holds content"
    return ""


def archive_emergency_stop(stop) -> ArchiveRecord:
    """702.7: an emergency stop is a record of the city's use of social media: who, what, why."""
    return append(
        kind=ArchiveRecord.Kind.EMERGENCY_STOP,
        payload=_emergency_stop_payload(stop),
        channel=stop.channel,
    )


def archive_emergency_resume(stop) -> ArchiveRecord:
    """702.7: lifting the stop is recorded too, with who lifted it and their note."""
    return append(
        kind=ArchiveRecord.Kind.EMERGENCY_RESUME,
        payload=_emergency_stop_payload(stop),
        channel=stop.channel,
    )


def _emergency_stop_payload(stop) -> dict:
    def person(user):
        if user is None:
            return None
        return {"id": user.pk, "username": user.username, "name": str(user)}

    channel = stop.channel
    return {
        "emergency_stop": {
            "id": stop.pk,
            "scope": stop.scope_label,
            "channel": (
                {"id": channel.pk, "name": channel.name, "platform": channel.platform}
                if channel
                else None
            ),
            "reason": stop.reason,
            "started_by": person(stop.started_by),
            "started_at": stop.started_at.isoformat(),
            "ended_by": person(stop.ended_by),
            "ended_at": stop.ended_at.isoformat() if stop.ended_at else None,
            "resume_note": stop.resume_note,
        }
    }


def archive_capture_before_removal(publication, take_down, *, platform_copy, note) -> ArchiveRecord:
    """702.5, 702.7: the post as it stood on one channel just before it was taken down.

    The record of the published version is never changed: this one is added beside it.
    """
    post = publication.post
    payload = {
        "take_down": _take_down_payload(take_down),
        "post": {
            "id": post.pk,
            "title": post.title,
            "body": post.body,
            "category": post.category,
            "author": _take_down_person(post.author),
            "content_digest": post.content_digest(),
        },
        "channel": _take_down_channel(publication.channel),
        "publication": {
            "id": publication.pk,
            "remote_id": publication.remote_id,
            "remote_url": publication.remote_url,
            "published_at": _take_down_moment(publication.published_at),
            "idempotency_key": str(publication.idempotency_key),
        },
        "platform_copy": platform_copy,
        "platform_note": note,
    }
    return append(
        kind=ArchiveRecord.Kind.CAPTURED_BEFORE_REMOVAL,
        payload=payload,
        post=post,
        publication=publication,
        channel=publication.channel,
    )


def archive_removal(publication, take_down, *, answer: dict, removed_by=None) -> ArchiveRecord:
    """702.5, 702.7: the post was removed from one channel: who asked, why, when, and what
    the platform did. Removal from the platform is never removal of the record."""
    payload = {
        "take_down": _take_down_payload(take_down),
        "channel": _take_down_channel(publication.channel),
        "publication": {
            "id": publication.pk,
            "remote_id": publication.remote_id,
            "remote_url": publication.remote_url,
            "published_at": _take_down_moment(publication.published_at),
            "removed_at": _take_down_moment(publication.removed_at),
        },
        "removed_by": _take_down_person(removed_by) if removed_by else "CitySocial",
        "platform_response": answer,
    }
    return append(
        kind=ArchiveRecord.Kind.REMOVED,
        payload=payload,
        post=publication.post,
        publication=publication,
        channel=publication.channel,
    )


def _take_down_payload(take_down) -> dict:
    return {
        "id": take_down.pk,
        "requested_by": _take_down_person(take_down.requested_by),
        "reason": take_down.reason,
        "requested_at": take_down.requested_at.isoformat(),
    }


def _take_down_person(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": str(user)}


def _take_down_channel(channel) -> dict:
    return {
        "id": channel.pk,
        "name": channel.name,
        "platform": channel.platform,
        "handle": channel.handle,
    }


def _take_down_moment(moment) -> str | None:
    return moment.isoformat() if moment else None


def archive_annual_review(review) -> ArchiveRecord:
    """702.6: the signed review, with its reviewer's findings and the figures they signed."""
    return append(
        kind=ArchiveRecord.Kind.ANNUAL_REVIEW, payload={"annual_review": review.as_record()}
    )
