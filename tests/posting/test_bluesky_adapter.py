"""The Bluesky adapter against the sandbox PDS, over real HTTP on 127.0.0.1.

Nothing is mocked: FakeBluesky speaks the AT Protocol's XRPC wire format (createSession,
refreshSession, createRecord, getRecord, deleteRecord, uploadBlob; errors as
{"error", "message"}; RateLimit-* headers).
"""

import json
import re
import time

import pytest
import requests
from django.contrib.auth import get_user_model

from posting.models import Channel, Post, Publication
from posting.platforms import adapter_for
from posting.platforms.base import Image, PlatformError
from posting.platforms.bluesky import (
    BlueskyAdapter,
    forget_sessions,
    grapheme_length,
    link_facets,
    rkey_for,
)
from posting.sandbox.bluesky import FakeBluesky, graphemes

IDENTIFIER = "city.bsky.social"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
ENV_VAR = "TEST_BLUESKY_CREDENTIALS"
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
CREATED_AT_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def no_cached_sessions():
    forget_sessions()
    yield
    forget_sessions()


@pytest.fixture
def fake():
    server = FakeBluesky(port=0, identifier=IDENTIFIER, app_password=APP_PASSWORD).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def credentials_env(monkeypatch):
    monkeypatch.setenv(
        ENV_VAR, json.dumps({"identifier": IDENTIFIER, "app_password": APP_PASSWORD})
    )


@pytest.fixture
def channel(db, fake, credentials_env, settings):
    settings.PLATFORM_HTTP_TIMEOUT = 5
    return Channel.objects.create(
        name="City on Bluesky (sandbox)",
        slug="city-bluesky",
        platform="bluesky",
        handle=f"@{IDENTIFIER}",
        api_base_url=fake.base_url,
        public_url=f"{fake.base_url}/profile/{IDENTIFIER}",
        credentials_ref=ENV_VAR,
    )


@pytest.fixture
def adapter(channel):
    return BlueskyAdapter(channel)


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


def calls(fake, nsid, method="POST"):
    return [r for r in fake.requests if r.nsid == nsid and r.method == method]


def creates(fake, collection="app.bsky.feed.post"):
    return [
        r
        for r in calls(fake, "com.atproto.repo.createRecord")
        if r.json["collection"] == collection
    ]


# --- Publishing -----------------------------------------------------------------------
@pytest.mark.django_db
def test_publish_signs_in_then_creates_the_post_record_with_its_own_rkey(
    fake, adapter, publication
):
    result = adapter.publish(publication)

    [signin] = calls(fake, "com.atproto.server.createSession")
    assert signin.json == {"identifier": IDENTIFIER, "password": APP_PASSWORD}
    [create] = creates(fake)
    assert create.headers["Authorization"].startswith("Bearer ")
    assert create.headers["Content-Type"] == "application/json"
    body = create.json
    assert body["repo"] == fake.did
    assert body["collection"] == "app.bsky.feed.post"
    assert body["rkey"] == rkey_for(publication)
    assert TID_RE.match(body["rkey"])
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == "Road closure on Main St. until 5 pm today."
    assert CREATED_AT_RE.match(record["createdAt"])
    assert record["langs"] == ["en"]
    assert "facets" not in record  # no links in this text

    [post] = fake.posts
    assert result.remote_id == post["uri"] == f"at://{fake.did}/app.bsky.feed.post/{body['rkey']}"
    assert result.remote_url == f"{fake.base_url}/profile/{fake.did}/post/{body['rkey']}"
    assert result.raw_response["cid"] == post["cid"]
    assert requests.get(result.remote_url).status_code == 200  # the sandbox shows it there


@pytest.mark.django_db
def test_every_post_gets_a_threadgate_with_the_same_rkey_that_allows_no_replies(
    fake, adapter, publication
):
    result = adapter.publish(publication)

    [gate_create] = creates(fake, "app.bsky.feed.threadgate")
    assert gate_create.json["rkey"] == rkey_for(publication)
    gate = gate_create.json["record"]
    assert gate["$type"] == "app.bsky.feed.threadgate"
    assert gate["post"] == result.remote_id
    assert gate["allow"] == []  # an empty allow list: nobody can reply (702.5.1)
    assert CREATED_AT_RE.match(gate["createdAt"])
    [post] = fake.posts
    assert post["threadgate"]["allow"] == []
    assert result.raw_response["threadgate"]["uri"].endswith(
        f"/app.bsky.feed.threadgate/{rkey_for(publication)}"
    )


@pytest.mark.django_db
def test_link_facet_offsets_are_utf8_bytes_after_an_emoji(fake, adapter, author, channel):
    text = "Storm 🌧️ update — détails: https://riverton.example.gov/storm?x=1. Stay safe"
    publication = make_publication(author, channel, body=text)

    adapter.publish(publication)

    [create] = creates(fake)
    [facet] = create.json["record"]["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    prefix = "Storm 🌧️ update — détails: "
    assert start == len(prefix.encode("utf-8")) == 35  # not len(prefix) == 27
    assert len(prefix) == 27
    assert text.encode("utf-8")[start:end] == b"https://riverton.example.gov/storm?x=1"
    assert facet["features"] == [
        {"$type": "app.bsky.richtext.facet#link", "uri": "https://riverton.example.gov/storm?x=1"}
    ]


def test_link_facets_cover_bare_domains_and_leave_punctuation_and_emails_out():
    text = "(see riverton.gov/roads) or https://a.example.org/x), mail clerk@riverton.gov!"
    facets = link_facets(text)
    data = text.encode("utf-8")

    spans = [data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in facets]
    assert spans == ["riverton.gov/roads", "https://a.example.org/x"]
    assert [f["features"][0]["uri"] for f in facets] == [
        "https://riverton.gov/roads",
        "https://a.example.org/x",
    ]


@pytest.mark.django_db
def test_the_rkey_is_a_valid_tid_fixed_per_publication_and_different_between_them(
    adapter, author, channel
):
    first = make_publication(author, channel, body="One")
    second = make_publication(author, channel, body="Two")

    assert rkey_for(first) == rkey_for(Publication.objects.get(pk=first.pk))
    assert rkey_for(first) != rkey_for(second)
    assert TID_RE.match(rkey_for(first)) and TID_RE.match(rkey_for(second))


@pytest.mark.django_db
def test_publishing_the_same_publication_twice_leaves_one_post(fake, adapter, publication):
    first = adapter.publish(publication)
    second = adapter.publish(publication)

    assert second.remote_id == first.remote_id
    assert len(fake.posts) == 1 and len(fake.threadgates) == 1
    assert len(creates(fake)) == 1  # the second attempt found it with getRecord
    assert len(calls(fake, "com.atproto.server.createSession")) == 1  # the session was kept


@pytest.mark.django_db
def test_retry_after_a_dropped_answer_finds_the_record_and_does_not_post_twice(
    fake, adapter, publication
):
    fake.drop_next()  # the post is written, the answer is lost

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)
    assert caught.value.permanent is False
    assert caught.value.outcome_unknown  # written, maybe: the retry must look first
    assert "may or may not have been made" in caught.value.message
    [post] = fake.posts
    assert post["threadgate"] is None  # the first attempt never got that far

    result = adapter.publish(publication)

    assert [p["uri"] for p in fake.posts] == [result.remote_id]
    assert len(creates(fake)) == 1  # one createRecord of the post, ever
    lookups = calls(fake, "com.atproto.repo.getRecord", method="GET")
    assert lookups[-2].query == {
        "repo": fake.did,
        "collection": "app.bsky.feed.post",
        "rkey": rkey_for(publication),
    }
    assert fake.posts[0]["threadgate"]["allow"] == []  # the retry added the thread gate
    assert result.raw_response["found_existing"] is True


@pytest.mark.django_db
def test_expired_access_token_refreshes_the_session_and_retries_once(
    fake, adapter, author, channel
):
    adapter.publish(make_publication(author, channel, body="First"))
    fake.expire_access_tokens()
    before = len(fake.requests)

    adapter.publish(make_publication(author, channel, body="Second"))

    sequence = [(r.nsid, r.method) for r in fake.requests[before:]]
    assert sequence == [
        ("com.atproto.repo.getRecord", "GET"),
        ("com.atproto.repo.createRecord", "POST"),  # 400 ExpiredToken
        ("com.atproto.server.refreshSession", "POST"),
        ("com.atproto.repo.createRecord", "POST"),  # the same call, once more
        ("com.atproto.repo.createRecord", "POST"),  # the thread gate
    ]
    refresh = fake.requests[before + 2]
    first_session = calls(fake, "com.atproto.server.createSession")[0]
    assert refresh.headers["Authorization"] != first_session.headers.get("Authorization")
    assert len(calls(fake, "com.atproto.server.createSession")) == 1
    assert [p["value"]["text"] for p in fake.posts] == ["First", "Second"]


@pytest.mark.django_db
def test_expired_refresh_token_too_means_signing_in_again(fake, adapter, author, channel):
    adapter.publish(make_publication(author, channel, body="First"))
    fake.expire_access_tokens()
    fake.expire_refresh_tokens()

    adapter.publish(make_publication(author, channel, body="Second"))

    assert len(calls(fake, "com.atproto.server.createSession")) == 2
    assert len(fake.posts) == 2


# --- Failures -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_wrong_app_password_is_permanent_with_blueskys_message(
    fake, adapter, publication, monkeypatch
):
    monkeypatch.setenv(ENV_VAR, json.dumps({"identifier": IDENTIFIER, "app_password": "nope"}))

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True and error.status == 401
    assert error.message == "Bluesky refused the sign-in: Invalid identifier or password"
    assert "nope" not in error.message
    assert fake.posts == []


@pytest.mark.django_db
def test_credentials_that_are_not_json_are_permanent_and_nothing_is_sent(
    fake, adapter, publication, monkeypatch
):
    monkeypatch.setenv(ENV_VAR, "just-a-password")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.permanent is True
    assert "identifier" in caught.value.message and "just-a-password" not in caught.value.message
    assert fake.requests == []


@pytest.mark.django_db
def test_server_error_is_transient_with_the_platform_message(fake, adapter, publication):
    fake.fail_next(502, body={"error": "UpstreamFailure", "message": "The PDS is unavailable"})

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is False and error.status == 502
    assert "The PDS is unavailable" in error.message
    assert error.response == {"error": "UpstreamFailure", "message": "The PDS is unavailable"}
    assert fake.posts == []


@pytest.mark.django_db
def test_proxy_html_error_page_is_transient_not_a_crash(fake, adapter, publication):
    fake.fail_next(503, body="<html><body><h1>503 Service Unavailable</h1></body></html>")

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    assert caught.value.status == 503 and not caught.value.permanent


@pytest.mark.django_db
def test_rate_limited_429_carries_retry_after_from_ratelimit_reset(fake, adapter, publication):
    fake.rate_limit_next(seconds=5)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.status == 429 and error.permanent is False
    assert error.response == {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
    assert 3 <= error.retry_after <= 5
    assert "limiting requests" in error.message
    assert fake.posts == []


@pytest.mark.django_db
def test_text_over_300_graphemes_is_refused_permanently_with_the_records_error(
    fake, adapter, author, channel
):
    publication = make_publication(author, channel, body="a" * 301)

    with pytest.raises(PlatformError) as caught:
        adapter.publish(publication)

    error = caught.value
    assert error.permanent is True and error.status == 400
    assert "must not be longer than 300 graphemes" in error.message
    assert error.response["error"] == "InvalidRequest"


@pytest.mark.django_db
def test_300_family_emoji_are_300_graphemes_and_are_accepted(fake, adapter, author, channel):
    family = (
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme, 7 code points
    )
    text = family * 100 + "x" * 200
    assert adapter.text_length(text) == 300
    assert len(text) == 900

    adapter.publish(make_publication(author, channel, body=text))

    assert len(fake.posts) == 1


# --- Text length ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words", 11),
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466", 1),  # ZWJ family
        ("\U0001f3f3\ufe0f\u200d\U0001f308", 1),  # rainbow flag: VS16 + ZWJ
        ("\U0001f44d\U0001f3fd", 1),  # thumbs up, skin tone
        ("\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea", 2),  # two flags
        ("e\u0301te\u0301", 3),  # combining accents
        ("\u1100\u1161\u11a8", 1),  # a Hangul syllable in jamo
        ("1\ufe0f\u20e3", 1),  # keycap
        ("line\r\nbreak", 10),  # CRLF is one
        ("https://riverton.gov/a/very/long/path", 37),  # links count as typed
    ],
)
def test_text_length_counts_graphemes(text, expected):
    adapter = BlueskyAdapter(channel=None)

    assert adapter.text_length(text) == expected == grapheme_length(text) == graphemes(text)


def test_the_limit_and_capabilities_say_what_bluesky_does():
    adapter = BlueskyAdapter(channel=None)

    assert adapter.text_limit == 300
    caps = adapter.capabilities
    assert caps.restricts_replies is True and "Nobody can reply" in caps.reply_restriction
    assert caps.can_delete is True and caps.max_images == 4
    assert caps.counts_text_by == "graphemes"


# --- Delete, fetch, verify --------------------------------------------------------------
@pytest.mark.django_db
def test_delete_removes_the_post_and_its_threadgate(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id

    adapter.delete(publication)

    assert fake.posts == [] and fake.threadgates == []
    deletes = calls(fake, "com.atproto.repo.deleteRecord")
    assert [d.json for d in deletes] == [
        {"repo": fake.did, "collection": "app.bsky.feed.post", "rkey": rkey_for(publication)},
        {"repo": fake.did, "collection": "app.bsky.feed.threadgate", "rkey": rkey_for(publication)},
    ]
    assert all(d.headers["Authorization"].startswith("Bearer ") for d in deletes)


@pytest.mark.django_db
def test_deleting_an_already_deleted_post_counts_as_done(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    adapter.delete(publication)

    assert fake.posts == []


@pytest.mark.django_db
def test_a_404_on_delete_counts_as_done_too(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.fail_next(404, count=2, nsid="com.atproto.repo.deleteRecord")

    adapter.delete(publication)  # no exception


@pytest.mark.django_db
def test_delete_failing_on_the_server_is_reported(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    fake.fail_next(500, nsid="com.atproto.repo.deleteRecord")

    with pytest.raises(PlatformError) as caught:
        adapter.delete(publication)

    assert caught.value.status == 500 and not caught.value.permanent
    assert len(fake.posts) == 1


@pytest.mark.django_db
def test_fetch_returns_the_record(fake, adapter, publication):
    published = adapter.publish(publication)
    publication.remote_id = published.remote_id

    fetched = adapter.fetch(publication)

    assert fetched["uri"] == published.remote_id
    assert fetched["value"]["text"] == "Road closure on Main St. until 5 pm today."


@pytest.mark.django_db
def test_fetch_of_a_deleted_post_is_permanent(fake, adapter, publication):
    publication.remote_id = adapter.publish(publication).remote_id
    adapter.delete(publication)

    with pytest.raises(PlatformError) as caught:
        adapter.fetch(publication)

    assert caught.value.permanent and caught.value.status == 404


@pytest.mark.django_db
def test_find_existing_is_none_before_anything_was_posted(fake, adapter, publication):
    assert adapter.find_existing(publication) is None


@pytest.mark.django_db
def test_verify_credentials_signs_in_and_returns_the_session(fake, adapter):
    session = adapter.verify_credentials()

    assert session["handle"] == IDENTIFIER and session["did"] == fake.did
    [check] = calls(fake, "com.atproto.server.getSession", method="GET")
    assert check.headers["Authorization"].startswith("Bearer ")


# --- Images -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_images_are_uploaded_as_blobs_and_embedded_with_alt_text(fake, adapter, publication):
    image = Image(data=PNG, mime_type="image/png", alt="Map of the closure", width=800, height=600)

    adapter.publish(publication, images=[image])

    [upload] = calls(fake, "com.atproto.repo.uploadBlob")
    assert upload.body == PNG
    assert upload.headers["Content-Type"] == "image/png"
    [create] = creates(fake)
    embed = create.json["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    [entry] = embed["images"]
    assert entry["alt"] == "Map of the closure"
    assert entry["aspectRatio"] == {"width": 800, "height": 600}
    assert entry["image"]["$type"] == "blob" and entry["image"]["mimeType"] == "image/png"
    assert entry["image"]["size"] == len(PNG)
    assert fake.posts[0]["value"]["embed"] == embed


@pytest.mark.django_db
def test_an_image_without_alt_text_or_too_large_is_refused_before_anything_is_sent(
    fake, adapter, publication
):
    with pytest.raises(PlatformError) as no_alt:
        adapter.images_embed([Image(data=PNG, mime_type="image/png", alt="  ")])
    with pytest.raises(PlatformError) as too_big:
        adapter.images_embed([Image(data=b"x" * 1_000_001, mime_type="image/jpeg", alt="Big")])
    with pytest.raises(PlatformError) as too_many:
        adapter.images_embed([Image(data=PNG, mime_type="image/png", alt="a")] * 5)

    assert no_alt.value.permanent and "alternative text" in no_alt.value.message
    assert too_big.value.permanent and "1,000,000 bytes" in too_big.value.message
    assert too_many.value.permanent and "at most 4" in too_many.value.message
    assert calls(fake, "com.atproto.repo.uploadBlob") == []


@pytest.mark.django_db
def test_adapter_for_a_bluesky_channel(channel):
    assert isinstance(adapter_for(channel), BlueskyAdapter)


# --- The sandbox itself -------------------------------------------------------------------
def test_every_xrpc_answer_carries_rate_limit_headers(fake):
    answers = [
        requests.post(
            f"{fake.base_url}/xrpc/com.atproto.server.createSession",
            json={"identifier": IDENTIFIER, "password": APP_PASSWORD},
        ),
        requests.get(
            f"{fake.base_url}/xrpc/com.atproto.repo.getRecord",
            params={"repo": fake.did, "collection": "app.bsky.feed.post", "rkey": "3kabcdefghijk"},
        ),
        requests.post(f"{fake.base_url}/xrpc/com.atproto.repo.createRecord", json={}),
    ]

    assert [a.status_code for a in answers] == [200, 400, 401]
    assert answers[1].json()["error"] == "RecordNotFound"
    assert answers[2].json() == {
        "error": "AuthenticationRequired",
        "message": "Authentication Required",
    }
    for answer in answers:
        assert int(answer.headers["RateLimit-Limit"]) >= 30
        assert int(answer.headers["RateLimit-Remaining"]) >= 0
        assert int(answer.headers["RateLimit-Reset"]) > time.time()
        assert re.match(r"^\d+;w=\d+$", answer.headers["RateLimit-Policy"])


def test_home_page_lists_posts_escaped_and_says_it_is_a_sandbox(fake):
    session = requests.post(
        f"{fake.base_url}/xrpc/com.atproto.server.createSession",
        json={"identifier": IDENTIFIER, "password": APP_PASSWORD},
    ).json()
    for number, text in enumerate(["Older <b>post</b>", "Newer post"]):
        requests.post(
            f"{fake.base_url}/xrpc/com.atproto.repo.createRecord",
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
            json={
                "repo": session["did"],
                "collection": "app.bsky.feed.post",
                "rkey": f"3kaaaaaaaaaa{'ab'[number]}",
                "record": {"text": text, "createdAt": "2026-01-01T00:00:00.000Z"},
            },
        ).raise_for_status()

    page = requests.get(f"{fake.base_url}/")

    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert '<html lang="en">' in html
    assert "<title>Sandbox (Bluesky API)</title>" in html
    assert "Nothing here is public" in html
    assert "&lt;b&gt;post&lt;/b&gt;" in html and "<b>post</b>" not in html
    assert html.index("Newer post") < html.index("Older")
    assert "anyone can reply" in html  # no thread gate on these two
    assert "http://" not in html.split("<main>")[0] and "https://" not in html.split("<main>")[0]


def test_control_surface_over_http(fake):
    assert requests.post(f"{fake.base_url}/_sandbox/rate_limit", json={"seconds": 3}).ok
    limited = requests.post(f"{fake.base_url}/xrpc/com.atproto.repo.createRecord", json={})
    requests.post(f"{fake.base_url}/_sandbox/reset")

    assert limited.status_code == 429
    assert 1 <= int(limited.headers["RateLimit-Reset"]) - time.time() <= 3
    assert fake.requests == []


# --- Replies (702.4.1: a correction answers the update it corrects) ------------------
@pytest.mark.django_db
def test_a_reply_carries_strong_refs_to_its_parent_and_the_threads_root(
    fake, adapter, author, channel
):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    first = make_publication(author, channel, body="Correction: Main St. is open again.")
    first.remote_id = adapter.publish(first, reply_to=original).remote_id
    second = make_publication(author, channel, body="Correction: Main St. is open at 6 pm.")

    adapter.publish(second, reply_to=first)

    held = {post["uri"]: post for post in fake.posts}
    root = {"uri": original.remote_id, "cid": held[original.remote_id]["cid"]}
    assert held[first.remote_id]["value"]["reply"] == {"root": root, "parent": root}
    [answer] = [p for p in fake.posts if p["value"]["text"].endswith("6 pm.")]
    parent = {"uri": first.remote_id, "cid": held[first.remote_id]["cid"]}
    assert answer["value"]["reply"] == {"root": root, "parent": parent}
    assert answer["threadgate"]["allow"] == []  # still nobody else may reply
    assert BlueskyAdapter.capabilities.can_reply
    page = requests.get(adapter._post_url(first.remote_id)).text
    assert "in reply to" in page


@pytest.mark.django_db
def test_the_fake_refuses_a_reply_ref_to_a_post_it_does_not_hold(fake, adapter, publication):
    ghost = f"at://{fake.did}/app.bsky.feed.post/3kabcdefghijk"
    ref = {"uri": ghost, "cid": "bafyreib2rxk3rh6kzwq"}
    record = adapter.post_record("A reply", reply={"root": ref, "parent": ref})

    with pytest.raises(PlatformError, match="could not find post"):
        adapter._create_record("app.bsky.feed.post", rkey_for(publication), record)
    assert fake.posts == []


@pytest.mark.django_db
def test_a_reply_to_a_post_deleted_on_bluesky_goes_out_on_its_own(fake, adapter, author, channel):
    original = make_publication(author, channel)
    original.remote_id = adapter.publish(original).remote_id
    adapter.delete(original)
    correction = make_publication(author, channel, body="Correction: Main St. is open again.")

    adapter.publish(correction, reply_to=original)

    [post] = fake.posts
    assert "reply" not in post["value"]
