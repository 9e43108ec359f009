import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property

from accounts.roles import Role

from .archive import verify_chain
from .forms import ArchiveSearchForm
from .holds import reasons_blocking
from .models import ArchiveRecord, LegalHold
from .search import find_records

# 702.7: the City Clerk keeps the records; the Mayor's office and supervisors consult them.
READERS = (Role.CITY_CLERK, Role.MAYORS_OFFICE, Role.SUPERVISOR)


class CappedPaginator(Paginator):
    """Counts matches only up to `cap`: past it the page says "more than". Counting every
    record a common word matches in a million would make each search slow."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def _may_read(user, record=None) -> bool:
    if any(user.has_role(role) for role in READERS):
        return True
    return record is not None and record.post is not None and record.post.author_id == user.pk


@login_required
def archive_index(request):
    if not _may_read(request.user):
        raise PermissionDenied("702.7: the archive is kept by the City Clerk.")
    form = ArchiveSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        records = ArchiveRecord.objects.none()
    else:
        records = find_records(**(form.arguments() if form.is_bound else {}))
    page = CappedPaginator(records, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "retention/index.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "may_hold": LegalHold.may_manage(request.user),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def verify(request):
    if not _may_read(request.user):
        raise PermissionDenied("702.7: the archive is kept by the City Clerk.")
    return render(request, "retention/verify.html", {"report": verify_chain()})


@login_required
def record_detail(request, sequence):
    record = get_object_or_404(
        ArchiveRecord.objects.select_related("post", "channel", "certificate", "retention__series"),
        sequence=sequence,
    )
    if not _may_read(request.user, record):
        raise PermissionDenied("702.7: the archive is kept by the City Clerk.")
    keeper = request.user.has_role(Role.CITY_CLERK) or request.user.has_role(Role.MAYORS_OFFICE)
    return render(
        request,
        "retention/record.html",
        {
            "record": record,
            "retention": getattr(record, "retention", None),
            "blocked_by": reasons_blocking(record) if keeper else [],
            "keeper": keeper,
            "digest_ok": record.is_destroyed
            or (record.digest_matches() and record.content_matches()),
            "pretty": "" if record.is_destroyed else _pretty(record),
        },
    )


def _pretty(record) -> str:
    return json.dumps(json.loads(record.canonical), indent=2, ensure_ascii=False)
