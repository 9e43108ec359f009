"""Legal holds (702.7): records that may not be destroyed while a matter is pending.

The state's common schedule forbids destroying records "subject to ongoing or reasonably
anticipated litigation"; a hold names the matter and covers records by a saved search, by
hand-picked records, or both, until the City Clerk releases it. Imported at the end of
retention/models.py, so these are models of the `retention` app.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role

from .search import SEARCH_FIELDS

__all__ = ["LegalHold"]


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    matter = models.CharField(max_length=200, help_text="The case, claim or matter, as named.")
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    # retention.search.find_records arguments (search_arguments() form). Records captured
    # later that match are held too: a hold covers what the matter is about, not a snapshot.
    query = models.JSONField(default=dict, blank=True)
    records = models.ManyToManyField(
        "retention.ArchiveRecord", blank=True, related_name="legal_holds"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_note = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[records])

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return self.matter

    def get_absolute_url(self) -> str:
        return reverse("retention:hold", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    # --- Who may act --------------------------------------------------------------
    @staticmethod
    def may_manage(user) -> bool:
        return user.has_role(Role.CITY_CLERK)

    @staticmethod
    def may_read(user) -> bool:
        return user.has_role(Role.CITY_CLERK) or user.has_role(Role.MAYORS_OFFICE)

    # --- State changes ------------------------------------------------------------
    @classmethod
    def place(cls, *, by, matter: str, reason: str, query=None, records=()) -> "LegalHold":
        if not cls.may_manage(by):
            raise PermissionDenied("702.7: only the City Clerk places legal holds.")
        query, records = dict(query or {}), list(records)
        problems = {}
        if not matter.strip():
            problems["matter"] = "Name the matter the hold is for."
        if not reason.strip():
            problems["reason"] = "Say why the records must be kept."
        if not query and not records:
            problems["query"] = "Give at least one search term, or pick the records to hold."
        unknown = sorted(set(query) - set(SEARCH_FIELDS))
        if unknown:
            problems["query"] = f"Not a search term of the archive: {', '.join(unknown)}."
        if problems:
            raise ValidationError(problems)
        with transaction.atomic():
            hold = cls.objects.create(
                matter=matter.strip(), reason=reason.strip(), placed_by=by, query=query
            )
            if records:
                hold.records.set(records)
        return hold

    def release(self, *, by, note: str) -> None:
        if not self.may_manage(by):
            raise PermissionDenied("702.7: only the City Clerk releases legal holds.")
        if not note.strip():
            raise ValidationError({"note": "Say why the hold is released (e.g. the case closed)."})
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if not locked.is_active:
                raise ValidationError("This hold was already released.")
            self.released_by, self.released_at = by, timezone.now()
            self.release_note = note.strip()
            self.save(update_fields=["released_by", "released_at", "release_note"])

    # --- What it covers -----------------------------------------------------------
    def covered_records(self):
        from .models import ArchiveRecord

        return ArchiveRecord.objects.filter(self.covering_filter())

    def covering_filter(self) -> models.Q:
        """The picked records, and every record of each post a search term matches: a post's
        versions, its take-down and what the platform showed are one file, held together."""
        from .search import find_saved

        picked = self.records.through.objects.filter(legalhold_id=self.pk)
        covering = models.Q(pk__in=picked.values("archiverecord_id"))
        if self.query:
            matching = find_saved(self.query)
            covering |= models.Q(pk__in=matching.values("pk"))
            covering |= models.Q(post_id__in=matching.filter(post__isnull=False).values("post_id"))
        return covering

    def query_label(self) -> str:
        from .search import describe_saved

        return describe_saved(self.query)
