"""What deployment's views share: who may do what."""

from __future__ import annotations

from deployment.selectors import OUTCOME_RECORDERS, READERS, WRITERS

__all__ = ["OUTCOME_RECORDERS", "PAGE_SIZE", "READERS", "WRITERS"]

PAGE_SIZE = 50
