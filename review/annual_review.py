"""The annual review's rules (702.6): what it counts, under the policy's four headings, and
who is told when.

`compute_figures(start, end)` reads what CitySocial already knows (posts and their
publications, approvals, checks and overrides, reports, take-downs, investigations,
authorizations, training, incidents, emergency stops, public-posting checks and the platforms'
engagement counts) and returns plain JSON, so that a signed review keeps exactly the figures
its reviewer signed (AnnualReview.figures).
"""

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.models import Authorization, User
from accounts.notifications import send
from accounts.roles import Role
from posting.incident_models import Incident, IncidentSeverity
from posting.models import (
    Category,
    Channel,
    EmergencyStop,
    PostState,
    PostTransition,
    Publication,
    TakeDown,
)
from training.services import has_current_training

from .annual_models import AnnualReview, EngagementSnapshot, long_date
from .models import Approval, Assessment, ContentReport, Investigation, Override
from .oversight_models import PublicPostingCheck

FIGURES_VERSION = 1
COUNTS = ("views", "likes", "shares", "replies")
# Approval turnaround, from submission to the approval that let the post go out.
TURNAROUND_BUCKETS = [
    ("Under 1 hour", timedelta(hours=1)),
    ("1 to 4 hours", timedelta(hours=4)),
    ("4 to 24 hours", timedelta(hours=24)),
    ("1 to 3 days", timedelta(days=3)),
    ("Over 3 days", None),
]
SEVERITIES = [("block", "Blocked"), ("needs_supervisor", "Needs a supervisor"), ("warn", "Warning")]


# --- The figures --------------------------------------------------------------------------


def compute_figures(start: date, end: date, now=None) -> dict:
    """Everything the review reports on, for the days `start` to `end` inclusive (city time)."""
    now = now or timezone.now()
    window = Window(start, end)
    publications = list(
        Publication.objects.filter(
            published_at__gte=window.starts_at, published_at__lt=window.ends_at
        )
        .select_related("channel", "post")
        .order_by("published_at", "pk")
    )
    return {
        "version": FIGURES_VERSION,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "computed_at": now.isoformat(),
        "resources": _resources(window, publications, now),
        "effectiveness": _effectiveness(window, publications),
        "content": _content(window),
        "resolution": _resolution(window, now),
    }


class Window:
    """The review period as moments on the city's clock: [starts_at, ends_at)."""

    def __init__(self, start: date, end: date):
        zone = timezone.get_default_timezone()
        self.start, self.end = start, end
        self.starts_at = timezone.make_aware(datetime.combine(start, datetime.min.time()), zone)
        self.ends_at = timezone.make_aware(
            datetime.combine(end + timedelta(days=1), datetime.min.time()), zone
        )

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.starts_at, f"{field}__lt": self.ends_at})

    def months(self) -> list[tuple[int, int]]:
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


# Heading 1: the resources being used ------------------------------------------------------


def _resources(window: Window, publications: list, now) -> dict:
    posts_by_channel = Counter(p.channel_id for p in publications)
    channels = [
        {
            "name": channel.name,
            "platform": channel.get_platform_display(),
            "active": channel.is_active,
            "posts": posts_by_channel.get(channel.pk, 0),
        }
        for channel in Channel.objects.order_by("name")
        if channel.is_active or posts_by_channel.get(channel.pk)
    ]
    authorizations = Authorization.objects.filter(
        Q(valid_from__lt=window.ends_at),
        Q(valid_until__isnull=True) | Q(valid_until__gt=window.starts_at),
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=window.starts_at),
    )
    authorized = User.objects.filter(pk__in=authorizations.values("user")).order_by("pk")
    # Training as it stood when the period ended (or now, for a period still running).
    as_of = min(window.ends_at, now)
    current_at_end = Authorization.objects.current(as_of).values("user")
    trained = [
        has_current_training(user, as_of) for user in authorized.filter(pk__in=current_at_end)
    ]
    approvers = (
        Approval.objects.filter(window.q("decided_at"), reviewer__isnull=False)
        .exclude(decision=Approval.Decision.CONFORMING)
        .values("reviewer")
        .distinct()
    )
    incidents = Incident.objects.filter(window.q("opened_at"))
    severity = Counter(incidents.values_list("severity", flat=True))
    return {
        "channels": channels,
        "channels_used": len(posts_by_channel),
        "authorized_users": authorized.count(),
        "posters": len({p.post.author_id for p in publications}),
        "approvers": approvers.count(),
        "training": {
            "as_of": timezone.localtime(as_of).date().isoformat(),
            "authorized_at_end": len(trained),
            "current": sum(trained),
            "not_current": len(trained) - sum(trained),
        },
        "approvals": _turnaround(window),
        "incidents": {
            "opened": incidents.count(),
            "closed": incidents.filter(closed_at__isnull=False).count(),
            "by_severity": [
                [label, severity.get(value, 0)] for value, label in IncidentSeverity.choices
            ],
        },
    }


def _turnaround(window: Window) -> dict:
    """From the post's submission to the approval that let it go out (702.3)."""
    approved = list(
        PostTransition.objects.filter(window.q("at"), to_state=PostState.APPROVED)
        .annotate(
            submitted_at=Subquery(
                PostTransition.objects.filter(
                    post=OuterRef("post"), to_state=PostState.SUBMITTED, at__lte=OuterRef("at")
                )
                .order_by("-at", "-pk")
                .values("at")[:1]
            )
        )
        .values("actor_id", "at", "submitted_at")
    )
    conforming = sum(1 for row in approved if row["actor_id"] is None)
    waits = sorted(
        (row["at"] - row["submitted_at"]).total_seconds() / 3600
        for row in approved
        if row["actor_id"] is not None and row["submitted_at"] is not None
    )
    buckets = Counter()
    for hours in waits:
        for label, limit in TURNAROUND_BUCKETS:
            if limit is None or hours < limit.total_seconds() / 3600:
                buckets[label] += 1
                break
    return {
        "by_supervisor": len(waits),
        "conforming": conforming,
        "median_hours": _round(statistics.median(waits)) if waits else None,
        "mean_hours": _round(statistics.fmean(waits)) if waits else None,
        "p90_hours": _round(_percentile(waits, 0.9)) if waits else None,
        "longest_hours": _round(waits[-1]) if waits else None,
        "buckets": [[label, buckets.get(label, 0)] for label, _ in TURNAROUND_BUCKETS],
    }


# Heading 2: the effectiveness of the content -----------------------------------------------


def _effectiveness(window: Window, publications: list) -> dict:
    months = window.months()
    month_labels = [f"{date(year, month, 1):%b %Y}" for year, month in months]
    first_published: dict[int, datetime] = {}
    category_of: dict[int, str] = {}
    for publication in publications:
        first_published.setdefault(publication.post_id, publication.published_at)
        category_of[publication.post_id] = publication.post.category
    per_month = {value: [0] * len(months) for value in Category.values}
    for post_id, moment in first_published.items():
        local = timezone.localtime(moment)
        per_month[category_of[post_id]][months.index((local.year, local.month))] += 1
    per_category = Counter(category_of.values())
    per_channel = Counter(p.channel.name for p in publications)
    latest = _latest_snapshots([p.pk for p in publications])
    by_channel: dict[str, dict] = {}
    by_category: dict[str, dict] = {}
    for publication in publications:
        snapshot = latest.get(publication.pk)
        label = Category(publication.post.category).label
        for table, key in ((by_channel, publication.channel.name), (by_category, label)):
            row = table.setdefault(key, _engagement_row(key))
            row["posts"] += 1
            if snapshot is not None:
                row["measured"] += 1
                for name in COUNTS:
                    value = getattr(snapshot, name)
                    if value is not None:
                        row[name] = (row[name] or 0) + value
    totals = _engagement_row("All channels")
    for row in by_channel.values():
        totals["posts"] += row["posts"]
        totals["measured"] += row["measured"]
        for name in COUNTS:
            if row[name] is not None:
                totals[name] = (totals[name] or 0) + row[name]
    return {
        "posts": len(first_published),
        "publications": len(publications),
        "per_channel": sorted(per_channel.items(), key=lambda item: (-item[1], item[0])),
        "per_category": [[label, per_category.get(value, 0)] for value, label in Category.choices],
        "months": month_labels,
        "per_month_by_category": [[label, per_month[value]] for value, label in Category.choices],
        "engagement_by_channel": sorted(by_channel.values(), key=lambda row: row["name"]),
        "engagement_by_category": [
            by_category[label] for _, label in Category.choices if label in by_category
        ],
        "engagement_totals": totals,
    }


def _engagement_row(name: str) -> dict:
    return {"name": name, "posts": 0, "measured": 0, **dict.fromkeys(COUNTS)}


def _latest_snapshots(publication_ids: list[int]) -> dict[int, EngagementSnapshot]:
    """The newest snapshot of each publication: what the platform counted last."""
    latest = EngagementSnapshot.objects.filter(publication=OuterRef("publication")).order_by(
        "-taken_at", "-pk"
    )
    snapshots = EngagementSnapshot.objects.filter(
        publication_id__in=publication_ids, pk=Subquery(latest.values("pk")[:1])
    )
    return {snapshot.publication_id: snapshot for snapshot in snapshots}


def interactions(row: dict) -> int:
    """Likes, shares and replies together: what the public did with the posts."""
    return sum(row[name] or 0 for name in ("likes", "shares", "replies"))


# Heading 3: unauthorized or inappropriate content ------------------------------------------


def _content(window: Window) -> dict:
    latest_assessment = Assessment.objects.filter(post=OuterRef("post"), at__lt=window.ends_at)
    assessments = Assessment.objects.filter(window.q("at")).filter(
        pk=Subquery(latest_assessment.order_by("-at", "-pk").values("pk")[:1])
    )
    by_clause: dict[str, Counter] = defaultdict(Counter)
    flagged = 0
    for findings in assessments.values_list("findings", flat=True):
        flagged += bool(findings)
        for finding in findings:
            by_clause[finding.get("clause") or "Other"][finding.get("severity")] += 1
    overrides = Override.objects.filter(window.q("at")).select_related("post", "supervisor")
    reports = ContentReport.objects.filter(window.q("reported_at"))
    take_downs = TakeDown.objects.filter(window.q("requested_at")).select_related(
        "post", "requested_by"
    )
    stops = EmergencyStop.objects.filter(window.q("started_at")).select_related(
        "channel", "started_by"
    )
    return {
        "assessed_posts": assessments.count(),
        "posts_with_findings": flagged,
        "findings_by_clause": [
            [clause, *[counts.get(severity, 0) for severity, _ in SEVERITIES]]
            for clause, counts in sorted(by_clause.items())
        ],
        "overrides": [
            {
                "post": override.post.title,
                "post_id": override.post_id,
                "supervisor": str(override.supervisor),
                "justification": override.justification,
                "findings": [f.get("message", "") for f in override.findings],
                "at": override.at.isoformat(),
            }
            for override in overrides.order_by("at", "pk")
        ],
        "reports": {
            "total": reports.count(),
            "by_concern": _by_choice(reports, "concern", ContentReport.Concern),
            "by_source": _by_choice(reports, "source", ContentReport.Source),
            "by_state": _by_choice(reports, "state", ContentReport.State),
        },
        "take_downs": {
            "total": take_downs.count(),
            "completed": take_downs.filter(completed_at__isnull=False).count(),
            "items": [
                {
                    "post": take_down.post.title,
                    "post_id": take_down.post_id,
                    "reason": take_down.reason,
                    "by": str(take_down.requested_by),
                    "at": take_down.requested_at.isoformat(),
                    "completed_at": _iso(take_down.completed_at),
                }
                for take_down in take_downs.order_by("requested_at", "pk")
            ],
        },
        "public_posting": _public_posting(window),
        "emergency_stops": [
            {
                "scope": stop.scope_label,
                "reason": stop.reason,
                "by": str(stop.started_by),
                "started_at": stop.started_at.isoformat(),
                "ended_at": _iso(stop.ended_at),
                "hours": _round((stop.ended_at - stop.started_at).total_seconds() / 3600)
                if stop.ended_at
                else None,
            }
            for stop in stops.order_by("started_at", "pk")
        ],
    }


def _public_posting(window: Window) -> list[dict]:
    """702.5.1: what each channel's platform said last, by the end of the period."""
    rows = []
    for channel in Channel.objects.filter(is_active=True).order_by("name"):
        check = (
            PublicPostingCheck.objects.filter(channel=channel, checked_at__lt=window.ends_at)
            .order_by("-checked_at", "-pk")
            .first()
        )
        if check is None:
            status = "not checked"
        elif check.prevented is True:
            status = "prevented"
        elif check.prevented is False:
            status = "public can post"
        else:
            status = "platform does not say"
        rows.append(
            {
                "channel": channel.name,
                "status": status,
                "checked_at": _iso(check.checked_at) if check else None,
                "detail": check.detail if check else "",
            }
        )
    return rows


# Heading 4: the resolution of issues -------------------------------------------------------


def _resolution(window: Window, now) -> dict:
    investigations = list(
        Investigation.objects.filter(window.q("opened_at")).select_related("report")
    )
    closed = [i for i in investigations if i.closed_at is not None and i.closed_at <= now]
    days = sorted((i.closed_at - i.opened_at).total_seconds() / 86400 for i in closed)
    causes = Counter(i.cause for i in investigations)
    reports = ContentReport.objects.filter(window.q("reported_at"))
    decided = [
        (r.decided_at - r.reported_at).total_seconds() / 3600
        for r in reports.filter(decided_at__isnull=False)
    ]
    return {
        "investigations": {
            "total": len(investigations),
            "open": len(investigations) - len(closed),
            "closed": len(closed),
            "by_cause": [
                [label, causes.get(value, 0)]
                for value, label in [*Investigation.Cause.choices, ("", "Not yet known")]
                if causes.get(value, 0)
            ],
            "median_days_to_close": _round(statistics.median(days)) if days else None,
            "mean_days_to_close": _round(statistics.fmean(days)) if days else None,
            "longest_days_to_close": _round(days[-1]) if days else None,
        },
        "reports_decided": {
            "total": len(decided),
            "open": reports.filter(decided_at__isnull=True).count(),
            "median_hours_to_decide": _round(statistics.median(decided)) if decided else None,
        },
        "corrective_actions": [
            {
                "report": investigation.report_id,
                "cause": investigation.get_cause_display() or "Not yet known",
                "actions": investigation.corrective_actions,
                "resolution": investigation.resolution,
                "closed_at": _iso(investigation.closed_at),
            }
            for investigation in sorted(investigations, key=lambda i: (i.opened_at, i.pk))
            if investigation.corrective_actions.strip()
        ],
    }


# --- Helpers -------------------------------------------------------------------------------


def _by_choice(queryset, field: str, choices) -> list[list]:
    counts = Counter(queryset.values_list(field, flat=True))
    return [[label, counts.get(value, 0)] for value, label in choices.choices]


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, round(share * len(values) + 0.4999))
    return values[min(rank, len(values)) - 1]


def _round(value: float) -> float:
    return round(value, 1)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


# --- Who is told (702.6) -------------------------------------------------------------------


def mayors_office_emails() -> list[str]:
    return list(
        User.objects.filter(groups__name=Role.MAYORS_OFFICE.value, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _link(review: AnnualReview) -> str:
    return f"{settings.SITE_URL}{reverse('annual:detail', args=[review.pk])}"


def notify_appointment(review: AnnualReview) -> bool:
    if not review.reviewer.email:
        return False
    return send(
        subject=f"You are appointed to review the City's social media, {review.period_label}",
        message=(
            f"{review.appointed_by} has appointed you, on behalf of the Mayor, to review the "
            f"City's use of social media for {review.period_label} (Policy 702.6).\n\n"
            "Report back on, at a minimum, the resources being used, the effectiveness of the "
            "content, any unauthorized or inappropriate content, and the resolution of any "
            f"issues. The review is due by {long_date(review.period_end)}.\n\n{_link(review)}\n"
        ),
        recipients=[review.reviewer.email],
    )


def notify_signed_off(review: AnnualReview) -> bool:
    recipients = mayors_office_emails()
    if not recipients:
        return False
    return send(
        subject=f"Signed off: the social media review for {review.period_label}",
        message=(
            f"{review.reviewer} has signed off the review of the City's use of social media "
            f"for {review.period_label} (Policy 702.6). Read it, or download the report, "
            f"here:\n\n{_link(review)}\n"
        ),
        recipients=recipients,
    )


def send_review_reminders(now=None) -> int:
    """Each open review: one e-mail when it becomes due (30 days before its period ends),
    one when it is overdue (its period ended without a sign-off), to the reviewer and the
    Mayor's office. A review already overdue when first seen gets only the overdue one."""
    now = now or timezone.now()
    sent = 0
    for review in AnnualReview.objects.open().filter(
        Q(overdue_reminder_sent_at__isnull=True) & ~Q(period_end__gt=_days_ahead(now))
    ):
        kind = "overdue" if review.is_overdue(now) else "due" if review.is_due(now) else None
        if kind is None or not _claim_reminder(review, kind, now):
            continue
        sent += _remind(review, kind)
    return sent


def _days_ahead(now) -> date:
    """The latest period end that can be due already."""
    from .annual_models import DUE_NOTICE

    return timezone.localtime(now).date() + DUE_NOTICE + timedelta(days=1)


def _claim_reminder(review: AnnualReview, kind: str, now) -> bool:
    """Mark the reminder sent before sending it, so that a second run never sends it again."""
    with transaction.atomic():
        locked = AnnualReview.objects.select_for_update().get(pk=review.pk)
        if locked.is_signed_off:
            return False
        if kind == "due":
            if locked.due_reminder_sent_at or locked.overdue_reminder_sent_at:
                return False
            locked.due_reminder_sent_at = now
            locked.save(update_fields=["due_reminder_sent_at"])
        else:
            if locked.overdue_reminder_sent_at:
                return False
            locked.overdue_reminder_sent_at = now
            locked.save(update_fields=["overdue_reminder_sent_at"])
    return True


def _remind(review: AnnualReview, kind: str) -> bool:
    recipients = sorted({*mayors_office_emails(), review.reviewer.email} - {""})
    if not recipients:
        return False
    due = long_date(review.period_end)
    if kind == "due":
        subject = f"The social media review for {review.period_label} is due by {due}"
        opening = (
            f"The review of the City's use of social media for {review.period_label}, "
            f"appointed to {review.reviewer}, is due by {due} (Policy 702.6: at least annually)."
        )
    else:
        subject = f"Overdue: the social media review for {review.period_label}"
        opening = (
            f"The review of the City's use of social media for {review.period_label}, "
            f"appointed to {review.reviewer}, was due by {due} and is not signed off "
            "(Policy 702.6: at least annually)."
        )
    return send(
        subject=subject,
        message=f"{opening}\n\nWrite the findings and sign it off here:\n{_link(review)}\n",
        recipients=recipients,
    )
