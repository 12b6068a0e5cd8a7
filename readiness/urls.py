from __future__ import annotations

from django.urls import path

from readiness.views import survey, survey_answer, workshops

app_name = "readiness"

urlpatterns = [
    # Team readiness: preparation workshops per service
    path("", workshops.service_readiness_list, name="readiness"),
    path("services/<int:pk>/", workshops.service_readiness, name="service-readiness"),
    path(
        "services/<int:pk>/workshops/add/",
        workshops.workshop_create,
        name="workshop-create",
    ),
    path("workshops/<int:pk>/", workshops.workshop_edit, name="workshop-edit"),
    # The organisational-conditions survey, for the staff who run it
    path("surveys/", survey.survey_home, name="surveys"),
    path(
        "surveys/instruments/suggested/",
        survey.instrument_add_default,
        name="instrument-add-default",
    ),
    path("surveys/instruments/add/", survey.instrument_create, name="instrument-create"),
    path("surveys/instruments/<int:pk>/", survey.instrument_detail, name="instrument-detail"),
    path("surveys/instruments/<int:pk>/domains/add/", survey.domain_create, name="domain-create"),
    path("surveys/domains/<int:pk>/items/add/", survey.item_create, name="item-create"),
    path("surveys/items/<int:pk>/", survey.item_edit, name="item-edit"),
    path("surveys/instruments/<int:pk>/rounds/add/", survey.round_create, name="round-create"),
    path("surveys/rounds/<int:pk>/", survey.round_detail, name="round-detail"),
    path("surveys/rounds/<int:pk>/links/", survey.round_links, name="round-links"),
    path("surveys/rounds/<int:pk>/invite/", survey.round_invite, name="round-invite"),
    path("surveys/rounds/<int:pk>/close/", survey.round_close, name="round-close"),
    path("surveys/rounds/<int:pk>/results/", survey.round_results, name="round-results"),
    path(
        "surveys/rounds/<int:pk>/results/export/",
        survey.round_results_export,
        name="round-results-export",
    ),
    # The respondent's pages: a link of their own, no account
    path("survey/sent/", survey_answer.survey_sent, name="survey-sent"),
    path("survey/answer/", survey_answer.survey_form, name="survey-form"),
    path("survey/<str:token>/", survey_answer.survey_answer, name="survey-answer"),
]
