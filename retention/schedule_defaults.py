"""The retention series a new city starts with, from Washington's Local Government Common
Records Retention Schedule (CORE), published by the Washington State Archives.

They are defaults, not law: the City Clerk edits every value (with history) and should
check each series number and period against the CORE edition in force. Where no CORE
series is cited with confidence, the description says so and the final action is one the
system never carries out by itself (appraisal or keeping permanently), so that nothing is
destroyed on a guess.

Used by migration 0005 (with the historical model) and on every migrate (post_migrate,
connected in RetentionConfig.ready()): a series is created only when its code is missing,
so the Clerk's edits are never overwritten.
"""

from posting.models import Category

POST_RECORD_KINDS = ["published", "captured_before_removal", "removed", "platform_version"]

# 702.4 (a) announcements and (g) media releases are the city's executive and council
# statements: the State Archives appraise them, they are never destroyed automatically.
STATEMENT_CATEGORIES = [Category.ANNOUNCEMENT.value, Category.MEDIA_RELEASE.value]
ROUTINE_CATEGORIES = [
    Category.CRIME_PREVENTION.value,
    Category.REQUEST_FOR_INFORMATION.value,
    Category.COMMUNITY_ENGAGEMENT.value,
    Category.REAL_TIME_SAFETY.value,
    Category.TRAFFIC.value,
    Category.RECRUITMENT.value,
]

CORE = "Washington State Archives, Local Government Common Records Retention Schedule (CORE)"

DEFAULT_SERIES = [
    {
        "code": "SOCIAL-STATEMENTS",
        "title": "Social media posts: announcements and media releases",
        "description": (
            "Posts of the city's executive and council statements: 702.4(a) announcements and "
            "702.4(g) media releases, every version of them on every channel, their take-down "
            "and what the platform showed. CORE GS50-01-12 (social networking posts and "
            "comments): retain 2 years after the communication was provided (a post is "
            "provided until it is taken down), then appraisal by the State Archives. These "
            "records are never destroyed automatically."
        ),
        "retention_years": 2,
        "clock_event": "taken_down",
        "final_action": "appraisal",
        "authority": f"{CORE}, GS50-01-12",
        "record_kinds": POST_RECORD_KINDS,
        "categories": STATEMENT_CATEGORIES,
    },
    {
        "code": "SOCIAL-POSTS",
        "title": "Social media posts: routine information",
        "description": (
            "Posts of 702.4(b) crime prevention tips, (c) requests for information, "
            "(d) community engagement, (e) real-time safety information, (f) traffic "
            "information and (h) recruitment: every version on every channel, their take-down "
            "and what the platform showed. CORE GS50-01-12 (social networking posts and "
            "comments): retain 2 years after the communication was provided (a post is "
            "provided until it is taken down), then destroy. The approval trail, checks and "
            "overrides are part of the published record and share its retention."
        ),
        "retention_years": 2,
        "clock_event": "taken_down",
        "final_action": "destroy",
        "authority": f"{CORE}, GS50-01-12",
        "record_kinds": POST_RECORD_KINDS,
        "categories": ROUTINE_CATEGORIES,
    },
    {
        "code": "TRANSITORY",
        "title": "Transitory records: drafts, rejected drafts and check results",
        "description": (
            "Drafts, drafts returned or rejected, and content check results that never became "
            "a published post. CORE's transitory records series (GS50-02-04 in the editions "
            "consulted; confirm the number against the edition in force) allows destruction "
            "once no longer needed for agency business. The 90 days here are the city's "
            "choice, not a state figure. The archive files here each draft returned for "
            "changes, rejected or withdrawn, with its check results, as it stood then; a "
            "published post's approvals and checks stay with its published record."
        ),
        "retention_days": 90,
        "clock_event": "captured",
        "final_action": "destroy",
        "authority": f"{CORE}, transitory records (GS50-02-04; to be confirmed)",
        "record_kinds": ["draft_set_aside"],
        "categories": [],
    },
    {
        "code": "SOCIAL-ADMINISTRATION",
        "title": "Social media administration: emergency stops",
        "description": (
            "Emergency stops of publishing and their lifting: who, when, why. No CORE series "
            "is cited here with confidence: the City Clerk should file these under the series "
            "the city uses for the administration of its communications. Until then they are "
            "kept for appraisal, never destroyed automatically; the 6 years are a placeholder."
        ),
        "retention_years": 6,
        "clock_event": "captured",
        "final_action": "appraisal",
        "authority": "To be confirmed by the City Clerk against CORE",
        "record_kinds": ["emergency_stop", "emergency_resume"],
        "categories": [],
    },
    {
        "code": "POSTING-REQUESTS",
        "title": "Posting requests (702.3)",
        "description": (
            "Requests from employees who are not authorized to post, made through their "
            "supervisor (702.3): each as filed and as decided (forwarded to an authorized "
            "poster, declined or withdrawn), with the attachment's name and SHA-256. A "
            "forwarded request records why the city published a post and a declined one why "
            "it did not, so they are not treated as transitory. No CORE series is cited here "
            "with confidence: the City Clerk should confirm one. Until then they are kept for "
            "appraisal, never destroyed automatically; the 2 years, those of the posts they "
            "lead to (GS50-01-12), are a placeholder."
        ),
        "retention_years": 2,
        "clock_event": "captured",
        "final_action": "appraisal",
        "authority": "To be confirmed by the City Clerk against CORE",
        "record_kinds": ["posting_request"],
        "categories": [],
    },
    {
        "code": "INCIDENTS",
        "title": "Incident records (702.4.1)",
        "description": (
            "An incident's opening, each update's source and who verified it (internal, never "
            "published), and its closing with the after-action timeline. The updates themselves "
            "are posts and follow the social media series of their category. No CORE series is "
            "cited here with confidence: the City Clerk should confirm one. Until then they are "
            "kept 2 years after the incident closes and then appraised, never destroyed "
            "automatically."
        ),
        "retention_years": 2,
        "clock_event": "incident_closed",
        "final_action": "appraisal",
        "authority": "To be confirmed by the City Clerk against CORE",
        "record_kinds": ["incident_opened", "incident_update", "incident_closed"],
        "categories": [],
    },
    {
        "code": "OVERSIGHT",
        "title": "Reports of content, investigations, and posts not made through CitySocial (702.5)",
        "description": (
            "Employees' reports of unauthorized or inappropriate content and the ones CitySocial "
            "opens itself, each as filed and as decided (removed or dismissed, with reasons); "
            "the supervisor's investigation of the cause (702.5); and posts found on a city "
            "channel that did not come through CitySocial, captured before they were removed, "
            "with their removal. Posts that did come through CitySocial keep their own series. "
            "The annual review (702.6) reads these. No CORE series is cited here with "
            "confidence: the City Clerk should confirm one (the posts themselves are social "
            "networking posts, GS50-01-12). Until then they are kept for appraisal, never "
            "destroyed automatically; the 6 years are a placeholder."
        ),
        "retention_years": 6,
        "clock_event": "captured",
        "final_action": "appraisal",
        "authority": "To be confirmed by the City Clerk against CORE",
        "record_kinds": ["content_report", "investigation", "captured_before_removal", "removed"],
        "categories": [],
    },
    {
        "code": "ANNUAL-REVIEWS",
        "title": "Annual reviews of social media use (702.6)",
        "description": (
            "The review of the city's use of social media by the supervisor the Mayor "
            "appointed (702.6): the reviewer's findings on the resources used, the "
            "effectiveness of the content, unauthorized or inappropriate content and the "
            "resolution of issues, the recommendations, and the figures as signed off. No CORE "
            "series is cited here with confidence: the City Clerk should confirm one. Until "
            "then they are kept for appraisal, never destroyed automatically; the 6 years are a "
            "placeholder."
        ),
        "retention_years": 6,
        "clock_event": "captured",
        "final_action": "appraisal",
        "authority": "To be confirmed by the City Clerk against CORE",
        "record_kinds": ["annual_review"],
        "categories": [],
    },
    {
        "code": "PUBLIC-CONTACT",
        "title": "Messages from the public through the contact page (702.5.1)",
        "description": (
            "Messages residents send city employees through the city's contact page "
            "(702.5.1), as received (held as possible spam or not), and each release, move to "
            "another department and answer, with who handled it. CORE files communications "
            "by who sends or receives them: those of departments and staff are "
            "non-executive communications, GS2010-001; those to or from the Mayor, the "
            "council and executive management are GS50-01-12 (Communications: Governing/"
            "Executive/Advisory), retained 2 years after the communication is received or "
            "provided, whichever is later, then appraised by the State Archives. GS2010-001 "
            "was read here only as GS50-01-12 (CORE 4.0) names it among its exclusions: the "
            "City Clerk should confirm its period and final action against the edition in "
            "force. Until then every message is kept 2 years after it is answered (the later "
            "of received and provided) and appraised, never destroyed automatically; a "
            "message never answered (held as spam and not released) has no clock yet."
        ),
        "retention_years": 2,
        "clock_event": "contact_answered",
        "final_action": "appraisal",
        "authority": f"{CORE}, GS2010-001 (non-executive) and GS50-01-12 (executive)",
        "record_kinds": ["contact_message", "contact_handled"],
        "categories": [],
    },
    {
        "code": "RECORDS-CUSTODY",
        "title": "Custody of public records: requests, exports and certificates of destruction",
        "description": (
            "Public records requests, the exports made to answer them, and certificates of "
            "destruction. Kept permanently until the City Clerk confirms the CORE series for "
            "public records requests and disposition records; never destroyed automatically."
        ),
        "clock_event": "captured",
        "final_action": "permanent",
        "authority": "To be confirmed by the City Clerk against CORE (chapter 40.14 RCW)",
        "record_kinds": ["exported", "records_request", "disposition"],
        "categories": [],
    },
]


def load_default_series(series_model) -> int:
    """Create the default series that are missing; returns how many were created."""
    created = 0
    for values in DEFAULT_SERIES:
        values = dict(values)
        _, made = series_model.objects.get_or_create(code=values.pop("code"), defaults=values)
        created += made
    return created


def choose_series(kind: str, category: str | None, candidates):
    """The series a record is filed under: an active series covering its kind, one that names
    the post's category before one that takes any category; None when none covers it."""
    covering = [
        series
        for series in candidates
        if series.is_active
        and kind in series.record_kinds
        and (not series.categories or category in series.categories)
    ]
    covering.sort(key=lambda series: (not series.categories, series.code))
    return covering[0] if covering else None


def add_default_series(apps, code: str, reason: str) -> None:
    """A data migration's step: the default series `code`, with its first history row, unless
    the City Clerk already has a series by that code."""
    import django.utils.timezone

    series_model = apps.get_model("retention", "RetentionSeries")
    history_model = apps.get_model("retention", "HistoricalRetentionSeries")
    values = dict(next(s for s in DEFAULT_SERIES if s["code"] == code))
    series, created = series_model.objects.get_or_create(code=values.pop("code"), defaults=values)
    if not created:
        return
    names = [field.attname for field in series_model._meta.concrete_fields]
    history_model.objects.create(
        **{name: getattr(series, name) for name in names},
        history_date=django.utils.timezone.now(),
        history_type="+",
        history_change_reason=reason,
    )
