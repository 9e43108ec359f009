"""Pre-approved incident templates (702.4.1) under the Mayor's guidelines (702.3).

What, where, when, what to do: filled in as their fields ask, they strictly conform to the
guideline of their category, so a compiler's update goes out without waiting for a supervisor.
They are ordinary GuidelineTemplates, checked and offered by review.guidelines like any other,
and the Mayor's office edits them on the guidelines pages; the incident board offers first
those whose name carries "702.4.1".

The closing templates (CLOSING_TEMPLATES: the all clear) are offered only when a compiler
closes the incident, so that the closing message too goes out without a supervisor's wait
while the board is frozen. A city gets all of them with `manage.py load_incident_templates`.
"""

from django.db import transaction

from posting.models import Category
from review.guideline_defaults import ACTION, HAZARD, STREET, TEXT, TIME

# A template whose name starts so is a closing message: offered on the closing page only.
CLOSING_MARK = "Incident closing:"

INCIDENT_TEMPLATES = {
    # 702.4(e): the guideline asks what is happening, where, what to do, and "call 911".
    Category.REAL_TIME_SAFETY: {
        "name": "Incident update: what, where, when, what to do (702.4.1)",
        "text": ("{what} {where}, {when}. {what_to_do} For emergencies, call 911."),
        "fields": [
            (
                "what",
                "What is happening",
                rf"(?:an? )?{HAZARD}\b{TEXT}{{0,60}}",
                "Start with the hazard: A gas leak, Flooding, Police activity.",
                "A gas leak",
            ),
            (
                "where",
                "Where",
                rf"(?:near|at|on|between|in|along) {TEXT}{{3,80}}",
                "Start with near, at, on, between, in or along: near Oak Street and 4th Avenue.",
                "near Oak Street and 4th Avenue",
            ),
            (
                "when",
                "When",
                rf"(?:since|from|as of|starting|until|expected until) {TEXT}{{2,60}}",
                "Start with since, from, as of, starting or until: since 2:15 PM.",
                "since 2:15 PM",
            ),
            (
                "what_to_do",
                "What people should do",
                rf"{ACTION}\b{TEXT}{{0,140}}[.!]",
                "Start with what to do (Avoid, Stay, Evacuate, Do not ...); end with a period.",
                "Avoid the area and keep windows closed.",
            ),
        ],
    },
    # 702.4(f): the guideline asks the location, the time window, and a detour.
    Category.TRAFFIC: {
        "name": "Incident update: road closed (702.4.1)",
        "text": (
            "{road} is closed {where} {when} because of {what}. Detour: {detour}. Please plan "
            "extra time."
        ),
        "fields": [
            (
                "road",
                "Road",
                STREET,
                "A street with its type, capitalized: Main Street, 5th Avenue.",
                "Main Street",
            ),
            (
                "where",
                "Where on the road",
                rf"(?:between|at|near|from) {TEXT}{{3,80}}",
                "Start with between, at, near or from: between 3rd and 5th Avenue.",
                "between 3rd and 5th Avenue",
            ),
            (
                "when",
                "When",
                rf"until (?:{TIME}|further notice)|from {TIME} (?:to|until) {TIME}",
                "until 6 PM, until further notice, or from 9 AM to 3 PM.",
                "until further notice",
            ),
            (
                "what",
                "What happened",
                r"[\w ,'’/-]{3,80}",
                "e.g. a crash, a water main break.",
                "a crash",
            ),
            ("detour", "Detour", rf"{TEXT}{{3,100}}", "e.g. use Oak Street.", "use Oak Street"),
        ],
    },
}


# 702.4.1 closing: the all clear, as each category's guideline asks (what, where, what to do
# and "call 911" for 702.4(e); the street, a time window and the detour for 702.4(f)).
CLOSING_TEMPLATES = {
    Category.REAL_TIME_SAFETY: {
        "name": f"{CLOSING_MARK} all clear (702.4.1)",
        "text": (
            "All clear ({when}): {what} {where} is over. {what_now} Stay clear of any crews "
            "still at work. For emergencies, call 911."
        ),
        "fields": [
            (
                "when",
                "As of",
                rf"{TIME}(?: {TEXT}{{0,40}})?",
                "A time like 5:30 PM.",
                "5:30 PM",
            ),
            (
                "what",
                "What is over",
                rf"(?:the )?{HAZARD}\b{TEXT}{{0,60}}",
                "Start with the hazard: the gas leak, the flooding, the police activity.",
                "the gas leak",
            ),
            (
                "where",
                "Where",
                rf"(?:near|at|on|between|in|along) {TEXT}{{3,80}}",
                "Start with near, at, on, between, in or along: near Oak Street and 4th Avenue.",
                "near Oak Street and 4th Avenue",
            ),
            (
                "what_now",
                "What people should know now",
                rf"{TEXT}{{3,160}}[.!]",
                "One sentence, ending with a period: Oak Street is open again.",
                "Oak Street is open again.",
            ),
        ],
    },
    Category.TRAFFIC: {
        "name": f"{CLOSING_MARK} road open again (702.4.1)",
        "text": (
            "All clear: {road} is open again {where}. It was closed from {closed_at} to "
            "{opened_at} because of {what}. The detour has ended; please plan extra time while "
            "traffic clears."
        ),
        "fields": [
            (
                "road",
                "Road",
                STREET,
                "A street with its type, capitalized: Main Street, 5th Avenue.",
                "Main Street",
            ),
            (
                "where",
                "Where on the road",
                rf"(?:between|at|near|from) {TEXT}{{3,80}}",
                "Start with between, at, near or from: between 3rd and 5th Avenue.",
                "between 3rd and 5th Avenue",
            ),
            ("closed_at", "Closed at", TIME, "A time like 2 PM.", "2 PM"),
            ("opened_at", "Open again at", TIME, "A time like 5:30 PM.", "5:30 PM"),
            (
                "what",
                "What happened",
                r"[\w ,'’/-]{3,80}",
                "e.g. a crash, a water main break.",
                "a crash",
            ),
        ],
    },
}


def is_closing_template(spec) -> bool:
    return spec.name.startswith(CLOSING_MARK)


@transaction.atomic
def load_incident_templates() -> list:
    """Add each incident template, and each closing template, to its category's guideline,
    unless the guideline already has one of that name (the Mayor's office may have changed
    it). Safe to run again."""
    from review.guideline_models import Guideline

    made = []
    specs = [*INCIDENT_TEMPLATES.items(), *CLOSING_TEMPLATES.items()]
    for category, spec in specs:
        guideline = Guideline.objects.filter(category=category).first()
        if guideline is None or guideline.templates.filter(name=spec["name"]).exists():
            continue
        template = guideline.templates.create(name=spec["name"], text=spec["text"])
        for position, (name, label, pattern, hint, example) in enumerate(spec["fields"]):
            template.fields.create(
                position=position,
                name=name,
                label=label,
                pattern=pattern,
                hint=hint,
                example=example,
            )
        made.append(template)
    return made
