"""The dashboard's writes: only its stored figures."""

from __future__ import annotations

from peerprog.dashboard.services.figures import dashboard_figures_refresh

__all__ = ["dashboard_figures_refresh"]
