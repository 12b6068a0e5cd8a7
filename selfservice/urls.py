"""A person's own pages, under /my/. Every page is for accounts that hold a
person record (``person_required``) and reads only that account's records,
so a changed id gives 404."""

from __future__ import annotations

from django.urls import path

from selfservice.views import (
    account,
    activity,
    course,
    home,
    mentoring,
    my_data,
    portfolio,
    reads,
    worker,
)

app_name = "selfservice"

urlpatterns = [
    path("", home.home, name="home"),
    path("portfolio/<int:pk>/", portfolio.portfolio, name="portfolio"),
    path(
        "portfolio/<int:pk>/drafts/add/",
        portfolio.draft_create,
        name="portfolio-draft-create",
    ),
    path(
        "portfolio/<int:pk>/final/add/",
        portfolio.submission_create,
        name="portfolio-submission-create",
    ),
    path("portfolio/drafts/<int:pk>/file/", portfolio.draft_file, name="portfolio-draft-file"),
    path(
        "portfolio/final/<int:pk>/file/",
        portfolio.submission_file,
        name="portfolio-submission-file",
    ),
    path("job/<int:pk>/", worker.my_job, name="my-job"),
    path("job/<int:pk>/activity/", activity.my_activity, name="my-activity"),
    path("supervision/<int:pk>/", worker.my_supervision, name="my-supervision"),
    path("wellbeing-plan/<int:pk>/", worker.my_wellbeing_plan, name="my-wellbeing-plan"),
    path(
        "wellbeing-plan/<int:pk>/change/",
        worker.my_wellbeing_plan_edit,
        name="my-wellbeing-plan-edit",
    ),
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
    path("details/", account.my_details, name="details"),
    path("reads/", reads.my_reads, name="my-reads"),
    path("data/", my_data.my_data, name="my-data"),
]
