from django.urls import path

from . import disposition_views, hold_views, schedule_views, views

app_name = "retention"

urlpatterns = [
    path("", views.archive_index, name="index"),
    path("verify/", views.verify, name="verify"),
    path("<int:sequence>/", views.record_detail, name="record"),
    # Retention schedules
    path("schedules/", schedule_views.series_list, name="series_list"),
    path("schedules/new/", schedule_views.series_edit, name="series_new"),
    path("schedules/<int:pk>/", schedule_views.series_detail, name="series"),
    path("schedules/<int:pk>/edit/", schedule_views.series_edit, name="series_edit"),
    # Legal holds
    path("holds/", hold_views.hold_list, name="holds"),
    path("holds/new/", hold_views.hold_new, name="hold_new"),
    path("holds/<int:pk>/", hold_views.hold_detail, name="hold"),
    path("holds/<int:pk>/release/", hold_views.hold_release, name="hold_release"),
    # Disposition
    path("disposition/", disposition_views.batch_list, name="batches"),
    path("disposition/propose/", disposition_views.batches_propose, name="batches_propose"),
    path("disposition/<int:pk>/", disposition_views.batch_detail, name="batch"),
    path("disposition/<int:pk>/approve/", disposition_views.batch_approve, name="batch_approve"),
    path("disposition/<int:pk>/decline/", disposition_views.batch_decline, name="batch_decline"),
    path("certificates/", disposition_views.certificate_list, name="certificates"),
    path("certificates/<int:pk>/", disposition_views.certificate_detail, name="certificate"),
    path("certificates/<int:pk>/csv/", disposition_views.certificate_csv, name="certificate_csv"),
]
