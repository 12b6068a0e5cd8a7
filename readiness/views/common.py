"""What readiness's views share: the form page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back_url: str,
    intro: str = "",
    extra: dict[str, Any] | None = None,
    template: str = "readiness/form_page.html",
) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back_url, "intro": intro, **(extra or {})}
    return render(request, template, context)
