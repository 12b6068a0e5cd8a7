"""The rows of mentoring's longer lists, each drawn from one pattern in
Python: a template loop with a link reversed and filters run per cell costs
more than the rest of such a page. The HTML is what the templates drew; every
value from outside is escaped once here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.pages import address_pattern
from supervision.selectors.cohort_rows import TraineeRow
from supervision.selectors.cohorts import CohortSummary
from supervision.selectors.compliance import Compliance, MentoringState
from supervision.selectors.mentoring import MenteeCard
from supervision.selectors.supervising import SuperviseeRow
from training.models import Enrolment

# What an empty cell shows.
_DASH = "\N{EN DASH}"

_OVERVIEW_ROW = (
    '<tr>\n      <th scope="row"><a href="{url}">{name}</a><br>'
    '<span class="small fw-normal">{start} to {end}</span></th>\n'
    '      <td class="text-end">{minimum}</td>\n'
    '      <td class="text-end">{mentors}</td>\n'
    '      <td class="text-end">{several}</td>\n'
    '      <td class="text-end">{without}</td>\n'
    "      {states}\n    </tr>\n"
)

_TRAINEE_ROW = (
    '<tr>\n        <th scope="row"><a href="{url}">{name}</a>{left}</th>\n'
    "        <td>{mentor}</td>\n"
    "        <td>{badge}</td>\n"
    "        <td>{last}</td>\n"
    "        <td>{next}</td>\n"
    "        <td>{action}</td>\n      </tr>\n"
)


MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date(value: date | None, empty: str = "") -> str:
    """The day as the ``date`` filter writes it (3 March 2026), without its
    cost per call."""
    return f"{value.day} {MONTHS[value.month]} {value.year}" if value else empty


def badge(state: MentoringState) -> str:
    """A trainee's mentoring state as ``_mentoring_badge.html`` draws it."""
    expected = (
        ""
        if state.state in (Compliance.MET, Compliance.ENDED)
        else f"; {state.expected} expected by now"
    )
    return (
        f'<span class="badge {state.badge}">{escape(state.label)}</span> '
        f'<span class="small">{state.held} of {state.minimum} meetings{expected}</span>'
    )


def overview_rows(summaries: Iterable[CohortSummary]) -> SafeString:
    """The overview's row for each cohort: its figures and a link to it."""
    cohort_url = address_pattern("supervision:cohort")
    rows = []
    for summary in summaries:
        cohort = summary.cohort
        rows.append(
            _OVERVIEW_ROW.format(
                url=cohort_url.format(int(cohort.pk)),
                name=escape(cohort.name),
                start=_date(cohort.training_start),
                end=_date(cohort.training_end),
                minimum=int(summary.minimum),
                mentors=int(summary.mentors),
                several=int(summary.mentors_with_several),
                without=int(summary.without_mentor),
                states="".join(
                    f'<td class="text-end">{int(count)}</td>'
                    for _, _, count in summary.state_counts
                ),
            )
        )
    # Every part of each row is escaped above or is our own markup.
    return mark_safe("".join(rows))  # noqa: S308


def trainee_rows(rows: Iterable[TraineeRow]) -> SafeString:
    """The cohort page's row for each trainee: their mentor, meetings and
    links to their page and to assigning their mentor."""
    mentee_url = address_pattern("supervision:mentee")
    assign_url = address_pattern("supervision:mentor-assign")
    lines = []
    for row in rows:
        enrolment = row.enrolment
        name = escape(enrolment.person.display_name)
        left = enrolment.status == Enrolment.Status.NOT_COMPLETED
        if left:
            why = (
                "Left the course"
                if row.mentoring.state == Compliance.ENDED
                else "Portfolio not completed"
            )
            note = f'<br><span class="small fw-normal">{why}</span>'
            action = ""
        else:
            note = ""
            verb = "Change the mentor" if row.mentor else "Assign a mentor"
            action = (
                f'<a href="{assign_url.format(int(enrolment.pk))}">{verb}'
                f'<span class="visually-hidden"> of {name}</span></a>'
            )
        lines.append(
            _TRAINEE_ROW.format(
                url=mentee_url.format(int(enrolment.pk)),
                name=name,
                left=note,
                mentor=escape(row.mentor.full_name)
                if row.mentor and row.mentor.full_name
                else "None",
                badge=badge(row.mentoring),
                last=_date(row.last_contact_on, _DASH),
                next=_date(row.next_meeting_on, _DASH),
                action=action,
            )
        )
    # Every part of each row is escaped above or is our own markup.
    return mark_safe("".join(lines))  # noqa: S308


_SUPERVISEE_ROW = (
    '<tr>\n      <th scope="row"><a href="{url}">{name}</a></th>\n'
    "      <td>{post}, {service}</td>\n"
    "      <td>{supervisor}</td>\n"
    "      <td>{frequency}</td>\n"
    "      <td>{last}</td>\n"
    "      <td>{due}</td>\n"
    "      <td>{review}</td>\n    </tr>\n"
)


def supervision_rows(rows: Iterable[SuperviseeRow]) -> SafeString:
    """The supervision overview's row for each peer worker in post: their
    post, supervisors, frequency and the days of their supervision."""
    supervisee_url = address_pattern("supervision:supervisee")
    assign_url = address_pattern("supervision:supervision-assign")
    lines = []
    for row in rows:
        person = row.person
        name = escape(person.display_name)
        if row.post is not None:
            title, service = row.post
        elif row.appointment:
            title, service = row.appointment.post.job_title, str(row.appointment.post.service)
        else:
            title = service = ""
        assignment = row.assignment
        if assignment:
            if row.supervisor_names is not None:
                main, cover = row.supervisor_names
            else:
                main = assignment.supervisor.full_name
                cover = (
                    assignment.cover_supervisor.full_name if assignment.cover_supervisor else None
                )
            supervisor = escape(main)
            if cover is not None:
                supervisor += f'<br><span class="small">Cover: {escape(cover)}</span>'
            frequency = escape(assignment.get_frequency_days_display() or _DASH)
        else:
            supervisor = (
                f'<a href="{assign_url.format(int(person.pk))}">Choose a supervisor'
                f'<span class="visually-hidden"> for {name}</span></a>'
            )
            frequency = _DASH
        if row.next_due_on:
            due = _date(row.next_due_on)
            if row.overdue:
                due += ' <span class="badge text-bg-warning">Overdue</span>'
        else:
            due = _DASH
        lines.append(
            _SUPERVISEE_ROW.format(
                url=supervisee_url.format(int(person.pk)),
                name=name,
                post=escape(title),
                service=escape(service),
                supervisor=supervisor,
                frequency=frequency,
                last=_date(row.last_session_on, "None yet"),
                due=due,
                review=_date(row.plan_review_due, "No plan yet"),
            )
        )
    # Every part of each row is escaped above or is our own markup.
    return mark_safe("".join(lines))  # noqa: S308


_SUPERVISEE_CARD = (
    '<li class="col-md-6 col-xl-4">\n'
    '    <section class="card h-100" aria-labelledby="supervisee-{pk}">\n'
    '      <div class="card-body">\n'
    '        <h2 class="h5 card-title" id="supervisee-{pk}"><a href="{url}">{name}</a></h2>\n'
    "        {cover}\n"
    '        <p class="mb-2">{badge} <span class="small">{frequency}</span></p>\n'
    '        <dl class="row small mb-3">\n'
    '          <dt class="col-6">Post</dt><dd class="col-6">{post}</dd>\n'
    '          <dt class="col-6">Line manager</dt><dd class="col-6">{manager}</dd>\n'
    '          <dt class="col-6">Last session</dt><dd class="col-6">{last}</dd>\n'
    '          <dt class="col-6">Next due</dt><dd class="col-6">{next}</dd>\n'
    '          <dt class="col-6">Plan review due</dt><dd class="col-6">{review}</dd>\n'
    "        </dl>\n"
    '        <a class="btn btn-primary w-100" href="{record}?person={pk}">Record a session'
    '<span class="visually-hidden"> with {name}</span></a>\n'
    "      </div>\n    </section>\n  </li>\n  "
)
_OVERDUE = '<span class="badge text-bg-warning">Overdue</span>'
_UP_TO_DATE = '<span class="badge text-bg-light border">Up to date</span>'


def supervisee_cards(rows: Iterable[SuperviseeRow]) -> SafeString:
    """The supervisor's card for each of their supervisees: whether their
    supervision is overdue, their post and the days of their supervision."""
    supervisee_url = address_pattern("supervision:supervisee")
    record = reverse("supervision:session-create")
    cards = []
    for row in rows:
        person = row.person
        pk = int(person.pk)
        assignment = row.assignment
        appointment = row.appointment
        if row.post is not None:
            post: str | None = f"{escape(row.post[0])}, {escape(row.post[1])}"
            manager = row.line_manager
        elif appointment:
            post = f"{escape(appointment.post.job_title)}, {escape(str(appointment.post.service))}"
            manager = appointment.line_manager.full_name if appointment.line_manager else ""
        else:
            post, manager = None, ""
        cover = ""
        if row.is_cover and assignment:
            main = (
                row.supervisor_names[0]
                if row.supervisor_names is not None
                else assignment.supervisor.full_name
            )
            cover = f'<p class="small mb-2">You cover for {escape(main)}.</p>'
        cards.append(
            _SUPERVISEE_CARD.format(
                pk=pk,
                url=supervisee_url.format(pk),
                name=escape(person.display_name),
                cover=cover,
                badge=_OVERDUE if row.overdue else _UP_TO_DATE,
                frequency=escape(assignment.get_frequency_days_display()) if assignment else "",
                post=post or "Not in post",
                manager=escape(manager) if manager else "Not recorded",
                last=_date(row.last_session_on, "None yet"),
                next=_date(row.next_due_on),
                review=_date(row.plan_review_due, "No plan yet"),
                record=record,
            )
        )
    # Every part of each card is escaped above or is our own markup.
    return mark_safe("".join(cards))  # noqa: S308


_MENTEE_CARD = (
    '<li class="col-md-6 col-xl-4">\n'
    '    <section class="card h-100" aria-labelledby="mentee-{pk}">\n'
    '      <div class="card-body">\n'
    '        <h2 class="h5 card-title" id="mentee-{pk}"><a href="{url}">{name}</a></h2>\n'
    '        <p class="small mb-2">{cohort}: {start} to {end}</p>\n'
    '        <p class="mb-2">{badge}</p>\n'
    '        <dl class="row small mb-3">\n'
    '          <dt class="col-6">Attendance</dt><dd class="col-6">{attendance}</dd>\n'
    '          <dt class="col-6">Portfolio</dt><dd class="col-6">{portfolio}</dd>\n'
    '          <dt class="col-6">Last contact</dt><dd class="col-6">{last}</dd>\n'
    '          <dt class="col-6">Next meeting</dt><dd class="col-6">{next}</dd>\n'
    "        </dl>\n"
    "        {log}\n"
    "      </div>\n    </section>\n  </li>\n  "
)


def mentee_cards(cards: Iterable[MenteeCard]) -> SafeString:
    """The mentor's card for each of their mentees: their course, meetings,
    attendance and portfolio, and the link to log a meeting."""
    mentee_url = address_pattern("supervision:mentee")
    log_url = address_pattern("supervision:meeting-create")
    items = []
    for card in cards:
        enrolment = card.enrolment
        cohort = enrolment.cohort
        pk = int(enrolment.pk)
        name = escape(enrolment.person.display_name)
        progress = card.progress
        rate = progress.attendance_rate if progress else None
        log = (
            ""
            if enrolment.status == Enrolment.Status.NOT_COMPLETED
            else f'<a class="btn btn-primary w-100" href="{log_url.format(pk)}">Log a meeting'
            f'<span class="visually-hidden"> with {name}</span></a>'
        )
        items.append(
            _MENTEE_CARD.format(
                pk=pk,
                url=mentee_url.format(pk),
                name=name,
                cohort=escape(cohort.name),
                start=_date(cohort.training_start),
                end=_date(cohort.training_end),
                badge=badge(card.mentoring),
                attendance=f"{int(rate)}%" if rate is not None else "No register yet",
                portfolio=escape(progress.portfolio_state_label)
                if progress and progress.portfolio_state_label
                else "No draft yet",
                last=_date(card.last_contact_on, "None yet"),
                next=_date(card.next_meeting_on, "Not planned"),
                log=log,
            )
        )
    # Every part of each card is escaped above or is our own markup.
    return mark_safe("".join(items))  # noqa: S308
