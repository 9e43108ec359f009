"""Taking a post down (702.5): the confirmation page, and the removals that need a person."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.equipment import equipment_for

from .access import may_view
from .models import Post
from .removal import plan_for
from .views import run_action


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label="Why is this post being taken down? (702.5)",
        help_text="For example: it names a person under investigation (702.5(c)). The reason is "
        "kept with the record and shown to the author.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
        error_messages={"required": "Say why the post is being taken down."},
    )


def get_post_for_remover(request, pk: int) -> Post:
    """The post, for someone 702.5 lets remove content (Post.may_remove_content)."""
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    if not post.may_remove_content(request.user):
        raise PermissionDenied(
            "702.5: only a supervisor, the Mayor's office or the Mayor's designee may take a post "
            "down. If you believe it should not be public, report it to your supervisor."
        )
    return post


@login_required
def take_down(request, pk):
    post = get_post_for_remover(request, pk)
    form = TakeDownForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            post.take_down(
                by=request.user,
                reason=form.cleaned_data["reason"],
                equipment=equipment_for(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                "Taken down (702.5). It is being removed from every channel; the archive "
                "keeps the record.",
            )
            return redirect(post if may_view(request.user, post) else request.path)
    return render(
        request,
        "posting/take_down.html",
        _page_context(post, form),
        status=400 if form.is_bound else 200,
    )


def _page_context(post, form) -> dict:
    publications = list(post.publications.select_related("channel").order_by("channel__name"))
    return {
        "post": post,
        "form": form,
        "take_down": post.take_downs.select_related("requested_by").first(),
        "plans": [(p, plan_for(p)) for p in publications],
        "publications": publications,
    }


def _publication_of(post, value: str):
    if not value.isdigit():
        raise Http404("No such channel delivery.")
    return get_object_or_404(post.publications.select_related("channel"), pk=int(value))


@login_required
@require_POST
def retry_removal(request, pk):
    post = get_post_for_remover(request, pk)
    publication = _publication_of(post, request.POST.get("publication", ""))
    run_action(request, publication.retry_removal, f"Removing it from {publication.channel} again.")
    return redirect("posting:take_down", pk=post.pk)


@login_required
@require_POST
def removed_by_hand(request, pk):
    post = get_post_for_remover(request, pk)
    publication = _publication_of(post, request.POST.get("publication", ""))
    run_action(
        request,
        publication.confirm_removed_by_hand,
        f"Recorded as removed from {publication.channel} by hand.",
        note=request.POST.get("note", ""),
    )
    return redirect("posting:take_down", pk=post.pk)
