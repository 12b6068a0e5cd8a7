from __future__ import annotations

from django.urls import path

from training import views
from training.views.my_sessions import my_sessions

app_name = "training"

urlpatterns = [
    path("", views.cohort_list, name="cohorts"),
    path("my-sessions/", my_sessions, name="my-sessions"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:pk>/settings/", views.cohort_settings, name="cohort-settings"),
    path(
        "cohorts/<int:pk>/timetable/create/",
        views.timetable_generate,
        name="timetable-generate",
    ),
    path("cohorts/<int:pk>/sessions/add/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("trainees/<int:pk>/", views.trainee_detail, name="trainee"),
    path("trainees/<int:pk>/drafts/add/", views.draft_create, name="draft-create"),
    path("trainees/<int:pk>/tutorials/add/", views.tutorial_create, name="tutorial-create"),
    path("trainees/<int:pk>/portfolio/add/", views.submission_create, name="submission-create"),
    path("trainees/<int:pk>/ended/", views.enrolment_close, name="enrolment-close"),
    path("drafts/<int:pk>/feedback/", views.draft_feedback, name="draft-feedback"),
    path(
        "drafts/<int:pk>/feedback/release/",
        views.draft_feedback_release,
        name="draft-feedback-release",
    ),
    path("drafts/<int:pk>/file/", views.draft_file, name="draft-file"),
    path("portfolios/<int:pk>/file/", views.submission_file, name="submission-file"),
    path("portfolios/<int:pk>/assessors/", views.submission_assessors, name="submission-assessors"),
    path("portfolios/<int:pk>/moderate/", views.submission_moderate, name="submission-moderate"),
    path("marking/", views.assessor_queue, name="assessor-queue"),
    path("marking/<int:pk>/", views.assessment_mark, name="assessment-mark"),
    path("at-risk/", views.at_risk, name="at-risk"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/export/", views.outcomes_export, name="outcomes-export"),
    path("trainees/export/", views.trainees_export, name="trainees-export"),
    path("course-templates/", views.template_list, name="templates"),
    path("course-templates/add/", views.template_create, name="template-create"),
    path("course-templates/<int:pk>/edit/", views.template_edit, name="template-edit"),
    path("course-templates/<int:pk>/topics/add/", views.topic_create, name="topic-create"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic-edit"),
    path("rubrics/", views.rubric_list, name="rubrics"),
    path("rubrics/add/", views.rubric_create, name="rubric-create"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric-edit"),
    path("rubrics/<int:pk>/criteria/add/", views.criterion_create, name="criterion-create"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion-edit"),
    path("reasons/", views.reason_list, name="reasons"),
    path("reasons/add/", views.reason_create, name="reason-create"),
    path("reasons/<int:pk>/edit/", views.reason_edit, name="reason-edit"),
]
