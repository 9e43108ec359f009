"""Bad input gets a clear message and loses nothing; permissions hold even against a hand-made form."""

import pytest
from django.urls import reverse

from posting.models import Post, PostState

pytestmark = pytest.mark.django_db


def form_data(city, **overrides):
    data = {
        "title": "Leaf collection starts Monday",
        "category": "announcement",
        "channels": [city.website.pk, city.mastodon.pk],
        "body": "Curbside leaf collection starts Monday, November 30. Rake leaves to the curb.",
        "scheduled_for": "",
    }
    data.update(overrides)
    return data


def test_save_draft_creates_a_draft(client, city):
    response = city.sign_in_client(client, "poster").post(reverse("posting:new"), form_data(city))
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.state == PostState.DRAFT
    assert set(post.channels.all()) == {city.website, city.mastodon}


def test_submit_from_the_form_needs_the_702_4_attestation_and_keeps_the_draft(client, city):
    data = form_data(city, submit="1")
    response = city.sign_in_client(client, "poster").post(reverse("posting:new"), data, follow=True)
    post = Post.objects.get()
    assert post.state == PostState.DRAFT
    assert "702.4" in response.content.decode()
    data["attest"] = "on"
    client.post(reverse("posting:edit", args=[post.pk]), data)
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED


def test_empty_text_is_refused_with_a_message(client, city):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, body="")
    )
    assert response.status_code == 400
    assert "Write the text of the post." in response.content.decode()
    assert not Post.objects.exists()


def test_over_long_text_for_a_channel_names_the_channel_and_the_limit(client, city):
    body = "Road work. " * 59 + "Road work."  # 659 characters: fine for the website, not Mastodon
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, body=body)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sandbox (Mastodon API): the text is 659 characters; the limit is 500." in page
    assert body.strip()[:40] in page  # what they typed is still in the form
    assert not Post.objects.exists()


def test_unknown_category_is_refused(client, city):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, category="campaign")
    )
    assert response.status_code == 400
    assert "Choose one of the content categories of 702.4 (a)-(h)." in response.content.decode()
    assert not Post.objects.exists()


def test_a_tampered_form_naming_an_unknown_channel_is_refused(client, city):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, channels=["99999", "not-a-number"])
    )
    assert response.status_code == 400
    assert "702.3" in response.content.decode()
    assert not Post.objects.exists()


def test_a_user_without_authorization_cannot_post_even_by_posting_the_form_directly(client, city):
    data = form_data(city, submit="1", attest="on")
    response = city.sign_in_client(client, "staff").post(reverse("posting:new"), data)
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_staff_without_authorization_are_told_why_on_the_form(client, city):
    response = city.sign_in_client(client, "staff").get(reverse("posting:new"))
    assert "You are not authorized to post" in response.content.decode()


def test_a_past_schedule_is_refused(client, city):
    response = city.sign_in_client(client, "poster").post(
        reverse("posting:new"), form_data(city, scheduled_for="2020-01-01T09:00")
    )
    assert response.status_code == 400
    assert "Choose a time in the future" in response.content.decode()


def test_another_person_cannot_edit_or_see_my_post(client, city):
    post = city.draft()
    city.sign_in_client(client, "staff")
    assert client.get(reverse("posting:detail", args=[post.pk])).status_code == 403
    assert client.post(reverse("posting:edit", args=[post.pk]), form_data(city)).status_code == 403


def test_approve_by_form_post_is_refused_for_non_supervisors(client, city):
    post = city.submitted()
    city.sign_in_client(client, "poster")
    response = client.post(reverse("review:approve", args=[post.pk]))
    post.refresh_from_db()
    assert response.status_code in (302, 403)
    assert post.state == PostState.SUBMITTED


def test_self_approval_by_form_post_is_refused(client, city):
    post = city.submitted(author=city.supervisor)
    city.sign_in_client(client, "supervisor")
    client.post(reverse("review:approve", args=[post.pk]))
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED


def test_user_typed_text_is_escaped(client, city):
    post = city.draft(title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>")
    city.sign_in_client(client, "poster")
    page = client.get(reverse("posting:detail", args=[post.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_character_counts_follow_each_platforms_rules(client, city):
    city.sign_in_client(client, "poster")
    body = "Details: https://www.riverton.example/public-works/leaf-collection-schedule-2026"
    response = client.post(
        reverse("posting:counts"), {"body": body, "channels": [city.website.pk, city.mastodon.pk]}
    )
    page = response.content.decode()
    assert f"City website: {len(body)} of 10000 characters" in page
    assert "Sandbox (Mastodon API): 32 of 500 characters" in page


def test_the_approval_queue_is_for_supervisors(client, city):
    city.sign_in_client(client, "poster")
    assert client.get(reverse("review:queue")).status_code == 403
    city.sign_in_client(client, "supervisor")
    assert client.get(reverse("review:queue")).status_code == 200


def test_the_approval_queue_lists_without_n_plus_one(client, city, django_assert_max_num_queries):
    for number in range(8):
        city.submitted(title=f"Notice {number}")
    city.sign_in_client(client, "supervisor")
    with django_assert_max_num_queries(14):  # one of them reads every post's images
        response = client.get(reverse("review:queue"))
    assert response.content.decode().count("Notice ") == 8
