"""The Mayor's guidelines a new city starts from (702.3): one per content category of 702.4.

`load_default_guidelines()` is idempotent and never overwrites the Mayor's office's own work:
a category that already has a guideline keeps it, with its elements and templates, as it is.
"""

from django.conf import settings
from django.db import transaction

from posting.models import Category

from .guideline_models import CITY_LINK_DOMAINS, Guideline

# --- Building blocks for patterns (all matched case-insensitively unless marked (?-i:)) -----

TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}|noon|midnight)"
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = rf"(?:(?:{WEEKDAY},?\s+)?{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
STREET_TYPES = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Parkway|Pkwy"
    r"|Highway|Hwy|Bridge|Court|Ct|Place|Pl|Circle|Trail|Loop|Expressway)\.?"
)
# A named street, capitalized as on a street sign: "Main Street", "5th Avenue", "I-5".
STREET = (
    rf"(?-i:[A-Z0-9][\w'.-]*(?:\s+[A-Z0-9][\w'.-]*){{0,3}}\s+{STREET_TYPES}(?!\w)"
    r"|(?:I|Interstate|Highway|Hwy|Route|SR|US)[- ]\d+\b)"
)
PHONE = r"\b(?:\(\d{3}\)\s*|\d{3}[-.\s])\d{3}[-.]\d{4}\b"
CITY_LINK = r"https?://(?:[\w-]+\.)*riverton\.example\b"

LOCATION = {
    "label": "the location",
    "pattern": STREET,
    "hint": "a named street, e.g. 'Main Street between 3rd and 5th Avenue'",
}
TIME_WINDOW = {
    "label": "the time window",
    "pattern": (
        rf"\b(?:from\s+)?{TIME}\s*(?:to|until|till|through|-|–)\s*{TIME}"
        rf"|\buntil\s+(?:{TIME}|further notice)"
    ),
    "hint": "e.g. 'from 9 AM to 3 PM' or 'until further notice'",
}
DETOUR = {
    "label": "a detour or a reminder to plan extra time",
    "pattern": (
        r"\bdetours?\b|\bplan (?:for )?extra (?:travel )?time\b"
        r"|\b(?:use|take) (?:an? )?(?:alternate|alternative|other) routes?\b"
    ),
    "hint": "e.g. 'Detour: use Oak Street' or 'Plan extra time'",
}
HAZARD = (
    r"(?:gas leak|(?:brush |house |structure )?fire|wildfire|smoke|flood(?:ing)?|storm|tornado"
    r"|earthquake|chemical spill|hazardous materials?|police activity|power outage"
    r"|downed power lines?|boil water|water main break|evacuation|extreme heat|air quality"
    r"|landslide|explosion)"
)
WHAT_HAPPENS = {
    "label": "what is happening",
    "pattern": rf"\b{HAZARD}\b",
    "hint": "e.g. 'a gas leak', 'flooding', 'police activity'",
}
WHERE = {
    "label": "where it is",
    "pattern": (
        rf"{STREET}|\b(?:near|between|north of|south of|east of|west of)\s+\w+"
        r"|\b(?:neighborhood|district|pressure zone)\b"
    ),
    "hint": "a street, an intersection or a neighborhood, e.g. 'near Oak Street and 4th Avenue'",
}
ACTION = (
    r"(?:avoid|stay (?:away|inside|indoors|clear|home)|shelter in place|evacuate|leave the area"
    r"|use (?:another|an alternate) route|keep (?:away|clear|windows|doors)"
    r"|close (?:your )?(?:windows|doors)|boil|do not|don't|move to higher ground|turn around)"
)
WHAT_TO_DO = {
    "label": "what people should do",
    "pattern": rf"\b{ACTION}\b",
    "hint": "e.g. 'Avoid the area' or 'Stay indoors and keep windows closed'",
}
CAMPAIGNING = "vote for\nvote against\nre-elect\nreelect\nendorse\nendorsed by"

TEXT = r"[^\n]"  # any fill on one line


def _domains(*extra: str) -> str:
    return "\n".join([*CITY_LINK_DOMAINS, *extra])


def default_guidelines() -> list[dict]:
    city = settings.CITY_NAME
    return [
        {
            "category": Category.ANNOUNCEMENT,
            "summary": (
                "News about city services, closures, events and decisions. Links go to the "
                "city's own website only. No campaigning: city accounts never urge a vote."
            ),
            "min_length": 20,
            "max_length": 1000,
            "allowed_link_domains": _domains(),
            "banned_terms": CAMPAIGNING,
            "templates": [
                {
                    "name": "City offices closed for a holiday",
                    "text": (
                        "City offices are closed on {date} for {holiday}. {service_note} "
                        "Online services stay open at https://www.riverton.example/services."
                    ),
                    "fields": [
                        (
                            "date",
                            "Date",
                            DATE,
                            "Write the date like Monday, May 26.",
                            "Monday, May 26",
                        ),
                        (
                            "holiday",
                            "Holiday",
                            r"[\w .'’-]{2,60}",
                            "The holiday's name.",
                            "Memorial Day",
                        ),
                        (
                            "service_note",
                            "What changes for residents",
                            rf"{TEXT}{{5,160}}[.!]",
                            "One sentence ending with a period.",
                            "Trash and recycling pickup moves one day later this week.",
                        ),
                    ],
                },
                {
                    "name": "Change to a city service",
                    "text": (
                        "Starting {date}, {service} {change}. Details: "
                        "https://www.riverton.example/{page}"
                    ),
                    "fields": [
                        ("date", "Starting date", DATE, "Write the date like June 2.", "June 2"),
                        (
                            "service",
                            "Service",
                            r"[\w .,'’&-]{3,80}",
                            "e.g. the Riverside Pool",
                            "the Riverside Pool",
                        ),
                        (
                            "change",
                            "What changes",
                            rf"{TEXT}{{3,160}}",
                            "e.g. opens at 6 AM on weekdays",
                            "opens at 6 AM on weekdays",
                        ),
                        (
                            "page",
                            "Page on the city website",
                            r"[a-z0-9-]+(?:/[a-z0-9-]+)*",
                            "The part after riverton.example/, e.g. parks/pools.",
                            "parks/pools",
                        ),
                    ],
                },
            ],
        },
        {
            "category": Category.CRIME_PREVENTION,
            "summary": (
                "General tips that help residents prevent crime, with where to learn more or "
                "report. Tips are about places and habits, never about people: no suspects, "
                "arrests or booking photos (those go through a supervisor)."
            ),
            "min_length": 20,
            "max_length": 1000,
            "allowed_link_domains": _domains("ncpc.org", "*.ncpc.org", "identitytheft.gov"),
            "banned_terms": (
                "suspect\nsuspects\narrestee\narrested\nmugshot\nbooking photo\n"
                "person of interest\nwanted"
            ),
            "elements": [
                {
                    "label": "where to learn more or report",
                    "pattern": rf"{CITY_LINK}|\bnon-emergency\b|{PHONE}|\b911\b",
                    "hint": "the non-emergency line, 911, or a link to riverton.example",
                }
            ],
        },
        {
            "category": Category.REQUEST_FOR_INFORMATION,
            "summary": (
                "The City asks the public for information, with one way to respond. No rewards "
                "and no personal details (those go through a supervisor)."
            ),
            "min_length": 20,
            "max_length": 1000,
            "allowed_link_domains": _domains(),
            "banned_terms": "reward\nhome address\ndate of birth",
            "elements": [
                {
                    "label": "how to respond",
                    "pattern": rf"{PHONE}|\btip line\b|{CITY_LINK}/\S+",
                    "hint": "a phone number, the tip line or a city web form",
                }
            ],
        },
        {
            "category": Category.COMMUNITY_ENGAGEMENT,
            "summary": (
                "Meetings, surveys, volunteer days and events, with when they happen. Links go "
                "to the city and its partners. No campaigning."
            ),
            "min_length": 20,
            "max_length": 1000,
            "allowed_link_domains": _domains(
                "rivertonlibrary.example", "*.rivertonlibrary.example"
            ),
            "banned_terms": CAMPAIGNING,
            "elements": [
                {
                    "label": "when it happens",
                    "pattern": rf"{DATE}|\b{WEEKDAY}\b|\b{TIME}",
                    "hint": "a day or a date, e.g. 'Saturday, May 10 at 10 AM'",
                }
            ],
        },
        {
            "category": Category.REAL_TIME_SAFETY,
            "summary": (
                "In-progress crimes, geographical warnings and disasters (702.4(e)): what is "
                "happening, where, what people should do, and 911 for emergencies. Short, so "
                "every platform carries it whole."
            ),
            "min_length": 40,
            "max_length": 500,
            "allowed_link_domains": _domains(
                "weather.gov", "*.weather.gov", "ready.gov", "*.ready.gov", "airnow.gov"
            ),
            "required_terms": "call 911",
            "banned_terms": "suspect\nsuspects\nperson of interest",
            "elements": [WHAT_HAPPENS, WHERE, WHAT_TO_DO],
            "templates": [
                {
                    "name": "Hazard in an area",
                    "text": (
                        "{hazard} is reported {where}. {instruction} For emergencies, call 911. "
                        "Updates: https://www.riverton.example/alerts"
                    ),
                    "fields": [
                        (
                            "hazard",
                            "What is happening",
                            rf"(?:an? )?{HAZARD}",
                            "e.g. A gas leak, Police activity, Flooding.",
                            "A gas leak",
                        ),
                        (
                            "where",
                            "Where",
                            rf"(?:near|at|on|between|in) {TEXT}{{3,80}}",
                            "Start with near, at, on, between or in: near Oak Street and 4th Avenue.",
                            "near Oak Street and 4th Avenue",
                        ),
                        (
                            "instruction",
                            "What people should do",
                            rf"{ACTION}\b{TEXT}{{0,160}}[.!]",
                            "Start with what to do (Avoid, Stay, Evacuate, Do not ...) and end with a period.",
                            "Avoid the area and keep windows closed.",
                        ),
                    ],
                },
                {
                    "name": "Boil water notice",
                    "text": (
                        "Boil water notice for {area} until {until}. Do not drink tap water "
                        "unless you boil it for one minute first. For emergencies, call 911. "
                        "Details: https://www.riverton.example/water"
                    ),
                    "fields": [
                        (
                            "area",
                            "Area",
                            r"(?:the )?[\w .,'’&-]{2,60} (?:neighborhood|district|pressure zone)",
                            "The neighborhood or pressure zone, e.g. the Riverside neighborhood.",
                            "the Riverside neighborhood",
                        ),
                        (
                            "until",
                            "Until",
                            rf"further notice|{TIME}(?:,? {DATE})?|{DATE}",
                            "e.g. 6 PM, Friday, June 6 or further notice.",
                            "further notice",
                        ),
                    ],
                },
            ],
        },
        {
            "category": Category.TRAFFIC,
            "summary": (
                "Closures, detours and delays: the location, the time window, and a detour or "
                "a reminder to plan extra time."
            ),
            "min_length": 40,
            "max_length": 500,
            "allowed_link_domains": _domains(),
            "elements": [LOCATION, TIME_WINDOW, DETOUR],
            "templates": [
                {
                    "name": "Planned road closure",
                    "text": (
                        "{road} is closed {segment} from {start_time} to {end_time} on {date} for "
                        "{reason}. Detour: {detour}. Please plan extra time."
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
                            "segment",
                            "Where on the road",
                            rf"(?:between|at|near|from) {TEXT}{{3,80}}",
                            "Start with between, at, near or from: between 3rd and 5th Avenue.",
                            "between 3rd and 5th Avenue",
                        ),
                        ("start_time", "Start time", TIME, "A time like 9 AM or 2:30 PM.", "9 AM"),
                        ("end_time", "End time", TIME, "A time like 3 PM.", "3 PM"),
                        (
                            "date",
                            "Date",
                            DATE,
                            "Write the date like Tuesday, June 3.",
                            "Tuesday, June 3",
                        ),
                        (
                            "reason",
                            "Reason",
                            r"[\w ,'’/-]{3,80}",
                            "e.g. paving, a water main repair.",
                            "paving",
                        ),
                        (
                            "detour",
                            "Detour",
                            rf"{TEXT}{{3,120}}",
                            "e.g. use Oak Street.",
                            "use Oak Street",
                        ),
                    ],
                },
                {
                    "name": "Road closed by an incident",
                    "text": (
                        "{road} is closed {segment} because of {reason}, until further notice. "
                        "Use the detour: {detour}. Updates: https://www.riverton.example/traffic"
                    ),
                    "fields": [
                        (
                            "road",
                            "Road",
                            STREET,
                            "A street with its type, capitalized: Main Street, 5th Avenue.",
                            "River Road",
                        ),
                        (
                            "segment",
                            "Where on the road",
                            rf"(?:between|at|near|from) {TEXT}{{3,80}}",
                            "Start with between, at, near or from: at the Mill Creek bridge.",
                            "at the Mill Creek bridge",
                        ),
                        (
                            "reason",
                            "Reason",
                            r"[\w ,'’/-]{3,80}",
                            "e.g. a crash, flooding.",
                            "a crash",
                        ),
                        (
                            "detour",
                            "Detour",
                            rf"{TEXT}{{3,120}}",
                            "e.g. Elm Street to 9th Avenue.",
                            "Elm Street to 9th Avenue",
                        ),
                    ],
                },
            ],
        },
        {
            "category": Category.MEDIA_RELEASE,
            "summary": (
                "Media releases speak for the City: a supervisor approves every one before it "
                "is posted, whatever it says."
            ),
            "always_needs_approval": True,
            "allowed_link_domains": _domains(),
        },
        {
            "category": Category.RECRUITMENT,
            "summary": (
                "Job openings (702.4(h)): a link to the City's jobs page, the closing date, and "
                "the equal opportunity statement. No words that screen out applicants by age, "
                "disability or origin."
            ),
            "min_length": 40,
            "max_length": 500,
            "allowed_link_domains": _domains(),
            "required_terms": "equal opportunity employer",
            "banned_terms": (
                "young\nyouthful\nrecent graduate\nrecent graduates\ndigital native\n"
                "native English speaker\nable-bodied"
            ),
            "elements": [
                {
                    "label": "a link to the City's jobs page",
                    "pattern": r"https://www\.riverton\.example/jobs\b",
                    "hint": "https://www.riverton.example/jobs",
                },
                {
                    "label": "the closing date",
                    "pattern": (
                        r"\b(?:apply by|applications? (?:close|are due|due)|closes?(?: on)?"
                        rf"|closing date:?|deadline:?|open (?:until|through))\s+{DATE}"
                    ),
                    "hint": "e.g. 'Apply by March 15'",
                },
            ],
            "templates": [
                {
                    "name": "Job opening",
                    "text": (
                        f"The {city} is hiring: {{job_title}}, {{department}}. Pay: {{pay}}. "
                        "Apply by {closing_date} at https://www.riverton.example/jobs. "
                        f"The {city} is an equal opportunity employer."
                    ),
                    "fields": [
                        (
                            "job_title",
                            "Job title",
                            r"[\w .,'’/&()-]{3,80}",
                            "e.g. Maintenance Worker II.",
                            "Maintenance Worker II",
                        ),
                        (
                            "department",
                            "Department",
                            r"[\w .,'’&-]{3,80}",
                            "e.g. Public Works.",
                            "Public Works",
                        ),
                        (
                            "pay",
                            "Pay",
                            r"\$[\d,]+(?:\.\d{2})?(?:\s*(?:-|–|to)\s*\$[\d,]+(?:\.\d{2})?)?\s*(?:per|an|a|/)\s*(?:hour|year)",
                            "A range like $24.10 to $29.80 an hour.",
                            "$24.10 to $29.80 an hour",
                        ),
                        (
                            "closing_date",
                            "Closing date",
                            DATE,
                            "Write the date like March 15.",
                            "March 15",
                        ),
                    ],
                },
                {
                    "name": "Seasonal jobs",
                    "text": (
                        "{season} jobs with {department}: {jobs}. Apply by {closing_date} at "
                        f"https://www.riverton.example/jobs. The {city} is an equal opportunity "
                        "employer."
                    ),
                    "fields": [
                        (
                            "season",
                            "Season",
                            r"Summer|Winter|Spring|Fall|Holiday",
                            "Summer, Winter, Spring, Fall or Holiday.",
                            "Summer",
                        ),
                        (
                            "department",
                            "Department",
                            r"[\w .,'’&-]{3,80}",
                            "e.g. Parks and Recreation.",
                            "Parks and Recreation",
                        ),
                        (
                            "jobs",
                            "Jobs",
                            rf"{TEXT}{{3,160}}",
                            "e.g. lifeguards, camp counselors and park aides.",
                            "lifeguards, camp counselors and park aides",
                        ),
                        (
                            "closing_date",
                            "Closing date",
                            DATE,
                            "Write the date like April 30.",
                            "April 30",
                        ),
                    ],
                },
            ],
        },
    ]


@transaction.atomic
def load_default_guidelines() -> list[Guideline]:
    """Create the default guideline of each category that has none; return all eight."""
    guidelines = []
    for spec in default_guidelines():
        spec = dict(spec)
        elements = spec.pop("elements", [])
        templates = spec.pop("templates", [])
        guideline, created = Guideline.objects.get_or_create(
            category=spec.pop("category"), defaults=spec
        )
        if created:
            for position, element in enumerate(elements):
                guideline.required_elements.create(position=position, **element)
            for template in templates:
                template = dict(template)
                fields = template.pop("fields", [])
                made = guideline.templates.create(**template)
                for position, (name, label, pattern, hint, example) in enumerate(fields):
                    made.fields.create(
                        position=position,
                        name=name,
                        label=label,
                        pattern=pattern,
                        hint=hint,
                        example=example,
                    )
        guidelines.append(guideline)
    return guidelines
