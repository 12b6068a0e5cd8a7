"""The respondent's pages: open to anyone with a link, no account needed.

The link's token opens one response only. The pages never say whether any
other link exists, are limited per client address, are not cached, and
send no Referer to other sites, so the link does not travel there.

The token leaves the address bar on the first visit: the link's page keeps
the token's hash in the browser's session and sends the browser to the
answer page, whose address carries no token, so it is not left in the
browser's history, a shared screen or a proxy's log. The answer page works
from the session only. The link itself keeps working (for this browser or
another) until the answers are sent or the survey closes, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peerprog.core.access import client_ip, public
from peerprog.core.once import create_view
from readiness import selectors, services
from readiness.forms import read_answers
from readiness.models import (
    IMPORTANCE_LABELS,
    Happening,
    RespondentSetting,
    StakeholderGroup,
    SurveyRespondent,
)
from readiness.services.survey import AboutYou, token_hash

# Links that do not exist, tried from one client address in a window: past
# this, the address is told to wait, so tokens cannot be guessed by trying.
FAILED_LINK_LIMIT = 30
RATE_WINDOW_SECONDS = 10 * 60
LINK_PROBLEM_STATUS = {"unknown": 404, "used": 410, "expired": 410, "not_open": 403}
# The session key holding the hash of the link this browser opened.
SESSION_KEY = "readiness_survey_link"
NO_LINK_MESSAGE = (
    "Open the survey from the link you were sent. If you opened it more than half an hour "
    "ago, open it again: your saved answers are kept."
)


def _private(response: HttpResponse) -> HttpResponse:
    # Same-origin, not no-referrer: the link never leaves for another site,
    # and the browser still sends the Origin that the CSRF check needs.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def rate_key(request: HttpRequest) -> str:
    return f"survey-link-failures:{client_ip(request)}"


def _too_many(request: HttpRequest) -> bool:
    failures = cache.get(rate_key(request), 0)
    return failures >= FAILED_LINK_LIMIT


def _count_failure(request: HttpRequest) -> None:
    key = rate_key(request)
    if not cache.add(key, 1, RATE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RATE_WINDOW_SECONDS)


def _problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _private(
        render(request, "readiness/survey_link_problem.html", {"message": message}, status=status)
    )


def _sections(
    respondent: SurveyRespondent,
    values: Mapping[int, tuple[str, int | None]],
    errors: Mapping[str, str],
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    for question in selectors.questions_for_round(survey_round=respondent.round):
        if not sections or sections[-1]["title"] != question.domain_title:
            sections.append({"title": question.domain_title, "rows": []})
        happening, importance = values.get(question.pk, ("", None))
        sections[-1]["rows"].append(
            {
                "question": question,
                "happening": happening,
                "importance": str(importance or ""),
                "happening_error": errors.get(f"q{question.pk}_happening", ""),
                "importance_error": errors.get(f"q{question.pk}_importance", ""),
            }
        )
    return sections


def _form(
    request: HttpRequest,
    respondent: SurveyRespondent,
    *,
    about: AboutYou,
    values: Mapping[int, tuple[str, int | None]],
    errors: Mapping[str, str] | None = None,
    message: str = "",
) -> HttpResponse:
    errors = errors or {}
    return _private(
        render(
            request,
            "readiness/survey_answer.html",
            {
                "round": respondent.round,
                "action": reverse("readiness:survey-form"),
                "about": about,
                "groups": StakeholderGroup.choices,
                "settings": RespondentSetting.choices,
                "organisations": selectors.organisations_for(programme=respondent.round.programme),
                "sections": _sections(respondent, values, errors),
                "happening_choices": Happening.choices,
                "importance_choices": [(str(k), f"{k} {v}") for k, v in IMPORTANCE_LABELS.items()],
                "errors": errors,
                "error_message": message,
                "is_draft": respondent.status == SurveyRespondent.Status.DRAFT,
            },
        )
    )


@public
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The address in the link: exchanges its token for this browser's
    session and sends the browser on to the answer page. A form posted here
    (opened before the token left the address) keeps its method."""
    if _too_many(request):
        return _problem(
            request,
            "Too many survey links that do not work have been tried from your connection. "
            "Please wait ten minutes and try your link again.",
            429,
        )
    try:
        services.respondent_for_token(token=token)
    except services.SurveyLinkError as error:
        if error.reason == "unknown":
            _count_failure(request)
        return _problem(request, error.message, LINK_PROBLEM_STATUS[error.reason])
    request.session[SESSION_KEY] = token_hash(token=token)
    status = 307 if request.method == "POST" else 302
    response = redirect("readiness:survey-form")
    response.status_code = status
    return _private(response)


@public
@create_view(sample="tests.readiness.samples.survey_answer")
def survey_form(request: HttpRequest) -> HttpResponse:
    """The questions, for the link this browser opened."""
    hashed = request.session.get(SESSION_KEY, "")
    if not hashed:
        return _problem(request, NO_LINK_MESSAGE, 403)
    try:
        respondent = services.respondent_for_link(hashed=hashed)
    except services.SurveyLinkError as error:
        return _problem(request, error.message, LINK_PROBLEM_STATUS[error.reason])

    if request.method != "POST":
        saved = {
            answer.question_id: (answer.happening, answer.importance)
            for answer in respondent.answers.all()
        }
        about = AboutYou(
            respondent.stakeholder_group, respondent.setting, respondent.organisation_id
        )
        return _form(request, respondent, about=about, values=saved)

    questions = selectors.questions_for_round(survey_round=respondent.round)
    about, answers, read_errors = read_answers(request.POST, questions)
    submit = "send" in request.POST
    if read_errors:
        return _form(
            request,
            respondent,
            about=about,
            values={},
            errors=read_errors,
            message="The form did not match this survey, so nothing was saved. "
            "Please open your link again.",
        )
    try:
        services.response_save(hashed=hashed, about=about, answers=answers, submit=submit)
    except services.SurveyLinkError as error:
        return _problem(request, error.message, LINK_PROBLEM_STATUS[error.reason])
    except services.AnswerError as error:
        known = {question.pk for question in questions}
        return _form(
            request,
            respondent,
            about=about,
            values={pk: value for pk, value in answers.items() if pk in known},
            errors=error.errors,
            message=error.message,
        )
    if submit:
        request.session.pop(SESSION_KEY, None)
        return redirect("readiness:survey-sent")
    messages.success(
        request,
        "Your answers are saved. Come back with the same link to finish before the "
        f"survey closes on {respondent.round.closes_on:%-d %B %Y}.",
    )
    return _private(redirect("readiness:survey-form"))


@public
@require_GET
def survey_sent(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "readiness/survey_sent.html"))
