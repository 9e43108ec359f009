import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.roles import Role

from .archive import verify_chain
from .models import ArchiveRecord

# 702.7: the City Clerk keeps the records; the Mayor's office and supervisors consult them.
READERS = (Role.CITY_CLERK, Role.MAYORS_OFFICE, Role.SUPERVISOR)


def _may_read(user, record=None) -> bool:
    if any(user.has_role(role) for role in READERS):
        return True
    return record is not None and record.post is not None and record.post.author_id == user.pk


@login_required
def archive_index(request):
    if not _may_read(request.user):
        raise PermissionDenied("702.7: the archive is kept by the City Clerk.")
    records = ArchiveRecord.objects.select_related("post", "channel").order_by("-sequence")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "retention/index.html", {"page": page})


@login_required
def verify(request):
    if not _may_read(request.user):
        raise PermissionDenied("702.7: the archive is kept by the City Clerk.")
    return render(request, "retention/verify.html", {"report": verify_chain()})


@login_required
def record_detail(request, sequence):
    record = get_object_or_404(
        ArchiveRecord.objects.select_related("post", "channel"), sequence=sequence
    )
    if not _may_read(request.user, record):
        raise PermissionDenied("702.7: the archive is kept by the City Clerk.")
    return render(
        request,
        "retention/record.html",
        {
            "record": record,
            "digest_ok": record.digest_matches() and record.content_matches(),
            "pretty": json.dumps(json.loads(record.canonical), indent=2, ensure_ascii=False),
        },
    )
