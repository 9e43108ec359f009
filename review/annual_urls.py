from django.urls import path

from . import annual_views as views

app_name = "annual"

urlpatterns = [
    path("", views.index, name="index"),
    path("appoint/", views.appoint, name="appoint"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/report.pdf", views.pdf, name="pdf"),
]
