"""The X adapter against the sandbox X API v2, over real HTTP on 127.0.0.1.

Nothing is mocked: FakeX speaks X's wire format (POST/GET/DELETE /2/tweets, users/me and a
user's posts, problem JSON and errors arrays, x-rate-limit-* headers, t.co links in text).
"""

import time

import pytest
import requests
from django.contrib.auth import get_user_model

from posting.models import Channel, Post, Publication
from posting.platforms import adapter_for
from posting.platforms.base import PlatformError
from posting.platforms.x import XAdapter, comparable, weighted_length
from posting.sandbox.x import FakeX
from posting.sandbox.x import weighted_length as server_weighted_length

TOKEN = "oauth2-user-token-123"
ENV_VAR = "TEST_X_TOKEN"


@pytest.fixture
def fake():
    server = FakeX(port=0, token=TOKEN).start()
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
        name="City on X (sandbox)",
        slug="city-x",
        platform="x",
        handle="@CitySandbox",
        api_base_url=fake.base_url,
        public_url=f"{fake.base_url}/CitySandbox",
        credentials_ref=ENV_VAR,
    )


@pytest.fixture
def adapter(channel):
    return XAdapter(channel)


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


def creates(fake):
    return [r for r in fake.requests if r.method == "POST" and r.route == "/2/tweets"]


# --- Publishing -----------------------------------------------------------------------
@pytest.mark.django_db
def test_publish_sends_the_text_with_the_most_restrictive_reply_settings(
    fake, adapter, publication
):
    result = adapter.publish(publication)

    [sent] = creates(fake)
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.json == {
        "text": "Road closure on Main St. until 5 pm today.",
        "reply_settings": "mentionedUsers",
    }
    [post] = fake.posts
    assert post["reply_settings"] == "mentionedUsers"
    assert result.remote_id == post["id"]
    assert result.remote_url == f"{fake.base_url}/CitySandbox/status/{post['id']}"
    assert result.raw_response["data"]["edit_history_tweet_ids"] == [post["id"]]
    assert requests.get(result.remote_url).status_code == 200  # the sandbox shows it there


@pytest.mark.django_db
def test_without_a_handle_or_public_url_the_link_is_xs_own(fake, channel, publication):
    channel.handle, channel.public_url = "", ""

    result = XAdapter(channel).publish(publication)

    assert result.remote_url == f"https://x.com/i/web/status/{result.remote_id}"


@pytest.mark.django_db
def test_find_existing_finds_the_post_after_a_dropped_answer_and_the_retry_does_not_repost(
    fake, adapter, author, channel
):
    body = "Road work & detours <Main St.>: details at https://riverton.gov/roads?week=2 today"
    publication = make_publication(author, channel, body=body)
    fake.drop_next()  # the post is made; the answer is lost

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)
    assert caught.value.permanent is False
    [made] = fake.posts
    assert "https://t.co/" in made["text"] and "&amp;" in made["text"]  # as X gives it back

    found = adapter.find_existing(publication)
    assert found is not None and found.remote_id == made["id"]
    [lookup] = [r for r in fake.requests if r.route.endswith("/tweets") and r.method == "GET"]
    assert lookup.route == f"/2/users/{fake.user_id}/tweets"
    assert lookup.query["exclude"] == "retweets"  # replies count: a correction is a reply
    assert 5 <= int(lookup.query["max_results"]) <= 100
    assert lookup.query["start_time"].endswith("Z")

    publication.attempts = 2  # the worker's retry
    result = adapter.publish(publication)

    assert result.remote_id == made["id"]
    assert len(fake.posts) == 1 and len(creates(fake)) == 1


@pytest.mark.django_db
def test_find_existing_is_none_when_no_recent_post_has_this_text(
    fake, adapter, publication, author, channel
):
    adapter.publish(make_publication(author, channel, body="Something else entirely"))

    assert adapter.find_existing(publication) is None


def test_comparable_text_ignores_tco_links_and_escaping():
    assert comparable("A & B: https://t.co/AbCdEf1234") == comparable(
        "A &amp; B: https://riverton.gov/a/long/path"
    )
    assert comparable("A & B") != comparable("A and B")


# --- Failures -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_duplicate_content_is_refused_permanently_with_xs_words(
    fake, adapter, publication, author, channel
):
    adapter.publish(publication)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(make_publication(author, channel, body=publication.post.body))

    error = caught.value
    assert error.permanent is True and error.status == 403
    assert "You are not allowed to create a Tweet with duplicate content." in error.message
    assert error.response["title"] == "Forbidden"


@pytest.mark.django_db
def test_a_text_weighing_280_is_accepted_and_281_refused(fake, adapter, author, channel):
    url = "https://riverton.gov/" + "long-path/" * 20
    base = f"{url} 東京 "  # 23 + 1 + 4 + 1 = 29
    assert adapter.text_length(base) == 29
    at_limit = make_publication(author, channel, body=base + "a" * 251)
    over = make_publication(author, channel, body=base + "a" * 252)
    assert adapter.text_length(at_limit.post.body) == 280 < len(at_limit.post.body)

    adapter.publish(at_limit)
    with pytest.raises(PlatformError) as caught:
        adapter.publish(over)

    assert caught.value.permanent and caught.value.status == 403
    assert "too long" in caught.value.message
    assert len(fake.posts) == 1


@pytest.mark.django_db
def test_a_wrong_or_expired_token_is_permanent_and_says_to_reconnect(
    fake, adapter, publication, monkeypatch
):
    monkeypatch.setenv(ENV_VAR, "not-the-token")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True and error.status == 401
    assert error.response == {
        "title": "Unauthorized",
        "type": "about:blank",
        "status": 401,
        "detail": "Unauthorized",
    }
    assert "connect the account again" in error.message and "not-the-token" not in error.message


@pytest.mark.django_db
def test_rate_limited_429_carries_retry_after_from_x_rate_limit_reset(fake, adapter, publication):
    fake.rate_limit_next(seconds=5)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.status == 429 and error.permanent is False
    assert error.response["title"] == "Too Many Requests"
    assert 3 <= error.retry_after <= 5
    assert "limiting requests" in error.message


@pytest.mark.django_db
def test_the_24_hour_posting_limit_sets_retry_after_from_its_own_reset(fake, adapter, publication):
    reset = int(time.time()) + 3 * 3600
    fake.fail_next(
        429,
        headers={
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": str(reset),
        },
    )

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert 3 * 3600 - 5 <= caught.value.retry_after <= 3 * 3600


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "body", "permanent", "words"),
    [
        (
            503,
            {
                "title": "Service Unavailable",
                "detail": "Service Unavailable",
                "type": "about:blank",
                "status": 503,
            },
            False,
            "Service Unavailable",
        ),
        (500, None, False, "could not take"),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", False, "could not take"),
        (
            400,
            {
                "errors": [
                    {"parameters": {"text": [""]}, "message": "$.text: must be a non-empty string"}
                ],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
            True,
            "One or more parameters to your request was invalid.",
        ),
        (
            403,
            {
                "title": "Forbidden",
                "detail": "You are not permitted to perform this action.",
                "type": "about:blank",
                "status": 403,
            },
            True,
            "not permitted",
        ),
    ],
)
def test_errors_map_to_permanent_or_transient_with_the_platform_message(
    fake, adapter, publication, status, body, permanent, words
):
    fake.fail_next(status, body=body)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is permanent and caught.value.status == status
    assert words in caught.value.message
    assert fake.posts == []


# --- Delete, fetch, verify --------------------------------------------------------------
@pytest.mark.django_db
def test_delete_removes_the_post(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id

    adapter.delete(publication)

    assert fake.posts == []
    [delete] = [r for r in fake.requests if r.method == "DELETE"]
    assert delete.route == f"/2/tweets/{publication.remote_id}"
    assert delete.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.django_db
def test_deleting_an_already_deleted_post_counts_as_done(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    adapter.delete(publication)  # 404: it is gone either way

    assert fake.posts == []


@pytest.mark.django_db
def test_deleted_false_for_a_post_that_is_still_there_is_an_error(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.keep_next_delete()  # 200 {"data": {"deleted": false}}; the adapter checks, finds it

    with pytest.raises(PlatformError) as caught:
        adapter.delete(publication)

    assert caught.value.permanent is False and "still there" in caught.value.message


@pytest.mark.django_db
def test_delete_failing_on_the_server_is_reported(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.fail_next(500, method="DELETE", path="/2/tweets/:id")

    with pytest.raises(PlatformError) as caught:
        adapter.delete(publication)

    assert caught.value.status == 500 and not caught.value.permanent
    assert len(fake.posts) == 1


@pytest.mark.django_db
def test_fetch_returns_the_post(fake, adapter, publication):
    published = adapter.publish(publication)
    publication.remote_id = published.remote_id

    fetched = adapter.fetch(publication)

    assert fetched["id"] == published.remote_id
    assert fetched["text"] == "Road closure on Main St. until 5 pm today."
    assert fetched["reply_settings"] == "mentionedUsers"
    assert "created_at" in fetched


@pytest.mark.django_db
def test_fetch_of_a_deleted_post_is_permanent(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    with pytest.raises(PlatformError) as caught:
        adapter.fetch(publication)

    assert caught.value.permanent and caught.value.status == 404
    assert "Could not find tweet" in caught.value.message


@pytest.mark.django_db
def test_verify_credentials_returns_the_account(fake, adapter):
    account = adapter.verify_credentials()

    assert account == {"id": fake.user_id, "name": "City (sandbox)", "username": "CitySandbox"}


# --- Text length ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words.", 12),
        ("https://riverton.gov/a/very/long/path/that/goes/on/and/on", 23),
        ("http://a.co", 23),
        ("See riverton.gov.", 4 + 23 + 1),  # a bare domain is a link too; the "." is not
        ("bit.ly", 6),  # a short ccTLD domain without a path is not a link
        ("bit.ly/abc", 23),
        ("clerk@riverton.gov", 18),  # an e-mail address is not a link
        ("東京都", 6),  # CJK: 2 each
        ("한국어", 6),  # Hangul: 2 each
        ("café", 4),  # Latin-1: 1 each
        ("cafe\u0301", 4),  # NFC first: e + combining accent is one é
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466", 2),  # ZWJ family: 2
        ("\U0001f44d\U0001f3fd", 2),  # skin tone: 2
        ("\U0001f1eb\U0001f1f7", 2),  # flag: 2
        ("1\ufe0f\u20e3", 2),  # keycap: 2
        ("\u201cquoted\u201d \u2014 yes\u2026", 16),  # curly quotes and dash 1; ellipsis 2
        ("Road 🚧 https://riverton.gov/x, 東京 ok", 5 + 2 + 1 + 23 + 2 + 4 + 3),
    ],
)
def test_text_length_weighs_like_twitter_text_v3(text, expected):
    assert XAdapter(channel=None).text_length(text) == expected == weighted_length(text)
    assert server_weighted_length(text) == expected  # the sandbox counts the same


def test_the_limit_and_capabilities_say_what_x_does():
    adapter = XAdapter(channel=None)

    assert adapter.text_limit == 280
    caps = adapter.capabilities
    assert caps.restricts_replies is True and "mentions" in caps.reply_restriction
    assert caps.counts_text_by == "weighted characters"
    assert caps.can_delete is True


@pytest.mark.django_db
def test_adapter_for_an_x_channel(channel):
    assert isinstance(adapter_for(channel), XAdapter)


# --- The sandbox itself -------------------------------------------------------------------
def test_every_answer_carries_rate_limit_headers_and_posting_its_24_hour_limits(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answers = [
        requests.post(f"{fake.base_url}/2/tweets", headers=auth, json={"text": "hi"}),
        requests.get(f"{fake.base_url}/2/users/me", headers=auth),
        requests.get(f"{fake.base_url}/2/tweets/1", headers=auth),
        requests.post(f"{fake.base_url}/2/tweets", json={"text": "no token"}),
    ]

    assert [a.status_code for a in answers] == [201, 200, 200, 401]
    assert answers[2].json()["errors"][0]["type"].endswith("/resource-not-found")
    for answer in answers:
        assert int(answer.headers["x-rate-limit-limit"]) > 0
        assert int(answer.headers["x-rate-limit-remaining"]) >= 0
        assert int(answer.headers["x-rate-limit-reset"]) > time.time()
    assert answers[0].headers["x-user-limit-24hour-remaining"].isdigit()
    assert answers[0].headers["x-app-limit-24hour-limit"].isdigit()


def test_home_page_lists_posts_escaped_and_says_it_is_a_sandbox(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for text in ("Older <b>post</b>", "Newer post"):
        requests.post(f"{fake.base_url}/2/tweets", headers=auth, json={"text": text})

    page = requests.get(f"{fake.base_url}/")

    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert "<title>Sandbox (X API)</title>" in html
    assert "Nothing here is public" in html
    assert "&lt;b&gt;post&lt;/b&gt;" in html and "<b>post</b>" not in html
    assert html.index("Newer post") < html.index("Older")
    assert "http" not in html.split("<main>")[0]


def test_control_surface_over_http(fake):
    assert requests.post(f"{fake.base_url}/_sandbox/rate_limit", json={"seconds": 3}).ok

    limited = requests.post(
        f"{fake.base_url}/2/tweets",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"text": "x"},
    )
    requests.post(f"{fake.base_url}/_sandbox/reset")

    assert limited.status_code == 429
    assert 1 <= int(limited.headers["x-rate-limit-reset"]) - time.time() <= 3
    assert fake.requests == []


# --- Replies (702.4.1: a correction answers the update it corrects) ------------------
@pytest.mark.django_db
def test_a_reply_names_the_post_it_answers_and_keeps_the_restrictive_reply_settings(
    fake, adapter, author, channel
):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    correction = make_publication(author, channel, body="Correction: Main St. is open again.")

    result = adapter.publish(correction, reply_to=original)

    assert creates(fake)[-1].json == {
        "text": "Correction: Main St. is open again.",
        "reply_settings": "mentionedUsers",
        "reply": {"in_reply_to_tweet_id": original.remote_id},
    }
    [_, reply] = fake.posts
    assert reply["id"] == result.remote_id
    assert reply["referenced_tweets"] == [{"type": "replied_to", "id": original.remote_id}]
    assert reply["conversation_id"] == original.remote_id
    assert reply["reply_settings"] == "mentionedUsers"
    assert XAdapter.capabilities.can_reply
    assert f'in reply to <a href="/CitySandbox/status/{original.remote_id}">' in (
        requests.get(result.remote_url).text
    )


@pytest.mark.django_db
def test_the_fake_refuses_a_reply_to_a_malformed_post_id_as_an_invalid_request(fake, channel):
    answer = requests.post(
        f"{fake.base_url}/2/tweets",
        json={"text": "A reply", "reply": {"in_reply_to_tweet_id": "not-a-number"}},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )

    assert answer.status_code == 400
    assert answer.json()["type"].endswith("/invalid-request")
    assert fake.posts == []


@pytest.mark.django_db
def test_a_reply_to_a_post_deleted_on_x_goes_out_on_its_own(fake, adapter, author, channel):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    adapter.delete(original)
    correction = make_publication(author, channel, body="Correction: Main St. is open again.")

    adapter.publish(correction, reply_to=original)

    refused, sent = [r.json for r in creates(fake)][-2:]
    assert refused["reply"] == {"in_reply_to_tweet_id": original.remote_id}
    assert "reply" not in sent
    [post] = fake.posts
    assert "referenced_tweets" not in post
