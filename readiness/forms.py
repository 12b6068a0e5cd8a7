"""Forms of the team-readiness pages: preparation workshops, the survey's
instrument and rounds. The respondent's own form is built by hand in its
template (one fieldset per question, fit for a phone) and read by
``read_answers``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from peerprog.core.forms import CrispyMixin, DateInput
from peerprog.core.models import Service, User
from readiness.models import PreparationWorkshop, RoundQuestion, WorkshopAttendance
from readiness.services.survey import MAX_LINKS_AT_ONCE, AboutYou


class WorkshopForm(CrispyMixin, forms.ModelForm):
    submit_label = "Save the workshop"

    class Meta:
        model = PreparationWorkshop
        fields = [
            "held_on",
            "delivered_by",
            "co_delivered_by_peer",
            "topic_role",
            "topic_lived_experience",
            "topic_boundaries",
            "topic_referrals_notes",
            "topic_supervision",
            "other_topics",
            "staff_names",
        ]
        widgets = {"held_on": DateInput(), "staff_names": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "topic_role": "Topic: what the peer role is and is not",
            "topic_lived_experience": "Topic: sharing lived experience",
            "topic_boundaries": "Topic: boundaries",
            "topic_referrals_notes": "Topic: how referrals and note-keeping will work",
            "topic_supervision": "Topic: supervision and line management",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counts = (
            {row.role: row.count for row in self.instance.attendance.all()}
            if self.instance.pk
            else {}
        )
        for role, label in WorkshopAttendance.StaffRole.choices:
            self.fields[f"attended_{role}"] = forms.IntegerField(
                label=f"{label} who attended",
                min_value=0,
                max_value=500,
                required=False,
                initial=counts.get(role),
            )

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError("Give a date within the next year.")
        return held_on

    def attendance(self) -> dict[str, int]:
        return {
            role: self.cleaned_data.get(f"attended_{role}") or 0
            for role in WorkshopAttendance.StaffRole.values
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InstrumentForm(CrispyMixin, forms.Form):
    submit_label = "Add the instrument"
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DomainForm(CrispyMixin, forms.Form):
    submit_label = "Add the domain"
    title = forms.CharField(label="Domain title", max_length=200)


class ItemForm(CrispyMixin, forms.Form):
    submit_label = "Save the item"
    wording = forms.CharField(
        label="Wording",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='A statement a respondent can answer "is this happening here?" about. '
        "Changing the wording makes a new version; rounds already run keep the wording they "
        "asked.",
    )
    is_active = forms.BooleanField(
        label="Ask this item in new rounds", required=False, initial=True
    )


class RoundForm(CrispyMixin, forms.Form):
    submit_label = "Start the round"
    title = forms.CharField(max_length=200, help_text="For example: Spring 2026 baseline.")
    opens_on = forms.DateField(label="Opens on", widget=DateInput())
    closes_on = forms.DateField(
        label="Closes on", widget=DateInput(), help_text="Links stop working after this day."
    )
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to survey the whole programme.",
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "The closing date cannot be before the opening date.")
        return data


class LinksForm(CrispyMixin, forms.Form):
    submit_label = "Make the links"
    count = forms.IntegerField(
        label="How many links",
        min_value=1,
        max_value=MAX_LINKS_AT_ONCE,
        help_text="One link for each person you will ask. The links are shown once only.",
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return f"{obj.full_name} ({obj.job_title or obj.email})"


class InviteStaffForm(CrispyMixin, forms.Form):
    submit_label = "Send the invitations"
    users = StaffChoiceField(
        label="Staff to invite",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each gets their own link by e-mail. Nobody else sees it.",
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = users


def read_answers(
    data: QueryDict, questions: list[RoundQuestion]
) -> tuple[AboutYou, dict[int, tuple[str, int | None]], dict[str, str]]:
    """The respondent's form as domain values.

    Every field named like a question (``q<id>_happening``) is read, also
    ones that are not this round's, so the service can refuse a tampered
    form whole. Returns the about-you part, the answers and any field that
    could not be read at all.
    """
    errors: dict[str, str] = {}
    answers: dict[int, tuple[str, int | None]] = {}
    ids: set[int] = {question.pk for question in questions}
    for name in data:
        if name.startswith("q") and name.endswith(("_happening", "_importance")):
            raw = name[1:].split("_", 1)[0]
            if not raw.isdigit():
                errors["form"] = "The form did not match this survey."
                continue
            ids.add(int(raw))
    for question_id in ids:
        happening = data.get(f"q{question_id}_happening", "").strip()
        raw_importance = data.get(f"q{question_id}_importance", "").strip()
        importance: int | None = None
        if raw_importance:
            try:
                importance = int(raw_importance)
            except ValueError:
                errors[f"q{question_id}_importance"] = "Choose an importance from 1 to 4."
                importance = -1
        if question_id in {question.pk for question in questions} or happening or raw_importance:
            answers[question_id] = (happening, importance)
    organisation = data.get("organisation", "").strip()
    organisation_id: int | None = None
    if organisation:
        if organisation.isdigit():
            organisation_id = int(organisation)
        else:
            errors["organisation"] = "Choose one of the organisations listed."
    about = AboutYou(
        stakeholder_group=data.get("stakeholder_group", "").strip(),
        setting=data.get("setting", "").strip(),
        organisation_id=organisation_id,
    )
    return about, answers, errors
