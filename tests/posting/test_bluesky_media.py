"""The post's own images to Bluesky, against the sandbox PDS: uploaded as blobs and embedded
with their alternative text and aspect ratio; and one post however often it is sent, since its
record key is chosen before anything is sent."""

# The adapter tests' fixtures are imported and then named as parameters, as pytest wants.
# ruff: noqa: F811

import pytest

from posting.platforms.base import PlatformError
from tests.posting.images import attach, media_root, picture  # noqa: F401
from tests.posting.test_bluesky_adapter import (  # noqa: F401  (the adapter's own fixtures)
    adapter,
    author,
    calls,
    channel,
    creates,
    credentials_env,
    fake,
    no_cached_sessions,
    publication,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_the_posts_images_go_up_as_blobs_and_are_embedded_with_their_alt_text(
    fake, adapter, publication
):
    png = picture("PNG", size=(64, 48))
    attach(publication.post, png, "Map of the detour along 3rd Avenue")

    adapter.publish(publication)

    [upload] = calls(fake, "com.atproto.repo.uploadBlob")
    assert upload.body == png and upload.headers["Content-Type"] == "image/png"
    [post] = fake.posts
    [entry] = post["value"]["embed"]["images"]
    assert entry["alt"] == "Map of the detour along 3rd Avenue"
    assert entry["aspectRatio"] == {"width": 64, "height": 48}
    assert entry["image"]["size"] == len(png)


def test_a_lost_answer_is_retried_without_a_second_post(fake, adapter, publication):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.drop_next(path="com.atproto.repo.createRecord")

    with pytest.raises(PlatformError) as lost:
        adapter.publish(publication)
    assert lost.value.outcome_unknown
    again = adapter.publish(publication)

    [post] = fake.posts
    assert again.remote_id == post["uri"] and again.raw_response["found_existing"] is True
    assert len(creates(fake)) == 1
    assert len(post["value"]["embed"]["images"]) == 1
