"""Filters of the posts page and of the retention trend (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from deployment.models import Post, RetentionSnapshot
from deployment.models.posts import PostRole
from peerprog.core.models import Service
from recruitment.models import Cohort


class PostFilter(django_filters.FilterSet):
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.none(), empty_label="All services"
    )
    role = django_filters.ChoiceFilter(choices=PostRole.choices, empty_label="All roles")
    status = django_filters.ChoiceFilter(choices=Post.Status.choices, empty_label="All statuses")

    class Meta:
        model = Post
        fields = ["service", "role", "status"]

    def __init__(self, *args: Any, programme_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["service"].queryset = Service.objects.filter(programme_id=programme_id)


class RetentionTrendFilter(django_filters.FilterSet):
    """Narrows the retention page's month-by-month trend to one training
    cohort or one service; it only validates the choice, the selector sums
    the monthly snapshots under it."""

    cohort = django_filters.ModelChoiceFilter(
        queryset=Cohort.objects.none(),
        empty_label="All cohorts",
        label="Training cohort",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.none(),
        empty_label="All services",
        label="Service",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = RetentionSnapshot
        fields = ["cohort", "service"]

    def __init__(self, *args: Any, programme_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["cohort"].queryset = Cohort.objects.filter(programme_id=programme_id).order_by(
            "training_start", "name"
        )
        self.filters["service"].queryset = Service.objects.filter(
            programme_id=programme_id
        ).order_by("name")

    @property
    def chosen(self) -> dict[str, Any]:
        """The cohort and service chosen (None for all), once validated."""
        if not self.is_bound or not self.form.is_valid():
            return {"cohort": None, "service": None}
        return {
            "cohort": self.form.cleaned_data.get("cohort"),
            "service": self.form.cleaned_data.get("service"),
        }
