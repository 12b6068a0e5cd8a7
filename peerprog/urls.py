"""The site's URLs: the kernel at the root, each app under its own prefix."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from peerprog.core.access import public
from peerprog.core.views import PasswordResetRequestView, SignInView, SignOutView

admin.site.site_header = "peerprog system administration"
admin.site.site_title = "peerprog administration"

auth_patterns = [
    path("sign-in/", public(SignInView.as_view()), name="login"),
    path("sign-out/", SignOutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        public(PasswordResetRequestView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("peerprog.core.urls")),
    path("accounts/", include(auth_patterns)),
    # Single sign-on: allauth's OpenID Connect sign-in and its callback only
    # (/accounts/sso/organisation/login/callback/ is the redirect URI). None
    # of allauth's sign-up, e-mail or password pages are routed.
    path("accounts/sso/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("training/", include("training.urls")),
    path("readiness/", include("readiness.urls")),
    path("deployment/", include("deployment.urls")),
    path("supervision/", include("supervision.urls")),
    path("my/", include("selfservice.urls")),
    path("apply/", include("recruitment.public_urls")),
    path("", include("peerprog.dashboard.urls")),
    path("system-admin/", admin.site.urls),
]
