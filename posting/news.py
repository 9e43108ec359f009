"""The City website channel (702.1.1): the public news page and its Atom feed. No login, no comments (702.5.1)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks

from .models import PostImage, Publication


def published_on_website():
    return (
        Publication.objects.on_website()
        .select_related("post__incident_update")
        .prefetch_related(
            "post__incident_update__corrections__post__publications",
            Prefetch("post__images", queryset=PostImage.objects.in_order()),
        )
        .order_by("-published_at")
    )


def with_corrections(publications) -> list:
    """The publications, each with `corrected_by`: the website publication of the correction
    that supersedes its incident update (702.4.1), or None. One query for all of them."""
    publications = list(publications)
    correction_post = {}
    for publication in publications:
        update = getattr(publication.post, "incident_update", None)
        later = update.superseding() if update is not None else None
        if later is not None:
            correction_post[publication.pk] = later.post_id
    on_website = {
        p.post_id: p
        for p in Publication.objects.on_website().filter(post_id__in=correction_post.values())
    }
    for publication in publications:
        publication.corrected_by = on_website.get(correction_post.get(publication.pk))
    return publications


def news_index(request):
    page = Paginator(published_on_website(), 20).get_page(request.GET.get("page"))
    page.object_list = with_corrections(page.object_list)
    return render(request, "news/index.html", {"page": page})


def news_item(request, post_id):
    publication = published_on_website().filter(post_id=post_id).first()
    if publication is None:
        raise Http404("No such news item.")
    [publication] = with_corrections([publication])
    return render(request, "news/item.html", {"publication": publication, "post": publication.post})


def news_image(request, post_id, image):
    """An image of a news item, in its original bytes: only while the item is on the website."""
    from .views import image_response

    publication = Publication.objects.on_website().filter(post_id=post_id).first()
    if publication is None:
        raise Http404("No such news item.")
    return image_response(get_object_or_404(PostImage, post_id=post_id, pk=image))


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{settings.CITY_NAME}: news"

    def subtitle(self):
        return f"Official news from the {settings.CITY_NAME}."

    def link(self):
        return reverse("news:index")

    def items(self):
        return with_corrections(published_on_website()[:50])

    def item_title(self, item):
        # 702.4.1: a reader who saw the update learns from the title that it was corrected.
        return ("[Corrected] " if item.corrected_by else "") + item.post.title

    def item_description(self, item):
        """HTML (Atom's summary type "html"), built from escaped text."""
        text = linebreaks(item.post.body, autoescape=True) + "".join(
            format_html(
                '<p><img src="{}" alt="{}"></p>',
                self.absolute(reverse("news:image", args=[item.post_id, image.pk])),
                image.alt_text,
            )
            for image in item.post.images.all()
        )
        if item.corrected_by is None:
            return text
        correction = item.corrected_by
        return text + format_html(
            '<p>Corrected: see <a href="{}">{}</a>.</p>',
            self.absolute(reverse("news:item", args=[correction.post_id])),
            correction.post.title,
        )

    @staticmethod
    def absolute(path: str) -> str:
        return f"{settings.SITE_URL}{path}"

    def item_link(self, item):
        return reverse("news:item", args=[item.post_id])

    def item_guid(self, item):
        return f"{settings.SITE_URL}{reverse('news:item', args=[item.post_id])}"

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A correction updates the entry it corrects, so feed readers show it again.
        return item.corrected_by.published_at if item.corrected_by else item.published_at

    def item_categories(self, item):
        return [item.post.get_category_display()]

    def item_author_name(self, item):
        return settings.CITY_NAME
