"""Reads for team readiness: services with their preparation workshops, the
survey's instruments and rounds. Scoped to the user's programme; lists load
what their pages need up front, so they cost the same number of queries
however long they are.

Who may do what: leads and HR record workshops, leads, HR and admins read
them; leads and admins run the survey; HR also reads its results. Mentors
and supervisors reach the survey only through their own respondent link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from peerprog.core.access import get_in_programme_or_404, scoped
from peerprog.core.dates import add_months
from peerprog.core.models import Organisation, Programme, Role, Service, User
from readiness.models import (
    PreparationWorkshop,
    RoundQuestion,
    SurveyDomain,
    SurveyInstrument,
    SurveyItem,
    SurveyRespondent,
    SurveyRound,
    WorkshopAttendance,
)

WORKSHOP_READERS = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
WORKSHOP_WRITERS = (Role.PROGRAMME_LEAD, Role.HR)
SURVEY_RUNNERS = (Role.PROGRAMME_LEAD, Role.ADMIN)
RESULT_READERS = (Role.PROGRAMME_LEAD, Role.ADMIN, Role.HR)

# A team is prepared if it had a workshop within this many months.
PREPARED_WITHIN_MONTHS = 12


# Preparation workshops -----------------------------------------------------


def attended(*, workshop: PreparationWorkshop) -> int:
    """Staff who came: the counts by role, or else the names listed."""
    counts = sum(row.count for row in workshop.attendance.all())
    if counts:
        return counts
    return len([line for line in workshop.staff_names.splitlines() if line.strip()])


def _workshops() -> QuerySet[PreparationWorkshop]:
    return PreparationWorkshop.objects.prefetch_related(
        Prefetch("attendance", queryset=WorkshopAttendance.objects.order_by("role"))
    )


@dataclass(frozen=True)
class ServiceReadiness:
    service: Service
    workshops: int
    latest: PreparationWorkshop | None
    prepared: bool

    @property
    def latest_attended(self) -> int | None:
        return attended(workshop=self.latest) if self.latest else None


def prepared_since(*, today: date | None = None) -> date:
    return add_months(today or timezone.localdate(), -PREPARED_WITHIN_MONTHS)


def service_readiness_list(*, user: User, today: date | None = None) -> list[ServiceReadiness]:
    """Every service of the programme with its latest preparation workshop."""
    since = prepared_since(today=today)
    services = list(
        scoped(Service.objects.select_related("organisation"), user)
        .annotate(workshop_count=Count("preparation_workshops"))
        .order_by("-is_active", "name")
    )
    latest: dict[int, PreparationWorkshop] = {}
    dates = dict(
        scoped(PreparationWorkshop.objects.all(), user)
        .values("service_id")
        .annotate(last=Max("held_on"))
        .values_list("service_id", "last")
    )
    if dates:
        query = Q()
        for service_id, held_on in dates.items():
            query |= Q(service_id=service_id, held_on=held_on)
        for workshop in _workshops().filter(query).order_by("pk"):
            latest[workshop.service_id] = workshop
    return [
        ServiceReadiness(
            service=service,
            workshops=service.workshop_count,
            latest=latest.get(service.pk),
            prepared=service.pk in latest and latest[service.pk].held_on >= since,
        )
        for service in services
    ]


def get_service_for_user(*, user: User, pk: int) -> Service:
    return get_in_programme_or_404(Service.objects.select_related("organisation"), user, pk)


def workshops_for_service(*, service: Service) -> QuerySet[PreparationWorkshop]:
    return _workshops().filter(service=service).select_related("recorded_by")


def get_workshop_for_user(*, user: User, pk: int) -> PreparationWorkshop:
    return get_in_programme_or_404(_workshops().select_related("service"), user, pk)


def preparation_warning(*, service: Service, today: date | None = None) -> str:
    """A warning for HR appointing to a service whose team has had no
    preparation workshop in the last 12 months; empty when it has."""
    since = prepared_since(today=today)
    if PreparationWorkshop.objects.filter(service=service, held_on__gte=since).exists():
        return ""
    return (
        f"{service.name} has had no preparation workshop in the last "
        f"{PREPARED_WITHIN_MONTHS} months. Peer workers settle best in teams that have been "
        "prepared: consider holding one before the peer worker starts."
    )


# The survey: instruments and rounds -----------------------------------------------


def instrument_list(*, user: User) -> QuerySet[SurveyInstrument]:
    return scoped(SurveyInstrument.objects.all(), user).annotate(
        item_count=Count("domains__items", filter=Q(domains__items__is_active=True)),
        round_count=Count("rounds", distinct=True),
    )


def get_instrument_for_user(*, user: User, pk: int) -> SurveyInstrument:
    return get_in_programme_or_404(
        SurveyInstrument.objects.prefetch_related(
            Prefetch(
                "domains",
                queryset=SurveyDomain.objects.prefetch_related(
                    Prefetch("items", queryset=SurveyItem.objects.order_by("order", "pk"))
                ),
            )
        ),
        user,
        pk,
    )


def get_domain_for_user(*, user: User, pk: int) -> SurveyDomain:
    return get_in_programme_or_404(
        SurveyDomain.objects.select_related("instrument"), user, pk, "instrument__programme"
    )


def get_item_for_user(*, user: User, pk: int) -> SurveyItem:
    return get_in_programme_or_404(
        SurveyItem.objects.select_related("domain__instrument").prefetch_related("versions"),
        user,
        pk,
        "domain__instrument__programme",
    )


def round_list(*, user: User) -> QuerySet[SurveyRound]:
    submitted = Q(respondents__status=SurveyRespondent.Status.SUBMITTED)
    return (
        scoped(SurveyRound.objects.select_related("instrument"), user)
        .prefetch_related("services")
        .annotate(
            links=Count("respondents", distinct=True),
            sent=Count("respondents", filter=submitted, distinct=True),
        )
    )


def get_round_for_user(*, user: User, pk: int) -> SurveyRound:
    return get_in_programme_or_404(
        SurveyRound.objects.select_related("instrument").prefetch_related("services"), user, pk
    )


def round_progress(*, survey_round: SurveyRound) -> dict[str, int]:
    """How many links are unused, started and sent (counts only)."""
    counts = dict(
        survey_round.respondents.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in SurveyRespondent.Status.values} | {
        "staff_invited": survey_round.respondents.filter(user__isnull=False).count()
    }


def comparable_rounds(*, survey_round: SurveyRound, user: User) -> QuerySet[SurveyRound]:
    """Other rounds of the same instrument, to show change."""
    return (
        scoped(SurveyRound.objects.all(), user)
        .filter(instrument_id=survey_round.instrument_id)
        .exclude(pk=survey_round.pk)
    )


def questions_for_round(*, survey_round: SurveyRound) -> list[RoundQuestion]:
    return list(
        RoundQuestion.objects.filter(round=survey_round)
        .select_related("item_version")
        .order_by("number")
    )


def invitable_staff(*, user: User) -> QuerySet[User]:
    """Staff of the programme who may be invited to answer."""
    return scoped(User.objects.filter(is_active=True), user).order_by("full_name")


def organisations_for(*, programme: Programme) -> list[Organisation]:
    """The organisations a respondent may say they work for: the
    programme's lead organisation and its partners."""
    return [programme.lead_organisation, *programme.partner_organisations.all()]
