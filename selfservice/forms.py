"""Forms of a person's own pages. They validate and clean; services save."""

from __future__ import annotations

from typing import Any

from crispy_forms.layout import Hidden
from django import forms

from peerprog.core.forms import CrispyModelForm
from peerprog.core.models import Person


class MyDetailsForm(CrispyModelForm):
    """A person's own contact details and how they want to be contacted, on
    one of their records. Their name and sign-in e-mail address are not
    here: staff change those."""

    submit_label = "Save my details"

    class Meta:
        model = Person
        fields = ["preferred_name", "phone", "address", "email_allowed", "hard_copy_letters"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"})}
        labels = {
            "preferred_name": "The name you like to be called (optional)",
            "phone": "Phone number",
            "address": "Postal address",
            "email_allowed": "I agree to be contacted by e-mail",
            "hard_copy_letters": "Send me letters and packs on paper, by post",
        }
        help_texts = {
            "preferred_name": "",
            "address": "For letters sent by post.",
            "email_allowed": "",
            "hard_copy_letters": "",
        }

    # The hidden field that says which of the person's records a post is for.
    RECORD_FIELD = "record"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.add_input(Hidden(self.RECORD_FIELD, str(self.instance.pk)))
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["preferred_name"].widget.attrs["autocomplete"] = "nickname"

    def clean_email_allowed(self) -> bool:
        allowed = self.cleaned_data["email_allowed"]
        if allowed and not self.instance.email:
            raise forms.ValidationError(
                "We have no e-mail address of yours to write to. Ask your programme lead "
                "to add one."
            )
        return allowed
