"""The Mayor's office pages that configure the prohibited-content checks (review/checks/views.py)."""

from django.urls import path

from review.checks import views

app_name = "checks"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules, name="rules"),
    path("rules/save/", views.rule_setting, name="rule_setting"),
    path("try/", views.try_check, name="try"),
    path("<slug:section>/", views.section_list, name="section"),
    path("<slug:section>/new/", views.section_edit, name="new"),
    path("<slug:section>/<int:pk>/", views.section_edit, name="edit"),
    path("<slug:section>/<int:pk>/delete/", views.section_delete, name="delete"),
]
