import hashlib
import json
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.equipment import check_equipment
from accounts.permissions import can_publish
from accounts.roles import Role


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
            "scheduled_for": self.scheduled_for.isoformat() if self.scheduled_for else None,
        }
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
        return PostTransition.objects.create(
            post=self,
            from_state=origin,
            to_state=to,
            actor=by,
            reason=reason,
            device=equipment.device if equipment else None,
            equipment=equipment.label if equipment else "",
        )

    def _lock(self) -> "Post":
        """Reload this post's row under a lock, so two people acting at once take turns."""
        locked = Post.objects.select_for_update().get(pk=self.pk)
        self.state = locked.state
        return self

    @transaction.atomic
    def revise(self, *, by, title: str, body: str, category: str, channels, scheduled_for=None):
        """The author edits the post. Any approval given earlier is void (it approved other words)."""
        self._lock()
        self._require_author(by, "edit")
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
        if self.state != PostState.SUBMITTED:
            return
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

    def current_approval(self):
        """The approval that covers the content as it stands now, if any."""
        return self.approvals.valid_for(self.content_digest()).first()

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
        failed = list(self.publications.filter(status=Publication.Status.FAILED))
        for publication in failed:
            publication.requeue()
        self._move(PostState.PUBLISHING, by=by, reason="Retry of the failed channels.")
        for publication in failed:
            publication.enqueue()

    @transaction.atomic
    def settle(self):
        """Once every channel has answered, the post is published or failed."""
        self._lock()
        if self.state not in {PostState.PUBLISHING, PostState.FAILED}:
            return
        statuses = set(self.publications.values_list("status", flat=True))
        if statuses & set(Publication.IN_FLIGHT):
            return
        if statuses == {Publication.Status.PUBLISHED}:
            self.published_at = timezone.now()
            self._move(PostState.PUBLISHED, by=None, reason="Published on every channel.")
        elif self.state == PostState.PUBLISHING:
            failed = self.publications.filter(status=Publication.Status.FAILED).count()
            self._move(
                PostState.FAILED, by=None, reason=f"{failed} channel(s) failed; see each channel."
            )


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
    def stalled(self, older_than):
        """Queued or in-flight rows nobody has touched since `older_than` (a lost wake-up or worker)."""
        return self.filter(
            status__in=[Publication.Status.QUEUED, Publication.Status.PUBLISHING],
            updated_at__lt=older_than,
        )

    def due_retries(self, now=None):
        """Rows waiting out a platform's error or rate limit whose next attempt has come."""
        return self.filter(
            status=Publication.Status.RETRYING, next_attempt_at__lte=now or timezone.now()
        )

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

    def requeue(self) -> None:
        self.status = Publication.Status.QUEUED
        self.save(update_fields=["status", "updated_at"])


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

    def __str__(self) -> str:
        return f"Health of {self.channel}"


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
        request.save()
        return request

    def _require_supervisor(self, by) -> None:
        if by.pk != self.supervisor_id:
            raise PermissionDenied("702.3: only the requester's supervisor decides this request.")
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
        return draft

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

    def withdraw(self, *, by):
        if by.pk != self.requester_id:
            raise PermissionDenied("Only the requester may withdraw this request.")
        if self.status != self.Status.SUBMITTED:
            raise IllegalTransition(f"This request is already {self.get_status_display().lower()}.")
        self.status = self.Status.WITHDRAWN
        self.save(update_fields=["status"])
