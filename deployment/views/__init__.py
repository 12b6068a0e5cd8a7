"""Deployment's pages, one module per screen family."""

from __future__ import annotations

from deployment.views import appointments, posts, recruitment_day

__all__ = ["appointments", "posts", "recruitment_day"]
