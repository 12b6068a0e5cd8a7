"""Deployment's export URLs: each is the kernel's export of one list
(``deployment.exports``), which checks the role and records the export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from deployment import exports
from peerprog.core.exports import serve


def posts_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.POSTS)


def appointments_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.APPOINTMENTS)


def absences_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.ABSENCES)


def reserve_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.RESERVE)


def snapshots_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.SNAPSHOTS)
