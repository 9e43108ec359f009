"""The annual review's charts (702.6), drawn on the server from the review's figures.

Each chart is a `Chart` (what it shows, in numbers and in words); `render_svg` draws it as
an inline SVG image with a title and a description (role="img"), and the page shows its
data as a table beside it; review/annual_pdf.py draws the same charts with fpdf2's shapes.
No JavaScript: the picture is the same for everyone and a screen reader reads the table.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .annual_review import interactions

# USWDS colours that stand out 3:1 or more against white (WCAG 1.4.11), in series order.
PALETTE = [
    "#005ea2",
    "#d83933",
    "#00756f",
    "#8168b3",
    "#936f38",
    "#c05600",
    "#4d8055",
    "#1b1b1b",
]
INK = "#1b1b1b"
GRID = "#757575"

WIDTH = 720
LABEL_WIDTH = 190
VALUE_WIDTH = 60
BAR = 20
GAP = 10
TOP = 12
LEGEND_ROW = 22


@dataclass
class Chart:
    key: str
    title: str
    description: str
    labels: list[str]  # one bar each
    series: list[tuple[str, list[float]]]  # (name, one value per label); several are stacked
    unit: str = "posts"
    label_heading: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def totals(self) -> list[float]:
        return [sum(values[i] for _, values in self.series) for i in range(len(self.labels))]

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    @property
    def is_empty(self) -> bool:
        return not any(self.totals)

    @property
    def scale_max(self) -> float:
        return max(self.totals, default=0) or 1

    def rows(self) -> list[list]:
        """The data table: one row per bar, a column per series (and their total)."""
        rows = []
        for i, label in enumerate(self.labels):
            values = [_number(values[i]) for _, values in self.series]
            if self.stacked:
                values.append(_number(self.totals[i]))
            rows.append([label, *values])
        return rows

    def columns(self) -> list[str]:
        names = [name for name, _ in self.series]
        return [self.label_heading or "", *names, *(["Total"] if self.stacked else [])]

    def height(self) -> int:
        legend = LEGEND_ROW * ((len(self.series) + 1) // 2) if self.stacked else 0
        return TOP + legend + len(self.labels) * (BAR + GAP) + 24


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)


# --- From the figures to the charts, heading by heading -----------------------------------


def charts_for(figures: dict) -> dict[str, list[Chart]]:
    resources, effectiveness = figures["resources"], figures["effectiveness"]
    content, resolution = figures["content"], figures["resolution"]
    approvals = resources["approvals"]
    by_month = effectiveness["per_month_by_category"]
    findings = content["findings_by_clause"]
    causes = resolution["investigations"]["by_cause"]
    return {
        "resources": [
            Chart(
                key="turnaround",
                title="Approval turnaround",
                description=(
                    f"{approvals['by_supervisor']} posts waited for a supervisor's approval; "
                    f"the median wait was {_hours(approvals['median_hours'])}. "
                    f"{approvals['conforming']} conforming posts needed no wait (702.3)."
                ),
                labels=[label for label, _ in approvals["buckets"]],
                series=[("Posts approved", [count for _, count in approvals["buckets"]])],
                label_heading="Time from submission to approval",
            ),
        ],
        "effectiveness": [
            Chart(
                key="per-channel",
                title="Posts per channel",
                description=_describe_counts(effectiveness["per_channel"], "posts"),
                labels=[name for name, _ in effectiveness["per_channel"]],
                series=[("Posts", [count for _, count in effectiveness["per_channel"]])],
                label_heading="Channel",
            ),
            Chart(
                key="per-month",
                title="Posts by category, month by month",
                description=(
                    f"{effectiveness['posts']} posts over {len(effectiveness['months'])} "
                    "months, each bar split by the 702.4 category of its posts."
                ),
                labels=effectiveness["months"],
                series=[(label, counts) for label, counts in by_month if any(counts)],
                label_heading="Month",
            ),
            _engagement_chart(
                "engagement-category",
                "Engagement per category",
                effectiveness["engagement_by_category"],
                "Category",
            ),
            _engagement_chart(
                "engagement-channel",
                "Engagement per channel",
                effectiveness["engagement_by_channel"],
                "Channel",
            ),
        ],
        "content": [
            Chart(
                key="findings",
                title="Checker findings by clause",
                description=(
                    f"{content['posts_with_findings']} of {content['assessed_posts']} posts "
                    f"checked had findings; {len(content['overrides'])} blocking findings were "
                    "overridden by a supervisor."
                ),
                labels=[row[0] for row in findings],
                series=[
                    ("Blocked", [row[1] for row in findings]),
                    ("Needs a supervisor", [row[2] for row in findings]),
                    ("Warning", [row[3] for row in findings]),
                ],
                unit="findings",
                label_heading="Clause",
            ),
            Chart(
                key="reports",
                title="Reports and their resolution",
                description=_describe_counts(content["reports"]["by_state"], "reports"),
                labels=[label for label, _ in content["reports"]["by_state"]],
                series=[("Reports", [count for _, count in content["reports"]["by_state"]])],
                unit="reports",
                label_heading="State",
            ),
        ],
        "resolution": [
            Chart(
                key="causes",
                title="Investigations by cause",
                description=_describe_counts(causes, "investigations"),
                labels=[label for label, _ in causes],
                series=[("Investigations", [count for _, count in causes])],
                unit="investigations",
                label_heading="Cause",
            ),
        ],
    }


def _engagement_chart(key: str, title: str, rows: list[dict], heading: str) -> Chart:
    total = sum(interactions(row) for row in rows)
    measured = sum(row["measured"] for row in rows)
    return Chart(
        key=key,
        title=title,
        description=(
            f"{total} likes, shares and replies on {measured} measured posts, by the platforms' "
            "latest counts. The city website counts no readers."
        ),
        labels=[row["name"] for row in rows],
        series=[
            ("Likes", [row["likes"] or 0 for row in rows]),
            ("Shares", [row["shares"] or 0 for row in rows]),
            ("Replies", [row["replies"] or 0 for row in rows]),
        ],
        unit="interactions",
        label_heading=heading,
    )


def _describe_counts(pairs: list, noun: str) -> str:
    total = sum(count for _, count in pairs)
    if not total:
        return f"No {noun} in the period."
    top = max(pairs, key=lambda pair: pair[1])
    return f"{total} {noun} in all; the most: {top[0]} ({top[1]})."


def _hours(value) -> str:
    return "not measured" if value is None else f"{value} hours"


# --- SVG ----------------------------------------------------------------------------------


def render_svg(chart: Chart) -> SafeString:
    """A horizontal bar chart (stacked when there are several series) as inline SVG."""
    title_id, desc_id = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    height = chart.height()
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{} {}" '
            'viewBox="0 0 {} {}" width="100%" class="annual-chart" focusable="false">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>',
            title_id,
            desc_id,
            WIDTH,
            height,
            title_id,
            chart.title,
            desc_id,
            chart.description,
        )
    ]
    y = TOP
    if chart.stacked:
        parts.append(_legend(chart, y))
        y += LEGEND_ROW * ((len(chart.series) + 1) // 2)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for i, label in enumerate(chart.labels):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{}">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR - 6,
                INK,
                _shorten(label, 28),
            )
        )
        x = LABEL_WIDTH
        for s, (_, values) in enumerate(chart.series):
            width = span * values[i] / chart.scale_max
            if width > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                        round(x, 2),
                        y,
                        round(width, 2),
                        BAR,
                        PALETTE[s % len(PALETTE)],
                    )
                )
            x += width
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                round(x + 6, 2),
                y + BAR - 6,
                INK,
                _number(chart.totals[i]),
            )
        )
        y += BAR + GAP
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"></line>',
            LABEL_WIDTH,
            TOP,
            LABEL_WIDTH,
            y,
            GRID,
        )
    )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a closing tag
    return mark_safe("".join(parts))  # noqa: S308 - every piece built with format_html


def _legend(chart: Chart, y: int) -> SafeString:
    items = []
    for s, (name, _) in enumerate(chart.series):
        row, column = divmod(s, 2)
        x = LABEL_WIDTH + column * 250
        top = y + row * LEGEND_ROW
        items.append((x, top, PALETTE[s % len(PALETTE)], x + 20, top + 12, INK, _shorten(name, 34)))
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="14" height="14" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
        items,
    )


def _shorten(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
