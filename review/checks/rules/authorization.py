"""702.5(g): content that has not been properly authorized by this policy or a supervisor."""

from ..findings import Severity
from .base import register_rule

NOT_AUTHORIZED = register_rule(
    "702.5(g)/not-authorized",
    Severity.BLOCK,
    "The author is not authorized to post this category to the chosen channels",
)


def unauthorized_channels(author, channels, category: str) -> list:
    from accounts.permissions import can_publish
    from posting.models import Channel

    resolved = [c for c in channels if isinstance(c, Channel)]
    slugs = [c for c in channels if isinstance(c, str)]
    if slugs:
        resolved += list(Channel.objects.filter(slug__in=slugs))
    return [c for c in resolved if not can_publish(author, c, category=category)]


def category_label(category: str) -> str:
    from posting.models import Category

    return Category(category).label if category in Category.values else category
