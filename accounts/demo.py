"""The demo city: one login per role, a website channel and sandbox platform channels."""

import os
from base64 import b32decode
from datetime import timedelta
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from posting.models import Channel, Platform
from training.content import load_default_modules
from training.demo import complete_required_modules

from .models import Authorization, Department, Designation, EquipmentException, User
from .roles import Role

DEMO_PASSWORD = "city-demo-2026"  # noqa: S105 - published in the README for the demo city
# The demo's two-factor people (Mayor's office, supervisors, designees) share this published TOTP
# secret, so that the demo needs no authenticator app: `python manage.py demo_totp_code supervisor`
# prints the current code. A demo secret, never a real person's.
DEMO_TOTP_SECRET = "RIVERTONCITYSOCIALDEMOTOTPSECRET"  # noqa: S105 - published in the README
DEMO_TOTP_DEVICE = "Demo authenticator (published secret)"

PEOPLE = [
    # username, first, last, department, role, job title
    ("mayor", "Morgan", "Reyes", "Mayor's Office", Role.MAYORS_OFFICE, "Chief of Staff"),
    ("supervisor", "Sam", "Okafor", "Communications", Role.SUPERVISOR, "Communications Director"),
    (
        "poster",
        "Pat",
        "Nguyen",
        "Public Works",
        Role.AUTHORIZED_POSTER,
        "Public Information Officer",
    ),
    ("staff", "Sasha", "Kowalski", "Parks and Recreation", Role.STAFF, "Recreation Coordinator"),
    ("clerk", "Casey", "Morgan", "City Clerk's Office", Role.CITY_CLERK, "City Clerk"),
    ("designee", "Jordan", "Lee", "Mayor's Office", Role.STAFF, "Deputy City Administrator"),
    ("robin", "Robin", "Diaz", "Public Works", Role.STAFF, "Street Maintenance Lead"),
    ("it", "Alex", "Chen", "Information Technology", Role.IT, "IT Support Lead"),
]
DESIGNEE_AUTHORITY = "Mayor Dana Ortiz, Executive Order 2026-03"


class SandboxAccount(NamedTuple):
    """A demo channel on a local sandbox (`manage.py sandbox_platforms`)."""

    slug: str
    name: str
    handle: str  # the account as the sandbox names it
    credentials_ref: str  # the environment variable the sandbox reads too
    sandbox_credentials: str  # what the sandbox accepts by default


SANDBOX_ACCOUNTS = {
    Platform.MASTODON: SandboxAccount(
        "sandbox-mastodon",
        "Sandbox (Mastodon API)",
        "@riverton",
        "SANDBOX_MASTODON_TOKEN",
        "sandbox-token",
    ),
    Platform.BLUESKY: SandboxAccount(
        "sandbox-bluesky",
        "Sandbox (Bluesky API)",
        "@city.bsky.social",
        "SANDBOX_BLUESKY_CREDENTIALS",
        '{"identifier": "city.bsky.social", "app_password": "sandbox-app-password"}',
    ),
    Platform.FACEBOOK: SandboxAccount(
        "sandbox-facebook",
        "Sandbox (Facebook Page)",
        "City (sandbox)",
        "SANDBOX_FACEBOOK_TOKEN",
        "sandbox-page-token",
    ),
    Platform.X: SandboxAccount(
        "sandbox-x", "Sandbox (X API)", "@CitySandbox", "SANDBOX_X_TOKEN", "sandbox-user-token"
    ),
}
FACEBOOK_GRAPH_VERSION = "v21.0"  # the Graph API path prefix, as on graph.facebook.com


@cache
def demo_password_hash() -> str:
    # Hashing is slow by design; the demo hashes its one password once.
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def load_demo_city(
    *,
    mastodon_url: str,
    bluesky_url: str | None = None,
    facebook_url: str | None = None,
    x_url: str | None = None,
    equipment_exceptions: bool = True,
    content_rules: bool = True,
    annual_review: bool = True,
) -> dict:
    """Load the demo city. Safe to run again.

    The city website and the Mastodon sandbox are always channels; the Bluesky, Facebook Page
    and X sandboxes become channels when their addresses are given (`make run` gives them).
    The poster and the supervisor are authorized for every demo channel.

    With `content_rules`, the Mayor's guidelines (702.3), the prohibited-content
    configuration (702.5) and a two-step chain for media releases are loaded.

    With `annual_review`, the Mayor's office appoints the supervisor to review this calendar
    year's use of social media (702.6).

    With `equipment_exceptions`, the poster and the supervisor may work from any browser
    for 30 days (a supervisor's 702.3 exception), so the basic journey needs no enrollment;
    the others show the enrollment of city equipment.
    """
    users = {}
    for username, first, last, department, role, title in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@riverton.example",
                "job_title": title,
                "department": Department.objects.get_or_create(name=department)[0],
            },
        )
        if created:
            user.password = demo_password_hash()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role.value))
        users[username] = user
    for username in ("poster", "staff", "robin"):
        User.objects.filter(pk=users[username].pk).update(supervisor=users["supervisor"])
    User.objects.filter(pk=users["supervisor"].pk).update(supervisor=users["mayor"])
    for user in users.values():
        user.refresh_from_db()

    channels = demo_channels(
        mastodon_url=mastodon_url, bluesky_url=bluesky_url, facebook_url=facebook_url, x_url=x_url
    )

    load_default_modules()
    if not Designation.objects.current().filter(designee=users["designee"]).exists():
        Designation.grant(
            designee=users["designee"],
            by=users["mayor"],
            authority=DESIGNEE_AUTHORITY,
            departments=[users["robin"].department],
            note="Demo city: acts for the Mayor for Public Works.",
        )
    for username in ("poster", "supervisor"):
        authorize_for_demo_channels(users[username], channels, by=users["mayor"])
    give_demo_authenticators(users.values())
    from contact.demo import load_contact_topics

    load_contact_topics(users)  # 702.5.1: where residents' messages go
    if equipment_exceptions:
        grant_demo_exceptions(users)
    if annual_review:
        appoint_demo_reviewer(users)
    if content_rules:
        load_content_rules(users)
        from posting.incident_templates import load_incident_templates

        load_incident_templates()  # 702.4.1: incident templates under the guidelines
    return users


def demo_channels(
    *, mastodon_url: str, bluesky_url=None, facebook_url=None, x_url=None
) -> list[Channel]:
    """The city website, and a channel on each sandbox whose address is given."""
    website, _ = Channel.objects.update_or_create(
        slug="city-website",
        defaults={
            "name": "City website",
            "platform": Platform.WEBSITE,
            "public_url": f"{settings.SITE_URL}/news/",
        },
    )
    addresses = {
        Platform.MASTODON: mastodon_url,
        Platform.BLUESKY: bluesky_url,
        Platform.FACEBOOK: facebook_url,
        Platform.X: x_url,
    }
    sandboxes = [sandbox_channel(platform, url) for platform, url in addresses.items() if url]
    return [website, *sandboxes]


def sandbox_channel(platform: Platform, address: str) -> Channel:
    """The channel names its credentials in the environment (`credentials_ref`), like a channel
    whose secret is kept outside the database; the sandbox's default is set for this process,
    and `make run` exports the same for the worker and the sandboxes."""
    account = SANDBOX_ACCOUNTS[platform]
    address = address.rstrip("/")
    api = f"{address}/{FACEBOOK_GRAPH_VERSION}" if platform == Platform.FACEBOOK else address
    channel, _ = Channel.objects.update_or_create(
        slug=account.slug,
        defaults={
            "name": account.name,
            "platform": platform,
            "handle": account.handle,
            "api_base_url": api,
            "public_url": address,
            "credentials_ref": account.credentials_ref,
        },
    )
    os.environ.setdefault(account.credentials_ref, account.sandbox_credentials)
    return channel


def authorize_for_demo_channels(user, channels, *, by) -> None:
    """702.3: the Mayor's office authorizes `user` for the demo channels not yet covered."""
    covered = set(
        Authorization.objects.current().filter(user=user).values_list("channels", flat=True)
    )
    missing = [channel for channel in channels if channel.pk not in covered]
    if not missing:
        return
    complete_required_modules(user)
    Authorization.grant(
        user=user,
        channels=missing,
        by=by,
        note="Demo city: authorized for the demo channels.",
    )


def load_content_rules(users) -> None:
    from review.checks.defaults import load_default_configuration
    from review.guideline_defaults import load_default_guidelines
    from review.models import ApprovalChain, ApprovalStep

    load_default_configuration()
    load_default_guidelines()
    chain, created = ApprovalChain.objects.get_or_create(
        name="Media releases: a supervisor, then the Mayor's office", category="media_release"
    )
    if created:
        supervisors = Group.objects.get(name=Role.SUPERVISOR.value)
        mayors_office = Group.objects.get(name=Role.MAYORS_OFFICE.value)
        ApprovalStep.objects.create(chain=chain, order=1, group=supervisors)
        ApprovalStep.objects.create(chain=chain, order=2, group=mayors_office)


def appoint_demo_reviewer(users) -> None:
    """702.6: the supervisor reviews this calendar year, unless a review already covers it."""
    from review.models import AnnualReview

    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    if not AnnualReview.objects.overlapping(start, end).exists():
        AnnualReview.appoint(
            by=users["mayor"], reviewer=users["supervisor"], period_start=start, period_end=end
        )


def grant_demo_exceptions(users) -> None:
    for username, by in (("poster", "supervisor"), ("supervisor", "mayor")):
        if not EquipmentException.objects.current().filter(employee=users[username]).exists():
            EquipmentException.grant(
                employee=users[username],
                by=users[by],
                reason="Demo city: works from any browser.",
                valid_until=timezone.now() + timedelta(days=30),
            )


def demo_totp_key() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def give_demo_authenticators(users) -> None:
    """Everyone in the demo who must use two-factor and has no authenticator gets one on the
    demo secret (one authenticator a person: the sign-in asks for that one's code)."""
    from .two_factor import confirmed_device, requires_two_factor

    for user in users:
        user.__dict__.pop("_role_names", None)
        if requires_two_factor(user) and confirmed_device(user) is None:
            TOTPDevice.objects.create(
                user=user, name=DEMO_TOTP_DEVICE, key=demo_totp_key(), confirmed=True
            )
