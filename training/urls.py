from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.my_training, name="index"),
    path("modules/<slug:slug>/", views.module_detail, name="module"),
    path("modules/<slug:slug>/pages/<int:number>/", views.module_page, name="page"),
    path("modules/<slug:slug>/complete/", views.complete, name="complete"),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:slug>/", views.configure, name="configure"),
    path("manage/<slug:slug>/publish/", views.publish, name="publish"),
]
