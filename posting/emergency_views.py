"""The emergency stop (702.4.1): the Mayor's office or a designee stops all publishing at once."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import EmergencyStop

EVERY_CHANNEL = "all"


class StartStopForm(forms.Form):
    scope = forms.ChoiceField(
        label="What to stop",
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
        error_messages={"required": "Choose every channel or one channel."},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Shown to city staff on every page while the stop is on, and kept in the "
        "archive (702.7). For example: a tragedy in the city, or a compromised account.",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
        error_messages={"required": "Say why publishing is stopped."},
    )
    confirm = forms.BooleanField(
        label="I understand: nothing scheduled or queued goes out on what I chose until "
        "someone resumes publishing.",
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
        error_messages={"required": "Confirm that you mean to stop publishing."},
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = {_key(scope): scope for scope in scopes}
        self.fields["scope"].choices = [
            (_key(scope), "Every channel" if scope is None else f"{scope.name} only")
            for scope in scopes
        ]

    @property
    def channel(self):
        return self.scopes[self.cleaned_data["scope"]]


def _key(scope) -> str:
    return EVERY_CHANNEL if scope is None else str(scope.pk)


class ResumeForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        help_text="Why publishing may resume; kept with the stop in the archive.",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I understand: the queued posts and the scheduled posts that came due go out now.",
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
        error_messages={"required": "Confirm that you mean to resume publishing."},
    )


def _require_stop_authority(user) -> None:
    if not EmergencyStop.may_be_used_by(user):
        raise PermissionDenied(
            "702.4.1: the emergency stop is for the Mayor's office and the Mayor's designees."
        )


def _resume_form(stop, data=None) -> ResumeForm:
    return ResumeForm(data, prefix=f"resume-{stop.pk}")


def _page(request, *, start_form=None, resume_forms=None, status=200):
    """The active stops with their resume forms, the start form, and every stop so far."""
    user = request.user
    stops = EmergencyStop.objects.select_related("channel", "started_by", "ended_by")
    resume_forms = resume_forms or {}
    active = []
    for stop in stops.active().order_by("started_at"):
        form = None  # a designee sees the stops outside their scope but cannot lift them
        if EmergencyStop.may_stop(user, stop.channel):
            form = resume_forms.get(stop.pk) or _resume_form(stop)
        active.append((stop, form))
    history = Paginator(stops.order_by("-started_at"), 50).get_page(request.GET.get("page"))
    context = {
        "active": active,
        "form": start_form or StartStopForm(scopes=EmergencyStop.scopes_for(user)),
        "history": history,
    }
    return render(request, "posting/emergency/index.html", context, status=status)


@login_required
def emergency_index(request):
    _require_stop_authority(request.user)
    return _page(request)


@login_required
@require_POST
def emergency_start(request):
    _require_stop_authority(request.user)
    form = StartStopForm(request.POST, scopes=EmergencyStop.scopes_for(request.user))
    if form.is_valid():
        try:
            stop = EmergencyStop.start(
                by=request.user, reason=form.cleaned_data["reason"], channel=form.channel
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.warning(
                request,
                f"Publishing is stopped on {stop.scope_label}. Nothing scheduled or queued goes "
                "out until someone resumes it.",
            )
            return redirect("posting:emergency")
    return _page(request, start_form=form, status=400)


@login_required
@require_POST
def emergency_resume(request, pk):
    _require_stop_authority(request.user)
    stop = get_object_or_404(EmergencyStop.objects.select_related("channel"), pk=pk)
    form = _resume_form(stop, request.POST)
    if not form.is_valid() and stop.is_active:
        return _page(request, resume_forms={stop.pk: form}, status=400)
    try:
        stop.resume(by=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"Publishing resumed on {stop.scope_label}. Queued and due posts go out now."
        )
    return redirect("posting:emergency")
