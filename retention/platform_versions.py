"""Capturing what the public sees on each platform, not only what the city sent (702.7).

A post edited on the platform after publishing (by hand, or by the platform itself) is a new
version of the public record: it is captured as a PLATFORM_VERSION record, raw response and
all. The archive is the memory of what was seen: each fetch is compared with the newest
captured version of that publication.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from posting.models import Platform, Publication
from posting.platforms import ask_published

from .archive import append
from .models import ArchiveRecord, PlatformCheck, canonical_json, sha256_hex

# Fetched back: the platforms whose copy can differ from ours. The city website renders the
# stored post itself, so there is nothing to fetch back from it.
FETCHED_PLATFORMS = [Platform.MASTODON, Platform.BLUESKY, Platform.FACEBOOK, Platform.X]
CHECK_EVERY = timedelta(hours=6)
BATCH_SIZE = 50


def claim_due(batch_size: int = BATCH_SIZE, now=None) -> list[int]:
    """The publications to fetch next, oldest-checked first (never checked: first of all),
    marked as checked now so that the next run moves on to others."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            due_publications(now)
            .order_by(F("platform_check__checked_at").asc(nulls_first=True), "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for publication_id in due:
            PlatformCheck.objects.update_or_create(
                publication_id=publication_id, defaults={"checked_at": now}
            )
    return due


def due_publications(now):
    return Publication.objects.filter(
        status=Publication.Status.PUBLISHED,
        channel__platform__in=FETCHED_PLATFORMS,
        channel__is_active=True,
    ).filter(
        Q(platform_check__isnull=True)
        | Q(platform_check__checked_at__isnull=True)
        | Q(platform_check__checked_at__lte=now - CHECK_EVERY)
    )


def check_publication(publication_id: int) -> ArchiveRecord | None:
    """Fetch one published post back; capture it if what the public sees has changed."""
    answer = ask_published(
        publication_id,
        lambda adapter, publication: adapter.fetch(publication),
        cannot="cannot be fetched from",
    )
    if answer is None:
        return None
    publication, raw = answer.publication, answer.value
    if answer.error:
        _note_error(publication, answer.error)
        return None
    view = public_view(publication.channel.platform, raw)
    with transaction.atomic():
        # One worker at a time compares and captures, so a version is captured once.
        PlatformCheck.objects.get_or_create(publication=publication)
        check = PlatformCheck.objects.select_for_update().get(publication=publication)
        check.last_error = ""
        check.save(update_fields=["last_error"])
        last = last_version(publication)
        if last is not None and _digest(view) == _digest(captured_view(last)):
            return None
        return append(
            kind=ArchiveRecord.Kind.PLATFORM_VERSION,
            payload=_payload(publication, view, raw, last),
            post=publication.post,
            publication=publication,
            channel=publication.channel,
        )


def last_version(publication) -> ArchiveRecord | None:
    """The newest record of what this publication looked like: fetched back, or as published."""
    return (
        publication.archive_records.filter(
            kind__in=[ArchiveRecord.Kind.PLATFORM_VERSION, ArchiveRecord.Kind.PUBLISHED]
        )
        .order_by("-sequence")
        .first()
    )


def captured_view(record: ArchiveRecord) -> dict:
    if record.kind == ArchiveRecord.Kind.PLATFORM_VERSION:
        return record.payload.get("public_view") or {}
    platform = (record.payload.get("channel") or {}).get("platform", "")
    return public_view(platform, record.payload.get("platform_response") or {})


def public_view(platform: str, raw) -> dict:
    """What a reader of the platform sees of the post, without counters that change by the
    minute (likes, replies) and would make every fetch look like a new version."""
    if not isinstance(raw, dict):
        return {"raw": raw}
    if platform == Platform.MASTODON:
        return {
            "content": raw.get("content"),
            "spoiler_text": raw.get("spoiler_text", ""),
            "sensitive": raw.get("sensitive", False),
            "visibility": raw.get("visibility"),
            "media": [
                {"url": media.get("url"), "description": media.get("description")}
                for media in raw.get("media_attachments") or []
            ],
            "poll": [option.get("title") for option in (raw.get("poll") or {}).get("options", [])],
            "edited_at": raw.get("edited_at"),
        }
    if platform == Platform.BLUESKY:
        record = raw.get("value") or {}
        return {key: record.get(key) for key in ("text", "facets", "embed", "langs")}
    if platform == Platform.FACEBOOK:
        return {"message": raw.get("message"), "permalink_url": raw.get("permalink_url")}
    if platform == Platform.X:
        tweet = raw.get("data") if isinstance(raw.get("data"), dict) else raw
        return {"text": tweet.get("text"), "edits": tweet.get("edit_history_tweet_ids")}
    return {key: value for key, value in raw.items() if not key.endswith("_count")}


def _digest(view: dict) -> str:
    return sha256_hex(canonical_json(view))


def _payload(publication, view, raw, last) -> dict:
    channel = publication.channel
    return {
        "fetched_at": timezone.now().isoformat(),
        "public_view": view,
        "platform_response": raw,
        "previous_version": last.sequence if last else None,
        "post": {
            "id": publication.post_id,
            "title": publication.post.title,
            "category": publication.post.category,
        },
        "channel": {
            "id": channel.pk,
            "name": channel.name,
            "platform": channel.platform,
            "handle": channel.handle,
        },
        "publication": {
            "id": publication.pk,
            "remote_id": publication.remote_id,
            "remote_url": publication.remote_url,
            "published_at": publication.published_at.isoformat()
            if publication.published_at
            else None,
        },
    }


def _note_error(publication, message: str) -> None:
    PlatformCheck.objects.update_or_create(
        publication=publication, defaults={"last_error": message[:2000]}
    )
