from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.equipment import equipment_for
from posting.access import get_post_for_user
from posting.forms import DecisionForm
from posting.models import Post
from posting.views import run_action


@login_required
@permission_required("posting.review_post", raise_exception=True)
def queue(request):
    posts = (
        Post.objects.awaiting_review()
        .exclude(author=request.user)
        .select_related("author")
        .prefetch_related("channels")
    )
    return render(request, "review/queue.html", {"posts": posts})


@login_required
@require_POST
def approve(request, pk):
    return _decide(request, pk, "approve", "Approved. It is on its way to its channels.")


@login_required
@require_POST
def reject(request, pk):
    return _decide(request, pk, "reject", "Returned to the author with your comment.")


def _decide(request, pk, decision: str, success: str):
    post = get_post_for_user(request, pk)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    action = getattr(post, decision)
    if run_action(request, action, success, comment=comment, equipment=equipment_for(request)):
        return redirect("review:queue")
    return redirect(post)
