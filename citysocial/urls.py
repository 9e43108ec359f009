from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import two_factor
from accounts.views import dashboard, healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="news:index", permanent=False), name="home"),
    path("news/", include("posting.news_urls")),
    path("contact/", include("contact.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/", include("social_django.urls", namespace="social")),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("dashboard/", dashboard, name="dashboard"),
    path("people/", include("accounts.urls")),
    path("posts/", include("posting.urls")),
    path("review/annual/", include("review.annual_urls")),
    path("review/", include("review.urls")),
    path("reports/", include("review.report_urls")),
    path("checks/", include("review.check_urls")),
    path("guidelines/", include("review.guideline_urls")),
    path("archive/", include("retention.urls")),
    path("records/", include("records.urls")),
    path("training/", include("training.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
