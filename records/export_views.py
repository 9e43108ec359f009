"""The City Clerk's exports (702.7): pick records, request a package, watch it, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from retention.models import ArchiveHead
from retention.search import find_saved

from .forms import ExportForm
from .models import ExportJob, require_clerk

PREVIEW_ROWS = 20


def _get_export_for_clerk(request, pk) -> ExportJob:
    require_clerk(request.user, "see exports of public records")
    return get_object_or_404(
        ExportJob.objects.select_related("requester", "records_request"), pk=pk
    )


def _page(request, form, status=200):
    preview = None
    if form.is_bound and form.is_valid():
        head = ArchiveHead.objects.filter(pk=1).first()
        matches = find_saved(form.query()).filter(sequence__lte=head.sequence if head else 0)
        preview = {
            "count": matches.count(),
            "records": list(matches.select_related("post", "channel")[:PREVIEW_ROWS]),
            "query": form.query(),
        }
    history = Paginator(ExportJob.objects.for_listing(), 25).get_page(request.GET.get("page"))
    context = {"form": form, "preview": preview, "history": history}
    return render(request, "records/exports.html", context, status=status)


@login_required
def exports(request):
    require_clerk(request.user, "export public records")
    filtering = any(name in request.GET for name in ExportForm.base_fields)
    form = ExportForm(request.GET if filtering else None)
    return _page(request, form, status=400 if form.is_bound and not form.is_valid() else 200)


@login_required
@require_POST
def export_new(request):
    require_clerk(request.user, "export public records")
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    job = ExportJob.request(by=request.user, query=form.query())
    messages.success(request, f"Export {job.pk} requested. This page shows its progress.")
    return redirect(job)


@login_required
def export_detail(request, pk):
    job = _get_export_for_clerk(request, pk)
    custody = job.custody.select_related("actor")
    return render(request, "records/export_detail.html", {"job": job, "custody": custody})


@login_required
def export_progress(request, pk):
    """The progress bar alone, for htmx to swap in while the worker writes the bag."""
    job = _get_export_for_clerk(request, pk)
    return render(request, "records/_export_progress.html", {"job": job, "announce": True})


@login_required
def export_download(request, pk):
    job = _get_export_for_clerk(request, pk)
    try:
        path = job.download(by=request.user)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from None
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=f"{job.bag_name}.zip",
        content_type="application/zip",
    )
