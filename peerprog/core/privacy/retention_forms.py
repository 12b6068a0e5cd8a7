"""Forms of the retention pages: a rule's months, a legal hold's reason and
the choice of records to anonymise."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprog.core.forms import CrispyForm, CrispyModelForm
from peerprog.core.privacy.retention_models import RetentionRule


class RetentionRuleForm(CrispyModelForm):
    submit_label = "Save the rule"

    class Meta:
        model = RetentionRule
        fields = ["months", "basis"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}


class LegalHoldForm(CrispyForm):
    submit_label = "Place the legal hold"

    reason = forms.CharField(
        label="Why the record must be kept",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: a claim to an employment tribunal, a complaint under review.",
        max_length=2000,
    )


class ApproveForm(forms.Form):
    """The due records the officer ticked."""

    due = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args: Any, choices: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due"].choices = [(pk, str(pk)) for pk in choices]
