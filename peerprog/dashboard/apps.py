from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "peerprog.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard and demo data"
