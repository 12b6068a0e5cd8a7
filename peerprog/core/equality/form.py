"""The equality-monitoring form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from peerprog.core.equality.codes import (
    CODES,
    EQUALITY_FIELDS,
    PREFER_NOT_TO_SAY_LABEL,
    QUESTIONS,
)


def _asked_choices(codes: type[models.TextChoices]) -> list[tuple[str, str]]:
    """What a person may answer: every code but "Not known", which is ours
    for questions not answered."""
    return [(v, str(label)) for v, label in codes.choices if v != codes.NOT_KNOWN]  # type: ignore[attr-defined]


class EqualityMonitoringForm(forms.Form):
    """The optional equality-monitoring questions, for the person to answer
    (the public application's equality step) or for staff to key in from a
    paper form. Every question is optional and has "Prefer not to say"; a
    question left unanswered is stored as "Not known".

    Radio buttons, so it works on a phone without JavaScript. ``cleaned_data``
    holds codes ready for ``equality_record`` (every question; ``answered``
    holds only those answered). Pass ``initial`` from
    ``initial_from(facts)`` to show a person's answers.

    Rendered with crispy-forms or ``{{ form }}``; it has no submit button of
    its own, so a page can put it in a larger form or add its own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from peerprog.core.models import SensitiveFacts

        for name in EQUALITY_FIELDS:
            label, help_text = QUESTIONS[name]
            if name == "disability":
                choices = [
                    (SensitiveFacts.Disclosure.YES.value, "Yes"),
                    (SensitiveFacts.Disclosure.NO.value, "No"),
                    (SensitiveFacts.Disclosure.PREFER_NOT.value, PREFER_NOT_TO_SAY_LABEL),
                ]
            else:
                choices = _asked_choices(CODES[name])
            self.fields[name] = forms.ChoiceField(
                label=label,
                help_text=help_text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        from peerprog.core.models import SensitiveFacts

        cleaned = super().clean() or {}
        for name in EQUALITY_FIELDS:
            if not cleaned.get(name):
                cleaned[name] = (
                    SensitiveFacts.Disclosure.NOT_ASKED.value
                    if name == "disability"
                    else str(CODES[name].NOT_KNOWN)  # type: ignore[attr-defined]
                )
        return cleaned

    @property
    def answered(self) -> dict[str, str]:
        """Only the questions the person answered (call after ``is_valid``):
        for recording over earlier answers without wiping those left blank
        this time."""
        return {
            name: self.cleaned_data[name]
            for name in EQUALITY_FIELDS
            if self.data.get(self.add_prefix(name))
        }

    @staticmethod
    def initial_from(facts: Any) -> dict[str, str]:
        """Initial values from a person's SensitiveFacts (or None): what they
        answered, leaving "Not known" and "Not asked" unticked."""
        if facts is None:
            return {}
        unanswered = {name: codes.NOT_KNOWN for name, codes in CODES.items()}  # type: ignore[attr-defined]
        unanswered["disability"] = facts.Disclosure.NOT_ASKED
        return {
            name: getattr(facts, name)
            for name in EQUALITY_FIELDS
            if getattr(facts, name) != unanswered[name]
        }
