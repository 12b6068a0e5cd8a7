"""What deployment's views share: who may do what."""

from __future__ import annotations

from deployment.selectors import OUTCOME_RECORDERS, READERS, WRITERS

# The kernel's form page, named here only for the readiness and survey views
# that still import it from this module.
from peerprog.core.pages import form_page

__all__ = ["OUTCOME_RECORDERS", "PAGE_SIZE", "READERS", "WRITERS", "form_page"]

PAGE_SIZE = 50
