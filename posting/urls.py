from django.urls import path

from . import channel_views, request_views, views

app_name = "posting"

urlpatterns = [
    path("", views.my_posts, name="mine"),
    path("new/", views.new_post, name="new"),
    path("counts/", views.character_counts, name="counts"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_post, name="edit"),
    path("<int:pk>/submit/", views.submit_post, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw_post, name="withdraw"),
    path("<int:pk>/retry/", views.retry_post, name="retry"),
    path("<int:pk>/status/", views.publication_status, name="status"),
    path("channels/", channel_views.channel_list, name="channels"),
    path("channels/<int:pk>/", channel_views.channel_detail, name="channel"),
    path("channels/<int:pk>/test/", channel_views.channel_test, name="channel_test"),
    path("requests/", request_views.request_list, name="requests"),
    path("requests/new/", request_views.request_new, name="request_new"),
    path("requests/<int:pk>/", request_views.request_detail, name="request"),
    path("requests/<int:pk>/withdraw/", request_views.request_withdraw, name="request_withdraw"),
    path(
        "requests/<int:pk>/attachment/", request_views.request_attachment, name="request_attachment"
    ),
]
