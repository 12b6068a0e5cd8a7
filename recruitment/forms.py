"""Recruitment's forms: they validate and clean into domain values; the
services save."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.db.models import QuerySet

from peerprog.core.forms import (
    PERSON_FORM_FIELDS,
    PERSON_FORM_WIDGETS,
    CrispyMixin,
    DateInput,
)
from peerprog.core.imports import UploadForm
from peerprog.core.models import Person, Programme
from recruitment.models import (
    Application,
    Cohort,
    DeferralReason,
    InformationEvent,
    UnsuccessfulReason,
    WithdrawalReason,
)
from recruitment.services import REASON_MODELS, allowed_moves, default_training_end

Stage = Application.Stage


class CohortForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "name",
            "applications_open",
            "applications_close",
            "training_start",
            "training_end",
            "capacity",
            "status",
        ]
        widgets = {
            "applications_open": DateInput(),
            "applications_close": DateInput(),
            "training_start": DateInput(),
            "training_end": DateInput(),
        }
        help_texts = {
            "name": "For example “Cohort 3, spring 2027”.",
            "training_end": "Leave empty for 12 weeks after training starts.",
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["training_end"].required = False
        self.fields["capacity"].min_value = 1
        if not self.instance.pk:
            # A new cohort is planned or recruiting; it closes from its page.
            self.fields["status"].choices = [
                c
                for c in Cohort.Status.choices
                if c[0] in (Cohort.Status.PLANNING, Cohort.Status.RECRUITING)
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start = data.get("training_start")
        if start and not data.get("training_end"):
            data["training_end"] = default_training_end(training_start=start)
            self.instance.training_end = data["training_end"]
        close = data.get("applications_close")
        if start and close and close > start:
            self.add_error("applications_close", "Applications must close before training starts.")
        return data


class EventForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = InformationEvent
        fields = ["kind", "held_on", "starts_at", "place", "notes", "attendees"]
        widgets = {
            "held_on": DateInput(),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        attendees = self.fields["attendees"]
        attendees.queryset = (
            Application.objects.filter(cohort=cohort)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )
        attendees.label_from_instance = lambda a: a.person.display_name
        attendees.required = False
        attendees.help_text = "Tick everyone who came."


class PersonDetailsForm(forms.ModelForm):
    """The applicant's details, when adding an application by hand."""

    class Meta:
        model = Person
        fields = PERSON_FORM_FIELDS
        widgets = PERSON_FORM_WIDGETS
        help_texts = {
            "email": "If someone in the programme already has this address, the application "
            "is added to their record."
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme

    def validate_unique(self) -> None:
        # An existing e-mail address means the same person: the service finds
        # their record instead of creating a second one.
        pass


class ApplicationDetailsForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["received_on", "source", "pathway", "statement"]
        widgets = {"received_on": DateInput(), "statement": forms.Textarea(attrs={"rows": 5})}


class ApplicationAddForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["received_on", "source", "pathway", "statement"]
        widgets = {"received_on": DateInput(), "statement": forms.Textarea(attrs={"rows": 5})}


class MoveForm(forms.Form):
    """A move to one stage, with only what that stage needs."""

    to_stage = forms.ChoiceField(label="Move to", choices=Stage.choices)
    unsuccessful_reason = forms.ModelChoiceField(
        label="Why the application was unsuccessful",
        queryset=UnsuccessfulReason.objects.none(),
        required=False,
        empty_label="Choose a reason",
    )
    withdrawal_reason = forms.ModelChoiceField(
        label="Why the applicant withdrew",
        queryset=WithdrawalReason.objects.none(),
        required=False,
        empty_label="Choose a reason",
    )
    deferral_reason = forms.ModelChoiceField(
        label="Why the application was deferred",
        queryset=DeferralReason.objects.none(),
        required=False,
        empty_label="Choose a reason",
    )
    to_cohort = forms.ModelChoiceField(
        label="Later cohort to defer to",
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="Choose a cohort",
    )
    override_capacity = forms.BooleanField(
        label="Offer a place even though the cohort is full", required=False
    )
    on = forms.DateField(
        label="Date it happened",
        required=False,
        widget=DateInput(),
        help_text="Today unless the decision was made earlier. Not in the future.",
    )
    note = forms.CharField(
        label="Note for the timeline",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why, in a few words. Needed when moving back or offering beyond capacity. "
        "No health details.",
    )

    # The fields each stage needs besides the note; the others are left off.
    STAGE_FIELDS = {
        Stage.UNSUCCESSFUL: {"unsuccessful_reason"},
        Stage.WITHDRAWN: {"withdrawal_reason"},
        Stage.DEFERRED: {"deferral_reason", "to_cohort"},
        Stage.OFFERED: {"override_capacity"},
    }
    OPTIONAL_FIELDS = {
        "unsuccessful_reason",
        "withdrawal_reason",
        "deferral_reason",
        "to_cohort",
        "override_capacity",
    }

    def __init__(
        self,
        *args: Any,
        application: Application,
        unsuccessful_reasons: QuerySet[UnsuccessfulReason],
        withdrawal_reasons: QuerySet[WithdrawalReason],
        deferral_reasons: QuerySet[DeferralReason],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = allowed_moves(application=application)
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in allowed]
        self.fields["unsuccessful_reason"].queryset = unsuccessful_reasons
        self.fields["withdrawal_reason"].queryset = withdrawal_reasons
        self.fields["deferral_reason"].queryset = deferral_reasons
        self.fields["to_cohort"].queryset = Cohort.objects.filter(
            programme_id=application.cohort.programme_id,
            training_start__gt=application.cohort.training_start,
        ).exclude(status=Cohort.Status.CLOSED)
        chosen = self.data.get("to_stage") if self.is_bound else self.initial.get("to_stage")
        if chosen in allowed:
            keep = self.STAGE_FIELDS.get(chosen, set())
            for name in self.OPTIONAL_FIELDS - keep:
                del self.fields[name]
            if not self.is_bound:
                # The stage was chosen on the page before: show it, fixed.
                self.fields["to_stage"].choices = [(chosen, Stage(chosen).label)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.OPTIONAL_FIELDS:
            data.setdefault(name, False if name == "override_capacity" else None)
        stage = data.get("to_stage")
        if stage == Stage.UNSUCCESSFUL and not data.get("unsuccessful_reason"):
            self._require("unsuccessful_reason", "Choose why the application was unsuccessful.")
        if stage == Stage.WITHDRAWN and not data.get("withdrawal_reason"):
            self._require("withdrawal_reason", "Choose why the applicant withdrew.")
        if stage == Stage.DEFERRED and not data.get("deferral_reason"):
            self._require("deferral_reason", "Choose why the application was deferred.")
        if stage == Stage.DEFERRED and not data.get("to_cohort"):
            self._require("to_cohort", "Choose the later cohort.")
        return data

    def _require(self, name: str, message: str) -> None:
        self.add_error(name if name in self.fields else None, message)


class BulkForm(forms.Form):
    ACTIONS = [
        ("shortlist", "Shortlist"),
        ("invite", "Invite to an information event"),
        ("unsuccessful", "Mark unsuccessful"),
    ]
    action = forms.ChoiceField(label="With the ticked applications", choices=ACTIONS)
    reason = forms.ModelChoiceField(
        label="Reason (for unsuccessful)",
        queryset=UnsuccessfulReason.objects.none(),
        required=False,
    )
    selected = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        error_messages={"required": "Tick at least one application."},
    )
    on = forms.DateField(
        label="Date it happened",
        required=False,
        widget=DateInput(),
        help_text="Today unless the decision was made earlier.",
    )

    def __init__(
        self,
        *args: Any,
        applications: QuerySet[Application],
        reasons: QuerySet[UnsuccessfulReason],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = applications
        self.fields["reason"].queryset = reasons

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "unsuccessful" and not data.get("reason"):
            self.add_error("reason", "Choose the reason for marking them unsuccessful.")
        return data


class ReasonForm(CrispyMixin, forms.Form):
    label = forms.CharField(label="Reason, in your words", max_length=200)
    category = forms.ChoiceField(
        label="Reporting category",
        help_text="Reports count reasons by category, so figures stay comparable.",
    )
    reveals_health = forms.BooleanField(
        label="This reason reveals something about health",
        required=False,
        help_text="Then only HR and programme leads see it.",
    )
    order = forms.IntegerField(label="Position in the list", min_value=0, initial=0)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = REASON_MODELS[kind]
        self.fields["category"].choices = model.Category.choices


class ApplicationImportForm(UploadForm):
    cohort = forms.ModelChoiceField(
        label="Cohort the applications are for", queryset=Cohort.objects.none()
    )
    field_order = ["cohort", "file"]

    def __init__(self, *args: Any, programme_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(programme_id=programme_id).exclude(
            status=Cohort.Status.CLOSED
        )


class ApplyOnlineForm(forms.Form):
    """The public application form: what a lead would otherwise key in, in
    plain words, every field with a size limit, no file upload.

    ``website`` is a honeypot: hidden from people (and from screen readers),
    it is left empty by everyone but the robots that fill in every field.
    """

    CONTACT_CHOICES = [
        ("email", "By e-mail"),
        ("phone", "By phone"),
        ("post", "By letter in the post"),
    ]

    first_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    preferred_name = forms.CharField(
        label="What you like to be called (optional)",
        max_length=100,
        required=False,
        help_text="If it is different from your first name.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        help_text="This helps us find your record if you have been in touch with us before.",
        widget=DateInput(attrs={"autocomplete": "bday"}),
    )
    email = forms.EmailField(
        label="E-mail address (optional)",
        max_length=254,
        required=False,
        help_text="If you give one, we will e-mail you to say we have your application.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label="Postal address (optional)",
        max_length=500,
        required=False,
        help_text="We need this if you would like letters in the post.",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    contact_by = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label="Where did you hear about the programme?",
        choices=[("", "Choose one"), *Application.Source.choices],
    )
    statement = forms.CharField(
        label="Why would you like to train as a peer worker?",
        max_length=5000,
        help_text="In your own words, up to 5,000 characters. Only the programme team "
        "(the programme lead and HR) read it.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    adjustments = forms.CharField(
        label="Do you need anything to make the information event or interview work for you? "
        "(optional)",
        max_length=1000,
        required=False,
        help_text="For example extra time, breaks, a quiet room, large print or someone with "
        "you. Only the programme lead and HR read what you write here.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(
        label="Leave this empty",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page writes the <form> (with the one-time token).
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Your name",
                "first_name",
                "last_name",
                "preferred_name",
                "date_of_birth",
            ),
            Fieldset("How to reach you", "email", "phone", "address", "contact_by"),
            Fieldset("Your application", "source", "statement", "adjustments"),
            Div("website", css_class="d-none", aria_hidden="true"),
        )
        self.helper.add_input(Submit("submit", "Send my application"))

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        contact_by = data.get("contact_by")
        if contact_by == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Give your e-mail address if you would like us to e-mail you.")
        if contact_by == "phone" and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", "Give your phone number if you would like us to phone you.")
        if contact_by == "post" and not data.get("address") and "address" not in self.errors:
            self.add_error("address", "Give your address if you would like letters in the post.")
        return data

    def person_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "preferred_name": data["preferred_name"],
            "date_of_birth": data["date_of_birth"],
            "email": data["email"],
            "phone": data["phone"],
            "address": data["address"],
            "email_allowed": data["contact_by"] == "email",
            "hard_copy_letters": data["contact_by"] == "post",
        }
