"""Issued letters as PDF documents, made with WeasyPrint on request.

The PDF is made from what was issued (the stored subject and body, which
only ever hold the kind's placeholders: names, dates, the programme), the
sending organisation's name and postal address, and the person's postal
address. It is never stored: each download makes it again, so no copy is
left in file storage.

WeasyPrint fetches what a document links to (stylesheets, images, fonts).
Our fetcher fetches the project's own static files and refuses everything
else, so a letter can never make the server reach another address or read
a local file, whatever its wording says.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from peerprog.core import letters
from peerprog.core.export_records import ExportRecord
from peerprog.core.models import Letter, User

# The made-up address letters are rendered at; only this host's static
# files are fetched.
BASE_URL = "https://letters.peerprog.invalid/"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class RefusedFetch(ValueError):
    """A letter linked to something that is not one of our static files."""


def static_file(url: str) -> Path:
    """The static file a URL names, or ``RefusedFetch``."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise RefusedFetch(f"Letters fetch only the site's own static files, not {url}")
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL) or ".." in path.split("/"):
        raise RefusedFetch(f"Letters fetch only the site's own static files, not {url}")
    name = path.removeprefix(settings.STATIC_URL)
    if not name or name.startswith("/") or "\\" in name:
        raise RefusedFetch(f"Letters fetch only the site's own static files, not {url}")
    found = finders.find(name)
    if found is None and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / name
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise RefusedFetch(f"There is no static file {name}")
    return Path(found)


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher, allowed to read our static files and nothing
    else: no other host, no ``file:`` or ``data:`` address."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = static_file(url)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream")},
        )


def letter_html(letter: Letter) -> str:
    organisation = letter.programme.lead_organisation
    return render_to_string(
        "core/letter_pdf.html",
        {
            "letter": letter,
            "organisation": organisation,
            "date": timezone.localtime(letter.created_at).date(),
            "stylesheet": f"{settings.STATIC_URL}css/letter.css",
        },
    )


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a PDF document."""
    document = HTML(string=letter_html(letter), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()


def letter_file_name(letter: Letter) -> str:
    """A download name that says what the letter is without naming anyone."""
    stamp = timezone.localtime(letter.created_at).strftime("%Y-%m-%d")
    return f"letter-{letter.pk}-{stamp}.pdf"


@transaction.atomic
def letter_download_record(*, letter: Letter, by: User) -> ExportRecord:
    """Log a letter's PDF download in the export log, beside the lists:
    who downloaded which letter, and when."""
    kind = letters.get_kind(letter.kind).label if letter.kind in letters.kind_keys() else ""
    record = ExportRecord(
        user=by,
        programme=letter.programme,
        key="letter.pdf",
        title=f"Letter to {letter.person.legal_name}" + (f": {kind}" if kind else ""),
        params={"letter": letter.pk},
        filters="One letter",
        file_format=ExportRecord.Format.PDF,
        rows=1,
    )
    record.full_clean()
    record.save()
    return record
