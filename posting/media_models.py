"""Images on posts: the original bytes, what they are, and the alternative text that describes
them (702.3, the Mayor's accessibility guidelines: every image has a text alternative, WCAG 2.1
success criterion 1.1.1).

The bytes are stored once under their SHA-256 and never rewritten or deleted here, so the
archive (702.7) can name them and the City Clerk's export copies exactly what was published.
What an image is (JPEG, PNG, GIF or WebP) is read from its content, never from its name.

Each platform takes images up to its own size and count (the adapters' `Capabilities`):
`channel_image_problems` says, per channel, what one of them would refuse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

MAX_IMAGES = 4  # per post: the most any of the city's platforms puts on one post
# The largest image any platform of the city takes (Mastodon's 16 MB, instance configuration
# `media_attachments.image_size_limit`); each channel's own limit is checked besides.
MAX_IMAGE_BYTES = 16 * 1024 * 1024
# Mastodon's `image_matrix_limit`: larger pictures are refused before they are decoded.
MAX_IMAGE_PIXELS = 33_177_600
MAX_ALT_LENGTH = 1000  # X's limit for alt text, the shortest of the platforms' (Mastodon 1,500)

# What Pillow calls each format we accept, and its media type and usual extension.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP"}
IMAGE_TYPES = frozenset(TYPE_NAMES)
GIF = "image/gif"


def megabytes(size: int) -> str:
    """A size the way people read it: "1.2 MB", "850 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} KB"


def exact_size(size: int) -> str:
    """A size near a limit: rounded, and in bytes, so that "over the limit" is plain to see."""
    return f"{megabytes(size)} ({size:,} bytes)"


@dataclass(frozen=True)
class ImageFacts:
    """What an uploaded file turned out to be, read from its bytes."""

    sha256: str
    size: int
    mime_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return next(ext for mime, ext in FORMATS.values() if mime == self.mime_type)


def inspect_image(upload, *, label: str = "The file") -> ImageFacts:
    """Read `upload`'s bytes: a JPEG, PNG, GIF or WebP picture within our limits, or a
    ValidationError in plain words. The name and the browser's content type are not trusted."""
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    size = upload.size
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            f"{label} is {megabytes(size)}; images may be {megabytes(MAX_IMAGE_BYTES)} at most."
        )
    if size == 0:
        raise ValidationError(f"{label} is empty.")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    try:
        with Pillow.open(upload) as picture:
            kind = picture.format
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"{label} is {width} by {height} pixels; images may have "
                    f"{MAX_IMAGE_PIXELS:,} pixels at most. Make it smaller and attach it again."
                )
            picture.verify()  # a truncated or damaged file fails here
    except ValidationError:
        raise
    except Pillow.DecompressionBombError:
        raise ValidationError(
            f"{label} has more than {MAX_IMAGE_PIXELS:,} pixels; make it smaller and attach it "
            "again."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            f"{label} is not a JPEG, PNG, GIF or WebP picture (its content was checked, not "
            "its name). Save it in one of those formats and attach it again."
        )
    return ImageFacts(
        sha256=digest.hexdigest(),
        size=size,
        mime_type=FORMATS[kind][0],
        width=width,
        height=height,
    )


def clean_alt_text(text: str, *, label: str = "The image") -> str:
    """702.3 / WCAG 1.1.1: every image needs alternative text; it is not optional."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(
            f"{label} needs alternative text: describe what it shows for people who cannot "
            "see it (702.3, accessibility)."
        )
    if len(text) > MAX_ALT_LENGTH:
        raise ValidationError(
            f"The alternative text of {label.lower()} is {len(text):,} characters; keep it to "
            f"{MAX_ALT_LENGTH:,} (the shortest limit of the city's platforms)."
        )
    return text


def stored_name(facts: ImageFacts) -> str:
    """Content-addressed: the same bytes always live at the same name, stored once."""
    return f"post-images/{facts.sha256[:2]}/{facts.sha256}.{facts.extension}"


def store_original(upload, facts: ImageFacts) -> str:
    """Keep the original bytes under their SHA-256 (never re-encoded); return the name."""
    name = stored_name(facts)
    if not default_storage.exists(name):
        upload.seek(0)
        saved = default_storage.save(name, File(upload, name=PurePath(name).name))
        if saved != name:  # another request stored the same bytes at the same moment
            default_storage.delete(saved)
    return name


class PostImageQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("position", "pk")


class PostImage(models.Model):
    """One image on a post, as uploaded, with its alternative text (702.3)."""

    post = models.ForeignKey("posting.Post", on_delete=models.PROTECT, related_name="images")
    position = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(max_length=200, editable=False)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(editable=False)
    mime_type = models.CharField(
        max_length=20, choices=[(m, TYPE_NAMES[m]) for m in sorted(IMAGE_TYPES)], editable=False
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt_text = models.TextField(help_text="What the image shows, for people who cannot see it.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = PostImageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="one_image_per_position"),
            # 702.3: alternative text is required; the form says so, the database insists.
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="post_image_has_alt_text"
            ),
        ]

    def __str__(self) -> str:
        return f"Image {self.position} of {self.post_id}: {self.alt_text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("posting:image", args=[self.post_id, self.pk])

    @property
    def name(self) -> str:
        return self.original_name or PurePath(self.file.name).name

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.mime_type, self.mime_type)

    @property
    def size_label(self) -> str:
        return megabytes(self.size)

    def read(self) -> bytes:
        with default_storage.open(self.file.name, "rb") as stored:
            return stored.read()

    def digest_entry(self) -> dict:
        """What an approval of the post covers about this image (Post.content_digest)."""
        return {"sha256": self.sha256, "alt_text": self.alt_text}

    def as_record(self) -> dict:
        """702.7: the archive's entry (records.export copies `stored_as` in original bytes)."""
        return {
            "position": self.position,
            "name": self.name,
            "stored_as": self.file.name,
            "sha256": self.sha256,
            "size": self.size,
            "mime_type": self.mime_type,
            "width": self.width,
            "height": self.height,
            "alt_text": self.alt_text,
        }

    def as_adapter_image(self):
        from .platforms.base import Image

        return Image(
            data=self.read(),
            mime_type=self.mime_type,
            alt=self.alt_text,
            width=self.width,
            height=self.height,
        )


# --- Changing a post's images -------------------------------------------------------------
@dataclass
class NewImage:
    upload: object
    alt_text: str
    facts: ImageFacts | None = None


@dataclass
class ImageChanges:
    """What the draft form asks: images to add, alternative texts to change, images to remove."""

    add: list[NewImage] = field(default_factory=list)
    alt_texts: dict[int, str] = field(default_factory=dict)  # image pk -> new alt text
    remove: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.add or self.alt_texts or self.remove)


@transaction.atomic
def change_images(post, *, by, changes: ImageChanges) -> list[PostImage]:
    """The author adds, describes and removes the post's images, all or nothing.

    Called in the transaction that revises the post (posting.forms.PostForm.save_draft), so an
    approval given earlier is already void; the content digest covers the images besides, so
    no approval of other images or other words can cover these (702.3).
    """
    from .models import EDITABLE_STATES

    post._lock()  # the row, under a lock: an approval and this change take turns
    if by.pk != post.author_id:
        raise PermissionDenied("Only the author may change this post's images.")
    if post.state not in EDITABLE_STATES:
        raise ValidationError(
            f"A post that is {post.get_state_display().lower()} can no longer be edited."
        )
    current = {image.pk: image for image in post.images.in_order()}
    unknown = (set(changes.alt_texts) | changes.remove) - set(current)
    if unknown:
        raise ValidationError("One of the images is no longer on this post; reload the page.")
    kept = [image for pk, image in current.items() if pk not in changes.remove]
    if len(kept) + len(changes.add) > MAX_IMAGES:
        raise ValidationError(
            f"A post takes at most {MAX_IMAGES} images; remove one before adding another."
        )
    for pk in changes.remove:
        current[pk].delete()  # the bytes stay in storage: the archive may name them
    for image in kept:
        if image.pk in changes.alt_texts:
            alt = clean_alt_text(changes.alt_texts[image.pk], label=f"Image {image.position}")
            if alt != image.alt_text:
                image.alt_text = alt
                image.save(update_fields=["alt_text"])
    for new in changes.add:
        facts = new.facts or inspect_image(new.upload)
        kept.append(
            PostImage(
                post=post,
                file=store_original(new.upload, facts),
                original_name=PurePath(getattr(new.upload, "name", "") or "").name[:255],
                sha256=facts.sha256,
                size=facts.size,
                mime_type=facts.mime_type,
                width=facts.width,
                height=facts.height,
                alt_text=clean_alt_text(new.alt_text),
                added_by=by,
            )
        )
    # Number them 1..n in order; positions move out of the way first (the unique constraint).
    for number, image in enumerate(kept, start=1):
        if image.pk and image.position != number:
            PostImage.objects.filter(pk=image.pk).update(position=100 + number)
    for number, image in enumerate(kept, start=1):
        if image.pk is None:
            image.position = number
            image.save()
        elif image.position != number:
            image.position = number
            image.save(update_fields=["position"])
    return kept


# --- Per-channel limits -------------------------------------------------------------------
@dataclass(frozen=True)
class ImageSummary:
    """What the limits need to know of an image, saved or about to be."""

    label: str
    size: int
    mime_type: str


def channel_image_problems(channels, images: list[ImageSummary]) -> list[str]:
    """What each channel would refuse, in plain words naming the channel."""
    if not images:
        return []
    problems = []
    for channel in channels:
        capabilities = channel.adapter.capabilities
        if capabilities.max_images == 0:
            problems.append(
                f"{channel.name}: {channel.platform_label} posts from CitySocial cannot carry "
                "images. Remove the images or leave that channel out."
            )
            continue
        if len(images) > capabilities.max_images:
            problems.append(
                f"{channel.name}: takes at most {capabilities.max_images} images on a post; "
                f"this one has {len(images)}."
            )
        gifs = [image for image in images if image.mime_type == GIF]
        if capabilities.gif_alone and gifs and len(images) > 1:
            problems.append(
                f"{channel.name}: {gifs[0].label} is a GIF; {channel.platform_label} takes one "
                f"animated GIF on a post, or up to {capabilities.max_images} other images, not "
                "both. Post the GIF on its own or leave that channel out."
            )
        for image in images:
            if capabilities.image_types and image.mime_type not in capabilities.image_types:
                accepted = ", ".join(TYPE_NAMES[t] for t in sorted(capabilities.image_types))
                problems.append(
                    f"{channel.name}: {image.label} is a {TYPE_NAMES.get(image.mime_type)} "
                    f"picture; {channel.platform_label} takes {accepted} here. Save it as one "
                    "of those or leave that channel out."
                )
            limit, kind = capabilities.max_image_bytes, "images"
            if image.mime_type == GIF and capabilities.max_gif_bytes:
                limit, kind = capabilities.max_gif_bytes, "animated GIFs"
            if limit and image.size > limit:
                problems.append(
                    f"{channel.name}: {image.label} is {exact_size(image.size)}; "
                    f"{channel.platform_label} takes {kind} up to {exact_size(limit)}. Make it "
                    "smaller or leave that channel out."
                )
    return problems


def image_limits(capabilities) -> str:
    """What a channel takes, in words for its page: "Up to 4 per post, 977 KB each; JPEG, ..."."""
    if not capabilities.max_images:
        return "No images from CitySocial."
    count = min(capabilities.max_images, MAX_IMAGES)
    size = exact_size(capabilities.max_image_bytes or MAX_IMAGE_BYTES)
    types = ", ".join(TYPE_NAMES[t] for t in sorted(capabilities.image_types or IMAGE_TYPES))
    gif_rules = []
    if capabilities.max_gif_bytes:
        gif_rules.append(f" up to {exact_size(capabilities.max_gif_bytes)}")
    if capabilities.gif_alone:
        gif_rules.append(", alone on its post")
    gifs = "; an animated GIF" + "".join(gif_rules) if gif_rules else ""
    return f"Up to {count} per post, each up to {size}; {types}{gifs}; alternative text required."


def summaries_of(images) -> list[ImageSummary]:
    return [ImageSummary(f"image {i.position} ({i.name})", i.size, i.mime_type) for i in images]
