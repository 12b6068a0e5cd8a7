from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from peerprog.core import import_jobs, imports
from peerprog.core.imports import ImportRefused
from peerprog.core.models import PendingImport, Person, User
from recruitment.models import Application, Cohort
from tests.conftest import World
from tests.core.factories import PersonFactory
from tests.recruitment.factories import ApplicationFactory

KEY = "recruitment.applications"
HEADER = "First name,Last name,E-mail,Phone,Date of birth,Source,Received on,Statement\n"
GOOD = (
    HEADER
    + "Mina,Rahman,mina.rahman@example.org,07700 900001,02/05/1988,Flyer,03/01/2027,I volunteer\n"
    + "Tom,Barker,tom.barker@example.org,,1979-11-30,existing volunteer,,\n"
    + "Jo,Kaur,,,14/07/1992,E-mail,,\n"
)


def upload(lead: User, cohort: Cohort, text: str, name: str = "applications.csv") -> PendingImport:
    content = text.encode() if isinstance(text, str) else text
    return imports.import_upload(
        importer_key=KEY,
        upload=SimpleUploadedFile(name, content),
        options={"cohort_id": cohort.pk},
        by=lead,
    )


@pytest.fixture
def lead(world: World) -> User:
    return world.users["lead"]


@pytest.fixture
def cohort(world: World) -> Cohort:
    return world.objects["cohort"]


def people_count(world: World) -> int:
    return Person.objects.filter(programme=world.programme).count()


def test_preview_shows_every_row_and_writes_nothing(
    world: World, lead: User, cohort: Cohort
) -> None:
    before = people_count(world)
    pending = upload(lead, cohort, GOOD)
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert report.ok
    assert [row.action for row in report.rows] == ["New", "New", "New"]
    assert [row.row for row in report.rows] == [2, 3, 4]
    assert report.rows[0].values == ["Mina", "Rahman", "mina.rahman@example.org", "Flyer"]
    assert people_count(world) == before
    assert not Application.objects.filter(person__last_name="Rahman").exists()


def test_preview_runs_nothing_after_commit(
    world: World, lead: User, cohort: Cohort, django_capture_on_commit_callbacks: Any
) -> None:
    pending = upload(lead, cohort, GOOD)
    with django_capture_on_commit_callbacks() as callbacks:
        import_jobs.import_preview(pending=pending, by=lead)
    assert callbacks == []


def test_confirm_imports_every_row_and_deletes_the_file(
    world: World, lead: User, cohort: Cohort
) -> None:
    before = people_count(world)
    pending = upload(lead, cohort, GOOD)
    report = import_jobs.import_confirm(pending=pending, by=lead)
    assert report.new == 3
    assert people_count(world) == before + 3
    mina = Application.objects.get(cohort=cohort, person__email="mina.rahman@example.org")
    assert mina.source == Application.Source.FLYER
    assert mina.received_on == date(2027, 1, 3)
    assert mina.person.date_of_birth == date(1988, 5, 2)
    assert mina.stage == Application.Stage.RECEIVED
    assert mina.moves.count() == 1
    pending.refresh_from_db()
    assert pending.status == PendingImport.Status.IMPORTED
    assert bytes(pending.content) == b""


def test_a_file_with_one_bad_row_writes_nothing(world: World, lead: User, cohort: Cohort) -> None:
    before = people_count(world)
    text = GOOD + "Sam,Lee,not-an-address,,31/02/1990,Facebook,,\n"
    pending = upload(lead, cohort, text)
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert not report.ok
    messages = [str(error) for error in report.errors]
    assert "In row 5, column “E-mail”: “not-an-address” is not an e-mail address." in messages
    assert any("row 5, column “Date of birth”: “31/02/1990” is not a date" in m for m in messages)
    assert any("column “Source”: “Facebook” is not a source we know" in m for m in messages)
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        import_jobs.import_confirm(pending=pending, by=lead)
    assert people_count(world) == before
    assert not Application.objects.filter(person__last_name__in=["Rahman", "Barker"]).exists()


def test_a_missing_name_is_an_error_on_its_row(world: World, lead: User, cohort: Cohort) -> None:
    pending = upload(lead, cohort, HEADER + ",Okoro,ada.okoro@example.org,,,,,\n")
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert [(e.row, e.column) for e in report.errors] == [(2, "First name")]


def test_someone_twice_in_one_file_is_an_error(world: World, lead: User, cohort: Cohort) -> None:
    text = GOOD + "Mina,Rahman,MINA.RAHMAN@example.org,,,,,\n"
    pending = upload(lead, cohort, text)
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert [str(e) for e in report.errors] == [
        "In row 5, column “E-mail”: This person is also on row 2. Keep one row per person."
    ]


def test_a_row_without_email_or_date_of_birth_is_an_error(
    world: World, lead: User, cohort: Cohort
) -> None:
    pending = upload(lead, cohort, HEADER + "Ash,Green,,,,,,\n")
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert "Give an e-mail address or a date of birth" in report.errors[0].message


def test_importing_the_same_file_again_updates_the_same_people(
    world: World, lead: User, cohort: Cohort
) -> None:
    import_jobs.import_confirm(pending=upload(lead, cohort, GOOD), by=lead)
    count = people_count(world)
    applications = Application.objects.filter(cohort=cohort).count()
    again = GOOD.replace("07700 900001", "07700 900999")
    report = import_jobs.import_confirm(pending=upload(lead, cohort, again), by=lead)
    assert [row.action for row in report.rows] == ["Update", "No change", "No change"]
    assert people_count(world) == count
    assert Application.objects.filter(cohort=cohort).count() == applications
    assert Person.objects.get(email="mina.rahman@example.org").phone == "07700 900999"


def test_a_person_on_record_is_matched_by_email_ignoring_case(
    world: World, lead: User, cohort: Cohort
) -> None:
    person = PersonFactory(programme=world.programme, email="tom.barker@example.org")
    import_jobs.import_confirm(pending=upload(lead, cohort, GOOD), by=lead)
    assert Application.objects.get(cohort=cohort, person=person)


def test_a_person_without_email_is_matched_by_name_and_date_of_birth(
    world: World, lead: User, cohort: Cohort
) -> None:
    person = PersonFactory(
        programme=world.programme,
        first_name="Jo",
        last_name="Kaur",
        email="",
        date_of_birth=date(1992, 7, 14),
    )
    import_jobs.import_confirm(pending=upload(lead, cohort, GOOD), by=lead)
    assert Application.objects.get(cohort=cohort, person=person)
    assert Person.objects.filter(programme=world.programme, last_name="Kaur").count() == 1


def test_another_programmes_person_is_never_matched(
    world: World, lead: User, cohort: Cohort
) -> None:
    PersonFactory(programme=world.other_programme, email="mina.rahman@example.org")
    import_jobs.import_confirm(pending=upload(lead, cohort, GOOD), by=lead)
    assert Person.objects.get(programme=world.programme, email="mina.rahman@example.org")


def test_an_existing_application_keeps_its_stage(world: World, lead: User, cohort: Cohort) -> None:
    person = PersonFactory(programme=world.programme, email="mina.rahman@example.org")
    application = ApplicationFactory(
        cohort=cohort, person=person, stage=Application.Stage.SHORTLISTED
    )
    import_jobs.import_confirm(pending=upload(lead, cohort, GOOD), by=lead)
    application.refresh_from_db()
    assert application.stage == Application.Stage.SHORTLISTED


def test_headers_are_recognised_as_people_write_them(
    world: World, lead: User, cohort: Cohort
) -> None:
    text = "forename,SURNAME,Email Address,DOB\nLi,Wei,li.wei@example.org,01/01/1990\n"
    report = import_jobs.import_confirm(pending=upload(lead, cohort, text), by=lead)
    assert report.new == 1


def test_a_file_without_a_name_column_is_refused(world: World, lead: User, cohort: Cohort) -> None:
    pending = upload(lead, cohort, "E-mail\nsomeone@example.org\n")
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert "no column called “First name” or “Last name”" in report.errors[0].message


def test_an_excel_workbook_imports(world: World, lead: User, cohort: Cohort) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "E-mail", "Date of birth"])
    sheet.append(["Priti", "Desai", "priti.desai@example.org", date(1985, 3, 9)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    pending = upload(lead, cohort, buffer.getvalue(), name="applications.xlsx")
    import_jobs.import_confirm(pending=pending, by=lead)
    assert Person.objects.get(email="priti.desai@example.org").date_of_birth == date(1985, 3, 9)


def test_a_workbook_that_expands_too_far_is_refused(
    world: World, lead: User, cohort: Cohort, settings: Any
) -> None:
    settings.IMPORT_MAX_EXPANDED_BYTES = 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5000)
    with pytest.raises(ImportRefused, match="too large once opened"):
        upload(lead, cohort, buffer.getvalue(), name="bomb.xlsx")
    assert not PendingImport.objects.filter(filename="bomb.xlsx").exists()


def test_a_file_over_the_row_cap_is_refused() -> None:
    text = HEADER + "".join(f"A,B,a{n}@example.org,,,,,\n" for n in range(5))
    with pytest.raises(ImportRefused, match="more than 3 rows"):
        imports.read_dataset(text.encode(), PendingImport.Format.CSV, max_rows=3)


def test_a_file_over_the_size_cap_is_refused(
    world: World, lead: User, cohort: Cohort, settings: Any
) -> None:
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(ImportRefused, match="larger than"):
        upload(lead, cohort, GOOD)


def test_other_file_types_are_refused(world: World, lead: User, cohort: Cohort) -> None:
    with pytest.raises(ImportRefused, match="CSV file"):
        upload(lead, cohort, GOOD, name="applications.txt")


def test_cancel_deletes_the_stored_file(world: World, lead: User, cohort: Cohort) -> None:
    pending = upload(lead, cohort, GOOD)
    imports.import_cancel(pending=pending, by=lead)
    assert not PendingImport.objects.filter(pk=pending.pk).exists()


def test_files_nobody_confirmed_are_purged_after_a_day(
    world: World, lead: User, cohort: Cohort
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    pending = upload(lead, cohort, GOOD)
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    assert imports.pending_imports_purge() >= 1
    assert not PendingImport.objects.filter(pk=pending.pk).exists()


def test_the_pages_upload_preview_and_confirm(world: World, lead: User, cohort: Cohort) -> None:
    client = Client()
    client.force_login(lead)
    response = client.post(
        reverse("recruitment:import-upload"),
        {"cohort": cohort.pk, "file": SimpleUploadedFile("a.csv", GOOD.encode())},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Import 3 rows" in preview.content.decode()
    assert "I volunteer" not in preview.content.decode()
    done = client.post(response["Location"], {"confirm": "1"})
    assert done.status_code == 302
    assert Application.objects.filter(cohort=cohort, person__last_name="Barker").exists()


def test_another_leads_pending_import_is_not_found(world: World, cohort: Cohort) -> None:
    pending = world.objects["pending_import"]
    other_lead = User.objects.create(
        email="second.lead@example.org", full_name="Second Lead", programme=world.programme
    )
    from django.contrib.auth.models import Group

    other_lead.groups.add(Group.objects.get(name="Programme lead"))
    client = Client()
    client.force_login(other_lead)
    response = client.get(reverse("recruitment:import-preview", args=[pending.pk]))
    assert response.status_code == 404


def test_a_file_with_only_column_names_says_so(world: World, lead: User, cohort: Cohort) -> None:
    report = import_jobs.import_preview(pending=upload(lead, cohort, HEADER), by=lead)
    assert [str(e) for e in report.errors] == [
        "In the file: The file has no rows under its column names."
    ]
