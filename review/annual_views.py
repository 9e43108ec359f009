"""The annual review's pages (702.6): the Mayor's office appoints the reviewing supervisor;
the reviewer reads the figures, writes findings and signs off; the Mayor's office reads it and
downloads the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import Role

from .annual_charts import render_svg
from .annual_forms import AppointmentForm, FindingsForm
from .annual_models import AnnualReview
from .annual_pdf import render_pdf
from .annual_report import sections
from .annual_review import compute_figures


def _require_oversight(user) -> None:
    if not (user.has_role(Role.MAYORS_OFFICE) or user.has_role(Role.SUPERVISOR)):
        raise PermissionDenied(
            "702.6: the annual review is for the Mayor's office and the supervisor it appoints."
        )


def get_review_for_user(request, pk) -> AnnualReview:
    """The one place a review is loaded for a page: the reviewer or the Mayor's office."""
    review = get_object_or_404(
        AnnualReview.objects.select_related("reviewer", "appointed_by", "signed_off_by"), pk=pk
    )
    review.require_viewer(request.user)
    return review


def figures_of(review: AnnualReview) -> dict:
    """The signed figures, frozen; a draft's as they stand now."""
    if review.is_signed_off:
        return review.figures
    return compute_figures(review.period_start, review.period_end)


@login_required
def index(request, form=None):
    _require_oversight(request.user)
    reviews = AnnualReview.objects.visible_to(request.user).select_related(
        "reviewer", "appointed_by"
    )
    mayors_office = request.user.has_role(Role.MAYORS_OFFICE)
    if mayors_office and form is None:
        form = AppointmentForm(initial=_next_period())
    return render(
        request,
        "review/annual/index.html",
        {"reviews": reviews, "form": form, "now": timezone.now()},
        status=400 if form is not None and form.is_bound else 200,
    )


def _next_period() -> dict:
    """This calendar year, the natural period for a review "at least annually"."""
    today = timezone.localdate()
    return {
        "period_start": today.replace(month=1, day=1),
        "period_end": today.replace(month=12, day=31),
    }


@login_required
@require_POST
def appoint(request):
    if not request.user.has_role(Role.MAYORS_OFFICE):
        raise PermissionDenied("702.6: the Mayor's office appoints the reviewing supervisor.")
    form = AppointmentForm(request.POST)
    if not form.is_valid():
        return index(request, form=form)
    try:
        review = AnnualReview.appoint(by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return index(request, form=form)
    messages.success(
        request, f"{review.reviewer} is appointed to review {review.period_label} (702.6)."
    )
    return redirect(review)


@login_required
def detail(request, pk, form=None):
    review = get_review_for_user(request, pk)
    figures = figures_of(review)
    if form is None and review.may_write(request.user):
        form = FindingsForm(instance=review)
    report = sections(review, figures)
    for section in report:
        section.svgs = [(chart, render_svg(chart)) for chart in section.charts]
    return render(
        request,
        "review/annual/detail.html",
        {
            "review": review,
            "figures": figures,
            "sections": report,
            "form": form,
            "may_write": review.may_write(request.user),
            "computed_at": figures["computed_at"],
            "now": timezone.now(),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_POST
def findings(request, pk):
    review = get_review_for_user(request, pk)
    review.require_appointed(request.user, "write its findings")
    form = FindingsForm(request.POST, instance=AnnualReview.objects.get(pk=review.pk))
    if not form.is_valid():
        return detail(request, pk, form=form)
    data = form.cleaned_data
    try:
        review.write(by=request.user, **data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(review)
    messages.success(request, "Your findings are saved. Sign the review off when it is complete.")
    return redirect(f"{review.get_absolute_url()}#sign-off")


@login_required
@require_POST
def sign_off(request, pk):
    review = get_review_for_user(request, pk)
    review.require_appointed(request.user, "sign it off")
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            "Confirm that the review is complete: signing off freezes its figures and sends it "
            "to the Mayor's office.",
        )
        return redirect(f"{review.get_absolute_url()}#sign-off")
    try:
        review.sign_off(by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{review.get_absolute_url()}#sign-off")
    messages.success(
        request, "Signed off. The figures are frozen and the Mayor's office has been told."
    )
    return redirect(review)


@login_required
def pdf(request, pk):
    review = get_review_for_user(request, pk)
    content = render_pdf(review, figures_of(review))
    response = HttpResponse(content, content_type="application/pdf")
    draft = "" if review.is_signed_off else "-draft"
    name = f"social-media-review-{review.period_start:%Y-%m-%d}-to-{review.period_end:%Y-%m-%d}{draft}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
