from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.equipment import equipment_for
from accounts.roles import Role
from posting.access import get_post_for_user
from posting.forms import DecisionForm
from posting.models import Post
from posting.views import run_action

from .chain_forms import ApprovalChainForm, StepFormSet
from .models import ApprovalChain, Assessment, Override
from .routing import awaiting


@login_required
@permission_required("posting.review_post", raise_exception=True)
def queue(request):
    submitted = (
        Post.objects.awaiting_review()
        .exclude(author=request.user)
        .select_related("author")
        .prefetch_related("channels", "approvals", "images")
    )
    posts = awaiting(request.user, submitted)
    assessments = {
        a.post_id: a for a in Assessment.objects.filter(post__in=posts).order_by("post_id", "-at")
    }
    rows = [(post, assessments.get(post.pk)) for post in posts]
    return render(request, "review/queue.html", {"rows": rows})


@login_required
@require_POST
def approve(request, pk):
    post = get_post_for_user(request, pk)
    form = DecisionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    done = run_action(
        request,
        post.approve,
        "Approved.",
        comment=data.get("comment", ""),
        justification=data.get("justification", ""),
        equipment=equipment_for(request),
    )
    return redirect("review:queue") if done else redirect(post)


@login_required
@require_POST
def reject(request, pk):
    return _decide_against(request, pk, "reject", "Returned to the author for changes.")


@login_required
@require_POST
def decline(request, pk):
    return _decide_against(request, pk, "decline", "Rejected.")


def _decide_against(request, pk, decision: str, success: str):
    post = get_post_for_user(request, pk)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    action = getattr(post, decision)
    if run_action(request, action, success, comment=comment, equipment=equipment_for(request)):
        return redirect("review:queue")
    return redirect(post)


@login_required
def overrides(request):
    """702.5 overrides, for the annual review (702.6)."""
    if not (request.user.has_role(Role.SUPERVISOR) or request.user.has_role(Role.MAYORS_OFFICE)):
        raise PermissionDenied(
            "702.6: overrides are reviewed by supervisors and the Mayor's office."
        )
    rows = Override.objects.select_related("post", "supervisor")
    return render(request, "review/overrides.html", {"overrides": rows})


# --- Approval chains (702.3), configured by the Mayor's office -----------------


def _require_mayors_office(user) -> None:
    if not user.has_role(Role.MAYORS_OFFICE):
        raise PermissionDenied("702.3: the Mayor's office configures who approves what.")


@login_required
def chains(request):
    _require_mayors_office(request.user)
    rows = ApprovalChain.objects.prefetch_related("channels", "steps__group", "steps__person")
    return render(request, "review/chains.html", {"chains": rows})


@login_required
def chain_edit(request, pk=None):
    _require_mayors_office(request.user)
    chain = get_object_or_404(ApprovalChain, pk=pk) if pk else ApprovalChain()
    form = ApprovalChainForm(request.POST or None, instance=chain)
    steps = StepFormSet(request.POST or None, instance=chain, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        with transaction.atomic():
            chain = form.save()
            steps.instance = chain
            steps.save()
        messages.success(request, f"Approval chain “{chain.name}” saved.")
        return redirect("review:chains")
    return render(
        request,
        "review/chain_form.html",
        {"form": form, "steps": steps, "chain": chain},
        status=400 if request.method == "POST" else 200,
    )
