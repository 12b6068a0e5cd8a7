"""Supervision's forms. They validate and clean into domain values; services
save."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from peerprog.core.forms import CrispyMixin, DateInput, day_it_happened, not_in_future
from peerprog.core.models import Person, Service, User
from supervision.models import (
    CohortMentoring,
    DevelopmentSession,
    Frequency,
    MentorMeeting,
    MentorProfile,
    SupervisionSession,
    WellbeingPlan,
)


class MentorProfileForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = MentorProfile
        fields = [
            "background",
            "service",
            "preparatory_training_on",
            "support_meeting_on",
            "capacity",
            "is_active",
        ]
        widgets = {
            "preparatory_training_on": DateInput(),
            "support_meeting_on": DateInput(),
            "background": forms.RadioSelect(),
        }

    def __init__(self, *args: Any, programme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            programme_id=programme_id, is_active=True
        )
        self.fields["background"].label = "Background"
        for name in ("preparatory_training_on", "support_meeting_on"):
            self.fields[name].help_text = "Leave empty if they have not attended yet."


class CohortMentoringForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CohortMentoring
        fields = ["minimum_meetings"]


class MentorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "mentor_profile", None)
        background = profile.get_background_display() if profile else "No profile yet"
        capacity = profile.capacity if profile else 1
        trained = "" if profile and profile.preparatory_training_on else ", no preparatory training"
        return (
            f"{obj.full_name} ({background}; mentors {obj.load} of {capacity}{trained})"
            if hasattr(obj, "load")
            else obj.full_name
        )


class AssignMentorForm(CrispyMixin, forms.Form):
    submit_label = "Assign this mentor"

    mentor = MentorChoice(
        queryset=User.objects.none(), widget=forms.RadioSelect, label="Mentor", empty_label=None
    )
    started_on = day_it_happened(
        "Date the mentoring started",
        help_text="Today unless the mentor started earlier. A mentor they have now stops "
        "the same day. Not in the future.",
    )
    reason = forms.CharField(
        label="Why the mentor is changing",
        max_length=200,
        required=False,
        help_text="Only when the trainee already has a mentor. Keep health details out.",
    )
    accept_warnings = forms.BooleanField(
        label="I have read the warnings and want to assign this mentor anyway",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self, *args: Any, mentors: list[User], warnings: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        field.queryset = User.objects.filter(pk__in=[m.pk for m in mentors])
        # Keep the annotated users (load, profile) for the labels.
        field.choices = [(m.pk, field.label_from_instance(m)) for m in mentors]
        if warnings:
            self.fields["accept_warnings"].widget = forms.CheckboxInput()


class EndAssignmentForm(CrispyMixin, forms.Form):
    submit_label = "End the mentoring"
    ended_on = day_it_happened("Date the mentoring ended")
    reason = forms.CharField(
        label="Why the mentoring is ending",
        max_length=200,
        help_text="For example: left the course. Keep health details out.",
    )


# A meeting logged more than this long after the course ended is probably a
# slip of the date: the mentor is asked to confirm it, not refused.
LATE_AFTER_COURSE = timedelta(weeks=4)
AFTER_COURSE_LABEL = "Yes, this meeting took place after the course"


class MeetingForm(CrispyMixin, forms.ModelForm):
    """Quick to fill on a phone: an hour and a meeting in person are already
    chosen, so the date is the one thing to give (it has no default, so a
    meeting is never logged on today's date by mistake); the form's token
    makes a double tap save it once. A date long after the course ended is
    asked about, with a box to tick, rather than refused."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = MentorMeeting
        fields = ["held_on", "minutes", "kind", "mode", "notes", "next_meeting_on"]
        widgets = {
            "held_on": DateInput(),
            "next_meeting_on": DateInput(),
            "kind": forms.RadioSelect(),
            "mode": forms.RadioSelect(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 5, "max": 480}),
        }
        labels = {"held_on": "Date of the meeting", "kind": "What it was", "mode": "How"}
        help_texts = {
            "held_on": "The day you met, for example 3 March 2026.",
            "next_meeting_on": "Optional: when you plan to meet next.",
        }
        error_messages = {
            "held_on": {"required": "Enter the date of the meeting."},
            "minutes": {
                "min_value": "The length must be at least 5 minutes.",
                "max_value": "The length can be at most 480 minutes (8 hours).",
            },
        }

    def __init__(
        self,
        *args: Any,
        course_start: date,
        course_end: date | None = None,
        submit_label: str = "Log the meeting",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_token", uuid.uuid4())
        if kwargs.get("instance") is None:
            kwargs["initial"].setdefault("minutes", 60)
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.course_start = course_start
        self.course_end = course_end
        if self.instance.pk:
            self.fields["form_token"].required = False
        if self.data.get("after_course"):
            self._ask_after_course()

    def _ask_after_course(self) -> None:
        """Show the box that confirms a meeting after the course."""
        if "after_course" not in self.fields:
            self.fields["after_course"] = forms.BooleanField(
                label=AFTER_COURSE_LABEL, required=False
            )

    def clean_held_on(self) -> date:
        held_on = not_in_future(self.cleaned_data["held_on"])
        assert held_on is not None
        if held_on < self.course_start:
            raise ValidationError(
                f"The course started on {self.course_start.day} {self.course_start:%B %Y}: "
                "a meeting cannot be before it."
            )
        end = self.course_end
        if end and held_on > end + LATE_AFTER_COURSE and not self.data.get("after_course"):
            # The box is added once every field is cleaned (``clean``).
            self.late_after_course = True
            raise ValidationError(
                f"The course ended on {end.day} {end:%B %Y}, more than four weeks before "
                f"this date. Check the date; if the meeting did take place after the "
                f"course, tick “{AFTER_COURSE_LABEL}” and save again.",
                code="after_course",
            )
        return held_on

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if getattr(self, "late_after_course", False):
            self._ask_after_course()
        held_on, next_on = data.get("held_on"), data.get("next_meeting_on")
        if held_on and next_on and next_on < held_on:
            self.add_error("next_meeting_on", "The next meeting cannot be before this one.")
        return data


# Supervision of employed peer workers


class SupervisionAssignForm(CrispyMixin, forms.Form):
    submit_label = "Save the supervision"

    supervisor = forms.ModelChoiceField(queryset=User.objects.none(), label="Supervisor")
    cover_supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Cover supervisor",
        required=False,
        help_text="Supervises when the supervisor is away.",
    )
    frequency_days = forms.TypedChoiceField(
        label="Agreed frequency",
        choices=Frequency.choices,
        coerce=int,
        initial=Frequency.FOUR_WEEKLY,
    )
    started_on = day_it_happened(
        "Date the supervision started",
        help_text="Today unless it started earlier. A supervision they have now ends the same "
        "day. Not in the future.",
    )
    reason = forms.CharField(
        label="Why the supervision is changing",
        max_length=200,
        required=False,
        help_text="Only when the peer worker already has a supervisor. Keep health details out.",
    )
    accept_warnings = forms.BooleanField(
        label="I have read the warning and want to go ahead",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self, *args: Any, supervisors: Any, warnings: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["cover_supervisor"].queryset = supervisors
        if warnings:
            self.fields["accept_warnings"].widget = forms.CheckboxInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("cover_supervisor") and data.get("cover_supervisor") == data.get("supervisor"):
            self.add_error("cover_supervisor", "The cover supervisor must be someone else.")
        return data


class EndSupervisionForm(CrispyMixin, forms.Form):
    submit_label = "End the supervision"
    ended_on = day_it_happened("Date the supervision ended")
    reason = forms.CharField(
        label="Why the supervision is ending",
        max_length=200,
        help_text="For example: left the programme. Keep health details out.",
    )


class SessionForm(CrispyMixin, forms.ModelForm):
    """One form for individual and group sessions; the token makes a double
    tap record it once."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who attended",
        help_text="One person for an individual session; two or more for a group.",
    )

    class Meta:
        model = SupervisionSession
        fields = [
            "kind",
            "held_on",
            "minutes",
            "keeping_well",
            "developing_role",
            "after_challenging_event",
            "notes",
            "shared_summary",
        ]
        widgets = {
            "kind": forms.RadioSelect(),
            "held_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "shared_summary": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 5, "max": 480}),
        }
        labels = {
            "kind": "Individual or group",
            "held_on": "Date of the session",
            "keeping_well": "Keeping well and in recovery",
            "developing_role": "Developing the role, including operational and employment matters",
            "after_challenging_event": "Extra support after a challenging event",
        }
        error_messages = {
            "minutes": {
                "min_value": "The length must be at least 5 minutes.",
                "max_value": "The length can be at most 480 minutes (8 hours).",
            }
        }

    def __init__(
        self, *args: Any, supervisees: Any, submit_label: str = "Record the session", **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})
        if kwargs.get("instance") is None:
            kwargs["initial"].setdefault("form_token", uuid.uuid4())
            kwargs["initial"].setdefault("held_on", timezone.localdate())
            kwargs["initial"].setdefault("minutes", 60)
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = supervisees
        if self.instance.pk:
            self.fields["attendees"].initial = list(self.instance.attendees.all())

    def clean_held_on(self) -> date:
        held_on = not_in_future(self.cleaned_data["held_on"])
        assert held_on is not None
        return held_on

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("keeping_well") or data.get("developing_role")):
            raise ValidationError("Say which area of supervision the session covered.")
        people = data.get("attendees")
        kind = data.get("kind")
        if people is not None and kind == SupervisionSession.Kind.INDIVIDUAL and len(people) != 1:
            self.add_error("attendees", "An individual session is with one peer worker.")
        if people is not None and kind == SupervisionSession.Kind.GROUP and len(people) < 2:
            self.add_error("attendees", "A group session is with two or more peer workers.")
        return data


class WellbeingPlanForm(CrispyMixin, forms.ModelForm):
    submit_label = "Save the plan"

    # The version the form was opened at: a save over a newer change (the
    # peer worker's own, say) is refused, not silently written over.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = WellbeingPlan
        fields = [
            "keeping_well",
            "early_signs",
            "what_helps",
            "contacts",
            "agreed_on",
            "review_due",
            "last_reviewed_on",
        ]
        widgets = {
            "keeping_well": forms.Textarea(attrs={"rows": 4}),
            "early_signs": forms.Textarea(attrs={"rows": 3}),
            "what_helps": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 2}),
            "agreed_on": DateInput(),
            "review_due": DateInput(),
            "last_reviewed_on": DateInput(),
        }
        help_texts = {
            "keeping_well": "In the peer worker's own words.",
            "review_due": "When you and the peer worker will look at the plan again.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_last_reviewed_on(self) -> date | None:
        return not_in_future(self.cleaned_data.get("last_reviewed_on"))


class OwnWellbeingPlanForm(CrispyMixin, forms.Form):
    """The peer worker's own words in the four sections of their plan. The
    version it was opened at travels with it, so a save over a newer change
    is refused and nothing is lost."""

    submit_label = "Save my plan"

    keeping_well = forms.CharField(
        label="What helps me keep well at work",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what helps you keep well at work."},
    )
    early_signs = forms.CharField(
        label="Signs that I may be becoming unwell",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    what_helps = forms.CharField(
        label="What I would like others to do then",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    contacts = forms.CharField(
        label="Who to contact",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DevelopmentSessionForm(CrispyMixin, forms.ModelForm):
    submit_label = "Save the session"
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who attended",
        required=False,
    )

    class Meta:
        model = DevelopmentSession
        fields = ["held_on", "topic", "minutes", "led_by"]
        widgets = {"held_on": DateInput()}
        labels = {"held_on": "Date", "led_by": "Led by (Lead LXP)"}

    def __init__(self, *args: Any, leads: Any, employed: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["led_by"].queryset = leads
        self.fields["attendees"].queryset = employed
        if self.instance.pk:
            self.fields["attendees"].initial = list(self.instance.attendees.all())

    def clean_held_on(self) -> date:
        held_on = not_in_future(self.cleaned_data["held_on"])
        assert held_on is not None
        return held_on
