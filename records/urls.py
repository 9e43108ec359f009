from django.urls import path

from . import export_views, request_views

app_name = "records"

urlpatterns = [
    path("requests/", request_views.request_list, name="requests"),
    path("requests/new/", request_views.request_new, name="request_new"),
    path("requests/<int:pk>/", request_views.request_detail, name="request"),
    path("requests/<int:pk>/export/", request_views.request_export, name="request_export"),
    path("requests/<int:pk>/exempt/", request_views.request_exemption, name="request_exemption"),
    path("requests/<int:pk>/release/", request_views.request_release, name="request_release"),
    path("requests/<int:pk>/close/", request_views.request_close, name="request_close"),
    path("exports/", export_views.exports, name="exports"),
    path("exports/new/", export_views.export_new, name="export_new"),
    path("exports/<int:pk>/", export_views.export_detail, name="export"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
]
