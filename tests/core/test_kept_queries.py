"""A kept query's text is built once per key, and its counts are read live."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from peerprog.core.kept_queries import count_of, counted_row, kept_rows
from peerprog.core.models import Programme, Service
from tests.core.factories import ProgrammeFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _services(programme: Programme) -> Any:
    return Programme.objects.filter(pk=programme.pk).values_list(
        count_of(Service.objects.filter(programme=programme)),
        count_of(Service.objects.filter(programme=programme, is_active=True)),
    )


def test_the_counts_are_live_though_the_query_is_built_once(
    django_assert_num_queries: Any,
) -> None:
    programme = ProgrammeFactory()
    built = []

    def build() -> Any:
        built.append(1)
        return _services(programme)

    assert counted_row("test_services", programme.pk, build) == (0, 0)
    ServiceFactory(programme=programme, is_active=True)
    ServiceFactory(programme=programme, is_active=False)
    with django_assert_num_queries(1):
        assert counted_row("test_services", programme.pk, build) == (2, 1)
    assert len(built) == 1


def test_each_key_has_its_own_query() -> None:
    first, second = ProgrammeFactory(), ProgrammeFactory()
    ServiceFactory(programme=first)
    assert counted_row("test_services", first.pk, lambda: _services(first)) == (1, 1)
    assert counted_row("test_services", second.pk, lambda: _services(second)) == (0, 0)


def _service_rows(programme: Programme) -> Any:
    return (
        Service.objects.filter(programme=programme)
        .order_by("name")
        .values_list("name", "is_active", "pk")
    )


def test_kept_rows_are_read_live_and_as_the_queryset_gives_them() -> None:
    programme = ProgrammeFactory()
    built = []

    def build() -> Any:
        built.append(1)
        return _service_rows(programme)

    assert kept_rows("test_service_rows", programme.pk, build) == []
    ServiceFactory(programme=programme, name="Wards", is_active=True)
    ServiceFactory(programme=programme, name="Community", is_active=False)
    rows = kept_rows("test_service_rows", programme.pk, build)
    # Text, true or false and numbers arrive as the ORM gives them.
    assert rows == [tuple(row) for row in _service_rows(programme)]
    assert [name for name, _, _ in rows] == ["Community", "Wards"]
    if connection.vendor == "postgresql":
        assert len(built) == 1


def test_kept_rows_of_a_filter_no_row_can_match_are_none() -> None:
    programme = ProgrammeFactory()
    ServiceFactory(programme=programme)

    def build() -> Any:
        return Service.objects.filter(pk__in=[]).values_list("pk")

    assert kept_rows("test_no_services", programme.pk, build) == []
