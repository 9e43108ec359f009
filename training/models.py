"""702.8: training for the employees who use social media on behalf of the City.

A module's content (pages, quiz questions) is data the Mayor's office keeps. Every
attempt at a module's completion step leaves a `Completion` row that is never
changed or deleted; only passed ones count, until they expire or the module is
republished with "requires re-training".
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role

DEFAULT_ATTESTATION = (
    "I have read this module, I understand it, and I will follow it whenever I use social "
    "media on behalf of the City."
)


class Topic(models.TextChoices):
    """702.8 names five subjects the training addresses "at a minimum"."""

    LEGAL = "legal", "Legal issues of the appropriate use of social media"
    PRIVACY = "privacy", "Privacy"
    CIVIL_RIGHTS = "civil_rights", "Civil rights"
    DISSEMINATION = "dissemination", "Dissemination of information"
    RETENTION = "retention", "Retention of information"
    OTHER = "other", "Other"


REQUIRED_TOPICS = [
    Topic.LEGAL,
    Topic.PRIVACY,
    Topic.CIVIL_RIGHTS,
    Topic.DISSEMINATION,
    Topic.RETENTION,
]


class CompletionMode(models.TextChoices):
    QUIZ = "quiz", "Quiz with a pass mark"
    ATTESTATION = (
        "attestation",
        "Attestation: the employee confirms they read it and will follow it",
    )


def require_mayors_office(user, action: str) -> None:
    if not user.has_role(Role.MAYORS_OFFICE):
        raise PermissionDenied(f"702.8: only the Mayor's office may {action}.")


def require_employee(user) -> None:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied("Sign in with your city account to take training.")


class TrainingModuleQuerySet(models.QuerySet):
    def required(self):
        return self.filter(required=True)

    def in_order(self):
        return self.order_by("position", "title")


class TrainingModule(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=140)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OTHER)
    summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(
        default=True, help_text="Employees must hold a current completion to be authorized."
    )
    completion_mode = models.CharField(
        max_length=20, choices=CompletionMode.choices, default=CompletionMode.QUIZ
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=75, help_text="The percentage of quiz questions answered right needed to pass."
    )
    validity_days = models.PositiveIntegerField(
        default=365, help_text="How long a completion stays current."
    )
    attestation_text = models.TextField(default=DEFAULT_ATTESTATION)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The oldest version whose completions still count: raised to the new version
    # when one is published with "requires re-training".
    counts_from_version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingModuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="training_pass_mark_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(validity_days__gte=1), name="training_validity_is_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(counts_from_version__gte=1)
                & models.Q(counts_from_version__lte=models.F("version")),
                name="training_counts_from_a_published_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:module", args=[self.slug])

    @property
    def is_quiz(self) -> bool:
        return self.completion_mode == CompletionMode.QUIZ

    def questions_with_choices(self):
        return self.questions.prefetch_related("choices").order_by("position")

    def _lock(self) -> "TrainingModule":
        """Reload the row under a lock so a completion and a new version never cross."""
        locked = TrainingModule.objects.select_for_update().get(pk=self.pk)
        for field in locked._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))
        return self

    # --- Taking the training (every signed-in employee) -------------------
    def grade(self, answers: dict) -> tuple[int, list[int]]:
        """The score as a whole percentage (rounded down) and the ids of the questions missed."""
        questions = list(self.questions_with_choices())
        if not questions:
            raise ValidationError("This module has no quiz questions yet.")
        chosen = {str(key): str(value) for key, value in answers.items()}
        wrong = []
        for question in questions:
            right = [str(choice.pk) for choice in question.choices.all() if choice.is_correct]
            if chosen.get(str(question.pk)) not in right:
                wrong.append(question.pk)
        correct = len(questions) - len(wrong)
        return correct * 100 // len(questions), wrong

    @transaction.atomic
    def submit_quiz(self, *, by, answers: dict) -> "Completion":
        """Grade the quiz and record the attempt; a pass makes the training current."""
        require_employee(by)
        self._lock()
        if not self.is_quiz:
            raise ValidationError("This module is completed by attestation, not by a quiz.")
        score, wrong = self.grade(answers)
        return self._record(
            by,
            passed=score >= self.pass_mark,
            score=score,
            answers={str(key): str(value) for key, value in answers.items()},
            wrong_questions=wrong,
        )

    @transaction.atomic
    def attest(self, *, by, confirmed: bool) -> "Completion":
        """The employee confirms they read the module and will follow it."""
        require_employee(by)
        self._lock()
        if self.is_quiz:
            raise ValidationError("This module is completed by passing its quiz.")
        if not confirmed:
            raise ValidationError("Confirm the statement to complete this module.")
        return self._record(by, passed=True, attested=self.attestation_text)

    def _record(self, user, *, passed: bool, **fields) -> "Completion":
        now = timezone.now()
        completion = Completion.objects.create(
            user=user,
            module=self,
            version=self.version,
            method=self.completion_mode,
            completed_at=now,
            passed=passed,
            pass_mark=self.pass_mark if self.is_quiz else None,
            expires_at=now + timedelta(days=self.validity_days) if passed else None,
            **fields,
        )
        if passed:
            # 702.3 / 702.8: authorizations that waited for this training may take effect.
            refresh_authorizations([user])
        return completion

    # --- Configuring (the Mayor's office) -------------------------------
    @transaction.atomic
    def configure(
        self,
        *,
        by,
        completion_mode: str,
        pass_mark: int,
        validity_days: int,
        required: bool,
        attestation_text: str,
    ) -> None:
        require_mayors_office(by, "configure training modules")
        self._lock()
        problems = []
        if completion_mode not in CompletionMode.values:
            problems.append("Choose a quiz or an attestation.")
        if not 1 <= pass_mark <= 100:
            problems.append("The pass mark is a percentage from 1 to 100.")
        if validity_days < 1:
            problems.append("A completion must stay current for at least one day.")
        if completion_mode == CompletionMode.QUIZ and not self.questions.exists():
            problems.append("This module has no quiz questions: publish a version with questions.")
        if completion_mode == CompletionMode.ATTESTATION and not attestation_text.strip():
            problems.append("Write the statement employees confirm.")
        if problems:
            raise ValidationError(problems)
        required_changed = required != self.required
        self.completion_mode = completion_mode
        self.pass_mark = pass_mark
        self.validity_days = validity_days
        self.required = required
        self.attestation_text = attestation_text.strip()
        self._history_user = by
        self.save(
            update_fields=[
                "completion_mode",
                "pass_mark",
                "validity_days",
                "required",
                "attestation_text",
                "updated_at",
            ]
        )
        if required_changed:
            refresh_authorizations(authorized_people())

    @transaction.atomic
    def publish_version(
        self,
        *,
        by,
        note: str,
        requires_retraining: bool,
        pages: list[tuple[str, str]] | None = None,
        questions: list[tuple[str, list[tuple[str, bool]]]] | None = None,
    ) -> "ModuleVersion":
        """Publish changed content as the next version.

        `pages` is [(title, body)], `questions` is [(prompt, [(choice, is_correct)])]; None
        keeps what is there. With `requires_retraining`, completions of earlier versions
        stop counting at once.
        """
        require_mayors_office(by, "publish a new version of a training module")
        self._lock()
        problems = []
        if not note.strip():
            problems.append("Say what changed in this version.")
        if pages is not None and not pages:
            problems.append("A module needs at least one page.")
        problems += _question_problems(questions)
        if self.is_quiz and questions is not None and not questions:
            problems.append("A module completed by quiz needs at least one question.")
        if problems:
            raise ValidationError(problems)
        if pages is not None:
            self.pages.all().delete()
            for position, (title, body) in enumerate(pages, start=1):
                TrainingPage.objects.create(
                    module=self, position=position, title=title.strip(), body=body.strip()
                )
        if questions is not None:
            QuizChoice.objects.filter(question__module=self).delete()
            self.questions.all().delete()
            for position, (prompt, choices) in enumerate(questions, start=1):
                question = QuizQuestion.objects.create(
                    module=self, position=position, prompt=prompt.strip()
                )
                for order, (text, is_correct) in enumerate(choices, start=1):
                    QuizChoice.objects.create(
                        question=question, position=order, text=text.strip(), is_correct=is_correct
                    )
        self.version += 1
        if requires_retraining:
            self.counts_from_version = self.version
        self._history_user = by
        self.save(update_fields=["version", "counts_from_version", "updated_at"])
        version = ModuleVersion.objects.create(
            module=self,
            number=self.version,
            published_by=by,
            note=note.strip(),
            requires_retraining=requires_retraining,
        )
        if requires_retraining:
            refresh_authorizations(authorized_people())
        return version


def _question_problems(questions) -> list[str]:
    problems = []
    for number, (prompt, choices) in enumerate(questions or [], start=1):
        if not prompt.strip():
            problems.append(f"Question {number}: write the question.")
        if len(choices) < 2:
            problems.append(f"Question {number}: give at least two answers to choose from.")
        if sum(1 for _, is_correct in choices if is_correct) != 1:
            problems.append(f"Question {number}: mark exactly one answer as the right one.")
    return problems


class TrainingPage(models.Model):
    """One page of a module's content. The body is plain text: blank lines separate
    paragraphs and lines starting with "- " make a bulleted list."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=140)
    body = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="training_page_position")
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:page", args=[self.module.slug, self.position])


class QuizQuestion(models.Model):
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    prompt = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "position"], name="training_question_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} question {self.position}"


class QuizChoice(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=400)
    is_correct = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(is_correct=True),
                name="training_one_right_answer",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ModuleVersion(models.Model):
    """A published version of a module, append-only: who published it, what changed, and
    whether earlier completions stop counting."""

    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now, editable=False)
    # Empty for the version the default content loader creates.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_versions_published",
    )
    note = models.TextField()
    requires_retraining = models.BooleanField(default=False)

    class Meta:
        ordering = ["module", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="training_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.module} version {self.number}"


class CompletionIsPermanent(Exception):
    """702.8: a completion record says what happened; it is never changed or deleted."""


class CompletionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise CompletionIsPermanent("Completion records cannot be changed.")

    def delete(self):
        raise CompletionIsPermanent("Completion records cannot be deleted.")

    def passed(self):
        return self.filter(passed=True)

    def counting(self, at=None):
        """Passed completions that are current at `at`: not expired, and of a version that counts."""
        at = at or timezone.now()
        return self.filter(
            passed=True,
            completed_at__lte=at,
            expires_at__gt=at,
            version__gte=models.F("module__counts_from_version"),
        )


class Completion(models.Model):
    """One attempt at a module's completion step: a quiz submitted or an attestation made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    version = models.PositiveIntegerField(editable=False)
    method = models.CharField(max_length=20, choices=CompletionMode.choices, editable=False)
    completed_at = models.DateTimeField(default=timezone.now, editable=False)
    passed = models.BooleanField(editable=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    pass_mark = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # {question id: choice id} as submitted, and the questions missed (shown, not the answers).
    answers = models.JSONField(default=dict, blank=True, editable=False)
    wrong_questions = models.JSONField(default=list, blank=True, editable=False)
    # The statement confirmed, as it read at the time.
    attested = models.TextField(blank=True, editable=False)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="training_score_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(passed=False) | models.Q(expires_at__isnull=False),
                name="training_a_pass_expires",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="quiz") | models.Q(score__isnull=False),
                name="training_a_quiz_has_a_score",
            ),
        ]
        indexes = [
            # services.missing_training() and reminders.due_reminders() read passed rows only.
            models.Index(
                fields=["user", "module", "expires_at"],
                condition=models.Q(passed=True),
                name="training_passed_completions",
            ),
        ]

    def __str__(self) -> str:
        outcome = "passed" if self.passed else "not passed"
        return f"{self.user} {outcome} {self.module} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise CompletionIsPermanent("Completion records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CompletionIsPermanent("Completion records cannot be deleted.")


class ExpiryReminder(models.Model):
    """One reminder e-mail before a completion expires. The row is written before the
    e-mail goes out, so a completion is never reminded twice at the same threshold."""

    completion = models.ForeignKey(Completion, on_delete=models.PROTECT, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["completion", "days_before"], name="training_remind_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for {self.completion}"


def authorized_people():
    """Everyone holding an authorization (702.3) whose standing may change with training."""
    from accounts.models import User

    return User.objects.filter(authorizations__isnull=False).distinct()


def refresh_authorizations(users) -> None:
    """Ask accounts to re-check these people's authorizations against their training."""
    from accounts.models import Authorization

    for user in users:
        Authorization.objects.refresh_for(user)
