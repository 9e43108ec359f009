from django.urls import path

from . import incident_views, news

app_name = "news"

urlpatterns = [
    path("", news.news_index, name="index"),
    path("feed/", news.NewsFeed(), name="feed"),
    path("<int:post_id>/", news.news_item, name="item"),
    path("<int:post_id>/images/<int:image>/", news.news_image, name="image"),
    # 702.4.1: an incident's updates, newest first, and its own feed.
    path("incidents/<int:pk>/", incident_views.incident_public, name="incident"),
    path("incidents/<int:pk>/feed/", incident_views.IncidentFeed(), name="incident_feed"),
]
