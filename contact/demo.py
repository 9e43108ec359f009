"""The demo city's contact topics (702.5.1): one per department that answers the public."""

from accounts.models import Department

from .models import ContactTopic

# label, hint, department, shared address, inbox members (demo usernames), position
DEMO_TOPICS = [
    (
        "Streets, sidewalks and street lights",
        "Potholes, broken street lights, snow and ice, traffic signals",
        "Public Works",
        "publicworks@riverton.example",
        ["robin", "poster"],
    ),
    (
        "Parks, trails and recreation",
        "Park upkeep, pools, classes, camps and picnic shelters",
        "Parks and Recreation",
        "parks@riverton.example",
        ["staff"],
    ),
    (
        "Public records",
        "Copies of city records under the Public Records Act",
        "City Clerk's Office",
        "clerk@riverton.example",
        ["clerk"],
    ),
    (
        "The city's website and social media",
        "Something wrong or missing in what the city posts",
        "Communications",
        "communications@riverton.example",
        ["supervisor"],
    ),
    (
        "The Mayor's office, or something else",
        "Ideas and concerns for the Mayor, or anything not listed here",
        "Mayor's Office",
        "mayor@riverton.example",
        ["mayor", "designee"],
    ),
]


def load_contact_topics(users) -> None:
    """Create the demo topics that are missing, as the Mayor's office would. Safe to run again."""
    for position, (label, hint, department, email, members) in enumerate(DEMO_TOPICS, start=1):
        if ContactTopic.objects.filter(label=label).exists():
            continue
        ContactTopic.create(
            by=users["mayor"],
            members=[users[username] for username in members],
            label=label,
            hint=hint,
            department=Department.objects.get_or_create(name=department)[0],
            email=email,
            position=position * 10,
        )
