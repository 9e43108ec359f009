"""Images to Mastodon, against the sandbox over real HTTP: POST /api/v2/media with the file and
its alternative text as `description`, waiting while a 202 upload processes, then the status
naming them in `media_ids[]`; refusals in plain words; and one status however often it is sent."""

# The adapter tests' fixtures are imported and then named as parameters, as pytest wants.
# ruff: noqa: F811

import pytest
import requests

from posting.platforms.base import Image, PlatformError
from posting.platforms.mastodon import MastodonAdapter
from tests.posting.images import attach, media_root, picture  # noqa: F401
from tests.posting.test_mastodon_adapter import (  # noqa: F401  (the adapter's own fixtures)
    TOKEN,
    adapter,
    author,
    channel,
    fake,
    publication,
    token_env,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def uploads(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path == "/api/v2/media"]


def status_posts(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path == "/api/v1/statuses"]


def test_each_image_goes_up_with_its_alternative_text_then_the_status_names_them(
    fake, adapter, publication
):
    png, jpeg = picture("PNG"), picture("JPEG")
    attach(publication.post, png, "Map of the detour along 3rd Avenue", "map.png")
    attach(publication.post, jpeg, "Crews repaving Main Street", "crews.jpg")

    result = adapter.publish(publication)

    sent = uploads(fake)
    assert len(sent) == 2
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in sent)
    assert all(r.headers["Content-Type"].startswith("multipart/form-data") for r in sent)
    media = fake.media
    assert [m["data"] for m in media] == [png, jpeg]  # the original bytes, in order
    assert [m["description"] for m in media] == [
        "Map of the detour along 3rd Avenue",
        "Crews repaving Main Street",
    ]
    [status_request] = status_posts(fake)
    assert status_request.params["media_ids[]"] == [str(m["id"]) for m in media]
    [status] = fake.statuses
    assert result.remote_id == status["id"]
    described = [(a["type"], a["description"]) for a in status["media_attachments"]]
    assert described == [
        ("image", "Map of the detour along 3rd Avenue"),
        ("image", "Crews repaving Main Street"),
    ]
    assert requests.get(status["media_attachments"][0]["url"]).content == png


def test_an_upload_still_processing_is_awaited_until_it_has_a_url(fake, channel, publication):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.process_media_slowly(count=1, polls=2)
    adapter = MastodonAdapter(channel)
    adapter.media_poll_interval = 0.01

    adapter.publish(publication)

    [upload] = fake.media
    looks = [r for r in fake.requests if r.method == "GET" and r.path.startswith("/api/v1/media/")]
    assert len(looks) == 3  # 206, 206, then 200 with the url
    assert looks[0].path == f"/api/v1/media/{upload['id']}"
    assert upload["status_id"] is not None and len(fake.statuses) == 1


def test_a_status_naming_media_still_processing_is_refused_by_the_server(fake):
    fake.process_media_slowly(count=1, polls=5)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    upload = requests.post(
        f"{fake.base_url}/api/v2/media",
        headers=headers,
        files={"file": ("map.png", picture(), "image/png")},
        data={"description": "Map"},
    )
    assert upload.status_code == 202 and upload.json()["url"] is None

    status = requests.post(
        f"{fake.base_url}/api/v1/statuses",
        headers=headers,
        data={"status": "Detour", "media_ids[]": [upload.json()["id"]]},
    )

    assert status.status_code == 422
    assert status.json() == {
        "error": "Cannot attach files that have not finished processing. Try again in a moment!"
    }


def test_a_file_mastodon_refuses_stops_for_good_with_its_reason(fake, adapter, publication):
    not_a_picture = Image(data=b"%PDF-1.7 flyer", mime_type="image/png", alt="Fair flyer")

    with pytest.raises(PlatformError) as refused:
        adapter.publish(publication, images=[not_a_picture])

    assert refused.value.permanent and refused.value.status == 422
    assert "File content type is invalid" in refused.value.message
    assert fake.statuses == []


def test_an_image_without_alternative_text_is_refused_before_anything_is_sent(
    fake, adapter, publication
):
    with pytest.raises(PlatformError) as refused:
        adapter.publish(publication, images=[Image(data=picture(), mime_type="image/png", alt="")])

    assert refused.value.permanent and "alternative text" in refused.value.message
    assert uploads(fake) == []


def test_a_lost_answer_to_the_status_is_retried_without_a_second_status(fake, adapter, publication):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.drop_next(path="/api/v1/statuses")

    with pytest.raises(PlatformError) as lost:
        adapter.publish(publication)
    assert lost.value.outcome_unknown
    again = adapter.publish(publication)

    [status] = fake.statuses
    assert again.remote_id == status["id"]
    assert len(status["media_attachments"]) == 1
    # The retry uploaded the image again; that upload stays unattached, the post is single.
    assert [m["status_id"] is None for m in fake.media] == [False, True]
    keys = {r.headers["Idempotency-Key"] for r in status_posts(fake)}
    assert keys == {str(publication.idempotency_key)}


def test_a_lost_answer_to_an_upload_is_retried_and_the_status_goes_out_once(
    fake, adapter, publication
):
    attach(publication.post, picture(), "Map of the detour along 3rd Avenue")
    fake.drop_next(path="/api/v2/media")

    with pytest.raises(PlatformError) as lost:
        adapter.publish(publication)
    assert lost.value.outcome_unknown and status_posts(fake) == []
    adapter.publish(publication)

    assert len(fake.statuses) == 1 and len(fake.media) == 2


def test_the_instance_says_what_images_it_takes(fake):
    answer = requests.get(f"{fake.base_url}/api/v1/instance").json()

    limits = answer["configuration"]["media_attachments"]
    assert limits["image_size_limit"] == MastodonAdapter.capabilities.max_image_bytes
    assert answer["configuration"]["statuses"]["max_media_attachments"] == 4
    assert set(limits["supported_mime_types"]) == MastodonAdapter.capabilities.image_types
