"""The Facebook Page adapter against the sandbox Graph API, over real HTTP on 127.0.0.1.

Nothing is mocked: FakeFacebook speaks the Graph API's wire format (Page feed and photos,
object reads and deletes, Graph error objects, usage headers).
"""

import json

import pytest
import requests
from django.contrib.auth import get_user_model

from posting.models import Channel, Post, Publication
from posting.platforms import adapter_for
from posting.platforms.base import Image, PlatformError
from posting.platforms.facebook import FacebookAdapter, throttle_wait
from posting.sandbox.facebook import FakeFacebook

TOKEN = "EAAtest-page-token-123"
ENV_VAR = "TEST_FACEBOOK_TOKEN"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
COMPLIANCE = (
    "Comments cannot be turned off on Facebook Pages through the API; moderate them under the "
    "city's comment policy."
)


@pytest.fixture
def fake():
    server = FakeFacebook(port=0, token=TOKEN).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def token_env(monkeypatch):
    monkeypatch.setenv(ENV_VAR, TOKEN)


@pytest.fixture
def channel(db, fake, token_env, settings):
    settings.PLATFORM_HTTP_TIMEOUT = 5
    return Channel.objects.create(
        name="City on Facebook (sandbox)",
        slug="city-facebook",
        platform="facebook",
        api_base_url=f"{fake.base_url}/v21.0",
        credentials_ref=ENV_VAR,
    )


@pytest.fixture
def adapter(channel):
    return FacebookAdapter(channel)


@pytest.fixture
def author(db):
    return get_user_model().objects.create_user(username="pio", password="not-used-here-123")


def make_publication(author, channel, body="Road closure on Main St. until 5 pm today."):
    post = Post.objects.create(
        author=author, title="Main St. closure", body=body, category="announcement"
    )
    return Publication.objects.create(post=post, channel=channel)


@pytest.fixture
def publication(author, channel):
    return make_publication(author, channel)


def feed_posts(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/feed")]


# --- Publishing -----------------------------------------------------------------------
@pytest.mark.django_db
def test_publish_posts_the_message_to_the_page_feed_with_the_token_in_a_header(
    fake, adapter, publication
):
    result = adapter.publish(publication)

    [sent] = feed_posts(fake)
    assert sent.path == f"/v21.0/{fake.page_id}/feed"
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in sent.path
    assert sent.form == {"message": "Road closure on Main St. until 5 pm today."}

    [post] = fake.posts
    assert result.remote_id == post["id"] and post["id"].startswith(f"{fake.page_id}_")
    assert result.remote_url == post["permalink_url"]
    assert result.raw_response["message"] == "Road closure on Main St. until 5 pm today."
    assert result.raw_response["created_time"].endswith("+0000")
    assert requests.get(result.remote_url).status_code == 200  # the sandbox shows it there


@pytest.mark.django_db
def test_a_bare_token_finds_its_page_with_me_and_json_credentials_name_it(
    fake, adapter, publication, author, channel, monkeypatch
):
    adapter.publish(publication)
    assert [r.path.split("?")[0] for r in fake.requests][:1] == ["/v21.0/me"]

    fake.reset()
    monkeypatch.setenv(ENV_VAR, json.dumps({"page_id": fake.page_id, "access_token": TOKEN}))
    FacebookAdapter(channel).publish(make_publication(author, channel, body="Second"))
    assert not any(r.path.startswith("/v21.0/me") for r in fake.requests)


@pytest.mark.django_db
def test_a_link_in_the_text_is_sent_as_the_link_parameter_too(fake, adapter, author, channel):
    body = "Storm update 🌧️: https://riverton.example.gov/storm?day=2. Stay safe."
    adapter.publish(make_publication(author, channel, body=body))

    [sent] = feed_posts(fake)
    assert sent.form == {"message": body, "link": "https://riverton.example.gov/storm?day=2"}


@pytest.mark.django_db
def test_find_existing_finds_the_post_after_a_dropped_answer_and_the_retry_does_not_repost(
    fake, adapter, publication
):
    fake.drop_next()  # the post is made; the answer is lost

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)
    assert caught.value.permanent is False
    [made] = fake.posts

    found = adapter.find_existing(publication)
    assert found is not None and found.remote_id == made["id"]
    assert found.remote_url == made["permalink_url"]
    [lookup] = [r for r in fake.requests if r.method == "GET" and "/posts" in r.path]
    assert lookup.path.startswith(f"/v21.0/{fake.page_id}/posts?")
    assert set(lookup.query["fields"].split(",")) >= {"message", "created_time", "permalink_url"}
    assert int(lookup.query["since"]) <= int(publication.created_at.timestamp())

    publication.attempts = 2  # the worker's retry
    result = adapter.publish(publication)

    assert result.remote_id == made["id"]
    assert len(fake.posts) == 1 and len(feed_posts(fake)) == 1


@pytest.mark.django_db
def test_find_existing_is_none_when_no_recent_post_has_this_message(
    fake, adapter, publication, author, channel
):
    adapter.publish(make_publication(author, channel, body="Something else entirely"))

    assert adapter.find_existing(publication) is None


@pytest.mark.django_db
def test_a_duplicate_message_is_refused_permanently_with_facebooks_words(
    fake, adapter, publication, author, channel
):
    adapter.publish(publication)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(make_publication(author, channel, body=publication.post.body))

    error = caught.value
    assert error.permanent is True and error.status == 400
    assert "Duplicate status message" in error.message
    assert error.response["error"]["code"] == 506
    assert "(Facebook trace " in error.message


# --- Failures -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_invalid_token_is_permanent_code_190_and_says_to_enter_a_new_one(
    fake, adapter, publication, monkeypatch
):
    monkeypatch.setenv(ENV_VAR, "not-the-token")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True and error.status == 400
    assert error.response["error"]["code"] == 190
    assert "Invalid OAuth access token" in error.message and "Enter a new token" in error.message
    assert "not-the-token" not in error.message
    assert fake.posts == []


@pytest.mark.django_db
def test_an_expired_token_is_permanent(fake, adapter, publication):
    fake.expire_token()

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is True
    assert caught.value.response["error"]["error_subcode"] == 463
    assert "Session has expired" in caught.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "minutes"), [(80001, 1), (32, 3), (4, 2), (17, 5), (613, 1)])
def test_throttling_is_transient_with_retry_after_from_the_usage_headers(
    fake, adapter, publication, code, minutes
):
    fake.throttle_next(code=code, minutes=minutes)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is False
    assert error.response["error"]["code"] == code
    assert error.retry_after == minutes * 60
    assert "limiting requests" in error.message
    assert fake.posts == []


@pytest.mark.django_db
def test_throttling_without_an_estimate_waits_a_default(fake, adapter, publication):
    fake.fail_next(400, body={"error": {"message": "(#32) Page request limit reached", "code": 32}})

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is False and caught.value.retry_after == 600


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "error", "permanent"),
    [
        (
            500,
            {"message": "An unexpected error has occurred.", "code": 2, "type": "OAuthException"},
            False,
        ),
        (500, {"message": "An unknown error occurred", "code": 1, "type": "OAuthException"}, False),
        (400, {"message": "Temporarily unavailable", "code": 100, "is_transient": True}, False),
        (400, {"message": "You're temporarily blocked from posting", "code": 368}, True),
        (400, {"message": "(#200) Permissions error", "code": 200}, True),
        (400, {"message": "(#100) Invalid parameter", "code": 100}, True),
    ],
)
def test_graph_errors_map_to_permanent_or_transient_with_the_platform_message(
    fake, adapter, publication, status, error, permanent
):
    fake.fail_next(status, body={"error": {**error, "fbtrace_id": "AbCdEf123"}})

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is permanent and caught.value.status == status
    assert error["message"] in caught.value.message
    assert "AbCdEf123" in caught.value.message


@pytest.mark.django_db
def test_proxy_html_error_page_is_transient(fake, adapter, publication):
    fake.fail_next(502, body="<html><body><h1>502 Bad Gateway</h1></body></html>")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.status == 502 and not caught.value.permanent


@pytest.mark.django_db
def test_a_message_over_the_limit_is_refused_permanently(fake, adapter, author, channel):
    publication = make_publication(author, channel, body="a" * 63207)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent and "63206" in caught.value.message


def test_throttle_wait_reads_minutes_from_each_usage_header():
    assert throttle_wait({"X-App-Usage": '{"call_count": 100, "total_time": 5}'}) is None
    assert throttle_wait({"X-Page-Usage": '{"estimated_time_to_regain_access": 4}'}) == 240
    buc = '{"1": [{"type": "pages", "estimated_time_to_regain_access": 2}, {"estimated_time_to_regain_access": 7}]}'
    assert throttle_wait({"X-Business-Use-Case-Usage": buc}) == 420
    assert throttle_wait({"X-Business-Use-Case-Usage": "not json"}) is None


# --- Delete, fetch, verify --------------------------------------------------------------
@pytest.mark.django_db
def test_delete_removes_the_post(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id

    adapter.delete(publication)

    assert fake.posts == []
    [delete] = [r for r in fake.requests if r.method == "DELETE"]
    assert delete.path == f"/v21.0/{publication.remote_id}"
    assert delete.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.django_db
def test_deleting_an_already_deleted_post_counts_as_done(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    adapter.delete(publication)  # code 100, subcode 33: it is gone either way

    assert fake.posts == []


@pytest.mark.django_db
def test_a_404_on_delete_counts_as_done(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.fail_next(
        404, method="DELETE", path="/:id", body={"error": {"message": "Not found", "code": 803}}
    )

    adapter.delete(publication)


@pytest.mark.django_db
def test_delete_failing_on_the_server_is_reported(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.fail_next(500, method="DELETE", path="/:id")

    with pytest.raises(PlatformError) as caught:
        adapter.delete(publication)

    assert caught.value.status == 500 and not caught.value.permanent
    assert len(fake.posts) == 1


@pytest.mark.django_db
def test_fetch_reads_message_time_and_permalink(fake, adapter, publication):
    published = adapter.publish(publication)
    publication.remote_id = published.remote_id

    fetched = adapter.fetch(publication)

    assert fetched["id"] == published.remote_id
    assert fetched["message"] == "Road closure on Main St. until 5 pm today."
    assert fetched["permalink_url"] == published.remote_url
    [read] = [
        r
        for r in fake.requests
        if r.method == "GET" and r.path.startswith(f"/v21.0/{published.remote_id}")
    ][-1:]
    assert read.query["fields"] == "id,message,created_time,permalink_url"


@pytest.mark.django_db
def test_fetch_of_a_deleted_post_is_permanent(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    with pytest.raises(PlatformError) as caught:
        adapter.fetch(publication)

    assert caught.value.permanent
    assert caught.value.response["error"]["error_subcode"] == 33


@pytest.mark.django_db
def test_verify_credentials_returns_the_page(fake, adapter):
    page = adapter.verify_credentials()

    assert page["id"] == fake.page_id and page["name"] == "City (sandbox)"


# --- Photos ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_one_image_is_posted_through_photos_with_caption_and_alt_text(fake, adapter, publication):
    image = Image(data=PNG, mime_type="image/png", alt="Map of the closure")

    result = adapter.publish(publication, images=[image])

    [upload] = [r for r in fake.requests if r.path.endswith("/photos")]
    assert upload.path == f"/v21.0/{fake.page_id}/photos"
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    form = upload.form
    assert form["source"] == PNG
    assert form["caption"] == publication.post.body
    assert form["alt_text_custom"] == "Map of the closure"
    [post] = fake.posts
    assert result.remote_id == post["id"]
    assert post["attachments"][0]["alt_text"] == "Map of the closure"


@pytest.mark.django_db
def test_several_images_are_uploaded_unpublished_then_attached_to_one_post(
    fake, adapter, publication
):
    images = [Image(data=PNG, mime_type="image/png", alt=f"Photo {n}") for n in (1, 2)]

    adapter.publish(publication, images=images)

    uploads = [r.form for r in fake.requests if r.path.endswith("/photos")]
    assert [u["published"] for u in uploads] == ["false", "false"]
    [sent] = feed_posts(fake)
    photo_ids = [p["id"] for p in fake.photos]
    assert [json.loads(sent.form[f"attached_media[{n}]"]) for n in (0, 1)] == [
        {"media_fbid": photo_ids[0]},
        {"media_fbid": photo_ids[1]},
    ]
    [post] = fake.posts
    assert [a["alt_text"] for a in post["attachments"]] == ["Photo 1", "Photo 2"]


@pytest.mark.django_db
def test_an_image_without_alt_text_is_refused_before_upload(fake, adapter, publication):
    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication, images=[Image(data=PNG, mime_type="image/png", alt="")])

    assert caught.value.permanent and "alternative text" in caught.value.message
    assert not any(r.path.endswith("/photos") for r in fake.requests)


# --- Text and capabilities ---------------------------------------------------------------
def test_text_is_counted_in_characters_up_to_63206():
    adapter = FacebookAdapter(channel=None)

    assert adapter.text_limit == 63206
    assert adapter.text_length("Road closed 🚧 https://riverton.gov") == 34
    assert adapter.capabilities.counts_text_by == "characters"


def test_capabilities_say_plainly_that_comments_cannot_be_turned_off():
    caps = FacebookAdapter(channel=None).capabilities

    assert caps.restricts_replies is False
    assert caps.reply_restriction == COMPLIANCE
    assert caps.can_delete is True and caps.max_images >= 1


@pytest.mark.django_db
def test_adapter_for_a_facebook_channel(channel):
    assert isinstance(adapter_for(channel), FacebookAdapter)


# --- The sandbox itself -------------------------------------------------------------------
def test_every_answer_carries_the_usage_headers_and_graph_errors(fake):
    answers = [
        requests.get(f"{fake.base_url}/v21.0/me", params={"access_token": TOKEN}),
        requests.get(f"{fake.base_url}/me", headers={"Authorization": f"Bearer {TOKEN}"}),
        requests.get(f"{fake.base_url}/v21.0/{fake.page_id}_1", params={"access_token": TOKEN}),
        requests.post(f"{fake.base_url}/v21.0/{fake.page_id}/feed", data={"message": "x"}),
    ]

    assert [a.status_code for a in answers] == [200, 200, 400, 400]
    assert answers[2].json()["error"]["code"] == 100
    assert answers[3].json()["error"]["code"] == 104
    for answer in answers:
        app = json.loads(answer.headers["X-App-Usage"])
        assert set(app) == {"call_count", "total_cputime", "total_time"}
        page = json.loads(answer.headers["X-Page-Usage"])
        assert page["estimated_time_to_regain_access"] == 0
        buc = json.loads(answer.headers["X-Business-Use-Case-Usage"])
        assert buc[fake.page_id][0]["type"] == "pages"
    for error in (answers[2], answers[3]):
        assert set(error.json()["error"]) >= {"message", "type", "code", "fbtrace_id"}


def test_home_page_lists_posts_escaped_and_says_it_is_a_sandbox(fake):
    for text in ("Older <b>post</b>", "Newer post"):
        requests.post(
            f"{fake.base_url}/v21.0/{fake.page_id}/feed",
            data={"message": text, "access_token": TOKEN},
        ).raise_for_status()

    page = requests.get(f"{fake.base_url}/")

    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert "<title>Sandbox (Facebook Graph API)</title>" in html
    assert "Nothing here is public" in html
    assert "&lt;b&gt;post&lt;/b&gt;" in html and "<b>post</b>" not in html
    assert html.index("Newer post") < html.index("Older")
    assert "http" not in html.split("<main>")[0]


def test_throttle_control_over_http(fake):
    assert requests.post(f"{fake.base_url}/_sandbox/throttle", json={"code": 32, "minutes": 2}).ok

    answer = requests.post(
        f"{fake.base_url}/v21.0/{fake.page_id}/feed", data={"message": "x", "access_token": TOKEN}
    )

    assert answer.status_code == 400 and answer.json()["error"]["code"] == 32
    assert json.loads(answer.headers["X-Page-Usage"])["estimated_time_to_regain_access"] == 2
    assert fake.posts == []


# --- Corrections (702.4.1) --------------------------------------------------------------
@pytest.mark.django_db
def test_a_page_post_cannot_reply_so_a_correction_is_a_post_of_its_own(
    fake, adapter, author, channel
):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    correction = make_publication(author, channel, body="Correction: Main St. is open again.")

    adapter.publish(correction, reply_to=original)

    assert not FacebookAdapter.capabilities.can_reply
    assert feed_posts(fake)[-1].form == {"message": "Correction: Main St. is open again."}
    assert len(fake.posts) == 2
