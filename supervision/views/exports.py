"""Supervision's export URLs: each is the kernel's export of one list
(``supervision.exports``), which checks the role and records the export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from peerprog.core.exports import serve
from supervision import exports


def mentors_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.MENTORS)


def meetings_export(request: HttpRequest) -> HttpResponseBase:
    """Mentor meetings of the programme, or one cohort's (``?cohort=``)."""
    return serve(request, exports.MEETINGS)
