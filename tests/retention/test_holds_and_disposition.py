"""702.7: records are destroyed on schedule, only with the City Clerk's approval, never while a
legal hold (or an open public records request) covers them, and never any other way.

A destroyed record leaves its tombstone (number, dates, digest, link) in the archive's chain,
and a certificate of destruction is kept permanently.
"""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.html import escape

from retention import holds
from retention.archive import verify_chain
from retention.disposition import propose_batches
from retention.models import (
    ArchiveIsImmutable,
    ArchiveRecord,
    DispositionBatch,
    DispositionCertificate,
    LegalHold,
)
from tests.retention.conftest import tamper, years_later

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_traffic_post(publish, take_down):
    """A traffic advisory published, then taken down: CORE GS50-01-12, then destroy."""
    return take_down(publish(title="Main Street closed", category="traffic"))


def proposed_batch():
    batches = propose_batches()
    assert len(batches) == 1
    return batches[0]


def record_numbers(queryset):
    return sorted(queryset.values_list("sequence", flat=True))


# --- What is proposed --------------------------------------------------------------------------
def test_records_past_their_retention_are_proposed_and_nothing_is_destroyed_yet(
    old_traffic_post,
):
    assert propose_batches() == []  # taken down today: two years to go
    with years_later():
        batch = proposed_batch()
    assert batch.series.code == "SOCIAL-POSTS"
    assert record_numbers(batch.records) == record_numbers(old_traffic_post.archive_records)
    assert not ArchiveRecord.objects.destroyed().exists()


def test_a_post_still_up_is_never_proposed(publish):
    publish(category="traffic")
    with years_later(), years_later():
        assert propose_batches() == []


def test_announcements_and_media_releases_go_to_the_state_archives_not_to_destruction(
    publish, take_down
):
    take_down(publish(category="media_release"))
    with years_later():
        assert propose_batches() == []


def test_proposing_again_adds_nothing_twice(old_traffic_post):
    with years_later():
        batch = proposed_batch()
        assert propose_batches() == []
    assert batch.records.count() == 3


# --- Approval ----------------------------------------------------------------------------------
def test_the_clerk_approves_a_batch_the_content_is_destroyed_and_the_tombstones_remain(
    city, old_traffic_post, capsys
):
    records = list(old_traffic_post.archive_records.order_by("sequence"))
    with years_later():
        batch = proposed_batch()
        certificate = batch.approve(by=city.clerk)
    for before in records:
        after = ArchiveRecord.objects.get(pk=before.pk)
        assert (after.payload, after.canonical) == ({}, "")
        assert (after.sequence, after.kind, after.recorded_at) == (
            before.sequence,
            before.kind,
            before.recorded_at,
        )
        assert (after.digest, after.previous_digest) == (before.digest, before.previous_digest)
        assert after.certificate == certificate
        assert after.retention.series.code == "SOCIAL-POSTS"

    assert certificate.series_title == "Social media posts: routine information"
    assert "GS50-01-12" in certificate.authority
    assert certificate.retention == "2 years after the post is taken down, then destroy"
    assert certificate.approved_by == city.clerk
    assert certificate.record_count == 3
    assert [(e.sequence, e.digest) for e in certificate.entries.all()] == [
        (r.sequence, r.digest) for r in records
    ]
    assert (certificate.earliest_recorded_at, certificate.latest_recorded_at) == (
        records[0].recorded_at,
        records[-1].recorded_at,
    )
    # The certificate is itself a record of the archive, in the chain.
    captured = certificate.archive_record()
    assert captured.payload["certificate"]["records"][0]["digest"] == records[0].digest
    assert captured.retention.series.code == "RECORDS-CUSTODY"

    report = verify_chain()
    assert report.intact
    assert report.destroyed == {certificate.pk: [records[0].sequence, records[-1].sequence, 3]}
    call_command("verify_archive")
    out = capsys.readouterr().out
    assert f"3 record(s) destroyed under certificate {certificate.pk}" in out
    assert "Archive intact" in out


def test_a_declined_batch_destroys_nothing(city, old_traffic_post):
    with years_later():
        batch = proposed_batch()
    batch.decline(by=city.clerk, note="The council asked to keep these a while.")
    batch.refresh_from_db()
    assert batch.status == DispositionBatch.Status.DECLINED
    assert not ArchiveRecord.objects.destroyed().exists()
    with pytest.raises(ValidationError, match="already decided"):
        batch.approve(by=city.clerk)


@pytest.mark.parametrize("who", ["mayor", "designee", "supervisor", "poster", "staff", "it"])
def test_only_the_clerk_may_approve_disposition(city, client, old_traffic_post, who):
    with years_later():
        batch = proposed_batch()
        with pytest.raises(PermissionDenied):
            batch.approve(by=city.people[who])
        city.sign_in_client(client, who)
        assert client.post(reverse("retention:batch_approve", args=[batch.pk])).status_code == 403
        assert client.post(reverse("retention:batch_decline", args=[batch.pk])).status_code == 403
    assert not ArchiveRecord.objects.destroyed().exists()
    assert not DispositionCertificate.objects.exists()


def test_the_clerk_approves_on_the_batch_page(city, client, old_traffic_post):
    with years_later():
        batch = proposed_batch()
        city.sign_in_client(client, "clerk")
        page = client.get(reverse("retention:batch", args=[batch.pk])).content.decode()
        assert "Approve and destroy 3 records" in page
        response = client.post(reverse("retention:batch_approve", args=[batch.pk]))
    certificate = DispositionCertificate.objects.get()
    assert response.url == certificate.get_absolute_url()


def test_the_mayors_office_sees_batches_but_no_approve_button(city, client, old_traffic_post):
    with years_later():
        batch = proposed_batch()
        city.sign_in_client(client, "mayor")
        page = client.get(reverse("retention:batch", args=[batch.pk])).content.decode()
    assert "Main Street closed" in page
    assert "Approve and destroy" not in page


# --- Legal holds -------------------------------------------------------------------------------
def test_a_legal_hold_by_search_blocks_disposition_until_released(city, old_traffic_post):
    hold = LegalHold.place(
        by=city.clerk,
        matter="Okafor v. City of Riverton",
        reason="Claim about the Main Street closure.",
        query={"words": "Main Street", "category": "traffic"},
    )
    record = old_traffic_post.archive_records.get(kind="published")
    assert holds.is_blocked(record)
    assert holds.reasons_blocking(record) == ["Legal hold: Okafor v. City of Riverton"]
    with years_later():
        assert propose_batches() == []
        hold.release(by=city.clerk, note="Settled.")
        assert not holds.is_blocked(record)
        assert proposed_batch().records.count() == 3


def test_a_hold_on_hand_picked_records_blocks_only_those(city, old_traffic_post):
    published = old_traffic_post.archive_records.get(kind="published")
    LegalHold.place(by=city.clerk, matter="Doe", reason="Named in a claim.", records=[published])
    assert list(ArchiveRecord.objects.blocked()) == [published]
    with years_later():
        batch = proposed_batch()
    assert published not in batch.records.all()
    assert batch.records.count() == 2


def test_a_hold_placed_after_the_proposal_keeps_its_records_at_approval(city, old_traffic_post):
    published = old_traffic_post.archive_records.get(kind="published")
    with years_later():
        batch = proposed_batch()
        LegalHold.place(by=city.clerk, matter="Doe", reason="A claim.", records=[published])
        certificate = batch.approve(by=city.clerk)
    published.refresh_from_db()
    assert not published.is_destroyed
    assert certificate.record_count == 2
    batch.refresh_from_db()
    assert batch.left_out == [{"sequence": published.sequence, "why": "Legal hold: Doe"}]


def test_approval_destroys_nothing_when_everything_is_held_since(city, old_traffic_post):
    with years_later():
        batch = proposed_batch()
        LegalHold.place(by=city.clerk, matter="Doe", reason="A claim.", query={"kind": "removed"})
        LegalHold.place(by=city.clerk, matter="Roe", reason="A claim.", query={"words": "Main"})
        with pytest.raises(ValidationError, match="Nothing in this batch may be destroyed now"):
            batch.approve(by=city.clerk)
    batch.refresh_from_db()
    assert batch.is_proposed
    assert not DispositionCertificate.objects.exists()


def test_another_app_blocks_disposition_by_registering_a_blocker(city, old_traffic_post):
    """How an open public records request keeps its records (the records app registers it)."""
    removed = old_traffic_post.archive_records.get(kind="removed")
    holds.register_blocker(
        "test_open_request",
        records=lambda: ArchiveRecord.objects.filter(pk=removed.pk),
        reasons=lambda record: ["Public records request 7 (open)"] if record == removed else [],
    )
    try:
        assert holds.reasons_blocking(removed) == ["Public records request 7 (open)"]
        with years_later():
            assert removed not in proposed_batch().records.all()
    finally:
        holds._blockers.pop("test_open_request")


@pytest.mark.parametrize("who", ["mayor", "supervisor", "poster"])
def test_only_the_clerk_places_and_releases_holds(city, client, who):
    with pytest.raises(PermissionDenied):
        LegalHold.place(by=city.people[who], matter="Doe", reason="x", query={"words": "x"})
    hold = LegalHold.place(by=city.clerk, matter="Doe", reason="A claim.", query={"words": "x"})
    with pytest.raises(PermissionDenied):
        hold.release(by=city.people[who], note="Done.")
    city.sign_in_client(client, who)
    assert client.post(reverse("retention:hold_new"), {"matter": "Roe"}).status_code == 403
    release = reverse("retention:hold_release", args=[hold.pk])
    assert client.post(release, {"note": "Done."}).status_code == 403
    assert LegalHold.objects.active().count() == 1


def test_a_hold_needs_a_matter_a_reason_and_a_scope(city, client):
    city.sign_in_client(client, "clerk")
    response = client.post(
        reverse("retention:hold_new"), {"matter": "Doe v. City", "reason": "A claim."}
    )
    assert response.status_code == 400
    assert (
        "Give at least one search term, or pick the records to hold." in response.content.decode()
    )
    response = client.post(
        reverse("retention:hold_new"),
        {"matter": "Doe v. City", "reason": "A claim.", "record_numbers": "5-x"},
    )
    assert "is not a record number or a range like 20-25" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_the_clerk_places_a_hold_from_the_archive_search(city, client, old_traffic_post):
    city.sign_in_client(client, "clerk")
    search = client.get(reverse("retention:index"), {"words": "Main", "category": "traffic"})
    assert "Place a legal hold on these records" in search.content.decode()
    form = client.get(reverse("retention:hold_new"), {"words": "Main", "category": "traffic"})
    assert 'value="Main"' in form.content.decode()
    response = client.post(
        reverse("retention:hold_new"),
        {"matter": "Doe v. City", "reason": "A claim.", "words": "Main", "category": "traffic"},
    )
    hold = LegalHold.objects.get()
    assert response.url == hold.get_absolute_url()
    assert hold.query == {"words": "Main", "category": "traffic"}
    assert hold.query_label() == "words “Main”; category 702.4(f) Traffic information"
    assert hold.covered_records().count() == 3
    assert "Records it covers (3)" in client.get(response.url).content.decode()


# --- Certificates ------------------------------------------------------------------------------
def test_the_certificate_is_exportable_as_csv_and_printable(city, client, old_traffic_post):
    with years_later():
        certificate = proposed_batch().approve(by=city.clerk)
    city.sign_in_client(client, "mayor")
    response = client.get(reverse("retention:certificate_csv", args=[certificate.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(int(r["record_sequence"]), r["final_digest_sha256"]) for r in rows] == [
        (e.sequence, e.digest) for e in certificate.entries.all()
    ]
    assert {r["approved_by"] for r in rows} == {city.clerk.get_full_name()}
    assert {r["authority"] for r in rows} == {certificate.authority}
    page = client.get(reverse("retention:certificate", args=[certificate.pk])).content.decode()
    assert f"Certificate of destruction of public records no. {certificate.pk}" in page
    assert escape(certificate.method) in page


def test_a_certificate_is_never_changed_or_deleted(city, old_traffic_post):
    with years_later():
        certificate = proposed_batch().approve(by=city.clerk)
    certificate.record_count = 0
    with pytest.raises(ArchiveIsImmutable):
        certificate.save()
    with pytest.raises(ArchiveIsImmutable):
        certificate.delete()
    with pytest.raises(ArchiveIsImmutable):
        DispositionCertificate.objects.all().delete()
    with pytest.raises(ArchiveIsImmutable):
        certificate.entries.update(digest="0" * 64)


# --- Nothing is destroyed any other way --------------------------------------------------------
def test_records_are_never_changed_or_deleted_through_the_orm(old_traffic_post):
    record = old_traffic_post.archive_records.first()
    with pytest.raises(ArchiveIsImmutable):
        ArchiveRecord.objects.filter(pk=record.pk).update(payload={}, canonical="")
    with pytest.raises(ArchiveIsImmutable):
        record.delete()
    record.payload = {}
    with pytest.raises(ArchiveIsImmutable):
        record.save()


def test_a_record_is_erased_only_under_a_certificate_that_lists_it(city, publish, take_down):
    first = take_down(publish(title="First", category="traffic"))
    with years_later():
        certificate = proposed_batch().approve(by=city.clerk)
    other = take_down(publish(title="Second", category="traffic")).archive_records.first()
    with pytest.raises(ArchiveIsImmutable, match="only under a certificate that lists it"):
        ArchiveRecord.objects.filter(pk=other.pk)._erase_under(certificate)
    destroyed = first.archive_records.first()
    with pytest.raises(ArchiveIsImmutable):
        ArchiveRecord.objects.filter(pk=destroyed.pk)._erase_under(certificate)  # only once


def test_the_admin_changes_and_deletes_nothing(admin_client, city, old_traffic_post):
    with years_later():
        certificate = proposed_batch().approve(by=city.clerk)
    record = ArchiveRecord.objects.kept().first()
    for name, pk in [
        ("archiverecord", record.pk),
        ("dispositioncertificate", certificate.pk),
        ("retentionseries", certificate.series_id),
    ]:
        change = reverse(f"admin:retention_{name}_change", args=[pk])
        assert admin_client.get(change).status_code == 200
        assert admin_client.post(change, {"payload": "{}"}).status_code == 403
        delete = reverse(f"admin:retention_{name}_delete", args=[pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:retention_archiverecord_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    assert ArchiveRecord.objects.filter(pk=record.pk, certificate=None).exists()
    assert record.payload == ArchiveRecord.objects.get(pk=record.pk).payload


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger that guards archive rows exists only on PostgreSQL; "
    "on SQLite the model code alone refuses (tested above)",
)
def test_postgresql_refuses_any_change_but_erasure_under_a_certificate(city, publish, take_down):
    first = take_down(publish(title="First", category="traffic"))
    with years_later():
        certificate = proposed_batch().approve(by=city.clerk)
    kept = take_down(publish(title="Second", category="traffic")).archive_records.first()
    destroyed = first.archive_records.first()
    refused = [
        ("UPDATE retention_archiverecord SET canonical = 'x' WHERE id = %s", [kept.pk]),
        ("DELETE FROM retention_archiverecord WHERE id = %s", [kept.pk]),
        ("DELETE FROM retention_archiverecord WHERE id = %s", [destroyed.pk]),
        # Erasing a record its certificate does not list:
        (
            "UPDATE retention_archiverecord SET payload = '{}', canonical = '', "
            "certificate_id = %s WHERE id = %s",
            [certificate.pk, kept.pk],
        ),
        # Changing a tombstone's digest, or anything else of it:
        ("UPDATE retention_archiverecord SET digest = %s WHERE id = %s", ["0" * 64, destroyed.pk]),
        ("UPDATE retention_archiverecord SET certificate_id = NULL WHERE id = %s", [destroyed.pk]),
    ]
    for statement, params in refused:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, params)
    assert verify_chain().intact


# --- The chain ---------------------------------------------------------------------------------
def test_a_broken_chain_is_named_even_past_tombstones(city, publish, take_down):
    take_down(publish(title="First", category="traffic"))
    with years_later():
        proposed_batch().approve(by=city.clerk)
    later = publish(title="Second", category="traffic").archive_records.get()
    tamper(
        "UPDATE retention_archiverecord SET canonical = REPLACE(canonical, 'Second', 'Other') "
        "WHERE id = %s",
        [later.pk],
    )
    report = verify_chain()
    assert (report.broken_at, report.problem) == (
        later.sequence,
        "its content does not match its digest",
    )


@pytest.mark.parametrize(
    "change, problem",
    [
        ('payload = \'{"text": "put back"}\'', "it is marked destroyed but still holds content"),
        ("digest = REPEAT('0', 64)", "its digest differs from the one certificate {n} recorded"),
    ],
)
def test_a_tampered_tombstone_is_named(city, old_traffic_post, change, problem):
    with years_later():
        certificate = proposed_batch().approve(by=city.clerk)
    tombstone = certificate.entries.first()
    tamper(f"UPDATE retention_archiverecord SET {change} WHERE id = %s", [tombstone.record_id])
    report = verify_chain()
    assert (report.broken_at, report.problem) == (
        tombstone.sequence,
        problem.format(n=certificate.pk),
    )


def test_the_certificates_dates_are_those_of_the_records_it_destroyed(city, old_traffic_post):
    published, captured, removed = old_traffic_post.archive_records.order_by("sequence")
    assert published.recorded_at < captured.recorded_at <= removed.recorded_at
    with years_later():
        batch = proposed_batch()
        LegalHold.place(by=city.clerk, matter="Doe", reason="A claim.", records=[published])
        certificate = batch.approve(by=city.clerk)
    assert sorted(certificate.destroyed_records.values_list("sequence", flat=True)) == [
        captured.sequence,
        removed.sequence,
    ]
    # The record held since the proposal is older: it is not in the certified range.
    assert (certificate.earliest_recorded_at, certificate.latest_recorded_at) == (
        captured.recorded_at,
        removed.recorded_at,
    )
    dates = certificate.archive_record().payload["certificate"]["date_range"]
    assert dates == {
        "from": captured.recorded_at.isoformat(),
        "to": removed.recorded_at.isoformat(),
    }


# --- A certificate vouches for a tombstone only from the chain ---------------------------------
@pytest.mark.parametrize("chained", [False, True], ids=["not_in_the_chain", "chained_unlisted"])
def test_a_record_erased_under_a_forged_certificate_is_named(city, publish, take_down, chained):
    """A certificate's row and entries are rows any writer of certificates could insert; what
    vouches for a tombstone is the certificate's own record, hashed into the chain when it was
    issued, listing the record with its digest."""
    from django.utils import timezone

    from retention.archive import append
    from retention.models import CertificateEntry

    record = take_down(publish(title="Main Street closed", category="traffic")).archive_records.get(
        kind="published"
    )
    series = record.retention.series
    forged = DispositionCertificate.objects.create(
        batch=DispositionBatch.objects.create(series=series),
        series=series,
        series_code=series.code,
        series_title=series.title,
        authority=series.authority,
        retention=series.retention_label,
        record_count=1,
        earliest_recorded_at=record.recorded_at,
        latest_recorded_at=record.recorded_at,
        approved_by=city.clerk,
        approved_at=timezone.now(),
    )
    CertificateEntry.objects.create(
        certificate=forged,
        record=record,
        sequence=record.sequence,
        kind=record.kind,
        recorded_at=record.recorded_at,
        digest=record.digest,
    )
    if chained:
        claim = append(kind="disposition", payload={"certificate": {"number": forged.pk}})
        problem = (
            f"certificate {forged.pk}'s own record in the chain (record {claim.sequence}) does "
            "not list it with its digest"
        )
    else:
        problem = (
            f"it is marked destroyed under certificate {forged.pk}, which has no record of its "
            "own in the archive's chain"
        )
    ArchiveRecord.objects.filter(pk=record.pk)._erase_under(forged)
    report = verify_chain()
    assert (report.broken_at, report.problem) == (record.sequence, problem)
    with pytest.raises(CommandError, match=f"broken at record {record.sequence}: .*{forged.pk}"):
        call_command("verify_archive")
