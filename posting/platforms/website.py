"""The City website (702.1.1): a news page and Atom feed that CitySocial serves itself."""

from django.conf import settings
from django.urls import reverse

from .base import Adapter, Capabilities, Engagement, PublishResult


class WebsiteAdapter(Adapter):
    text_limit = 10000
    capabilities = Capabilities(
        can_delete=True,
        restricts_replies=True,
        reply_restriction="The City website accepts no comments or posts from the public "
        "(702.5.1).",
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
        return {"title": post.title, "body": post.body, "url": publication.remote_url}

    def engagement(self, publication) -> Engagement:
        """702.6: the city website does not track its readers: no views, no counters."""
        return Engagement(raw={"tracked": False})
