from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.permissions import publishable_channels

from .media_models import (
    MAX_ALT_LENGTH,
    MAX_IMAGES,
    ImageChanges,
    ImageSummary,
    NewImage,
    change_images,
    channel_image_problems,
    clean_alt_text,
    inspect_image,
)
from .models import Category, Post
from .scheduling import ScheduleField

IMAGE_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class PostForm(forms.ModelForm):
    """The draft form. Channels offered are only those the person may publish to (702.3)."""

    channels = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        error_messages={
            "required": "Choose at least one channel.",
            "invalid_choice": "702.3: you are not authorized to post to one of the chosen channels.",
            "invalid_pk_value": "702.3: you are not authorized to post to one of the chosen channels.",
        },
    )
    category = forms.ChoiceField(
        choices=[("", "- Choose a category -"), *Category.choices],
        error_messages={
            "required": "Choose the content category (702.4 (a)-(h)).",
            "invalid_choice": "Choose one of the content categories of 702.4 (a)-(h).",
        },
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    # The city's wall clock: a time the clocks skip is refused, one they show twice is asked.
    scheduled_for = ScheduleField(
        required=False,
        label="Publish at (optional)",
        help_text="Leave empty to publish as soon as it is approved.",
    )

    class Meta:
        model = Post
        fields = ["title", "category", "channels", "body", "scheduled_for"]
        labels = {"title": "Headline", "body": "Text of the post"}
        widgets = {
            "title": forms.TextInput(attrs={"class": "usa-input"}),
            "body": forms.Textarea(attrs={"class": "usa-textarea", "rows": 8}),
        }
        error_messages = {
            "title": {"required": "Give the post a headline."},
            "body": {"required": "Write the text of the post."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["channels"].queryset = publishable_channels(user)
        self._add_image_fields()

    # --- Images (702.3: each with its alternative text) ------------------------------
    def _add_image_fields(self) -> None:
        """A description and a remove box per image already on the post; a file and a
        description per free slot, up to four images."""
        self.existing_images = list(self.instance.images.in_order()) if self.instance.pk else []
        for image in self.existing_images:
            self.fields[f"image_{image.pk}_alt"] = forms.CharField(
                label=f"Alternative text of image {image.position}",
                initial=image.alt_text,
                required=False,
                max_length=MAX_ALT_LENGTH,
                widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
            )
            self.fields[f"image_{image.pk}_remove"] = forms.BooleanField(
                label=f"Remove image {image.position}", required=False
            )
        self.new_slots = list(range(1, MAX_IMAGES - len(self.existing_images) + 1))
        for number in self.new_slots:
            self.fields[f"new_image_{number}"] = forms.FileField(
                label=f"New image {number}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
            )
            self.fields[f"new_image_{number}_alt"] = forms.CharField(
                label=f"Alternative text of new image {number}",
                required=False,
                max_length=MAX_ALT_LENGTH,
                widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
            )

    def existing_image_fields(self):
        """(image, its alt text field, its remove field) for the template."""
        return [
            (image, self[f"image_{image.pk}_alt"], self[f"image_{image.pk}_remove"])
            for image in self.existing_images
        ]

    def new_image_fields(self):
        """(number, file field, alt text field) for the template."""
        return [
            (number, self[f"new_image_{number}"], self[f"new_image_{number}_alt"])
            for number in self.new_slots
        ]

    @property
    def chose_files(self) -> bool:
        return any(self.files.get(f"new_image_{number}") for number in self.new_slots)

    def _clean_images(self) -> ImageChanges:
        data, changes = self.cleaned_data, ImageChanges()
        for image in self.existing_images:
            if data.get(f"image_{image.pk}_remove"):
                changes.remove.add(image.pk)
                continue
            field = f"image_{image.pk}_alt"
            try:
                alt = clean_alt_text(data.get(field, ""), label=f"Image {image.position}")
            except ValidationError as exc:
                self.add_error(field, exc)
                continue
            if alt != image.alt_text:
                changes.alt_texts[image.pk] = alt
        for number in self.new_slots:
            upload, alt = data.get(f"new_image_{number}"), data.get(f"new_image_{number}_alt")
            label = f"New image {number}"
            if not upload:
                if (alt or "").strip():
                    self.add_error(
                        f"new_image_{number}",
                        f"Choose the file of {label.lower()}, or clear its alternative text.",
                    )
                continue
            try:
                facts = inspect_image(upload, label=f"{label} ({upload.name})")
            except ValidationError as exc:
                self.add_error(f"new_image_{number}", exc)
                continue
            try:
                alt = clean_alt_text(alt, label=label)
            except ValidationError as exc:
                self.add_error(f"new_image_{number}_alt", exc)
                continue
            changes.add.append(NewImage(upload=upload, alt_text=alt, facts=facts))
        return changes

    def image_summaries(self, changes: ImageChanges) -> list[ImageSummary]:
        kept = [i for i in self.existing_images if i.pk not in changes.remove]
        summaries = [
            ImageSummary(f"image {i.position} ({i.name})", i.size, i.mime_type) for i in kept
        ]
        for offset, new in enumerate(changes.add, start=len(kept) + 1):
            name = getattr(new.upload, "name", "")
            summaries.append(
                ImageSummary(f"image {offset} ({name})", new.facts.size, new.facts.mime_type)
            )
        return summaries

    def clean(self):
        cleaned = super().clean()
        body, channels = cleaned.get("body") or "", cleaned.get("channels") or []
        for channel in channels:
            length, limit = channel.text_length(body), channel.text_limit
            if length > limit:
                self.add_error(
                    "body",
                    f"{channel.name}: the text is {length} characters; the limit is {limit}. "
                    "Shorten it or leave that channel out.",
                )
        self.image_changes = self._clean_images()
        summaries = self.image_summaries(self.image_changes)
        if len(summaries) > MAX_IMAGES:
            self.add_error(
                None,
                f"A post takes at most {MAX_IMAGES} images; this one would have "
                f"{len(summaries)}. Remove one before adding another.",
            )
        for problem in channel_image_problems(channels, summaries):
            self.add_error(None, problem)
        return cleaned

    @transaction.atomic
    def save_draft(self) -> Post:
        """Create the draft, or revise the post being edited (which voids an earlier approval),
        and its images with it: all of it is saved, or none."""
        data = self.cleaned_data
        post = self.instance
        if post.pk is None:
            post = Post.objects.create(
                author=self.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                scheduled_for=data["scheduled_for"],
            )
            post.channels.set(data["channels"])
        else:
            post.revise(
                by=self.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                channels=data["channels"],
                scheduled_for=data["scheduled_for"],
            )
        if self.image_changes:
            change_images(post, by=self.user, changes=self.image_changes)
        return post


class DecisionForm(forms.Form):
    comment = forms.CharField(
        required=False,
        label="Comment to the author",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    justification = forms.CharField(
        required=False,
        label="Justification for overriding a blocking finding (702.5)",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
