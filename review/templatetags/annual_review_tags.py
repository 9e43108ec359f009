from django.template import Library
from django.utils import timezone

from accounts.roles import Role

from ..annual_models import AnnualReview

register = Library()


@register.filter
def overdue(review: AnnualReview, now=None) -> bool:
    return review.is_overdue(now)


@register.simple_tag(takes_context=True)
def annual_review_summary(context) -> dict | None:
    """What the dashboard shows of the annual review (702.6): the reviews the person was
    appointed to, and for the Mayor's office every open one and the last signed off; each
    open review says whether it is due soon or overdue."""
    user = context["request"].user
    mayors_office = user.has_role(Role.MAYORS_OFFICE)
    if not (mayors_office or user.has_role(Role.SUPERVISOR)):
        return None
    now = timezone.now()
    reviews = AnnualReview.objects.visible_to(user).select_related("reviewer")
    open_reviews = list(reviews.open().order_by("period_end"))
    if not open_reviews and not mayors_office and not reviews.exists():
        return None
    return {
        "open": [
            {"review": r, "overdue": r.is_overdue(now), "due": r.is_due(now)} for r in open_reviews
        ],
        "last_signed": reviews.signed_off().order_by("-period_end").first(),
        "mayors_office": mayors_office,
    }
