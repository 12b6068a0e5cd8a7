"""Issued letters as PDF: made on request with the sending organisation's
name and address, never cached, logged like an export, and fetching nothing
but the site's own static files."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from weasyprint import HTML

from peerprog.core import services
from peerprog.core.export_records import ExportRecord
from peerprog.core.letter_pdf import (
    BASE_URL,
    RefusedFetch,
    StaticOnlyFetcher,
    letter_html,
    static_file,
)
from peerprog.core.models import Letter, User
from tests.conftest import World

ADDRESS = "Trust Headquarters\n1 Willow Road\nLeeds LS1 4AB"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_url(letter: Letter) -> str:
    return reverse("recruitment:letter-pdf", kwargs={"pk": letter.pk})


def document_text(letter: Letter) -> str:
    """The text WeasyPrint lays out on the letter's pages."""
    document = HTML(
        string=letter_html(letter), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()
    ).render()
    words = []
    for page in document.pages:
        for box in page._page_box.descendants():
            text = getattr(box, "text", None)
            if isinstance(text, str):
                words.append(text)
    return " ".join(" ".join(words).split())


@pytest.fixture
def letter(world: World) -> Letter:
    organisation = world.programme.lead_organisation
    services.organisation_address_update(
        organisation=organisation, by=world.users["lead"], address=ADDRESS
    )
    letter = world.objects["letter"]
    letter.refresh_from_db()
    return letter


def test_a_letter_downloads_as_a_pdf_that_is_never_cached(letter: Letter, lead: User) -> None:
    response = signed_in(lead).get(pdf_url(letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Lovelace" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_the_letter_carries_the_sending_organisations_name_and_address(
    letter: Letter, world: World
) -> None:
    text = document_text(letter)

    assert world.programme.lead_organisation.name in text
    assert "1 Willow Road" in text
    assert "Leeds LS1 4AB" in text
    assert "We are delighted to offer you a place." in text
    assert "Your place on the training" in text


def test_the_letter_never_shows_the_persons_sensitive_facts(letter: Letter) -> None:
    text = document_text(letter)

    assert "Anxiety" not in text
    assert "Medication" not in text


def test_a_download_is_logged_with_who_and_which_letter(letter: Letter, hr: User) -> None:
    signed_in(hr).get(pdf_url(letter))

    record = ExportRecord.objects.get(key="letter.pdf")
    assert record.user == hr
    assert record.file_format == ExportRecord.Format.PDF
    assert record.params == {"letter": letter.pk}
    assert record.programme == letter.programme


def test_another_programmes_letter_is_not_found(world: World, lead: User) -> None:
    response = signed_in(lead).get(pdf_url(world.objects["other_letter"]))

    assert response.status_code == 404
    assert not ExportRecord.objects.filter(key="letter.pdf").exists()


def test_a_deployment_letter_downloads_as_a_pdf(world: World, hr: User) -> None:
    letter = world.objects["deployment_letter"]

    response = signed_in(hr).get(reverse("deployment:letter-pdf", kwargs={"pk": letter.pk}))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_markup_in_a_letter_is_printed_as_text_not_followed(letter: Letter) -> None:
    letter.body = 'Dear Ada, <img src="https://tracker.invalid/pixel.png"> welcome.'

    html = letter_html(letter)

    assert "<img" not in html
    assert "&lt;img" in html


def test_the_fetcher_gives_the_sites_own_stylesheet() -> None:
    response = StaticOnlyFetcher().fetch(f"{BASE_URL}static/css/letter.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.invalid/pixel.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{BASE_URL}static/../peerprog/settings.py",
        f"{BASE_URL}media/private/report.csv",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/css/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url: str) -> None:
    with pytest.raises(RefusedFetch):
        StaticOnlyFetcher().fetch(url)


def test_a_refused_link_leaves_the_letter_to_render_without_it() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="https://tracker.invalid/x.css"></head>'
        "<body><p>Still printed</p></body></html>"
    )

    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()

    assert pdf.startswith(b"%PDF")


def test_static_files_are_found_by_their_name() -> None:
    assert static_file(f"{BASE_URL}static/css/letter.css").name == "letter.css"


def test_the_lead_sets_the_address_on_letters(world: World, lead: User) -> None:
    client = signed_in(lead)

    response = client.post(
        reverse("core:programme-address"), {"address": "  1 Willow Road \n\n Leeds  "}
    )

    organisation = world.programme.lead_organisation
    organisation.refresh_from_db()
    assert response.status_code == 302
    assert organisation.address == "1 Willow Road\nLeeds"
    assert organisation.history.latest().history_user == lead
    assert "1 Willow Road<br>Leeds" in client.get(reverse("core:programme")).content.decode()
