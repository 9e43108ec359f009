"""702.7: a published version's record names its images (original bytes stored under their
SHA-256, alternative text, media type), and the City Clerk's export carries those very bytes."""

import csv
import hashlib

import bagit
import pytest

from posting.platforms import PublishResult
from posting.publishing import record_success
from tests.posting.images import attach, media_root, picture  # noqa: F401

from .conftest import export

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def published_with_photo(city):
    """A post with a JPEG photo, approved and published on the city website."""
    photo = picture("JPEG", size=(120, 80))
    post = city.draft(channels=[city.website], title="Main Street reopens")
    attach(post, photo, "Main Street open to traffic again, new lane markings", "reopened.jpg")
    post.submit(by=city.poster, equipment=city.kit(city.poster))
    city.approve(post)
    record_success(
        post.publications.get(), PublishResult(f"news-{post.pk}", "http://127.0.0.1/news/", {})
    )
    return post, photo


def test_702_7_the_published_record_names_each_image_with_its_alt_text_and_type(
    published_with_photo,
):
    post, photo = published_with_photo

    record = post.archive_records.get(kind="published")

    [media] = record.payload["post"]["media"]
    image = post.images.get()
    assert media == {
        "position": 1,
        "name": "reopened.jpg",
        "stored_as": image.file.name,
        "sha256": hashlib.sha256(photo).hexdigest(),
        "size": len(photo),
        "mime_type": "image/jpeg",
        "width": 120,
        "height": 80,
        "alt_text": "Main Street open to traffic again, new lane markings",
    }


def test_702_7_the_exported_bag_carries_the_image_in_its_original_bytes(
    city, tmp_path, published_with_photo
):
    post, photo = published_with_photo
    record = post.archive_records.get(kind="published")

    result = export({"channel": "city-website"}, to=tmp_path, by=city.clerk)

    copied = result.bag_path / "data" / "media" / str(record.sequence) / "1-reopened.jpg"
    digest = hashlib.sha256(copied.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(photo).hexdigest()  # the stored bytes, not a re-rendering
    assert digest == record.payload["post"]["media"][0]["sha256"]
    with open(result.bag_path / "data" / "media.csv", newline="") as file:
        [row] = list(csv.DictReader(file))
    assert (row["outcome"], row["sha256"]) == ("copied", digest)
    assert row["alt_text"] == "Main Street open to traffic again, new lane markings"
    manifest = (result.bag_path / "manifest-sha256.txt").read_text()
    assert f"{digest}  data/media/{record.sequence}/1-reopened.jpg" in manifest
    assert result.media_files == 1 and result.media_missing == 0
    bagit.Bag(str(result.bag_path)).validate()
