"""Deployment's exports: the establishment (posts), appointments, absences,
the reserve list and the monthly retention snapshots, with each list's
filters.

HR, programme leads and admins export the deployment lists; the retention
snapshots, a report, are for leads and admins. The health category of a
sickness absence and leaving reasons that reveal health are special-category:
only HR and leads get them (the category is not even loaded for anyone
else).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from deployment import selectors
from deployment.filters import PostFilter
from deployment.models import Absence, Appointment, Post, ReserveEntry, RetentionSnapshot
from peerprog.core import exports
from peerprog.core.access import can_read_sensitive, require_role, scoped
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Role, User
from recruitment.exports import cohort_param, describe_cohort

POSTS = "deployment.posts"
APPOINTMENTS = "deployment.appointments"
ABSENCES = "deployment.absences"
RESERVE = "deployment.reserve"
SNAPSHOTS = "deployment.snapshots"

LISTS = (Role.HR, Role.PROGRAMME_LEAD, Role.ADMIN)
REPORTS = (Role.PROGRAMME_LEAD, Role.ADMIN)
HIDDEN_REASON = "Reason not shown (special-category information)"

STATUS_WORDS = {"active": "Offered or in post", "all": "All", **dict(Appointment.Status.choices)}
ABSENCE_WORDS = {"now": "Absent today", "all": "All", **dict(Absence.Kind.choices)}


# Posts


def _post_filter(user: User, params: QueryDict) -> PostFilter:
    return PostFilter(
        params or None,
        queryset=selectors.post_list(user=user),
        programme_id=user.programme_id,
    )


def post_rows(user: User, params: QueryDict) -> QuerySet[Post]:
    return _post_filter(user, params).qs


def describe_posts(user: User, params: QueryDict) -> list[tuple[str, str]]:
    return exports.describe_filterset(_post_filter(user, params))


def holders(post: Post) -> str:
    return "; ".join(
        appointment.person.display_name + (" (offered)" if appointment.status == "offered" else "")
        for appointment in post.active_appointments  # type: ignore[attr-defined]
    )


# Appointments


def _status(params: QueryDict) -> str:
    status = params.get("status", "active")
    return status if status in STATUS_WORDS else "active"


def appointment_rows(user: User, params: QueryDict) -> QuerySet[Appointment]:
    appointments = selectors.appointment_list(user=user, status=_status(params))
    return appointments.select_related("leaving_reason")


def describe_status(user: User, params: QueryDict) -> list[tuple[str, str]]:
    return [("Status", STATUS_WORDS[_status(params)])]


def leaving_reason(appointment: Appointment) -> str:
    reason = appointment.leaving_reason
    return reason.label if reason else ""


def leaving_reason_redacted(appointment: Appointment) -> str:
    reason = appointment.leaving_reason
    if reason is None:
        return ""
    return HIDDEN_REASON if reason.reveals_health else reason.label


# Absences


def _absence_filter(params: QueryDict) -> str:
    value = params.get("absence", "all")
    return value if value in ABSENCE_WORDS else "all"


def absence_rows(user: User, params: QueryDict) -> QuerySet[Absence]:
    require_role(user, *LISTS)
    absences = scoped(Absence.objects.all(), user, "appointment__programme").select_related(
        "appointment__person", "appointment__post__service", "cover_reserve__person"
    )
    if can_read_sensitive(user):
        absences = absences.select_related("health")
    chosen = _absence_filter(params)
    if chosen == "now":
        today = timezone.localdate()
        absences = absences.filter(starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
    elif chosen in Absence.Kind.values:
        absences = absences.filter(kind=chosen)
    return absences.order_by("-starts_on", "appointment__person__last_name", "pk")


def describe_absences(user: User, params: QueryDict) -> list[tuple[str, str]]:
    return [("Absences", ABSENCE_WORDS[_absence_filter(params)])]


def health_category(absence: Absence) -> str:
    try:
        return absence.health.get_category_display()
    except Absence.health.RelatedObjectDoesNotExist:
        return ""


def cover(absence: Absence) -> str:
    if absence.cover_reserve is not None:
        return f"{absence.get_cover_display()}: {absence.cover_reserve.person.display_name}"
    return absence.get_cover_display()


# The reserve list


def reserve_rows(user: User, params: QueryDict) -> QuerySet[ReserveEntry]:
    return selectors.reserve_list(user=user, include_past=params.get("show") == "all")


def describe_reserve(user: User, params: QueryDict) -> list[tuple[str, str]]:
    if params.get("show") == "all":
        return [("Show", "Everyone ever on the list")]
    return []


def reserve_post(entry: ReserveEntry) -> str:
    interview = entry.interview
    if interview is None:
        return ""
    return str(interview.candidate.vacancy.post)


# Retention snapshots


def snapshot_rows(user: User, params: QueryDict) -> QuerySet[RetentionSnapshot]:
    require_role(user, *REPORTS)
    snapshots = scoped(RetentionSnapshot.objects.all(), user).select_related("cohort", "service")
    cohort_id = cohort_param(params)
    if cohort_id is not None:
        snapshots = snapshots.filter(cohort_id=cohort_id)
    return snapshots.order_by("month", "cohort__name", "service__name", "revision", "pk")


def _month(day: date) -> str:
    return f"{day:%B %Y}"


def _day(moment: datetime | None) -> str:
    return f"{timezone.localdate(moment):%-d %B %Y}" if moment else ""


def register() -> None:
    exports.register(
        ExportSpec(
            key=POSTS,
            title="Posts",
            roles=LISTS,
            columns=[
                Column("Service", lambda p: p.service.name),
                Column("Position number", lambda p: p.position_number),
                Column("Job title", lambda p: p.job_title),
                Column("Role", lambda p: p.get_role_display()),
                Column("Band", lambda p: p.get_band_display()),
                Column("WTE", lambda p: p.wte),
                Column("Status", lambda p: p.get_status_display()),
                Column("Converted from", lambda p: p.converted_from or ""),
                Column("Converted to", lambda p: getattr(p, "converted_to", None) or ""),
                Column("Held by", holders),
            ],
            rows=post_rows,
            url_name="deployment:posts-export",
            describe=describe_posts,
        )
    )
    exports.register(
        ExportSpec(
            key=APPOINTMENTS,
            title="Appointments",
            roles=LISTS,
            columns=[
                Column("First name", lambda a: a.person.preferred_name or a.person.first_name),
                Column("Last name", lambda a: a.person.last_name),
                Column("Service", lambda a: a.post.service.name),
                Column("Post", lambda a: a.post.job_title),
                Column("Position number", lambda a: a.post.position_number),
                Column("Status", lambda a: a.get_status_display()),
                Column("Start date", lambda a: a.start_date),
                Column("Contract", lambda a: a.get_contract_display()),
                Column("Hours a week", lambda a: a.hours_per_week),
                Column("Line manager", lambda a: a.line_manager or ""),
                Column("Lead LXP", lambda a: a.is_lead_lxp),
                Column("Checks outstanding", lambda a: a.outstanding_checks),
                Column("Absent today", lambda a: a.absent_now),
                Column("Last day in post", lambda a: a.ended_on),
                Column(
                    "Leaving reason",
                    leaving_reason,
                    sensitive=True,
                    redacted=leaving_reason_redacted,
                ),
            ],
            rows=appointment_rows,
            url_name="deployment:appointments-export",
            describe=describe_status,
        )
    )
    exports.register(
        ExportSpec(
            key=ABSENCES,
            title="Absences",
            roles=LISTS,
            columns=[
                Column(
                    "First name",
                    lambda a: (
                        a.appointment.person.preferred_name or a.appointment.person.first_name
                    ),
                ),
                Column("Last name", lambda a: a.appointment.person.last_name),
                Column("Service", lambda a: a.appointment.post.service.name),
                Column("Kind", lambda a: a.get_kind_display()),
                Column("First day", lambda a: a.starts_on),
                Column("Last day", lambda a: a.ends_on),
                Column("Days", lambda a: a.days),
                Column("Cover", cover),
                Column("Health category", health_category, sensitive=True),
            ],
            rows=absence_rows,
            url_name="deployment:absences-export",
            describe=describe_absences,
        )
    )
    exports.register(
        ExportSpec(
            key=RESERVE,
            title="Reserve list",
            roles=LISTS,
            columns=[
                Column("First name", lambda r: r.person.preferred_name or r.person.first_name),
                Column("Last name", lambda r: r.person.last_name),
                Column("E-mail", lambda r: r.person.email),
                Column("Status", lambda r: r.status_label),
                Column("Placed on the list", lambda r: r.placed_on),
                Column("Stands until", lambda r: r.stands_until),
                Column("Interviewed for", reserve_post),
                Column("Absences covered", lambda r: r.cover_count),
            ],
            rows=reserve_rows,
            url_name="deployment:reserve-export",
            describe=describe_reserve,
        )
    )
    exports.register(
        ExportSpec(
            key=SNAPSHOTS,
            title="Retention snapshots",
            roles=REPORTS,
            columns=[
                Column("Month", lambda s: _month(s.month)),
                Column("Cohort", lambda s: s.cohort.name if s.cohort else "No cohort on record"),
                Column("Service", lambda s: s.service.name),
                Column("Appointed", lambda s: s.appointed),
                Column("In post", lambda s: s.in_post),
                Column("Starters", lambda s: s.starters),
                Column("Leavers", lambda s: s.leavers),
                Column("Absence days", lambda s: s.absence_days),
                Column("Reached 6 months", lambda s: s.reached_6),
                Column("Retained at 6 months", lambda s: s.retained_6),
                Column("Reached 12 months", lambda s: s.reached_12),
                Column("Retained at 12 months", lambda s: s.retained_12),
                Column("Reached 24 months", lambda s: s.reached_24),
                Column("Retained at 24 months", lambda s: s.retained_24),
                Column("Taken at", lambda s: s.taken_at),
                Column("Revised on", lambda s: _day(s.taken_at) if s.revision else ""),
                Column("Superseded on", lambda s: _day(s.superseded_at)),
            ],
            rows=snapshot_rows,
            url_name="deployment:snapshots-export",
            describe=describe_cohort,
        )
    )
