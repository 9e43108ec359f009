from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Public records (702.7)"

    def ready(self):
        from .holds import register_legal_holds

        register_legal_holds()
        # Also after a test database is flushed, which empties the seeded series.
        post_migrate.connect(
            seed_default_series, sender=self, dispatch_uid="retention.seed_default_series"
        )


def seed_default_series(sender, using="default", **kwargs):
    from .models import RetentionSeries
    from .schedule_defaults import load_default_series

    if RetentionSeries.objects.using(using).exists():
        return
    load_default_series(RetentionSeries)
