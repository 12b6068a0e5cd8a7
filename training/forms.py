"""Training's forms. They validate and clean into domain values; services save."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.forms import CrispyMixin, DateInput
from recruitment.models import Cohort
from training.models import (
    Attendance,
    CoFacilitator,
    CohortTraining,
    CourseSession,
    CourseTemplate,
    CourseTopic,
    CriterionMark,
    Decision,
    NonCompletionReason,
    Rubric,
    RubricCriterion,
)
from training.selectors import assessors_in_programme, staff_in_programme
from training.uploads import ACCEPTED, UploadRefused, check_portfolio_file, max_upload_size


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class PortfolioFileField(forms.FileField):
    """A file checked by content (PDF, DOCX or ODT) and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"{ACCEPTED} Up to {max_upload_size() // (1024 * 1024)} MB. "
            "The file is kept privately and never has a public address.",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.docx,.odt"

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        try:
            check_portfolio_file(upload)
        except UploadRefused as refused:
            raise ValidationError(refused.message) from refused
        return upload


def _not_in_future(value: Any, what: str) -> Any:
    if value and value > timezone.localdate():
        raise ValidationError(f"The {what} cannot be in the future.")
    return value


class CohortTrainingForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CohortTraining
        fields = [
            "facilitator",
            "second_assessor",
            "rubric",
            "draft_due",
            "final_due",
            "resubmission_days",
            "attendance_threshold",
        ]
        widgets = {"draft_due": DateInput(), "final_due": DateInput()}
        labels = {"facilitator": "Course facilitator (first assessor)"}

    def __init__(self, *args: Any, programme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessors = assessors_in_programme(programme_id=programme_id)
        self.fields["facilitator"].queryset = assessors
        self.fields["second_assessor"].queryset = assessors
        self.fields["rubric"].queryset = Rubric.objects.filter(
            programme_id=programme_id, is_archived=False
        )


class TimetableForm(CrispyMixin, forms.Form):
    submit_label = "Create the timetable"
    template = forms.ModelChoiceField(queryset=CourseTemplate.objects.none(), label="Course")
    starts_at = forms.TimeField(label="Sessions start at", widget=TimeInput(), initial="10:00")
    place = forms.CharField(max_length=200, required=False, help_text="Room and building.")
    is_online = forms.BooleanField(label="The sessions are online", required=False)

    def __init__(self, *args: Any, programme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CourseTemplate.objects.filter(
            programme_id=programme_id, is_archived=False
        )


class SessionForm(CrispyMixin, forms.ModelForm):
    CO_FACILITATORS = 3

    class Meta:
        model = CourseSession
        fields = [
            "title",
            "topic",
            "date",
            "starts_at",
            "minutes",
            "place",
            "is_online",
            "facilitator",
            "status",
        ]
        widgets = {"date": DateInput(), "starts_at": TimeInput()}

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        self.fields["topic"].queryset = CourseTopic.objects.filter(
            template__programme_id=cohort.programme_id, is_archived=False
        ).select_related("template")
        self.fields["topic"].required = False
        self.fields["facilitator"].queryset = staff_in_programme(programme_id=cohort.programme_id)
        if not self.instance.pk:
            del self.fields["status"]
        existing = list(self.instance.co_facilitators.all()) if self.instance.pk else []
        for number in range(1, self.CO_FACILITATORS + 1):
            person = existing[number - 1] if len(existing) >= number else None
            self.fields[f"co_name_{number}"] = forms.CharField(
                label=f"Co-facilitator {number}: name",
                max_length=200,
                required=False,
                initial=person.name if person else "",
            )
            self.fields[f"co_kind_{number}"] = forms.ChoiceField(
                label=f"Co-facilitator {number}: who they are",
                choices=[("", "---------"), *CoFacilitator.Kind.choices],
                required=False,
                initial=person.kind if person else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for number in range(1, self.CO_FACILITATORS + 1):
            name, kind = data.get(f"co_name_{number}"), data.get(f"co_kind_{number}")
            if name and not kind:
                self.add_error(
                    f"co_kind_{number}",
                    "Say whether they are a service user, "
                    "a professional or an experienced peer worker.",
                )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name in self.fields}

    def co_facilitators(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"co_name_{n}"], data[f"co_kind_{n}"])
            for n in range(1, self.CO_FACILITATORS + 1)
            if data.get(f"co_name_{n}")
        ]


class CancelSessionForm(CrispyMixin, forms.Form):
    submit_label = "Cancel the session"
    reason = forms.CharField(label="Why is it cancelled?", max_length=200)


def _register_row_pattern() -> str:
    """The pattern of one trainee's row on the register: their name heads
    the row and labels a fieldset of four labelled radios; ``checked0`` to
    ``checked3`` check one. The choices' values and labels are escaped
    here, once for the whole register."""

    def literal(text: str) -> str:
        return escape(text).replace("{", "{{").replace("}", "}}")

    radio = (
        '<div class="form-check form-check-inline">'
        '<input class="form-check-input" type="radio" name="{{name}}" id="id_{{name}}_{i}"'
        ' value="{value}"{{checked{i}}}>'
        '<label class="form-check-label" for="id_{{name}}_{i}">{label}</label></div>'
    )
    radios = "".join(
        radio.format(i=i, value=literal(value), label=literal(label))
        for i, (value, label) in enumerate(Attendance.Status.choices)
    )
    return (
        '<tr><th scope="row" id="trainee-{pk}">{trainee}</th>'
        '<td><fieldset aria-labelledby="trainee-{pk}">'
        '<legend class="visually-hidden">Attendance of {trainee}</legend>'
        f"{radios}</fieldset></td></tr>\n"
    )


_REGISTER_ROW = _register_row_pattern()


class RegisterForm(forms.Form):
    """One row per trainee: present, late, authorised absence or absent.

    The register shows the whole cohort, so ``table`` writes each trainee's
    row from one pattern rather than their radios through a widget each
    (which made a register of hundreds slow to open), and the fields that
    check a posted register are only made when one is posted."""

    def __init__(self, *args: Any, rows: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        if self.is_bound:
            for trainee, _ in rows:
                self.fields[f"e{trainee.pk}"] = forms.ChoiceField(
                    label=trainee.name,
                    choices=Attendance.Status.choices,
                    required=False,
                    widget=forms.RadioSelect,
                )

    def marks(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value}

    def table(self) -> SafeString:
        """Every trainee's row, the current mark (or the one just posted)
        checked: written from one pattern, as the whole cohort is shown.
        The only text from outside, the trainee's name, is escaped here."""
        values = Attendance.Status.values
        unchecked = {f"checked{i}": "" for i in range(len(values))}
        checks = {value: unchecked | {f"checked{i}": " checked"} for i, value in enumerate(values)}
        rows = []
        for trainee, current in self.rows:
            name = f"e{int(trainee.pk)}"
            chosen = self.data.get(name, "") if self.is_bound else current
            rows.append(
                _REGISTER_ROW.format(
                    pk=int(trainee.pk),
                    name=name,
                    trainee=html.escape(trainee.name),
                    **checks.get(chosen, unchecked),
                )
            )
        # Every part of each row is escaped above or is our own markup.
        return mark_safe("".join(rows))  # noqa: S308


class DraftForm(CrispyMixin, forms.Form):
    submit_label = "Record the draft"
    file = PortfolioFileField(label="Draft")
    received_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)

    def clean_received_on(self) -> Any:
        return _not_in_future(self.cleaned_data["received_on"], "date received")


class TraineeDraftForm(CrispyMixin, forms.Form):
    """A trainee handing in a draft themselves: the day is today."""

    submit_label = "Hand in the draft"
    file = PortfolioFileField(label="Your draft")


class TraineeHandInForm(CrispyMixin, forms.Form):
    """A trainee handing in their final (or resubmitted) portfolio."""

    submit_label = "Hand in my portfolio"
    file = PortfolioFileField(label="Your portfolio")
    confirm = forms.BooleanField(
        label="This is the version I want to be assessed. I understand it cannot be replaced.",
        error_messages={"required": "Tick the box to confirm this is the version to assess."},
    )


class FeedbackForm(CrispyMixin, forms.Form):
    submit_label = "Save the feedback"
    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class TutorialForm(CrispyMixin, forms.Form):
    submit_label = "Log the tutorial"
    held_on = forms.DateField(label="Date", widget=DateInput(), initial=timezone.localdate)
    minutes = forms.IntegerField(label="Length in minutes", min_value=5, max_value=480, initial=45)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_held_on(self) -> Any:
        return _not_in_future(self.cleaned_data["held_on"], "tutorial date")


class AssessorsForm(CrispyMixin, forms.Form):
    first = forms.ModelChoiceField(queryset=None, label="First assessor")
    second = forms.ModelChoiceField(queryset=None, label="Second assessor")

    def __init__(self, *args: Any, programme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = assessors_in_programme(programme_id=programme_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            raise ValidationError("The two assessors must be different people.")
        return data


class SubmissionForm(AssessorsForm):
    submit_label = "Record the portfolio"
    file = PortfolioFileField(label="Portfolio")
    submitted_on = forms.DateField(
        label="Received on", widget=DateInput(), initial=timezone.localdate
    )

    field_order = ["file", "submitted_on", "first", "second"]

    def clean_submitted_on(self) -> Any:
        return _not_in_future(self.cleaned_data["submitted_on"], "date received")


class MarkForm(forms.Form):
    """A level and a comment per criterion, then pass or referral."""

    decision = forms.ChoiceField(
        label="Your decision", choices=Decision.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label="Comments for the record",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    on = forms.DateField(
        label="Date of your decision",
        widget=DateInput(),
        initial=timezone.localdate,
        required=False,
        help_text="Today unless you decided earlier. Not before the portfolio was received.",
    )

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"level_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.title,
                choices=CriterionMark.Level.choices,
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on: {criterion.title}",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"level_{c.pk}", ""), data.get(f"comment_{c.pk}", ""))
            for c in self.criteria
        }

    def rows(self) -> list[tuple[RubricCriterion, Any, Any]]:
        return [(c, self[f"level_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ModerationForm(CrispyMixin, forms.Form):
    submit_label = "Record the moderated outcome"
    outcome = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason for the outcome",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
    )
    on = forms.DateField(
        label="Date of the moderated outcome",
        widget=DateInput(),
        initial=timezone.localdate,
        required=False,
        help_text="Today unless it was decided earlier. A pass makes the trainee eligible "
        "for posts from this day.",
    )


class CloseEnrolmentForm(CrispyMixin, forms.Form):
    submit_label = "Record that the course ended"
    reason = forms.ModelChoiceField(queryset=NonCompletionReason.objects.none())
    ended_on = forms.DateField(label="Ended on", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, programme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = NonCompletionReason.objects.filter(
            programme_id=programme_id, is_archived=False
        )


class CourseTemplateForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CourseTemplate
        fields = ["name", "description", "is_archived"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CourseTopicForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CourseTopic
        fields = ["title", "order", "default_minutes", "is_archived"]


class RubricForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["name", "is_archived"]


class CriterionForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = RubricCriterion
        fields = ["title", "guidance", "order", "is_archived"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}


class ReasonForm(CrispyMixin, forms.ModelForm):
    category = forms.ChoiceField(
        label="Reporting category",
        choices=NonCompletionReason.Category.choices,
        help_text="Fixed categories keep reports comparable across programmes and years.",
    )

    class Meta:
        model = NonCompletionReason
        fields = ["label", "category", "reveals_health", "order", "is_archived"]
        labels = {
            "label": "Reason, in your words",
            "reveals_health": "Reveals something about the person's health",
        }
