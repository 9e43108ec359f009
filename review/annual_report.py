"""What the annual review shows under each heading of 702.6: its key figures, its charts and
its tables, built once from the figures, so that the page and the PDF for the Mayor say the
same thing."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from .annual_charts import Chart, charts_for
from .annual_models import HEADINGS, AnnualReview
from .annual_review import COUNTS, interactions


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    empty: str = "None in the period."


@dataclass
class Section:
    key: str
    number: int
    heading: str
    findings: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.number}. {self.heading}"


def sections(review: AnnualReview, figures: dict) -> list[Section]:
    charts = charts_for(figures)
    builders = {
        "resources": _resources,
        "effectiveness": _effectiveness,
        "content": _content,
        "resolution": _resolution,
    }
    result = []
    for number, (key, heading) in enumerate(HEADINGS, start=1):
        section = Section(
            key=key,
            number=number,
            heading=heading,
            findings=getattr(review, f"{key}_findings"),
            charts=charts[key],
        )
        builders[key](section, figures[key])
        result.append(section)
    return result


def _resources(section: Section, figures: dict) -> None:
    training, approvals = figures["training"], figures["approvals"]
    incidents = figures["incidents"]
    section.facts = [
        ("Channels in use", f"{figures['channels_used']} of {len(figures['channels'])}"),
        ("Employees authorized to post (702.3)", str(figures["authorized_users"])),
        ("Employees who published", str(figures["posters"])),
        ("Supervisors who decided on posts", str(figures["approvers"])),
        (
            f"Training current (702.8), on {_day(training['as_of'])}",
            f"{training['current']} of {training['authorized_at_end']} authorized employees",
        ),
        ("Posts approved by a supervisor", str(approvals["by_supervisor"])),
        ("Posts that conformed and needed no approval", str(approvals["conforming"])),
        ("Median hours to approval", _value(approvals["median_hours"])),
        ("Hours to approval, 90th percentile", _value(approvals["p90_hours"])),
        ("Incidents opened (702.4.1)", str(incidents["opened"])),
    ]
    section.tables = [
        Table(
            "channels",
            "Channels",
            ["Channel", "Platform", "Active", "Posts"],
            [
                [c["name"], c["platform"], "Yes" if c["active"] else "No", c["posts"]]
                for c in figures["channels"]
            ],
            "No channels.",
        ),
        Table(
            "incidents",
            "Incidents by severity",
            ["Severity", "Incidents"],
            [list(row) for row in incidents["by_severity"]],
        ),
    ]


def _effectiveness(section: Section, figures: dict) -> None:
    totals = figures["engagement_totals"]
    section.facts = [
        ("Posts published", str(figures["posts"])),
        ("Publications on channels", str(figures["publications"])),
        ("Posts with the platforms' counts", str(totals["measured"])),
        ("Views counted", _value(totals["views"])),
        ("Likes, shares and replies", str(interactions(totals))),
    ]
    columns = ["Posts", "Measured", "Views", "Likes", "Shares", "Replies"]
    section.tables = [
        Table(
            "per-category",
            "Posts per category (702.4)",
            ["Category", "Posts"],
            [list(row) for row in figures["per_category"]],
        ),
        Table(
            "engagement-by-category",
            "Engagement per category (latest counts)",
            ["Category", *columns],
            [_engagement_row(row) for row in figures["engagement_by_category"]],
        ),
        Table(
            "engagement-by-channel",
            "Engagement per channel (latest counts)",
            ["Channel", *columns],
            [_engagement_row(row) for row in figures["engagement_by_channel"]],
        ),
    ]


def _engagement_row(row: dict) -> list:
    return [row["name"], row["posts"], row["measured"], *[_value(row[c]) for c in COUNTS]]


def _content(section: Section, figures: dict) -> None:
    reports, take_downs = figures["reports"], figures["take_downs"]
    stops = figures["emergency_stops"]
    exposed = [row for row in figures["public_posting"] if row["status"] != "prevented"]
    section.facts = [
        ("Posts checked (702.5)", str(figures["assessed_posts"])),
        ("Posts with findings", str(figures["posts_with_findings"])),
        ("Blocking findings overridden", str(len(figures["overrides"]))),
        ("Reports of content (702.5)", str(reports["total"])),
        ("Take-downs", f"{take_downs['total']} ({take_downs['completed']} completed)"),
        ("Emergency stops", str(len(stops))),
        (
            "Channels not confirmed closed to public posting (702.5.1)",
            f"{len(exposed)} of {len(figures['public_posting'])}",
        ),
    ]
    section.tables = [
        Table(
            "reports-by-concern",
            "Reports by concern",
            ["Concern", "Reports"],
            [list(row) for row in reports["by_concern"]],
        ),
        Table(
            "reports-by-source",
            "Reports by source",
            ["Source", "Reports"],
            [list(row) for row in reports["by_source"]],
        ),
        Table(
            "overrides",
            "Overrides of blocking findings",
            ["Post", "Supervisor", "Findings", "Justification", "When"],
            [
                [
                    o["post"],
                    o["supervisor"],
                    "; ".join(o["findings"]),
                    o["justification"],
                    _day(o["at"]),
                ]
                for o in figures["overrides"]
            ],
        ),
        Table(
            "take-downs",
            "Take-downs",
            ["Post", "Reason", "By", "Requested", "Completed"],
            [
                [t["post"], t["reason"], t["by"], _day(t["at"]), _day(t["completed_at"])]
                for t in take_downs["items"]
            ],
        ),
        Table(
            "public-posting",
            "Public posting, per channel (702.5.1)",
            ["Channel", "Status", "Last checked", "What the platform said"],
            [
                [p["channel"], p["status"].capitalize(), _day(p["checked_at"]), p["detail"]]
                for p in figures["public_posting"]
            ],
            "No active channels.",
        ),
        Table(
            "emergency-stops",
            "Emergency stops (702.4.1)",
            ["Scope", "Reason", "By", "Started", "Hours stopped"],
            [
                [
                    s["scope"],
                    s["reason"],
                    s["by"],
                    _day(s["started_at"]),
                    _value(s["hours"], "still on"),
                ]
                for s in stops
            ],
        ),
    ]


def _resolution(section: Section, figures: dict) -> None:
    investigations, decided = figures["investigations"], figures["reports_decided"]
    section.facts = [
        ("Investigations opened", str(investigations["total"])),
        ("Closed", str(investigations["closed"])),
        ("Still open", str(investigations["open"])),
        ("Median days to close", _value(investigations["median_days_to_close"])),
        ("Longest days to close", _value(investigations["longest_days_to_close"])),
        ("Reports decided", str(decided["total"])),
        ("Reports still open", str(decided["open"])),
        ("Median hours to decide a report", _value(decided["median_hours_to_decide"])),
    ]
    section.tables = [
        Table(
            "corrective-actions",
            "Corrective actions",
            ["Report", "Cause", "Corrective actions", "Resolution", "Closed"],
            [
                [f"#{c['report']}", c["cause"], c["actions"], c["resolution"], _day(c["closed_at"])]
                for c in figures["corrective_actions"]
            ],
        ),
    ]


def _value(value, missing: str = "Not counted") -> str:
    if value is None:
        return missing
    return str(int(value)) if float(value).is_integer() else str(value)


def _day(value) -> str:
    """An ISO date or moment from the figures, as the city writes a date ("" when none)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    return f"{moment:%b} {moment.day}, {moment.year}"
