"""Scheduled posts by day in city time, and moving or cancelling one until it goes out."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .access import get_post_for_user
from .models import PostState
from .scheduling import RescheduleForm, by_city_day, moment_label, upcoming_for, zone_hint
from .views import run_action


@login_required
@require_GET
def scheduled(request):
    return _schedule_page(request)


@login_required
@require_POST
def reschedule(request, pk):
    post = get_post_for_user(request, pk)
    post.require_schedule_keeper(request.user)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return _schedule_page(request, refused=post, form=form, status=400)
    when = form.cleaned_data["when"]
    kept = (
        " The approval still applies: it covers the content, which did not change."
        if post.state == PostState.APPROVED
        else ""
    )
    run_action(
        request, post.reschedule, f"Rescheduled: it goes out {moment_label(when)}.{kept}", when=when
    )
    return _back(request, post)


@login_required
@require_POST
def cancel_schedule(request, pk):
    post = get_post_for_user(request, pk)
    run_action(
        request,
        post.cancel_schedule,
        "Taken off the schedule: it will not go out. It is a draft; to publish it later, "
        "choose a time and submit it again.",
        reason=request.POST.get("reason", ""),
    )
    return _back(request, post)


def _back(request, post):
    return redirect(post) if request.POST.get("back") == "post" else redirect("posting:scheduled")


def _schedule_page(request, *, refused=None, form=None, status=200):
    """The page; after a refused reschedule, with that post's form open on what was typed."""
    posts = list(upcoming_for(request.user))
    if refused is not None and refused.has_upcoming_schedule() and refused not in posts:
        posts = sorted([*posts, refused], key=lambda post: post.scheduled_for)
    return render(
        request,
        "posting/scheduled.html",
        {
            "days": by_city_day(posts),
            "refused": refused,
            "refused_field": form["when"] if form is not None else None,
            "zone_hint": zone_hint(),
        },
        status=status,
    )
