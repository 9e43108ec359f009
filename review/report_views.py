"""Reports of content (702.5): report, the supervisor's queue, remove or dismiss, investigate.

Every view loads the report through get_report_for_user(); the rules themselves are the
model's methods (review.oversight_models) and review.reports.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.equipment import equipment_for
from accounts.roles import Role
from posting.models import Post

from . import reports
from .oversight_models import ContentReport, Investigation
from .report_forms import (
    ConcernForm,
    DismissForm,
    InvestigationForm,
    LinkReportForm,
    RemoveForm,
)

REFUSED = (
    "702.5: a report is seen and decided by the supervisor it went to and by the Mayor's office."
)


def _may_see_queue(user) -> bool:
    return user.has_role(Role.SUPERVISOR) or user.has_role(Role.MAYORS_OFFICE)


def get_report_for_user(request, pk: int) -> ContentReport:
    report = get_object_or_404(
        ContentReport.objects.select_related(
            "post__author", "channel", "reported_by", "assigned_to", "decided_by"
        ),
        pk=pk,
    )
    if not report.may_be_seen_by(request.user):
        raise PermissionDenied(REFUSED)
    return report


def _filed(request, report) -> None:
    who = report.assigned_to or "the Mayor's office"
    messages.success(
        request,
        f"Reported (702.5). Report #{report.pk} went to {who}, who decides whether it is removed "
        "and investigates its cause. Thank you.",
    )


def _file(request, form, **target) -> ContentReport | None:
    """Run file_report with the form's words; its refusals become the form's errors."""
    try:
        return reports.file_report(
            by=request.user,
            concern=form.cleaned_data["concern"],
            reason=form.cleaned_data["reason"],
            **target,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def new(request):
    """Report something seen on a city channel by pasting its link."""
    form = LinkReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        report = _file(
            request,
            form,
            link=form.cleaned_data["link"],
            channel=form.cleaned_data["channel"],
        )
        if report is not None:
            _filed(request, report)
            return redirect("reports:mine")
    return render(
        request,
        "review/reports/new.html",
        {"form": form, "routing_rule": reports.ROUTING_RULE},
        status=400 if form.is_bound else 200,
    )


@login_required
def report_post(request, pk):
    """Report a post from its page."""
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    if not reports.may_report_post(request.user, post):
        raise PermissionDenied("You may not see this post.")
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        report = _file(request, form, post=post)
        if report is not None:
            _filed(request, report)
            return redirect("reports:mine")
    return render(
        request,
        "review/reports/new.html",
        {"form": form, "post": post, "routing_rule": reports.ROUTING_RULE},
        status=400 if form.is_bound else 200,
    )


@login_required
def mine(request):
    rows = ContentReport.objects.filter(reported_by=request.user).select_related(
        "post", "channel", "assigned_to"
    )
    return render(request, "review/reports/mine.html", {"reports": rows})


@login_required
def queue(request):
    if not _may_see_queue(request.user):
        raise PermissionDenied(REFUSED)
    visible = ContentReport.objects.visible_to(request.user).select_related(
        "post", "channel", "reported_by", "assigned_to"
    )
    published = Prefetch(
        "post__archive_records",
        queryset=reports.archived_records_for_queue(),
        to_attr="published_records",
    )
    waiting = visible.awaiting(request.user).prefetch_related(published, "investigation")
    done = visible.exclude(pk__in=waiting.values("pk")).prefetch_related("investigation")[:20]
    return render(
        request,
        "review/reports/queue.html",
        {
            "waiting": [(r, reports.queue_text(r)) for r in waiting],
            "done": done,
            "routing_rule": reports.ROUTING_RULE,
        },
    )


@login_required
def detail(request, pk):
    return _detail(request, get_report_for_user(request, pk))


def _detail(request, report, status=200, **forms):
    investigation = Investigation.objects.filter(report=report).first()
    if "investigation_form" not in forms:
        initial = {}
        if investigation is not None:
            initial = {
                name: getattr(investigation, name)
                for name in ("cause", "findings", "corrective_actions", "resolution")
            }
        forms["investigation_form"] = InvestigationForm(initial=initial)
    records = list(reports.archived_records(report))
    context = {
        "report": report,
        "records": [(record, reports.archived_text(record)) for record in records],
        "take_down": report.post.take_downs.first() if report.post_id else None,
        "publications": (
            report.post.publications.select_related("channel") if report.post_id else []
        ),
        "may_decide": report.may_be_decided_by(request.user),
        "investigation": investigation,
        "remove_form": forms.get("remove_form") or RemoveForm(),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "investigation_form": forms["investigation_form"],
        "routing_rule": reports.ROUTING_RULE,
    }
    return render(request, "review/reports/detail.html", context, status=status)


@login_required
@require_POST
def remove(request, pk):
    report = get_report_for_user(request, pk)
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            report.remove_from_public_view(
                by=request.user,
                reason=form.cleaned_data["reason"],
                equipment=equipment_for(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                "Removed from public view (702.5). The archive keeps the record. Now record "
                "the investigation of its cause.",
            )
            return redirect(report)
    return _detail(request, report, status=400, remove_form=form)


@login_required
@require_POST
def dismiss(request, pk):
    report = get_report_for_user(request, pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            report.dismiss(by=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Dismissed: the content stays up, with your reasons.")
            return redirect(report)
    return _detail(request, report, status=400, dismiss_form=form)


@login_required
@require_POST
def investigation(request, pk):
    report = get_report_for_user(request, pk)
    form = InvestigationForm(request.POST)
    close = "close" in request.POST
    if form.is_valid():
        try:
            Investigation.record(report=report, by=request.user, close=close, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                "Investigation closed and archived (702.5)."
                if close
                else "Investigation saved. Close it once the cause is established.",
            )
            return redirect(report)
    return _detail(request, report, status=400, investigation_form=form)
