"""The log of public records requests (702.7; RCW 40.14.026(4), RCW 42.56)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role

from .forms import CloseForm, ExemptionForm, RecordsRequestForm, ReleaseForm
from .models import RecordsRequest, describe_query, may_read_requests, require_clerk


def get_request_for_user(request, pk, *, change: bool = False) -> RecordsRequest:
    """The one place a request is loaded: the Clerk keeps it, the Mayor's office may read it."""
    if change:
        require_clerk(request.user, "answer public records requests")
    elif not may_read_requests(request.user):
        raise PermissionDenied(
            "702.7: the log of public records requests is kept by the City Clerk."
        )
    return get_object_or_404(RecordsRequest.objects.select_related("logged_by", "closed_by"), pk=pk)


@login_required
def request_list(request):
    if not may_read_requests(request.user):
        raise PermissionDenied(
            "702.7: the log of public records requests is kept by the City Clerk."
        )
    requests = RecordsRequest.objects.order_by("status", "due_on", "-pk")
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(request, "records/requests.html", {"page": page})


@login_required
def request_new(request):
    require_clerk(request.user, "log a public records request")
    form = RecordsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records_request = RecordsRequest.log(
                by=request.user,
                requester_name=data["requester_name"],
                requester_contact=data["requester_contact"],
                received_on=data["received_on"],
                text=data["text"],
                scope=form.query(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"{records_request.reference} logged. The response is due "
                f"{records_request.due_on:%A, %B} {records_request.due_on.day}.",
            )
            return redirect(records_request)
    status = 400 if form.is_bound else 200
    context = {"form": form, "business_days": settings.RECORDS_REQUEST_BUSINESS_DAYS}
    return render(request, "records/request_form.html", context, status=status)


def _detail(request, records_request, *, status=200, **forms):
    may_change = request.user.has_role(Role.CITY_CLERK) and records_request.is_open
    context = {
        "req": records_request,
        "may_change": may_change,
        "covered": records_request.covered_records().count(),
        "scope_summary": describe_query(records_request.scope),
        "exports": records_request.exports.select_related("requester", "released_by"),
        "exemptions": records_request.exemptions.select_related("record", "by"),
        "custody": records_request.custody.select_related("actor", "export"),
    }
    if may_change:
        context["exemption_form"] = forms.get("exemption_form") or ExemptionForm()
        context["release_form"] = forms.get("release_form") or ReleaseForm(
            records_request=records_request
        )
        context["close_form"] = forms.get("close_form") or CloseForm()
    return render(request, "records/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk):
    return _detail(request, get_request_for_user(request, pk))


@login_required
@require_POST
def request_export(request, pk):
    records_request = get_request_for_user(request, pk, change=True)
    try:
        job = records_request.export(by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(records_request)
    messages.success(request, f"Export {job.pk} of {records_request.reference} requested.")
    return redirect(job)


@login_required
@require_POST
def request_exemption(request, pk):
    records_request = get_request_for_user(request, pk, change=True)
    form = ExemptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            exemption = records_request.exempt(
                by=request.user,
                record=form.record,
                action=data["action"],
                exemption=data["exemption"],
                explanation=data["explanation"],
                passages=data["passages"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Record {exemption.record.sequence}: {exemption}.")
            return redirect(records_request)
    return _detail(request, records_request, status=400, exemption_form=form)


@login_required
@require_POST
def request_release(request, pk):
    records_request = get_request_for_user(request, pk, change=True)
    form = ReleaseForm(request.POST, records_request=records_request)
    if form.is_valid():
        try:
            records_request.release(by=request.user, export=form.cleaned_data["export"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Recorded as released to the requester.")
            return redirect(records_request)
    return _detail(request, records_request, status=400, release_form=form)


@login_required
@require_POST
def request_close(request, pk):
    records_request = get_request_for_user(request, pk, change=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            records_request.close(
                by=request.user,
                disposition=data["final_disposition"],
                note=data["note"],
                closed_on=data["closed_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{records_request.reference} closed and archived.")
            return redirect(records_request)
    return _detail(request, records_request, status=400, close_form=form)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)
