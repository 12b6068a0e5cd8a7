"""The trainee's meetings on their mentoring page, each drawn from one
pattern in Python rather than a template loop with a form rendered per
meeting: the HTML is what the templates drew, every value from outside
escaped once here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.pages import address_pattern
from selfservice.course_forms import MeetingNoteForm
from supervision.models import MentorMeeting
from supervision.models.mentoring import TRAINEE_NOTE_MAX
from supervision.tables import MONTHS

_ITEM = (
    '<li class="list-group-item" id="meeting-{pk}">\n'
    '      <h3 class="h6 mb-1">{kind} on {held}</h3>\n'
    '      <p class="small mb-2">{minutes} minutes, {mode}. {confirmed}</p>\n'
    "      {forms}\n    </li>\n    "
)
_NOTE_FORM = (
    '<form action="{note_url}" method="post">\n'
    '  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '  <div class="mb-3">\n'
    '    <label for="id_meeting-{pk}-note" class="form-label">{label}</label>\n'
    '    <textarea name="meeting-{pk}-note" cols="40" rows="2" class="form-control" '
    'maxlength="{max}" aria-describedby="id_meeting-{pk}-note_helptext" '
    'id="id_meeting-{pk}-note">\n{note}</textarea>\n'
    '    <div id="id_meeting-{pk}-note_helptext" class="form-text">{help}</div>\n'
    "  </div>\n"
    '  <button type="submit" class="btn btn-primary">{submit}</button>\n'
    "</form>\n"
)
_CONFIRM_FORM = (
    '<form method="post" action="{confirm_url}" class="mt-2">\n'
    '          <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '          <button type="submit" class="btn btn-outline-primary btn-sm">'
    'Yes, this meeting took place<span class="visually-hidden"> ({held})</span></button>\n'
    "        </form>\n"
)


def _day(value: date | datetime) -> str:
    """As the ``date`` filter writes it (3 March 2026); a moment on the
    local day it fell on."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def meeting_items(
    meetings: Iterable[MentorMeeting], *, csrf_token: str, can_change: bool
) -> SafeString:
    """Each meeting's item: kind, day, length and whether the trainee
    confirmed it; while the course is open, the forms for the trainee's
    note and their confirmation, otherwise their note as written."""
    field = MeetingNoteForm.base_fields["note"]
    label = escape(str(field.label))
    help_text = escape(str(field.help_text))
    submit = escape(MeetingNoteForm.submit_label)
    note_url = address_pattern("selfservice:meeting-note")
    confirm_url = address_pattern("selfservice:meeting-confirm")
    token = escape(csrf_token)
    items = []
    for meeting in meetings:
        pk = int(meeting.pk)
        held = _day(meeting.held_on)
        confirmed_at = meeting.trainee_confirmed_at
        confirmed = (
            f"You confirmed it took place on {_day(confirmed_at)}."
            if confirmed_at
            else "Not confirmed by you yet."
        )
        if can_change:
            forms = _NOTE_FORM.format(
                note_url=note_url.format(pk),
                token=token,
                pk=pk,
                label=label,
                max=TRAINEE_NOTE_MAX,
                note=escape(meeting.trainee_note),
                help=help_text,
                submit=submit,
            )
            if not confirmed_at:
                forms += _CONFIRM_FORM.format(
                    confirm_url=confirm_url.format(pk), token=token, held=held
                )
        elif meeting.trainee_note:
            forms = (
                '<p class="mb-0"><span class="fw-semibold">Your note:</span> '
                f"{escape(meeting.trainee_note)}</p>"
            )
        else:
            forms = ""
        items.append(
            _ITEM.format(
                pk=pk,
                kind=escape(meeting.get_kind_display()),
                held=held,
                minutes=int(meeting.minutes),
                mode=escape(meeting.get_mode_display().lower()),
                confirmed=confirmed,
                forms=forms,
            )
        )
    # Every part of each item is escaped above or is our own markup.
    return mark_safe("".join(items))  # noqa: S308
