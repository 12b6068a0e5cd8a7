"""The audit trail page and each person's history tab."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerprog.core import selectors
from peerprog.core.access import require_role, role_required
from peerprog.core.audit_trail import AuditFilter, audit_page
from peerprog.core.models import Role

PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail of the programme of an admin or a data protection
    officer (system administrators see every programme), filtered by
    person, kind of record, who made the change and dates.
    Special-category values are never shown."""
    user = request.user
    if not user.is_system_admin:
        require_role(user, Role.ADMIN, Role.DATA_PROTECTION)
    programme_id = user.programme_id if user.programme_id else None
    filters = AuditFilter(request.GET or None, programme_id=programme_id)
    page = audit_page(
        programme_id=programme_id, filters=filters, number=_page_number(request), size=PAGE_SIZE
    )
    return render(request, "core/audit_log.html", {"page": page, "filter": filters})


@role_required(Role.PROGRAMME_LEAD, Role.HR)
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The history tab of a person's page: the audit entries of the records
    about them, newest first."""
    person = selectors.person_detail(user=request.user, pk=pk)
    page = audit_page(
        programme_id=person.programme_id,
        person_id=person.pk,
        number=_page_number(request),
        size=PAGE_SIZE,
    )
    return render(request, "core/person_history.html", {"person": person, "page": page})
