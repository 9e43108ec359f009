from django.urls import path

from . import channel_views, emergency_views, request_views, schedule_views, takedown_views, views
from . import incident_views as incidents

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
    path("<int:pk>/images/<int:image>/", views.post_image, name="image"),
    path("scheduled/", schedule_views.scheduled, name="scheduled"),
    path("<int:pk>/reschedule/", schedule_views.reschedule, name="reschedule"),
    path("<int:pk>/cancel-schedule/", schedule_views.cancel_schedule, name="cancel_schedule"),
    path(
        "<int:pk>/deliveries/<int:publication>/resolve/",
        views.resolve_publication,
        name="resolve",
    ),
    path("<int:pk>/take-down/", takedown_views.take_down, name="take_down"),
    path("<int:pk>/take-down/retry/", takedown_views.retry_removal, name="take_down_retry"),
    path(
        "<int:pk>/take-down/removed-by-hand/",
        takedown_views.removed_by_hand,
        name="take_down_by_hand",
    ),
    path("emergency/", emergency_views.emergency_index, name="emergency"),
    path("emergency/start/", emergency_views.emergency_start, name="emergency_start"),
    path("emergency/<int:pk>/resume/", emergency_views.emergency_resume, name="emergency_resume"),
    # Incidents (702.4.1)
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", incidents.incident_board, name="incident"),
    path("incidents/<int:pk>/live/", incidents.incident_live, name="incident_live"),
    path("incidents/<int:pk>/publish/", incidents.incident_publish, name="incident_publish"),
    path("incidents/<int:pk>/propose/", incidents.incident_propose, name="incident_propose"),
    path(
        "incidents/<int:pk>/updates/<int:update>/accept/",
        incidents.incident_accept,
        name="incident_accept",
    ),
    path(
        "incidents/<int:pk>/updates/<int:update>/decline/",
        incidents.incident_decline,
        name="incident_decline",
    ),
    path(
        "incidents/<int:pk>/updates/<int:update>/correct/",
        incidents.incident_correct,
        name="incident_correct",
    ),
    path("incidents/<int:pk>/compilers/", incidents.incident_compilers, name="incident_compilers"),
    path("incidents/<int:pk>/settings/", incidents.incident_settings, name="incident_settings"),
    path("incidents/<int:pk>/close/", incidents.incident_close, name="incident_close"),
    path(
        "incidents/<int:pk>/after-action/",
        incidents.incident_after_action,
        name="incident_after_action",
    ),
    path(
        "incidents/<int:pk>/after-action.csv",
        incidents.incident_after_action_csv,
        name="incident_after_action_csv",
    ),
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
