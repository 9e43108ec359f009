"""702.5.1: "The City may provide a method for members of the public to contact city employees
directly." Residents write from the city website; each message goes to the inbox of the
department whose topic they chose, and is a public record (702.7) from the moment it arrives.

The topics are the Mayor's office's data: what residents may pick, which department answers,
who reads its inbox and which shared address is e-mailed. Every change of a message's state is
a method here that checks who is acting, runs in a transaction, leaves a ContactEvent row and,
where the record changes, appends to the archive in the same transaction.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role


class IllegalTransition(ValidationError):
    """The message is not in a state that allows this (already answered, not held...)."""


# --- Topics (the Mayor's office's data) ------------------------------------------------


class ContactTopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_member(self, user):
        """The topics whose inbox `user` reads: the one rule for who sees which messages."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(inbox_members=user)


class ContactTopic(models.Model):
    """What a resident picks on the contact page, and the department inbox it goes to."""

    label = models.CharField(
        max_length=100,
        unique=True,
        help_text='What residents see, in plain words: "Streets, sidewalks and street lights".',
    )
    hint = models.CharField(
        max_length=200,
        blank=True,
        help_text='A few examples under the label: "Potholes, broken street lights, snow".',
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="contact_topics"
    )
    email = models.EmailField(
        blank=True,
        help_text="The department's shared address. Each inbox member is e-mailed too.",
    )
    inbox_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="contact_topics"
    )
    is_active = models.BooleanField(
        default=True, help_text="Offered on the contact page. Old messages stay in the inbox."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the contact page: smaller first."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ContactTopicQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[inbox_members])

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("contact:topic_edit", args=[self.pk])

    def has_member(self, user) -> bool:
        return ContactTopic.objects.for_member(user).filter(pk=self.pk).exists()

    def members(self):
        return self.inbox_members.filter(is_active=True).order_by("last_name", "first_name")

    def recipients(self) -> list[str]:
        """The shared address and every inbox member's, once each."""
        addresses = [self.email, *(person.email for person in self.members())]
        return sorted({address for address in addresses if address})

    # --- Who may change it ------------------------------------------------------
    @staticmethod
    def may_manage(user) -> bool:
        """702.5.1: the Mayor's office decides how the public reaches which employees."""
        return user.has_role(Role.MAYORS_OFFICE)

    @classmethod
    def _require_manager(cls, user) -> None:
        if not cls.may_manage(user):
            raise PermissionDenied(
                "702.5.1: only the Mayor's office manages the contact page's topics."
            )

    @classmethod
    def create(cls, *, by, members, **values) -> "ContactTopic":
        cls._require_manager(by)
        with transaction.atomic():
            topic = cls(**values, changed_by=by)
            topic._check_members(members)
            topic.full_clean()
            topic.save()
            topic.inbox_members.set(members)
        return topic

    def change(self, *, by, members, **values) -> None:
        self._require_manager(by)
        with transaction.atomic():
            for name, value in values.items():
                setattr(self, name, value)
            self.changed_by = by
            self._check_members(members)
            self.full_clean()
            self.save()
            self.inbox_members.set(members)

    def _check_members(self, members) -> None:
        if self.is_active and not [person for person in members if person.is_active]:
            raise ValidationError(
                {"inbox_members": "Name at least one person to read this topic's messages."}
            )


# --- Messages ----------------------------------------------------------------------------

# Crockford's base32 without look-alikes (no 0/O, 1/I/L, U): easy to read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A reference number such as C-7KQ4-M2XD: random, so it says nothing about volume."""
    for _ in range(5):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"C-{code[:4]}-{code[4:]}"
        if not ContactMessage.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free reference number.")


class ContactMessageQuerySet(models.QuerySet):
    def for_member(self, user):
        return self.filter(topic__in=ContactTopic.objects.for_member(user))

    def in_state(self, state: str):
        return self.filter(state=state)


class ContactMessage(models.Model):
    """One message from a resident. Nothing about the sender is kept but what they chose to
    give: no address, no browser, no cookie of theirs."""

    class State(models.TextChoices):
        HELD = "held", "Held as possible spam"
        WAITING = "waiting", "Waiting for an answer"
        ANSWERED = "answered", "Answered"

    reference = models.CharField(max_length=11, unique=True, editable=False)
    topic = models.ForeignKey(ContactTopic, on_delete=models.PROTECT, related_name="messages")
    body = models.TextField()
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    # Why the page held it (honeypot, sent too fast, links...), in words for the inbox.
    spam_reasons = models.JSONField(default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(blank=True)

    objects = ContactMessageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # contact.views.inbox: each topic's messages by state, newest first.
            models.Index(fields=["topic", "state", "-received_at"], name="contact_inbox"),
        ]

    def __str__(self) -> str:
        return f"Message {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("contact:message", args=[self.reference])

    @property
    def sender(self) -> str:
        return self.name or "Someone who left no name"

    @property
    def wants_reply(self) -> bool:
        return bool(self.email or self.phone)

    # --- Arrival -------------------------------------------------------------------
    @classmethod
    def receive(cls, *, topic, body, name="", email="", phone="", spam_reasons=()):
        """702.5.1: a resident's message arrives. It is stored and archived before anything
        else happens; the department's e-mail and the resident's acknowledgement go out after
        commit, so a mail outage never loses a message. One judged spam is held, not dropped:
        an inbox member can release it."""
        if not topic.is_active:
            raise ValidationError("This topic is no longer offered. Choose another.")
        reasons = list(spam_reasons)
        with transaction.atomic():
            message = cls.objects.create(
                reference=new_reference(),
                topic=topic,
                body=body,
                name=name,
                email=email,
                phone=phone,
                state=cls.State.HELD if reasons else cls.State.WAITING,
                spam_reasons=reasons,
            )
            message._event(
                ContactEvent.Kind.HELD if reasons else ContactEvent.Kind.RECEIVED,
                by=None,
                note="; ".join(reasons),
                at=message.received_at,
            )
            message._archive(ArchiveKind.MESSAGE, "received", at=message.received_at, by=None)
            if not reasons:
                message._deliver_on_commit()
        return message

    # --- Handling in the inbox --------------------------------------------------------
    def _require_member(self, by) -> None:
        if not self.topic.has_member(by):
            raise PermissionDenied(
                f"702.5.1: only the inbox members of “{self.topic}” handle its messages."
            )

    def _lock(self) -> None:
        """Two colleagues acting at once: the second sees what the first did."""
        current = ContactMessage.objects.select_for_update().get(pk=self.pk)
        self.state, self.topic_id = current.state, current.topic_id
        self.assigned_to_id = current.assigned_to_id

    @transaction.atomic
    def release(self, *, by) -> None:
        """Not spam after all: into the inbox, to the department's e-mail, and acknowledged."""
        self._lock()
        self._require_member(by)
        if self.state != self.State.HELD:
            raise IllegalTransition("This message is not held as spam.")
        self.state = self.State.WAITING
        self.save(update_fields=["state"])
        now = timezone.now()
        self._event(ContactEvent.Kind.RELEASED, by=by, at=now)
        self._archive(ArchiveKind.HANDLED, "released", at=now, by=by)
        self._deliver_on_commit()

    @transaction.atomic
    def assign(self, *, by, to) -> None:
        """Hand the message to a colleague of the same inbox (or to nobody)."""
        self._lock()
        self._require_member(by)
        if to is not None and not self.topic.has_member(to):
            raise ValidationError(
                {
                    "to": f"{to} does not read the inbox of “{self.topic}”. Choose a colleague who does."
                }
            )
        if (to.pk if to else None) == self.assigned_to_id:
            return
        self.assigned_to = to
        self.save(update_fields=["assigned_to"])
        self._event(ContactEvent.Kind.ASSIGNED, by=by, assigned_to=to, at=timezone.now())

    @transaction.atomic
    def move(self, *, by, to_topic, reason: str) -> None:
        """The message belongs to another department: it leaves this inbox for that one."""
        self._lock()
        self._require_member(by)
        if self.state == self.State.ANSWERED:
            raise IllegalTransition("This message is already answered.")
        if not reason.strip():
            raise ValidationError({"reason": "Say why it belongs to the other department."})
        if to_topic.pk == self.topic_id or not to_topic.is_active:
            raise ValidationError({"topic": "Choose another topic that is offered."})
        from_topic = self.topic
        self.topic, self.assigned_to = to_topic, None
        self.save(update_fields=["topic", "assigned_to"])
        now = timezone.now()
        self._event(
            ContactEvent.Kind.MOVED,
            by=by,
            from_topic=from_topic,
            to_topic=to_topic,
            note=reason.strip(),
            at=now,
        )
        self._archive(ArchiveKind.HANDLED, "moved", at=now, by=by, note=reason.strip())
        if self.state == self.State.WAITING:
            from .notifications import notify_inbox

            message_id = self.pk
            transaction.on_commit(
                lambda: notify_inbox(ContactMessage.objects.get(pk=message_id), moved=True),
                robust=True,
            )

    @transaction.atomic
    def answer(self, *, by, note: str) -> None:
        """Record how the resident was answered. 702.7: the answer is archived, and the
        retention period of the message's records starts (2 years after it is answered)."""
        self._lock()
        self._require_member(by)
        if self.state == self.State.HELD:
            raise IllegalTransition("Release the message from the spam list before answering it.")
        if self.state == self.State.ANSWERED:
            raise IllegalTransition("This message is already answered.")
        if not note.strip():
            raise ValidationError(
                {"note": "Say how it was answered, e.g. “Replied by e-mail: crew booked Tuesday”."}
            )
        now = timezone.now()
        self.state, self.answered_by, self.answered_at = self.State.ANSWERED, by, now
        self.answer_note = note.strip()
        self.save(update_fields=["state", "answered_by", "answered_at", "answer_note"])
        self._event(ContactEvent.Kind.ANSWERED, by=by, note=self.answer_note, at=now)
        self._archive(ArchiveKind.HANDLED, "answered", at=now, by=by, note=self.answer_note)
        self._start_retention_clocks(now)

    # --- Telling people --------------------------------------------------------------
    def _deliver_on_commit(self) -> None:
        from .notifications import acknowledge, notify_inbox

        message_id = self.pk

        def deliver():
            message = ContactMessage.objects.select_related("topic__department").get(pk=message_id)
            notify_inbox(message)
            acknowledge(message)

        # robust: whatever the mail server does, the stored message and the page stand.
        transaction.on_commit(deliver, robust=True)

    # --- The record (702.7) -----------------------------------------------------------
    def _event(self, kind, *, by, at, note="", from_topic=None, to_topic=None, assigned_to=None):
        return ContactEvent.objects.create(
            message=self,
            kind=kind,
            by=by,
            at=at,
            note=note,
            from_topic=from_topic,
            to_topic=to_topic,
            assigned_to=assigned_to,
        )

    def _archive(self, kind: str, event: str, *, at, by, note: str = ""):
        """702.7: a message from the public is a public record, as received and as handled.
        Appended in the transaction that changes the message, so neither exists alone."""
        from retention.archive import append

        return append(kind=kind, payload={"contact_message": self.as_record(event, at, by, note)})

    def as_record(self, event: str, at, by, note: str = "") -> dict:
        def person(user):
            if user is None:
                return None
            return {"id": user.pk, "username": user.username, "name": str(user)}

        return {
            "reference": self.reference,
            "event": event,
            "at": at.isoformat(),
            "by": person(by),
            "note": note,
            "topic": {
                "id": self.topic_id,
                "label": self.topic.label,
                "department": self.topic.department.name,
            },
            "state": self.state,
            "state_label": self.get_state_display(),
            "received_at": self.received_at.isoformat(),
            "body": self.body,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "spam_reasons": self.spam_reasons,
            "assigned_to": person(self.assigned_to),
            "answered_by": person(self.answered_by),
            "answered_at": self.answered_at.isoformat() if self.answered_at else None,
            "answer_note": self.answer_note,
        }

    def archive_records(self):
        from retention.models import ArchiveRecord

        return ArchiveRecord.objects.filter(
            kind__in=ArchiveKind.ALL, payload__contact_message__reference=self.reference
        )

    def _start_retention_clocks(self, at) -> int:
        from retention.schedule_models import ClockEvent, RecordRetention
        from retention.schedules import start_clocks

        waiting = RecordRetention.objects.filter(
            record__in=self.archive_records(), series__clock_event=ClockEvent.CONTACT_ANSWERED
        )
        return start_clocks(waiting, at)


class ArchiveKind:
    """The archive's kinds for these records (retention.models.ArchiveRecord.Kind)."""

    MESSAGE = "contact_message"
    HANDLED = "contact_handled"
    ALL = (MESSAGE, HANDLED)


class ContactEvent(models.Model):
    """Append-only: what happened to a message, who did it and when."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        HELD = "held", "Received and held as possible spam"
        RELEASED = "released", "Released from the spam list"
        ASSIGNED = "assigned", "Assigned"
        MOVED = "moved", "Moved to another department"
        ANSWERED = "answered", "Answered"

    message = models.ForeignKey(ContactMessage, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    from_topic = models.ForeignKey(
        ContactTopic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_topic = models.ForeignKey(
        ContactTopic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message.reference}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("What happened to a message is never rewritten.")
        super().save(*args, **kwargs)

    @property
    def description(self) -> str:
        if self.kind == self.Kind.ASSIGNED:
            return f"Assigned to {self.assigned_to}" if self.assigned_to else "Assigned to nobody"
        if self.kind == self.Kind.MOVED:
            return f"Moved from “{self.from_topic}” to “{self.to_topic}”"
        return self.get_kind_display()
