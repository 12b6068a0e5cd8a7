from __future__ import annotations

from django.urls import path

from supervision import views

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
]
