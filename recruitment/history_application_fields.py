"""The columns of the Applications sheet of a programme's history workbook
(``recruitment.history_applications``)."""

from __future__ import annotations

from typing import Any

from peerprog.core.workbook import Field
from recruitment.models import (
    Application,
    DeferralReason,
    UnsuccessfulReason,
    WithdrawalReason,
)

Stage = Application.Stage
APPLICATIONS = "applications"
NOT_SHOWN = "Not shown"
APPLICATION_ROWS = "recruitment.application_rows"
# Applications a deferral in an earlier row of this workbook made.
MADE = "recruitment.made_by_deferral"
REASONS = "recruitment.reasons"

# Each ending's reason: (stage, field key, header, reason model, field on
# the application, what the list is called).
REASON_COLUMNS: tuple[tuple[str, str, str, Any, str, str], ...] = (
    (
        Stage.UNSUCCESSFUL,
        "unsuccessful_reason",
        "Unsuccessful reason",
        UnsuccessfulReason,
        "unsuccessful_reason",
        "unsuccessful reasons",
    ),
    (
        Stage.WITHDRAWN,
        "withdrawal_reason",
        "Withdrawal reason",
        WithdrawalReason,
        "withdrawal_reason",
        "withdrawal reasons",
    ),
    (
        Stage.DEFERRED,
        "deferral_reason",
        "Deferral reason",
        DeferralReason,
        "deferral_reason",
        "deferral reasons",
    ),
)
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "date_of_birth",
    "phone",
    "address",
    "email_allowed",
    "hard_copy_letters",
)


def _choices(choices: list[tuple[str, str]]) -> str:
    return ", ".join(str(label) for _, label in choices)


FIELDS = (
    Field("cohort", "Cohort", "The cohort's name, as on the Cohorts sheet.", True, "Cohort 1"),
    Field(
        "email",
        "E-mail",
        "The applicant's e-mail address: how they are recognised. Give this or a date of birth.",
        example="amara.okonkwo@example.org",
    ),
    Field("first_name", "First name", "The applicant's first name.", True, "Amara"),
    Field("last_name", "Last name", "The applicant's last name.", True, "Okonkwo"),
    Field("preferred_name", "Preferred name", "What they like to be called, if different."),
    Field(
        "date_of_birth",
        "Date of birth",
        "Like 21/03/1990. Recognises people without an e-mail address.",
    ),
    Field("phone", "Phone", "A phone number."),
    Field("address", "Address", "For letters sent by post."),
    Field("email_allowed", "Agrees to e-mail", "Yes or No.", example="Yes"),
    Field("hard_copy_letters", "Letters on paper", "Yes or No: send letters by post."),
    Field("source", "Source", f"How they heard: {_choices(Application.Source.choices)}."),
    Field(
        "pathway",
        "Pathway",
        f"{_choices(Application.Pathway.choices)}. Empty: new recruit.",
    ),
    Field(
        "received_on",
        "Received on",
        "The day the application arrived.",
        required=True,
        example="10/01/2025",
    ),
    Field(
        "statement",
        "Statement",
        "Their personal statement (seen by programme leads and HR only).",
        sensitive=True,
    ),
    Field(
        "stage",
        "Stage",
        f"Where the application is now: {_choices(Application.Stage.choices)}. Empty: the "
        "stage of the latest date.",
        example="Accepted",
    ),
    Field("shortlisted_on", "Shortlisted on", "The day it was shortlisted.", example="03/03/2025"),
    Field(
        "invited_on",
        "Invited on",
        "The day they were invited to the information event.",
        example="04/03/2025",
    ),
    Field("offered_on", "Offered on", "The day they were offered a place.", example="17/03/2025"),
    Field(
        "accepted_on",
        "Accepted on",
        "The day they accepted the place and became a trainee.",
        example="21/03/2025",
    ),
    Field("unsuccessful_on", "Unsuccessful on", "The day they were told it was unsuccessful."),
    Field("withdrawn_on", "Withdrawn on", "The day they withdrew."),
    Field("deferred_on", "Deferred on", "The day it was deferred to a later cohort."),
    Field(
        "unsuccessful_reason",
        "Unsuccessful reason",
        "One of the programme's unsuccessful reasons, as worded on its reasons page.",
    ),
    Field(
        "withdrawal_reason",
        "Withdrawal reason",
        "One of the programme's withdrawal reasons.",
    ),
    Field("deferral_reason", "Deferral reason", "One of the programme's deferral reasons."),
    Field(
        "deferred_to",
        "Deferred to",
        "The later cohort it was deferred to. The application there has a row of its own.",
    ),
)

HEADER_REASON = {stage: header for stage, _, header, *_ in REASON_COLUMNS}
