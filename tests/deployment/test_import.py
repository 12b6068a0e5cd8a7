"""Loading the establishment from CSV or XLSX: preview, per-row errors,
all or nothing, and loading the same file again."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from deployment.models import Post
from deployment.models.posts import PostRole
from peerprog.core import import_jobs, imports
from peerprog.core.imports import ImportRefused
from peerprog.core.models import PendingImport, User
from tests.conftest import World
from tests.core.factories import ServiceFactory
from tests.deployment.factories import PostFactory

pytestmark = pytest.mark.django_db

KEY = "deployment.establishment"
HEADER = "Position number,Job title,Service,Role,Band,WTE,Status\n"
GOOD = (
    HEADER
    + "HCA-001,Health Care Assistant,Willow Ward,HCA,3,0.6,\n"
    + "HCA-002,Health Care Assistant,willow ward,Health Care Assistant,3,1,filled\n"
    + "LXP-010,Lived Experience Practitioner,Cedar Ward,LXP,3,0.8,vacant\n"
)


@pytest.fixture
def cedar(world: World):
    return ServiceFactory(programme=world.programme, name="Cedar Ward")


def upload(hr: User, text: str | bytes, name: str = "posts.csv") -> PendingImport:
    content = text.encode() if isinstance(text, str) else text
    return imports.import_upload(
        importer_key=KEY, upload=SimpleUploadedFile(name, content), options={}, by=hr
    )


def numbers(world: World) -> set[str]:
    return set(
        Post.objects.filter(programme=world.programme).values_list("position_number", flat=True)
    )


def test_the_preview_shows_every_row_and_writes_nothing(world, hr, cedar):
    before = numbers(world)

    report = import_jobs.import_preview(pending=upload(hr, GOOD), by=hr)

    assert report.ok
    assert [row.action for row in report.rows] == ["New", "New", "New"]
    assert report.rows[0].values[:3] == ["HCA-001", "Health Care Assistant", "Willow Ward"]
    assert numbers(world) == before


def test_confirming_adds_every_post(world, hr, cedar):
    report = import_jobs.import_confirm(pending=upload(hr, GOOD), by=hr)

    assert report.new == 3
    second = Post.objects.get(programme=world.programme, position_number="HCA-002")
    assert second.service.name == "Willow Ward"
    assert second.role == PostRole.HCA
    assert second.wte == Decimal("1.00")
    assert second.status == Post.Status.FILLED
    lxp = Post.objects.get(programme=world.programme, position_number="LXP-010")
    assert (lxp.role, lxp.service, lxp.status) == (PostRole.LXP, cedar, Post.Status.VACANT)
    assert lxp.history.count() == 1


def test_a_file_with_one_bad_row_writes_nothing(world, hr, cedar):
    before = numbers(world)
    text = GOOD + "HCA-003,Health Care Assistant,Birch Ward,HCA,3,1.5,\n"
    pending = upload(hr, text)

    report = import_jobs.import_preview(pending=pending, by=hr)

    messages = [str(error) for error in report.errors]
    assert any(
        "row 5, column “Service”: There is no service called “Birch Ward”" in m for m in messages
    )
    assert any("row 5, column “WTE”: Hours (WTE) must be more than 0" in m for m in messages)
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        import_jobs.import_confirm(pending=pending, by=hr)
    assert numbers(world) == before


def test_a_position_number_twice_in_one_file_is_an_error(world, hr, cedar):
    text = GOOD + "HCA-001,Health Care Assistant,Cedar Ward,HCA,3,0.6,\n"

    report = import_jobs.import_preview(pending=upload(hr, text), by=hr)

    assert any("also on row 2" in str(error) for error in report.errors)


def test_a_missing_column_is_named(world, hr):
    report = import_jobs.import_preview(
        pending=upload(hr, "Position number,Job title\nX,Y\n"), by=hr
    )

    assert not report.ok
    assert "“Service”" in str(report.errors[0])


def test_loading_the_same_file_again_updates_the_same_posts(world, hr, cedar):
    import_jobs.import_confirm(pending=upload(hr, GOOD), by=hr)
    changed = GOOD.replace(
        "LXP-010,Lived Experience Practitioner,Cedar Ward,LXP,3,0.8",
        ("LXP-010,Lived Experience Practitioner,Cedar Ward,LXP,4,0.8"),
    )

    report = import_jobs.import_confirm(pending=upload(hr, changed), by=hr)

    assert report.new == 0
    assert report.updated == 1
    assert Post.objects.filter(programme=world.programme, position_number="LXP-010").count() == 1
    assert Post.objects.get(programme=world.programme, position_number="LXP-010").band == "4"


def test_a_file_cannot_change_an_existing_posts_status(world, hr):
    PostFactory(service=world.objects["service"], position_number="HCA-777")

    report = import_jobs.import_preview(
        pending=upload(hr, HEADER + "HCA-777,Health Care Assistant,Willow Ward,HCA,3,0.8,frozen\n"),
        by=hr,
    )

    assert any("on its own page" in str(error) for error in report.errors)


def test_an_excel_workbook_loads_like_a_csv_file(world, hr, cedar):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_jobs.import_confirm(pending=upload(hr, buffer.getvalue(), "posts.xlsx"), by=hr)

    assert report.new == 3


def test_hr_load_posts_through_the_pages(world, hr, cedar):
    client = Client()
    client.force_login(hr)

    response = client.post(
        reverse("deployment:posts-import"),
        {"file": SimpleUploadedFile("posts.csv", GOOD.encode())},
    )
    preview_url = response["Location"]
    preview = client.get(preview_url)
    confirmed = client.post(preview_url, {"confirm": "1"})

    assert preview.status_code == 200
    assert "HCA-001" in preview.content.decode()
    assert confirmed.status_code == 302
    assert "LXP-010" in numbers(world)
