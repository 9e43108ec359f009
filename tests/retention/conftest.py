"""Helpers shared by the public records tests."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

# Past the two years of CORE GS50-01-12, and a day more.
PAST_RETENTION = timedelta(days=2 * 366 + 1)


@pytest.fixture
def publish(city):
    """A post published on the city website, approved by `approver` (a supervisor by default)."""
    from posting.platforms import PublishResult
    from posting.publishing import record_success

    def publish(*, approver=None, **kwargs):
        post = city.submitted(channels=[city.website], **kwargs)
        city.approve(post, by=approver)
        publication = post.publications.get()
        result = PublishResult(f"news-{post.pk}", f"http://127.0.0.1/news/{post.pk}/", {})
        record_success(publication, result)
        post.settle()
        return post

    return publish


@pytest.fixture
def take_down(city):
    """702.5: a supervisor takes the post down, and the worker removes it from each channel."""
    from posting import removal
    from posting.models import Publication

    def take_down(post, reason="Out of date: the road has reopened."):
        post.take_down(by=city.supervisor, reason=reason)
        for publication in post.publications.filter(status=Publication.Status.REMOVING):
            removal.remove(publication.pk)
        return post

    return take_down


def years_later(moment=None):
    """Travel to when records taken down now are past their retention."""
    return time_machine.travel((moment or timezone.now()) + PAST_RETENTION, tick=False)


def tamper(statement, params):
    """Change an archive row as the database's owner could, past the trigger (the test's
    transaction rolls it all back)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE retention_archiverecord "
                "DISABLE TRIGGER retention_archive_no_update_or_delete"
            )
        cursor.execute(statement, params)
