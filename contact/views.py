from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import get_message_for_user, require_inbox_member, require_topic_manager
from .forms import AnswerForm, AssignForm, ContactForm, MoveForm, TopicForm
from .models import ContactMessage, ContactTopic
from .protection import count_message, limits_text, spam_reasons

SENT_SALT = "contact.sent"
SENT_PAGE_HOURS = 24


def _public_context(**extra) -> dict:
    return {
        "city_phone": settings.CITY_PHONE,
        "city_phone_hours": settings.CITY_PHONE_HOURS,
        "limits_text": limits_text(),
        **extra,
    }


# --- The public page ------------------------------------------------------------------------


def contact_page(request):
    """702.5.1: residents write to city employees. Open to all, no sign-in, no tracking."""
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reasons = spam_reasons(
            honeypot=data["website"], started=data["started"], body=data["body"], name=data["name"]
        )
        limited = count_message(request)
        if limited:
            return _too_many(request, form, limited)
        try:
            message = ContactMessage.receive(
                topic=data["topic"],
                body=data["body"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                spam_reasons=reasons,
            )
        except ValidationError as error:
            form.add_error("topic", error)
        else:
            token = signing.dumps(message.reference, salt=SENT_SALT)
            return redirect("contact:sent", token=token)
    return render(request, "contact/form.html", _public_context(form=form))


def _too_many(request, form, limited):
    """A flood (or a busy shared connection) is told plainly what happened and how else to
    reach the city; what they wrote is shown back so that nothing is lost."""
    response = render(
        request,
        "contact/too_many.html",
        _public_context(limited=limited, body=form.cleaned_data["body"]),
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after)
    return response


def sent(request, token):
    """The acknowledgement page, with the reference number. The link is signed, so only the
    person who sent the message is shown it (for a day)."""
    try:
        reference = signing.loads(token, salt=SENT_SALT, max_age=SENT_PAGE_HOURS * 3600)
    except signing.BadSignature:
        raise Http404("This confirmation link is not valid or has expired.") from None
    message = get_object_or_404(
        ContactMessage.objects.select_related("topic__department"), reference=reference
    )
    return render(request, "contact/sent.html", _public_context(message=message))


# --- The department inboxes -------------------------------------------------------------------

SHOW = {
    "waiting": ContactMessage.State.WAITING,
    "held": ContactMessage.State.HELD,
    "answered": ContactMessage.State.ANSWERED,
}


@login_required
def inbox(request):
    topics = require_inbox_member(request.user)
    show = request.GET.get("show", "waiting")
    if show not in SHOW:
        show = "waiting"
    mine = ContactMessage.objects.filter(topic__in=topics)
    counts = dict(
        mine.order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    listing = mine.in_state(SHOW[show]).select_related("topic__department", "assigned_to")
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    tabs = [
        (key, ContactMessage.State(state).label, counts.get(state, 0))
        for key, state in SHOW.items()
    ]
    return render(
        request,
        "contact/inbox.html",
        {"topics": topics, "page": page, "show": show, "tabs": tabs},
    )


@login_required
def message_detail(request, reference):
    return _detail(request, get_message_for_user(request, reference))


def _detail(request, message, *, status=200, **bound):
    context = {
        "message": message,
        "events": message.events.select_related("by", "from_topic", "to_topic", "assigned_to"),
        "answer_form": bound.get("answer_form") or AnswerForm(),
        "assign_form": bound.get("assign_form")
        or AssignForm(topic=message.topic, initial={"to": message.assigned_to_id}),
        "move_form": bound.get("move_form") or MoveForm(message=message),
    }
    return render(request, "contact/message.html", context, status=status)


@login_required
@require_POST
def answer(request, reference):
    message = get_message_for_user(request, reference)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            message.answer(by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Message {message.reference} is recorded as answered.")
            return redirect(message)
    return _detail(request, message, status=400, answer_form=form)


@login_required
@require_POST
def assign(request, reference):
    message = get_message_for_user(request, reference)
    form = AssignForm(request.POST, topic=message.topic)
    if form.is_valid():
        to = form.cleaned_data["to"]
        try:
            message.assign(by=request.user, to=to)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Assigned to {to}." if to else "Assigned to nobody.")
            return redirect(message)
    return _detail(request, message, status=400, assign_form=form)


@login_required
@require_POST
def move(request, reference):
    message = get_message_for_user(request, reference)
    form = MoveForm(request.POST, message=message)
    if form.is_valid():
        topic = form.cleaned_data["topic"]
        try:
            message.move(by=request.user, to_topic=topic, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Message {message.reference} moved to “{topic}” ({topic.department})."
            )
            if topic.has_member(request.user):
                return redirect(message)
            return redirect("contact:inbox")
    return _detail(request, message, status=400, move_form=form)


@login_required
@require_POST
def release(request, reference):
    message = get_message_for_user(request, reference)
    try:
        message.release(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Message {message.reference} is released into the inbox; the department is "
            "e-mailed and the resident acknowledged.",
        )
    return redirect(message)


# --- The Mayor's office's topics -------------------------------------------------------------


@login_required
def topics(request):
    require_topic_manager(request.user)
    listing = (
        ContactTopic.objects.select_related("department")
        .prefetch_related("inbox_members")
        .annotate(message_count=Count("messages"))
    )
    return render(request, "contact/topics.html", {"topics": listing})


@login_required
def topic_new(request):
    require_topic_manager(request.user)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = ContactTopic.create(
                by=request.user, members=form.cleaned_data["inbox_members"], **form.values()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{topic}” is saved.")
            return redirect("contact:topics")
    return render(request, "contact/topic_form.html", {"form": form})


@login_required
def topic_edit(request, pk):
    require_topic_manager(request.user)
    topic = get_object_or_404(ContactTopic, pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            topic.change(
                by=request.user, members=form.cleaned_data["inbox_members"], **form.values()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{topic}” is saved.")
            return redirect("contact:topics")
    history = topic.history.select_related("history_user")[:20]
    return render(
        request, "contact/topic_form.html", {"form": form, "topic": topic, "history": history}
    )
