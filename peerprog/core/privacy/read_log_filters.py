"""The officer's search of the read log (django-filter): by person, reader,
kind of fact and dates."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from peerprog.core.models import User
from peerprog.core.privacy.read_log_models import ReadKind, ReadLog


class ReadLogFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(label="Whose record (name)", method="filter_person")
    reader = django_filters.ModelChoiceFilter(
        label="Read by", queryset=User.objects.none(), empty_label="Anyone"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of fact", choices=ReadKind.choices, empty_label="Every kind"
    )
    since = django_filters.DateFilter(label="From", field_name="read_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="To", field_name="read_at", lookup_expr="date__lte")

    class Meta:
        model = ReadLog
        fields = ["person", "reader", "kind", "since", "until"]

    def __init__(self, *args: Any, programme_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["reader"].queryset = User.objects.filter(programme_id=programme_id).order_by(
            "full_name", "email"
        )
        for name, form_field in self.form.fields.items():
            form_field.widget.attrs["class"] = (
                "form-select" if name in {"kind", "reader"} else "form-control"
            )
            if name in {"since", "until"}:
                form_field.widget.input_type = "date"
                form_field.help_text = "For example 3 March 2026"

    def filter_person(self, queryset: QuerySet[ReadLog], name: str, value: str) -> Any:
        words = value.split()
        if not words:
            return queryset
        queryset = queryset.annotate(
            person_name=Concat(
                "person__first_name",
                Value(" "),
                "person__preferred_name",
                Value(" "),
                "person__last_name",
            )
        )
        condition = Q()
        for word in words:
            condition &= Q(person_name__icontains=word)
        return queryset.filter(condition)
