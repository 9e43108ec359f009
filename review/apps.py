from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review and approval"

    def ready(self):
        from .guideline_models import connect_signals

        connect_signals()
