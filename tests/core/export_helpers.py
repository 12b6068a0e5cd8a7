"""Downloading an export as a user would, and reading it back."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from peerprog.core.models import User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def download(user: User, url_name: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
    """The rows of the file (header first), CSV or XLSX as ``params`` ask."""
    params = params or {}
    response = signed_in(user).get(reverse(url_name), params)
    assert response.status_code == 200, response.status_code
    content = body(response)
    if params.get("format") == "xlsx":
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def column(rows: list[list[Any]], header: str) -> list[Any]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def queries_of_export(user: User, url_name: str, params: dict[str, Any] | None = None) -> int:
    client = signed_in(user)
    body(client.get(reverse(url_name), params or {}))  # the session and roles, once
    with CaptureQueriesContext(connection) as captured:
        body(client.get(reverse(url_name), params or {}))
    return len(captured.captured_queries)
