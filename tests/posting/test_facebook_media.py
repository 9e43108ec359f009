"""The post's own images to a Facebook Page, against the sandbox Graph API: one photo with the
message as its caption, several unpublished photos attached to one feed post; refusals of what
the Page photos reference refuses; and one post however often it is sent."""

# The adapter tests' fixtures are imported and then named as parameters, as pytest wants.
# ruff: noqa: F811

import json

import pytest

from posting.platforms.base import Image, PlatformError
from tests.posting.images import attach, media_root, picture  # noqa: F401
from tests.posting.test_facebook_adapter import (  # noqa: F401  (the adapter's own fixtures)
    adapter,
    author,
    channel,
    fake,
    feed_posts,
    publication,
    token_env,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def photo_uploads(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/photos")]


def test_one_image_of_the_post_goes_as_a_photo_captioned_with_the_message(
    fake, adapter, publication
):
    jpeg = picture("JPEG")
    attach(publication.post, jpeg, "Crews repaving Main Street", "crews.jpg")

    result = adapter.publish(publication)

    [upload] = photo_uploads(fake)
    assert upload.form["source"] == jpeg
    assert upload.form["caption"] == publication.post.body
    assert upload.form["alt_text_custom"] == "Crews repaving Main Street"
    assert feed_posts(fake) == []
    [post] = fake.posts
    assert result.remote_id == post["id"]


def test_several_images_are_attached_unpublished_to_one_feed_post(fake, adapter, publication):
    for number in (1, 2, 3):
        attach(publication.post, picture(color=(number, 0, 0)), f"Repaving, block {number}")

    adapter.publish(publication)

    assert [u.form["published"] for u in photo_uploads(fake)] == ["false"] * 3
    [sent] = feed_posts(fake)
    ids = [json.loads(sent.form[f"attached_media[{n}]"])["media_fbid"] for n in range(3)]
    assert ids == [p["id"] for p in fake.photos]
    [post] = fake.posts
    assert [a["alt_text"] for a in post["attachments"]] == [
        "Repaving, block 1",
        "Repaving, block 2",
        "Repaving, block 3",
    ]


def test_an_image_the_page_photos_reference_refuses_stops_for_good(fake, adapter, publication):
    webp = Image(data=picture("WEBP"), mime_type="image/webp", alt="Crews repaving Main Street")

    with pytest.raises(PlatformError) as refused:
        adapter.publish(publication, images=[webp])

    assert refused.value.permanent
    assert refused.value.response["error"]["code"] == 324
    assert fake.posts == []


def test_a_lost_answer_is_found_again_and_not_posted_twice(fake, adapter, publication):
    attach(publication.post, picture(), "Crews repaving Main Street")
    fake.drop_next(path="/photos")

    publication.attempts = 1
    with pytest.raises(PlatformError) as lost:
        adapter.publish(publication)
    assert lost.value.outcome_unknown
    publication.attempts = 2  # the worker's next attempt looks for the post first
    again = adapter.publish(publication)

    [post] = fake.posts
    assert again.remote_id == post["id"] and again.raw_response["found_existing"] is True
    assert len(photo_uploads(fake)) == 1
