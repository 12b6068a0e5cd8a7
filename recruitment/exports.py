"""Recruitment's exports: the application list, with the list's filters.

Personal statements are special-category: only readers of sensitive facts
get them. Reasons that reveal health read "Not shown" for everyone else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Role, User
from recruitment import selectors
from recruitment.filters import ApplicationFilter
from recruitment.models import Application

APPLICATIONS = "recruitment.applications"
EXPORTERS = (Role.PROGRAMME_LEAD, Role.ADMIN)


def _filterset(user: User, params: QueryDict) -> ApplicationFilter:
    return ApplicationFilter(
        params or None,
        queryset=selectors.application_list(user=user),
        programme_id=user.programme_id,
    )


def application_rows(user: User, params: QueryDict) -> QuerySet[Application]:
    return _filterset(user, params).qs


def describe_applications(user: User, params: QueryDict) -> list[tuple[str, str]]:
    return exports.describe_filterset(_filterset(user, params))


def _reason(application: Application) -> Any:
    return (
        application.unsuccessful_reason
        or application.withdrawal_reason
        or application.deferral_reason
    )


def reason_label(application: Application) -> str:
    reason = _reason(application)
    return reason.label if reason is not None else ""


def reason_label_redacted(application: Application) -> str:
    reason = _reason(application)
    if reason is None:
        return ""
    return "Not shown" if reason.reveals_health else reason.label


def register() -> None:
    exports.register(
        ExportSpec(
            key=APPLICATIONS,
            title="Applications",
            roles=EXPORTERS,
            columns=[
                Column("First name", lambda a: a.person.preferred_name or a.person.first_name),
                Column("Last name", lambda a: a.person.last_name),
                Column("E-mail", lambda a: a.person.email),
                Column("Cohort", lambda a: a.cohort.name),
                Column("Stage", lambda a: a.get_stage_display()),
                Column("Since", lambda a: a.stage_changed_at.date()),
                Column("Source", lambda a: a.get_source_display()),
                Column("Pathway", lambda a: a.get_pathway_display()),
                Column("Received on", lambda a: a.received_on),
                Column("Reason", reason_label, sensitive=True, redacted=reason_label_redacted),
                Column("Personal statement", lambda a: a.statement, sensitive=True),
                # Last, so that the columns before keep their places.
                Column("Arrived", lambda a: a.get_arrived_display()),
            ],
            rows=application_rows,
            url_name="recruitment:application-export",
            describe=describe_applications,
        )
    )


def cohort_param(params: QueryDict) -> int | None:
    """The cohort an export of a later stage is filtered to, if any."""
    value = params.get("cohort", "")
    return int(value) if value.isdigit() else None


def describe_cohort(user: User, params: QueryDict) -> list[tuple[str, str]]:
    """The cohort filter in plain words for the export log."""
    cohort_id = cohort_param(params)
    if cohort_id is None:
        return []
    name = selectors.cohort_name(user=user, pk=cohort_id)
    return [("Cohort", name or "(not in this programme)")]
