from __future__ import annotations

from django.urls import path

from peerprog.core import letter_views
from recruitment import views
from recruitment.views.letters import WORDING

app_name = "recruitment"

urlpatterns = [
    path("cohorts/", views.cohort_list, name="cohort-list"),
    path("cohorts/add/", views.cohort_create, name="cohort-create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort-edit"),
    path("cohorts/<int:pk>/close/", views.cohort_close, name="cohort-close"),
    path("cohorts/<int:pk>/board/", views.board, name="board"),
    path(
        "cohorts/<int:pk>/applications/add/",
        views.application_create,
        name="application-create",
    ),
    path("cohorts/<int:pk>/events/add/", views.event_create, name="event-create"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/bulk/", views.application_bulk, name="application-bulk"),
    path("applications/export/", views.application_export, name="application-export"),
    path("applications/import/", views.import_upload, name="import-upload"),
    path("applications/import/<int:pk>/", views.import_preview, name="import-preview"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/move/", views.application_move, name="application-move"),
    path(
        "applications/<int:pk>/details/use/",
        views.application_details_use,
        name="application-details-use",
    ),
    path(
        "applications/<int:pk>/details/ignore/",
        views.application_details_ignore,
        name="application-details-ignore",
    ),
    path("applications/<int:pk>/letter/", views.letter_issue, name="letter-issue"),
    path("letters/", views.letter_list, name="letter-list"),
    path("letters/<int:pk>/", views.letter_detail, name="letter-detail"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("letters/<int:pk>/posted/", views.letter_posted, name="letter-posted"),
    path(
        "letter-wording/",
        letter_views.letter_template_list,
        {"wording": WORDING},
        name="letter-template-list",
    ),
    path(
        "letter-wording/<str:kind>/",
        letter_views.letter_template_edit,
        {"wording": WORDING},
        name="letter-template-edit",
    ),
    path("reasons/", views.reason_list, name="reason-list"),
    path("reasons/<str:kind>/add/", views.reason_create, name="reason-create"),
    path("reasons/<str:kind>/<int:pk>/edit/", views.reason_edit, name="reason-edit"),
    path("reasons/<str:kind>/<int:pk>/archive/", views.reason_archive, name="reason-archive"),
    path("reasons/<str:kind>/<int:pk>/delete/", views.reason_delete, name="reason-delete"),
]
