"""702.7: the City Clerk's log of public records requests, with the fields Washington's RCW
40.14.026(4) and RCW 42.56 ask for, a statutory due date in business days, a reminder, and
the records a request covers kept from disposition until it is closed."""

import csv
import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from records.blockers import records_blocked_by_open_requests
from records.models import CustodyEntry, ExportJob, RecordsRequest
from records.tasks import run_export, send_request_reminders
from retention.archive import verify_chain
from retention.holds import reasons_blocking
from retention.models import ArchiveRecord

from .conftest import unzip

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 3, 5)
SATURDAY = datetime.date(2026, 3, 7)


def noon(day: datetime.date):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def log(city, received_on=THURSDAY, scope=None, **kwargs):
    values = {
        "requester_name": "Riley Reporter",
        "requester_contact": "riley@news.example",
        "text": "Every post about the library since January.",
    }
    values.update(kwargs)
    with time_machine.travel(noon(max(received_on, THURSDAY)), tick=False):
        return RecordsRequest.log(
            by=city.clerk,
            received_on=received_on,
            scope=scope or {"words": "library"},
            **values,
        )


# --- The statutory due date --------------------------------------------------------------


def test_the_response_is_due_five_business_days_after_receipt_skipping_the_weekend(city):
    request = log(city, received_on=THURSDAY)
    assert request.due_on == datetime.date(2026, 3, 12)  # Fri, Mon, Tue, Wed, Thu
    assert request.business_days == 5


def test_a_request_received_on_a_saturday_counts_from_monday(city):
    assert log(city, received_on=SATURDAY).due_on == datetime.date(2026, 3, 13)


def test_city_holidays_do_not_count(city, settings):
    settings.RECORDS_HOLIDAYS = [datetime.date(2026, 3, 9), "2026-03-10"]
    assert log(city, received_on=THURSDAY).due_on == datetime.date(2026, 3, 16)


def test_the_number_of_business_days_is_the_citys_setting(city, settings):
    settings.RECORDS_REQUEST_BUSINESS_DAYS = 3
    request = log(city, received_on=THURSDAY)
    assert (request.due_on, request.business_days) == (datetime.date(2026, 3, 10), 3)


def test_a_request_cannot_be_received_in_the_future(city):
    with time_machine.travel(noon(THURSDAY), tick=False), pytest.raises(ValidationError):
        RecordsRequest.log(
            by=city.clerk,
            requester_name="Riley",
            requester_contact="riley@news.example",
            received_on=THURSDAY + datetime.timedelta(days=1),
            text="Posts",
            scope={"words": "library"},
        )
    assert not RecordsRequest.objects.exists()


# --- The reminder ------------------------------------------------------------------------


def test_the_clerk_is_reminded_one_business_day_before_the_due_date_once(city):
    request = log(city, received_on=THURSDAY)  # due Thursday the 12th
    with time_machine.travel(noon(datetime.date(2026, 3, 10)), tick=False):
        assert send_request_reminders() == 0
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        assert send_request_reminders() == 1
        assert send_request_reminders() == 0
    (message,) = mail.outbox
    assert message.to == ["clerk@riverton.example"]
    assert (
        message.subject == f"Public records request {request.reference} is due Thursday, March 12"
    )
    assert "Riley Reporter" in message.body
    assert f"/records/requests/{request.pk}/" in message.body


def test_a_closed_request_needs_no_reminder(city):
    request = log(city, received_on=THURSDAY)
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        request.close(by=city.clerk, disposition="no_records")
        assert send_request_reminders() == 0
    assert mail.outbox == []


def closed_port() -> int:
    """A port on this machine where no mail server listens: connecting is refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_reminder_that_could_not_be_sent_is_sent_on_the_next_run(city, settings):
    request = log(city, received_on=THURSDAY)  # due Thursday the 12th
    clerk_address = city.clerk.email
    wednesday = noon(datetime.date(2026, 3, 11))
    # No City Clerk has an address: nothing is sent, and nothing says it was.
    type(city.clerk).objects.filter(pk=city.clerk.pk).update(email="")
    with time_machine.travel(wednesday, tick=False):
        assert send_request_reminders() == 0
    request.refresh_from_db()
    assert request.reminder_sent_at is None
    # The address is back, but the city's mail server is down.
    type(city.clerk).objects.filter(pk=city.clerk.pk).update(email=clerk_address)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    with time_machine.travel(wednesday, tick=False):
        assert send_request_reminders() == 0
    request.refresh_from_db()
    assert request.reminder_sent_at is None
    # The server is up again: the reminder goes, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(wednesday, tick=False):
        assert send_request_reminders() == 1
        assert send_request_reminders() == 0
    (message,) = mail.outbox
    assert message.to == [clerk_address]
    request.refresh_from_db()
    assert request.reminder_sent_at == wednesday


# --- Records it covers are kept from disposition --------------------------------------


@pytest.fixture
def library_and_pool(city):
    library = city.published(title="Library hours", body="The library opens at nine.")
    pool = city.published(title="Pool closed", body="The pool is closed for repairs.")
    return library.archive_records.get(), pool.archive_records.get()


def test_an_open_request_blocks_disposition_of_the_records_it_covers(city, library_and_pool):
    library, pool = library_and_pool
    request = log(city, scope={"words": "library"})
    later = city.published(title="Library again", body="The library closes at six.")
    blocked = set(records_blocked_by_open_requests())
    assert library in blocked
    assert pool not in blocked
    assert later.archive_records.get() not in blocked  # made after the request was logged
    # Disposition counts it through the blockers retention registers.
    assert library in ArchiveRecord.objects.blocked()
    assert reasons_blocking(library) == [
        f"Public records request {request.reference} from Riley Reporter "
        "(open; response due Mar 12, 2026)"
    ]


def test_a_request_covers_every_record_of_a_post_it_matches_as_a_hold_does(city):
    """A post's versions, its take-down and what the platform showed are one file: a request
    whose words match the post covers the record of its take-down too, which does not repeat
    them."""
    from posting import removal
    from posting.models import Publication
    from retention.search import find_records

    library = city.published(title="Library hours", body="The library opens at nine.")
    library.take_down(by=city.supervisor, reason="Out of date: the hours changed.")
    for publication in library.publications.filter(status=Publication.Status.REMOVING):
        removal.remove(publication.pk)
    removed = library.archive_records.get(kind="removed")
    assert removed not in find_records(words="library")
    city.published(title="Pool closed", body="The pool is closed for repairs.")
    request = log(city, scope={"words": "library"})
    assert set(request.covered_records()) == set(library.archive_records.all())
    assert len(set(request.covered_records())) == 3
    assert removed in records_blocked_by_open_requests()
    assert reasons_blocking(removed) == [
        f"Public records request {request.reference} from Riley Reporter "
        "(open; response due Mar 12, 2026)"
    ]


def test_a_request_must_say_which_records_it_covers(city, client):
    with pytest.raises(ValidationError, match="say which records the request covers"):
        RecordsRequest.log(
            by=city.clerk,
            requester_name="Riley Reporter",
            requester_contact="riley@news.example",
            received_on=THURSDAY,
            text="Everything you have.",
            scope={"words": "", "channel": None},
        )
    city.sign_in_client(client, "clerk")
    with time_machine.travel(noon(THURSDAY), tick=False):
        response = client.post(
            reverse("records:request_new"),
            {
                "requester_name": "Riley Reporter",
                "requester_contact": "riley@news.example",
                "received_on": "2026-03-05",
                "text": "Everything you have.",
            },
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "702.7: say which records the request covers" in page
    assert "For every record, give the date range asked for." in page
    assert "Everything you have." in page  # what was typed is kept
    assert not RecordsRequest.objects.exists()


def test_a_request_logged_without_a_scope_before_one_was_required_says_it_holds_everything(
    city, client, library_and_pool
):
    from retention.models import ArchiveHead

    library, pool = library_and_pool
    with time_machine.travel(noon(THURSDAY), tick=False):
        request = RecordsRequest.objects.create(  # as such a request was saved before
            requester_name="Riley Reporter",
            requester_contact="riley@news.example",
            received_on=THURSDAY,
            text="Everything.",
            scope={},
            covered_through=ArchiveHead.objects.get(pk=1).sequence,
            business_days=5,
            due_on=datetime.date(2026, 3, 12),
            logged_by=city.clerk,
        )
    assert request.covers_everything
    assert {library, pool} <= set(records_blocked_by_open_requests())
    assert reasons_blocking(pool) == [
        f"Public records request {request.reference} from Riley Reporter (open; response due "
        f"Mar 12, 2026); it was logged without a scope, so it covers every record up to record "
        f"{request.covered_through}"
    ]
    city.sign_in_client(client, "clerk")
    page = client.get(reverse("records:request", args=[request.pk])).content.decode()
    assert "This request was logged without a scope, so it keeps every record" in page
    assert "This request was logged without a scope" not in (
        client.get(reverse("records:request", args=[log(city).pk])).content.decode()
    )


def test_a_record_it_redacts_or_withholds_is_covered_too(city, library_and_pool):
    library, pool = library_and_pool
    request = log(city, scope={"words": "pool"})
    request.exempt(
        by=city.clerk,
        record=pool,
        action="withheld",
        exemption="RCW 42.56.290",
        explanation="Prepared for pending litigation.",
    )
    assert set(records_blocked_by_open_requests()) == {pool}


def test_closing_the_request_lifts_the_block(city, library_and_pool):
    library, _ = library_and_pool
    request = log(city, scope={"words": "library"})
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        request.close(by=city.clerk, disposition="produced")
    assert not records_blocked_by_open_requests().exists()
    assert library not in ArchiveRecord.objects.blocked()


# --- Logging and closing are archived ----------------------------------------------------


def test_logging_and_closing_are_each_archived(city, library_and_pool):
    request = log(city, scope={"words": "library"})
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        request.close(by=city.clerk, disposition="produced", note="Sent by e-mail.")
    logged, closed = ArchiveRecord.objects.filter(kind="records_request").order_by("sequence")
    assert logged.payload["records_request"]["event"] == "logged"
    assert logged.payload["records_request"]["due_on"] == "2026-03-12"
    closed = closed.payload["records_request"]
    assert closed["event"] == "closed"
    assert closed["requester"] == {"name": "Riley Reporter", "contact": "riley@news.example"}
    assert closed["received_on"] == "2026-03-05"
    assert closed["text"] == "Every post about the library since January."
    assert closed["final_disposition"] == "produced"
    assert closed["closed_on"] == "2026-03-11"
    assert closed["closed_by"]["username"] == "clerk"
    assert verify_chain().intact
    request.refresh_from_db()
    assert (request.status, request.closed_on) == ("closed", datetime.date(2026, 3, 11))
    assert list(request.custody.values_list("action", flat=True)) == ["logged", "closed"]


def test_a_closed_request_is_final(city):
    request = log(city)
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        request.close(by=city.clerk, disposition="withdrawn")
        with pytest.raises(ValidationError, match="already closed"):
            request.close(by=city.clerk, disposition="produced")
        with pytest.raises(ValidationError, match="is closed"):
            request.export(by=city.clerk)
    assert ArchiveRecord.objects.filter(kind="records_request").count() == 2


def test_the_final_disposition_date_cannot_come_before_receipt(city):
    request = log(city)
    with (
        time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False),
        pytest.raises(ValidationError, match="between the date received and today"),
    ):
        request.close(by=city.clerk, disposition="produced", closed_on=datetime.date(2026, 3, 1))
    assert RecordsRequest.objects.get().is_open


# --- Redactions, withholdings, the export and its release ------------------------------


def test_a_redaction_names_passages_the_record_holds(city, library_and_pool):
    library, _ = library_and_pool
    request = log(city, scope={"words": "library"})
    with pytest.raises(ValidationError, match="Not found in record"):
        request.exempt(
            by=city.clerk,
            record=library,
            action="redacted",
            exemption="RCW 42.56.250(4)",
            explanation="An employee's address.",
            passages="12 Elm Street",
        )


def test_only_records_the_request_covers_are_redacted_or_withheld(city, library_and_pool):
    _, pool = library_and_pool
    request = log(city, scope={"words": "library"})
    with pytest.raises(ValidationError, match="is not among the records"):
        request.exempt(
            by=city.clerk,
            record=pool,
            action="withheld",
            exemption="RCW 42.56.290",
            explanation="Litigation.",
        )


def test_the_export_of_a_request_withholds_redacts_and_carries_its_custody_log(
    city, library_and_pool, tmp_path, settings
):
    settings.RECORDS_EXPORT_DIR = tmp_path / "exports"
    library, pool = library_and_pool
    request = log(city, scope={"channel": "city-website"})
    request.exempt(
        by=city.clerk,
        record=library,
        action="redacted",
        exemption="RCW 42.56.250(4)",
        explanation="The hour is an employee's schedule.",
        passages="opens at nine",
    )
    request.exempt(
        by=city.clerk,
        record=pool,
        action="withheld",
        exemption="RCW 42.56.290",
        explanation="Prepared for pending litigation.",
    )
    job = request.export(by=city.clerk)
    run_export(job.pk)
    job.refresh_from_db()
    bag = unzip(job.zip_path, tmp_path / "unzipped")

    assert not (bag / "data" / "records").exists()  # nothing here went out in its stored bytes
    withheld = json.loads((bag / "data" / "withheld" / f"{pool.sequence}.json").read_text())
    assert withheld["digest"] == pool.digest
    assert "Pool closed" not in json.dumps(withheld)
    redacted = (bag / "data" / "redacted" / f"{library.sequence}.json").read_text()
    assert "opens at nine" not in redacted
    assert "The library [REDACTED: RCW 42.56.250(4)]." in redacted
    page = (bag / "data" / "html" / f"{library.sequence}.html").read_text()
    assert "opens at nine" not in page
    with open(bag / "data" / "custody-log.csv", newline="") as file:
        actions = [row["action"] for row in csv.DictReader(file)]
    assert actions == ["Request logged", "Redacted", "Withheld", "Exported"]
    assert (job.records_redacted, job.records_withheld) == (1, 1)

    request.release(by=city.clerk, export=job)
    assert request.records_produced == 1  # the redacted one; the withheld one is not produced
    assert request.custody.filter(action="released").get().export == job
    with pytest.raises(ValidationError, match="already released"):
        request.release(by=city.clerk, export=job)


def test_custody_entries_are_never_changed(city):
    request = log(city)
    entry = request.custody.get()
    entry.detail = "Something else"
    with pytest.raises(Exception, match="cannot be changed"):
        entry.save()
    with pytest.raises(Exception, match="cannot be changed"):
        CustodyEntry.objects.update(detail="x")
    with pytest.raises(Exception, match="cannot be deleted"):
        CustodyEntry.objects.all().delete()


# --- Only the City Clerk keeps the log; the Mayor's office reads it ---------------------


@pytest.mark.parametrize("persona", ["staff", "poster", "supervisor", "mayor", "designee", "it"])
def test_only_the_clerk_logs_exports_and_closes(city, persona):
    someone = city.people[persona]
    with pytest.raises(PermissionDenied):
        RecordsRequest.log(
            by=someone,
            requester_name="R",
            requester_contact="r@x.example",
            received_on=THURSDAY,
            text="Posts",
            scope={"words": "library"},
        )
    request = log(city)
    for attempt in (
        lambda: request.export(by=someone),
        lambda: request.close(by=someone, disposition="produced"),
        lambda: ExportJob.request(by=someone, query={}),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


@pytest.mark.parametrize("persona", ["staff", "poster", "supervisor", "designee", "it", "outsider"])
def test_the_pages_refuse_everyone_but_the_clerk_and_the_mayors_office(client, city, persona):
    request = log(city)
    city.sign_in_client(client, persona) if persona in city.devices else client.force_login(
        city.people[persona]
    )
    for name, args in (
        ("records:requests", []),
        ("records:request", [request.pk]),
        ("records:request_new", []),
        ("records:exports", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
    for name in ("records:request_close", "records:request_exemption", "records:request_export"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 403, name


def test_the_mayors_office_reads_the_log_but_changes_nothing(client, city):
    request = log(city)
    city.sign_in_client(client, "mayor")
    assert client.get(reverse("records:requests")).status_code == 200
    page = client.get(reverse("records:request", args=[request.pk]))
    assert page.status_code == 200
    assert b"Close with this final disposition" not in page.content
    assert client.get(reverse("records:request_new")).status_code == 403
    assert client.get(reverse("records:exports")).status_code == 403
    response = client.post(
        reverse("records:request_close", args=[request.pk]),
        {"final_disposition": "produced", "closed_on": "2026-03-11"},
    )
    assert response.status_code == 403
    assert RecordsRequest.objects.get().is_open


# --- The pages ------------------------------------------------------------------------


def test_the_clerk_logs_a_request_on_the_page(client, city, library_and_pool):
    city.sign_in_client(client, "clerk")
    with time_machine.travel(noon(THURSDAY), tick=False):
        response = client.post(
            reverse("records:request_new"),
            {
                "requester_name": "Riley <b>Reporter</b>",
                "requester_contact": "riley@news.example",
                "received_on": "2026-03-05",
                "text": "Library posts",
                "words": "library",
            },
            follow=True,
        )
    request = RecordsRequest.objects.get()
    assert request.scope == {"words": "library"}
    assert "The response is due Thursday, March 12." in response.content.decode()
    assert "Riley &lt;b&gt;Reporter&lt;/b&gt;" in response.content.decode()


def test_a_request_with_mistakes_is_not_logged(client, city):
    city.sign_in_client(client, "clerk")
    with time_machine.travel(noon(THURSDAY), tick=False):
        response = client.post(
            reverse("records:request_new"),
            {
                "requester_name": "",
                "received_on": "2026-03-06",
                "text": "x",
                "date_from": "2026-03-02",
                "date_to": "2026-03-01",
            },
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the requester&#x27;s name" in page
    assert "Say how to reach the requester." in page
    assert "The date received cannot be in the future." in page
    assert "The last day comes before the first." in page
    assert not RecordsRequest.objects.exists()
    assert not ArchiveRecord.objects.filter(kind="records_request").exists()


def test_the_clerk_redacts_and_closes_on_the_page(client, city, library_and_pool):
    library, _ = library_and_pool
    request = log(city, scope={"words": "library"})
    city.sign_in_client(client, "clerk")
    url = reverse("records:request_exemption", args=[request.pk])
    refused = client.post(
        url,
        {
            "sequence": library.sequence,
            "action": "redacted",
            "exemption": "RCW 42.56.250(4)",
            "explanation": "Schedule.",
        },
    )
    assert refused.status_code == 400
    assert "Give the passages to redact, one per line." in refused.content.decode()
    client.post(
        url,
        {
            "sequence": library.sequence,
            "action": "redacted",
            "exemption": "RCW 42.56.250(4)",
            "explanation": "Schedule.",
            "passages": "opens at nine",
        },
    )
    assert request.exemptions.get().record == library
    with time_machine.travel(noon(datetime.date(2026, 3, 11)), tick=False):
        client.post(
            reverse("records:request_close", args=[request.pk]),
            {"final_disposition": "produced_in_part", "closed_on": "2026-03-11"},
        )
    request.refresh_from_db()
    assert request.final_disposition == "produced_in_part"
    page = client.get(reverse("records:request", args=[request.pk])).content.decode()
    assert "Closed March 11, 2026 by Casey Morgan" in page
    assert "RCW 42.56.250(4)" in page
    assert "Redact or withhold a record" not in page


def test_the_list_of_requests_takes_a_fixed_number_of_queries(
    client, city, django_assert_max_num_queries
):
    for number in range(5):
        log(city, requester_name=f"Requester {number}")
    city.sign_in_client(client, "clerk")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("records:requests"))
    assert response.content.decode().count("Requester ") == 5
