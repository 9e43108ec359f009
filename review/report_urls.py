from django.urls import path

from . import report_views as views

app_name = "reports"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("post/<int:pk>/", views.report_post, name="post"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:pk>/investigation/", views.investigation, name="investigation"),
]
