"""The incident board (702.4.1) and the incident's public page on the city website.

Views parse, load the incident through get_incident_for_user(), call a model method and
respond; the models check who may do what.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.authority import acts_for_the_mayor, mayors_designations, within_designations
from accounts.equipment import equipment_for
from accounts.permissions import publishable_channels
from accounts.roles import Role
from review.guidelines import conforming_templates, template_spec

from .incident_forms import (
    CloseForm,
    CompilerForm,
    DeclineForm,
    IncidentSettingsForm,
    OpenIncidentForm,
    UpdateForm,
)
from .incident_models import Incident, IncidentStatus, IncidentUpdate
from .incident_templates import is_closing_template
from .incident_timeline import after_action, after_action_csv, current_facts
from .models import Channel, Platform, PostState, Publication
from .news import NewsFeed

OVERSIGHT_ROLES = (Role.SUPERVISOR, Role.MAYORS_OFFICE)
FREE_TEXT = "none"  # ?template=none: write the update without a template
POLL_SECONDS = 3


# --- Who sees the boards ---------------------------------------------------------------


def may_see_incidents(user) -> bool:
    """The people an incident may concern: whoever may post (compilers, proposers), supervisors
    (who approve what does not conform), the Mayor's office and designees. Which boards each
    sees is Incident.may_be_seen_by(); the City Clerk reads the after-action in the archive."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        any(user.has_role(role) for role in OVERSIGHT_ROLES)
        or acts_for_the_mayor(user)
        or publishable_channels(user).exists()
    )


def require_incident_viewer(user) -> None:
    if not may_see_incidents(user):
        raise PermissionDenied(
            "702.4.1: incident boards are for the people who post, supervisors, the Mayor's "
            "office and its designees."
        )


def get_incident_for_user(request, pk) -> Incident:
    """The one place a board is loaded: 404 for no such incident, 403 for someone it is not
    for (it names internal sources and verifiers)."""
    require_incident_viewer(request.user)
    incidents = Incident.objects.select_related("opened_by", "closed_by").prefetch_related(
        "channels"
    )
    incident = get_object_or_404(incidents, pk=pk)
    incident.require_viewer(request.user)
    return incident


def get_update(incident, update_pk) -> IncidentUpdate:
    return get_object_or_404(incident.updates.with_delivery(), pk=update_pk)


# --- The list and opening --------------------------------------------------------------


@login_required
@require_GET
def incident_list(request):
    require_incident_viewer(request.user)
    incidents = (
        Incident.objects.visible_to(request.user)
        .prefetch_related("channels")
        .select_related("opened_by")
    )
    closed = Paginator(incidents.filter(status=IncidentStatus.CLOSED), 25)
    return render(
        request,
        "posting/incidents/index.html",
        {
            "open_incidents": list(incidents.open()),
            "closed": closed.get_page(request.GET.get("page")),
            "may_open": acts_for_the_mayor(request.user),
        },
    )


def channels_in_scope(user):
    """The active channels the person may open an incident on (a designee: the designation's)."""
    designations = mayors_designations(user)
    channels = Channel.objects.filter(is_active=True).order_by("name")
    return Channel.objects.filter(
        pk__in=[c.pk for c in channels if within_designations(designations, c)]
    ).order_by("name")


@login_required
def incident_new(request):
    if not acts_for_the_mayor(request.user):
        raise PermissionDenied(
            "702.4.1: only the Mayor's office or the Mayor's authorized designee opens incidents."
        )
    channels = channels_in_scope(request.user)
    form = OpenIncidentForm(request.POST or None, channels=channels)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = Incident.open(
                by=request.user,
                **{name: data[name] for name in form.Meta.fields},
                compilers=data["compilers"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                "Incident opened. Only its compilers release its updates (702.4.1).",
            )
            return redirect(incident)
    status = 400 if request.method == "POST" else 200
    return render(request, "posting/incidents/new.html", {"form": form}, status=status)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- The board ---------------------------------------------------------------------------


def _updates(incident):
    return list(incident.updates.with_delivery())


def live_context(incident, user, updates=None) -> dict:
    """What the board polls: the cadence clock, proposals, drafts waiting and the timeline."""
    updates = _updates(incident) if updates is None else updates
    released = [u for u in updates if u.is_released]
    waiting = [u for u in released if u.waits_for_supervisor]
    moving = any(
        p.status in Publication.IN_FLIGHT for u in released for p in u.post.publications.all()
    )
    is_compiler = incident.is_compiler(user)
    clock = incident.cadence_clock()
    closing = next((u for u in released if u.purpose == IncidentUpdate.Purpose.CLOSING), None)
    return {
        "incident": incident,
        "clock": clock,
        "reminder": _reminder(incident, clock),
        "closing": closing if incident.is_closed else None,
        "closing_note": _closing_note(closing) if incident.is_closed and closing else "",
        "may_revise_closing": is_compiler
        and incident.is_closed
        and (closing is None or not closing.is_out),
        "timeline": [_entry(u) for u in released],
        "waiting": waiting,
        "proposals": [u for u in updates if u.status == IncidentUpdate.Status.PROPOSED],
        "facts": current_facts(updates),
        "is_compiler": is_compiler and not incident.is_closed,
        "polling": not incident.is_closed or moving,
        "poll_seconds": POLL_SECONDS,
    }


def _reminder(incident, clock) -> str:
    """What the overdue reminder did, from its event: the banner says no more than that."""
    if not (clock.overdue and clock.reminded):
        return ""
    event = incident.events.filter(action="reminded").order_by("-at", "-pk").first()
    if event is None:
        return ""
    # "Update overdue since 2:45 PM; e-mailed ..." (Incident.remind_if_overdue): the outcome.
    return event.detail.partition("; ")[2] or event.detail


def _closing_note(closing) -> str:
    """Where the closing message stands, for the frozen board."""
    post = closing.post
    state = post.state
    if state == PostState.PUBLISHED:
        return f"The closing message (update {closing.number}) went out on every channel."
    if state == PostState.PUBLISHING:
        return f"The closing message (update {closing.number}) is going out to its channels."
    if state == PostState.FAILED:
        return (
            f"Publishing the closing message (update {closing.number}) failed on some channels: "
            "retry them from its post (linked in the timeline below)."
        )
    last = post.transitions.order_by("-at", "-pk").first()
    said = f" “{last.reason}”" if last and last.reason and last.actor_id else ""
    if state in {PostState.SUBMITTED, PostState.APPROVED}:
        return (
            f"The closing message (update {closing.number}) waits for a supervisor: it does not "
            "strictly conform to the Mayor's guidelines (702.3). Until it is approved, nothing "
            "tells the public the incident is over."
        )
    if state == PostState.REJECTED:
        return (
            f"A supervisor returned the closing message (update {closing.number}) for "
            f"changes:{said} Revise it and release it again."
        )
    if state == PostState.DECLINED:
        return (
            f"A supervisor rejected the closing message (update {closing.number}):{said} "
            "Write another."
        )
    return (
        f"The closing message (update {closing.number}) is {post.get_state_display().lower()} "
        "and will not go out. Write another."
    )


def _entry(update) -> dict:
    publications = list(update.post.publications.all())
    published = sum(p.status == Publication.Status.PUBLISHED for p in publications)
    return {
        "update": update,
        "publications": publications,
        "superseded_by": update.superseding(),
        "correction_pending": update.pending_correction(),
        "summary": f"{published} of {len(update.post.channels.all())} channels published",
    }


INCIDENT_MARK = "702.4.1"  # in a template's name: made for incidents, offered first


def incident_templates(incident) -> list:
    """The pre-approved templates of the incident's category; those made for incidents first.
    The closing templates are offered on the closing page only."""
    offered = [s for s in conforming_templates(incident.category) if not is_closing_template(s)]
    return sorted(offered, key=lambda spec: INCIDENT_MARK not in spec.name)


def closing_templates(incident) -> list:
    """The pre-approved closing messages (the all clear) of the incident's category."""
    return [s for s in conforming_templates(incident.category) if is_closing_template(s)]


def _chosen_spec(request, incident, offered, *, remember=True):
    """The template the compiler picked (?template=pk); else the one the last update used, or
    the first offered; None for free text."""
    wanted = request.GET.get("template") or request.POST.get("template")
    if wanted == FREE_TEXT or (not wanted and not offered):
        return None
    if not wanted and remember:
        last = incident.updates.released().exclude(template=None).order_by("-released_at")
        wanted = last.values_list("template_id", flat=True).first()
    by_pk = {str(spec.pk): spec for spec in offered}
    return by_pk.get(str(wanted)) or offered[0]


def board_context(request, incident, *, update_form=None, settings_form=None, compiler_form=None):
    user = request.user
    updates = _updates(incident)
    context = live_context(incident, user, updates)
    offered = incident_templates(incident)
    spec = _chosen_spec(request, incident, offered)
    facts = {fact.name: fact.value for fact in context["facts"]}
    acts = incident.acts_for_the_mayor(user)
    may_propose = not incident.is_closed and not context["is_compiler"]
    may_propose = may_propose and incident.may_propose(user)
    context.update(
        {
            "compilers": list(incident.current_compilers()),
            "channels": list(incident.channels.all()),
            "offered": offered,
            "spec": spec,
            "update_form": update_form or UpdateForm(spec=spec, facts=facts),
            "may_propose": may_propose,
            "may_run": not incident.is_closed and (acts or context["is_compiler"]),
            "may_appoint": not incident.is_closed and acts,
            "settings_form": settings_form
            or IncidentSettingsForm(
                initial={"status": incident.status, "cadence_minutes": incident.cadence_minutes}
            ),
            "compiler_form": compiler_form or CompilerForm(incident=incident),
            "public_url": public_url(incident),
            "free_text": FREE_TEXT,
        }
    )
    return context


def public_url(incident) -> str:
    if incident.channels.filter(platform=Platform.WEBSITE).exists():
        return incident.get_public_url()
    return ""


def _board(request, incident, status=200, **forms):
    return render(
        request,
        "posting/incidents/board.html",
        board_context(request, incident, **forms),
        status=status,
    )


@login_required
@require_GET
def incident_board(request, pk):
    incident = get_incident_for_user(request, pk)
    return _board(request, incident)


@login_required
@require_GET
def incident_live(request, pk):
    """The board's live part, polled while the incident is open or its updates go out."""
    incident = get_incident_for_user(request, pk)
    return render(request, "posting/incidents/_live.html", live_context(incident, request.user))


# --- Updates ---------------------------------------------------------------------------


def _released_message(update) -> str:
    post = update.post
    channels = post.channels.count()
    if post.state in {PostState.PUBLISHING, PostState.PUBLISHED}:
        return (
            f"Update {update.number} is going out to {channels} channels. It conforms to the "
            "Mayor's guidelines and passed every check: no supervisor needed (702.3)."
        )
    return (
        f"Update {update.number} waits for a supervisor: it does not strictly conform to the "
        "Mayor's guidelines (702.3). It is listed under “Waiting for a supervisor”."
    )


@login_required
@require_POST
def incident_publish(request, pk):
    """One action: the compiler's update goes to every channel of the incident at once."""
    incident = get_incident_for_user(request, pk)
    incident.require_compiler(request.user)
    if incident.is_closed:
        return _closed(request, incident)
    spec = _chosen_spec(request, incident, incident_templates(incident))
    form = UpdateForm(request.POST, spec=spec)
    if form.is_valid():
        try:
            update = IncidentUpdate.release_new(
                incident=incident,
                by=request.user,
                equipment=equipment_for(request),
                **form.update_kwargs(),
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _released_message(update))
            return redirect(incident)
    return _board(request, incident, status=400, update_form=form)


@login_required
@require_POST
def incident_propose(request, pk):
    incident = get_incident_for_user(request, pk)
    if incident.is_closed:
        return _closed(request, incident)
    if not incident.may_propose(request.user):
        raise PermissionDenied(
            "702.3: only employees authorized to post to this incident's channels propose "
            "updates. Ask your supervisor to pass the information on."
        )
    spec = _chosen_spec(request, incident, incident_templates(incident))
    form = UpdateForm(request.POST, spec=spec)
    if form.is_valid():
        try:
            IncidentUpdate.propose(incident=incident, by=request.user, **form.update_kwargs())
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(
                request, "Proposed. The incident's compilers decide whether to release it."
            )
            return redirect(incident)
    return _board(request, incident, status=400, update_form=form)


def _closed(request, incident):
    messages.error(request, "702.4.1: this incident is closed; it takes no more updates.")
    return redirect(incident)


@login_required
@require_POST
def incident_accept(request, pk, update):
    incident = get_incident_for_user(request, pk)
    incident.require_compiler(request.user, "decide proposals")
    proposal = get_update(incident, update)
    try:
        proposal.accept(by=request.user, equipment=equipment_for(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _released_message(proposal))
    return redirect(incident)


@login_required
@require_POST
def incident_decline(request, pk, update):
    incident = get_incident_for_user(request, pk)
    incident.require_compiler(request.user, "decide proposals")
    proposal = get_update(incident, update)
    form = DeclineForm(request.POST, prefix=f"decline-{proposal.pk}")
    if not form.is_valid():
        messages.error(request, "Tell the poster why the proposal is declined.")
        return redirect(incident)
    try:
        proposal.decline(by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Declined the proposal from {proposal.proposed_by}.")
    return redirect(incident)


@login_required
def incident_correct(request, pk, update):
    """702.4.1 accuracy: a correction that links to and supersedes an update."""
    incident = get_incident_for_user(request, pk)
    incident.require_compiler(request.user, "correct its updates")
    original = get_update(incident, update)
    problem = _why_not_correctable(incident, original)
    if problem:
        messages.error(request, problem)
        return redirect(incident)
    spec = template_spec(original.template_id) if original.template_id else None
    if request.GET.get("template") == FREE_TEXT:
        spec = None
    if request.method == "POST":
        form = UpdateForm(request.POST, spec=spec)
        if form.is_valid():
            try:
                correction = original.correct(
                    by=request.user, equipment=equipment_for(request), **form.update_kwargs()
                )
            except ValidationError as exc:
                form.apply(exc)
            else:
                messages.success(
                    request,
                    f"Correction released as update {correction.number}; update "
                    f"{original.number} is marked corrected once it goes out.",
                )
                return redirect(incident)
    else:
        initial = {} if spec is None else original.fills
        form = UpdateForm(spec=spec, facts=initial)
        if spec is None:
            form.initial["body"] = original.body
    return render(
        request,
        "posting/incidents/correct.html",
        {"incident": incident, "original": original, "form": form, "spec": spec},
        status=400 if request.method == "POST" else 200,
    )


def _why_not_correctable(incident, update) -> str:
    if incident.is_closed:
        return "702.4.1: this incident is closed; it takes no more updates."
    if not update.is_out:
        return "Only an update that has gone out can be corrected."
    later = update.superseding()
    if later is not None:
        return f"Update {update.number} was already corrected by update {later.number}."
    return ""


# --- Running the incident ------------------------------------------------------------


@login_required
@require_POST
def incident_compilers(request, pk):
    incident = get_incident_for_user(request, pk)
    incident.require_authority(request.user, "appoint or remove the compilers of an incident")
    form = CompilerForm(request.POST, incident=incident)
    if not form.is_valid():
        return _board(request, incident, status=400, compiler_form=form)
    person = form.cleaned_data["person"]
    try:
        if form.removing:
            incident.remove_compiler(by=request.user, person=person)
            messages.success(request, f"{person} no longer compiles this incident.")
        else:
            incident.appoint_compiler(by=request.user, person=person)
            messages.success(request, f"{person} now compiles this incident (702.4.1).")
    except ValidationError as exc:
        _add_errors(form, exc)
        return _board(request, incident, status=400, compiler_form=form)
    return redirect(incident)


@login_required
@require_POST
def incident_settings(request, pk):
    incident = get_incident_for_user(request, pk)
    if not incident.may_be_run_by(request.user):
        raise PermissionDenied(
            "702.4.1: the Mayor's office, the designee or a compiler sets the status and cadence."
        )
    form = IncidentSettingsForm(request.POST)
    if not form.is_valid():
        return _board(request, incident, status=400, settings_form=form)
    try:
        incident.update_settings(
            by=request.user,
            status=form.cleaned_data["status"],
            cadence_minutes=form.cleaned_data["cadence_minutes"],
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return _board(request, incident, status=400, settings_form=form)
    messages.success(request, "Status and cadence saved.")
    return redirect(incident)


@login_required
def incident_close(request, pk):
    """Close with the closing message; once closed, revise a closing message that has not gone
    out (waiting for a supervisor, returned, rejected or withdrawn), and nothing else."""
    incident = get_incident_for_user(request, pk)
    incident.require_compiler(request.user, "close it, with the closing message")
    revising = incident.is_closed
    if revising and not incident.closing_may_be_revised():
        messages.info(request, "The closing message has gone out; the board is frozen.")
        return redirect(incident)
    offered = closing_templates(incident)
    spec = _chosen_spec(request, incident, offered, remember=False)
    form = CloseForm(request.POST or None, spec=spec, revising=revising)
    if request.method == "POST" and form.is_valid():
        action = incident.revise_closing if revising else incident.close
        try:
            closing = action(
                by=request.user, equipment=equipment_for(request), **form.closing_kwargs()
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _closed_message(closing, revising))
            return redirect(incident)
    closing = incident.closing_update() if revising else None
    return render(
        request,
        "posting/incidents/close.html",
        {
            "incident": incident,
            "form": form,
            "spec": spec,
            "offered": offered,
            "free_text": FREE_TEXT,
            "revising": revising,
            "closing": closing,
            "closing_note": _closing_note(closing) if closing else "",
        },
        status=400 if request.method == "POST" else 200,
    )


def _closed_message(closing, revising: bool) -> str:
    done = "Closing message revised." if revising else "Incident closed. The board is frozen."
    if closing.post.state in {PostState.PUBLISHING, PostState.PUBLISHED}:
        return (
            f"{done} The closing message conforms to the Mayor's guidelines and goes out now "
            "(702.3). The after-action timeline is archived (702.7), and again once every "
            "delivery has settled."
        )
    return (
        f"{done} The closing message (update {closing.number}) waits for a supervisor (702.3); "
        "you can still revise it here until it goes out."
    )


# --- After action ------------------------------------------------------------------------


@login_required
@require_GET
def incident_after_action(request, pk):
    incident = get_incident_for_user(request, pk)
    return render(
        request,
        "posting/incidents/after_action.html",
        {"incident": incident, "rows": after_action(incident)},
    )


@login_required
@require_GET
def incident_after_action_csv(request, pk):
    incident = get_incident_for_user(request, pk)
    response = HttpResponse(after_action_csv(incident), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="incident-{incident.pk}-after-action.csv"'
    )
    return response


# --- The public page on the city website (702.1.1, 702.5.1) ------------------------------


def website_updates(incident) -> list:
    """The incident's updates as published on the city website, newest first. Each carries
    `update`, `corrected_by` (the website publication of the correction that supersedes it)
    and `corrects` (the one it corrects), both None when there is none."""
    publications = list(
        Publication.objects.on_website()
        .filter(post__incident=incident)
        .select_related("post__incident_update")
        .prefetch_related(
            Prefetch(
                "post__incident_update__corrections",
                IncidentUpdate.objects.select_related("post").prefetch_related(
                    "post__publications"
                ),
            )
        )
        .order_by("-published_at")
    )
    by_update = {p.post.incident_update.pk: p for p in publications}
    for publication in publications:
        update = publication.update = publication.post.incident_update
        superseding = update.superseding()
        publication.corrected_by = by_update.get(superseding.pk) if superseding else None
        publication.corrects = by_update.get(update.corrects_id)
    return publications


def _public_incident(pk) -> tuple[Incident, list]:
    """An incident is public once an update of it is on the city website."""
    incident = get_object_or_404(Incident, pk=pk)
    publications = website_updates(incident)
    if not publications:
        raise Http404("No such incident.")
    return incident, publications


@require_GET
def incident_public(request, pk):
    incident, publications = _public_incident(pk)
    return render(
        request, "news/incident.html", {"incident": incident, "publications": publications}
    )


class IncidentFeed(NewsFeed):
    """Atom, one per incident: the news feed's entries, corrected ones marked as such."""

    def get_object(self, request, pk):
        return _public_incident(pk)

    def title(self, obj):
        return f"{settings.CITY_NAME}: {obj[0].title}"

    def subtitle(self, obj):
        return f"Every update on {obj[0].title} from the {settings.CITY_NAME}, newest first."

    def link(self, obj):
        return reverse("news:incident", args=[obj[0].pk])

    def items(self, obj):
        return obj[1]
