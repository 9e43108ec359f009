"""Images on posts (702.3 accessibility, 702.7 records): each with its original bytes and its
required alternative text, validated by content and by each channel's limits, covered by the
approval like the words, and shown wherever the post is read."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from posting.media_models import ImageChanges, NewImage, PostImage, change_images
from posting.models import Post, PostState
from review.assessment import assess_post
from tests.posting.images import attach, media_root, picture, upload  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def form_data(city, channels=None, **overrides):
    data = {
        "title": "Main Street closed for repaving",
        "category": "traffic",
        "channels": [c.pk for c in channels] if channels else [city.website.pk, city.mastodon.pk],
        "body": "Main Street is closed between 2nd and 4th Avenue until Friday.",
        "scheduled_for": "",
    }
    data.update(overrides)
    return data


def test_702_3_an_image_is_saved_with_its_bytes_facts_and_alternative_text(client, city):
    png = picture("PNG", size=(64, 48))
    data = form_data(
        city,
        new_image_1=upload(png, "detour.png"),
        new_image_1_alt="Map of the detour along 3rd Avenue",
    )
    response = city.sign_in_client(client, "poster").post(reverse("posting:new"), data)

    assert response.status_code == 302
    [image] = Post.objects.get().images.all()
    assert (image.mime_type, image.width, image.height) == ("image/png", 64, 48)
    assert image.size == len(png) and image.sha256 == hashlib.sha256(png).hexdigest()
    assert image.alt_text == "Map of the detour along 3rd Avenue"
    assert image.file.name == f"post-images/{image.sha256[:2]}/{image.sha256}.png"
    assert image.read() == png  # the original bytes, never re-encoded
    assert image.history.count() == 1


def test_702_3_an_image_without_alternative_text_is_refused_and_nothing_is_saved(client, city):
    data = form_data(city, new_image_1=upload(picture()), new_image_1_alt="   ")
    response = city.sign_in_client(client, "poster").post(reverse("posting:new"), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "New image 1 needs alternative text" in page and "702.3" in page
    assert "Choose the new image files again" in page
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_the_type_is_read_from_the_content_not_the_name(client, city):
    city.sign_in_client(client, "poster")
    disguised = upload(b"%PDF-1.7 not a picture at all", "flyer.png")
    refused = client.post(
        reverse("posting:new"),
        form_data(city, new_image_1=disguised, new_image_1_alt="Flyer for the fair"),
    )
    jpeg_named_png = upload(picture("JPEG"), "photo.png")
    accepted = client.post(
        reverse("posting:new"),
        form_data(city, new_image_1=jpeg_named_png, new_image_1_alt="Crews at work on 3rd"),
    )

    assert refused.status_code == 400
    assert "is not a JPEG, PNG, GIF or WebP picture" in refused.content.decode()
    assert accepted.status_code == 302
    assert PostImage.objects.get().mime_type == "image/jpeg"


def test_a_post_takes_at_most_four_images(city):
    post = city.draft()
    for number in range(1, 5):
        attach(post, picture(color=(number, 0, 0)), f"Photo {number} of the repaving crew")

    fifth = NewImage(upload=upload(picture(color=(9, 9, 9))), alt_text="A fifth photo")
    with pytest.raises(ValidationError, match="at most 4 images"):
        change_images(post, by=city.poster, changes=ImageChanges(add=[fifth]))
    assert post.images.count() == 4


def test_each_channel_names_the_image_it_would_refuse(client, city, platforms):
    big = picture("PNG", size=(600, 600), noise=True)  # about 1.1 MB: over Bluesky's 1,000,000
    gif = picture("GIF")
    data = form_data(
        city,
        channels=[city.website, platforms.bluesky.channel, platforms.x.channel],
        new_image_1=upload(big, "aerial.png"),
        new_image_1_alt="Aerial view of the closed block",
        new_image_2=upload(gif, "detour.gif"),
        new_image_2_alt="Animated map of the detour",
    )
    response = city.sign_in_client(client, "poster").post(reverse("posting:new"), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f"City on Bluesky: image 1 (aerial.png) is 1 MB ({len(big):,} bytes); Bluesky takes "
        "images up to 977 KB (1,000,000 bytes)"
    ) in page
    assert (
        "City on X: image 2 (detour.gif) is a GIF; X takes one animated GIF on a post, or up to 4 "
        "other images, not both"
    ) in page
    assert "City website" not in page.split("The post was not saved")[1].split("</ul>")[0]
    assert not Post.objects.exists()


def test_the_approval_covers_the_images_and_their_alternative_text(city):
    post = city.draft(channels=[city.website])
    image = attach(post, picture(), "Crews repaving Main Street")
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.approve(post)
    approved = post.current_approval()
    assert approved is not None

    PostImage.objects.filter(pk=image.pk).update(alt_text="Crews repaving Main Street at night")

    assert post.current_approval() is None  # it approved another description
    PostImage.objects.filter(pk=image.pk).update(alt_text=image.alt_text)
    assert post.current_approval() == approved
    PostImage.objects.filter(pk=image.pk).update(sha256="0" * 64)  # other bytes
    assert post.current_approval() is None


def test_changing_an_image_in_the_form_returns_an_approved_post_to_draft(client, city):
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    post = city.draft(channels=[city.website], scheduled_for=later)
    image = attach(post, picture(), "Crews repaving Main Street")
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.approve(post)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    data = form_data(
        city,
        channels=[city.website],
        title=post.title,
        body=post.body,
        category=post.category,
        scheduled_for=later.strftime("%Y-%m-%dT%H:%M"),
        **{f"image_{image.pk}_alt": "Two crews repaving Main Street"},
    )

    response = city.sign_in_client(client, "poster").post(
        reverse("posting:edit", args=[post.pk]), data
    )

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.state == PostState.DRAFT and post.current_approval() is None
    assert post.images.get().alt_text == "Two crews repaving Main Street"


def test_a_removed_image_leaves_the_post_and_its_history_keeps_it(client, city):
    post = city.draft(channels=[city.website])
    first = attach(post, picture(color=(1, 2, 3)), "Before: the cracked pavement")
    attach(post, picture(color=(4, 5, 6)), "After: the new pavement")
    data = form_data(
        city,
        channels=[city.website],
        **{f"image_{first.pk}_remove": "on", f"image_{first.pk}_alt": first.alt_text},
    )
    data[f"image_{post.images.last().pk}_alt"] = "After: the new pavement"

    city.sign_in_client(client, "poster").post(reverse("posting:edit", args=[post.pk]), data)

    [left] = post.images.all()
    assert (left.alt_text, left.position) == ("After: the new pavement", 1)
    assert PostImage.history.filter(id=first.pk, history_type="-").exists()


def test_only_the_author_changes_a_posts_images(city):
    post = city.draft()
    image = attach(post, picture(), "Crews repaving Main Street")

    with pytest.raises(PermissionDenied):
        change_images(post, by=city.supervisor, changes=ImageChanges(remove={image.pk}))
    assert post.images.count() == 1


def test_702_3_the_alt_text_check_warns_when_the_description_says_nothing(city):
    post = city.draft()
    attach(post, picture(), "IMG_2041.jpg")

    findings = [f for f in assess_post(post).findings if f.rule == "702.3/alt-text"]

    assert len(findings) == 1 and "needs alternative text describing it" in findings[0].message


def test_the_post_page_and_the_approval_queue_show_each_image_with_its_alternative_text(
    client, city
):
    post = city.draft(channels=[city.website])
    image = attach(post, picture(), "Crews repaving Main Street")
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.sign_in_client(client, "supervisor")

    detail = client.get(post.get_absolute_url()).content.decode()
    queue = client.get(reverse("review:queue")).content.decode()
    served = client.get(image.get_absolute_url())

    for page in (detail, queue):
        assert f'src="{image.get_absolute_url()}" alt="Crews repaving Main Street"' in page
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == image.read()


def test_staff_who_may_not_see_a_post_may_not_see_its_images(client, city):
    post = city.draft()
    image = attach(post, picture(), "Crews repaving Main Street")

    response = city.sign_in_client(client, "staff").get(image.get_absolute_url())

    assert response.status_code == 403


def test_the_news_page_shows_the_images_of_published_items_only(client, city):
    post = city.draft(channels=[city.website], title="Main Street reopens")
    image = attach(post, picture(), "Main Street open to traffic again")
    news_image = reverse("news:image", args=[post.pk, image.pk])
    assert client.get(news_image).status_code == 404  # not published yet

    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.approve(post)
    from posting.platforms import PublishResult
    from posting.publishing import record_success

    record_success(post.publications.get(), PublishResult(f"news-{post.pk}", "http://x/", {}))

    index = client.get(reverse("news:index")).content.decode()
    item = client.get(reverse("news:item", args=[post.pk])).content.decode()
    for page in (index, item):
        assert f'src="{news_image}" alt="Main Street open to traffic again"' in page
    assert client.get(news_image).status_code == 200


def test_each_channels_page_says_what_images_it_takes(client, city, platforms):
    city.sign_in_client(client, "mayor")

    bluesky = client.get(reverse("posting:channel", args=[platforms.bluesky.channel.pk]))
    x = client.get(reverse("posting:channel", args=[platforms.x.channel.pk]))

    assert "Up to 4 per post, each up to 977 KB (1,000,000 bytes); GIF, JPEG, PNG, WebP" in (
        bluesky.content.decode()
    )
    assert (
        "each up to 5 MB (5,242,880 bytes); GIF, JPEG, PNG, WebP; an animated GIF up to 15 MB "
        "(15,728,640 bytes), alone on its post"
    ) in x.content.decode()


def test_submitting_checks_the_images_against_each_channel_again(city, platforms):
    post = city.draft(channels=[city.website])
    attach(post, picture(), "Crews repaving Main Street", "crews.png")
    attach(post, picture("GIF"), "Animated map of the detour", "detour.gif")
    post.channels.add(platforms.x.channel)  # e.g. a channel added where the form was not used

    with pytest.raises(ValidationError) as refused:
        post.submit(by=city.poster, equipment=city.kit(city.poster))

    assert any("City on X: image 2 (detour.gif) is a GIF" in m for m in refused.value.messages)
    post.refresh_from_db()
    assert post.state == PostState.DRAFT


def test_the_live_checks_read_the_alternative_texts_as_the_author_types(client, city):
    data = form_data(city, new_image_1_alt="IMG_0001.jpg", new_image_2_alt="")

    response = city.sign_in_client(client, "poster").post(reverse("posting:counts"), data)

    page = response.content.decode()
    assert 'data-rule="702.3/alt-text"' in page
    assert page.count("needs alternative text describing it") == 1  # the empty slot is unused
