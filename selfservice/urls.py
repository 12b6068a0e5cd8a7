"""A person's own pages, under /my/. Every page is for accounts that hold a
person record (``person_required``) and reads only that account's records,
so a changed id gives 404."""

from __future__ import annotations

from django.urls import path

from selfservice.views import course, home, mentoring

app_name = "selfservice"

urlpatterns = [
    path("", home.home, name="home"),
    # A trainee's course (by enrolment): timetable, attendance, calendar.
    path("course/<int:pk>/", course.course, name="course"),
    path(
        "course/<int:pk>/calendar-address/",
        course.calendar_address,
        name="course-calendar-address",
    ),
    # Their mentor and meetings (by enrolment; a meeting's part by meeting).
    path("mentoring/<int:pk>/", mentoring.mentoring, name="mentoring"),
    path("meetings/<int:pk>/note/", mentoring.meeting_note, name="meeting-note"),
    path("meetings/<int:pk>/confirm/", mentoring.meeting_confirm, name="meeting-confirm"),
]
