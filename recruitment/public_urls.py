"""The public application pages, under /apply/ (no sign-in)."""

from __future__ import annotations

from django.urls import path

from recruitment.views import apply

app_name = "apply"

urlpatterns = [
    path("<slug:slug>/", apply.apply_index, name="index"),
    path("<slug:slug>/<int:pk>/", apply.apply_form, name="form"),
    path("<slug:slug>/<int:pk>/sent/", apply.apply_sent, name="sent"),
    path("<slug:slug>/<int:pk>/questions/", apply.apply_equality, name="equality"),
]
