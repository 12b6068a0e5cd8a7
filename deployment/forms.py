"""Forms of deployment's pages. They validate and clean into domain values;
the services save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from deployment.models import (
    Absence,
    AbsenceHealth,
    Appointment,
    Interview,
    LeavingReason,
    Panel,
    Post,
    PreEmploymentCheck,
    ReserveEntry,
)
from deployment.models.posts import Band, PostRole
from peerprog.core.forms import (
    CrispyForm,
    CrispyModelForm,
    DateInput,
    day_it_happened,
    not_in_future,
)
from peerprog.core.models import Person, Programme, Service, User


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _post_label(post: Post) -> str:
    return f"{post.position_number} {post.job_title}, {post.service.name} (band {post.band})"


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:  # type: ignore[override]
        return _post_label(obj)


class PostForm(CrispyModelForm):
    class Meta:
        model = Post
        fields = ["service", "position_number", "job_title", "role", "band", "wte"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["service"].queryset = Service.objects.filter(programme=programme)


PEER_ROLE_CHOICES = [(PostRole.LXP.value, PostRole.LXP.label), (PostRole.LEAD_LXP, "Lead LXP")]


class ConversionForm(CrispyForm):
    """Target role, band and hours for one or more conversions."""

    submit_label = "Convert"

    to_role = forms.ChoiceField(label="Convert into", choices=PEER_ROLE_CHOICES)
    to_band = forms.ChoiceField(
        label="Agenda for Change band",
        choices=Band.choices,
        initial=Band.BAND_3,
        help_text="Band 3 is typical for a peer worker; a Lead LXP is graded like a newly "
        "qualified nurse (band 5).",
    )
    to_wte = forms.DecimalField(
        label="Hours (WTE)",
        min_value=Decimal("0.01"),
        max_value=Decimal("1.00"),
        decimal_places=2,
        required=False,
        help_text="Leave empty to keep each post's current hours.",
    )
    to_job_title = forms.CharField(
        label="Job title",
        max_length=200,
        required=False,
        help_text="Leave empty for “Lived Experience Practitioner” or “Lead Lived Experience "
        "Practitioner”.",
    )
    reason = forms.CharField(
        label="Reason for the conversion", widget=forms.Textarea(attrs={"rows": 3})
    )
    on = day_it_happened("Date of the conversion")


class BulkConversionForm(ConversionForm):
    submit_label = "Convert all of these posts"

    posts = forms.ModelMultipleChoiceField(
        queryset=Post.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = Post.objects.filter(programme=programme)


class UndoConversionForm(CrispyForm):
    submit_label = "Undo the conversion"
    reason = forms.CharField(label="Why undo it?", widget=forms.Textarea(attrs={"rows": 3}))
    on = day_it_happened("Date it was undone")


class VacancyForm(CrispyForm):
    submit_label = "Advertise"
    advert_reference = forms.CharField(
        label="Advert reference", max_length=100, help_text="The reference on the job site."
    )
    opened_on = day_it_happened(
        "Date the advert opened",
        help_text="Today unless it opened earlier on the job site. Not in the future.",
    )
    closing_date = forms.DateField(label="Closing date", widget=DateInput())


class CandidateForm(CrispyForm):
    submit_label = "Add as a candidate"
    person = forms.TypedChoiceField(label="Person", coerce=int)

    def __init__(
        self,
        *args: Any,
        eligible: QuerySet[Person] | list[Person],
        others: QuerySet[Person] | list[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", "Choose a person")]
        eligible_choices = [(p.pk, p.display_name) for p in eligible]
        other_choices = [(p.pk, p.display_name) for p in others]
        if eligible_choices:
            choices.append(("Passed the training course", eligible_choices))
        if other_choices:
            choices.append(("Others in the programme", other_choices))
        self.fields["person"].choices = choices


class CandidateStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            ("shortlisted", "Shortlisted"),
            ("not_shortlisted", "Not shortlisted"),
            ("withdrawn", "Withdrawn"),
        ]
    )


class RecruitmentDayForm(CrispyForm):
    submit_label = "Plan the day"
    date = forms.DateField(widget=DateInput())
    venue = forms.CharField(max_length=200)
    arrangements = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Practical arrangements for organisers (rooms, refreshments).",
    )


class PanelForm(CrispyForm):
    submit_label = "Add the panel"
    name = forms.CharField(max_length=100, help_text="For example “Panel A”.")
    room = forms.CharField(max_length=100, required=False)


class PanelMemberForm(CrispyForm):
    submit_label = "Add to the panel"
    name = forms.CharField(max_length=200)
    job_title = forms.CharField(max_length=200, required=False)
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        empty_label="The programme team",
        help_text="The recruiting service they represent.",
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(programme=programme)


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:  # type: ignore[override]
        post = obj.vacancy.post
        return f"{obj.person.display_name} for {post.job_title} ({post.position_number})"


class InterviewForm(CrispyForm):
    submit_label = "Give the slot"
    candidate = CandidateChoiceField(queryset=None)  # type: ignore[arg-type]
    starts_at = forms.TimeField(label="Starts at", widget=TimeInput())
    panel = forms.ModelChoiceField(queryset=Panel.objects.none(), required=False)

    def __init__(
        self, *args: Any, candidates: QuerySet[Any], panels: QuerySet[Panel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates
        self.fields["panel"].queryset = panels


class OutcomeForm(CrispyForm):
    submit_label = "Record the decision"
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[c for c in Interview.Outcome.choices if c[0] != Interview.Outcome.PENDING],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Panel's notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by HR and programme leads only.",
    )
    reserve_months = forms.IntegerField(
        label="A reserve-list place stands for (months)",
        min_value=1,
        max_value=36,
        initial=12,
        required=False,
    )
    on = day_it_happened(
        "Date of the decision",
        help_text="Today unless the panel decided earlier. Not before the recruitment day, "
        "not in the future.",
    )
    placed_on = forms.DateField(
        label="On the reserve list from",
        required=False,
        widget=DateInput(),
        validators=[not_in_future],
        help_text="For a reserve: the day the person was put on the list, which starts the "
        "period it stands for. Left empty, the recruitment day. Not in the future.",
    )


class ReserveAppointForm(CrispyForm):
    submit_label = "Offer the post"
    post = PostChoiceField(queryset=Post.objects.none(), label="Vacant peer worker post")

    def __init__(self, *args: Any, posts: QuerySet[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return f"{obj.full_name}, {obj.job_title}" if obj.job_title else obj.full_name


class AppointmentTermsForm(CrispyModelForm):
    line_manager = StaffChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Appointment
        fields = ["contract", "hours_per_week", "line_manager", "is_lead_lxp"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line_manager"].queryset = User.objects.filter(
            programme=programme, is_active=True, is_system=False
        ).order_by("full_name")


class CheckForm(CrispyModelForm):
    """Where a check has got to, with the days it was requested and
    completed: left empty, the day of the status chosen is today."""

    class Meta:
        model = PreEmploymentCheck
        fields = ["status", "requested_on", "completed_on"]
        widgets = {"requested_on": DateInput(), "completed_on": DateInput()}
        help_texts = {
            "requested_on": "Today if left empty when the check is requested. Not in the future.",
            "completed_on": "The day the result came back: today if left empty when the check "
            "is cleared or not cleared. Not in the future.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("requested_on", "completed_on"):
            self.fields[name].validators.append(not_in_future)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("status")
        today = timezone.localdate()
        if (
            status == PreEmploymentCheck.Status.REQUESTED
            and not data.get("requested_on")
            and "requested_on" not in self.errors
        ):
            data["requested_on"] = today
        done = (PreEmploymentCheck.Status.CLEARED, PreEmploymentCheck.Status.NOT_CLEARED)
        if status in done and not data.get("completed_on") and "completed_on" not in self.errors:
            data["completed_on"] = today
        return data


class ConfirmStartForm(CrispyForm):
    submit_label = "Confirm the start date"
    start_date = forms.DateField(label="First day in post", widget=DateInput())
    override_reason = forms.CharField(
        label="Reason to confirm with checks outstanding",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if a check is not cleared yet and the start must go ahead.",
    )


class PlannedStartForm(CrispyForm):
    submit_label = "Save the planned start date"
    start_date = forms.DateField(
        label="Planned first day in post",
        widget=DateInput(),
        help_text=(
            "The day agreed with the person. If pre-employment checks are still outstanding "
            "14 days before it, HR is reminded. Confirm the start on the day itself."
        ),
    )


class ReserveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReserveEntry) -> str:  # type: ignore[override]
        return (
            f"{obj.person.display_name} (on the list from {obj.placed_on:%-d %B %Y} "
            f"until {obj.stands_until:%-d %B %Y})"
        )


class AbsenceForm(CrispyForm):
    kind = forms.ChoiceField(choices=Absence.Kind.choices)
    starts_on = forms.DateField(
        label="First day of absence",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="Leave may be planned ahead; sickness is recorded once it has begun.",
    )
    ends_on = forms.DateField(
        label="Last day of absence",
        widget=DateInput(),
        required=False,
        help_text="Leave empty while the absence goes on.",
    )
    cover = forms.ChoiceField(choices=Absence.Cover.choices, widget=forms.RadioSelect)
    cover_reserve = ReserveChoiceField(
        queryset=ReserveEntry.objects.none(),
        required=False,
        label="Reserve peer worker",
        help_text=(
            "For reserve cover only: someone on the reserve list on the first day of absence."
        ),
    )

    def __init__(
        self, *args: Any, reserves: QuerySet[ReserveEntry], health: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cover_reserve"].queryset = reserves
        if health:
            self.fields["health_category"] = forms.ChoiceField(
                label="Health category (sickness only)",
                choices=[("", "Not recorded"), *AbsenceHealth.Category.choices],
                required=False,
                help_text="Special-category information: HR and programme leads only.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("cover") == Absence.Cover.RESERVE and not data.get("cover_reserve"):
            self.add_error("cover_reserve", "Name the reserve peer worker who covers the absence.")
        if data.get("cover") != Absence.Cover.RESERVE:
            data["cover_reserve"] = None
        if data.get("kind") != Absence.Kind.SICKNESS and "health_category" in data:
            data["health_category"] = ""
        return data


class LeaveForm(CrispyForm):
    submit_label = "Record the leaver"
    last_day = forms.DateField(
        label="Last day in post",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="Record a leaver on or after their last day, not before.",
    )
    reason = forms.ModelChoiceField(
        queryset=LeavingReason.objects.none(), label="Reason for leaving"
    )

    def __init__(self, *args: Any, reasons: QuerySet[LeavingReason], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons


class TransferForm(CrispyForm):
    submit_label = "Transfer"
    to_post = PostChoiceField(queryset=Post.objects.none(), label="New post")
    first_day = forms.DateField(
        label="First day in the new post",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="Record a transfer on or after its first day, not before.",
    )
    contract = forms.ChoiceField(
        label="Contracted hours",
        choices=[("", "As the new post"), *Appointment.Contract.choices],
        required=False,
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        min_value=Decimal("1"),
        max_value=Decimal("37.5"),
        decimal_places=1,
        required=False,
        help_text="Leave empty to take the new post's hours.",
    )

    def __init__(self, *args: Any, posts: QuerySet[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_post"].queryset = posts


class LeavingReasonForm(CrispyModelForm):
    class Meta:
        model = LeavingReason
        fields = ["label", "category", "reveals_health", "order", "is_archived"]
        labels = {
            "label": "Reason, in your words",
            "category": "Reported as",
            "reveals_health": "Reveals health (special-category information)",
            "is_archived": "Archived (no longer offered)",
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["category"] = forms.ChoiceField(
            label="Reported as", choices=LeavingReason.Category.choices
        )
