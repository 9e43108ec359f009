import logging
import shutil
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .export import Exporter, export_records
from .models import ExportJob, RecordsRequest
from .notifications import notify_export_failed, notify_export_ready, notify_request_due
from .zipping import zip_bag

log = logging.getLogger(__name__)

# A running export writes a heartbeat every chunk; one silent this long lost its worker.
STALE_AFTER = timedelta(minutes=10)
# Exports of the whole archive take longer than the default task limits allow.
EXPORT_TIME_LIMIT = 6 * 3600


def enqueue_export(job_id: int) -> None:
    """Wake a worker. If the broker is down the job stays queued, and the page says so."""
    try:
        run_export.delay(job_id)
    except Exception:  # the broker's errors vary by transport; none may break the request
        log.exception("could not enqueue export %s", job_id)


@shared_task(
    ignore_result=True, time_limit=EXPORT_TIME_LIMIT + 60, soft_time_limit=EXPORT_TIME_LIMIT
)
def run_export(job_id: int) -> None:
    """Build the bag, zip it for download, tell the Clerk. Runs once per job: a second delivery
    of the message finds the job taken (or done) and leaves."""
    job = ExportJob.objects.select_related("requester", "records_request").filter(pk=job_id).first()
    if job is None or not job.claim(stale_before=timezone.now() - STALE_AFTER):
        return
    out_dir = Path(settings.RECORDS_EXPORT_DIR) / f"job-{job.pk}"
    try:
        shutil.rmtree(out_dir, ignore_errors=True)  # what a lost worker left half-written
        out_dir.mkdir(parents=True)
        result = export_records(
            query=job.query,
            out_dir=out_dir,
            exporter=Exporter.of(job.requester),
            records_request=job.records_request,
            job=job,
            progress=job.report_progress,
        )
        zip_path = zip_bag(result.bag_path, out_dir / f"{result.bag_name}.zip")
    except Exception as error:
        log.exception("export %s failed", job.pk)
        shutil.rmtree(out_dir, ignore_errors=True)
        job.fail(f"{type(error).__name__}: {error}")
        notify_export_failed(job)
        return
    shutil.rmtree(result.bag_path)  # the zip is what the Clerk downloads
    job.finish(result, zip_path=zip_path)
    notify_export_ready(job)


@shared_task(ignore_result=True)
def send_request_reminders() -> int:
    """Beat: e-mail the City Clerk before a public records request's response is due.

    A request is marked reminded only once the mail has gone: when it fails, or no Clerk has
    an address, the next run tries again. Each request is locked while its mail is sent, and
    a run skips the ones another run holds, so that two runs never send one reminder twice."""
    today = timezone.localdate()
    horizon = settings.RECORDS_REQUEST_REMINDER_BUSINESS_DAYS
    sent = 0
    for pk in RecordsRequest.objects.due_for_reminder(today, horizon).values_list("pk", flat=True):
        with transaction.atomic():
            records_request = (
                RecordsRequest.objects.due_for_reminder(today, horizon)
                .select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if records_request is None:
                continue  # reminded, closed, or being reminded by another run, since
            if not notify_request_due(records_request):
                log.warning(
                    "reminder for %s not sent (mail failed or no City Clerk has an address); "
                    "the next run tries again",
                    records_request.reference,
                )
                continue
            RecordsRequest.objects.filter(pk=pk).update(reminder_sent_at=timezone.now())
        sent += 1
    return sent
