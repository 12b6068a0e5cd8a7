"""The application list's rows and the board's cards, written in Python from
one pattern each: a page of 50 applications, or a board of a whole cohort,
has hundreds of cells, and the template would look up, format and escape
each in turn. The markup is the one the templates drew; every value from
the database is escaped here once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from django.utils.dates import MONTHS
from django.utils.formats import date_format, get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.models import Person
from peerprog.core.pages import address_pattern
from recruitment.models import Application

# What an empty cell shows: an en dash, as the templates show one.
NONE_SHOWN = "\u2013"
HIDDEN_REASON = "Reason not shown"

_STAGES = dict(Application.Stage.choices)
_SOURCES = dict(Application.Source.choices)
_ONLINE = Application.Arrival.ONLINE

# The columns of a page of the application list.
APPLICATION_FIELDS = (
    "pk",
    "person__first_name",
    "person__preferred_name",
    "person__last_name",
    "person__email",
    "cohort__name",
    "stage",
    "unsuccessful_reason_id",
    "unsuccessful_reason__label",
    "unsuccessful_reason__reveals_health",
    "source",
    "arrived",
    "received_on",
)

_CHOOSE = (
    '<td><input class="form-check-input" type="checkbox" name="selected" value="{pk}" '
    'id="choose-{pk}"><label class="visually-hidden" for="choose-{pk}">Choose {name}</label></td>'
)
_APPLICATION_ROW = (
    "<tr>{choose}"
    '<td><a href="{detail}">{name}</a></td>'
    "<td>{email}</td>"
    "<td>{cohort}</td>"
    "<td>{stage}{reason}</td>"
    "<td>{source}{online}</td>"
    "<td>{received}</td>"
    "</tr>\n"
)


def name_of(row: Mapping[str, Any]) -> str:
    """The person's name as shown, escaped."""
    return escape(
        Person.name_shown(
            row["person__first_name"], row["person__preferred_name"], row["person__last_name"]
        )
    )


def reason_shown(row: Mapping[str, Any], *, can_read_sensitive: bool) -> str:
    """The unsuccessful reason, escaped, unless it reveals health and the
    reader may not see that."""
    if can_read_sensitive or not row["unsuccessful_reason__reveals_health"]:
        return escape(row["unsuccessful_reason__label"])
    return HIDDEN_REASON


def _day_shown() -> Callable[[date], str]:
    """A day as ``date_format`` shows it. For the UK's "3 March 2026" the
    day is written out from the month's name, which Django's formatter,
    looking up the format and language for every date, takes far longer
    to do; any other format is left to Django."""
    if get_format("DATE_FORMAT") != "j F Y":
        return date_format
    months: dict[int, str] = {}

    def shown(day: date) -> str:
        month = months.get(day.month)
        if month is None:
            month = months[day.month] = str(MONTHS[day.month])
        return f"{day.day} {month} {day.year}"

    return shown


def application_rows(
    applications: Iterable[Mapping[str, Any]], *, can_edit: bool, can_read_sensitive: bool
) -> SafeString:
    """A page of the application list (``APPLICATION_FIELDS``)."""
    detail = address_pattern("recruitment:application-detail")
    received_shown = _day_shown()
    rows = []
    for application in applications:
        pk = int(application["pk"])
        name = name_of(application)
        reason = ""
        if application["unsuccessful_reason_id"]:
            shown = reason_shown(application, can_read_sensitive=can_read_sensitive)
            reason = f'<br><span class="small">{shown}</span>'
        received = application["received_on"]
        rows.append(
            _APPLICATION_ROW.format(
                choose=_CHOOSE.format(pk=pk, name=name) if can_edit else "",
                detail=detail.format(pk),
                name=name,
                email=escape(application["person__email"] or NONE_SHOWN),
                cohort=escape(application["cohort__name"]),
                stage=escape(_STAGES.get(application["stage"], application["stage"])),
                reason=reason,
                source=escape(_SOURCES.get(application["source"], application["source"])),
                online='<br><span class="badge text-bg-info">Applied online</span>'
                if application["arrived"] == _ONLINE
                else "",
                received=received_shown(received) if received else "",
            )
        )
    # Every value from the database is escaped above; the rest is our markup.
    return mark_safe("".join(rows))  # noqa: S308


_CARD = (
    '        <li class="board-card">\n'
    '          <a href="{detail}">{name}</a>\n'
    "          {online}\n"
    "          {reason}\n"
    "          {deferred}\n"
    "          {moves}\n"
    "        </li>\n"
)
_MOVES = '<div class="d-flex flex-wrap gap-1 mt-1">\n{forms}\n          </div>'
_MOVE = (
    '            <form method="post" action="{move}" hx-post="{move}" hx-target="#board" '
    'hx-swap="outerHTML">\n'
    '              <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">\n'
    '              <input type="hidden" name="from" value="board">\n'
    '              <input type="hidden" name="next" value="{board_url}">\n'
    '              <input type="hidden" name="to_stage" value="{stage}">\n'
    '              <button type="submit" class="btn btn-sm btn-outline-primary">{label}'
    '<span class="visually-hidden"> ({name})</span></button>\n'
    "            </form>"
)
_NO_CARDS = '        <li class="small text-muted">None</li>\n'


def board_cards(
    cards: Iterable[Mapping[str, Any]],
    *,
    quick_moves: Iterable[tuple[str, str]],
    can_read_sensitive: bool,
    board_url: str,
    csrf_token: str,
) -> SafeString:
    """A board column's cards (``recruitment.selectors.BOARD_CARD_FIELDS``),
    each with a form per quick move when ``quick_moves`` are given (the
    reader may move cards). A board shows a whole cohort: this is written
    once per card, not looked up and escaped field by field."""
    detail = address_pattern("recruitment:application-detail")
    move = address_pattern("recruitment:application-move")
    moves = [(escape(stage), escape(label)) for stage, label in quick_moves]
    csrf = escape(csrf_token)
    url = escape(board_url)
    items = []
    for card in cards:
        pk = int(card["pk"])
        name = name_of(card)
        reason = ""
        if card["unsuccessful_reason_id"]:
            shown = reason_shown(card, can_read_sensitive=can_read_sensitive)
            reason = f'<div class="small">{shown}</div>'
        deferred = ""
        if card["deferred_to_id"]:
            deferred = '<div class="small">To {}</div>'.format(
                escape(card["deferred_to__cohort__name"])
            )
        forms = ""
        if moves:
            move_url = move.format(pk)
            forms = _MOVES.format(
                forms="\n".join(
                    _MOVE.format(
                        move=move_url,
                        csrf=csrf,
                        board_url=url,
                        stage=stage,
                        label=label,
                        name=name,
                    )
                    for stage, label in moves
                )
            )
        items.append(
            _CARD.format(
                detail=detail.format(pk),
                name=name,
                online='<span class="badge text-bg-info">Applied online</span>'
                if card["arrived"] == _ONLINE
                else "",
                reason=reason,
                deferred=deferred,
                moves=forms,
            )
        )
    # Every value from the database is escaped above; the rest is our markup.
    return mark_safe("".join(items) or _NO_CARDS)  # noqa: S308
