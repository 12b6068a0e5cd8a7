"""Filters of the posts page (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters

from deployment.models import Post
from deployment.models.posts import PostRole
from peerprog.core.models import Service


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
