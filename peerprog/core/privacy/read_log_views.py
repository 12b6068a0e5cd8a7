"""The officer's search of the read log and its export."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.utils import timezone

from peerprog.core import exports
from peerprog.core.access import role_required
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Role, User
from peerprog.core.privacy.read_log_filters import ReadLogFilter
from peerprog.core.privacy.read_log_selectors import read_log_for_officer

PAGE_SIZE = 50
READ_LOG_EXPORT = "core.read-log"


def _filtered(user: User, params: QueryDict | None) -> ReadLogFilter:
    return ReadLogFilter(
        params or None, queryset=read_log_for_officer(user=user), programme_id=user.programme_id
    )


@role_required(Role.DATA_PROTECTION)
def read_log(request: HttpRequest) -> HttpResponse:
    """Who read which special-category facts, searched by person, reader,
    kind and dates, fifty a page: never what was read."""
    filters = _filtered(request.user, request.GET)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/privacy/read_log.html",
        {"filter": filters, "page": page, "query": query.urlencode()},
    )


@role_required(Role.DATA_PROTECTION)
def read_log_export(request: HttpRequest) -> HttpResponseBase:
    """The read log as CSV (or XLSX), with the page's filters."""
    return exports.serve(request, READ_LOG_EXPORT)


def _rows(user: User, params: QueryDict) -> Any:
    return _filtered(user, params).qs


def _describe(user: User, params: QueryDict) -> list[tuple[str, str]]:
    return exports.describe_filterset(_filtered(user, params))


def register_export() -> None:
    exports.register(
        ExportSpec(
            key=READ_LOG_EXPORT,
            title="Read log",
            roles=(Role.DATA_PROTECTION,),
            columns=[
                Column("When", lambda r: timezone.localtime(r.read_at).strftime("%Y-%m-%d %H:%M")),
                Column("Read by", lambda r: r.reader.full_name),
                Column("Reader's e-mail", lambda r: r.reader.email),
                Column("Whose record", lambda r: r.person.display_name if r.person else ""),
                Column("Kind of fact", lambda r: r.get_kind_display()),
                Column("How", lambda r: r.get_purpose_display()),
                Column("Page", lambda r: r.page),
                Column("Export and filters", lambda r: r.detail),
            ],
            rows=_rows,
            describe=_describe,
            url_name="core:read-log-export",
        )
    )
