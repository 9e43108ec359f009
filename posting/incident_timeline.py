"""What an incident's board and its after-action review read (702.4.1).

`after_action()`: who released what when, and how long each channel took, oldest first.
`current_facts()`: what the city says now, once corrections are taken into account.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .incident_models import IncidentUpdate
from .models import PostState, Publication


@dataclass
class Row:
    at: datetime
    event: str
    who: str
    update: int | None = None
    channel: str = ""
    delivery_seconds: float | None = None
    detail: str = ""

    def as_record(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "event": self.event,
            "who": self.who,
            "update": self.update,
            "channel": self.channel,
            "delivery_seconds": self.delivery_seconds,
            "detail": self.detail,
        }


def after_action(incident) -> list[Row]:
    rows = [
        Row(at=e.at, event=e.label, who=str(e.actor or "CitySocial"), detail=e.detail)
        for e in incident.events.select_related("actor")
    ]
    updates = incident.updates.with_delivery().prefetch_related("post__transitions__actor")
    for update in updates:
        rows += _update_rows(update)
    return sorted(rows, key=lambda row: row.at)


def _update_rows(update) -> list[Row]:
    rows = []
    if update.proposed_at:
        rows.append(
            Row(
                at=update.proposed_at,
                event="Update proposed",
                who=str(update.proposed_by),
                detail=update.body,
            )
        )
    if update.status == IncidentUpdate.Status.DECLINED:
        rows.append(
            Row(
                at=update.decided_at,
                event="Proposal declined",
                who=str(update.decided_by),
                detail=update.decline_reason,
            )
        )
    if not update.is_released:
        return rows
    number = update.number
    corrects = f" Corrects update {update.corrects.number}." if update.corrects_id else ""
    rows.append(
        Row(
            at=update.released_at,
            event=f"{update.get_purpose_display()} released",
            who=str(update.released_by),
            update=number,
            detail=update.post.body + corrects,
        )
    )
    for approval in update.post.approvals.all():
        by_supervisor = approval.reviewer_id is not None
        rows.append(
            Row(
                at=approval.decided_at,
                event=f"{approval.get_decision_display()}"
                + (" by a supervisor (702.3)" if by_supervisor else " (702.3)"),
                who=str(approval.reviewer or "CitySocial"),
                update=number,
                detail=approval.comment,
            )
        )
    for transition in update.post.transitions.all():
        if transition.to_state in {PostState.WITHDRAWN, PostState.HELD, PostState.REMOVED}:
            rows.append(
                Row(
                    at=transition.at,
                    event=transition.get_to_state_display(),
                    who=str(transition.actor or "CitySocial"),
                    update=number,
                    detail=transition.reason,
                )
            )
    for publication in update.post.publications.all():
        rows += _delivery_rows(update, publication)
    return rows


def _delivery_rows(update, publication) -> list[Row]:
    if publication.status == Publication.Status.PUBLISHED or publication.published_at:
        seconds = (publication.published_at - update.released_at).total_seconds()
        return [
            Row(
                at=publication.published_at,
                event="Published",
                who="CitySocial",
                update=update.number,
                channel=publication.channel.name,
                delivery_seconds=round(seconds, 3),
                detail=publication.remote_url,
            )
        ]
    if publication.status == Publication.Status.FAILED:
        return [
            Row(
                at=publication.updated_at,
                event="Publishing failed",
                who="CitySocial",
                update=update.number,
                channel=publication.channel.name,
                detail=publication.last_error,
            )
        ]
    return []


CSV_COLUMNS = ["at", "event", "who", "update", "channel", "delivery_seconds", "detail"]


def after_action_csv(incident) -> str:
    """The after-action timeline as CSV, times in the city's time zone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in after_action(incident):
        writer.writerow(
            [
                timezone.localtime(row.at).isoformat(),
                row.event,
                row.who,
                row.update or "",
                row.channel,
                "" if row.delivery_seconds is None else f"{row.delivery_seconds:.3f}",
                _safe_cell(row.detail),
            ]
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (text people typed ends up here)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass
class Fact:
    name: str  # the template's field, or "text" for an update written freely
    label: str
    value: str
    update: IncidentUpdate


def current_facts(updates) -> list[Fact]:
    """The latest word on each fill-in field (what, where, when, what to do) among the updates
    that went out (or are going out: not failed on every channel) and that no correction
    supersedes; an update written freely stands whole."""
    from review.guidelines import offered_templates

    specs = {spec.pk: spec for specs in offered_templates().values() for spec in specs}
    standing = [
        u for u in updates if u.is_out and not u.failed_everywhere and u.superseding() is None
    ]
    standing.sort(key=lambda u: u.released_at)
    facts: dict[str, Fact] = {}
    for update in standing:
        spec = specs.get(update.template_id)
        if spec is None or not update.fills:
            facts.clear()
            facts["text"] = Fact("text", "Latest update", update.post.body, update)
            continue
        facts.pop("text", None)
        for field in spec.fields:
            value = (update.fills.get(field.name) or "").strip()
            if value:
                facts[field.name] = Fact(field.name, field.label, value, update)
    return list(facts.values())
