from django.urls import path

from . import news

app_name = "news"

urlpatterns = [
    path("", news.news_index, name="index"),
    path("feed/", news.NewsFeed(), name="feed"),
    path("<int:post_id>/", news.news_item, name="item"),
]
