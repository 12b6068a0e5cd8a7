"""The kernel's export framework: safe cells in both formats, columns by
role, the export record, bounded background exports and their files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from peerprog.core import export_files, export_specs, exports, storage
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import ExportRecord, Person, Role, User
from peerprog.core.tasks import exports_expire
from tests.conftest import World
from tests.core.factories import PersonFactory, UserFactory
from tests.recruitment.factories import ApplicationFactory

TEST_KEY = "tests.people"
DANGEROUS = ["=1+1", "+44 20 7946 0000", "-2+3", "@SUM(A1:A2)", "\tTabbed", "\rReturned"]


def people_rows(user: User, params: Mapping[str, str]) -> Any:
    people = Person.objects.filter(programme_id=user.programme_id).select_related("sensitive")
    if params.get("q"):
        people = people.filter(last_name__icontains=params["q"])
    return people.order_by("pk")


def disability(person: Person) -> str:
    facts = getattr(person, "sensitive", None)
    return facts.get_disability_display() if facts else ""


@pytest.fixture
def people_spec() -> Iterator[ExportSpec]:
    spec = exports.register(
        ExportSpec(
            key=TEST_KEY,
            title="People",
            roles=(Role.PROGRAMME_LEAD, Role.ADMIN),
            columns=[
                Column("First name", lambda p: p.first_name),
                Column("Last name", lambda p: p.last_name),
                Column("Disability", disability, sensitive=True),
                Column(
                    "Has told us of a disability",
                    lambda p: disability(p),
                    sensitive=True,
                    redacted=lambda p: "Not shown",
                ),
            ],
            rows=people_rows,
        )
    )
    yield spec
    export_specs._registry.pop(TEST_KEY, None)


def csv_of(key: str, user: User, params: Mapping[str, Any] | None = None) -> list[list[str]]:
    out = io.BytesIO()
    exports.write(key, user, params or {}, "csv", out)
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def xlsx_of(key: str, user: User, params: Mapping[str, str] | None = None) -> list[list[Any]]:
    out = io.BytesIO()
    exports.write(key, user, params or {}, "xlsx", out)
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# Safe cells


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_would_run_as_a_formula_is_neutralised_in_csv(
    world: World, people_spec: ExportSpec, value: str
) -> None:
    PersonFactory(programme=world.programme, first_name=value, last_name="Zed")
    rows = csv_of(TEST_KEY, world.users["lead"])
    assert ["'" + value, "Zed"] == rows[-1][:2]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_would_run_as_a_formula_is_neutralised_in_xlsx(
    world: World, people_spec: ExportSpec, value: str
) -> None:
    PersonFactory(programme=world.programme, first_name=value, last_name="Zed")
    first, last = xlsx_of(TEST_KEY, world.users["lead"])[-1][:2]
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    assert first.startswith("'")
    assert (first[1:].strip(), last) == (value.strip(), "Zed")


def test_numbers_and_dates_stay_numbers_and_dates() -> None:
    today = timezone.localdate()
    assert exports.safe_cell(-5) == -5
    assert exports.safe_cell(today) == today
    assert exports.safe_cell(True) == "Yes"
    assert exports.safe_cell("Ada") == "Ada"


def test_control_characters_do_not_break_the_spreadsheet(
    world: World, people_spec: ExportSpec
) -> None:
    PersonFactory(programme=world.programme, first_name="Bell\x07", last_name="Zed")
    assert xlsx_of(TEST_KEY, world.users["lead"])[-1][:2] == ["Bell", "Zed"]


# Columns by role


def test_sensitive_columns_are_left_out_for_a_role_that_may_not_read_them(
    world: World, people_spec: ExportSpec
) -> None:
    rows = csv_of(TEST_KEY, world.users["admin"])
    assert rows[0] == ["First name", "Last name", "Has told us of a disability"]
    assert all("Yes, has told us" not in cell for row in rows for cell in row)
    ada = next(row for row in rows if row[1] == "Lovelace")
    assert ada[2] == "Not shown"


def test_sensitive_columns_are_present_for_a_role_that_may_read_them(
    world: World, people_spec: ExportSpec
) -> None:
    rows = xlsx_of(TEST_KEY, world.users["lead"])
    assert rows[0] == ["First name", "Last name", "Disability", "Has told us of a disability"]
    ada = next(row for row in rows if row[1] == "Lovelace")
    assert ada[2] == "Yes, has told us of a disability"


def test_the_other_programmes_rows_are_never_written(world: World, people_spec: ExportSpec) -> None:
    names = {row[1] for row in csv_of(TEST_KEY, world.users["lead"])[1:]}
    assert "Lovelace" in names
    assert "Other" not in names


# Filters with several values


VALUES_KEY = "tests.values"


@pytest.fixture
def values_spec() -> Iterator[ExportSpec]:
    """An export whose rows are the values of its ``name`` filter."""
    spec = exports.register(
        ExportSpec(
            key=VALUES_KEY,
            title="Values",
            roles=(Role.PROGRAMME_LEAD,),
            columns=[Column("Name", str)],
            rows=lambda user, params: params.getlist("name"),
        )
    )
    yield spec
    export_specs._registry.pop(VALUES_KEY, None)


def test_the_filters_keep_every_value_and_leave_out_the_format_page_and_empty_ones() -> None:
    query = QueryDict("name=a&name=b&format=csv&page=2&service=&name=")
    params = exports.filter_params(query)
    assert params == {"name": ["a", "b"]}
    # Kept with the record and handed to a background export as they are.
    assert json.loads(json.dumps(params)) == params


def test_an_exports_rows_receive_every_value_of_a_filter(
    world: World, values_spec: ExportSpec
) -> None:
    rows = csv_of(VALUES_KEY, world.users["lead"], {"name": ["a", "b"]})
    assert rows == [["Name"], ["a"], ["b"]]


def test_filters_kept_with_one_value_each_still_export(
    world: World, values_spec: ExportSpec
) -> None:
    rows = csv_of(VALUES_KEY, world.users["lead"], {"name": "a"})
    assert rows == [["Name"], ["a"]]


# Serving: the application list is the kernel's first user.


def test_an_export_is_recorded_with_user_filters_format_and_rows(world: World) -> None:
    cohort = world.objects["cohort"]
    admin = world.users["admin"]
    response = signed_in(admin).get(
        reverse("recruitment:application-export"),
        {"cohort": cohort.pk, "stage": "received", "page": "2", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    record = ExportRecord.objects.get()
    assert record.user == admin
    assert record.programme == world.programme
    assert record.key == "recruitment.applications"
    assert record.params == {"cohort": [str(cohort.pk)], "stage": ["received"]}
    assert record.filters == f"Cohort: {cohort.name}; Stage: Received"
    assert record.file_format == "csv"
    assert record.rows == len(rows) - 1 == 1
    assert record.sensitive_included is False


def test_the_lead_export_records_that_sensitive_columns_were_included(world: World) -> None:
    response = signed_in(world.users["lead"]).get(
        reverse("recruitment:application-export"), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet.cell(row=1, column=11).value == "Personal statement"
    assert sheet.max_row == 2
    record = ExportRecord.objects.get()
    assert (record.file_format, record.rows, record.sensitive_included) == ("xlsx", 1, True)


def test_a_role_that_may_not_export_is_refused_and_nothing_is_recorded(world: World) -> None:
    response = signed_in(world.users["hr"]).get(reverse("recruitment:application-export"))
    assert response.status_code == 403
    assert not ExportRecord.objects.exists()


def test_admins_read_the_export_log_in_plain_words(world: World) -> None:
    cohort = world.objects["cohort"]
    body(
        signed_in(world.users["lead"]).get(
            reverse("recruitment:application-export"), {"cohort": cohort.pk}
        )
    )
    page = signed_in(world.users["admin"]).get(reverse("core:exports")).content.decode()
    assert "Applications" in page
    assert f"Cohort: {cohort.name}" in page
    assert "Lead" in page
    other = signed_in(world.users["other_programme_lead"])
    assert other.get(reverse("core:exports")).status_code == 403


def test_the_export_log_shows_only_the_admins_programme(world: World) -> None:
    ExportRecord.objects.create(
        user=world.users["other_programme_lead"],
        programme=world.other_programme,
        key="recruitment.applications",
        title="Other programme's applications",
        file_format="csv",
    )
    page = signed_in(world.users["admin"]).get(reverse("core:exports")).content.decode()
    assert "Other programme&#x27;s applications" not in page
    assert "No one has exported anything yet." in page


# Background exports


@pytest.fixture
def low_threshold(settings: Any) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 2


@pytest.fixture
def export(django_capture_on_commit_callbacks: Any) -> Any:
    """Ask for an export as the user would, running the job queued on commit."""

    def get(user: User, params: dict[str, Any] | None = None) -> Any:
        client = signed_in(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(reverse("recruitment:application-export"), params or {})
        return client, response

    return get


def many_applications(world: World, count: int) -> None:
    for _ in range(count):
        ApplicationFactory(cohort=world.objects["cohort"])


def test_a_long_list_is_prepared_in_the_background_for_its_requester(
    world: World, low_threshold: None, export: Any
) -> None:
    many_applications(world, 4)
    lead, response = export(world.users["lead"], {"format": "xlsx"})
    record = ExportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export-progress", args=[record.pk])
    assert (record.status, record.rows, record.rows_expected) == ("done", 5, 5)

    page = lead.get(response["Location"]).content.decode()
    assert "Your file is ready." in page
    assert reverse("core:export-download", args=[record.pk]) in page
    download = lead.get(reverse("core:export-download", args=[record.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(body(download))).active
    assert sheet.max_row == 6


def test_a_background_export_is_filtered_as_the_list_was(
    world: World, low_threshold: None, export: Any
) -> None:
    many_applications(world, 3)
    ApplicationFactory(cohort=world.objects["cohort"], stage="shortlisted")
    cohort = world.objects["cohort"]
    export(world.users["lead"], {"format": "csv", "cohort": cohort.pk, "stage": "received"})
    record = ExportRecord.objects.get()
    assert record.params == {"cohort": [str(cohort.pk)], "stage": ["received"]}
    assert (record.status, record.rows) == ("done", 4)


def test_the_progress_page_polls_until_the_export_is_finished(
    world: World, low_threshold: None
) -> None:
    lead = world.users["lead"]
    record = ExportRecord.objects.create(
        user=lead,
        programme=world.programme,
        key="recruitment.applications",
        title="Applications",
        file_format="csv",
        status=ExportRecord.Status.RUNNING,
        rows=2000,
        rows_expected=8000,
    )
    client = signed_in(lead)
    url = reverse("core:export-progress", args=[record.pk])
    page = client.get(url).content.decode()
    assert 'role="status"' in page and 'hx-trigger="every 2s"' in page
    assert "2,000 of 8,000 rows" in page
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    ExportRecord.objects.filter(pk=record.pk).update(
        status="done", rows=8000, file_name="exports/x.csv", expires_at=timezone.now()
    )
    final = client.get(url, headers={"HX-Request": "true"})
    assert final.status_code == 286
    assert "Your file is ready." in final.content.decode()


def test_only_the_requester_sees_or_downloads_a_background_export(
    world: World, low_threshold: None, export: Any
) -> None:
    many_applications(world, 3)
    export(world.users["lead"])
    record = ExportRecord.objects.get()
    second_lead = UserFactory(programme=world.programme, roles=[Role.PROGRAMME_LEAD])
    for user in (second_lead, world.users["admin"], world.users["other_programme_lead"]):
        client = signed_in(user)
        assert client.get(reverse("core:export-progress", args=[record.pk])).status_code == 404
        assert client.get(reverse("core:export-download", args=[record.pk])).status_code == 404


def test_background_files_are_private_and_deleted_when_they_expire(
    world: World, low_threshold: None, export: Any
) -> None:
    many_applications(world, 3)
    lead, _ = export(world.users["lead"])
    record = ExportRecord.objects.get()
    assert storage.private_storage.exists(record.file_name)
    path = Path(storage.configured().path(record.file_name))
    assert path.stat().st_mode & 0o777 == 0o600
    assert record.expires_at > timezone.now() + timedelta(hours=23)

    stored = record.file_name
    assert exports_expire.delay().get() == 0
    ExportRecord.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    assert exports_expire.delay().get() == 1
    record.refresh_from_db()
    assert record.status == "expired"
    assert not path.exists()
    assert not storage.private_storage.exists(stored)
    assert lead.get(reverse("core:export-download", args=[record.pk])).status_code == 404
    page = lead.get(reverse("core:export-progress", args=[record.pk])).content.decode()
    assert "This file has expired" in page


def test_a_background_export_is_written_once_however_often_it_is_delivered(
    world: World, low_threshold: None, export: Any
) -> None:
    from peerprog.core.tasks import export_prepare

    many_applications(world, 3)
    export(world.users["lead"])
    record = ExportRecord.objects.get()
    assert export_prepare.delay(record.pk).get() is False
    assert len(storage.files_in("exports")) == 1


def test_a_user_whose_role_was_taken_away_gets_no_file(world: World, low_threshold: None) -> None:
    many_applications(world, 3)
    lead = world.users["lead"]
    record = ExportRecord.objects.create(
        user=lead,
        programme=world.programme,
        key="recruitment.applications",
        title="Applications",
        file_format="csv",
        status=ExportRecord.Status.QUEUED,
        rows_expected=4,
    )
    lead.groups.clear()
    assert export_files.export_prepare(record_id=record.pk) is False
    record.refresh_from_db()
    assert record.status == "failed"
    assert storage.files_in("exports") == []


def test_the_cleanup_runs_every_hour_from_the_database_schedule(db: Any) -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Exports: delete expired files")
    assert task.task == "peerprog.core.tasks.exports_expire"
    assert (task.interval.every, task.interval.period) == (1, "hours")


# Queries


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_takes_the_same_number_of_queries_at_two_sizes(
    world: World, file_format: str
) -> None:
    lead = signed_in(world.users["lead"])
    url = reverse("recruitment:application-export")
    body(lead.get(url, {"format": file_format}))  # warm the session and caches
    counts = []
    for extra in (2, 30):
        many_applications(world, extra)
        with CaptureQueriesContext(connection) as captured:
            body(lead.get(url, {"format": file_format}))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def background_export(user: User, *, ready: bool = False) -> ExportRecord:
    """A background export of ``user``'s, finished with its file when ``ready``."""
    record = ExportRecord.objects.create(
        user=user,
        programme=user.programme,
        key="recruitment.applications",
        title="Applications",
        file_format="csv",
        status=ExportRecord.Status.QUEUED,
        rows=0,
        rows_expected=30_000,
    )
    if ready:
        name = storage.save_file(
            f"exports/access-{record.pk}.csv", io.BytesIO(b"First name\\nAda\\n")
        )
        ExportRecord.objects.filter(pk=record.pk).update(
            status=ExportRecord.Status.DONE,
            rows=1,
            file_name=name,
            finished_at=timezone.now(),
            expires_at=timezone.now() + timedelta(hours=1),
        )
        record.refresh_from_db()
    return record


def test_excel_files_go_to_the_background_sooner_than_csv(settings: Any) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 20_000
    settings.EXPORT_BACKGROUND_ROWS_XLSX = 5_000
    assert exports.background_threshold("csv") == 20_000
    assert exports.background_threshold("xlsx") == 5_000
    settings.EXPORT_BACKGROUND_ROWS = 2
    assert exports.background_threshold("xlsx") == 2


def test_a_background_export_left_behind_by_a_dead_worker_is_shown_as_failed(
    world: World, low_threshold: None, export: Any
) -> None:
    many_applications(world, 3)
    lead, _ = export(world.users["lead"])
    record = ExportRecord.objects.get()
    # As a worker that died while writing leaves it: claimed, never finished.
    ExportRecord.objects.filter(pk=record.pk).update(status="running", finished_at=None)
    page = lead.get(reverse("core:export-progress", args=[record.pk])).content.decode()
    assert "could not be prepared" not in page

    assert export_files.exports_abandoned_fail() == 0
    long_ago = timezone.now() - timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        + settings.CELERY_TASK_TIME_LIMIT
        + 60
    )
    ExportRecord.objects.filter(pk=record.pk).update(created_at=long_ago)
    exports_expire.delay().get()
    record.refresh_from_db()
    assert record.status == "failed"
    page = lead.get(reverse("core:export-progress", args=[record.pk])).content.decode()
    assert "could not be prepared" in page
