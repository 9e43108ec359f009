"""702.3: requests from employees who are not authorized, through their supervisor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.views import messages_for

from . import notifications
from .models import PostingRequest
from .request_forms import DeclineForm, ForwardForm, PostingRequestForm
from .views import run_action


def get_request_for_user(request, pk) -> PostingRequest:
    posting_request = get_object_or_404(
        PostingRequest.objects.select_related("requester", "supervisor", "forwarded_to", "draft"),
        pk=pk,
    )
    if request.user.pk not in {
        posting_request.requester_id,
        posting_request.supervisor_id,
        posting_request.forwarded_to_id,
    }:
        raise PermissionDenied("This request is between its requester and their supervisor.")
    return posting_request


@login_required
def request_list(request):
    mine = PostingRequest.objects.filter(requester=request.user).select_related("draft")
    to_decide = PostingRequest.objects.awaiting(request.user).select_related("requester")
    return render(request, "posting/requests.html", {"mine": mine, "to_decide": to_decide})


@login_required
def request_new(request):
    form = PostingRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting_request = PostingRequest.file(requester=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages_for(form, exc)
        else:
            notifications.request_filed(posting_request)
            messages.success(request, f"Sent to your supervisor, {posting_request.supervisor}.")
            return redirect(posting_request)
    return render(
        request, "posting/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def request_detail(request, pk):
    posting_request = get_request_for_user(request, pk)
    forward_form = ForwardForm(
        request.POST if "forward" in request.POST else None,
        initial={"category": posting_request.category},
    )
    decline_form = DeclineForm(request.POST if "decline" in request.POST else None)
    if request.method == "POST" and _decided(request, posting_request, forward_form, decline_form):
        notifications.request_decided(posting_request)
        return redirect(posting_request)
    return render(
        request,
        "posting/request_detail.html",
        {
            "req": posting_request,
            "forward_form": forward_form,
            "decline_form": decline_form,
            "can_decide": posting_request.supervisor_id == request.user.pk
            and posting_request.status == PostingRequest.Status.SUBMITTED,
        },
    )


@login_required
@require_POST
def request_withdraw(request, pk):
    posting_request = get_request_for_user(request, pk)
    run_action(request, posting_request.withdraw, "Request withdrawn.")
    return redirect(posting_request)


@login_required
def request_attachment(request, pk):
    posting_request = get_request_for_user(request, pk)
    if not posting_request.attachment:
        raise PermissionDenied("This request has no attachment.")
    return FileResponse(posting_request.attachment.open("rb"), as_attachment=True)


def _decided(request, posting_request, forward_form, decline_form) -> bool:
    if "forward" in request.POST and forward_form.is_valid():
        data = forward_form.cleaned_data
        return run_action(
            request,
            posting_request.forward,
            "Forwarded as a draft.",
            to=data["to"],
            title=data["title"],
            category=data["category"],
            note=data["note"],
        )
    if "decline" in request.POST and decline_form.is_valid():
        reason = decline_form.cleaned_data["reason"]
        return run_action(request, posting_request.decline, "Request declined.", reason=reason)
    return False
