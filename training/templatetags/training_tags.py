from django.template import Library
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from accounts.roles import Role

from ..report import build_report
from ..services import statuses_for, training_expires_at

register = Library()


@register.filter
def training_text(text: str) -> SafeString:
    """A page body as HTML: blank lines separate paragraphs, "- " lines make a list.
    Every piece of text is escaped; only the tags made here are markup."""
    html = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            html.append(format_html("<p>{}</p>", " ".join(paragraph)))
            paragraph.clear()
        if items:
            lis = format_html_join("", "<li>{}</li>", ((item,) for item in items))
            html.append(format_html('<ul class="usa-list">{}</ul>', lis))
            items.clear()

    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("- "):
            if paragraph:
                flush()
            items.append(stripped[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308 - built from format_html pieces only


@register.simple_tag(takes_context=True)
def training_summary(context) -> dict:
    """What the dashboard shows about training: the person's own, and for the Mayor's
    office how many authorized employees are current."""
    user = context["request"].user
    statuses = [s for s in statuses_for(user) if s.module.required]
    summary = {
        "missing": [s for s in statuses if not s.is_current],
        "expiring": [s for s in statuses if s.status == "expiring"],
        "expires_at": training_expires_at(user),
        "required_count": len(statuses),
    }
    if user.has_role(Role.MAYORS_OFFICE):
        required = [s.module for s in statuses]
        report = build_report(modules=required, authorized_only=True)
        summary["authorized"] = report.people
        summary["authorized_current"] = report.people_current
    return summary
