import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.equipment import equipment_for
from accounts.permissions import publishable_channels
from review.models import Assessment
from review.routing import current_step, may_decide

from .access import get_post_for_user
from .forms import PostForm
from .models import EDITABLE_STATES, EmergencyStop, Post, PostState, Publication
from .timeline import changes_since_last_decision, timeline_for


@login_required
def my_posts(request):
    posts = (
        Post.objects.by(request.user)
        .prefetch_related("channels", "publications__channel")
        .order_by("-updated_at")
    )
    return render(request, "posting/my_posts.html", {"posts": posts})


@login_required
def new_post(request):
    return _edit_form(request, Post(author=request.user))


def _refuse_incident_update(request, post):
    """702.4.1: an incident's update changes only on its board (Post.revise refuses it too)."""
    from .incident_models import NOT_EDITED_HERE

    messages.error(request, NOT_EDITED_HERE)
    if post.incident.may_be_seen_by(request.user):
        return redirect(post.incident)
    return redirect(post)


@login_required
def edit_post(request, pk):
    post = get_post_for_user(request, pk, edit=True)
    if post.incident_id is not None:
        return _refuse_incident_update(request, post)
    if post.state not in EDITABLE_STATES:
        messages.error(
            request, f"A post that is {post.get_state_display().lower()} cannot be edited."
        )
        return redirect(post)
    return _edit_form(request, post)


def _edit_form(request, post):
    channels = publishable_channels(request.user)
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, instance=post, user=request.user)
        if form.is_valid():
            try:
                post = form.save_draft()
            except ValidationError as exc:  # e.g. an image removed in another tab meanwhile
                form.add_error(None, exc)
            else:
                if "submit" in request.POST:
                    return _submit(request, post)
                messages.success(request, "Draft saved.")
                return redirect(post)
    else:
        form = PostForm(instance=post, user=request.user, initial=_initial(post, request.GET))
    return render(
        request,
        "posting/post_form.html",
        {"form": form, "post": post, "has_channels": channels.exists(), "channels": channels},
        status=200 if request.method == "GET" else 400,
    )


def _initial(post, query=None):
    """An existing post's channels, or a new draft prefilled from a pre-approved template."""
    if post.pk is None:
        query = query or {}
        return {key: query[key] for key in ("title", "body", "category") if query.get(key)}
    return {"channels": list(post.channels.all())}


def _submit(request, post):
    try:
        post.submit(
            by=request.user,
            attestation=request.POST.get("attest") == "on",
            equipment=equipment_for(request),
            override_request=request.POST.get("override_request", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        messages.info(request, "Your draft is saved. Fix the above, then submit it again.")
        return redirect(post)
    if post.auto_approved:
        messages.success(
            request,
            "Submitted. It conforms to the Mayor's guidelines and passed every check, so it "
            "goes out without waiting for a supervisor (702.3).",
        )
    else:
        messages.success(request, "Submitted. A supervisor has been asked to approve it.")
    return redirect(post)


@login_required
def post_detail(request, pk):
    post = get_post_for_user(request, pk)
    return render(
        request,
        "posting/post_detail.html",
        {
            "post": post,
            **delivery_context(post, request.user),
            "timeline": timeline_for(post),
            "approval": post.current_approval(),
            "can_edit": post.author_id == request.user.pk
            and post.state in EDITABLE_STATES
            and post.incident_id is None,
            "can_withdraw": post.may_be_withdrawn_by(request.user),
            "can_retry": post.may_be_retried_by(request.user),
            "can_take_down": post.may_remove_content(request.user),
            "can_review": post.state == PostState.SUBMITTED and may_decide(request.user, post),
            "step": current_step(post) if post.state == PostState.SUBMITTED else None,
            "assessment": Assessment.objects.latest_for(post),
            "attestation": post.attestations.first(),
            "changes": changes_since_last_decision(post),
        },
    )


@login_required
@require_GET
def post_image(request, pk, image):
    """An image of a post, in its original bytes, for whoever may see the post."""
    post = get_post_for_user(request, pk)
    return image_response(get_object_or_404(post.images, pk=image))


def image_response(image) -> FileResponse:
    """The stored bytes as they are, with the type read from them at upload (never guessed)."""
    response = FileResponse(image.file.storage.open(image.file.name, "rb"))
    response["Content-Type"] = image.mime_type
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


MOVING = {
    Publication.Status.QUEUED,
    Publication.Status.PUBLISHING,
    Publication.Status.RETRYING,
    Publication.Status.REMOVING,
}


def _moving(publication) -> bool:
    """Still changing by itself (a removal waiting for a person is not)."""
    return publication.status in MOVING and not publication.removal_needs_person


def delivery_context(post, user) -> dict:
    """Each channel's state for the post page, and whether the page should keep polling."""
    publications = list(post.publications.select_related("channel").order_by("channel__name"))
    halted = EmergencyStop.objects.halted_channel_ids()
    if halted is None:
        halted = {p.channel_id for p in publications}
    done = sum(p.status == Publication.Status.PUBLISHED for p in publications)
    return {
        "publications": publications,
        "deliveries_moving": any(_moving(p) for p in publications),
        "delivery_summary": f"{done} of {len(publications)} channels published.",
        "halted_channels": halted,
        "waiting_statuses": {Publication.Status.QUEUED, Publication.Status.RETRYING},
        "resolvable": [p for p in publications if p.may_be_resolved_by(user)],
    }


@login_required
@require_GET
def publication_status(request, pk):
    """The per-channel delivery states, polled by the post page while publishing."""
    post = get_post_for_user(request, pk)
    return render(
        request,
        "posting/_publications.html",
        {"post": post, **delivery_context(post, request.user)},
    )


@login_required
@require_POST
def submit_post(request, pk):
    post = get_post_for_user(request, pk, edit=True)
    if post.incident_id is not None:
        return _refuse_incident_update(request, post)
    return _submit(request, post)


@login_required
@require_POST
def withdraw_post(request, pk):
    post = get_post_for_user(request, pk)
    run_action(request, post.withdraw, "Post withdrawn.", reason=request.POST.get("reason", ""))
    return redirect(post)


@login_required
@require_POST
def retry_post(request, pk):
    post = get_post_for_user(request, pk)
    run_action(request, post.retry_failed, "Publishing the failed channels again.")
    return redirect(post)


@login_required
@require_POST
def resolve_publication(request, pk, publication):
    """The platform's answer was lost: a person says the post is there (with its link) or not."""
    post = get_post_for_user(request, pk)
    delivery = get_object_or_404(post.publications.select_related("channel"), pk=publication)
    if not delivery.may_resolve(request.user):
        raise PermissionDenied(
            "Only the author, a supervisor, the channel's owner or the Mayor's office may decide "
            "what happened on this channel."
        )
    if request.POST.get("found") == "yes":
        run_action(
            request,
            delivery.confirm_on_platform,
            f"Recorded as published on {delivery.channel}.",
            remote_url=request.POST.get("remote_url", ""),
        )
    else:
        run_action(request, delivery.send_again, f"Sending to {delivery.channel} again.")
    return redirect(post)


def run_action(request, method, success: str, **kwargs) -> bool:
    """Run a state change as the signed-in person and tell them how it went.

    A refused permission is not caught: it becomes the 403 page, with the policy's reason.
    """
    try:
        method(by=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def character_counts(request):
    """As the author types: each channel's count, and what the checks find (702.3, 702.5)."""
    from review.assessment import assess
    from review.highlight import highlight

    body, title = request.POST.get("body", ""), request.POST.get("title", "")
    category = request.POST.get("category", "")
    channels = list(
        publishable_channels(request.user).filter(pk__in=_ids(request.POST.getlist("channels")))
    )
    counts = []
    for channel in channels:
        length, limit = channel.text_length(body), channel.text_limit
        counts.append(
            {"channel": channel, "length": length, "limit": limit, "over": length - limit}
        )
    verdict = assess(
        title=title,
        body=body,
        category=category,
        channels=channels,
        author=request.user,
        images=_alt_texts(request.POST),
    )
    return render(
        request,
        "posting/_counts.html",
        {
            "counts": counts,
            "verdict": verdict if body.strip() else None,
            "highlighted": highlight(body, verdict.findings),
        },
    )


ALT_FIELD = re.compile(r"^(?:(image_\d+)|new_image_\d+)_alt$")


def _alt_texts(data) -> list[tuple[str, str]]:
    """The draft form's alternative texts, as the checks read them (702.3): every kept image,
    and each new one whose text has been started (its file is not sent while typing)."""
    texts = []
    for name in data:
        match = ALT_FIELD.match(name)
        if match is None:
            continue
        kept = match.group(1)
        if kept and data.get(f"{kept}_remove"):
            continue
        if kept or data.get(name, "").strip():
            texts.append((f"image {len(texts) + 1}", data.get(name, "")))
    return texts


def _ids(values) -> list[int]:
    return [int(value) for value in values if value.isdigit()]
