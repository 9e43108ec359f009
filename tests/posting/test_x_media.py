"""Images to X, against the sandbox X API v2 over real HTTP: POST /2/media/upload (multipart,
tweet_image), an animated GIF through the chunked upload (initialize, append, finalize;
tweet_gif), the alternative text through POST /2/media/metadata, then POST /2/tweets with
media.media_ids; processing asked about until it succeeds; refusals; one post however often;
the draft form's rules for X: 4 photos or 1 animated GIF up to 15 MB."""

# The adapter tests' fixtures are imported and then named as parameters, as pytest wants.
# ruff: noqa: F811

import json
import math

import pytest
import requests
from django.urls import reverse

from posting.media_models import PostImage
from posting.models import Post
from posting.platforms.base import Image, PlatformError
from posting.platforms.x import XAdapter
from tests.posting.images import animation, attach, media_root, picture, upload  # noqa: F401
from tests.posting.test_post_images import form_data
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


def test_an_image_over_5_mb_or_a_gif_over_15_mb_is_refused_before_anything_is_sent(
    fake, adapter, publication
):
    big = Image(data=b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), mime_type="image/jpeg", alt="Big")
    big_gif = Image(data=animation(padding=15 * 1024 * 1024), mime_type="image/gif", alt="Map")

    with pytest.raises(PlatformError) as too_big:
        adapter.publish(publication, images=[big])
    with pytest.raises(PlatformError) as gif_too_big:
        adapter.publish(publication, images=[big_gif])

    assert too_big.value.permanent and "5,242,880 bytes" in too_big.value.message
    assert gif_too_big.value.permanent
    assert "X takes animated GIFs up to 15,728,640 bytes" in gif_too_big.value.message
    assert fake.requests == []


def test_a_gif_with_other_images_is_refused_before_anything_is_sent(fake, adapter, publication):
    gif = Image(data=animation(), mime_type="image/gif", alt="Animated map of the detour")
    photo = Image(data=picture(), mime_type="image/png", alt="Crews repaving Main Street")

    with pytest.raises(PlatformError) as refused:
        adapter.publish(publication, images=[photo, gif])

    assert refused.value.permanent
    assert "X takes one animated GIF on a post, or up to 4 other images" in refused.value.message
    assert fake.requests == []


# --- Animated GIFs: the chunked upload ------------------------------------------------------
def segment_index(request) -> int:
    """The segment_index field of an append's multipart body."""
    head, _, rest = request.body.partition(b'name="segment_index"\r\n\r\n')
    assert head, "the append names no segment_index"
    return int(rest.split(b"\r\n", 1)[0])


def segment(request) -> bytes:
    """The bytes of the media part of an append's multipart body."""
    _, _, rest = request.body.partition(b'name="media"')
    boundary = request.headers["Content-Type"].split("boundary=")[1].encode()
    return rest.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n--" + boundary, 1)[0]


def test_a_gif_goes_through_initialize_append_and_finalize_then_gets_its_alt_text(
    fake, channel, publication
):
    gif = animation()
    attach(publication.post, gif, "Animated map of the detour along 3rd Avenue", "detour.gif")
    adapter = XAdapter(channel, segment_bytes=4096)  # several segments from a small GIF

    result = adapter.publish(publication)

    [media] = fake.media
    media_id, parts = media["id"], math.ceil(len(gif) / 4096)
    assert parts >= 3
    assert [r.route for r in fake.requests] == [
        "/2/media/upload/initialize",
        *[f"/2/media/upload/{media_id}/append"] * parts,
        f"/2/media/upload/{media_id}/finalize",
        "/2/media/metadata",
        "/2/tweets",
    ]
    [initialize] = calls(fake, "POST", "/2/media/upload/initialize")
    assert initialize.json == {
        "media_type": "image/gif",
        "total_bytes": len(gif),
        "media_category": "tweet_gif",
    }
    appends = calls(fake, "POST", f"/2/media/upload/{media_id}/append")
    assert all(a.headers["Content-Type"].startswith("multipart/form-data") for a in appends)
    assert [segment_index(a) for a in appends] == list(range(parts))  # in order, from 0
    assert [len(segment(a)) for a in appends[:-1]] == [4096] * (parts - 1)
    [described] = calls(fake, "POST", "/2/media/metadata")
    assert described.json == {
        "id": media_id,
        "metadata": {"alt_text": {"text": "Animated map of the detour along 3rd Avenue"}},
    }
    [sent] = creates(fake)
    assert sent.json["media"] == {"media_ids": [media_id]}
    assert sent.json["reply_settings"] == "mentionedUsers"  # 702.5.1, a GIF or not
    [post] = fake.posts
    assert result.remote_id == post["id"]
    assert post["attachments"] == {"media_keys": [media["media_key"]]}
    assert media["media_category"] == "tweet_gif" and media["post_id"] == post["id"]


def test_the_gif_x_holds_is_the_original_bytes_in_segments_under_xs_5_mb(
    fake, adapter, publication
):
    gif = animation(padding=9 * 1024 * 1024)  # 9 MB: segments of 4, 4 and 1 MB
    attach(publication.post, gif, "Animated map of the detour along 3rd Avenue", "detour.gif")

    adapter.publish(publication)

    [media] = fake.media
    appends = calls(fake, "POST", f"/2/media/upload/{media['id']}/append")
    sizes = [len(segment(a)) for a in appends]
    assert sizes == [4 * 1024 * 1024, 4 * 1024 * 1024, len(gif) - 8 * 1024 * 1024]
    assert b"".join(segment(a) for a in appends) == gif
    assert media["data"] == gif  # what X holds: the original bytes, never re-encoded
    assert media["alt_text"] == "Animated map of the detour along 3rd Avenue"


def test_a_gif_still_processing_is_asked_about_until_it_has_succeeded(fake, adapter, publication):
    attach(publication.post, animation(), "Animated map of the detour", "detour.gif")
    fake.process_media_slowly(count=1, checks=2, check_after=0)

    adapter.publish(publication)

    [media] = fake.media
    looks = calls(fake, "GET", "/2/media/upload")
    assert [r.query for r in looks] == [{"command": "STATUS", "media_id": media["id"]}] * 3
    # The alternative text and the post wait for the processing to succeed.
    assert [r.route for r in fake.requests][-6:] == [
        f"/2/media/upload/{media['id']}/finalize",
        *["/2/media/upload"] * 3,
        "/2/media/metadata",
        "/2/tweets",
    ]
    assert media["state"] == "succeeded" and len(fake.posts) == 1


def test_xs_refusal_of_a_gif_reaches_the_adapter_in_xs_words(fake, channel, publication):
    png_called_gif = Image(data=picture(), mime_type="image/gif", alt="Animated detour map")

    with pytest.raises(PlatformError) as refused:
        XAdapter(channel, segment_bytes=100).publish(publication, images=[png_called_gif])

    assert refused.value.permanent and refused.value.status == 400
    assert refused.value.message == (
        "X refused the GIF upload: One or more parameters to your request was invalid. "
        "Unsupported media type: the bytes are not image/gif."
    )
    assert refused.value.response["type"].endswith("/invalid-request")
    assert creates(fake) == [] and fake.posts == []


def test_the_sandbox_refuses_a_chunked_upload_as_x_does(fake):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    base = f"{fake.base_url}/2/media/upload"

    def initialize(total_bytes, category="tweet_gif"):
        body = {"media_type": "image/gif", "total_bytes": total_bytes, "media_category": category}
        return requests.post(f"{base}/initialize", headers=headers, json=body)

    def append(media_id, index, chunk):
        return requests.post(
            f"{base}/{media_id}/append",
            headers=headers,
            data={"segment_index": index},
            files={"media": ("media", chunk, "application/octet-stream")},
        )

    gif = animation()
    over_15_mb = initialize(15 * 1024 * 1024 + 1)
    unknown_id = append("1234567890", 0, gif)
    media_id = initialize(len(gif)).json()["data"]["id"]
    out_of_order = append(media_id, 1, gif[:100])
    too_large = append(media_id, 0, b"\0" * (5 * 1024 * 1024 + 1))
    first = append(media_id, 0, gif[:100])
    too_soon = requests.post(f"{base}/{media_id}/finalize", headers=headers)
    not_finalized = requests.post(
        f"{fake.base_url}/2/tweets",
        headers=headers,
        json={"text": "Detour", "media": {"media_ids": [media_id]}},
    )

    for refused, message in [
        (over_15_mb, "File size exceeds 15728640 bytes for tweet_gif."),
        (unknown_id, "$.id: no upload in progress with this id"),
        (out_of_order, "Segment 1 is out of order: the next segment is 0."),
        (too_large, "Segment size exceeds 5242880 bytes."),
        (too_soon, f"The upload is incomplete: 100 of {len(gif)} bytes have been received."),
        (not_finalized, "Your media IDs are invalid."),
    ]:
        assert refused.status_code == 400
        assert refused.json()["type"].endswith("/invalid-request")
        assert refused.json()["errors"][0]["message"] == message
    assert first.status_code == 200 and "expires_at" in first.json()["data"]
    [media] = fake.media
    assert media["data"] == gif[:100] and media["state"] == "uploading"


def test_the_sandbox_puts_an_animated_gif_on_a_post_only_on_its_own(fake, adapter, publication):
    gif = adapter.upload_media(Image(data=animation(), mime_type="image/gif", alt="Detour map"))
    photo = adapter.upload_media(Image(data=picture(), mime_type="image/png", alt="Crews"))

    both = requests.post(
        f"{fake.base_url}/2/tweets",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"text": "Detour", "media": {"media_ids": [photo, gif]}},
    )

    assert both.status_code == 400
    assert both.json()["errors"][0]["message"] == "Your media IDs are invalid."


# --- The draft form: X's rules for animated GIFs ------------------------------------------
def _draft_for_x_with(gif, client, city, platforms):
    """The poster's draft form sent with one GIF for the X channel."""
    data = form_data(
        city,
        channels=[platforms.x.channel],
        new_image_1=upload(gif, "detour.gif"),
        new_image_1_alt="Animated map of the detour along 3rd Avenue",
    )
    return city.sign_in_client(client, "poster").post(reverse("posting:new"), data)


def test_the_form_accepts_an_animated_gif_for_x(client, city, platforms):
    gif = animation()

    response = _draft_for_x_with(gif, client, city, platforms)

    assert response.status_code == 302
    [image] = Post.objects.get().images.all()
    assert image.mime_type == "image/gif" and image.read() == gif


def test_the_form_refuses_a_gif_over_15_mb_for_x(client, city, platforms):
    gif = animation(padding=15 * 1024 * 1024)

    response = _draft_for_x_with(gif, client, city, platforms)

    assert response.status_code == 400
    assert (
        f"City on X: image 1 (detour.gif) is 15.1 MB ({len(gif):,} bytes); X takes animated GIFs "
        "up to 15 MB (15,728,640 bytes). Make it smaller or leave that channel out."
    ) in response.content.decode()
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_the_form_refuses_a_gif_with_photos_for_x(client, city, platforms):
    data = form_data(
        city,
        channels=[platforms.x.channel, platforms.bluesky.channel],
        new_image_1=upload(picture(), "crews.png"),
        new_image_1_alt="Crews repaving Main Street",
        new_image_2=upload(animation(), "detour.gif"),
        new_image_2_alt="Animated map of the detour along 3rd Avenue",
    )

    response = city.sign_in_client(client, "poster").post(reverse("posting:new"), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "City on X: image 2 (detour.gif) is a GIF; X takes one animated GIF on a post, or up "
        "to 4 other images, not both. Post the GIF on its own or leave that channel out."
    ) in page
    assert "City on Bluesky" not in page.split("The post was not saved")[1].split("</ul>")[0]
    assert not Post.objects.exists()


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
