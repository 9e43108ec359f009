"""A post's whole story, oldest first: every move, decision, delivery and record."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Event:
    at: datetime
    what: str
    who: str
    detail: str = ""
    link: str = ""


def timeline_for(post) -> list[Event]:
    events = [
        Event(
            at=record.history_date,
            what=_history_label(record),
            who=str(record.history_user or "system"),
            # A reschedule or cancellation says why (Post.reschedule, Post.cancel_schedule).
            detail=record.history_change_reason or f"Headline: {record.title}",
        )
        for record in post.history.select_related("history_user").filter(history_type__in="+~")
        if record.history_type == "+" or _content_changed(record)
    ]
    events += [
        Event(
            at=t.at,
            what=f"{t.get_from_state_display()} → {t.get_to_state_display()}",
            who=str(t.actor or "CitySocial"),
            detail=t.reason,
        )
        for t in post.transitions.select_related("actor")
    ]
    events += [
        Event(
            at=a.decided_at,
            what=a.get_decision_display()
            + (" by supervisor" if a.reviewer_id else "")
            + (" (void)" if a.voided_at else ""),
            who=str(a.reviewer or "CitySocial"),
            detail=(a.comment or "") + (f" Void: {a.void_reason}" if a.voided_at else ""),
        )
        for a in post.approvals.select_related("reviewer")
    ]
    for publication in post.publications.select_related("channel"):
        if publication.published_at:
            events.append(
                Event(
                    at=publication.published_at,
                    what=f"Published on {publication.channel}",
                    who="CitySocial",
                    link=publication.remote_url,
                )
            )
    events += [
        Event(
            at=record.recorded_at,
            what=f"Removed from {record.payload['channel']['name']} (702.5)",
            who=_removed_by(record.payload),
            detail=record.payload["platform_response"].get("removed_by_hand", ""),
        )
        for record in post.archive_records.filter(kind="removed")
    ]
    events += [
        Event(
            at=take_down.completed_at,
            what="Removed from public view on every channel (702.5)",
            who="CitySocial",
            detail=f"Taken down by {take_down.requested_by}: {take_down.reason}",
        )
        for take_down in post.take_downs.select_related("requested_by")
        if take_down.completed_at
    ]
    events += [
        Event(
            at=record.recorded_at,
            what=f"Archived as public record {record.sequence}",
            who="CitySocial",
            detail=f"SHA-256 {record.digest}",
            link=record.get_absolute_url(),
        )
        for record in post.archive_records.all()
    ]
    return sorted(events, key=lambda event: event.at)


def _removed_by(payload) -> str:
    person = payload.get("removed_by")
    return person["name"] if isinstance(person, dict) else "CitySocial"


CONTENT_FIELDS = ("title", "body", "category", "scheduled_for")


def _changed_fields(record) -> set[str]:
    previous = record.prev_record
    if previous is None:
        return set(CONTENT_FIELDS)
    return {f for f in CONTENT_FIELDS if getattr(record, f) != getattr(previous, f)}


def _content_changed(record) -> bool:
    return bool(_changed_fields(record))


def _history_label(record) -> str:
    if record.history_type == "+":
        return "Created"
    if _changed_fields(record) == {"scheduled_for"}:
        return "Rescheduled" if record.scheduled_for else "Taken off the schedule"
    return "Edited"


def changes_since_last_decision(post) -> list[tuple[str, str]] | None:
    """The text's changes since a supervisor last returned it: a line diff for the queue."""
    import difflib

    last_return = post.approvals.filter(decision="returned").order_by("-decided_at").first()
    if last_return is None:
        return None
    before = post.history.filter(history_date__lte=last_return.decided_at).first()
    if before is None or before.body == post.body:
        return None
    diff = difflib.ndiff(before.body.splitlines(), post.body.splitlines())
    return [(line[:1], line[2:]) for line in diff if line[:1] in {"+", "-", " "}]
