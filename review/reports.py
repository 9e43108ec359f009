"""Reports of content (702.5) and the checks that keep the public from posting (702.5.1).

702.5: "Any employee who becomes aware of content on this city's social media sites that the
employee believes is unauthorized or inappropriate should promptly report such content to a
supervisor. The supervisor will ensure its removal from public view and investigate the cause
of the entry." The report's decisions and the investigation are model methods
(review.oversight_models); here are the rules around them: who a report goes to, how a pasted
link is matched to what CitySocial published, the removal of a post that did not come through
CitySocial, the detection that opens reports by itself, and the public-posting check.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.models import User
from accounts.notifications import notify_content_reported
from accounts.roles import Role
from posting.access import may_view
from posting.models import Channel, Platform, Post, PostState, Publication
from posting.platforms import PlatformError

from .oversight_models import MAX_TEXT, ContentReport, PublicPostingCheck

log = logging.getLogger(__name__)

# --- Who a report goes to ----------------------------------------------------------------
ROUTING_RULE = (
    "A report goes to one supervisor responsible for the channel (702.5): the channel's owner "
    "when the owner is a supervisor; otherwise the supervisor, in the org chart, of the "
    "employee who wrote the post; otherwise the supervisor with the fewest open reports; and "
    "when the City has no supervisor, the Mayor's office. Nobody is sent a report about their "
    "own post. The Mayor's office sees every report."
)


def responsible_supervisor(*, channel=None, post=None) -> tuple[User | None, str]:
    """The person a report about `post` (or about something seen on `channel`) goes to, and
    why, following ROUTING_RULE."""
    author_id = post.author_id if post else None

    def fits(person) -> bool:
        return person is not None and person.is_active and person.pk != author_id

    owner = channel.owner if channel else None
    if fits(owner) and owner.has_role(Role.SUPERVISOR):
        return owner, f"the owner of {channel}"
    if post is not None and fits(post.author.supervisor):
        return post.author.supervisor, f"{post.author}'s supervisor"
    supervisors = list(
        User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR.value)
        .exclude(pk=author_id)
        .order_by("pk")
    )
    load = dict(
        ContentReport.objects.open()
        .values("assigned_to")
        .annotate(open_reports=Count("pk"))
        .values_list("assigned_to", "open_reports")
    )
    supervisors.sort(key=lambda person: (load.get(person.pk, 0), person.pk))
    supervisor = supervisors[0] if supervisors else None
    if supervisor is not None:
        return supervisor, "a supervisor (the channel has no supervising owner)"
    mayors_office = (
        User.objects.filter(is_active=True, groups__name=Role.MAYORS_OFFICE.value)
        .exclude(pk=author_id)
        .order_by("pk")
        .first()
    )
    return mayors_office, "the Mayor's office (the City has no supervisor to send it to)"


# --- Reporting ------------------------------------------------------------------------------
def may_report_post(user, post: Post) -> bool:
    """Any employee reports a post that has gone out (they saw it where the public sees it);
    one that has not gone out, whoever may see it."""
    if not (user.is_authenticated and user.is_active):
        return False
    return post.state in Post.REMOVABLE_STATES or may_view(user, post)


@dataclass
class LinkMatch:
    """What a pasted link points at: a publication of CitySocial's, or a post on a channel."""

    channel: Channel | None = None
    publication: Publication | None = None
    remote_id: str = ""


def match_link(link: str, channel: Channel | None = None) -> LinkMatch:
    """Match a link to a post seen on a city channel: a publication by its address or by its
    id on the platform (the adapters read ids from links), a City website news page by its
    path; otherwise the channel it came from (the one named, or the one whose address it
    is) and the platform's id of the post where the link shows one."""
    link = link.strip()
    published = Publication.objects.select_related("channel", "post")
    exact = published.filter(remote_url__in={link, link.rstrip("/"), link.rstrip("/") + "/"})
    found = exact.first()
    if found:
        return LinkMatch(found.channel, found, found.remote_id)
    news = _news_post_id(link)
    if news is not None:
        found = published.filter(post_id=news, channel__platform=Platform.WEBSITE).first()
        if found:
            return LinkMatch(found.channel, found, found.remote_id)
    candidates = [channel] if channel else _channels_at(link)
    for candidate in candidates:
        try:
            remote_id = candidate.adapter.remote_id_from_url(link)
        except PlatformError:
            remote_id = ""  # its credentials are missing: the link and channel still stand
        if remote_id:
            found = published.filter(channel=candidate, remote_id=remote_id).first()
            if found:
                return LinkMatch(candidate, found, remote_id)
            return LinkMatch(candidate, None, remote_id)
    return LinkMatch(candidates[0] if len(candidates) == 1 else channel)


def _news_post_id(link: str) -> int | None:
    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return None
    if match.view_name != "news:item":
        return None
    return match.kwargs.get("post_id")


def _channels_at(link: str) -> list[Channel]:
    """The active channels whose public or API address is on the link's host."""
    host = (urlsplit(link).hostname or "").lower()
    if not host:
        return []
    return [
        channel
        for channel in Channel.objects.filter(is_active=True)
        if host
        in {
            (urlsplit(u).hostname or "").lower()
            for u in (channel.public_url, channel.api_base_url)
            if u
        }
    ]


def file_report(
    *,
    by,
    concern: str,
    reason: str,
    post: Post | None = None,
    link: str = "",
    channel: Channel | None = None,
) -> ContentReport:
    """702.5: an employee reports a post, or something seen on a city channel by its link.
    It goes to the supervisor responsible for the channel (ROUTING_RULE), by e-mail too."""
    if not (by.is_authenticated and by.is_active):
        raise PermissionDenied("702.5: employees report content after signing in.")
    problems = {}
    if concern not in ContentReport.Concern.values:
        problems["concern"] = (
            "Choose whether it is unauthorized (702.5(g)) or inappropriate (702.5)."
        )
    reason = (reason or "").strip()
    if not reason:
        problems["reason"] = "Say what is wrong with it, so the supervisor can act."
    elif len(reason) > MAX_TEXT:
        problems["reason"] = f"Keep it under {MAX_TEXT} characters; this is {len(reason)}."
    remote_id, remote_text = "", ""
    if post is not None:
        if not may_report_post(by, post):
            raise PermissionDenied("You may not see this post.")
        if post.state == PostState.REMOVED:
            problems["__all__"] = "This post has already been taken down (702.5)."
        channel = channel or _first_channel(post)
    else:
        link = (link or "").strip()
        try:
            URLValidator(schemes=["http", "https"])(link)
            if len(link) > 500:
                raise ValidationError("too long")
        except ValidationError:
            problems["link"] = "Paste the full link of the post, starting with https://."
        else:
            found = match_link(link, channel)
            if found.publication is not None:
                post, channel = found.publication.post, found.publication.channel
                remote_id = found.publication.remote_id
            elif found.channel is not None:
                channel, remote_id = found.channel, found.remote_id
            else:
                problems["channel"] = (
                    "Say which city channel you saw it on: the link is not one CitySocial knows."
                )
    if problems:
        raise ValidationError(problems)
    assigned, _ = responsible_supervisor(channel=channel, post=post)
    with transaction.atomic():
        report = ContentReport.objects.create(
            concern=concern,
            source=ContentReport.Source.EMPLOYEE,
            post=post,
            channel=channel,
            link=link,
            remote_id=remote_id if post is None else "",
            remote_text=remote_text,
            reason=reason,
            reported_by=by,
            assigned_to=assigned,
        )
        _archive_and_tell(report)
    return report


def _first_channel(post: Post) -> Channel | None:
    return post.channels.order_by("name").first()


def _archive_and_tell(report: ContentReport) -> None:
    from retention.archive import archive_content_report

    archive_content_report(report, "filed")
    transaction.on_commit(lambda: notify_content_reported(report))


def channel_supervisors(report: ContentReport) -> list[User]:
    """Who is alerted of a report: the supervisor it went to and the channel's owner."""
    people = [report.assigned_to, report.channel.owner if report.channel_id else None]
    unique = {person.pk: person for person in people if person is not None and person.is_active}
    return list(unique.values())


# --- Removal (called by ContentReport.remove_from_public_view) -----------------------------
def take_down_reported_post(report: ContentReport, *, by, reason: str, equipment=None) -> None:
    """Take the reported post down on every channel it went to (posting's take-down)."""
    post = report.post
    if post.state == PostState.REMOVED:
        return  # taken down already (another report, or from its page): nothing more to remove
    post.take_down(
        by=by,
        reason=f"Report #{report.pk}, {report.get_concern_display()}: {reason}",
        equipment=equipment,
    )


def delete_unpublished(report: ContentReport, *, by) -> dict:
    """A post that did not come through CitySocial: capture it into the archive (once), then
    delete it on its platform by its id. Called outside a transaction: the platform is slow."""
    from retention.archive import archive_unpublished_capture
    from retention.models import ArchiveRecord

    adapter = report.channel.adapter
    captured = ArchiveRecord.objects.filter(
        kind=ArchiveRecord.Kind.CAPTURED_BEFORE_REMOVAL,
        channel=report.channel,
        payload__content_report__id=report.pk,
    ).exists()
    gone = False
    if not captured:
        try:
            copy, note = (
                adapter.fetch_remote(report.remote_id),
                "The platform's copy, read just before removal.",
            )
        except PlatformError as exc:
            gone = exc.status in {404, 410}
            copy, note = (
                None,
                f"The platform did not show its copy ({exc.message}); the report's copy stands.",
            )
        archive_unpublished_capture(report, platform_copy=copy, note=note)
    try:
        adapter.delete_remote(report.remote_id)
    except PlatformError as exc:
        raise ValidationError(
            f"{report.channel} did not delete it: {exc.message} It may still be public. Nothing "
            "else was changed: try again, or delete it on the platform by hand, then dismiss "
            "the report saying so."
        ) from exc
    result = (
        "The platform no longer had the post: it counts as removed."
        if gone
        else "Deleted through the platform's API."
    )
    return {"platform": report.channel.platform, "result": result}


def record_unpublished_removal(report: ContentReport, *, by, answer: dict) -> None:
    from retention.archive import archive_unpublished_removal

    archive_unpublished_removal(report, by=by, answer=answer)


# --- What the report's page shows ------------------------------------------------------------
def archived_records(report: ContentReport):
    """The content as the archive holds it: the post's published versions on each channel
    (and what was captured before removal), or the report's own records for a post that did
    not come through CitySocial."""
    from retention.models import ArchiveRecord

    Kind = ArchiveRecord.Kind
    if report.post_id:
        records = report.post.archive_records.filter(
            kind__in=[Kind.PUBLISHED, Kind.PLATFORM_VERSION, Kind.CAPTURED_BEFORE_REMOVAL]
        )
    else:
        records = ArchiveRecord.objects.filter(payload__content_report__id=report.pk).exclude(
            kind=Kind.INVESTIGATION
        )
    return records.select_related("channel").order_by("sequence")


def archived_text(record) -> str:
    """The words of an archived record, whatever its kind."""
    payload = record.payload or {}
    if "post" in payload and isinstance(payload["post"], dict) and payload["post"].get("body"):
        return payload["post"]["body"]
    if "public_view" in payload:
        view = payload["public_view"]
        return str(view.get("text") or view.get("message") or view.get("content") or "")
    report = payload.get("content_report") or {}
    return report.get("remote_text") or (report.get("post") or {}).get("body") or ""


def archived_records_for_queue():
    """The published versions, prefetched for the queue's rows (one query for all)."""
    from retention.models import ArchiveRecord

    return ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.PUBLISHED).order_by("sequence")


def queue_text(report: ContentReport) -> str:
    """The reported words for the queue: as the archive holds the published post, or as the
    platform showed them."""
    if report.post_id:
        published = getattr(report.post, "published_records", None) or []
        if published:
            return archived_text(published[0])
        return report.post.body
    return report.remote_text


# --- Unauthorized-post detection (702.5) -----------------------------------------------------
# A post our own worker has just made may not have its id saved yet (the id is saved the moment
# the platform answers): posts newer than this are left for the next round.
GRACE = timedelta(minutes=5)
RECENT_POSTS = 40
IN_FLIGHT = [*Publication.IN_FLIGHT, Publication.Status.NEEDS_HUMAN]
# Some platforms give times to the second (Facebook's created_time): a post made in the second
# the channel was entered still counts as made after it.
CLOCK_SLACK = timedelta(seconds=1)


def watched_since(channel: Channel):
    """When the channel was entered into CitySocial: what the account posted before is its
    history, not CitySocial's to answer for."""
    return (
        channel.history.filter(history_type="+")
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )


def check_channel_posts(channel_id: int) -> list[ContentReport]:
    """Read the channel's recent posts back from the platform; open a report for each one
    that did not come through CitySocial, or whose text is no longer what was approved.
    Once per post on the platform, however often this runs."""
    channel = Channel.objects.filter(pk=channel_id, is_active=True).first()
    if channel is None:
        return []
    adapter = channel.adapter
    try:
        posts = adapter.recent_posts(limit=RECENT_POSTS)
    except (PlatformError, NotImplementedError) as exc:
        log.warning("could not read %s back: %s", channel, getattr(exc, "message", exc))
        return []
    now, since = timezone.now(), watched_since(channel)
    # Reported already, by CitySocial or by an employee who pasted its link: once is enough.
    already = set(
        ContentReport.objects.filter(channel=channel)
        .exclude(remote_id="")
        .values_list("remote_id", flat=True)
    )
    opened = []
    for remote in posts:
        if remote.remote_id in already or not remote.remote_id:
            continue
        if remote.created_at is not None:
            if remote.created_at > now - GRACE:
                continue  # perhaps ours, its id not saved yet: the next round sees it
            if since is not None and remote.created_at < since - CLOCK_SLACK:
                continue
        publication = (
            Publication.objects.filter(channel=channel, remote_id=remote.remote_id)
            .select_related("post")
            .first()
        )
        if publication is not None:
            if adapter.same_text(publication.post.body, remote.text):
                continue
            why = (
                "The text on the platform is not the text that was approved: it was changed "
                f"there after approval (702.5(g)). Approved: “{publication.post.body}”"
            )
        else:
            if _ours_in_flight(channel, adapter, remote.text):
                continue
            why = (
                "This post did not come through CitySocial: nobody authorized or approved it "
                "(702.5(g)). Someone may be using the account's password."
            )
        report = open_detected(channel, remote, publication, why)
        if report is not None:
            opened.append(report)
    return opened


def _ours_in_flight(channel, adapter, text: str) -> bool:
    """A delivery of ours to this channel whose id is not saved yet (being sent, retried, or
    waiting for a person after a lost answer) with the same text: the worker's post."""
    waiting = Publication.objects.filter(channel=channel, status__in=IN_FLIGHT, remote_id="")
    return any(adapter.same_text(p.post.body, text) for p in waiting.select_related("post"))


def open_detected(channel, remote, publication, why: str) -> ContentReport | None:
    """The report CitySocial opens itself, once per post on the platform."""
    post = publication.post if publication else None
    assigned, _ = responsible_supervisor(channel=channel, post=post)
    try:
        with transaction.atomic():
            report, created = ContentReport.objects.get_or_create(
                source=ContentReport.Source.DETECTED,
                channel=channel,
                remote_id=remote.remote_id,
                defaults={
                    "concern": ContentReport.Concern.UNAUTHORIZED,
                    "post": post,
                    "link": (remote.url or "")[:500],
                    "remote_text": remote.text,
                    "reason": why,
                    "assigned_to": assigned,
                },
            )
            if created:
                _archive_and_tell(report)
    except IntegrityError:
        return None  # another worker opened it a moment ago
    return report if created else None


# --- Public-posting prevention check (702.5.1) -----------------------------------------------
def check_public_posting(channel_id: int) -> PublicPostingCheck | None:
    """Ask the platform what it says about who may post or reply on the account, and record
    the answer (the channel page and the annual review read the latest)."""
    channel = Channel.objects.filter(pk=channel_id, is_active=True).first()
    if channel is None:
        return None
    try:
        policy = channel.adapter.reply_policy()
        prevented, detail = policy.prevented, policy.detail
    except PlatformError as exc:
        prevented = None
        detail = f"{channel.platform_label} could not be asked: {exc.message}"
    except NotImplementedError:
        prevented = None
        detail = f"CitySocial cannot ask {channel.platform_label} about replies."
    return PublicPostingCheck.objects.create(channel=channel, prevented=prevented, detail=detail)


def latest_public_posting_check(channel: Channel) -> PublicPostingCheck | None:
    return channel.public_posting_checks.order_by("-checked_at", "-pk").first()


def report_link_for(report: ContentReport) -> str:
    return f"{settings.SITE_URL}{report.get_absolute_url()}"
