"""The Mastodon adapter against the sandbox Mastodon server, over real HTTP on 127.0.0.1.

Nothing is mocked: FakeMastodon speaks Mastodon's documented wire format
(docs.joinmastodon.org methods/statuses, entities/Status and Error, api/rate-limits).
"""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
import requests
from django.contrib.auth import get_user_model

from posting.models import Channel, Post, Publication
from posting.platforms.base import PlatformError
from posting.platforms.mastodon import MastodonAdapter
from posting.sandbox.mastodon import FakeMastodon, status_length

TOKEN = "test-token-123"
ENV_VAR = "TEST_MASTODON_TOKEN"
CREATED_AT_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
RESET_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@pytest.fixture
def fake():
    server = FakeMastodon(port=0, token=TOKEN).start()
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
        name="City on Mastodon (sandbox)",
        slug="city-mastodon",
        platform="mastodon",
        api_base_url=fake.base_url,
        credentials_ref=ENV_VAR,
    )


@pytest.fixture
def adapter(channel):
    return MastodonAdapter(channel)


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


def status_posts(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path == "/api/v1/statuses"]


# --- Publishing ---------------------------------------------------------------------
@pytest.mark.django_db
def test_publish_sends_bearer_token_idempotency_key_and_text_and_returns_the_status(
    fake, adapter, publication
):
    result = adapter.publish(publication)

    [sent] = status_posts(fake)
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["Idempotency-Key"] == str(publication.idempotency_key)
    form = parse_qs(sent.body)
    assert form["status"] == ["Road closure on Main St. until 5 pm today."]
    assert form["visibility"] == ["public"]

    [status] = fake.statuses
    assert result.remote_id == status["id"]
    assert result.remote_url == f"{fake.base_url}/@city/{status['id']}"
    assert result.raw_response["content"] == "<p>Road closure on Main St. until 5 pm today.</p>"
    assert result.raw_response["account"]["acct"] == "city"


@pytest.mark.django_db
def test_published_status_follows_the_status_entity_format(fake, adapter, publication):
    raw = adapter.publish(publication).raw_response

    assert isinstance(raw["id"], str) and raw["id"].isdigit()
    assert CREATED_AT_RE.match(raw["created_at"])
    assert raw["uri"] == f"{fake.base_url}/users/city/statuses/{raw['id']}"
    assert raw["visibility"] == "public"
    assert raw["language"] == "en"
    assert {"id", "username", "acct", "display_name", "url"} <= raw["account"].keys()
    assert raw["media_attachments"] == [] and raw["reblog"] is None


@pytest.mark.django_db
def test_status_content_is_escaped_html(fake, adapter, author, channel):
    publication = make_publication(author, channel, body='Tips <script>alert("x")</script> & more')

    content = adapter.publish(publication).raw_response["content"]

    assert "<script>" not in content
    assert content == "<p>Tips &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>"


@pytest.mark.django_db
def test_publishing_the_same_publication_twice_leaves_one_status(fake, adapter, publication):
    first = adapter.publish(publication)
    second = adapter.publish(publication)

    assert second.remote_id == first.remote_id
    assert len(fake.statuses) == 1
    assert len(status_posts(fake)) == 2  # two requests, one status


@pytest.mark.django_db
def test_two_publications_make_two_statuses(fake, adapter, author, channel):
    adapter.publish(make_publication(author, channel, body="First"))
    adapter.publish(make_publication(author, channel, body="Second"))

    assert [s["content"] for s in fake.statuses] == ["<p>First</p>", "<p>Second</p>"]


# --- Failures -------------------------------------------------------------------------
@pytest.mark.django_db
def test_server_error_is_a_retryable_platform_error_with_the_server_message(
    fake, adapter, publication
):
    fake.fail_next(500, body={"error": "Something went wrong on our end"})

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is False
    assert error.status == 500
    assert "Something went wrong on our end" in error.message
    assert error.response == {"error": "Something went wrong on our end"}
    assert fake.statuses == []


@pytest.mark.django_db
def test_retry_after_server_errors_publishes_once(fake, adapter, publication):
    fake.fail_next(503, count=2)

    for _ in range(2):
        with pytest.raises(PlatformError) as caught:
            adapter.publish(publication)
        assert caught.value.status == 503 and not caught.value.permanent
    result = adapter.publish(publication)

    assert [s["id"] for s in fake.statuses] == [result.remote_id]


@pytest.mark.django_db
def test_proxy_html_error_page_is_a_retryable_error_not_a_crash(fake, adapter, publication):
    fake.fail_next(502, body="<html><body><h1>502 Bad Gateway</h1></body></html>")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.status == 502 and not caught.value.permanent
    assert "Bad Gateway" in caught.value.message


@pytest.mark.django_db
def test_error_body_that_is_not_an_object_is_still_a_platform_error(fake, adapter, publication):
    fake.fail_next(503, body=["unexpected", "shape"])

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.status == 503 and not caught.value.permanent


@pytest.mark.django_db
def test_text_over_500_characters_is_a_permanent_422(fake, adapter, author, channel):
    publication = make_publication(author, channel, body="a" * 501)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True
    assert error.status == 422
    assert "Validation failed: Text character limit of 500 exceeded" in error.message
    assert fake.statuses == []


@pytest.mark.django_db
def test_blank_text_is_a_permanent_422_with_mastodons_message(fake, adapter, author, channel):
    publication = make_publication(author, channel, body="   ")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is True
    assert caught.value.response == {"error": "Validation failed: Text can't be blank"}


@pytest.mark.django_db
def test_wrong_token_is_a_permanent_401(fake, adapter, publication, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "not-the-token")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True
    assert error.status == 401
    assert "The access token is invalid" in error.message
    assert fake.statuses == []


@pytest.mark.django_db
def test_missing_credentials_env_var_is_permanent_with_a_clear_message(
    fake, adapter, publication, monkeypatch
):
    monkeypatch.delenv(ENV_VAR)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True
    assert ENV_VAR in error.message
    assert "not configured" in error.message
    assert fake.requests == []  # nothing was sent without a token


@pytest.mark.django_db
def test_rate_limited_429_is_retryable_and_carries_status_429(fake, adapter, publication):
    fake.fail_next(429)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.status == 429
    assert error.permanent is False
    assert error.response == {"error": "Too many requests"}


@pytest.mark.django_db
def test_unreachable_server_is_a_retryable_error(adapter, publication, fake):
    fake.stop()

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is False
    assert caught.value.outcome_unknown is False  # refused before anything was sent
    assert "could not be reached" in caught.value.message


@pytest.mark.django_db
def test_connection_dropped_after_write_then_retry_with_same_key_gives_one_status(
    fake, adapter, publication
):
    fake.drop_next()

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)
    assert caught.value.permanent is False
    assert len(fake.statuses) == 1  # the write happened; only the answer was lost

    result = adapter.publish(publication)

    assert [s["id"] for s in fake.statuses] == [result.remote_id]
    keys = {r.headers["Idempotency-Key"] for r in status_posts(fake)}
    assert keys == {str(publication.idempotency_key)}


# --- Delete and fetch ----------------------------------------------------------------
@pytest.mark.django_db
def test_delete_removes_the_status_from_the_server(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id

    adapter.delete(publication)

    assert fake.statuses == []
    [delete] = [r for r in fake.requests if r.method == "DELETE"]
    assert delete.path == f"/api/v1/statuses/{publication.remote_id}"
    assert delete.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.django_db
def test_deleting_an_already_deleted_status_counts_as_done(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    adapter.delete(publication)  # the server answers 404; the status is gone either way

    assert fake.statuses == []


@pytest.mark.django_db
def test_delete_failing_on_the_server_is_reported(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.fail_next(500, method="DELETE", path="/api/v1/statuses/:id")

    with pytest.raises(PlatformError) as caught:
        adapter.delete(publication)

    assert caught.value.status == 500 and not caught.value.permanent
    assert len(fake.statuses) == 1


@pytest.mark.django_db
def test_fetch_returns_the_status(fake, adapter, publication):
    published = adapter.publish(publication)
    publication.remote_id = published.remote_id

    fetched = adapter.fetch(publication)

    assert fetched["id"] == published.remote_id
    assert fetched["content"] == "<p>Road closure on Main St. until 5 pm today.</p>"
    assert fetched["url"] == published.remote_url


@pytest.mark.django_db
def test_fetch_of_a_deleted_status_is_a_permanent_404(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    with pytest.raises(PlatformError) as caught:
        adapter.fetch(publication)

    assert caught.value.status == 404 and caught.value.permanent
    assert caught.value.response == {"error": "Record not found"}


@pytest.mark.django_db
def test_verify_credentials_returns_the_sandbox_account(adapter):
    account = adapter.verify_credentials()

    assert account["username"] == "city"
    assert "source" in account  # CredentialAccount


# --- Text length ---------------------------------------------------------------------
def test_text_length_counts_a_url_as_23_characters():
    adapter = MastodonAdapter(channel=None)
    url = "https://www.example.gov/news/2025/road-closures/main-street-and-5th-avenue"

    assert adapter.text_length(f"Details: {url}") == len("Details: ") + 23
    assert adapter.text_length("http://a.io") == 23


def test_text_length_counts_a_remote_mention_by_its_local_part():
    adapter = MastodonAdapter(channel=None)

    assert adapter.text_length("Thanks @firedept@mastodon.example.org!") == len("Thanks @firedept!")
    assert adapter.text_length("Thanks @firedept") == len("Thanks @firedept")


def test_text_length_counts_punctuation_after_a_url():
    adapter = MastodonAdapter(channel=None)

    assert adapter.text_length("See https://city.example/news.") == len("See ") + 23 + 1
    assert adapter.text_length("(see https://city.example/a)") == 1 + len("see ") + 23 + 1


@pytest.mark.parametrize(
    "text",
    [
        "Plain words only.",
        "See https://city.example/a/very/long/path?with=query&and=more#fragment",
        "Two links: https://a.example/x, and http://b.example/y!",
        "Ask @pio@social.example or @clerk about it.",
        "Email clerk@city.example is not a mention; nor is a@b@c.example.",
        "Wiki https://en.wikipedia.org/wiki/Main_(street) ok",
        "Tags #RoadWork and #Main2025 cost their full length",
        "gluedhttps://example.com is not a link",
    ],
)
def test_adapter_text_length_agrees_with_the_sandbox_counter(text):
    assert MastodonAdapter(channel=None).text_length(text) == status_length(text)


@pytest.mark.django_db
def test_a_text_the_adapter_counts_as_500_is_accepted_and_501_is_refused(
    fake, adapter, author, channel
):
    url = "https://city.example/" + "long-path/" * 20
    filler = 500 - adapter.text_length(f"{url} ")
    at_limit = make_publication(author, channel, body=f"{url} " + "a" * filler)
    over = make_publication(author, channel, body=f"{url} " + "a" * (filler + 1))
    assert adapter.text_length(at_limit.post.body) == 500
    assert len(at_limit.post.body) > 500

    adapter.publish(at_limit)
    with pytest.raises(PlatformError) as caught:
        adapter.publish(over)

    assert caught.value.status == 422 and caught.value.permanent
    assert len(fake.statuses) == 1


# --- The sandbox itself ----------------------------------------------------------------
def test_every_api_answer_carries_mastodons_rate_limit_headers(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answers = [
        requests.post(f"{fake.base_url}/api/v1/statuses", headers=auth, data={"status": "hi"}),
        requests.get(f"{fake.base_url}/api/v1/accounts/verify_credentials", headers=auth),
        requests.get(f"{fake.base_url}/api/v1/statuses/1"),  # 404
        requests.post(f"{fake.base_url}/api/v1/statuses", data={"status": "no token"}),  # 401
    ]

    assert [a.status_code for a in answers] == [200, 200, 404, 401]
    for answer in answers:
        assert answer.headers["X-RateLimit-Limit"] == "300"
        assert int(answer.headers["X-RateLimit-Remaining"]) < 300
        assert RESET_RE.match(answer.headers["X-RateLimit-Reset"])
        assert set(answer.json()) <= {"error", "error_description"} or answer.ok


def test_injected_429_has_its_reset_a_few_seconds_ahead(fake):
    fake.fail_next(429)

    answer = requests.post(
        f"{fake.base_url}/api/v1/statuses",
        headers={"Authorization": f"Bearer {TOKEN}"},
        data={"status": "hi"},
    )

    assert answer.status_code == 429
    assert answer.json() == {"error": "Too many requests"}
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    reset = datetime.strptime(answer.headers["X-RateLimit-Reset"], "%Y-%m-%dT%H:%M:%S.%fZ")
    ahead = (reset.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
    assert 1 < ahead <= 6


def test_deleting_returns_the_source_text_instead_of_content(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status = requests.post(
        f"{fake.base_url}/api/v1/statuses", headers=auth, json={"status": "Delete & redraft"}
    ).json()

    deleted = requests.delete(f"{fake.base_url}/api/v1/statuses/{status['id']}", headers=auth)

    assert deleted.status_code == 200
    assert deleted.json()["text"] == "Delete & redraft"
    assert "content" not in deleted.json()
    gone = requests.get(f"{fake.base_url}/api/v1/statuses/{status['id']}")
    assert gone.status_code == 404 and gone.json() == {"error": "Record not found"}


def test_account_statuses_are_newest_first_and_limited(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for text in ("one", "two", "three"):
        requests.post(f"{fake.base_url}/api/v1/statuses", headers=auth, data={"status": text})

    answer = requests.get(f"{fake.base_url}/api/v1/accounts/1/statuses", params={"limit": 2})

    assert [s["content"] for s in answer.json()] == ["<p>three</p>", "<p>two</p>"]
    assert 'rel="next"' in answer.headers["Link"]


def test_control_surface_over_http_injects_failures_and_resets(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    control = requests.post(
        f"{fake.base_url}/_sandbox/fail",
        json={"status": 503, "count": 1, "body": {"error": "Down for maintenance"}},
    )
    assert control.status_code == 200

    failed = requests.post(f"{fake.base_url}/api/v1/statuses", headers=auth, data={"status": "x"})
    worked = requests.post(f"{fake.base_url}/api/v1/statuses", headers=auth, data={"status": "y"})
    requests.post(f"{fake.base_url}/_sandbox/reset")

    assert failed.status_code == 503 and failed.json() == {"error": "Down for maintenance"}
    assert worked.status_code == 200
    assert fake.statuses == [] and fake.requests == []


def test_home_page_shows_the_timeline_escaped_and_says_it_is_a_sandbox(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for text in ("Older <b>post</b>", "Newer post"):
        requests.post(f"{fake.base_url}/api/v1/statuses", headers=auth, data={"status": text})

    page = requests.get(f"{fake.base_url}/")

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert '<html lang="en">' in html
    assert "<title>Sandbox (Mastodon API)</title>" in html
    assert "<h1>Sandbox (Mastodon API)</h1>" in html
    assert "local sandbox that speaks the Mastodon API" in html
    assert "Nothing here is public" in html
    assert "&lt;b&gt;post&lt;/b&gt;" in html and "<b>post</b>" not in html
    assert html.index("Newer post") < html.index("Older")
    assert "<time datetime=" in html
    assert "http://" not in html.split("<main>")[0]  # no external assets in the head


def test_concurrent_posts_with_one_idempotency_key_make_one_status(fake):
    fake.set_latency(0.1)
    headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "same-key"}

    def post(_):
        return requests.post(
            f"{fake.base_url}/api/v1/statuses", headers=headers, data={"status": "Once"}
        ).json()["id"]

    with ThreadPoolExecutor(max_workers=5) as pool:
        ids = set(pool.map(post, range(5)))

    assert len(ids) == 1
    assert [s["id"] for s in fake.statuses] == list(ids)


# --- Replies (702.4.1: a correction answers the update it corrects) ------------------
@pytest.mark.django_db
def test_a_reply_names_the_status_it_answers_in_in_reply_to_id(fake, adapter, author, channel):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    correction = make_publication(author, channel, body="Correction: Main St. is open again.")

    raw = adapter.publish(correction, reply_to=original).raw_response

    assert parse_qs(status_posts(fake)[-1].body)["in_reply_to_id"] == [original.remote_id]
    assert raw["in_reply_to_id"] == original.remote_id
    assert MastodonAdapter.capabilities.can_reply
    page = requests.get(f"{fake.base_url}/@city/{raw['id']}").text
    assert f'in reply to <a href="/@city/{original.remote_id}">' in page


@pytest.mark.django_db
def test_a_reply_to_a_status_deleted_on_mastodon_goes_out_on_its_own(
    fake, adapter, author, channel
):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    adapter.delete(original)
    correction = make_publication(author, channel, body="Correction: Main St. is open again.")

    raw = adapter.publish(correction, reply_to=original).raw_response

    refused, sent = [parse_qs(r.body) for r in status_posts(fake)][-2:]
    assert refused["in_reply_to_id"] == [original.remote_id] and "in_reply_to_id" not in sent
    assert raw["in_reply_to_id"] is None
    assert [s["id"] for s in fake.statuses] == [raw["id"]]
