"""Anonymising rows: the declared fields of the rows and of their history
rows are replaced; other rows and undeclared facts are left alone."""

from __future__ import annotations

from typing import Any

import pytest

from peerprog.core.models import Person, SensitiveFacts
from peerprog.core.privacy.anonymise import CHANGE_REASON, records_anonymise
from tests.core.factories import PersonFactory, SensitiveFactsFactory

pytestmark = pytest.mark.django_db


def test_rows_and_their_history_lose_the_declared_values(programme: Any, admin_user: Any) -> None:
    person = PersonFactory(programme=programme, first_name="Zebedee", email="zeb@example.org")
    person.phone = "07700 900123"
    person.save()
    other = PersonFactory(programme=programme, first_name="Ottoline")
    SensitiveFactsFactory(person=person, disability_details="Planted-Condition-X")

    assert records_anonymise(model=Person, pks=[person.pk], by=admin_user) == 1
    records_anonymise(model=SensitiveFacts, pks=[person.sensitive.pk], by=admin_user)

    person.refresh_from_db()
    assert (person.first_name, person.email, person.phone) == ("Erased", "", "")
    assert person.programme_id == programme.pk
    history = Person.history.filter(id=person.pk)
    assert not history.filter(first_name="Zebedee").exists()
    assert not history.filter(phone="07700 900123").exists()
    assert history.latest("history_date").history_change_reason == CHANGE_REASON
    assert history.latest("history_date").history_user == admin_user
    facts = SensitiveFacts.history.filter(id=person.sensitive.pk)
    assert not facts.filter(disability_details="Planted-Condition-X").exists()
    other.refresh_from_db()
    assert other.first_name == "Ottoline"
    assert Person.history.filter(id=other.pk, first_name="Ottoline").exists()
