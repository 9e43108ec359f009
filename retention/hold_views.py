"""Legal holds (702.7): placed and released by the City Clerk; the Mayor's office reads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import LegalHoldForm, NoteForm, add_model_errors
from .models import LegalHold


def _require_reader(user) -> None:
    if not LegalHold.may_read(user):
        raise PermissionDenied("702.7: legal holds are kept by the City Clerk.")


def _require_manager(user) -> None:
    if not LegalHold.may_manage(user):
        raise PermissionDenied("702.7: only the City Clerk places and releases legal holds.")


@login_required
def hold_list(request):
    _require_reader(request.user)
    holds = LegalHold.objects.select_related("placed_by", "released_by")
    return render(
        request,
        "retention/holds.html",
        {"holds": holds, "may_manage": LegalHold.may_manage(request.user)},
    )


@login_required
def hold_new(request):
    _require_manager(request.user)
    # Opened from the archive search with its filters: they become the hold's scope.
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" and request.GET:
        form = LegalHoldForm(initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            hold = LegalHold.place(
                by=request.user,
                matter=form.cleaned_data["matter"],
                reason=form.cleaned_data["reason"],
                query=form.saved(),
                records=form.picked_records(),
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, f"Legal hold “{hold.matter}” placed.")
            return redirect(hold)
    return render(
        request,
        "retention/hold_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def hold_detail(request, pk):
    _require_reader(request.user)
    hold = get_object_or_404(LegalHold.objects.select_related("placed_by", "released_by"), pk=pk)
    covered = hold.covered_records().select_related("post", "channel").order_by("-sequence")
    return render(
        request,
        "retention/hold_detail.html",
        {
            "hold": hold,
            "page": Paginator(covered, 50).get_page(request.GET.get("page")),
            "release_form": NoteForm(label="Why the hold is released"),
            "may_manage": LegalHold.may_manage(request.user),
            "history": hold.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@login_required
@require_POST
def hold_release(request, pk):
    _require_manager(request.user)
    hold = get_object_or_404(LegalHold, pk=pk)
    form = NoteForm(request.POST, label="Why the hold is released")
    if form.is_valid():
        try:
            hold.release(by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Legal hold “{hold.matter}” released.")
    else:
        messages.error(request, "Say why the hold is released.")
    return redirect(hold)
