"""Disposition in the browser (702.7): two years after a traffic advisory was taken down, the
City Clerk reviews the batch the system proposes, approves it, and gets the certificate of
destruction; the tombstone stays in the archive and the chain still verifies."""

import pytest
import time_machine
from django.utils import timezone

from posting import removal
from posting.models import Publication
from retention.models import ArchiveRecord, DispositionBatch, DispositionCertificate
from tests.conftest import axe_violations, sign_in
from tests.retention.conftest import PAST_RETENTION

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def taken_down(city, post):
    post.take_down(by=city.supervisor, reason="The road has reopened.")
    for publication in post.publications.filter(status=Publication.Status.REMOVING):
        removal.remove(publication.pk)
    return post


def test_the_clerk_approves_a_disposition_batch_and_gets_the_certificate(city, live_server, page):
    advisory = taken_down(city, city.published(title="Elm Street closed", category="traffic"))
    release = taken_down(city, city.published(title="Budget adopted", category="media_release"))
    base = live_server.url
    with time_machine.travel(timezone.now() + PAST_RETENTION, tick=True):
        sign_in(page, base, "clerk")
        page.get_by_role("link", name="Archive").first.click()
        page.get_by_role("link", name="Disposition").click()
        page.get_by_role("heading", name="Disposition of records", level=1).wait_for()
        page.get_by_role("button", name="Look for records due now").click()
        page.get_by_text("1 batch(es) proposed or added to.").wait_for()
        assert axe_violations(page) == []

        batch = DispositionBatch.objects.get()
        page.get_by_role("link", name=f"Batch {batch.pk}").click()
        batch_page = page.content()
        assert "Elm Street closed" in batch_page
        assert "Budget adopted" not in batch_page  # a media release: appraisal, never destroyed
        assert axe_violations(page) == []
        page.locator("#approve-form").get_by_label("Note (optional)").fill("Per CORE GS50-01-12.")
        page.get_by_role("button", name="Approve and destroy 3 records").click()

        certificate = DispositionCertificate.objects.get()
        page.get_by_role(
            "heading", name=f"Certificate of destruction of public records no. {certificate.pk}"
        ).wait_for()
        facts = page.locator("#certificate-facts").inner_text()
        assert "SOCIAL-POSTS: Social media posts: routine information" in facts
        assert "GS50-01-12" in facts
        assert "City Clerk" in facts
        assert axe_violations(page) == []

        tombstone = advisory.archive_records.get(kind=ArchiveRecord.Kind.PUBLISHED)
        page.get_by_role("link", name=str(tombstone.sequence), exact=True).click()
        page.get_by_text(f"certificate of destruction {certificate.pk}").wait_for()
        assert tombstone.digest in page.locator("#record-digest").inner_text()
        assert axe_violations(page) == []

        page.goto(f"{base}/archive/verify/")
        assert "The archive is intact" in page.content()
        assert (
            f"3 record(s) destroyed under certificate {certificate.pk}"
            in page.locator("#destroyed-records").inner_text()
        )
    assert not release.archive_records.destroyed().exists()


def test_the_mayors_office_reads_the_certificates_but_approves_nothing(city, live_server, page):
    taken_down(city, city.published(title="Elm Street closed", category="traffic"))
    base = live_server.url
    with time_machine.travel(timezone.now() + PAST_RETENTION, tick=True):
        from retention.disposition import propose_batches

        batch = propose_batches()[0]
        sign_in(page, base, "mayor")
        page.goto(f"{base}/archive/disposition/{batch.pk}/")
        page.get_by_role("heading", name=f"Disposition batch {batch.pk}").wait_for()
        assert page.get_by_role("button", name="Approve and destroy 3 records").count() == 0
        page.goto(f"{base}/archive/schedules/")
        assert "SOCIAL-STATEMENTS" in page.content()
        assert page.get_by_role("link", name="Add a series").count() == 0
        assert axe_violations(page) == []
    assert not ArchiveRecord.objects.destroyed().exists()
