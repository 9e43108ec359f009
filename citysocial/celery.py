import os

from celery import Celery

from . import broker  # noqa: F401 - the embedded broker's safe filesystem transport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysocial.settings")

app = Celery("citysocial")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
