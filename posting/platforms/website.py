"""The City website (702.1.1): a news page and Atom feed that CitySocial serves itself."""

from django.conf import settings
from django.urls import reverse

from .base import (
    Adapter,
    Capabilities,
    Engagement,
    PlatformError,
    PublishResult,
    RemotePost,
    ReplyPolicy,
)

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


class WebsiteAdapter(Adapter):
    text_limit = 10000
    capabilities = Capabilities(
        can_delete=True,
        restricts_replies=True,
        reply_restriction="The City website accepts no comments or posts from the public "
        "(702.5.1).",
        # The news page shows the original bytes, served by CitySocial itself.
        max_images=4,
        max_image_bytes=10 * 1024 * 1024,
        image_types=IMAGE_TYPES,
    )

    def verify_credentials(self) -> dict:
        """The website is CitySocial itself: nothing to connect to."""
        return {"name": f"{settings.CITY_NAME} website"}

    def publish(self, publication, *, reply_to=None) -> PublishResult:
        # Publishing on the website is the publication row itself becoming
        # "published": the news page lists exactly those rows. A correction is not a reply
        # here: the news page and feeds mark the update it corrects instead.
        path = reverse("news:item", args=[publication.post_id])
        return PublishResult(
            remote_id=f"news-{publication.post_id}",
            remote_url=f"{settings.SITE_URL}{path}",
            raw_response={"page": path, "feed": reverse("news:feed")},
        )

    def delete(self, publication) -> None:
        """The news page stops listing the post once its publication is no longer published."""

    def fetch(self, publication) -> dict:
        post = publication.post
        return {
            "title": post.title,
            "body": post.body,
            "url": publication.remote_url,
            "images": [
                {"sha256": image.sha256, "alt_text": image.alt_text}
                for image in post.images.in_order()
            ],
        }

    def recent_posts(self, *, limit: int = 50) -> list[RemotePost]:
        """What the news page lists: the city's own published publications, newest first.
        Nothing reaches the website except through CitySocial, so these always match."""
        from ..models import Publication

        published = (
            Publication.objects.filter(channel=self.channel, status=Publication.Status.PUBLISHED)
            .select_related("post")
            .order_by("-published_at", "-pk")[:limit]
        )
        return [
            RemotePost(
                remote_id=p.remote_id,
                text=p.post.body,
                created_at=p.published_at,
                url=p.remote_url,
                raw={"title": p.post.title, "publication": p.pk},
            )
            for p in published
        ]

    def reply_policy(self) -> ReplyPolicy:
        return ReplyPolicy(
            prevented=True,
            detail="The City website has no comments and accepts no posts from the public: "
            "CitySocial serves its news page and feed itself (702.5.1).",
        )

    def delete_remote(self, remote_id: str) -> None:
        raise PlatformError(
            "The City website shows only posts published through CitySocial; take the post "
            "down from its own page.",
            permanent=True,
        )

    def engagement(self, publication) -> Engagement:
        """702.6: the city website does not track its readers: no views, no counters."""
        return Engagement(raw={"tracked": False})
