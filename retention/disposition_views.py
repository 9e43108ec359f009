"""Disposition (702.7): the City Clerk reviews and approves batches; certificates are kept."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .disposition import CERTIFICATE_COLUMNS, certificate_rows, propose_batches
from .disposition_models import may_dispose, may_read_dispositions
from .forms import NoteForm
from .models import DispositionBatch, DispositionCertificate


def _require_reader(user) -> None:
    if not may_read_dispositions(user):
        raise PermissionDenied("702.7: disposition of records is the City Clerk's.")


def _require_clerk(user) -> None:
    if not may_dispose(user):
        raise PermissionDenied("702.7: only the City Clerk decides on destroying records.")


@login_required
def batch_list(request):
    _require_reader(request.user)
    batches = DispositionBatch.objects.select_related("series", "decided_by", "certificate")
    return render(
        request,
        "retention/batches.html",
        {"batches": batches, "may_dispose": may_dispose(request.user)},
    )


@login_required
@require_POST
def batches_propose(request):
    _require_clerk(request.user)
    proposed = propose_batches()
    if proposed:
        messages.success(request, f"{len(proposed)} batch(es) proposed or added to.")
    else:
        messages.info(request, "No record is due for destruction right now.")
    return redirect("retention:batches")


@login_required
def batch_detail(request, pk):
    _require_reader(request.user)
    batch = get_object_or_404(
        DispositionBatch.objects.select_related("series", "decided_by"), pk=pk
    )
    records = batch.records.select_related("post", "channel", "retention").order_by("sequence")
    return render(
        request,
        "retention/batch_detail.html",
        {
            "batch": batch,
            "page": Paginator(records, 100).get_page(request.GET.get("page")),
            "may_dispose": may_dispose(request.user) and batch.is_proposed,
            "approve_form": NoteForm(label="Note (optional)", required=False),
            "decline_form": NoteForm(label="Why the batch is declined"),
        },
    )


@login_required
@require_POST
def batch_approve(request, pk):
    _require_clerk(request.user)
    batch = get_object_or_404(DispositionBatch, pk=pk)
    form = NoteForm(request.POST, label="Note", required=False)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        certificate = batch.approve(by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    messages.success(
        request,
        f"{certificate.record_count} record(s) destroyed. Certificate {certificate.pk} issued.",
    )
    return redirect(certificate)


@login_required
@require_POST
def batch_decline(request, pk):
    _require_clerk(request.user)
    batch = get_object_or_404(DispositionBatch, pk=pk)
    form = NoteForm(request.POST, label="Why the batch is declined")
    try:
        if not form.is_valid():
            raise ValidationError("Say why the batch is declined.")
        batch.decline(by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Batch declined: nothing was destroyed.")
    return redirect(batch)


@login_required
def certificate_list(request):
    _require_reader(request.user)
    certificates = DispositionCertificate.objects.select_related("approved_by")
    return render(request, "retention/certificates.html", {"certificates": certificates})


@login_required
def certificate_detail(request, pk):
    _require_reader(request.user)
    certificate = get_object_or_404(
        DispositionCertificate.objects.select_related("approved_by", "batch"), pk=pk
    )
    return render(
        request,
        "retention/certificate.html",
        {
            "certificate": certificate,
            "entries": certificate.entries.all(),
            "archive_record": certificate.archive_record(),
        },
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def certificate_csv(request, pk):
    _require_reader(request.user)
    certificate = get_object_or_404(
        DispositionCertificate.objects.select_related("approved_by"), pk=pk
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CERTIFICATE_COLUMNS)
        for row in certificate_rows(certificate):
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-of-destruction-{certificate.pk}.csv"'
    )
    return response


def _cell(value):
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return f"'{value}"
    return value
