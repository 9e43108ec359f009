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
        links = {
            "post": post.pk if post is not None else None,
            "publication": publication.pk if publication is not None else None,
            "channel": channel.pk if channel is not None else None,
        }
        canonical = ArchiveRecord.envelope(
            sequence=sequence,
            kind=kind,
            recorded_at=recorded_at,
            payload=payload,
            previous_digest=head.digest,
            links=links,
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
            # The images as published: their original bytes stay in storage under their
            # SHA-256 (`stored_as`), which the Clerk's export copies (records.export).
            "media": [image.as_record() for image in post.images.all()],
            "incident": incident_of(post),
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


def incident_of(post) -> dict | None:
    """702.4.1: the incident a post is an update of, and which update it is (None: none)."""
    if post.incident_id is None:
        return None
    incident = post.incident
    # The reverse one-to-one raises a subclass of AttributeError when there is no update.
    update = getattr(post, "incident_update", None)
    return {
        "id": incident.pk,
        "title": incident.title,
        "kind": incident.kind,
        "kind_label": incident.get_kind_display(),
        "severity": incident.severity,
        "update": (
            {
                "number": update.number,
                "purpose": update.purpose,
                "corrects": update.corrects.number if update.corrects_id else None,
            }
            if update is not None
            else None
        ),
    }


def archive_set_aside(post, transition) -> ArchiveRecord:
    """702.7: a draft returned for changes, rejected or withdrawn, with its check results: a
    transitory record (TRANSITORY series), kept its short time and then disposed of. What a
    published post went through stays with its published record instead."""
    from posting.models import PostState

    payload = {
        "set_aside": {
            "outcome": transition.to_state,
            "outcome_label": PostState(transition.to_state).label,
            "from": transition.from_state,
            "by": _take_down_person(transition.actor) if transition.actor_id else "CitySocial",
            "reason": transition.reason,
            "at": transition.at.isoformat(),
        },
        "post": {
            "id": post.pk,
            "title": post.title,
            "body": post.body,
            "category": post.category,
            "category_label": post.get_category_display(),
            "author": _take_down_person(post.author),
            "channels": [
                {"id": channel.pk, "name": channel.name, "platform": channel.platform}
                for channel in post.channels.order_by("pk")
            ],
            "scheduled_for": post.scheduled_for.isoformat() if post.scheduled_for else None,
            "created_at": post.created_at.isoformat(),
            "submitted_at": post.submitted_at.isoformat() if post.submitted_at else None,
            "content_digest": post.content_digest(),
            "incident": incident_of(post),
        },
        "decisions": [
            {
                "reviewer": _take_down_person(a.reviewer) if a.reviewer_id else None,
                "decision": a.decision,
                "comment": a.comment,
                "content_digest": a.content_digest,
                "decided_at": a.decided_at.isoformat(),
            }
            for a in post.approvals.select_related("reviewer").order_by("decided_at", "pk")
        ],
        "checks": _latest_checks(post),
    }
    return append(kind=ArchiveRecord.Kind.DRAFT_SET_ASIDE, payload=payload, post=post)


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
    vouched for by its certificate of destruction, whose own record in the chain must list it
    with that digest; and it must still link the chain.
    """
    report = ChainReport(0)
    expected_previous, expected_sequence = GENESIS, 1
    # Certificate number -> the sequence of the chain's record of that certificate.
    certificate_records: dict[int, int] = {}
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
        elif problem := record.content_mismatch():
            return _broken(report, record.sequence, problem)
        elif record.kind == ArchiveRecord.Kind.DISPOSITION:
            certificate = record.payload.get("certificate") if record.payload else None
            if isinstance(certificate, dict):
                certificate_records.setdefault(certificate.get("number"), record.sequence)
        expected_previous, expected_sequence = record.digest, expected_sequence + 1
    if uncertified := _uncertified_tombstone(report, certificate_records):
        return _broken(report, *uncertified)
    head = ArchiveHead.objects.filter(pk=1).first()
    if head and head.sequence != expected_sequence - 1:
        return _broken(report, expected_sequence, "the newest records are missing")
    return report


def _broken(report: ChainReport, sequence: int, problem: str) -> ChainReport:
    report.broken_at, report.problem = sequence, problem
    return report


def _uncertified_tombstone(report: ChainReport, certificate_records) -> tuple[int, str] | None:
    """The first tombstone whose certificate is not in the chain listing it with its digest.

    A certificate row and its entries alone prove nothing: whoever may insert rows could
    write them. The certificate's own record, hashed into the chain when the records were
    destroyed, is what vouches for each tombstone. One certificate is read at a time."""
    first = None
    for number in sorted(report.destroyed):
        sequence_of_certificate = certificate_records.get(number)
        listing = None
        if sequence_of_certificate is not None:
            captured = ArchiveRecord.objects.get(sequence=sequence_of_certificate)
            listing = {
                entry.get("sequence"): entry.get("digest")
                for entry in captured.payload["certificate"].get("records") or []
            }
        tombstones = (
            ArchiveRecord.objects.filter(certificate_id=number)
            .order_by("sequence")
            .values_list("sequence", "digest")
        )
        for sequence, digest in tombstones.iterator(chunk_size=2000):
            if listing is None:
                problem = (
                    f"it is marked destroyed under certificate {number}, which has no record "
                    "of its own in the archive's chain"
                )
            elif listing.get(sequence) != digest:
                problem = (
                    f"certificate {number}'s own record in the chain (record "
                    f"{sequence_of_certificate}) does not list it with its digest"
                )
            else:
                continue
            if first is None or sequence < first[0]:
                first = (sequence, problem)
            break
    return first


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
            "media": [image.as_record() for image in post.images.all()],
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


# --- Reports of content and their investigations (702.5) ---------------------------------
def archive_content_report(report, event: str) -> ArchiveRecord:
    """702.5, 702.7: a report of content as filed, and again as decided (removed or dismissed,
    with the supervisor's reasons). What was reported is in it as it stood: the post's text,
    or the link and the text the platform showed."""
    from .models import ArchiveRecord

    return append(
        kind=ArchiveRecord.Kind.CONTENT_REPORT,
        payload={"event": event, "content_report": _report_payload(report)},
        post=report.post,
        channel=report.channel,
    )


def archive_investigation(investigation) -> ArchiveRecord:
    """702.5: the supervisor's investigation of the cause, as closed."""
    from .models import ArchiveRecord

    report = investigation.report
    return append(
        kind=ArchiveRecord.Kind.INVESTIGATION,
        payload={
            "investigation": {
                "id": investigation.pk,
                "investigator": _take_down_person(investigation.investigator),
                "cause": investigation.cause,
                "cause_label": investigation.get_cause_display(),
                "findings": investigation.findings,
                "corrective_actions": investigation.corrective_actions,
                "resolution": investigation.resolution,
                "opened_at": investigation.opened_at.isoformat(),
                "closed_at": _take_down_moment(investigation.closed_at),
            },
            "content_report": _report_payload(report),
        },
        post=report.post,
        channel=report.channel,
    )


def archive_unpublished_capture(report, *, platform_copy, note) -> ArchiveRecord:
    """702.5, 702.7: a post that did not come through CitySocial, as it stood on the platform
    just before it was removed. There is no publication of it: the channel and the report say
    where it was."""
    from .models import ArchiveRecord

    return append(
        kind=ArchiveRecord.Kind.CAPTURED_BEFORE_REMOVAL,
        payload={
            "content_report": _report_payload(report),
            "channel": _take_down_channel(report.channel),
            "remote_post": {"remote_id": report.remote_id, "url": report.link},
            "platform_copy": platform_copy,
            "platform_note": note,
        },
        channel=report.channel,
    )


def archive_unpublished_removal(report, *, by, answer: dict) -> ArchiveRecord:
    """702.5, 702.7: that post was removed from the platform: who, why, when, what it said."""
    from .models import ArchiveRecord

    return append(
        kind=ArchiveRecord.Kind.REMOVED,
        payload={
            "content_report": _report_payload(report),
            "channel": _take_down_channel(report.channel),
            "remote_post": {"remote_id": report.remote_id, "url": report.link},
            "removed_by": _take_down_person(by),
            "removed_at": timezone.now().isoformat(),
            "platform_response": answer,
        },
        channel=report.channel,
    )


def _report_payload(report) -> dict:
    post = report.post
    return {
        "id": report.pk,
        "concern": report.concern,
        "concern_label": report.get_concern_display(),
        "source": report.source,
        "state": report.state,
        "reason": report.reason,
        "reported_by": _take_down_person(report.reported_by) if report.reported_by else None,
        "reported_at": report.reported_at.isoformat(),
        "assigned_to": _take_down_person(report.assigned_to) if report.assigned_to else None,
        "post": (
            {"id": post.pk, "title": post.title, "body": post.body, "category": post.category}
            if post
            else None
        ),
        "channel": _take_down_channel(report.channel) if report.channel else None,
        "link": report.link,
        "remote_id": report.remote_id,
        "remote_text": report.remote_text,
        "decided_by": _take_down_person(report.decided_by) if report.decided_by else None,
        "decided_at": _take_down_moment(report.decided_at),
        "decision_note": report.decision_note,
    }


def archive_annual_review(review) -> ArchiveRecord:
    """702.6: the signed review, with its reviewer's findings and the figures they signed."""
    return append(
        kind=ArchiveRecord.Kind.ANNUAL_REVIEW, payload={"annual_review": review.as_record()}
    )
