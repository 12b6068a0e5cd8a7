"""History rows only for saves that change something: a save that changes
no tracked field writes no row; creation, deletion and every real change
write one. Loading the same file twice writes nothing the second time."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from peerprog.core import import_jobs, imports
from peerprog.core.models import Person, Programme, SensitiveFacts, User
from tests.conftest import World
from tests.core.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.training.factories import CohortFactory, enrol
from training.models import PortfolioDraft

pytestmark = pytest.mark.django_db


def history_rows() -> int:
    """Every history row of every history-keeping model."""
    return sum(
        model.history.count()  # type: ignore[attr-defined]
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    )


def rows_of(instance: Model) -> list[str]:
    return list(
        type(instance)
        .history.filter(id=instance.pk)  # type: ignore[attr-defined]
        .order_by("history_date", "history_id")
        .values_list("history_type", flat=True)
    )


def test_saving_a_loaded_record_unchanged_writes_no_history_row(db: Any) -> None:
    person = PersonFactory()

    Person.objects.get(pk=person.pk).save()

    assert rows_of(person) == ["+"]


def test_saving_a_just_created_record_again_writes_no_history_row(db: Any) -> None:
    person = PersonFactory()

    person.save()

    assert rows_of(person) == ["+"]


def test_changing_a_field_writes_one_history_row_with_the_new_value(db: Any) -> None:
    person = Person.objects.get(pk=PersonFactory(phone="").pk)

    person.phone = "07700 900123"
    person.save()
    person.save()

    assert rows_of(person) == ["+", "~"]
    assert person.history.latest().phone == "07700 900123"  # type: ignore[attr-defined]


def test_setting_a_field_to_the_value_it_has_writes_no_history_row(db: Any) -> None:
    person = Person.objects.get(pk=PersonFactory(first_name="Mina").pk)

    person.first_name = "Mina"
    person.save()

    assert rows_of(person) == ["+"]


def test_creating_and_deleting_each_write_one_history_row(db: Any) -> None:
    person = PersonFactory()
    pk = person.pk

    person.delete()

    assert list(
        Person.history.filter(id=pk)  # type: ignore[attr-defined]
        .order_by("history_date", "history_id")
        .values_list("history_type", flat=True)
    ) == ["+", "-"]


def test_a_timestamp_that_moves_on_every_save_is_not_a_change(world: World) -> None:
    facts = SensitiveFacts.objects.get(person=world.person)

    facts.save()

    assert rows_of(facts) == ["+"]


def test_saving_only_a_field_left_out_of_history_writes_no_history_row(db: Any) -> None:
    user = User.objects.get(pk=UserFactory().pk)

    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])

    assert rows_of(user) == ["+"]


def test_a_change_left_out_of_update_fields_is_not_saved_so_not_recorded(db: Any) -> None:
    person = Person.objects.get(pk=PersonFactory(phone="", address="").pk)

    person.phone = "07700 900123"
    person.address = "1 High Street"
    person.save(update_fields=["phone"])
    person.save(update_fields=["phone"])

    assert rows_of(person) == ["+", "~"]
    person.refresh_from_db()
    assert person.address == ""


def test_a_record_loaded_with_deferred_fields_records_a_change(db: Any) -> None:
    person = Person.objects.only("first_name").get(pk=PersonFactory(first_name="Jo").pk)

    person.save()
    person.first_name = "Joanna"
    person.save()

    assert rows_of(person) == ["+", "~"]


def test_a_record_built_in_memory_with_an_existing_id_records_its_save(db: Any) -> None:
    existing = PersonFactory(first_name="Tom")
    built = Person(
        pk=existing.pk, programme=existing.programme, first_name="Thomas", last_name="Barker"
    )

    built.save()

    assert rows_of(existing) == ["+", "~"]


def test_adding_a_partner_already_linked_writes_no_history_row(db: Any) -> None:
    partner = OrganisationFactory()
    programme = Programme.objects.get(pk=PersonFactory().programme_id)
    programme.partner_organisations.add(partner)
    before = rows_of(programme)

    programme.partner_organisations.add(partner)

    assert rows_of(programme) == before
    assert before[-1] == "~"


def test_storing_another_file_on_a_record_writes_one_history_row(db: Any) -> None:
    enrolment = enrol(CohortFactory())
    draft = PortfolioDraft(enrolment=enrolment, file_name="draft.pdf", file_kind="pdf", file_size=4)
    draft.file.save("draft.pdf", ContentFile(b"%PDF"))

    draft.file.save("second.pdf", ContentFile(b"%PDF"))
    draft.save()

    assert rows_of(draft) == ["+", "~"]


APPLICATIONS = (
    "First name,Last name,E-mail,Phone,Date of birth,Source,Received on,Statement\n"
    "Mina,Rahman,mina.rahman@example.org,07700 900001,02/05/1988,Flyer,03/01/2027,I volunteer\n"
    "Tom,Barker,tom.barker@example.org,,1979-11-30,existing volunteer,,\n"
    "Jo,Kaur,,,14/07/1992,E-mail,,\n"
)
POSTS = (
    "Position number,Job title,Service,Role,Band,WTE,Status\n"
    "HCA-001,Health Care Assistant,Willow Ward,HCA,3,0.6,\n"
    "HCA-002,Health Care Assistant,willow ward,Health Care Assistant,3,1,filled\n"
    "LXP-010,Lived Experience Practitioner,Willow Ward,LXP,3,0.8,vacant\n"
)


def load(*, key: str, text: str, options: dict[str, Any], by: User) -> imports.Report:
    pending = imports.import_upload(
        importer_key=key,
        upload=SimpleUploadedFile("file.csv", text.encode()),
        options=options,
        by=by,
    )
    return import_jobs.import_confirm(pending=pending, by=by)


def test_loading_the_same_applications_file_again_writes_no_history_rows(
    world: World, lead: User
) -> None:
    options = {"cohort_id": world.objects["cohort"].pk}
    load(key="recruitment.applications", text=APPLICATIONS, options=options, by=lead)
    before = history_rows()

    load(key="recruitment.applications", text=APPLICATIONS, options=options, by=lead)

    assert history_rows() == before


def test_loading_the_same_establishment_file_again_writes_no_history_rows(
    world: World, hr: User
) -> None:
    load(key="deployment.establishment", text=POSTS, options={}, by=hr)
    before = history_rows()

    load(key="deployment.establishment", text=POSTS, options={}, by=hr)

    assert history_rows() == before


def test_a_changed_phone_in_an_applications_file_writes_one_history_row(
    world: World, lead: User
) -> None:
    options = {"cohort_id": world.objects["cohort"].pk}
    load(key="recruitment.applications", text=APPLICATIONS, options=options, by=lead)
    mina = Person.objects.get(programme=world.programme, email="mina.rahman@example.org")
    before = history_rows()

    changed = APPLICATIONS.replace("07700 900001", "07700 900999")
    load(key="recruitment.applications", text=changed, options=options, by=lead)

    assert history_rows() == before + 1
    assert rows_of(mina) == ["+", "~"]


def test_a_changed_band_in_an_establishment_file_writes_one_history_row(
    world: World, hr: User
) -> None:
    load(key="deployment.establishment", text=POSTS, options={}, by=hr)
    before = history_rows()

    load(
        key="deployment.establishment", text=POSTS.replace(",3,0.8,", ",4,0.8,"), options={}, by=hr
    )

    assert history_rows() == before + 1
