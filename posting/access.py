"""The one place that decides whether a person may see or change a post."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import Role

from .models import Post

# People who oversee every post: supervisors review, the Mayor's office
# answers for the program, the City Clerk keeps its records.
OVERSIGHT_ROLES = (Role.SUPERVISOR, Role.MAYORS_OFFICE, Role.CITY_CLERK)


def may_view(user, post: Post) -> bool:
    """The author, oversight, and whoever may take the post down (the Mayor's designee, 702.5)."""
    return (
        post.author_id == user.pk
        or any(user.has_role(role) for role in OVERSIGHT_ROLES)
        or post.may_remove_content(user)
    )


def get_post_for_user(request, pk: int, *, edit: bool = False) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    if edit and post.author_id != request.user.pk:
        raise PermissionDenied("Only the author may edit this post.")
    if not may_view(request.user, post):
        raise PermissionDenied("You may not see this post.")
    return post
