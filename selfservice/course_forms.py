"""The trainee's forms on their course pages."""

from __future__ import annotations

from django import forms

from peerprog.core.forms import CrispyForm
from supervision.models.mentoring import TRAINEE_NOTE_MAX


class MeetingNoteForm(CrispyForm):
    submit_label = "Save my note"

    note = forms.CharField(
        label="Your note",
        required=False,
        max_length=TRAINEE_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=f"Up to {TRAINEE_NOTE_MAX} characters. Your mentor and the programme's "
        "leads can read it. Leave it empty to remove your note.",
    )
