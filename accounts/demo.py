"""The demo city: one login per role, a website channel and a Mastodon sandbox channel."""

import os
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from posting.models import Channel, Platform

from .models import Authorization, Department, User
from .roles import Role

DEMO_PASSWORD = "city-demo-2026"  # noqa: S105 - published in the README for the demo city

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
]


@cache
def demo_password_hash() -> str:
    # Hashing is slow by design; the demo hashes its one password once.
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def load_demo_city(*, mastodon_url: str) -> dict:
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
    for username in ("poster", "staff"):
        User.objects.filter(pk=users[username].pk).update(supervisor=users["supervisor"])

    website, _ = Channel.objects.update_or_create(
        slug="city-website",
        defaults={
            "name": "City website",
            "platform": Platform.WEBSITE,
            "public_url": f"{settings.SITE_URL}/news/",
        },
    )
    sandbox, _ = Channel.objects.update_or_create(
        slug="sandbox-mastodon",
        defaults={
            "name": "Sandbox (Mastodon API)",
            "platform": Platform.MASTODON,
            "handle": "@riverton",
            "api_base_url": mastodon_url,
            "public_url": mastodon_url,
            "credentials_ref": "SANDBOX_MASTODON_TOKEN",
        },
    )
    os.environ.setdefault("SANDBOX_MASTODON_TOKEN", "sandbox-token")

    for username in ("poster", "supervisor"):
        if not Authorization.objects.current().filter(user=users[username]).exists():
            Authorization.grant(
                user=users[username],
                channels=[website, sandbox],
                by=users["mayor"],
                note="Demo city: authorized for the website and the sandbox.",
            )
    return users
