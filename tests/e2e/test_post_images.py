"""In a real browser: the poster attaches an image with its alternative text (702.3) and sees it
on the post page, described; both pages pass an axe scan (WCAG 2.1 AA)."""

import pytest

from posting.models import Post
from tests.conftest import axe_violations, sign_in
from tests.posting.images import media_root, picture  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.usefixtures("media_root"),
]

ALT = "Crews repaving Main Street between 2nd and 4th Avenue"


def test_the_poster_attaches_an_image_with_alt_text_and_sees_it_on_the_post_page(
    city, live_server, page
):
    base = live_server.url
    sign_in(page, base, "poster")
    page.goto(f"{base}/posts/new/")
    page.get_by_label("Headline").fill("Main Street repaving this week")
    page.get_by_label("Content category (702.4)").select_option("traffic")
    page.locator("label", has_text="City website").click()
    page.get_by_label("Text of the post").fill("Main Street is repaved this week. Use 3rd Ave.")
    assert axe_violations(page) == []  # the form with its file inputs

    page.locator("#id_new_image_1").set_input_files(
        files=[{"name": "repaving.png", "mimeType": "image/png", "buffer": picture("PNG")}]
    )
    page.get_by_label("Alternative text of new image 1").fill(ALT)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()

    image = page.locator("#post-images img")
    assert image.get_attribute("alt") == ALT
    # Loaded (or failed) before it is measured: a failed image is complete with no width.
    page.wait_for_function("document.querySelector('#post-images img').complete")
    assert page.evaluate("document.querySelector('#post-images img').naturalWidth") == 40
    assert ALT in page.locator("#post-images figcaption").inner_text()
    assert Post.objects.get().images.get().alt_text == ALT
    assert axe_violations(page) == []
