"""What the public sees, fetched back from the platforms (702.7).

A post edited on the platform after publishing is a new version of a public record: the
beat job in retention.tasks fetches published posts, oldest-checked first, and captures a
PLATFORM_VERSION record when what the public sees has changed. Imported at the end of
retention/models.py.
"""

from django.db import models

__all__ = ["PlatformCheck"]


class PlatformCheck(models.Model):
    """When a publication was last fetched back, and the platform's last refusal, if any.

    The worker's bookkeeping, changed by no person: no history (every check would add a
    row). What the public saw is kept in the archive itself.
    """

    publication = models.OneToOneField(
        "posting.Publication",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="platform_check",
    )
    # Written before the platform is called (the claim), so that two workers never fetch
    # the same post at once and a crash mid-call still moves the post to the back.
    checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # retention.platform_versions.due_publications(): oldest-checked first.
            models.Index(fields=["checked_at"], name="retention_platform_checked"),
        ]

    def __str__(self) -> str:
        return f"Platform check of publication {self.publication_id}"
