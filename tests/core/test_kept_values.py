"""A page of plain values whose SQL is kept and planned once per connection
(``peerprog.core.kept_values``) gives the rows ``values()`` gives, named
alike (annotations too), and always live."""

from __future__ import annotations

import pytest
from django.db.models import Count, Value
from django.db.models.functions import Upper

from peerprog.core.kept_values import kept_values
from peerprog.core.models import Person, Programme
from tests.core.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _people(programme: Programme):  # type: ignore[no-untyped-def]
    return (
        Person.objects.filter(programme=programme)
        .annotate(shout=Upper("last_name"), one=Value(1), n=Count("pk"))
        .order_by("last_name", "pk")
        .values("shout", "pk", "first_name", "n", "one")[:3]
    )


def test_the_rows_are_those_of_values_and_live(programme: Programme) -> None:
    for name in ("Cole", "Adams", "Baker", "Dunn"):
        PersonFactory(programme=programme, last_name=name)
    key = ("people", programme.pk)
    for _ in range(2):
        kept = kept_values(name="test", key=key, build=lambda: _people(programme))
        assert kept == list(_people(programme))
        assert [row["shout"] for row in kept] == ["ADAMS", "BAKER", "COLE"]
    PersonFactory(programme=programme, last_name="Aaron")
    kept = kept_values(name="test", key=key, build=lambda: _people(programme))
    assert [row["shout"] for row in kept] == ["AARON", "ADAMS", "BAKER"]
    assert kept == list(_people(programme))


def test_a_query_that_can_find_nothing_gives_no_rows(programme: Programme) -> None:
    rows = kept_values(name="test", key="none", build=lambda: Person.objects.none().values("pk"))
    assert rows == []
