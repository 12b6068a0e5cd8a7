"""The door to a person's own pages (re-exported from the kernel, where the
scope rules live with the others)."""

from __future__ import annotations

from peerprog.core.access import own_or_404, own_records, person_required

__all__ = ["own_or_404", "own_records", "person_required"]
