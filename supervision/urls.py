from __future__ import annotations

from django.urls import path

from supervision import views
from supervision.views import activity, exports

app_name = "supervision"

urlpatterns = [
    # The mentor's own pages
    path("my-mentees/", views.my_mentees, name="my-mentees"),
    path("mentees/<int:pk>/", views.mentee_detail, name="mentee"),
    path("mentees/<int:pk>/meetings/add/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    # The lead's mentoring pages
    path("mentoring/", views.mentoring_overview, name="mentoring"),
    path("mentoring/cohorts/<int:pk>/", views.cohort_mentoring, name="cohort"),
    path(
        "mentoring/cohorts/<int:pk>/minimum/",
        views.cohort_mentoring_settings,
        name="cohort-settings",
    ),
    path("mentees/<int:pk>/mentor/", views.mentor_assign, name="mentor-assign"),
    path("mentor-assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("mentors/", views.mentor_list, name="mentors"),
    path("mentors/<int:pk>/profile/", views.mentor_profile_edit, name="mentor-profile"),
    path("mentors/export/", exports.mentors_export, name="mentors-export"),
    path("mentoring/meetings/export/", exports.meetings_export, name="meetings-export"),
    # The supervisor's own pages
    path("my-supervisees/", views.my_supervisees, name="my-supervisees"),
    path("supervisees/<int:pk>/", views.supervisee_detail, name="supervisee"),
    path("sessions/add/", views.session_create, name="session-create"),
    path("supervisees/<int:pk>/activity/", activity.supervisee_activity, name="activity-week"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    # The lead's supervision pages
    path("supervision/", views.supervision_overview, name="supervision"),
    path("supervisees/<int:pk>/supervisor/", views.supervision_assign, name="supervision-assign"),
    path("supervision-assignments/<int:pk>/end/", views.supervision_end, name="supervision-end"),
    path("development/", views.development_list, name="development"),
    path("development/add/", views.development_create, name="development-create"),
    path("development/<int:pk>/edit/", views.development_edit, name="development-edit"),
    # Wellbeing plans: every read is logged; admins read the log
    path("supervisees/<int:pk>/wellbeing-plan/", views.wellbeing_plan, name="wellbeing-plan"),
    path(
        "supervisees/<int:pk>/wellbeing-plan/print/",
        views.wellbeing_plan_print,
        name="wellbeing-plan-print",
    ),
    path(
        "supervisees/<int:pk>/wellbeing-plan/edit/",
        views.wellbeing_plan_edit,
        name="wellbeing-plan-edit",
    ),
    path("wellbeing-plan-reads/", views.wellbeing_plan_reads, name="wellbeing-plan-reads"),
]
