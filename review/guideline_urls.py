"""The Mayor's guidelines (702.3), mounted at /guidelines/ (namespace "guidelines")."""

from django.urls import path

from . import guideline_views as views

app_name = "guidelines"

urlpatterns = [
    path("", views.what_conforms, name="index"),
    path("manage/", views.manage, name="manage"),
    path("templates/try/", views.try_template, name="try"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/fill/", views.template_fill, name="template_fill"),
    path("<slug:category>/edit/", views.edit, name="edit"),
    path("<slug:category>/history/", views.history, name="history"),
    path("<slug:category>/templates/new/", views.template_new, name="template_new"),
]
