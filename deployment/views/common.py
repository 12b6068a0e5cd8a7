"""What deployment's views share: who may do what, and the form page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deployment.selectors import OUTCOME_RECORDERS, READERS, WRITERS

__all__ = ["OUTCOME_RECORDERS", "PAGE_SIZE", "READERS", "WRITERS", "form_page"]

PAGE_SIZE = 50


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back_url: str,
    intro: str = "",
    sensitive: bool = False,
    extra: dict[str, Any] | None = None,
    template: str = "deployment/form_page.html",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "back_url": back_url,
        "intro": intro,
        "sensitive": sensitive,
        **(extra or {}),
    }
    return render(request, template, context)
