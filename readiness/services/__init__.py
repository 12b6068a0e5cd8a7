"""Every write team readiness makes. Each service is one transaction, checks
its rule and raises ``ReadinessError`` with a plain-words message when the
action is refused, so nothing is half-written."""

from __future__ import annotations

from readiness.services.common import ReadinessError
from readiness.services.survey import (
    AboutYou,
    AnswerError,
    SurveyLinkError,
    domain_add,
    instrument_create,
    instrument_ensure_default,
    item_add,
    item_update,
    respondent_for_link,
    respondent_for_token,
    respondent_links_create,
    respondents_invite_staff,
    response_save,
    round_close,
    round_create,
)
from readiness.services.workshops import workshop_record, workshop_update

__all__ = [
    "AboutYou",
    "AnswerError",
    "ReadinessError",
    "SurveyLinkError",
    "domain_add",
    "instrument_create",
    "instrument_ensure_default",
    "item_add",
    "item_update",
    "respondent_for_link",
    "respondent_for_token",
    "respondent_links_create",
    "respondents_invite_staff",
    "response_save",
    "round_close",
    "round_create",
    "workshop_record",
    "workshop_update",
]
