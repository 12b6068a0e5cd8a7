"""Forms for scored interviews: a panel's chair and lived experience, and
the grid of scores the chair enters."""

from __future__ import annotations

from typing import Any

from django import forms

from deployment.models import PanelMember, SpecCriterion
from deployment.models.interview_scores import SCORE_MAX, SCORE_MIN, SCORE_WORDS
from peerprog.core.forms import CrispyForm
from peerprog.core.models import User


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:  # type: ignore[override]
        return obj.full_name or obj.email


class PanelScoringForm(CrispyForm):
    """The panel's chair, and which members bring lived experience."""

    submit_label = "Save the panel"
    chair = ChairChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="No chair yet",
        help_text="An HR officer or programme lead. The chair enters the scores for members "
        "who have no account.",
    )
    lived_experience = forms.MultipleChoiceField(
        label="Members who bring lived experience of mental distress",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Special-category information: only HR and programme leads see it. "
        "Reports count panels that include someone; they never name who.",
    )

    def __init__(self, *args: Any, chairs: Any, members: list[PanelMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["lived_experience"].choices = [
            (str(member.pk), member.name) for member in members
        ]

    def clean_lived_experience(self) -> set[int]:
        return {int(value) for value in self.cleaned_data["lived_experience"]}


SCORE_CHOICES = [("", "Not scored")] + [
    (str(score), f"{score}: {SCORE_WORDS[score]}") for score in range(SCORE_MIN, SCORE_MAX + 1)
]


def score_field_name(member_id: int, criterion_id: int) -> str:
    return f"score_{member_id}_{criterion_id}"


class InterviewScoresForm(forms.Form):
    """One select per panel member per criterion. Laid out as a grid by its
    template, so it carries no crispy helper."""

    def __init__(
        self,
        *args: Any,
        members: list[PanelMember],
        criteria: list[SpecCriterion],
        scores: dict[tuple[int, int], int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.criteria = criteria
        for criterion in criteria:
            for member in members:
                name = score_field_name(member.pk, criterion.pk)
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{member.name}: {criterion.text}",
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
                current = scores.get((member.pk, criterion.pk))
                self.initial[name] = "" if current is None else str(current)

    def rows(self) -> list[tuple[SpecCriterion, list[forms.BoundField]]]:
        return [
            (
                criterion,
                [self[score_field_name(member.pk, criterion.pk)] for member in self.members],
            )
            for criterion in self.criteria
        ]

    def scores(self) -> dict[tuple[int, int], int | None]:
        return {
            (member.pk, criterion.pk): self.cleaned_data[score_field_name(member.pk, criterion.pk)]
            for criterion in self.criteria
            for member in self.members
        }
