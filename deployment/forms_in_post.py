"""Forms of the induction checklist and of training once in post."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from deployment.models import (
    InductionItem,
    InductionTemplateItem,
    TrainingCourse,
)
from peerprog.core.forms import CrispyForm, CrispyModelForm, DateInput
from peerprog.core.models import Programme, Service


class InductionTemplateItemForm(CrispyModelForm):
    class Meta:
        model = InductionTemplateItem
        fields = ["title", "owner", "due_days", "service", "order", "is_archived"]
        help_texts = {
            "owner": "Who sees it through, and who is reminded when it is overdue.",
            "is_archived": "Archived items are not added to new checklists.",
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            programme=programme, is_active=True
        )
        self.fields["service"].empty_label = "Every service"
        if self.instance.pk is None:
            del self.fields["is_archived"]


class InductionChecklistForm(forms.Form):
    """One checkbox and one date per item: ticked with no date means done
    today; unticked means not done, whatever the date says."""

    def __init__(self, *args: Any, items: list[InductionItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"done_{item.pk}"] = forms.BooleanField(
                label=f"{item.title}: done", required=False, initial=item.done_on is not None
            )
            self.fields[f"on_{item.pk}"] = forms.DateField(
                label=f"{item.title}: done on",
                required=False,
                widget=DateInput(),
                initial=item.done_on,
            )

    def rows(self) -> list[tuple[InductionItem, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"done_{item.pk}"], self[f"on_{item.pk}"]) for item in self.items]

    def done(self) -> dict[int, date | None]:
        today = timezone.localdate()
        result: dict[int, date | None] = {}
        for item in self.items:
            if self.cleaned_data.get(f"done_{item.pk}"):
                result[item.pk] = self.cleaned_data.get(f"on_{item.pk}") or today
            else:
                result[item.pk] = None
        return result


class TrainingCourseForm(CrispyModelForm):
    class Meta:
        model = TrainingCourse
        fields = ["name", "is_mandatory", "valid_for_months", "order", "is_archived"]
        help_texts = {"is_archived": "Archived courses cannot be given to new records."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_archived"]


class TrainingRecordForm(CrispyForm):
    submit_label = "Record the training"
    course = forms.ModelChoiceField(queryset=TrainingCourse.objects.none())
    completed_on = forms.DateField(label="Date completed", widget=DateInput())
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to use how long the course is valid for.",
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = TrainingCourse.objects.filter(
            programme=programme, is_archived=False
        )
