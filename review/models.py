from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ApprovalQuerySet(models.QuerySet):
    def valid_for(self, digest: str):
        """Approvals still in force for exactly this content."""
        return self.filter(
            decision=Approval.Decision.APPROVED, voided_at__isnull=True, content_digest=digest
        )

    def void_all(self, reason: str) -> int:
        return self.filter(voided_at__isnull=True).update(
            voided_at=timezone.now(), void_reason=reason
        )


class Approval(models.Model):
    """A supervisor's decision on one exact version of a post (702.3).

    It is bound to the content digest it saw: any later edit voids it, and the
    publishing worker refuses content no valid approval covers.
    """

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned to the author"

    post = models.ForeignKey("posting.Post", on_delete=models.PROTECT, related_name="approvals")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    content_digest = models.CharField(max_length=64)
    decided_at = models.DateTimeField(default=timezone.now)
    # 702.3: the equipment the decision came from.
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    equipment = models.CharField(max_length=200, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    objects = ApprovalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer}"
