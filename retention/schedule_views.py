"""The City Clerk's retention schedules (702.7); the Mayor's office reads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from .forms import RetentionSeriesForm, add_model_errors
from .models import RetentionSeries


def _require_reader(user) -> None:
    if not RetentionSeries.may_read(user):
        raise PermissionDenied("702.7: the retention schedules are kept by the City Clerk.")


def _require_manager(user) -> None:
    if not RetentionSeries.may_manage(user):
        raise PermissionDenied("702.7: only the City Clerk changes the retention schedules.")


@login_required
def series_list(request):
    _require_reader(request.user)
    series = RetentionSeries.objects.annotate(record_count=Count("records"))
    return render(
        request,
        "retention/series_list.html",
        {"series_list": series, "may_manage": RetentionSeries.may_manage(request.user)},
    )


@login_required
def series_detail(request, pk):
    _require_reader(request.user)
    series = get_object_or_404(RetentionSeries, pk=pk)
    history = series.history.select_related("history_user", "changed_by").order_by("-history_date")
    return render(
        request,
        "retention/series_detail.html",
        {
            "series": series,
            "history": history[:50],
            "may_manage": RetentionSeries.may_manage(request.user),
        },
    )


@login_required
def series_edit(request, pk=None):
    _require_manager(request.user)
    series = get_object_or_404(RetentionSeries, pk=pk) if pk else None
    form = RetentionSeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            if series is None:
                series = RetentionSeries.create(by=request.user, **form.values())
            else:
                series.change(by=request.user, **form.values())
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, f"Series {series.code} saved.")
            return redirect(series)
    return render(
        request,
        "retention/series_form.html",
        {"form": form, "series": series},
        status=400 if request.method == "POST" else 200,
    )
