"""702.8: the Mayor's office's report: who is current, expiring, lapsed or never trained, per
module, filterable, and as CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Department
from tests.training.conftest import employee, right_answers, signed_in
from training.demo import complete_required_modules
from training.report import build_report

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


@pytest.fixture
def parks(modules):
    """Four people in one department: current in everything, expiring, lapsed, never trained."""
    department = Department.objects.create(name="Report Test Department")
    people = {
        name: employee(
            name, first_name=name.capitalize(), last_name="Tester", department=department
        )
        for name in ("current", "expiring", "lapsed", "never")
    }
    first = modules[0]
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        complete_required_modules(people["current"])
    with time_machine.travel(NOW - timedelta(days=350), tick=False):
        first.submit_quiz(by=people["expiring"], answers=right_answers(first))
    with time_machine.travel(NOW - timedelta(days=400), tick=False):
        first.submit_quiz(by=people["lapsed"], answers=right_answers(first))
    return department, people


def figures(report):
    return {s.module.slug: dict(s.in_order) for s in report.summaries}


def test_the_report_counts_each_status_per_module(parks, modules):
    department, _ = parks
    with time_machine.travel(NOW, tick=False):
        report = build_report(department=department)
    counts = figures(report)
    assert counts["legal-issues"] == {"current": 1, "expiring": 1, "lapsed": 1, "never": 1}
    assert counts["privacy"] == {"current": 1, "expiring": 0, "lapsed": 0, "never": 3}
    assert (report.people, report.people_current) == (4, 1)
    assert len(report.rows) == 4 * len(modules)


def test_the_report_filters_by_module_status_and_name(parks, modules):
    department, _ = parks
    with time_machine.travel(NOW, tick=False):
        report = build_report(department=department, modules=modules[:1], status="lapsed")
        assert [(r.person.username, r.result.reason) for r in report.rows] == [
            ("lapsed", "Expired.")
        ]
        report = build_report(department=department, query="expir", modules=modules[:1])
        assert [r.person.username for r in report.rows] == ["expiring"]


def test_the_authorized_only_filter_shows_people_who_may_post(parks, city):
    people = {p.person.username for p in build_report(authorized_only=True).rows}
    assert "poster" in people
    assert not people & {"current", "expiring", "lapsed", "never", "staff"}


def test_the_report_page_shows_the_figures_and_filters(client, parks, city):
    department, _ = parks
    signed_in(client, city.mayor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("training:report"), {"department": department.pk, "module": "legal-issues"}
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-module="legal-issues"' in page and 'data-module="privacy"' not in page
    for status in ("current", "expiring", "lapsed", "never"):
        assert f'<td class="text-right" data-status="{status}">1</td>' in page
    assert "4 rows." in page
    assert "Expiring soon" in page and "Never trained" in page


def test_the_csv_has_one_row_per_person_and_module(client, parks, city):
    department, _ = parks
    signed_in(client, city.mayor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("training:report_csv"), {"department": department.pk, "module": "legal-issues"}
        )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="training-report-2026-06-01.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["Username"], r["Status"]) for r in rows] == [
        ("current", "Current"),
        ("expiring", "Expiring soon"),
        ("lapsed", "Lapsed"),
        ("never", "Never trained"),
    ]
    current = rows[0]
    assert current["Version completed"] == "1" and current["Score (%)"] == "100"
    assert current["Module"] == "Legal issues in the City's use of social media"
    assert current["Department"] == "Report Test Department"
    assert rows[3]["Completed at"] == ""


def test_a_csv_cell_cannot_become_a_spreadsheet_formula(client, modules, city):
    employee("formula", first_name="=HYPERLINK(1)", last_name="x")
    signed_in(client, city.mayor)
    response = client.get(reverse("training:report_csv"), {"q": "formula"})
    assert "'=HYPERLINK(1) x" in response.content.decode()


def test_names_are_escaped_on_the_report_page(client, modules, city):
    employee("script", first_name="<script>alert(1)</script>")
    signed_in(client, city.mayor)
    page = client.get(reverse("training:report"), {"q": "script"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_report_lists_without_n_plus_one(client, modules, city, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(size):
        department = Department.objects.create(name=f"{size} people")
        for number in range(size):
            person = employee(f"person{size}x{number}", department=department)
            modules[0].submit_quiz(by=person, answers=right_answers(modules[0]))
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("training:report"), {"department": department.pk})
        assert response.content.decode().count('<th scope="row">person') == size * len(modules)
        return len(context.captured_queries)

    signed_in(client, city.mayor)
    assert queries_for(2) == queries_for(15)
    with django_assert_max_num_queries(12):
        client.get(reverse("training:report"))
