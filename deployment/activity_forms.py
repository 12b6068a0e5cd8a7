"""Forms of the activity pages: a week's lines (contacts by kind and
setting, with minutes), its topics and short note, and the programme's
topic list. They clean into domain values; ``deployment.services.activity``
saves."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet

from deployment.activity_text import check_note, date_question
from deployment.models import ActivityKind, ActivitySetting, ActivityTopic
from deployment.models.activity import MAX_MINUTES, NOTE_MAX_LENGTH
from deployment.services.activity import LineValues
from peerprog.core.forms import CrispyForm

NOTE_WARNING = (
    "Never name or describe a patient here, and never give their NHS number, address, "
    "postcode or date of birth. Write about your work, not about the people you support."
)
EXTRA_LINES = 2


class ActivityLineForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of contact", choices=[("", "Choose…"), *ActivityKind.choices], required=False
    )
    setting = forms.ChoiceField(
        label="Setting", choices=[("", "Choose…"), *ActivitySetting.choices], required=False
    )
    contacts = forms.IntegerField(
        label="Contacts",
        min_value=0,
        max_value=500,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=0,
        max_value=MAX_MINUTES,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = data.get("contacts") or data.get("minutes")
        if filled and not (data.get("kind") and data.get("setting")):
            raise forms.ValidationError("Choose the kind of contact and the setting.")
        return data

    def line(self) -> LineValues | None:
        data = self.cleaned_data
        if not (data.get("kind") and data.get("setting")):
            return None
        return LineValues(
            kind=data["kind"],
            setting=data["setting"],
            contacts=data.get("contacts") or 0,
            minutes=data.get("minutes") or 0,
        )


ActivityLineFormSet = forms.formset_factory(ActivityLineForm, extra=0, max_num=24, absolute_max=24)


def line_formset(*, data: Any = None, initial: list[dict[str, Any]]) -> Any:
    """The week's lines, with room for a couple more."""
    rows = list(initial) + [{} for _ in range(EXTRA_LINES)]
    return ActivityLineFormSet(data=data, initial=rows, prefix="lines")


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ActivityTopic) -> str:  # type: ignore[override]
        return obj.name


class ActivityWeekForm(forms.Form):
    """The week's topics and note. A note with a full date asks for the
    tick that says it is not about a patient; the box appears only then."""

    topics = TopicChoiceField(
        label="Topics you worked on",
        queryset=ActivityTopic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Anything else about the week (optional)",
        help_text=f"At most {NOTE_MAX_LENGTH} characters. {NOTE_WARNING}",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
    )
    date_confirmed = forms.BooleanField(
        label="The date in the note is not about a patient", required=False
    )

    def __init__(self, *args: Any, topics: QuerySet[ActivityTopic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.asks_date = bool(self.is_bound and check_note(self.data.get("note", "")).dates)
        if not self.asks_date:
            del self.fields["date_confirmed"]

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        checked = check_note(note)
        if checked.refusal:
            raise forms.ValidationError(checked.refusal)
        return note

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        dates = check_note(data.get("note") or "").dates
        if dates and not data.get("date_confirmed"):
            self.add_error("date_confirmed", date_question(dates))
        return data


class ActivityTopicForm(CrispyForm):
    submit_label = "Add topic"

    name = forms.CharField(label="Topic", max_length=80)


class ActivityTopicEditForm(CrispyForm):
    name = forms.CharField(label="Topic", max_length=80)
    position = forms.IntegerField(
        label="Place in the list",
        min_value=0,
        max_value=999,
        help_text="Topics are listed from the lowest number.",
    )
    archived = forms.BooleanField(
        label="Archived (no longer offered; weeks that used it keep it)", required=False
    )
