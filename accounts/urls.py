from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("authorizations/", views.authorization_list, name="authorizations"),
    path("authorizations/new/", views.authorization_new, name="authorization_new"),
    path("authorizations/<int:pk>/", views.authorization_detail, name="authorization"),
    path("designees/", views.designation_list, name="designations"),
    path("designees/new/", views.designation_new, name="designation_new"),
    path("designees/<int:pk>/revoke/", views.designation_revoke, name="designation_revoke"),
    path("permissions/", views.permission_table, name="permissions"),
    path("org/", views.org_chart, name="org_chart"),
    path("org/<int:pk>/", views.org_chart_edit, name="org_chart_edit"),
    path("equipment/", views.my_equipment, name="equipment"),
    path("equipment/register/", views.equipment_register, name="equipment_register"),
    path("equipment/<int:pk>/<str:decision>/", views.equipment_decide, name="equipment_decide"),
    path("equipment/exceptions/", views.equipment_exceptions, name="equipment_exceptions"),
    path(
        "equipment/exceptions/<int:pk>/end/",
        views.equipment_exception_end,
        name="equipment_exception_end",
    ),
]
