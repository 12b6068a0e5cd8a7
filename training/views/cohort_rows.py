"""The cohort page's table of trainees drawn in Python from one pattern:
fifty rows of seven cells, each with a link, dates and the state of the
portfolio, cost more to draw through the template than everything else on
the page. The HTML is the template's: the same text, links and labels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any

from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from training.models import Decision, Enrolment, PortfolioSubmission

NO_FIGURE = "\N{EN DASH}"
_ROW = (
    '\n      <tr>\n        <th scope="row">{name}</th>\n        <td>{status}</td>\n'
    '        <td class="text-end">{attendance}</td>\n        <td class="text-end">{drafts}</td>\n'
    '        <td class="text-end">{tutorials}</td>\n        <td>{final}</td>\n'
    "        <td>{assessment}</td>\n      </tr>"
)


def _day(value: date) -> str:
    # As the template's ``date`` filter shows a date ("j F Y"): "3 March
    # 2026", without the cost of formatting through the locale every time.
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def _assessment(t: Any) -> str:
    if t.latest_status == PortfolioSubmission.Status.AWAITING_MARKS:
        return f"Waiting for marks ({int(t.marks_in)} of 2 in)"
    if t.latest_status == PortfolioSubmission.Status.IN_MODERATION:
        return "With the lead for moderation"
    if t.latest_outcome == Decision.PASS:
        return "Pass"
    if t.latest_outcome == Decision.REFERRAL:
        if t.status == Enrolment.Status.REFERRED and t.resubmission_due:
            return f"Referral: resubmission due {_day(t.resubmission_due)}"
        return "Referral"
    return NO_FIGURE


def trainee_rows_html(trainees: Iterable[Any], *, linked: bool) -> SafeString:
    """The rows of the trainees (``trainees_shown`` with
    ``attach_progress``'s figures, each with ``link``); ``linked``: the
    names link to each trainee's page."""
    rows = []
    for t in trainees:
        name = escape(t.name)
        status = escape(t.get_status_display())
        if t.passed_on:
            status += f'<br><span class="small">Eligible from {_day(t.passed_on)}</span>'
        if t.final_on:
            final = f"Received {_day(t.final_on)}"
            if t.final_late:
                final += ' <span class="badge text-bg-warning">Late</span>'
        else:
            final = "Not yet"
        rows.append(
            _ROW.format(
                name=f'<a href="{escape(t.link)}">{name}</a>' if linked else name,
                status=status,
                # As the template's ``widthratio`` rounded it.
                attendance=f"{round(t.attended / t.counted * 100)}%" if t.counted else NO_FIGURE,
                drafts=int(t.draft_count),
                tutorials=int(t.tutorial_count),
                final=final,
                assessment=_assessment(t),
            )
        )
    # Names and labels are escaped above; dates and numbers are our own.
    return mark_safe("".join(rows))  # noqa: S308


def _session_row(s: Any, *, today: date, staff: bool, lead: bool) -> str:
    on = _day(s.date)
    title = escape(s.title)
    hidden = f'<span class="visually-hidden"> {title} on {on}</span>'
    shown = title
    if s.is_cancelled:
        shown += (
            ' <span class="badge text-bg-secondary">Cancelled</span><br>'
            f'<span class="small">{escape(s.cancel_reason)}</span>'
        )
    place = escape(s.place)
    if s.is_online:
        place = f"Online, {place}" if s.place else "Online"
    facilitators = list(s.co_facilitators)
    if s.facilitator:
        facilitators.insert(0, s.facilitator)
    if s.is_cancelled:
        register = NO_FIGURE
    elif s.date > today:
        register = "Not yet"
    elif staff:
        marked = f"{int(s.marked)} marked" if s.marked else "Take the register"
        register = (
            f'<a href="{escape(s.links["register"])}">{marked}'
            f'<span class="visually-hidden"> for {title} on {on}</span></a>'
        )
    else:
        register = f"{int(s.marked)} marked"
    actions = ""
    if lead:
        cancel = ""
        if not s.is_cancelled:
            cancel = f' · <a href="{escape(s.links["cancel"])}">Cancel{hidden}</a>'
        actions = (
            f'\n        <td>\n          <a href="{escape(s.links["edit"])}">Change{hidden}</a>'
            f"\n          {cancel}\n        </td>"
        )
    return (
        f"\n      <tr>\n        <td>{on}</td>\n"
        f"        <td>{s.starts_at:%H:%M}, {int(s.minutes)} minutes</td>\n"
        f"        <td>{shown}</td>\n        <td>{place}</td>\n"
        f"        <td>{escape('; '.join(facilitators))}</td>\n"
        f"        <td>{register}</td>{actions}\n      </tr>"
    )


def session_rows_html(
    sessions: Iterable[Any], *, today: date, staff: bool, lead: bool
) -> SafeString:
    """The rows of the cohort's timetable (``cohort_timetable``'s sessions,
    each with ``links``): ``staff`` may take registers, ``lead`` may change and
    cancel sessions."""
    rows = [_session_row(s, today=today, staff=staff, lead=lead) for s in sessions]
    # Titles, places, names and reasons are escaped above.
    return mark_safe("".join(rows))  # noqa: S308
