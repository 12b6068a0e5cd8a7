from __future__ import annotations

from django.urls import path

from deployment.urls_in_post import urlpatterns as in_post_patterns
from deployment.views import (
    activity,
    appointments,
    exports,
    induction,
    interview_scores,
    leaving_reasons,
    letters,
    person_spec,
    posts,
    recruitment_day,
    retention,
)
from peerprog.core import letter_views
from readiness.views.moved import moved_to

app_name = "deployment"

urlpatterns = [
    # The establishment and conversion
    path("posts/", posts.post_list, name="posts"),
    path("posts/add/", posts.post_create, name="post-create"),
    path("posts/convert/", posts.posts_convert, name="posts-convert"),
    path("posts/import/", posts.establishment_import, name="posts-import"),
    path(
        "posts/import/<int:pk>/",
        posts.establishment_import_preview,
        name="posts-import-preview",
    ),
    path("posts/<int:pk>/", posts.post_detail, name="post-detail"),
    path("posts/<int:pk>/edit/", posts.post_edit, name="post-edit"),
    path("posts/<int:pk>/freeze/", posts.post_freeze, name="post-freeze"),
    path("posts/<int:pk>/unfreeze/", posts.post_unfreeze, name="post-unfreeze"),
    path("posts/<int:pk>/convert/", posts.post_convert, name="post-convert"),
    path("conversions/<int:pk>/undo/", posts.conversion_undo, name="conversion-undo"),
    # Vacancies and candidates
    path("vacancies/", recruitment_day.vacancy_list, name="vacancies"),
    path("posts/<int:pk>/advertise/", recruitment_day.vacancy_create, name="vacancy-create"),
    path("vacancies/<int:pk>/", recruitment_day.vacancy_detail, name="vacancy-detail"),
    path("vacancies/<int:pk>/close/", recruitment_day.vacancy_close, name="vacancy-close"),
    path("vacancies/<int:pk>/candidates/add/", recruitment_day.candidate_add, name="candidate-add"),
    path("candidates/<int:pk>/status/", recruitment_day.candidate_status, name="candidate-status"),
    # The recruitment day
    path("recruitment-days/", recruitment_day.recruitment_day_list, name="days"),
    path("recruitment-days/add/", recruitment_day.recruitment_day_create, name="day-create"),
    path("recruitment-days/<int:pk>/", recruitment_day.recruitment_day_detail, name="day-detail"),
    path(
        "recruitment-days/<int:pk>/panels/add/", recruitment_day.panel_create, name="panel-create"
    ),
    path(
        "panels/<int:pk>/members/add/",
        recruitment_day.panel_member_add,
        name="panel-member-add",
    ),
    path(
        "recruitment-days/<int:pk>/interviews/add/",
        recruitment_day.interview_create,
        name="interview-create",
    ),
    path(
        "interviews/<int:pk>/outcome/", recruitment_day.interview_outcome, name="interview-outcome"
    ),
    # Outcome letters
    path("interviews/<int:pk>/letter/", letters.interview_letter, name="interview-letter"),
    path("letters/", letters.letter_list, name="letters"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter-detail"),
    path("letters/<int:pk>/pdf/", letters.letter_pdf, name="letter-pdf"),
    path("letters/<int:pk>/posted/", letters.letter_posted, name="letter-posted"),
    path(
        "letter-wording/",
        letter_views.letter_template_list,
        {"wording": letters.WORDING},
        name="letter-template-list",
    ),
    path(
        "letter-wording/<str:kind>/",
        letter_views.letter_template_edit,
        {"wording": letters.WORDING},
        name="letter-template-edit",
    ),
    # The reserve list
    path("reserve/", recruitment_day.reserve_list, name="reserve"),
    path("reserve/<int:pk>/appoint/", recruitment_day.reserve_appoint, name="reserve-appoint"),
    path("reserve/<int:pk>/remove/", recruitment_day.reserve_remove, name="reserve-remove"),
    # Appointments
    path("appointments/", appointments.appointment_list, name="appointments"),
    path("appointments/<int:pk>/", appointments.appointment_detail, name="appointment-detail"),
    path("appointments/<int:pk>/terms/", appointments.appointment_edit, name="appointment-edit"),
    path(
        "appointments/<int:pk>/induction/",
        induction.appointment_induction,
        name="appointment-induction",
    ),
    path("appointments/<int:pk>/start/", appointments.appointment_start, name="appointment-start"),
    path(
        "appointments/<int:pk>/planned-start/",
        appointments.appointment_plan_start,
        name="appointment-plan-start",
    ),
    path(
        "appointments/<int:pk>/withdraw/",
        appointments.appointment_withdraw,
        name="appointment-withdraw",
    ),
    path(
        "appointments/<int:pk>/absences/add/",
        appointments.absence_create,
        name="absence-create",
    ),
    path("appointments/<int:pk>/leave/", appointments.appointment_leave, name="appointment-leave"),
    path(
        "appointments/<int:pk>/transfer/",
        appointments.appointment_transfer,
        name="appointment-transfer",
    ),
    path("checks/<int:pk>/", appointments.check_edit, name="check-edit"),
    path("absences/<int:pk>/", appointments.absence_edit, name="absence-edit"),
    # Leaving reasons and retention
    path("leaving-reasons/", leaving_reasons.leaving_reason_list, name="leaving-reasons"),
    path(
        "leaving-reasons/add/",
        leaving_reasons.leaving_reason_create,
        name="leaving-reason-create",
    ),
    path(
        "leaving-reasons/<int:pk>/",
        leaving_reasons.leaving_reason_edit,
        name="leaving-reason-edit",
    ),
    path("retention/", retention.retention, name="retention"),
    # Peer worker activity: a lead records a week for a peer worker; topics
    path("appointments/<int:pk>/activity/", activity.activity_week, name="activity-week"),
    path("activity-topics/", activity.activity_topics, name="activity-topics"),
    path("activity-topics/<int:pk>/", activity.activity_topic_edit, name="activity-topic-edit"),
    # Exports of the lists, with their filters
    path("posts/export/", exports.posts_export, name="posts-export"),
    path("appointments/export/", exports.appointments_export, name="appointments-export"),
    path("absences/export/", exports.absences_export, name="absences-export"),
    path("reserve/export/", exports.reserve_export, name="reserve-export"),
    path("retention/snapshots/export/", exports.snapshots_export, name="snapshots-export"),
    # Team readiness moved to its own app under /readiness/. Its old
    # addresses (bookmarks, and survey links already e-mailed) redirect
    # there permanently; they keep their old names so that nothing
    # reversing them breaks.
    path("readiness/", moved_to("readiness:readiness"), name="readiness"),
    path(
        "readiness/services/<int:pk>/",
        moved_to("readiness:service-readiness"),
        name="service-readiness",
    ),
    path(
        "readiness/services/<int:pk>/workshops/add/",
        moved_to("readiness:workshop-create"),
        name="workshop-create",
    ),
    path(
        "readiness/workshops/<int:pk>/",
        moved_to("readiness:workshop-edit"),
        name="workshop-edit",
    ),
    path("surveys/", moved_to("readiness:surveys"), name="surveys"),
    path(
        "surveys/instruments/suggested/",
        moved_to("readiness:instrument-add-default"),
        name="instrument-add-default",
    ),
    path(
        "surveys/instruments/add/",
        moved_to("readiness:instrument-create"),
        name="instrument-create",
    ),
    path(
        "surveys/instruments/<int:pk>/",
        moved_to("readiness:instrument-detail"),
        name="instrument-detail",
    ),
    path(
        "surveys/instruments/<int:pk>/domains/add/",
        moved_to("readiness:domain-create"),
        name="domain-create",
    ),
    path(
        "surveys/domains/<int:pk>/items/add/",
        moved_to("readiness:item-create"),
        name="item-create",
    ),
    path("surveys/items/<int:pk>/", moved_to("readiness:item-edit"), name="item-edit"),
    path(
        "surveys/instruments/<int:pk>/rounds/add/",
        moved_to("readiness:round-create"),
        name="round-create",
    ),
    path("surveys/rounds/<int:pk>/", moved_to("readiness:round-detail"), name="round-detail"),
    path("surveys/rounds/<int:pk>/links/", moved_to("readiness:round-links"), name="round-links"),
    path(
        "surveys/rounds/<int:pk>/invite/",
        moved_to("readiness:round-invite"),
        name="round-invite",
    ),
    path("surveys/rounds/<int:pk>/close/", moved_to("readiness:round-close"), name="round-close"),
    path(
        "surveys/rounds/<int:pk>/results/",
        moved_to("readiness:round-results"),
        name="round-results",
    ),
    path(
        "surveys/rounds/<int:pk>/results/export/",
        moved_to("readiness:round-results-export"),
        name="round-results-export",
    ),
    path("survey/sent/", moved_to("readiness:survey-sent"), name="survey-sent"),
    path(
        "survey/<str:token>/",
        moved_to("readiness:survey-answer", private=True),
        name="survey-answer",
    ),
    # Job descriptions, person specifications and scored interviews
    path("posts/<int:pk>/specification/", person_spec.post_spec, name="post-spec"),
    path(
        "posts/<int:pk>/specification/criteria/add/",
        person_spec.post_spec_criterion_add,
        name="post-spec-criterion-add",
    ),
    path(
        "posts/<int:pk>/specification/upload/",
        person_spec.post_spec_upload,
        name="post-spec-upload",
    ),
    path("vacancies/<int:pk>/specification/", person_spec.vacancy_spec, name="vacancy-spec"),
    path(
        "vacancies/<int:pk>/specification/criteria/add/",
        person_spec.vacancy_spec_criterion_add,
        name="vacancy-spec-criterion-add",
    ),
    path(
        "vacancies/<int:pk>/specification/upload/",
        person_spec.vacancy_spec_upload,
        name="vacancy-spec-upload",
    ),
    path(
        "specification-documents/<int:pk>/",
        person_spec.spec_document_download,
        name="spec-document-download",
    ),
    path(
        "specification-criteria/<int:pk>/remove/",
        person_spec.spec_criterion_remove,
        name="spec-criterion-remove",
    ),
    path("panels/<int:pk>/scoring/", interview_scores.panel_scoring, name="panel-scoring"),
    path("interviews/<int:pk>/scores/", interview_scores.interview_scores, name="interview-scores"),
    path("recruitment-days/<int:pk>/scores/", interview_scores.day_scores, name="day-scores"),
    path(
        "appointments/<int:pk>/pairing/",
        interview_scores.appointment_pairing,
        name="appointment-pairing",
    ),
]
urlpatterns += in_post_patterns
