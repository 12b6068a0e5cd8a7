"""The form of each user's reminder e-mail settings."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprog.core.forms import CrispyForm
from peerprog.core.reminders.registry import ReminderKind


class ReminderEmailForm(CrispyForm):
    submit_label = "Save e-mail settings"

    emailed = forms.MultipleChoiceField(
        label="Send me an e-mail for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every reminder stays in your notification list, whatever you choose here.",
    )

    def __init__(self, *args: Any, kinds: list[ReminderKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["emailed"].choices = [(k.key, k.label) for k in kinds]
