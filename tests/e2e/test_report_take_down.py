"""In a real browser (702.5): an employee reports a post seen on the City's Mastodon by pasting
its link; it reaches the author's supervisor, who removes it from public view on every channel
from the report's page (a real worker deletes it from the website and the fake Mastodon) and
then records and closes the investigation of its cause. Every page passes an axe scan.
"""

import pytest

from posting.models import Post, PostState
from review.oversight_models import ContentReport
from tests.conftest import axe_violations, sign_in, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]

REASON = "The photo caption names a juvenile (702.5(b))."


def test_a_report_reaches_the_supervisor_who_takes_it_down_and_investigates(
    city, live_server, browser, page, fake_mastodon, celery_worker_process
):
    post = city.submitted(title="Youth league champions")
    city.approve(post)
    wait_for(
        lambda: Post.objects.get(pk=post.pk).state == PostState.PUBLISHED,
        message="the worker to publish",
    )
    link = post.publications.get(channel=city.mastodon).remote_url

    # Staff saw it on the City's Mastodon and report it by its link.
    sign_in(page, live_server.url, "staff")
    page.get_by_role("link", name="Report content").click()
    page.get_by_role("heading", name="Report content on a city channel").wait_for()
    page.get_by_role("button", name="Send the report to a supervisor").click()
    page.get_by_text("The report was not sent").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Link to the post").fill(link)
    page.get_by_text("Inappropriate: prohibited content (702.5)").click()  # its USWDS label
    page.get_by_label("What did you see, and why is it a problem?").fill(REASON)
    page.get_by_role("button", name="Send the report to a supervisor").click()
    page.get_by_text("Reported (702.5).").wait_for()
    report = ContentReport.objects.get()
    assert (report.post_id, report.assigned_to) == (post.pk, city.supervisor)

    # The author's supervisor finds it in their queue, with the post as archived.
    supervisor = browser.new_context().new_page()
    supervisor.set_default_timeout(15000)
    sign_in(supervisor, live_server.url, "supervisor")
    supervisor.get_by_role("link", name="Reports", exact=True).first.click()
    supervisor.get_by_role("heading", name="Reports of content (702.5)").wait_for()
    assert post.body in supervisor.locator("#waiting-reports").inner_text()
    assert axe_violations(supervisor) == []
    supervisor.get_by_role("link", name=f"#{report.pk}: “{post.title}”").click()
    supervisor.get_by_role("heading", name=f"Report #{report.pk}: “{post.title}”").wait_for()
    assert axe_violations(supervisor) == []

    supervisor.get_by_label("Why is it being removed? (702.5)").fill(REASON)
    supervisor.get_by_role("button", name="Remove from public view on every channel").click()
    supervisor.get_by_text("Removed from public view (702.5).").wait_for()
    assert supervisor.locator("#report-state").text_content() == "Removed from public view"

    def removed_everywhere():
        supervisor.reload()
        return supervisor.locator('li[data-status="removed"]').count() == 2

    wait_for(removed_everywhere, timeout=30, interval=0.5, message="the worker to remove it")
    assert fake_mastodon.statuses == []

    supervisor.get_by_label("Cause", exact=True).select_option("human_error")
    supervisor.get_by_label("Findings", exact=True).fill(
        "The caption was written before the consent check."
    )
    supervisor.get_by_label("Corrective actions").fill("Consent checks come before captions.")
    supervisor.get_by_label("Resolution", exact=True).fill("Removed; the family was told.")
    supervisor.get_by_role("button", name="Close the investigation").click()
    supervisor.get_by_text("Investigation closed and archived (702.5).").wait_for()
    assert "Human error" in supervisor.locator("#investigation").inner_text()
    assert axe_violations(supervisor) == []
    supervisor.context.close()
