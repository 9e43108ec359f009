"""In a real browser: an employee reads a module, misses the quiz once, retries and passes; every
training page passes axe-core's WCAG 2.1 A and AA rules."""

import pytest

from tests.conftest import axe_violations, sign_in
from training.models import Completion

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def answer(page, module, *, wrong=()):
    """Click each question's answer, as a person does (USWDS draws its own radio buttons)."""
    for number, question in enumerate(module.questions_with_choices(), start=1):
        choices = list(question.choices.all())
        pick = [c for c in choices if c.is_correct != (number in wrong)][0]
        group = page.get_by_role("group", name=f"Question {number}. {question.prompt}")
        group.get_by_text(pick.text, exact=True).click()


def test_an_employee_takes_a_quiz_and_passes(city, modules, live_server, page):
    module = modules[0]
    base = live_server.url
    sign_in(page, base, "staff")
    page.get_by_role("link", name="Training", exact=True).click()
    page.get_by_role("heading", name="Your training is not current").wait_for()
    page.get_by_role("link", name=module.title).first.click()
    page.get_by_role("link", name="Start reading").click()
    for page_number in range(1, module.pages.count()):
        page.get_by_role("link", name="Next:").click()
        page.get_by_text(f"Page {page_number + 1} of").wait_for()
    page.get_by_role("link", name="Take the quiz").click()

    answer(page, module, wrong=[2, 3])
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("heading", name="Not passed: you scored 50%").wait_for()
    assert page.get_by_role("link", name="Question 3").is_visible()
    assert page.locator("#question-2 .usa-error-message").is_visible()
    assert not page.locator("#question-1 .usa-error-message").count()
    assert axe_violations(page) == []
    assert not Completion.objects.get(user=city.staff).passed

    # The retry starts blank; this time every answer is right.
    answer(page, module)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("You passed with 100%").wait_for()
    assert "Current" in page.locator("#status-heading").text_content()
    passed = Completion.objects.get(user=city.staff, passed=True)
    assert (passed.user, passed.module, passed.score, passed.version) == (
        city.staff,
        module,
        100,
        1,
    )


PAGES = {
    "staff": [
        "/dashboard/",
        "/training/",
        "/training/modules/{module}/",
        "/training/modules/{module}/pages/1/",
        "/training/modules/{module}/pages/2/",
        "/training/modules/{module}/complete/",
        "/training/modules/{attested}/complete/",
    ],
    "mayor": [
        "/dashboard/",
        "/training/",
        "/training/report/",
        "/training/report/?status=never&module={module}&authorized=on",
        "/training/manage/",
        "/training/manage/{module}/",
        "/training/manage/{module}/publish/",
    ],
}


def test_every_training_page_passes_axe(city, modules, live_server, page):
    from training.demo import complete_required_modules

    module, attested = modules[0], modules[1]
    attested.configure(
        by=city.mayor,
        completion_mode="attestation",
        pass_mark=75,
        validity_days=365,
        required=True,
        attestation_text="I have read this module and will follow it.",
    )
    complete_required_modules(city.poster)
    ids = {"module": module.slug, "attested": attested.slug}
    failures = {}
    for role, paths in PAGES.items():
        page.context.clear_cookies()
        sign_in(page, live_server.url, role)
        for path in paths:
            page.goto(live_server.url + path.format(**ids))
            violations = axe_violations(page)
            if violations:
                failures[f"{role} {path}"] = violations
    # Pages with errors: a quiz sent unanswered, an attestation unconfirmed, bad settings.
    for role, path, button in [
        ("staff", "/training/modules/{module}/complete/", "Submit answers"),
        ("staff", "/training/modules/{attested}/complete/", "Confirm and complete"),
        ("mayor", "/training/manage/{module}/publish/", "Publish version 2"),
    ]:
        page.context.clear_cookies()
        sign_in(page, live_server.url, role)
        page.goto(live_server.url + path.format(**ids))
        page.get_by_role("button", name=button).click()
        page.locator(".usa-alert--error").first.wait_for()
        violations = axe_violations(page)
        if violations:
            failures[f"{role} {path} with errors"] = violations
    assert failures == {}
