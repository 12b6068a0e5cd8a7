from __future__ import annotations

import pytest

from tests.training.factories import docx_bytes, enrol, odt_bytes, pdf_bytes, upload
from training import services
from training.models import PortfolioDraft
from training.uploads import UploadRefused, check_portfolio_file, clean_file_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", pdf_bytes(), "pdf"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.odt", odt_bytes(), "odt"),
    ],
)
def test_pdf_docx_and_odt_are_recognised_by_content(name, content, kind):
    assert check_portfolio_file(upload(name, content)).kind == kind


def test_a_file_is_recognised_by_its_content_not_its_name():
    assert check_portfolio_file(upload("portfolio.pdf", docx_bytes())).name == "portfolio.docx"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable pretending",
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04 not really a zip",
    ],
)
def test_a_wrong_file_type_is_refused_whatever_its_name(content):
    with pytest.raises(UploadRefused, match="not a PDF, DOCX or ODT"):
        check_portfolio_file(upload("portfolio.pdf", content))


def test_a_word_file_with_macros_is_refused():
    with pytest.raises(UploadRefused):
        check_portfolio_file(upload("portfolio.docx", docx_bytes(macros=True)))


def test_an_oversized_file_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(UploadRefused, match="too large"):
        check_portfolio_file(upload("big.pdf", pdf_bytes() + b"x" * 200))


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="empty"):
        check_portfolio_file(upload("empty.pdf", b""))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ada\\portfolio.pdf", "portfolio.pdf"),
        ('evil"; filename="x.exe.pdf', "evil_filename_x.exe.pdf"),
        ("report\u202egpj.pdf", "reportgpj.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("...", "portfolio.pdf"),
        ("Réflexion finale.pdf", "Reflexion finale.pdf"),
    ],
)
def test_hostile_names_are_cleaned(raw, expected):
    assert clean_file_name(raw, "pdf") == expected


def test_a_long_name_is_shortened():
    assert len(clean_file_name("a" * 500 + ".pdf", "pdf")) <= 100


def test_a_refused_upload_saves_nothing(cohort, facilitator, settings):
    settings.MAX_UPLOAD_SIZE = 10
    with pytest.raises(UploadRefused):
        services.draft_record(enrolment=enrol(cohort), upload=upload(), by=facilitator)
    assert not PortfolioDraft.objects.exists()
