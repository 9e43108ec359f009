from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.archive_index, name="index"),
    path("verify/", views.verify, name="verify"),
    path("<int:sequence>/", views.record_detail, name="record"),
]
