"""Images to X, against the sandbox X API v2 over real HTTP: POST /2/media/upload (multipart,
tweet_image), the alternative text through POST /2/media/metadata, then POST /2/tweets with
media.media_ids; processing asked about until it succeeds; refusals; one post however often."""

# The adapter tests' fixtures are imported and then named as parameters, as pytest wants.
# ruff: noqa: F811

import json

import pytest
import requests

from posting.platforms.base import Image, PlatformError
from tests.posting.images import attach, media_root, picture  # noqa: F401
from tests.posting.test_x_adapter import (  # noqa: F401  (the adapter's own fixtures)
    TOKEN,
    adapter,
    author,
    channel,
    creates,
    fake,
    publication,
    token_env,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def calls(fake, method, route):
    return [r for r in fake.requests if r.method == method and r.route == route]


def test_images_are_uploaded_described_and_named_in_the_post(fake, adapter, publication):
    png, webp = picture("PNG"), picture("WEBP")
    attach(publication.post, png, "Map of the detour along 3rd Avenue", "map.png")
    attach(publication.post, webp, "Crews repaving Main Street", "crews.webp")

    result = adapter.publish(publication)

    uploads = calls(fake, "POST", "/2/media/upload")
    assert len(uploads) == 2
    assert all(u.headers["Content-Type"].startswith("multipart/form-data") for u in uploads)
    assert all(b'name="media_category"\r\n\r\ntweet_image' in u.body for u in uploads)
    media = fake.media
    assert [m["data"] for m in media] == [png, webp]
    descriptions = [r.json for r in calls(fake, "POST", "/2/media/metadata")]
    assert descriptions == [
        {
            "id": media[0]["id"],
            "metadata": {"alt_text": {"text": "Map of the detour along 3rd Avenue"}},
        },
        {"id": media[1]["id"], "metadata": {"alt_text": {"text": "Crews repaving Main Street"}}},
    ]
    [sent] = creates(fake)
    assert sent.json["media"] == {"media_ids": [media[0]["id"], media[1]["id"]]}
    assert sent.json["reply_settings"] == "mentionedUsers"  # 702.5.1, images or not
    [post] = fake.posts
    assert result.remote_id == post["id"]
    assert post["attachments"] == {"media_keys": [m["media_key"] for m in media]}
    assert [m["alt_text"] for m in fake.media] == [
        "Map of the detour along 3rd Avenue",
        "Crews repaving Main Street",
    ]


def test_an_upload_still_processing_is_asked_about_until_it_has_succeeded(
    fake, adapter, publication
):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.process_media_slowly(count=1, checks=2, check_after=0)

    adapter.publish(publication)

    looks = calls(fake, "GET", "/2/media/upload")
    assert [r.query["command"] for r in looks] == ["STATUS"] * 3
    assert len(fake.posts) == 1


def test_a_gif_or_an_oversized_image_is_refused_before_anything_is_sent(fake, adapter, publication):
    gif = Image(data=picture("GIF"), mime_type="image/gif", alt="Animated detour map")
    big = Image(data=b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), mime_type="image/jpeg", alt="Big")

    with pytest.raises(PlatformError) as no_gif:
        adapter.publish(publication, images=[gif])
    with pytest.raises(PlatformError) as too_big:
        adapter.publish(publication, images=[big])

    assert no_gif.value.permanent and "JPEG, PNG and WebP" in no_gif.value.message
    assert too_big.value.permanent and "5,242,880 bytes" in too_big.value.message
    assert fake.requests == []


def test_the_sandbox_refuses_what_x_refuses(fake):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    upload = f"{fake.base_url}/2/media/upload"
    not_a_picture = requests.post(
        upload,
        headers=headers,
        files={"media": ("flyer.png", b"%PDF-1.7", "image/png")},
        data={"media_category": "tweet_image"},
    )
    unknown_media = requests.post(
        f"{fake.base_url}/2/tweets",
        headers=headers,
        json={"text": "Detour", "media": {"media_ids": ["123"]}},
    )

    assert not_a_picture.status_code == 400
    assert not_a_picture.json()["type"].endswith("/invalid-request")
    assert unknown_media.status_code == 400
    assert unknown_media.json()["errors"][0]["message"] == "Your media IDs are invalid."


def test_a_lost_answer_to_the_post_is_found_again_and_not_posted_twice(fake, adapter, publication):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.drop_next(path="/2/tweets")

    publication.attempts = 1
    with pytest.raises(PlatformError) as lost:
        adapter.publish(publication)
    assert lost.value.outcome_unknown
    publication.attempts = 2  # the worker's next attempt looks for the post first
    again = adapter.publish(publication)

    [post] = fake.posts
    assert again.remote_id == post["id"] and again.raw_response["found_existing"] is True
    assert len(creates(fake)) == 1 and len(fake.media) == 1


def test_a_lost_answer_to_an_upload_leaves_it_unused_and_the_post_goes_out_once(
    fake, adapter, publication
):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.drop_next(path="/2/media/upload")

    publication.attempts = 1
    with pytest.raises(PlatformError) as lost:
        adapter.publish(publication)
    assert lost.value.outcome_unknown and creates(fake) == []
    publication.attempts = 2
    adapter.publish(publication)

    [post] = fake.posts
    assert [m["post_id"] for m in fake.media] == [None, post["id"]]
    assert json.loads(creates(fake)[0].body)["media"]["media_ids"] == [fake.media[1]["id"]]
