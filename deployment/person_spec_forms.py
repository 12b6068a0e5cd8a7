"""Forms for a post's or vacancy's job description and person specification."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from deployment.models import SpecCriterion, SpecDocument
from peerprog.core.forms import CrispyForm
from training.uploads import ACCEPTED, UploadRefused, check_portfolio_file, max_upload_size


class CriterionForm(CrispyForm):
    submit_label = "Add the criterion"
    kind = forms.ChoiceField(
        label="Essential or desirable",
        choices=SpecCriterion.Kind.choices,
        widget=forms.RadioSelect,
        initial=SpecCriterion.Kind.ESSENTIAL,
    )
    text = forms.CharField(
        label="Criterion",
        max_length=300,
        help_text="As the advert words it, for example “Able to share their own "
        "experience of recovery safely and with purpose”.",
    )


class SpecDocumentForm(CrispyForm):
    submit_label = "Upload"
    kind = forms.ChoiceField(
        label="Document", choices=SpecDocument.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label="File")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{ACCEPTED} Up to {max_upload_size() // (1024 * 1024)} MB. "
            "It replaces an earlier document of the same kind, and is kept privately."
        )
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.odt"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_portfolio_file(upload)
        except UploadRefused as refused:
            raise ValidationError(refused.message) from refused
        return upload
