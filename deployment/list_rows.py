"""The rows of the posts and appointments lists, written in Python from one
pattern each: a page of 50 rows has hundreds of cells, and the template
would look up, format and escape each in turn, and reverse each row's
link. The markup is the one the templates drew; every value from the
database is escaped here once."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from deployment.models import Appointment, Post
from deployment.models.posts import PostRole
from peerprog.core.models import Person
from peerprog.core.pages import address_pattern

# The columns of a page of posts and of the appointments holding them.
POST_FIELDS = (
    "pk",
    "position_number",
    "job_title",
    "service__name",
    "role",
    "band",
    "wte",
    "status",
    "converted_from_id",
    "converted_from__job_title",
    "converted_to__role",
    "holder__pk",
    "holder__status",
    "holder__person__first_name",
    "holder__person__preferred_name",
    "holder__person__last_name",
)


def escape(value: Any) -> str:
    """``django.utils.html.escape`` without its lazy-text wrapper and safe
    string, for the hundreds of cells of a page: the same characters
    escaped the same way."""
    return html.escape(str(value))


# Values as last shown, by language: a page's cells repeat the same few
# hours, whole-time equivalents and start dates, each formatted for the
# language the same way every time.
_SHOWN_MOST = 4096
_shown: dict[tuple[str, type, str, str | None], str] = {}


def _shown_as(kind: str, value: Any, show: Callable[[Any], str]) -> str:
    """``show(value)`` escaped, as formatted once for the active language.
    Values are told apart by type and text: 37.5 and 37.50 are equal
    numbers written differently."""
    key = (kind, type(value), str(value), get_language())
    found = _shown.get(key)
    if found is None:
        if len(_shown) >= _SHOWN_MOST:
            _shown.clear()
        found = _shown[key] = escape(show(value))
    return found


def shown_number(value: Any) -> str:
    """A number as ``localize`` writes it, escaped."""
    return _shown_as("number", value, localize)


def shown_date(value: Any) -> str:
    """A date as ``date_format`` writes it (the language's date format),
    escaped."""
    return _shown_as("date", value, date_format)


# What an empty cell shows: an en dash, as the templates show one.
NONE_SHOWN = "\u2013"

_ROLES = dict(PostRole.choices)
_POST_STATUSES = dict(Post.Status.choices)
_APPOINTMENT_STATUSES = dict(Appointment.Status.choices)
_CONTRACTS = dict(Appointment.Contract.choices)

_CHOOSE = (
    '<input class="form-check-input" type="checkbox" name="posts" value="{pk}" id="choose-{pk}">'
    '<label class="visually-hidden" for="choose-{pk}">Convert post {number}</label>'
)
_POST_ROW = (
    "<tr>{choose}"
    '<td><a href="{detail}">{number}</a></td>'
    "<td>{job_title}{converted_from}</td>"
    "<td>{service}</td>"
    "<td>{role}</td>"
    "<td>{band}</td>"
    "<td>{wte}</td>"
    "<td>{status}{converted_to}</td>"
    "<td>{held_by}</td>"
    "</tr>\n"
)
_HOLDER = '<a href="{detail}">{name}</a>{offered}'
_APPOINTMENT_ROW = (
    "<tr>"
    '<td><a href="{detail}">{name}</a>{lead}</td>'
    "<td>{number} {job_title}</td>"
    "<td>{service}</td>"
    "<td>{contract}, {hours} a week</td>"
    "<td>{start}</td>"
    "<td>{manager}</td>"
    "<td>{status}{checks}{absent}</td>"
    "</tr>\n"
)


def _name(row: Mapping[str, Any], prefix: str = "person__") -> str:
    return escape(
        Person.name_shown(
            row[f"{prefix}first_name"], row[f"{prefix}preferred_name"], row[f"{prefix}last_name"]
        )
    )


def post_rows(posts: Iterable[Mapping[str, Any]], *, can_write: bool) -> SafeString:
    """A page of posts (``POST_FIELDS``), with who holds each."""
    detail = address_pattern("deployment:post-detail")
    holder_detail = address_pattern("deployment:appointment-detail")
    rows = []
    for post in posts:
        pk = int(post["pk"])
        number = escape(post["position_number"])
        choose = ""
        if can_write:
            vacant = post["status"] == Post.Status.VACANT and not post["converted_from_id"]
            choose = "<td>{}</td>".format(_CHOOSE.format(pk=pk, number=number) if vacant else "")
        converted_from = ""
        if post["converted_from_id"]:
            converted_from = ' <span class="small text-muted">(converted from {})</span>'.format(
                escape(post["converted_from__job_title"])
            )
        converted_to = ""
        if post["status"] == Post.Status.CONVERTED and post["converted_to__role"]:
            role = post["converted_to__role"]
            shown = escape(_ROLES.get(role, role))
            converted_to = f' <span class="small text-muted">to {shown}</span>'
        held_by = NONE_SHOWN
        if post["holder__pk"]:
            held_by = _HOLDER.format(
                detail=holder_detail.format(int(post["holder__pk"])),
                name=_name(post, "holder__person__"),
                offered=' <span class="small text-muted">(offered)</span>'
                if post["holder__status"] == Appointment.Status.OFFERED
                else "",
            )
        rows.append(
            _POST_ROW.format(
                choose=choose,
                detail=detail.format(pk),
                number=number,
                job_title=escape(post["job_title"]),
                converted_from=converted_from,
                service=escape(post["service__name"]),
                role=escape(_ROLES.get(post["role"], post["role"])),
                band=escape(post["band"]),
                wte=shown_number(post["wte"]),
                status=escape(_POST_STATUSES.get(post["status"], post["status"])),
                converted_to=converted_to,
                held_by=held_by,
            )
        )
    # Every value from the database is escaped above; the rest is our markup.
    return mark_safe("".join(rows))  # noqa: S308


# The columns of a page of appointments.
APPOINTMENT_FIELDS = (
    "pk",
    "person__first_name",
    "person__preferred_name",
    "person__last_name",
    "is_lead_lxp",
    "post__position_number",
    "post__job_title",
    "post__service__name",
    "contract",
    "hours_per_week",
    "start_date",
    "line_manager__full_name",
    "line_manager__email",
    "status",
    "outstanding_checks",
    "absent_now",
)


def appointment_rows(appointments: Iterable[Mapping[str, Any]]) -> SafeString:
    """A page of appointments (``APPOINTMENT_FIELDS``)."""
    detail = address_pattern("deployment:appointment-detail")
    rows = []
    for appointment in appointments:
        checks = appointment["outstanding_checks"]
        outstanding = ""
        if appointment["status"] == Appointment.Status.OFFERED and checks:
            outstanding = ' <span class="small">({} check{} outstanding)</span>'.format(
                int(checks), "" if checks == 1 else "s"
            )
        start = appointment["start_date"]
        # A line manager is shown as the user is: their name, else their e-mail.
        manager = appointment["line_manager__full_name"] or appointment["line_manager__email"]
        rows.append(
            _APPOINTMENT_ROW.format(
                detail=detail.format(int(appointment["pk"])),
                name=_name(appointment),
                lead=' <span class="badge text-bg-secondary">Lead LXP</span>'
                if appointment["is_lead_lxp"]
                else "",
                number=escape(appointment["post__position_number"]),
                job_title=escape(appointment["post__job_title"]),
                service=escape(appointment["post__service__name"]),
                contract=escape(_CONTRACTS.get(appointment["contract"], appointment["contract"])),
                hours=shown_number(appointment["hours_per_week"]),
                start=shown_date(start) if start else "Not confirmed",
                manager=escape(manager) if manager else NONE_SHOWN,
                status=escape(
                    _APPOINTMENT_STATUSES.get(appointment["status"], appointment["status"])
                ),
                checks=outstanding,
                absent=' <span class="small">(absent)</span>' if appointment["absent_now"] else "",
            )
        )
    # Every value from the database is escaped above; the rest is our markup.
    return mark_safe("".join(rows))  # noqa: S308
