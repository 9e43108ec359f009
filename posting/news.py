"""The City website channel (702.1.1): the public news page and its Atom feed. No login, no comments (702.5.1)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Publication


def published_on_website():
    return Publication.objects.on_website().order_by("-published_at")


def news_index(request):
    page = Paginator(published_on_website(), 20).get_page(request.GET.get("page"))
    return render(request, "news/index.html", {"page": page})


def news_item(request, post_id):
    publication = published_on_website().filter(post_id=post_id).first()
    if publication is None:
        raise Http404("No such news item.")
    return render(request, "news/item.html", {"publication": publication, "post": publication.post})


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{settings.CITY_NAME}: news"

    def subtitle(self):
        return f"Official news from the {settings.CITY_NAME}."

    def link(self):
        return reverse("news:index")

    def items(self):
        return published_on_website()[:50]

    def item_title(self, item):
        return item.post.title

    def item_description(self, item):
        return item.post.body

    def item_link(self, item):
        return reverse("news:item", args=[item.post_id])

    def item_guid(self, item):
        return f"{settings.SITE_URL}{reverse('news:item', args=[item.post_id])}"

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.post.get_category_display()]

    def item_author_name(self, item):
        return settings.CITY_NAME
