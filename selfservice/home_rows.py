"""What a person's starting page lists: their applications still being
decided, their courses and their jobs, in every programme their account
holds a record in, read in one query.

The three lists are one ``UNION ALL`` of plain values (its SQL kept per
account, ``kept_rows``), each row carrying its list and its place in that
list as the database orders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, F, IntegerField, QuerySet, Value, Window
from django.db.models.functions import Cast, RowNumber

from deployment.models import Appointment
from peerprog.core.models import User
from recruitment.models import Application
from selfservice.kept import own_rows
from training.models import Enrolment

# Applications still being decided (before an offer is accepted).
WAITING = (
    Application.Stage.RECEIVED,
    Application.Stage.SHORTLISTED,
    Application.Stage.INVITED,
    Application.Stage.OFFERED,
)
APPLICATION, ENROLMENT, APPOINTMENT = 1, 2, 3
COLUMNS = ("list_kind", "place", "pk", "row_name", "row_where", "row_status", "row_person")
_STAGES = dict(Application.Stage.choices)
_ENROLMENT_STATUSES = dict(Enrolment.Status.choices)
_APPOINTMENT_STATUSES = dict(Appointment.Status.choices)


@dataclass(frozen=True)
class HomeRow:
    pk: int
    # The cohort's name, or the post's job title.
    name: str
    # The cohort's programme, or the post's service.
    where: str
    # The application's stage, the enrolment's or the appointment's status.
    status: str
    status_label: str
    person_id: int | None = None

    @property
    def is_active(self) -> bool:
        return self.status in Appointment.ACTIVE


@dataclass
class MyHome:
    open_applications: list[HomeRow] = field(default_factory=list)
    enrolments: list[HomeRow] = field(default_factory=list)
    appointments: list[HomeRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.open_applications or self.enrolments or self.appointments)


def _rows(*, user: int) -> QuerySet[Any]:
    mine = {"person__user_id": user, "person__user__is_active": True}
    no_person = Cast(Value(None), BigIntegerField())

    def place(*order: Any) -> Window:
        return Window(RowNumber(), order_by=list(order))

    applications = (
        Application.objects.filter(stage__in=WAITING, **mine)
        .annotate(
            list_kind=Value(APPLICATION, output_field=IntegerField()),
            place=place(F("pk").desc()),
            row_name=F("cohort__name"),
            row_where=F("cohort__programme__name"),
            row_status=F("stage"),
            row_person=no_person,
        )
        .values_list(*COLUMNS)
        .order_by()
    )
    enrolments = (
        Enrolment.objects.filter(**mine)
        .annotate(
            list_kind=Value(ENROLMENT, output_field=IntegerField()),
            place=place(F("cohort__training_start").desc(), F("pk").desc()),
            row_name=F("cohort__name"),
            row_where=F("cohort__programme__name"),
            row_status=F("status"),
            row_person=no_person,
        )
        .values_list(*COLUMNS)
        .order_by()
    )
    appointments = (
        Appointment.objects.filter(**mine)
        .annotate(
            list_kind=Value(APPOINTMENT, output_field=IntegerField()),
            place=place(F("start_date").desc(), F("pk").desc()),
            row_name=F("post__job_title"),
            row_where=F("post__service__name"),
            row_status=F("status"),
            row_person=F("person_id"),
        )
        .values_list(*COLUMNS)
        .order_by()
    )
    return applications.union(enrolments, appointments, all=True)


def my_home(*, user: User) -> MyHome:
    """The account's applications being decided (newest first), courses
    (latest start first) and jobs (latest start first): one query."""
    home = MyHome()
    if not user.is_active:
        return home
    lists = {
        APPLICATION: (home.open_applications, _STAGES),
        ENROLMENT: (home.enrolments, _ENROLMENT_STATUSES),
        APPOINTMENT: (home.appointments, _APPOINTMENT_STATUSES),
    }
    rows = sorted(own_rows(name="home", build=_rows, user=user.pk))
    for kind, _place, pk, name, where, status, person_id in rows:
        into, labels = lists[kind]
        into.append(
            HomeRow(
                pk=pk,
                name=name,
                where=where,
                status=status,
                status_label=labels.get(status, status),
                person_id=person_id,
            )
        )
    return home
