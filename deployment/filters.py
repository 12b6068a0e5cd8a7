"""Filters of the posts page and of the retention trend (django-filter)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from deployment.models import Post, RetentionSnapshot
from deployment.models.posts import PostRole
from deployment.selectors.work import posts_to_advertise
from peerprog.core.models import Service
from recruitment.models import Cohort


class PostFilter(django_filters.FilterSet):
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.none(), empty_label="All services"
    )
    role = django_filters.ChoiceFilter(choices=PostRole.choices, empty_label="All roles")
    status = django_filters.ChoiceFilter(choices=Post.Status.choices, empty_label="All statuses")
    advertise = django_filters.ChoiceFilter(
        label="Advertising",
        choices=[("needed", "Converted, not yet advertised")],
        empty_label="Any",
        method="filter_advertise",
    )

    class Meta:
        model = Post
        fields = ["service", "role", "status", "advertise"]

    def __init__(self, *args: Any, programme_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["service"].queryset = Service.objects.filter(programme_id=programme_id)

    def filter_advertise(self, queryset: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return posts_to_advertise(posts=queryset) if value == "needed" else queryset


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

    def choice_lists(self) -> dict[str, list[tuple[int, str]]]:
        """Each drop-down list's (value, label) choices after its empty one,
        as the form shows them: for the retention page's stored figures,
        which keep them so that the page opens without reading them."""
        return {
            name: [(obj.pk, str(obj)) for obj in self.filters[name].queryset]
            for name in ("cohort", "service")
        }

    @property
    def chosen(self) -> dict[str, Any]:
        """The cohort and service chosen (None for all), once validated."""
        if not self.is_bound or not self.form.is_valid():
            return {"cohort": None, "service": None}
        return {
            "cohort": self.form.cleaned_data.get("cohort"),
            "service": self.form.cleaned_data.get("service"),
        }


@dataclass(frozen=True)
class SelectField:
    """A filter's drop-down list as ``deployment/_filter_select.html`` draws
    it, by hand rather than through a template per widget and option: a
    large programme has dozens of services and cohorts to choose from."""

    name: str
    id: str
    label: str
    css: str
    errors: list[str]
    # (value, label, chosen) of each option, the "All ..." one first.
    options: list[tuple[str, str, bool]]

    @cached_property
    def options_html(self) -> SafeString:
        """The options as the template drew them, in one piece: a large
        programme has dozens of services and cohorts to choose from."""
        drawn = [
            f'<option value="{escape(value)}"{" selected" if chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label, chosen in self.options
        ]
        # Each value and label is escaped above.
        return mark_safe("".join(drawn))  # noqa: S308


def _choices(field: forms.Field, known: list[Any] | None = None) -> list[tuple[Any, Any]]:
    """A field's (value, label) choices. A model's are read as one list in
    an ordinary query, as its own choices would give them: those read them
    through a database cursor, three round trips rather than one. ``known``:
    a model field's (value, label) choices as already read (stored with
    figures), given after its empty choice without a query."""
    if known is not None and isinstance(field, forms.ModelChoiceField):
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return empty + [(value, label) for value, label in known]
    if (
        isinstance(field, forms.ModelChoiceField)
        and not field.queryset._prefetch_related_lookups
        and getattr(field, "null_label", None) is None
    ):
        choices: list[tuple[Any, Any]] = []
        if field.empty_label is not None:
            choices.append(("", field.empty_label))
        choices += [
            (field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset
        ]
        return choices
    return list(field.choices)  # type: ignore[attr-defined]


def select_fields(form: forms.Form, known: dict[str, list[Any]] | None = None) -> list[SelectField]:
    """The form's drop-down lists, each list read with one query at most
    (none where its choices are ``known``, by field name)."""
    known = known or {}
    fields = []
    for bound in form:
        field = bound.field
        value = bound.value()
        chosen = "" if value in (None, "") else str(value)
        fields.append(
            SelectField(
                name=bound.name,
                id=bound.auto_id,
                label=str(bound.label),
                css=field.widget.attrs.get("class", "select form-select"),
                errors=[str(error) for error in bound.errors],
                options=[
                    (str(key), str(text), str(key) == chosen)
                    for key, text in _choices(field, known.get(bound.name))
                ],
            )
        )
    return fields
