"""702.6, monitoring content: "The Mayor will appoint a supervisor to review, at least
annually, the use of city social media and report back on, at a minimum, the resources being
used, the effectiveness of the content, any unauthorized or inappropriate content, and the
resolution of any issues."

The figures are checked against a seeded city with known counts; only the appointed reviewer
signs off, which freezes the figures and archives the review; reminders go out once when a
review is due and once when it is overdue; the PDF for the Mayor renders, with its headings.
"""

from datetime import date, datetime, timedelta

import pypdfium2
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from posting import publishing
from posting.models import EmergencyStop
from retention.models import ArchiveRecord
from review import engagement
from review.annual_models import HEADINGS
from review.annual_pdf import latin1
from review.annual_review import compute_figures, send_review_reminders
from review.models import AnnualReview, ContentReport, Investigation, PublicPostingCheck

pytestmark = pytest.mark.django_db

CASE_NUMBER = "Detectives ask anyone with information on case 26-004512 to call."
FINDINGS = {
    "resources_findings": "Two channels, one poster, one approver: enough for the year.",
    "effectiveness_findings": "Traffic posts drew the most replies.",
    "content_findings": "One post named a case number and was overridden with reasons.",
    "resolution_findings": "One investigation closed in two days; one is still open.",
}


def demo_review(city) -> AnnualReview:
    """The review of this calendar year, which the demo's Mayor's office gave the supervisor."""
    return AnnualReview.objects.get(reviewer=city.supervisor)


# --- The figures match a city with known counts -------------------------------------------


@pytest.fixture
def seeded(city, fake_mastodon):
    """Four posts published (five publications), one left waiting; Mastodon's counts fetched
    twice for one post; three reports, two investigations, a take-down, an override, an
    emergency stop, public-posting checks and an incident; all within two days."""
    from review.checks.defaults import load_default_configuration

    load_default_configuration()  # the 702.5 checks: a case number blocks (702.5(c))
    # From now on: the demo's authorizations (702.3) began when the city was loaded.
    base = timezone.now().replace(microsecond=0) + timedelta(minutes=1)
    seeds = {"base": base}
    with time_machine.travel(base, tick=False) as clock:

        def publish(post, after=timedelta(0)):
            clock.shift(after)
            city.approve(
                post,
                **(
                    {"justification": "Released by the Police Chief."}
                    if post.body == CASE_NUMBER
                    else {}
                ),
            )
            for publication in post.publications.all():
                publishing.deliver(publication.pk)
            return post

        road = city.submitted(title="Road work", channels=[city.website, city.mastodon])
        publish(road, timedelta(hours=2))
        paving = city.submitted(title="Paving", category="traffic", channels=[city.website])
        publish(paving)
        detour = city.submitted(title="Detour", category="traffic", channels=[city.mastodon])
        publish(detour, timedelta(hours=30))
        appeal = city.draft(
            title="Help us",
            body=CASE_NUMBER,
            category="request_for_information",
            channels=[city.website],
        )
        appeal.submit(
            by=city.poster,
            equipment=city.kit(city.poster),
            override_request="The case number is already in the Police press release.",
        )
        publish(appeal)
        city.submitted(title="Lifeguards wanted", category="recruitment", channels=[city.website])

        on_mastodon = {p.post_id: p for p in city.mastodon.publications.all()}
        fake_mastodon.set_engagement(on_mastodon[road.pk].remote_id, likes=5)
        engagement.fetch_engagement(on_mastodon[road.pk].pk)
        clock.shift(timedelta(hours=1))
        fake_mastodon.set_engagement(on_mastodon[road.pk].remote_id, likes=7, shares=1, replies=2)
        fake_mastodon.set_engagement(on_mastodon[detour.pk].remote_id, likes=3, replies=1)
        engagement.fetch_engagement(on_mastodon[road.pk].pk)
        engagement.fetch_engagement(on_mastodon[detour.pk].pk)

        paving.take_down(
            by=city.supervisor, reason="Wrong date.", equipment=city.kit(city.supervisor)
        )
        stop = EmergencyStop.start(by=city.mayor, reason="A tragedy downtown.")
        clock.shift(timedelta(minutes=90))
        stop.resume(by=city.mayor, note="Resumed.")

        now = timezone.now()
        removed = ContentReport.objects.create(
            concern="inappropriate",
            state="removed",
            post=paving,
            reason="Wrong date.",
            reported_by=city.staff,
            assigned_to=city.supervisor,
            reported_at=now,
            decided_at=now + timedelta(hours=4),
        )
        ContentReport.objects.create(
            concern="inappropriate",
            state="dismissed",
            post=road,
            reason="Too informal.",
            reported_by=city.staff,
            assigned_to=city.supervisor,
            reported_at=now,
            decided_at=now + timedelta(hours=1),
        )
        detected = ContentReport.objects.create(
            concern="unauthorized",
            source="detected",
            channel=city.mastodon,
            remote_id="991",
            remote_text="Free tickets!",
            reason="Not posted through CitySocial.",
            assigned_to=city.supervisor,
            reported_at=now,
        )
        Investigation.objects.create(
            report=removed,
            investigator=city.supervisor,
            cause="human_error",
            corrective_actions="The poster retakes the 702.5 module.",
            resolution="Removed.",
            opened_at=now,
            closed_at=now + timedelta(days=2),
        )
        Investigation.objects.create(
            report=detected,
            investigator=city.supervisor,
            cause="compromised_credentials",
            opened_at=now,
        )
        PublicPostingCheck.objects.create(
            channel=city.website, prevented=True, detail="No comments."
        )
        PublicPostingCheck.objects.create(channel=city.mastodon, prevented=True, detail="Earlier.")
        clock.shift(timedelta(minutes=5))
        PublicPostingCheck.objects.create(
            channel=city.mastodon, prevented=False, detail="Replies are open to everyone."
        )
        from posting.incident_models import Incident

        Incident.open(
            by=city.mayor,
            title="Gas leak",
            kind="public_safety",
            severity="severe",
            area="Oak Street",
            channels=[city.website],
            compilers=[city.poster],
        )
    seeds.update(road=road, paving=paving, detour=detour, appeal=appeal)
    return seeds


def figures_for(seeded):
    """The figures for a week around the seeded days, as counted five days after they began."""
    start = timezone.localtime(seeded["base"]).date() - timedelta(days=1)
    return compute_figures(start, start + timedelta(days=6), now=seeded["base"] + timedelta(days=5))


def test_702_6_the_figures_match_a_city_with_known_counts(city, seeded):
    """One seeded city, counted under each of the four headings (one seed: it is slow)."""
    figures = figures_for(seeded)
    resources_are_counted(figures["resources"])
    effectiveness_is_counted(figures["effectiveness"])
    inappropriate_content_is_counted(figures["content"])
    resolution_is_counted(figures["resolution"])


def resources_are_counted(resources):
    """Channels, people, training (702.8), approval turnaround (702.3) and incidents."""
    assert {(c["name"], c["posts"]) for c in resources["channels"]} == {
        ("City website", 3),
        ("Sandbox (Mastodon API)", 2),
    }
    assert resources["channels_used"] == 2
    assert resources["authorized_users"] == 2  # the demo's poster and supervisor (702.3)
    assert resources["posters"] == 1 and resources["approvers"] == 1
    assert resources["training"]["current"] == 2 and resources["training"]["not_current"] == 0
    approvals = resources["approvals"]
    # Waits of 2 hours, none, 30 hours and none from submission to the supervisor's approval.
    assert approvals["by_supervisor"] == 4 and approvals["conforming"] == 0
    assert (approvals["median_hours"], approvals["mean_hours"], approvals["longest_hours"]) == (
        1.0,
        8.0,
        30.0,
    )
    assert dict(approvals["buckets"]) == {
        "Under 1 hour": 2,
        "1 to 4 hours": 1,
        "4 to 24 hours": 0,
        "1 to 3 days": 1,
        "Over 3 days": 0,
    }
    assert resources["incidents"]["opened"] == 1
    assert dict(resources["incidents"]["by_severity"])["Severe"] == 1


def effectiveness_is_counted(effectiveness):
    """Posts per channel and category, over time, and their engagement."""
    assert effectiveness["posts"] == 4 and effectiveness["publications"] == 5
    assert dict(effectiveness["per_channel"]) == {"City website": 3, "Sandbox (Mastodon API)": 2}
    per_category = dict(effectiveness["per_category"])
    assert per_category["702.4(a) Announcement"] == 1
    assert per_category["702.4(f) Traffic information"] == 2
    assert per_category["702.4(c) Request for information"] == 1
    assert per_category["702.4(h) Recruitment of personnel"] == 0  # submitted, never published
    over_time = {label: sum(counts) for label, counts in effectiveness["per_month_by_category"]}
    assert over_time["702.4(f) Traffic information"] == 2
    # The latest snapshot of each publication counts: 7 likes for the road work, not 5 + 7.
    by_channel = {row["name"]: row for row in effectiveness["engagement_by_channel"]}
    assert by_channel["Sandbox (Mastodon API)"] == {
        "name": "Sandbox (Mastodon API)",
        "posts": 2,
        "measured": 2,
        "views": None,  # Mastodon counts no views
        "likes": 10,
        "shares": 1,
        "replies": 3,
    }
    assert by_channel["City website"]["measured"] == 0  # the website tracks no readers
    by_category = {row["name"]: row for row in effectiveness["engagement_by_category"]}
    assert (
        by_category["702.4(a) Announcement"]["likes"],
        by_category["702.4(a) Announcement"]["replies"],
    ) == (7, 2)
    assert by_category["702.4(f) Traffic information"]["likes"] == 3
    totals = effectiveness["engagement_totals"]
    assert (totals["posts"], totals["measured"], totals["likes"], totals["shares"]) == (5, 2, 10, 1)


def inappropriate_content_is_counted(content):
    """Findings and overrides, reports, take-downs, public posting (702.5.1), stops."""
    assert ["702.5(c)", 1, 0, 0] in content["findings_by_clause"]
    assert [o["post"] for o in content["overrides"]] == ["Help us"]
    assert content["overrides"][0]["justification"] == "Released by the Police Chief."
    reports = content["reports"]
    assert reports["total"] == 3
    assert dict(reports["by_concern"]) == {
        "Unauthorized: not posted under this policy (702.5(g))": 1,
        "Inappropriate: prohibited content (702.5)": 2,
    }
    assert dict(reports["by_source"]) == {
        "Reported by an employee": 2,
        "Found by CitySocial on the platform": 1,
    }
    assert [t["post"] for t in content["take_downs"]["items"]] == ["Paving"]
    assert content["take_downs"]["total"] == 1
    compliance = {row["channel"]: row["status"] for row in content["public_posting"]}
    assert compliance == {"City website": "prevented", "Sandbox (Mastodon API)": "public can post"}
    assert [(s["scope"], s["hours"]) for s in content["emergency_stops"]] == [
        ("every channel", 1.5)
    ]


def resolution_is_counted(resolution):
    """Investigations by cause, open and closed, time to close, corrective actions."""
    investigations = resolution["investigations"]
    assert (investigations["total"], investigations["open"], investigations["closed"]) == (2, 1, 1)
    assert dict(investigations["by_cause"]) == {
        "Compromised credentials": 1,
        "Human error": 1,
    }
    assert investigations["median_days_to_close"] == 2.0
    assert resolution["reports_decided"] == {"total": 2, "open": 1, "median_hours_to_decide": 2.5}
    assert [c["actions"] for c in resolution["corrective_actions"]] == [
        "The poster retakes the 702.5 module."
    ]


def test_702_6_the_review_page_shows_the_figures_as_charts_with_tables(client, city):
    review = demo_review(city)
    city.published(title="Library hours", category="community_engagement")
    city.sign_in_client(client, "supervisor")
    page = client.get(review.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for _, heading in HEADINGS:
        assert heading in html
    # Each chart is an image with its title and description, and its numbers as a table.
    assert '<title id="chart-per-channel-title">Posts per channel</title>' in html
    assert 'aria-labelledby="chart-per-month-title chart-per-month-desc"' in html
    assert '<th scope="row">City website</th><td>1</td>' in html
    assert "Nothing to chart: no reports in the period." in html
    assert 'id="per-category-table"' in html
    assert "Not written yet." in html


# --- Appointment and sign-off -------------------------------------------------------------


def test_702_6_the_mayors_office_appoints_a_supervisor_for_at_most_a_year(city):
    next_year = timezone.localdate().year + 1
    start, end = date(next_year, 1, 1), date(next_year, 12, 31)
    with pytest.raises(PermissionDenied, match="the Mayor's office appoints"):
        AnnualReview.appoint(
            by=city.supervisor, reviewer=city.supervisor2, period_start=start, period_end=end
        )
    with pytest.raises(ValidationError, match="not an active supervisor"):
        AnnualReview.appoint(by=city.mayor, reviewer=city.staff, period_start=start, period_end=end)
    with pytest.raises(ValidationError, match="at least annually"):
        AnnualReview.appoint(
            by=city.mayor,
            reviewer=city.supervisor2,
            period_start=start,
            period_end=date(next_year + 1, 1, 31),
        )
    this_year = demo_review(city)
    with pytest.raises(ValidationError, match="already covers part of that period"):
        AnnualReview.appoint(
            by=city.mayor,
            reviewer=city.supervisor2,
            period_start=this_year.period_end,
            period_end=end,
        )
    review = AnnualReview.appoint(
        by=city.mayor, reviewer=city.supervisor2, period_start=start, period_end=end
    )
    assert review.history.count() == 1


def test_702_6_the_appointed_reviewer_is_told_by_email(city, django_capture_on_commit_callbacks):
    next_year = timezone.localdate().year + 1
    with django_capture_on_commit_callbacks(execute=True):
        AnnualReview.appoint(
            by=city.mayor,
            reviewer=city.supervisor2,
            period_start=date(next_year, 1, 1),
            period_end=date(next_year, 12, 31),
        )
    assert [m.to for m in mail.outbox] == [[city.supervisor2.email]]
    assert "702.6" in mail.outbox[0].body


def test_702_6_only_the_appointed_reviewer_signs_off_and_the_figures_freeze(
    client, city, django_capture_on_commit_callbacks
):
    review = demo_review(city)
    for other in (city.supervisor2, city.mayor):
        with pytest.raises(PermissionDenied, match="only the supervisor the Mayor appointed"):
            review.sign_off(by=other)
        with pytest.raises(PermissionDenied):
            review.write(by=other, **FINDINGS)
    with pytest.raises(ValidationError, match="Write your findings on"):
        review.sign_off(by=city.supervisor)

    review.write(by=city.supervisor, recommendations="Add a Spanish-language channel.", **FINDINGS)
    with django_capture_on_commit_callbacks(execute=True):
        review.sign_off(by=city.supervisor)
    review.refresh_from_db()
    assert review.is_signed_off and review.signed_off_by == city.supervisor
    record = review.archive_record
    assert record.kind == ArchiveRecord.Kind.ANNUAL_REVIEW
    assert record.payload["annual_review"]["findings"]["content"] == FINDINGS["content_findings"]
    assert record.payload["annual_review"]["figures"] == review.figures
    assert review.history.filter(signed_off_at__isnull=False).exists()
    assert any(city.mayor.email in m.to for m in mail.outbox)

    # Later posts change the live figures, not the signed ones.
    signed = review.figures
    city.published(title="After the sign-off")
    assert compute_figures(review.period_start, review.period_end)["effectiveness"]["posts"] == (
        signed["effectiveness"]["posts"] + 1
    )
    city.sign_in_client(client, "mayor")
    page = client.get(review.get_absolute_url())
    assert page.context["figures"] == signed
    with pytest.raises(ValidationError, match="its findings and figures are final"):
        review.write(by=city.supervisor, **FINDINGS)


def test_702_6_other_people_are_refused_the_review_and_its_sign_off(client, city):
    review = demo_review(city)
    city.sign_in_client(client, "supervisor2")
    assert client.get(review.get_absolute_url()).status_code == 403
    assert (
        client.post(reverse("annual:sign_off", args=[review.pk]), {"confirm": "yes"}).status_code
        == 403
    )
    assert client.post(reverse("annual:findings", args=[review.pk]), FINDINGS).status_code == 403
    client.logout()
    city.sign_in_client(client, "mayor")
    assert client.get(review.get_absolute_url()).status_code == 200
    assert (
        client.post(reverse("annual:sign_off", args=[review.pk]), {"confirm": "yes"}).status_code
        == 403
    )
    review.refresh_from_db()
    assert not review.is_signed_off


def test_702_6_the_reviewer_writes_findings_and_signs_off_through_the_page(client, city):
    review = demo_review(city)
    city.sign_in_client(client, "supervisor")
    response = client.post(reverse("annual:sign_off", args=[review.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert not review.is_signed_off  # no findings yet: refused with the headings to write
    response = client.post(
        reverse("annual:findings", args=[review.pk]), {**FINDINGS, "recommendations": ""}
    )
    assert response.status_code == 302
    response = client.post(reverse("annual:sign_off", args=[review.pk]), {"confirm": "yes"})
    review.refresh_from_db()
    assert review.is_signed_off and review.resources_findings == FINDINGS["resources_findings"]
    # Signed off: a late change is refused in plain words, and nothing changes.
    late = {**FINDINGS, "resources_findings": "Changed my mind."}
    response = client.post(reverse("annual:findings", args=[review.pk]), late, follow=True)
    assert "its findings and figures are final" in response.content.decode()
    response = client.post(reverse("annual:sign_off", args=[review.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.resources_findings == FINDINGS["resources_findings"]


# --- Reminders: due and overdue, each once -------------------------------------------------


def test_702_6_the_reviewer_and_the_mayors_office_are_reminded_once_when_due_and_when_overdue(
    client, city
):
    year = timezone.localdate().year + 1
    review = AnnualReview.appoint(
        by=city.mayor,
        reviewer=city.supervisor2,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )
    zone = timezone.get_default_timezone()

    def reminders_at(moment):
        mail.outbox.clear()
        with time_machine.travel(moment, tick=False):
            send_review_reminders()
        return [m for m in mail.outbox if review.period_label in m.subject]

    assert reminders_at(datetime(year, 11, 20, 12, tzinfo=zone)) == []  # 41 days ahead
    due = reminders_at(datetime(year, 12, 2, 12, tzinfo=zone))
    assert len(due) == 1 and "is due by December 31" in due[0].subject
    assert set(due[0].to) == {city.supervisor2.email, city.mayor.email}
    assert reminders_at(datetime(year, 12, 10, 12, tzinfo=zone)) == []  # once

    with time_machine.travel(datetime(year, 12, 10, 12, tzinfo=zone), tick=False):
        city.sign_in_client(client, "supervisor2")
        assert "Due soon:" in client.get(reverse("dashboard")).content.decode()

    overdue = reminders_at(datetime(year + 1, 1, 1, 0, 30, tzinfo=zone))
    assert len(overdue) == 1 and overdue[0].subject.startswith("Overdue:")
    assert reminders_at(datetime(year + 1, 1, 5, tzinfo=zone)) == []  # once
    with time_machine.travel(datetime(year + 1, 1, 5, 12, tzinfo=zone), tick=False):
        city.sign_in_client(client, "mayor")  # the Mayor's office sees it too
        assert "Overdue:" in client.get(reverse("dashboard")).content.decode()
    review.refresh_from_db()
    assert review.due_reminder_sent_at and review.overdue_reminder_sent_at


def test_702_6_a_review_first_seen_overdue_gets_only_the_overdue_reminder(city):
    year = timezone.localdate().year + 2
    review = AnnualReview.appoint(
        by=city.mayor,
        reviewer=city.supervisor2,
        period_start=date(year, 1, 1),
        period_end=date(year, 6, 30),
    )
    with time_machine.travel(
        datetime(year, 8, 1, tzinfo=timezone.get_default_timezone()), tick=False
    ):
        mail.outbox.clear()
        send_review_reminders()
    mine = [m.subject for m in mail.outbox if review.period_label in m.subject]
    assert len(mine) == 1 and mine[0].startswith("Overdue:")


# --- The PDF for the Mayor -----------------------------------------------------------------


def pdf_pages(content: bytes):
    document = pypdfium2.PdfDocument(content)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    first = document[0].render(scale=1).to_pil().convert("L")
    histogram = first.histogram()  # how many pixels of each grey, 0 (black) to 255 (white)
    inked = sum(histogram[:200]) / (first.width * first.height)
    return len(document), text, inked


def test_702_6_the_pdf_renders_with_its_four_headings_and_a_draft_mark(client, city):
    review = demo_review(city)
    city.supervisor.first_name, city.supervisor.last_name = "Zoë", "Đorđević"
    city.supervisor.save()
    city.sign_in_client(client, "mayor")
    response = client.get(reverse("annual:pdf", args=[review.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "draft" in response["Content-Disposition"]
    pages, text, inked = pdf_pages(response.content)
    assert inked > 0.01  # not blank: the title, text and the watermark are drawn
    for _, heading in HEADINGS:
        assert heading in text
    assert "DRAFT" in text
    assert "Zoë Đorđević" in text  # set in DejaVu Sans: names print as written
    assert "Posts per channel" in text and "Sandbox (Mastodon API)" in text


def test_702_6_the_signed_pdf_carries_no_draft_mark(client, city):
    review = demo_review(city)
    review.write(by=city.supervisor, **FINDINGS)
    review.sign_off(by=city.supervisor)
    city.sign_in_client(client, "supervisor")
    response = client.get(reverse("annual:pdf", args=[review.pk]))
    _, text, _ = pdf_pages(response.content)
    assert "DRAFT" not in text and "Signed off" in text
    assert FINDINGS["effectiveness_findings"] in text.replace("\r\n", " ").replace("\n", " ")


def test_702_6_without_a_unicode_font_the_pdf_falls_back_to_latin1(
    client, city, settings, tmp_path
):
    settings.PDF_FONT_DIR = str(tmp_path)  # no DejaVu here
    review = demo_review(city)
    city.sign_in_client(client, "mayor")
    _, text, inked = pdf_pages(client.get(reverse("annual:pdf", args=[review.pk])).content)
    assert inked > 0.01
    for _, heading in HEADINGS:
        assert heading in text
    assert latin1("“Zoë” Đorđević — 3…") == '"Zoë" ?or?evic - 3...'
