import hashlib
import json
import uuid
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.equipment import check_equipment
from accounts.permissions import can_publish
from accounts.roles import Role

from .media_models import channel_image_problems, summaries_of


class Platform(models.TextChoices):
    WEBSITE = "website", "City website"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FACEBOOK = "facebook", "Facebook Page"
    X = "x", "X"


class Category(models.TextChoices):
    """702.4 (a)-(h): the kinds of content the policy authorizes. Every post has one."""

    ANNOUNCEMENT = "announcement", "702.4(a) Announcement"
    CRIME_PREVENTION = "crime_prevention", "702.4(b) Crime prevention tips and information"
    REQUEST_FOR_INFORMATION = "request_for_information", "702.4(c) Request for information"
    COMMUNITY_ENGAGEMENT = "community_engagement", "702.4(d) Community engagement"
    REAL_TIME_SAFETY = "real_time_safety", "702.4(e) Real-time safety information"
    TRAFFIC = "traffic", "702.4(f) Traffic information"
    MEDIA_RELEASE = "media_release", "702.4(g) Media release"
    RECRUITMENT = "recruitment", "702.4(h) Recruitment of personnel"


class Channel(models.Model):
    """A city social media site (702.1.1: the city website counts too)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=200, blank=True, help_text="The account, e.g. @city")
    api_base_url = models.URLField(blank=True, help_text="The platform's API root.")
    public_url = models.URLField(blank=True, help_text="Where the public sees this channel.")
    # The name of a secret held outside the database (an environment variable),
    # never the secret itself: the database and its history stay clean.
    credentials_ref = models.CharField(max_length=100, blank=True)
    max_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides the platform's own text limit."
    )
    is_active = models.BooleanField(default=True)
    # Told in plain words when publishing to this channel fails for good (or needs a person).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_channels",
        help_text="The person responsible for this account.",
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="At most this many posts a minute, shared by every worker. Blank: the platform's default.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_to_channel", "Publish to this channel (702.3)")]

    def __str__(self) -> str:
        return self.name

    @property
    def adapter(self):
        from .platforms import adapter_for

        return adapter_for(self)

    @property
    def text_limit(self) -> int:
        return self.max_length or self.adapter.text_limit

    def text_length(self, text: str) -> int:
        return self.adapter.text_length(text)

    @property
    def platform_label(self) -> str:
        return self.get_platform_display()


class ChannelSecret(models.Model):
    """A platform credential, encrypted with CREDENTIALS_KEYS. Never shown again, never in history."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="secret")
    ciphertext = models.TextField(editable=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Credentials of {self.channel}"  # never the secret


class PostState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Returned for changes"
    DECLINED = "declined", "Rejected by supervisor"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Publishing failed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    HELD = "held", "Held: author no longer authorized"
    REMOVED = "removed", "Removed from public view"


# The only moves a post may make. Post._move() refuses anything else.
TRANSITIONS: dict[str, set[str]] = {
    PostState.DRAFT: {PostState.SUBMITTED, PostState.WITHDRAWN},
    PostState.SUBMITTED: {
        PostState.APPROVED,
        PostState.REJECTED,
        PostState.DECLINED,
        PostState.WITHDRAWN,
        PostState.DRAFT,
        PostState.HELD,
    },
    PostState.DECLINED: set(),
    PostState.APPROVED: {
        PostState.PUBLISHING,
        PostState.WITHDRAWN,
        PostState.DRAFT,
        PostState.HELD,
    },
    PostState.HELD: {PostState.DRAFT, PostState.WITHDRAWN},
    PostState.REJECTED: {PostState.DRAFT, PostState.WITHDRAWN},
    PostState.PUBLISHING: {PostState.PUBLISHED, PostState.FAILED, PostState.REMOVED},
    PostState.FAILED: {PostState.PUBLISHING, PostState.PUBLISHED, PostState.REMOVED},
    PostState.PUBLISHED: {PostState.REMOVED},
    PostState.REMOVED: set(),
    PostState.WITHDRAWN: set(),
}

# A draft in these states is a transitory record (702.7): captured as it stood, kept briefly.
SET_ASIDE_STATES = {PostState.REJECTED, PostState.DECLINED, PostState.WITHDRAWN}

EDITABLE_STATES = {
    PostState.DRAFT,
    PostState.SUBMITTED,
    PostState.APPROVED,
    PostState.REJECTED,
    PostState.HELD,
}


class IllegalTransition(ValidationError):
    pass


def validate_attachment(upload) -> None:
    from pathlib import Path

    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("Attachments may be 10 MB at most.")
    if Path(upload.name).suffix.lower() not in ATTACHMENT_TYPES:
        raise ValidationError(
            "Attach a picture (JPG, PNG, GIF), a PDF, a Word file or a text file."
        )


class PostQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(state=PostState.SUBMITTED).order_by("submitted_at")

    def approval_overdue(self, now=None):
        """Submitted posts whose scheduled time came before their approval."""
        return self.awaiting_review().filter(scheduled_for__lte=now or timezone.now())

    def due_for_release(self, now=None):
        now = now or timezone.now()
        return self.filter(state=PostState.APPROVED).filter(
            models.Q(scheduled_for__isnull=True) | models.Q(scheduled_for__lte=now)
        )

    def by(self, user):
        return self.filter(author=user)

    def held_on_revocation(self, user):
        """The author's posts waiting to go out: what 702.3 holds when their authorization ends."""
        return self.filter(author=user, state__in=[PostState.SUBMITTED, PostState.APPROVED])


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(
        max_length=140,
        help_text="A headline for the city website; other platforms get the text only.",
    )
    body = models.TextField()
    category = models.CharField(max_length=40, choices=Category.choices)
    channels = models.ManyToManyField(Channel, related_name="posts")
    scheduled_for = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=20, choices=PostState.choices, default=PostState.DRAFT, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # 702.4.1: the incident this post is an update of (posting.incident_models).
    incident = models.ForeignKey(
        "posting.Incident",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="posts",
    )

    objects = PostQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("review_post", "Approve or return posts (702.3)")]
        indexes = [
            # PostQuerySet.awaiting_review() and due_for_release() read these.
            models.Index(fields=["state", "submitted_at"], name="post_state_queue"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("posting:detail", args=[self.pk])

    # --- Content --------------------------------------------------------
    def content_digest(self) -> str:
        """SHA-256 of exactly what an approval approves: any change makes a new digest."""
        content = {
            "title": self.title,
            "body": self.body,
            "category": self.category,
            "channels": sorted(channel.slug for channel in self.channels.all()),
            # In UTC: the same instant must give the same digest whatever zone it is held in.
            "scheduled_for": (
                self.scheduled_for.astimezone(UTC).isoformat() if self.scheduled_for else None
            ),
        }
        # The images, in order: their bytes (by SHA-256) and their alternative text. Left out
        # when there are none, so the digests of text-only posts stay what they were.
        images = [image.digest_entry() for image in self.images.all()]  # Meta: in position order
        if images:
            content["images"] = images
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def content_problems(self) -> list[str]:
        """What stops this content from going to its channels, in plain words."""
        problems = []
        if not self.title.strip():
            problems.append("Give the post a headline.")
        if not self.body.strip():
            problems.append("Write the text of the post.")
        if self.category not in Category.values:
            problems.append("Choose one of the content categories of 702.4 (a)-(h).")
        channels = list(self.channels.all())
        if not channels:
            problems.append("Choose at least one channel.")
        for channel in channels:
            length, limit = channel.text_length(self.body), channel.text_limit
            if length > limit:
                problems.append(
                    f"{channel.name}: the text is {length} characters; the limit is {limit}."
                )
        problems.extend(channel_image_problems(channels, summaries_of(self.images.all())))
        return problems

    # --- Who may act ----------------------------------------------------
    def unauthorized_channels(self, user=None) -> list[Channel]:
        user = user or self.author
        return [
            channel
            for channel in self.channels.all()
            if not can_publish(user, channel, category=self.category)
        ]

    def _require_author(self, user, action: str) -> None:
        if user.pk != self.author_id:
            raise PermissionDenied(f"Only the author may {action} this post.")

    def _is_author_or_supervisor(self, user) -> bool:
        return user.pk == self.author_id or user.has_role(Role.SUPERVISOR)

    def may_be_withdrawn_by(self, user) -> bool:
        return (
            self._is_author_or_supervisor(user) and PostState.WITHDRAWN in TRANSITIONS[self.state]
        )

    def may_be_retried_by(self, user) -> bool:
        return self._is_author_or_supervisor(user) and self.state == PostState.FAILED

    def _require_approver(self, user, step) -> None:
        """702.3: an approver at the post's current step, and never its author."""
        from review.routing import may_decide

        if user.pk == self.author_id:
            raise PermissionDenied("702.3: a supervisor may not approve their own post.")
        if step is None or not may_decide(user, self, step):
            who = step.approvers_label if step else "nobody"
            raise PermissionDenied(
                f"702.3: this post waits for {who}; you are not an approver at this step."
            )

    # --- State machine --------------------------------------------------
    def _move(self, to: str, *, by, reason: str = "", equipment=None) -> "PostTransition":
        origin = self.state
        if to not in TRANSITIONS[origin]:
            raise IllegalTransition(
                f"A post that is {PostState(origin).label.lower()} cannot become "
                f"{PostState(to).label.lower()}."
            )
        self.state = to
        self.save(update_fields=["state", "submitted_at", "published_at", "updated_at"])
        transition = PostTransition.objects.create(
            post=self,
            from_state=origin,
            to_state=to,
            actor=by,
            reason=reason,
            device=equipment.device if equipment else None,
            equipment=equipment.label if equipment else "",
        )
        if to in SET_ASIDE_STATES:  # 702.7: a transitory record of the draft as it stood
            from retention.archive import archive_set_aside

            archive_set_aside(self, transition)
        return transition

    def _lock(self) -> "Post":
        """Reload this post's row under a lock, so two people acting at once take turns.

        NO KEY: a worker archiving a delivery inserts rows that refer to the post, and the
        foreign-key check would otherwise wait on this lock while it holds the delivery's row,
        which a take-down locks next (a deadlock)."""
        locked = Post.objects.select_for_update(no_key=True).get(pk=self.pk)
        self.state = locked.state
        self.scheduled_for = locked.scheduled_for
        return self

    @transaction.atomic
    def revise(self, *, by, title: str, body: str, category: str, channels, scheduled_for=None):
        """The author edits the post. Any approval given earlier is void (it approved other words)."""
        self._lock()
        self._require_author(by, "edit")
        if self.incident_id is not None:
            from .incident_models import NOT_EDITED_HERE

            raise IllegalTransition(NOT_EDITED_HERE)
        if self.state not in EDITABLE_STATES:
            raise IllegalTransition(
                f"A post that is {self.get_state_display().lower()} can no longer be edited."
            )
        self.title, self.body, self.category, self.scheduled_for = (
            title,
            body,
            category,
            scheduled_for,
        )
        self.save()
        self.channels.set(channels)
        if self.state != PostState.DRAFT:
            voided = self.approvals.void_all(reason="The post was edited after this decision.")
            note = "Edited; the earlier approval is void." if voided else "Edited."
            self._move(PostState.DRAFT, by=by, reason=note)

    @transaction.atomic
    def submit(self, *, by, attestation: bool = True, equipment=None, override_request: str = ""):
        """The author submits the post, from city equipment, attesting 702.4.

        702.3: content that strictly conforms to the Mayor's guidelines and passes every
        check is approved by CitySocial itself; anything else waits for a supervisor.
        702.5: blocked content goes to a supervisor only with the author's reason for an override.
        """
        from review.assessment import record_assessment
        from review.models import Attestation

        self._lock()
        self._require_author(by, "submit")
        equipment = check_equipment(by, equipment)
        if self.state not in {PostState.DRAFT}:
            raise IllegalTransition(
                f"A post that is {self.get_state_display().lower()} cannot be submitted."
            )
        problems = self.content_problems()
        refused = self.unauthorized_channels(by)
        if refused:
            names = ", ".join(channel.name for channel in refused)
            problems.append(
                f"702.3 / 702.5(g): you are not authorized to post "
                f"{self.get_category_display()} content to {names}."
            )
        if not attestation:
            problems.append(
                "702.4: confirm the content is appropriate for public release, supports the "
                "City mission and conforms to the City's release-of-information policies."
            )
        if problems:
            raise ValidationError(problems)
        digest = self.content_digest()
        Attestation.objects.create(post=self, by=by, content_digest=digest)
        assessment = record_assessment(self)
        if assessment.blocking and not override_request.strip():
            raise ValidationError(
                [f["message"] for f in assessment.blocking]
                + [
                    "Change the text, or ask a supervisor to override with your reason "
                    "why this is not prohibited (702.5)."
                ]
            )
        self.submitted_at = timezone.now()
        reason = "Submitted for approval."
        if assessment.blocking:
            reason = f"Submitted with a request to override (702.5): {override_request.strip()}"
        transition = self._move(PostState.SUBMITTED, by=by, reason=reason, equipment=equipment)
        if assessment.decision == "allow":
            self._approve_as_conforming(digest)
        return transition

    def _approve_as_conforming(self, digest: str) -> None:
        from review.models import Approval

        Approval.objects.create(
            post=self,
            reviewer=None,
            decision=Approval.Decision.CONFORMING,
            comment="702.3: strictly conforms to the Mayor's guidelines and passed every check.",
            content_digest=digest,
        )
        self._move(
            PostState.APPROVED,
            by=None,
            reason="702.3: strictly conforms to the Mayor's guidelines; no supervisor needed.",
        )
        if self.is_due():
            self.release()

    @property
    def auto_approved(self) -> bool:
        approval = self.current_approval()
        return approval is not None and approval.reviewer_id is None

    @transaction.atomic
    def approve(self, *, by, comment: str = "", equipment=None, justification: str = ""):
        """An approver at the current step approves the exact content in front of them (702.3).

        The checks run again (the rules may have changed since submission); a blocking
        finding is published only with the approver's written justification (702.5).
        """
        from review.assessment import record_assessment
        from review.models import Approval, Override
        from review.routing import current_step

        self._lock()
        if self.state != PostState.SUBMITTED:
            raise IllegalTransition(
                f"A post that is {self.get_state_display().lower()} cannot be approved."
            )
        step = current_step(self)
        self._require_approver(by, step)
        equipment = check_equipment(by, equipment)
        refused = self.unauthorized_channels()
        if refused:
            names = ", ".join(channel.name for channel in refused)
            raise PermissionDenied(
                f"702.3: the author is no longer authorized to post to {names}; return the post."
            )
        digest = self.content_digest()
        assessment = record_assessment(self)
        if assessment.blocking:
            if not justification.strip():
                raise ValidationError(
                    "702.5: this post has a blocking finding. Approving it anyway needs your "
                    "written justification, which is recorded for the annual review (702.6)."
                )
            Override.objects.create(
                post=self,
                supervisor=by,
                findings=assessment.blocking,
                justification=justification.strip(),
                content_digest=digest,
            )
        Approval.objects.create(
            post=self,
            reviewer=by,
            step=step if step.pk else None,
            decision=Approval.Decision.APPROVED,
            comment=comment.strip(),
            content_digest=digest,
            device=equipment.device,
            equipment=equipment.label,
        )
        if current_step(self, digest) is not None:
            return  # the next step's approvers are waiting
        self._move(
            PostState.APPROVED, by=by, reason=comment.strip() or "Approved.", equipment=equipment
        )
        if self.is_due():
            self.release()

    @transaction.atomic
    def reject(self, *, by, comment: str, equipment=None):
        """An approver returns the post to its author for changes, saying what to change."""
        self._decide_against(
            by=by,
            comment=comment,
            equipment=equipment,
            to=PostState.REJECTED,
            decision="returned",
            missing="Tell the author what to change.",
        )

    @transaction.atomic
    def decline(self, *, by, comment: str, equipment=None):
        """An approver rejects the post for good, saying why."""
        self._decide_against(
            by=by,
            comment=comment,
            equipment=equipment,
            to=PostState.DECLINED,
            decision="declined",
            missing="Tell the author why the post is rejected.",
        )

    def _decide_against(self, *, by, comment, equipment, to, decision, missing) -> None:
        from review.models import Approval
        from review.routing import current_step

        self._lock()
        if self.state != PostState.SUBMITTED:
            raise IllegalTransition(
                f"A post that is {self.get_state_display().lower()} cannot be returned."
            )
        self._require_approver(by, current_step(self))
        if not comment.strip():
            raise ValidationError(missing)
        Approval.objects.create(
            post=self,
            reviewer=by,
            decision=decision,
            comment=comment.strip(),
            content_digest=self.content_digest(),
            device=equipment.device if equipment else None,
            equipment=equipment.label if equipment else "",
        )
        self.approvals.void_all(reason="The post was returned or rejected.")
        self._move(to, by=by, reason=comment.strip(), equipment=equipment)

    @transaction.atomic
    def lapse_approval(self):
        """702.3: approval did not come before the scheduled time; nothing goes out unapproved."""
        self._lock()
        if self.state != PostState.SUBMITTED or not self.is_due():
            return  # decided, or rescheduled to later, since it was picked
        self.approvals.void_all(reason="The scheduled time passed before approval.")
        self._move(
            PostState.DRAFT,
            by=None,
            reason="Approval did not arrive before the scheduled time. Choose a new time and "
            "submit it again.",
        )

    @transaction.atomic
    def withdraw(self, *, by, reason: str = ""):
        self._lock()
        if not self._is_author_or_supervisor(by):
            raise PermissionDenied("Only the author or a supervisor may withdraw this post.")
        self._move(PostState.WITHDRAWN, by=by, reason=reason.strip() or "Withdrawn.")
        self.approvals.void_all(reason="The post was withdrawn.")

    @transaction.atomic
    def hold(self, *, reason: str):
        """702.3: the author may no longer post here; nothing goes out until someone acts."""
        self._lock()
        self.approvals.void_all(reason=f"Held: {reason}")
        self._move(PostState.HELD, by=None, reason=reason)

    def is_due(self, now=None) -> bool:
        return self.scheduled_for is None or self.scheduled_for <= (now or timezone.now())

    # --- The schedule: moved or cancelled until the post goes out -------------------
    def has_upcoming_schedule(self, now=None) -> bool:
        """Not released yet, and scheduled for a time still to come."""
        return (
            self.state in EDITABLE_STATES
            and self.scheduled_for is not None
            and self.scheduled_for > (now or timezone.now())
        )

    @property
    def scheduled_label(self) -> str:
        """The scheduled time in city time, with the zone's abbreviation (PST, PDT)."""
        from .scheduling import moment_label

        return moment_label(self.scheduled_for) if self.scheduled_for else ""

    def may_change_schedule(self, user) -> bool:
        return self._is_author_or_supervisor(user) and self.has_upcoming_schedule()

    def require_schedule_keeper(self, user) -> None:
        """As for withdrawing: the author or a supervisor moves the schedule or cancels it."""
        if not self._is_author_or_supervisor(user):
            raise PermissionDenied(
                "Only the author or a supervisor may reschedule this post or take it off the "
                "schedule."
            )

    def _require_upcoming_schedule(self) -> None:
        state = self.get_state_display().lower()
        if self.state in {PostState.WITHDRAWN, PostState.DECLINED}:
            raise IllegalTransition(
                f"This post is {state} and will not go out: it has no schedule."
            )
        if self.state not in EDITABLE_STATES:
            raise IllegalTransition(
                f"This post is {state}: it has been released to its channels, so it can no "
                "longer be rescheduled or taken off the schedule."
            )
        if self.scheduled_for is None:
            raise IllegalTransition(
                "This post has no scheduled time: it goes out as soon as it is approved."
            )
        if not self.has_upcoming_schedule():
            raise IllegalTransition(
                f"Its scheduled time, {self.scheduled_label}, has passed: it can no longer be "
                "rescheduled or taken off the schedule."
            )

    def _lock_schedule(self) -> None:
        """Lock the row, then re-read what the schedule and the content digest depend on."""
        self._lock()
        self.refresh_from_db(fields=["title", "body", "category", "scheduled_for"])

    def _set_schedule(self, when, *, by, note: str) -> None:
        """Save the new time; the history keeps who and why, and the timeline shows it."""
        self.scheduled_for = when
        # The history's reason column holds 100 characters.
        reason = note if len(note) <= 100 else note[:99] + "…"
        self._history_user, self._change_reason = by, reason
        try:
            self.save(update_fields=["scheduled_for", "updated_at"])
        finally:
            del self._history_user, self._change_reason

    @transaction.atomic
    def reschedule(self, *, by, when):
        """Move the post to another time, until it goes out.

        An approval approves the content, not the hour it goes out, so an approved post stays
        approved. The content digest includes the time, though: each approval in force is
        voided for the old time and recorded again, unchanged, for the new one. A release that
        read the post before this move therefore finds no approval and sends nothing, and the
        row lock makes this and a release take turns.
        """
        from .scheduling import short_label

        self._lock_schedule()
        self.require_schedule_keeper(by)
        self._require_upcoming_schedule()
        if when <= timezone.now():
            raise ValidationError("Choose a time in the future.")
        if when == self.scheduled_for:
            raise ValidationError(f"It is already scheduled for {self.scheduled_label}.")
        # In UTC, as the database gives it back: the content digest spells the time out.
        when = when.astimezone(UTC)
        in_force = list(self.approvals.valid_for(self.content_digest()))
        note = f"Rescheduled from {short_label(self.scheduled_for)} to {short_label(when)}."
        self._set_schedule(when, by=by, note=note)
        self._carry_over(in_force, note=note)

    def _carry_over(self, approvals, *, note: str) -> None:
        from review.models import Approval

        digest = self.content_digest()
        for approval in approvals:
            approval.voided_at = timezone.now()
            approval.void_reason = f"{note} Carried over to the new time."
            approval.save(update_fields=["voided_at", "void_reason"])
            carried = "Carried over to the new time when the post was rescheduled."
            Approval.objects.create(
                post=self,
                reviewer=approval.reviewer,
                step=approval.step,
                decision=approval.decision,
                comment=f"{approval.comment} ({carried})" if approval.comment else carried,
                content_digest=digest,
                decided_at=approval.decided_at,
                device=approval.device,
                equipment=approval.equipment,
            )

    @transaction.atomic
    def cancel_schedule(self, *, by, reason: str = ""):
        """Take the post off the schedule so that it does not go out.

        It goes back to draft with its time cleared and any approval void: a city that cancels
        a scheduled post expects it to stay unpublished until someone schedules and submits it
        again, never to go out early. (Withdrawing ends a post for good.)
        """
        from .scheduling import short_label

        self._lock_schedule()
        self.require_schedule_keeper(by)
        self._require_upcoming_schedule()
        said = f"Reason: {reason.strip()}" if reason.strip() else ""
        note = f"Taken off the schedule (it was to go out {short_label(self.scheduled_for)})."
        self._set_schedule(None, by=by, note=f"{note} {said}".strip())
        if self.state == PostState.DRAFT:
            return
        voided = self.approvals.void_all(reason="The post was taken off the schedule.")
        back = "Back to draft; the approval is void." if voided else "Back to draft."
        self._move(PostState.DRAFT, by=by, reason=" ".join(filter(None, [note, said, back])))

    def current_approval(self):
        """The approval that covers the content as it stands now, if any."""
        return self.approvals.valid_for(self.content_digest()).first()

    def in_reply_to_publication(self, channel) -> "Publication | None":
        """What this post answers on `channel`: a correction answers the update it corrects
        (702.4.1), when that update is published there. None when there is nothing to answer."""
        if self.incident_id is None:
            return None
        # The reverse one-to-one raises a subclass of AttributeError when there is no update.
        update = getattr(self, "incident_update", None)
        if update is None or update.corrects_id is None:
            return None
        return (
            Publication.objects.filter(
                post__incident_update=update.corrects_id,
                channel=channel,
                status=Publication.Status.PUBLISHED,
            )
            .exclude(remote_id="")
            .first()
        )

    @transaction.atomic
    def release(self):
        """Hand an approved, due post to the publishing workers: one publication per channel.

        The Publication rows are committed with the state change; the workers are
        woken only after the commit, so they never look for rows that are not there.
        """
        self._lock()
        if self.state != PostState.APPROVED:
            raise IllegalTransition("Only an approved post can be released for publishing.")
        if self.current_approval() is None:
            raise PermissionDenied("702.3: this content has no valid supervisor approval.")
        if not self.is_due():
            return  # rescheduled to later since it was picked: beat releases it then
        publications = [
            Publication.objects.get_or_create(post=self, channel=channel)[0]
            for channel in self.channels.all()
        ]
        self._move(PostState.PUBLISHING, by=None, reason="Released to the publishing workers.")
        for publication in publications:
            publication.enqueue()

    @transaction.atomic
    def retry_failed(self, *, by):
        self._lock()
        if not self._is_author_or_supervisor(by):
            raise PermissionDenied("Only the author or a supervisor may retry publishing.")
        if self.state != PostState.FAILED:
            raise IllegalTransition("Only a post whose publishing failed can be retried.")
        failed = list(
            self.publications.filter(status=Publication.Status.FAILED).select_related("channel")
        )
        earlier = "; ".join(f"{p.channel}: {p.attempts} attempt(s) before" for p in failed)
        for publication in failed:
            publication.requeue()
        self._move(PostState.PUBLISHING, by=by, reason=f"Retry of the failed channels ({earlier}).")
        for publication in failed:
            publication.enqueue()

    @transaction.atomic
    def settle(self):
        """Once every channel has answered, the post is published or failed."""
        self._lock()
        if self.state not in {PostState.PUBLISHING, PostState.FAILED}:
            return
        statuses = set(self.publications.values_list("status", flat=True))
        if statuses & {*Publication.IN_FLIGHT, Publication.Status.NEEDS_HUMAN}:
            return  # still going out, or waiting for a person to say what happened
        if statuses == {Publication.Status.PUBLISHED}:
            self.published_at = timezone.now()
            self._move(PostState.PUBLISHED, by=None, reason="Published on every channel.")
        elif self.state == PostState.PUBLISHING:
            failed = self.publications.filter(status=Publication.Status.FAILED).count()
            self._move(
                PostState.FAILED, by=None, reason=f"{failed} channel(s) failed; see each channel."
            )

    # --- Take-down (702.5) ----------------------------------------------
    # Only a post that went out, or may have, has anything public to remove; one still
    # waiting is withdrawn or returned instead.
    REMOVABLE_STATES = (PostState.PUBLISHING, PostState.PUBLISHED, PostState.FAILED)

    @property
    def is_removable(self) -> bool:
        return self.state in self.REMOVABLE_STATES

    def may_remove_content(self, user) -> bool:
        """702.5: who may remove this post from public view.

        "Any employee who becomes aware of content ... that the employee believes is
        unauthorized or inappropriate should promptly report such content to a supervisor.
        The supervisor will ensure its removal from public view." The report may reach any
        supervisor, so any supervisor may act, and so may the author's supervisor in the org
        chart and whoever approved the post. The Mayor's office answers for the city's social
        media (702.3), and so does the Mayor's designee within the designation's scope (the
        author's department, the post's channels). The author and other employees report it.
        """
        from accounts.models import Designation
        from review.models import Approval

        if not (user.is_authenticated and user.is_active):
            return False
        if user.has_role(Role.MAYORS_OFFICE) or user.has_role(Role.SUPERVISOR):
            return True
        if user.pk == self.author.supervisor_id:
            return True
        approved = self.approvals.filter(
            reviewer=user, decision=Approval.Decision.APPROVED, voided_at__isnull=True
        )
        if approved.exists():
            return True
        covering = Designation.objects.filter(designee=user).covering(
            channels=list(self.channels.all()), employee=self.author
        )
        return bool(covering)

    @transaction.atomic
    def take_down(self, *, by, reason: str, equipment=None) -> "TakeDown":
        """702.5: remove this post from public view on every channel it went to, saying why.

        Channels that never got it never will; channels that have it are removed from by a
        worker after the commit, the archive capturing the post first (posting.removal); a
        channel it is still being sent to is removed from as soon as the send lands.
        """
        from .removal import carry_out

        self._lock()
        if not self.may_remove_content(by):
            raise PermissionDenied(
                "702.5: only a supervisor, the Mayor's office or the Mayor's designee may take a "
                "post down. If you believe it should not be public, report it to your supervisor."
            )
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                "702.5: say why the post is being taken down; the reason is kept with the record."
            )
        if self.state == PostState.REMOVED:
            raise IllegalTransition("This post has already been taken down.")
        if not self.is_removable:
            instead = (
                " Withdraw it instead." if PostState.WITHDRAWN in TRANSITIONS[self.state] else ""
            )
            raise IllegalTransition(
                f"A post that is {self.get_state_display().lower()} has not gone out: there is "
                f"nothing to take down.{instead}"
            )
        take_down = TakeDown.objects.create(post=self, requested_by=by, reason=reason)
        self._move(
            PostState.REMOVED, by=by, reason=f"Taken down (702.5): {reason}", equipment=equipment
        )
        carry_out(take_down)
        return take_down


class PostTransition(models.Model):
    """Every move of a post: who, when, from, to and why. Append-only."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=PostState.choices)
    to_state = models.CharField(max_length=20, choices=PostState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    # 702.3: the equipment the action came from.
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    equipment = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.from_state} -> {self.to_state}"


class PublicationQuerySet(models.QuerySet):
    def awaiting_wakeup(self, older_than):
        """Queued rows nobody has touched since `older_than` (their wake-up was lost, or is stuck
        behind a backlog) and that were not woken again since then either: the sweeper wakes
        each at most once per period, however long the backlog lasts."""
        return self.filter(
            models.Q(woken_at__isnull=True) | models.Q(woken_at__lt=older_than),
            status=Publication.Status.QUEUED,
            updated_at__lt=older_than,
        )

    def abandoned(self, older_than):
        """Rows a worker claimed and has not answered for since `older_than` (the worker died)."""
        return self.filter(status=Publication.Status.PUBLISHING, updated_at__lt=older_than)

    def due_retries(self, now=None, woken_before=None):
        """Rows waiting out a platform's error or rate limit whose next attempt has come, and
        whose wake-up for it was not sent yet (or was sent before `woken_before`, and lost)."""
        now = now or timezone.now()
        not_woken = models.Q(woken_at__isnull=True) | models.Q(
            woken_at__lt=models.F("next_attempt_at")
        )
        if woken_before is not None:
            not_woken |= models.Q(woken_at__lt=woken_before)
        return self.filter(not_woken, status=Publication.Status.RETRYING, next_attempt_at__lte=now)

    def not_halted(self):
        """Leave out rows on channels under an emergency stop; they wait for the resume."""
        halted = EmergencyStop.objects.halted_channel_ids()
        if halted is None:
            return self.none()
        return self.exclude(channel_id__in=halted)

    def on_website(self):
        return self.filter(
            channel__platform=Platform.WEBSITE, status=Publication.Status.PUBLISHED
        ).select_related("post", "channel", "post__author")


class Publication(models.Model):
    """One post on one channel: the delivery row, written before the outside world is called."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PUBLISHING = "publishing", "Publishing"
        RETRYING = "retrying", "Retrying"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        # The platform may or may not have the post and cannot tell us: a person decides,
        # because sending again could post it twice.
        NEEDS_HUMAN = "needs_human", "Needs a person"
        REMOVING = "removing", "Being removed"
        REMOVED = "removed", "Removed from public view"
        CANCELLED = "cancelled", "Not sent (taken down)"

    IN_FLIGHT = (Status.QUEUED, Status.PUBLISHING, Status.RETRYING)

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # Sent to the platform so that a retry of the same publication never posts twice.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    # When a retry is due. Kept here, not as a Celery countdown: a long broker ETA can be
    # delivered several times on Redis, while the database is the one place that decides.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The last attempt may have reached the platform (the answer was lost): the next one
    # must first find out whether the post is there.
    outcome_unknown = models.BooleanField(default=False)
    # When this delivery was first handed to the platform (empty: never). A platform's
    # idempotency key lasts only so long (Mastodon: about an hour) from then.
    first_sent_at = models.DateTimeField(null=True, blank=True)
    # When the last wake-up for this row was sent to the broker (for a countdown: when it is
    # due). The sweepers wake a row at most once per period, so a backlog is not flooded.
    woken_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["channel__name"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_publication_per_channel")
        ]
        indexes = [
            # PublicationQuerySet.stalled() (the sweeper) reads this.
            models.Index(fields=["status", "updated_at"], name="publication_sweep"),
        ]

    def __str__(self) -> str:
        return f"{self.post} on {self.channel}"

    def enqueue(self) -> None:
        from .tasks import enqueue_publication

        transaction.on_commit(lambda: enqueue_publication(self.pk))

    # --- When the platform's answer was lost and nothing can tell (needs a person) -------

    def may_resolve(self, user) -> bool:
        """Who may say what happened when the platform's answer was lost."""
        return (
            self.post._is_author_or_supervisor(user)
            or user.pk == self.channel.owner_id
            or user.has_role(Role.MAYORS_OFFICE)
        )

    def may_be_resolved_by(self, user) -> bool:
        return self.status == Publication.Status.NEEDS_HUMAN and self.may_resolve(user)

    def _require_resolver(self, user) -> None:
        if not self.may_resolve(user):
            raise PermissionDenied(
                "Only the author, a supervisor, the channel's owner or the Mayor's office may "
                "decide what happened on this channel."
            )
        if self.status != Publication.Status.NEEDS_HUMAN:
            raise IllegalTransition("This channel is not waiting for anyone to check it.")

    def _locked_for_resolution(self, by) -> "Publication":
        publication = Publication.objects.select_for_update().get(pk=self.pk)
        publication._require_resolver(by)
        return publication

    @transaction.atomic
    def confirm_on_platform(self, *, by, remote_url: str) -> None:
        """A person found the post on the platform: record it as published there, with its link."""
        from retention.archive import archive_publication

        publication = self._locked_for_resolution(by)
        remote_url = (remote_url or "").strip()
        if not remote_url.startswith(("https://", "http://")):
            raise ValidationError({"remote_url": "Paste the link of the post on the platform."})
        publication.status = Publication.Status.PUBLISHED
        publication.remote_url = remote_url
        publication.remote_id = publication.remote_id or remote_url.rstrip("/").rsplit("/", 1)[-1]
        publication.published_at = timezone.now()
        publication.outcome_unknown = False
        publication.last_error = ""
        publication.save()
        archive_publication(
            publication, {"confirmed_by_person": by.get_username(), "url": remote_url}
        )
        publication.post.settle()

    @transaction.atomic
    def send_again(self, *, by) -> None:
        """A person looked and the post is not on the platform: send it, with a fresh count of
        attempts (the history keeps the earlier ones)."""
        publication = self._locked_for_resolution(by)
        earlier = publication.attempts
        publication.status = Publication.Status.QUEUED
        publication.outcome_unknown = False
        publication.next_attempt_at = None
        publication.attempts = 0
        publication.last_error = (
            f"Sent again by {by} after checking the platform ({earlier} earlier attempt(s))."
        )
        publication.save()
        publication.enqueue()

    def requeue(self) -> None:
        """A person's retry after a failure: a fresh count of attempts, so that one passing
        error does not fail it again at once. The history (and the post's transition) keeps
        how many there were before."""
        self.status = Publication.Status.QUEUED
        self.attempts = 0
        self.next_attempt_at = None
        self.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])

    # --- Take-down (702.5): the removal itself is posting.removal ------------------------
    @property
    def removal_needs_person(self) -> bool:
        """Being removed, and no worker will try again by itself (posting.removal.park)."""
        return self.status == Publication.Status.REMOVING and self.next_attempt_at is None

    def cancel_for_take_down(self) -> None:
        """Never sent, and now it never will be: claim() takes only queued or retrying rows."""
        self.status = Publication.Status.CANCELLED
        self.next_attempt_at = None
        self.save(update_fields=["status", "next_attempt_at", "updated_at"])

    def begin_removal(self, *, note: str = "") -> None:
        """A worker removes it from the platform once this commits. From here `attempts`
        counts removal attempts; the publishing attempts stay in the history and the archive."""
        from .removal import enqueue_removal

        self.status = Publication.Status.REMOVING
        self.attempts = 0
        self.next_attempt_at = timezone.now()
        self.last_error = note
        self.save(
            update_fields=["status", "attempts", "next_attempt_at", "last_error", "updated_at"]
        )
        transaction.on_commit(lambda: enqueue_removal(self.pk))

    def apply_pending_take_down(self) -> None:
        """Just recorded as published: a take-down that came meanwhile is applied now."""
        from .removal import apply_pending_take_down

        apply_pending_take_down(self)

    def _locked_for_remover(self, by) -> "Publication":
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("post")
            .get(pk=self.pk)
        )
        if not publication.post.may_remove_content(by):
            raise PermissionDenied(
                "702.5: only a supervisor, the Mayor's office or the Mayor's designee may act on "
                "a take-down."
            )
        if not publication.removal_needs_person:
            raise IllegalTransition(f"{self.channel} is not waiting for a person to act.")
        return publication

    @transaction.atomic
    def retry_removal(self, *, by) -> None:
        """A person fixed the cause (new credentials, say): try removing it again now."""
        self._locked_for_remover(by).begin_removal(note=f"Tried again by {by}.")

    @transaction.atomic
    def confirm_removed_by_hand(self, *, by, note: str) -> None:
        """A person deleted it on the platform (or found it was never there) and says so."""
        from .removal import record_removed

        take_down = TakeDown.objects.select_for_update().filter(post_id=self.post_id).first()
        publication = self._locked_for_remover(by)
        note = (note or "").strip()
        if not note:
            raise ValidationError(
                {"note": "Say how it was removed, for example: deleted in the app at 3 PM."}
            )
        record_removed(publication, take_down, answer={"removed_by_hand": note}, removed_by=by)


# --- Channel health: the shared rate limiter and circuit breaker -------------------


class ChannelHealth(models.Model):
    """How a channel's platform is doing, shared by every worker (Celery's rate_limit is per worker).

    `next_slot_at` is the earliest time the next post may go out under the channel's rate;
    `open_until` is set when the circuit breaker opens after repeated failures, so that one
    failing platform does not keep the workers busy while the other channels wait.
    Operational state, not a record: no history.
    """

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="health")
    next_slot_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    open_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    # After this many transient failures in a row the breaker opens for the cool-down; then
    # one publication is let through as a probe, and a success closes it again.
    BREAKER_THRESHOLD = 5
    BREAKER_COOLDOWN = timedelta(seconds=60)
    PROBE_WINDOW = timedelta(seconds=30)

    def __str__(self) -> str:
        return f"Health of {self.channel}"

    @classmethod
    def locked(cls, channel_id: int) -> "ChannelHealth":
        """The channel's row, locked until the caller's transaction ends (created if missing)."""
        cls.objects.get_or_create(channel_id=channel_id)
        return (
            cls.objects.select_for_update(of=("self",))
            .select_related("channel")
            .get(channel_id=channel_id)
        )

    @property
    def is_open(self) -> bool:
        return self.open_until is not None and self.open_until > timezone.now()

    def posts_per_minute(self) -> int | None:
        return (
            self.channel.rate_limit_per_minute or self.channel.adapter.capabilities.posts_per_minute
        )

    def wait_before_sending(self, now) -> float:
        """Seconds this publication must wait; 0 means go now, and the slot is taken.

        The breaker first: while open, everyone waits for the cool-down; once it has passed,
        the first caller becomes the probe and the others wait for its answer. Then the rate,
        as a generic cell-rate algorithm: `next_slot_at` is when the bucket is next empty, and a
        burst of up to a minute's allowance goes at once.
        """
        if self.open_until is not None:
            if self.open_until > now:
                return (self.open_until - now).total_seconds()
            if self.consecutive_failures >= self.BREAKER_THRESHOLD:
                self.open_until = now + self.PROBE_WINDOW  # this caller is the probe
        rate = self.posts_per_minute()
        if rate:
            interval = timedelta(seconds=60 / rate)
            tolerance = interval * (rate - 1)
            next_slot = max(self.next_slot_at or now, now)
            if next_slot - tolerance > now:
                return (next_slot - tolerance - now).total_seconds()
            self.next_slot_at = next_slot + interval
        self.save()
        return 0.0

    def platform_asked_to_wait(self, seconds: float, now) -> None:
        """A 429 with a reset: every worker holds this channel until then, not just this one."""
        rate = self.posts_per_minute() or 60
        tolerance = timedelta(seconds=60 / rate) * (rate - 1)
        resume = now + timedelta(seconds=seconds)
        self.next_slot_at = max(self.next_slot_at or now, resume + tolerance)
        self.save(update_fields=["next_slot_at"])

    def failed(self, message: str, now) -> None:
        self.consecutive_failures += 1
        self.last_failure_at = now
        self.last_error = message
        if self.consecutive_failures >= self.BREAKER_THRESHOLD:
            self.open_until = now + self.BREAKER_COOLDOWN
        self.save()


# --- Emergency stop ----------------------------------------------------------------


class EmergencyStopQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def halting(self, channel) -> bool:
        """Whether an active stop covers this channel (a global stop covers every channel)."""
        return (
            self.active()
            .filter(models.Q(channel__isnull=True) | models.Q(channel=channel))
            .exists()
        )

    def halted_channel_ids(self) -> set[int] | None:
        """The channels under a stop; None means every channel (a global stop is on)."""
        channels = set(self.active().values_list("channel_id", flat=True))
        return None if None in channels else channels

    def pausing(self, publication) -> bool:
        """Whether a stop holds this delivery back: it waits on a channel under a stop."""
        waiting = publication.status in {Publication.Status.QUEUED, Publication.Status.RETRYING}
        return waiting and self.halting(publication.channel_id)


class EmergencyStop(models.Model):
    """The Mayor's office or a designee suspends all scheduled and queued content (a tragedy,
    a compromised account), globally or on one channel, until someone resumes it."""

    channel = models.ForeignKey(
        Channel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emergency_stops",
        help_text="Blank: every channel.",
    )
    reason = models.TextField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    resume_note = models.TextField(blank=True)

    objects = EmergencyStopQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Emergency stop on {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return str(self.channel) if self.channel_id else "every channel"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    # --- Who may stop and resume (702.3, 702.4.1) ---------------------------
    # accounts.authority answers for the emergency stop and for incidents alike.
    @staticmethod
    def _designations_of(user) -> list | None:
        from accounts.authority import mayors_designations

        return mayors_designations(user)

    @staticmethod
    def _within(designations, channel) -> bool:
        from accounts.authority import within_designations

        return within_designations(designations, channel)

    @classmethod
    def may_be_used_by(cls, user) -> bool:
        """Who sees the stop page: the Mayor's office and the Mayor's current designees."""
        from accounts.authority import acts_for_the_mayor

        return acts_for_the_mayor(user)

    @classmethod
    def may_stop(cls, user, channel=None) -> bool:
        return cls._within(cls._designations_of(user), channel)

    @classmethod
    def scopes_for(cls, user) -> list:
        """What `user` may stop: None (every channel) and each active channel, within scope."""
        designations = cls._designations_of(user)
        scopes = [None, *Channel.objects.filter(is_active=True)]
        return [scope for scope in scopes if cls._within(designations, scope)]

    @classmethod
    def require_authority(cls, user, channel=None) -> None:
        """702.4.1: in an incident the Mayor or the authorized designee decides what is released."""
        designations = cls._designations_of(user)
        if cls._within(designations, channel):
            return
        if designations:
            where = str(channel) if channel is not None else "every channel"
            raise PermissionDenied(
                f"702.3: stopping or resuming publishing on {where} is outside the scope of "
                "your designation (its channels)."
            )
        raise PermissionDenied(
            "702.4.1: only the Mayor's office or the Mayor's authorized designee may stop or "
            "resume the city's publishing."
        )

    # --- Stop and resume ------------------------------------------------------
    @classmethod
    @transaction.atomic
    def start(cls, *, by, reason: str, channel=None) -> "EmergencyStop":
        """Suspend every scheduled and queued post, on one channel or all, at once.

        Nothing is deleted: the queued deliveries wait and the scheduled posts stay approved
        until the stop is lifted. 702.7: the stop is archived.
        """
        from django.utils.formats import date_format

        from retention.archive import archive_emergency_stop

        cls.require_authority(by, channel)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                "Say why publishing is stopped: the reason is recorded and shown to city staff."
            )
        cls._lock_scope(channel)
        already = cls.objects.active().filter(channel=channel).select_related("started_by").first()
        if already is not None:
            since = date_format(timezone.localtime(already.started_at), "M j, g:i A")
            raise ValidationError(
                f"Publishing is already stopped on {already.scope_label}, since {since} "
                f"by {already.started_by}."
            )
        stop = cls.objects.create(channel=channel, reason=reason, started_by=by)
        archive_emergency_stop(stop)
        return stop

    @staticmethod
    def _lock_scope(channel) -> None:
        # Two people may press the button at once; locking the channels the stop covers makes
        # the second one wait and then see the first stop, so a scope never has two.
        channels = Channel.objects.select_for_update(no_key=True).order_by("pk")
        if channel is not None:
            channels = channels.filter(pk=channel.pk)
        list(channels.values_list("pk", flat=True))

    @transaction.atomic
    def resume(self, *, by, note: str = "") -> None:
        """Lift the stop; the deliveries it held and the posts that came due go out after commit."""
        from retention.archive import archive_emergency_resume

        from .tasks import resume_halted_deliveries

        self.require_authority(by, self.channel)
        locked = EmergencyStop.objects.select_for_update().get(pk=self.pk)
        if locked.ended_at is not None:
            raise ValidationError(f"This emergency stop on {self.scope_label} was already lifted.")
        self.ended_by, self.ended_at, self.resume_note = by, timezone.now(), (note or "").strip()
        self.save(update_fields=["ended_by", "ended_at", "resume_note"])
        archive_emergency_resume(self)
        # robust: the resume stands even if the broker is down; the beat sweepers wake them later.
        transaction.on_commit(resume_halted_deliveries, robust=True)


# --- Take-down (702.5) ---------------------------------------------------------------


class TakeDown(models.Model):
    """702.5: a post removed from public view on every channel it went to, with who and why.

    Removal from a platform is never removal of the record: the archive keeps the post as it
    was captured before removal, and the removal itself.
    """

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="take_downs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Take-down of {self.post}"


# --- Requests from employees who are not authorized (702.3) -----------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".pdf", ".docx", ".txt"}


def attachment_path(instance, filename: str) -> str:
    return f"requests/{uuid.uuid4().hex}/{filename}"


class PostingRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            models.Q(requester=user) | models.Q(supervisor=user) | models.Q(forwarded_to=user)
        )

    def awaiting(self, supervisor):
        return self.filter(supervisor=supervisor, status=PostingRequest.Status.SUBMITTED)


class PostingRequest(models.Model):
    """702.3: employees who are not authorized ask through the appropriate supervisory channel."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "With the supervisor"
        FORWARDED = "forwarded", "Forwarded to an authorized poster"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine (within a week)"
        SOON = "soon", "Soon (within two days)"
        URGENT = "urgent", "Urgent (today)"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posting_requests"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests_to_review"
    )
    what = models.TextField(help_text="What should the public be told?")
    why = models.TextField(help_text="Why it matters, and any source or deadline.")
    audience = models.CharField(max_length=200, help_text="Who needs to hear it.")
    category = models.CharField(max_length=40, choices=Category.choices, blank=True)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    attachment = models.FileField(
        upload_to=attachment_path, blank=True, validators=[validate_attachment]
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    forwarded_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests_forwarded",
    )
    draft = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="posting_request"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostingRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Request from {self.requester}: {self.what[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("posting:request", args=[self.pk])

    @property
    def progress(self) -> str:
        """What the requester sees: where their request is now."""
        if self.draft_id:
            return (
                f"{self.get_status_display()}: the post is {self.draft.get_state_display().lower()}"
            )
        return self.get_status_display()

    @classmethod
    def file(cls, *, requester, what, why, audience, urgency, category="", attachment=None):
        supervisor = requester.supervisor
        if supervisor is None:
            raise ValidationError(
                "702.3: you have no supervisor on record to send this to. Ask the Mayor's office "
                "to set your supervisor in the org chart."
            )
        request = cls(
            requester=requester,
            supervisor=supervisor,
            what=what,
            why=why,
            audience=audience,
            urgency=urgency,
            category=category,
            attachment=attachment or "",
        )
        request.full_clean()
        with transaction.atomic():
            request.save()
            request._archive("filed", at=request.created_at)
        return request

    def _require_supervisor(self, by) -> None:
        if by.pk != self.supervisor_id:
            raise PermissionDenied("702.3: only the requester's supervisor decides this request.")
        self._lock()
        if self.status != self.Status.SUBMITTED:
            raise IllegalTransition(f"This request is already {self.get_status_display().lower()}.")

    @transaction.atomic
    def forward(self, *, by, to, title: str, category: str, note: str = "") -> Post:
        """The supervisor hands the request to an authorized poster as a prefilled draft."""
        self._require_supervisor(by)
        from accounts.permissions import publishable_channels

        channels = list(publishable_channels(to))
        if not channels:
            raise ValidationError(f"702.3: {to} is not authorized to post; choose another poster.")
        draft = Post.objects.create(author=to, title=title, body=self.what, category=category)
        draft.channels.set(channels)
        self.status, self.forwarded_to, self.draft = self.Status.FORWARDED, to, draft
        self.decided_at, self.decision_note = timezone.now(), note.strip()
        self.save(update_fields=["status", "forwarded_to", "draft", "decided_at", "decision_note"])
        self._archive("forwarded", at=self.decided_at)
        return draft

    @transaction.atomic
    def decline(self, *, by, reason: str):
        self._require_supervisor(by)
        if not reason.strip():
            raise ValidationError("Tell the requester why the request is declined.")
        self.status, self.decided_at, self.decision_note = (
            self.Status.DECLINED,
            timezone.now(),
            reason.strip(),
        )
        self.save(update_fields=["status", "decided_at", "decision_note"])
        self._archive("declined", at=self.decided_at)

    @transaction.atomic
    def withdraw(self, *, by):
        if by.pk != self.requester_id:
            raise PermissionDenied("Only the requester may withdraw this request.")
        self._lock()
        if self.status != self.Status.SUBMITTED:
            raise IllegalTransition(f"This request is already {self.get_status_display().lower()}.")
        self.status = self.Status.WITHDRAWN
        self.save(update_fields=["status"])
        self._archive("withdrawn", at=timezone.now())

    def _lock(self) -> None:
        """Two decisions at once: the second sees the first's status and is refused."""
        self.status = PostingRequest.objects.select_for_update().get(pk=self.pk).status

    # --- The record (702.7) -----------------------------------------------------------
    def _archive(self, event: str, *, at):
        """702.7: a request to post is a public record: as filed, and as decided. Appended in
        the transaction that changes the request, so neither is kept without the other."""
        from retention.archive import append
        from retention.models import ArchiveRecord

        return append(
            kind=ArchiveRecord.Kind.POSTING_REQUEST,
            payload={"posting_request": self.as_record(event, at=at)},
            post=self.draft,
        )

    def as_record(self, event: str, *, at) -> dict:
        def person(user):
            if user is None:
                return None
            return {"id": user.pk, "username": user.username, "name": str(user)}

        return {
            "id": self.pk,
            "event": event,
            "at": at.isoformat(),
            "status": self.status,
            "status_label": self.get_status_display(),
            "requester": person(self.requester),
            "supervisor": person(self.supervisor),
            "what": self.what,
            "why": self.why,
            "audience": self.audience,
            "urgency": self.urgency,
            "category": self.category,
            "forwarded_to": person(self.forwarded_to),
            "draft": self.draft_id,
            "decision_note": self.decision_note,
            "created_at": self.created_at.isoformat(),
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "attachment": self._attachment_record(),
        }

    def _attachment_record(self) -> dict | None:
        """The file's name and the SHA-256 of its stored bytes; the bytes stay in storage."""
        if not self.attachment:
            return None
        digest = hashlib.sha256()
        with self.attachment.open("rb") as stored:
            for chunk in stored.chunks():
                digest.update(chunk)
        return {
            "name": self.attachment.name.rsplit("/", 1)[-1],
            "stored_as": self.attachment.name,
            "size": self.attachment.size,
            "sha256": digest.hexdigest(),
        }


from .incident_models import *  # noqa
from .media_models import PostImage  # noqa: E402, F401  (images on posts, with their history)
