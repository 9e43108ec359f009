from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from posting.models import Channel, Incident, Post, PostState
from posting.views import run_action
from retention.models import ArchiveRecord

from .equipment import COOKIE, COOKIE_AGE, device_for_request, token_for
from .forms import (
    AuthorizationForm,
    DecisionReasonForm,
    DesignationForm,
    EnrollDeviceForm,
    EquipmentExceptionForm,
    OrgChartForm,
    RevokeForm,
)
from .models import Authorization, Designation, Device, EquipmentException, User
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
    # 702.4.1: the open incidents this person compiles, one click from their board.
    context["compiling"] = Incident.objects.open().filter(
        appointments__person=user, appointments__removed_at__isnull=True
    )
    if user.has_role(Role.SUPERVISOR) or user.has_role(Role.MAYORS_OFFICE):
        from review.oversight_models import ContentReport

        context["reports_waiting"] = ContentReport.objects.awaiting(user).select_related(
            "post", "channel"
        )[:10]
    if user.has_role(Role.SUPERVISOR):
        context["awaiting_review"] = (
            Post.objects.awaiting_review().exclude(author=user).select_related("author")[:10]
        )
    context["is_authorizer"] = is_authorizer(user)
    context["is_it"] = user.has_role(Role.IT)
    if context["is_authorizer"]:
        context["authorizations"] = (
            Authorization.objects.in_period()
            .select_related("user", "granted_by", "designation__designee")
            .prefetch_related("channels")
            .order_by("user__last_name", "-granted_at")[:15]
        )
    if user.has_role(Role.CITY_CLERK):
        context["recent_records"] = ArchiveRecord.objects.select_related("channel", "post")[:10]
    return render(request, "accounts/dashboard.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


# --- The authorization register (702.3) -------------------------------------

STATES = ["active", "expiring", "suspended", "pending", "revoked", "expired"]


def is_authorizer(user) -> bool:
    """The Mayor's office and current designees see and manage authorizations (702.3)."""
    return (
        user.has_role(Role.MAYORS_OFFICE)
        or Designation.objects.current().filter(designee=user).exists()
    )


def _require_authorizer(user) -> None:
    if not is_authorizer(user):
        raise PermissionDenied("702.3: the Mayor's office and its designees manage authorizations.")


@login_required
def authorization_list(request):
    _require_authorizer(request.user)
    authorizations = Authorization.objects.select_related(
        "user", "user__department", "granted_by", "designation__designee"
    ).prefetch_related("channels")
    state = request.GET.get("state", "")
    if state in STATES:
        authorizations = authorizations.in_state(state)
    channel = request.GET.get("channel", "")
    if channel.isdigit():
        authorizations = authorizations.filter(channels=channel)
    query = request.GET.get("q", "").strip()
    if query:
        authorizations = authorizations.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    return render(
        request,
        "accounts/authorization_list.html",
        {
            "authorizations": authorizations.order_by("user__last_name", "-granted_at"),
            "states": STATES,
            "state": state,
            "channels": Channel.objects.all(),
            "channel": channel,
            "q": query,
        },
    )


@login_required
def authorization_detail(request, pk):
    _require_authorizer(request.user)
    authorization = get_object_or_404(
        Authorization.objects.select_related("user", "granted_by", "revoked_by", "designation"),
        pk=pk,
    )
    form = RevokeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            request,
            authorization.revoke,
            "Authorization revoked.",
            reason=form.cleaned_data["reason"],
        )
    ):
        return redirect("accounts:authorization", pk=pk)
    return render(
        request,
        "accounts/authorization_detail.html",
        {"authorization": authorization, "form": form, "history": _history(authorization)},
    )


def _history(authorization):
    records = authorization.history.select_related("history_user").order_by("history_date")
    return [
        {
            "at": record.history_date,
            "who": record.history_user or "CitySocial",
            "what": {"+": "Granted", "~": "Changed", "-": "Deleted"}[record.history_type],
            "changes": [
                f"{change.field.replace('_', ' ')}: {change.old or '-'} → {change.new or '-'}"
                for change in (
                    record.diff_against(record.prev_record).changes if record.prev_record else []
                )
                if change.field != "channels"
            ],
        }
        for record in records
    ]


@login_required
def authorization_new(request):
    _require_authorizer(request.user)
    form = AuthorizationForm(request.POST or None, initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            authorization = Authorization.grant(
                user=data["user"],
                channels=data["channels"],
                categories=data["categories"],
                by=request.user,
                **form.period(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages_for(form, exc)
        else:
            messages.success(request, f"{authorization.user} is authorized (702.3).")
            return redirect("accounts:authorization", pk=authorization.pk)
    return render(
        request,
        "accounts/authorization_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def messages_for(form, exc) -> None:
    """Show a refused action's reasons at the top of the form; keep what was typed."""
    reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    for reason in reasons:
        form.add_error(None, reason)


# --- Designees of the Mayor (702.3) -----------------------------------------


def _require_mayors_office(user) -> None:
    if not user.has_role(Role.MAYORS_OFFICE):
        raise PermissionDenied("702.3: only the Mayor's office names designees.")


@login_required
def designation_list(request):
    _require_mayors_office(request.user)
    designations = Designation.objects.select_related("designee", "granted_by").prefetch_related(
        "departments", "channels"
    )
    return render(request, "accounts/designation_list.html", {"designations": designations})


@login_required
def designation_new(request):
    _require_mayors_office(request.user)
    form = DesignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            Designation.grant(
                designee=data["designee"],
                by=request.user,
                authority=data["authority"],
                departments=data["departments"],
                channels=data["channels"],
                **form.period(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages_for(form, exc)
        else:
            messages.success(
                request, f"{data['designee']} now acts for the Mayor within the scope."
            )
            return redirect("accounts:designations")
    return render(
        request,
        "accounts/designation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def designation_revoke(request, pk):
    _require_mayors_office(request.user)
    designation = get_object_or_404(Designation, pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        run_action(
            request, designation.revoke, "Designation revoked.", reason=form.cleaned_data["reason"]
        )
    else:
        messages.error(request, "Give a reason for the revocation.")
    return redirect("accounts:designations")


# --- City-approved equipment (702.3) -----------------------------------------


@login_required
def my_equipment(request):
    """Enroll this device, see what it is, and what exceptions you hold."""
    this_device = device_for_request(request)
    if this_device is not None and this_device.user_id != request.user.pk:
        this_device = None
    form = EnrollDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = Device.objects.create(
            user=request.user,
            name=form.cleaned_data["name"],
            asset_tag=form.cleaned_data["asset_tag"],
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        messages.success(
            request, "Enrollment requested. The Mayor's office or IT approves city equipment."
        )
        response = redirect("accounts:equipment")
        response.set_cookie(
            COOKIE,
            token_for(device),
            max_age=COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(
        request,
        "accounts/equipment.html",
        {
            "form": form,
            "this_device": this_device,
            "devices": request.user.devices.all(),
            "exceptions": request.user.equipment_exceptions.current().select_related("granted_by"),
        },
    )


def _require_equipment_approver(user) -> None:
    if not (user.has_role(Role.MAYORS_OFFICE) or user.has_role(Role.IT)):
        raise PermissionDenied("702.3: the Mayor's office or IT approves city equipment.")


@login_required
def equipment_register(request):
    _require_equipment_approver(request.user)
    devices = Device.objects.select_related("user", "decided_by").order_by(
        "status", "-requested_at"
    )
    return render(request, "accounts/equipment_register.html", {"devices": devices})


@login_required
@require_POST
def equipment_decide(request, pk, decision):
    _require_equipment_approver(request.user)
    device = get_object_or_404(Device, pk=pk)
    form = DecisionReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions = {"approve": device.approve, "decline": device.decline, "revoke": device.revoke}
    if decision not in actions:
        raise Http404("No such decision.")
    run_action(request, actions[decision], f"{device.name}: {decision} recorded.", reason=reason)
    return redirect("accounts:equipment_register")


@login_required
def equipment_exceptions(request):
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied("702.3: supervisors grant exceptions to city equipment.")
    form = EquipmentExceptionForm(request.POST or None, supervisor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            EquipmentException.grant(
                employee=form.cleaned_data["employee"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                valid_until=form.ends_at(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages_for(form, exc)
        else:
            messages.success(request, "Exception granted.")
            return redirect("accounts:equipment_exceptions")
    granted = EquipmentException.objects.filter(granted_by=request.user).select_related("employee")
    return render(
        request,
        "accounts/equipment_exceptions.html",
        {"form": form, "granted": granted},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def equipment_exception_end(request, pk):
    exception = get_object_or_404(EquipmentException, pk=pk)
    run_action(
        request,
        exception.revoke,
        "Exception ended.",
        reason=request.POST.get("reason", "").strip() or "Ended by the supervisor.",
    )
    return redirect("accounts:equipment_exceptions")


# --- The org chart (routes posting requests, 702.3) ---------------------------


@login_required
def org_chart(request):
    _require_mayors_office_or_admin(request.user)
    people = (
        User.objects.filter(is_active=True)
        .select_related("department", "supervisor")
        .prefetch_related("groups")
    )
    return render(
        request,
        "accounts/org_chart.html",
        {"people": people.order_by("department__name", "last_name")},
    )


@login_required
def org_chart_edit(request, pk):
    _require_mayors_office_or_admin(request.user)
    person = get_object_or_404(User, pk=pk)
    form = OrgChartForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Org chart updated for {person}.")
        return redirect("accounts:org_chart")
    return render(
        request,
        "accounts/org_chart_edit.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def _require_mayors_office_or_admin(user) -> None:
    if not (user.has_role(Role.MAYORS_OFFICE) or user.is_superuser):
        raise PermissionDenied("The org chart is kept by the Mayor's office.")


@login_required
def permission_table(request):
    _require_authorizer(request.user)
    from .permission_table import ROLES, TABLE

    rows = [(rule, [rule.allows(role) for role in ROLES]) for rule in TABLE]
    return render(request, "accounts/permission_table.html", {"roles": ROLES, "rows": rows})
