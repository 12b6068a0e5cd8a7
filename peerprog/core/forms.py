"""Forms of the kernel's pages. They validate and clean; services save."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from peerprog.core import sso
from peerprog.core.letters import check_text
from peerprog.core.models import (
    PERSON_CONTACT_FIELDS,
    Organisation,
    Person,
    ReasonableAdjustment,
    Role,
    SensitiveFacts,
    Service,
)
from peerprog.core.outbox import services as outbox


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(value: date | None) -> date | None:
    """Refuse a date after today: the record is of something that happened."""
    if value and value > timezone.localdate():
        raise ValidationError("The date cannot be in the future: record it after it happens.")
    return value


def day_it_happened(label: str, *, help_text: str = "") -> forms.DateField:
    """A date field for the day something happened: today unless it
    happened earlier (left empty, it is today), never in the future; the
    service checks it against the rest of the record."""
    return forms.DateField(
        label=label,
        widget=DateInput(),
        initial=timezone.localdate,
        required=False,
        validators=[not_in_future],
        help_text=help_text or "Today unless it happened earlier. Not in the future.",
    )


class CrispyMixin:
    """Lays a form out with crispy-forms and one submit button, labelled
    ``submit_label`` (a class attribute, or set on the instance before this
    ``__init__`` runs when the label depends on the page)."""

    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class CrispyForm(CrispyMixin, forms.Form):
    pass


class CrispyModelForm(CrispyMixin, forms.ModelForm):
    pass


class SignInForm(AuthenticationForm):
    """The sign-in form, with an e-mail field and plain-words errors."""

    error_messages = {
        "invalid_login": (
            "The e-mail address or password is not right. Check them and try again. "
            "After several failed attempts, sign-in is paused for a while."
        ),
        "inactive": "This account has been switched off. Ask your programme's administrator.",
        "use_sso": (
            "Staff sign in with their organisation account: use the "
            "\u201cSign in with your organisation account\u201d button above."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def confirm_login_allowed(self, user: Any) -> None:
        """With single sign-on on and staff passwords off, only superusers
        (the break-glass account) sign in here. Asked only once the password
        is right, so the answer tells a stranger nothing."""
        super().confirm_login_allowed(user)
        if not sso.local_passwords_allowed(user):
            raise forms.ValidationError(self.error_messages["use_sso"], code="use_sso")


# The person's details as a form asks for them, wherever a person is entered.
PERSON_FORM_FIELDS = [*PERSON_CONTACT_FIELDS, "hard_copy_letters"]
PERSON_FORM_WIDGETS = {"date_of_birth": DateInput(), "address": forms.Textarea(attrs={"rows": 3})}


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail handed to the outbox like
    every other, so it is retried and never lost.

    The page only checks the address's form and queues a task with it
    (``peerprog.core.password_reset``): looking the address up and writing
    the e-mail happen in that task, so the page answers alike whether or
    not the address belongs to an account. ``request_key`` names the request,
    so a task delivered twice stores its e-mail once.
    """

    def __init__(self, *args: Any, request_key: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_key = request_key or uuid.uuid4().hex

    def get_users(self, email: str) -> Any:
        """Django's rule (active accounts with this address and a usable
        password), and also the accounts of the programme's people who have
        not chosen a password yet (no staff role, a person record): their
        invitation's link may have expired, and the invitation sends them
        here."""
        from peerprog.core.models import User

        accounts = User.objects.filter(email__iexact=email, is_active=True, is_system=False)
        for user in accounts:
            if user.has_usable_password() or (not user.role_names and user.people.exists()):
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = " ".join(render_to_string(subject_template_name, context).split())
        user = context["user"]
        outbox.outbox_add_many(
            drafts=[
                outbox.Draft(
                    key=f"password-reset:{user.pk}:{self.request_key}",
                    kind="password_reset",
                    to=to_email,
                    subject=subject,
                    text=render_to_string(email_template_name, context),
                    html=(
                        render_to_string(html_email_template_name, context)
                        if html_email_template_name
                        else ""
                    ),
                    user_id=user.pk,
                )
            ]
        )


class PersonForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FORM_FIELDS
        widgets = PERSON_FORM_WIDGETS

    def __init__(self, *args: Any, programme: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The programme is set by the service; tell ModelForm so that its
        # uniqueness check (e-mail within the programme) can run.
        if programme is not None:
            self.instance.programme = programme

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        # The programme is not a field of this form, so ModelForm leaves the
        # e-mail-within-programme constraint to the service, whose refusal
        # would not reach the form. Check it here, in words the user reads.
        if (
            email
            and self.instance.programme_id
            and Person.objects.filter(programme_id=self.instance.programme_id, email__iexact=email)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                "Someone in this programme already has this e-mail address."
            )
        return email


class SensitiveFactsForm(CrispyMixin, forms.ModelForm):
    """Staff record a person's disability and equality-monitoring answers,
    as codes (peerprog.core.equality): from a paper form, or to correct one.
    "Prefer not to say" is the person's answer; "Not known" means nobody
    asked or the answer could not be read."""

    class Meta:
        model = SensitiveFacts
        fields = [
            "disability",
            "disability_details",
            "ethnic_group",
            "sex",
            "gender_identity",
            "sexual_orientation",
            "religion_or_belief",
            "age_band",
        ]
        widgets = {"disability_details": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "ethnic_group": "Ethnic group",
            "sex": "Sex",
            "gender_identity": "Gender the same as the sex registered at birth",
            "sexual_orientation": "Sexual orientation",
            "religion_or_belief": "Religion or belief",
            "age_band": "Age band",
        }
        help_texts = {
            "ethnic_group": "The NHS ethnic categories.",
            "age_band": "Choose “Not known” if nobody asked.",
        }


class AdjustmentForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = ReasonableAdjustment
        fields = ["kind", "request", "practical_note", "is_active"]
        widgets = {"request": forms.Textarea(attrs={"rows": 3})}
        labels = {"is_active": "Still needed"}


class ServiceForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "organisation", "setting", "site", "is_active"]
        labels = {"is_active": "Active"}

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(pk=programme.lead_organisation_id) | Q(partner_programmes=programme)
        ).distinct()


class OrganisationAddressForm(CrispyMixin, forms.Form):
    address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "street-address"}),
        help_text="Printed at the top of the letters the programme sends, under the "
        "organisation's name. Put each line of the address on a line of its own.",
    )


ROLE_HELP = {
    Role.PROGRAMME_LEAD: "Runs cohorts, applications, training and the dashboard.",
    Role.HR: "Posts, conversions, recruitment day, appointments and absence.",
    Role.MENTOR: "Meets trainees and logs those meetings.",
    Role.SUPERVISOR: "Supervises employed peer workers.",
    Role.ADMIN: "Manages staff and roles, exports reports, reads the audit trail.",
    Role.FACILITATOR: "Delivers course sessions and comments on portfolio drafts.",
    Role.ASSESSOR: "Assesses final portfolios.",
    Role.DATA_PROTECTION: (
        "Answers subject access and erasure requests, keeps the retention schedule, "
        "reads who read what."
    ),
}


class StaffUserForm(CrispyMixin, forms.Form):
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(max_length=200, required=False)
    roles = forms.MultipleChoiceField(
        choices=[(role.value, f"{role.label}: {ROLE_HELP[role]}") for role in Role],
        widget=forms.CheckboxSelectMultiple,
        help_text="A person may hold several roles.",
    )
    is_active = forms.BooleanField(label="Can sign in", required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, own: bool = False, **kwargs: Any) -> None:
        self.submit_label = "Save changes" if editing else "Add and send invitation"
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["email"].disabled = True
        else:
            del self.fields["is_active"]
        if own:
            self.fields["roles"].help_text = (
                "You cannot change your own roles or switch off your own account: "
                "ask another administrator."
            )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class LetterTemplateForm(CrispyMixin, forms.Form):
    """The wording of one kind of letter: placeholders outside the kind's own
    are refused."""

    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args: Any, kind: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_subject(self) -> str:
        check_text(self.cleaned_data["subject"], self.kind)
        return self.cleaned_data["subject"]

    def clean_body(self) -> str:
        check_text(self.cleaned_data["body"], self.kind)
        return self.cleaned_data["body"]
