from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.reject, name="reject"),
]
