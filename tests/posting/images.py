"""Pictures for the tests of images on posts: real JPEG, PNG, GIF and WebP bytes made by Pillow,
and a draft's images added the way the draft form adds them."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow


def picture(kind: str = "PNG", size=(40, 30), color=(20, 90, 160), noise: bool = False) -> bytes:
    """A real image in `kind` (JPEG, PNG, GIF, WEBP); with `noise`, random pixels that do not
    compress, for size limits."""
    if noise:  # random pixels do not compress: the file is about width x height x 3 bytes
        image = Pillow.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Pillow.new("RGB", size, color)
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def animation(frames: int = 6, size=(40, 30), padding: int = 0) -> bytes:
    """A real animated GIF of `frames` frames of random pixels (a few KB at the default size);
    `padding` bytes more in a GIF comment block, for size limits, still a valid GIF."""
    pictures = [
        Pillow.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) for _ in range(frames)
    ]
    out = io.BytesIO()
    options = {"comment": b"x" * padding} if padding else {}
    pictures[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=200,
        loop=0,
        **options,
    )
    return out.getvalue()


def upload(data: bytes, name: str = "closure-map.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def attach(post, data: bytes, alt: str, name: str = "closure-map.png"):
    """Add one image to a draft as its author, as the draft form does."""
    from posting.media_models import ImageChanges, NewImage, change_images

    changes = ImageChanges(add=[NewImage(upload=upload(data, name), alt_text=alt)])
    return change_images(post, by=post.author, changes=changes)[-1]


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored images go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
