from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.reject, name="reject"),
    path("<int:pk>/reject/", views.decline, name="decline"),
    path("overrides/", views.overrides, name="overrides"),
    path("chains/", views.chains, name="chains"),
    path("chains/new/", views.chain_edit, name="chain_new"),
    path("chains/<int:pk>/", views.chain_edit, name="chain"),
]
