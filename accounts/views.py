from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from posting.models import Post, PostState
from retention.models import ArchiveRecord

from .models import Authorization
from .permissions import publishable_channels
from .roles import Role


@login_required
def dashboard(request):
    """Each role sees what it needs first."""
    user = request.user
    context = {"channels": publishable_channels(user)}
    mine = Post.objects.by(user)
    context["my_counts"] = {
        state.label: mine.filter(state=state).count()
        for state in (
            PostState.DRAFT,
            PostState.SUBMITTED,
            PostState.REJECTED,
            PostState.PUBLISHING,
            PostState.FAILED,
            PostState.PUBLISHED,
        )
    }
    context["my_recent"] = mine.order_by("-updated_at")[:5]
    if user.has_role(Role.SUPERVISOR):
        context["awaiting_review"] = (
            Post.objects.awaiting_review().exclude(author=user).select_related("author")[:10]
        )
    if user.has_role(Role.MAYORS_OFFICE):
        context["authorizations"] = (
            Authorization.objects.select_related("user", "granted_by")
            .prefetch_related("channels")
            .order_by("user__last_name", "-granted_at")
        )
    if user.has_role(Role.CITY_CLERK):
        context["recent_records"] = ArchiveRecord.objects.select_related("channel", "post")[:10]
    return render(request, "accounts/dashboard.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
