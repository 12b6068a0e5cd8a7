"""Routes of the induction checklist and of training once in post, added to
deployment's (``deployment:`` names)."""

from __future__ import annotations

from django.urls import path

from deployment.views import induction, training_records
from deployment.views.training_records import training_export

urlpatterns = [
    path("inductions/", induction.induction_list, name="inductions"),
    path("inductions/export/", induction.induction_export, name="induction-export"),
    path("inductions/template/", induction.induction_template, name="induction-template"),
    path(
        "inductions/template/add/",
        induction.induction_template_create,
        name="induction-template-create",
    ),
    path(
        "inductions/template/<int:pk>/edit/",
        induction.induction_template_edit,
        name="induction-template-edit",
    ),
    path("training/", training_records.training_compliance, name="training-compliance"),
    path("training/export/", training_export, name="training-export"),
    path("training/courses/", training_records.training_courses, name="training-courses"),
    path(
        "training/courses/add/",
        training_records.training_course_create,
        name="training-course-create",
    ),
    path(
        "training/courses/<int:pk>/edit/",
        training_records.training_course_edit,
        name="training-course-edit",
    ),
    path("training/people/<int:pk>/", training_records.training_person, name="training-person"),
    path(
        "training/people/<int:pk>/add/",
        training_records.training_record_create,
        name="training-record-create",
    ),
]
