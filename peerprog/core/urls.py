from __future__ import annotations

from django.urls import path

from peerprog.core import (
    audit_views,
    calendar_views,
    export_views,
    home_views,
    search_views,
    second_factor_views,
    views,
)
from peerprog.core.privacy import home_urls as privacy_urls
from peerprog.core.privacy import subject_access_pages
from peerprog.core.reminders import views as reminder_views

app_name = "core"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("messages/failed/", home_views.failed_messages, name="failed-messages"),
    path("calendar/mine/", search_views.staff_calendar, name="staff-calendar"),
    path("health/", views.health, name="health"),
    path("about/", views.about, name="about"),
    path("people/", views.person_list, name="people"),
    path("people/add/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/history/", audit_views.person_history, name="person-history"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/invite/", views.person_invite, name="person-invite"),
    path("people/<int:pk>/sensitive/", views.person_sensitive, name="person-sensitive"),
    path("people/<int:pk>/adjustments/add/", views.adjustment_create, name="adjustment-create"),
    path("adjustments/<int:pk>/edit/", views.adjustment_edit, name="adjustment-edit"),
    path("programme/", views.programme_detail, name="programme"),
    path("programme/letter-address/", views.programme_address, name="programme-address"),
    path("programme/services/add/", views.service_create, name="service-create"),
    path("programme/services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/add/", views.staff_create, name="staff-create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path(
        "staff/<int:pk>/second-factor/reset/",
        second_factor_views.staff_reset,
        name="staff-second-factor-reset",
    ),
    path("audit/", audit_views.audit_log, name="audit"),
    path("exports/", export_views.export_log, name="exports"),
    path("exports/<int:pk>/", export_views.export_progress, name="export-progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export-download"),
    path("subject-access/", subject_access_pages.requests_list, name="subject-access"),
    path("subject-access/new/", subject_access_pages.request_start, name="subject-access-start"),
    path(
        "subject-access/<int:pk>/",
        subject_access_pages.request_progress,
        name="subject-access-progress",
    ),
    path(
        "subject-access/<int:pk>/download/",
        subject_access_pages.request_download,
        name="subject-access-download",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/settings/", reminder_views.email_settings, name="notification-settings"),
    # The second factor: the user's own pages.
    path("second-factor/", second_factor_views.overview, name="second-factor"),
    path("second-factor/set-up/", second_factor_views.setup, name="second-factor-setup"),
    path("second-factor/code/", second_factor_views.verify, name="second-factor-verify"),
    path(
        "second-factor/recovery-code/",
        second_factor_views.recovery,
        name="second-factor-recovery",
    ),
    path(
        "second-factor/recovery-codes/",
        second_factor_views.recovery_codes,
        name="second-factor-recovery-codes",
    ),
    path(
        "second-factor/switch-off/",
        second_factor_views.switch_off,
        name="second-factor-switch-off",
    ),
    path("second-factor/sign-ins/", second_factor_views.sign_ins, name="sign-ins"),
    # A person's calendar feed, read by calendar apps without signing in.
    path("calendar/<str:token>.ics", calendar_views.feed, name="calendar-feed"),
]

# The data protection officer's retention and read-log pages.
urlpatterns += privacy_urls.urlpatterns
