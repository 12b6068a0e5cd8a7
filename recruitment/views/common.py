"""What recruitment's pages share: roles, the quick moves of the board,
and the board's context (the board view and the move view both render it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse

from peerprog.core.access import can_read_sensitive
from peerprog.core.models import Role
from recruitment import list_rows, selectors
from recruitment.models import Application, Cohort

LEAD = Role.PROGRAMME_LEAD
READERS = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
PAGE_SIZE = 50
Stage = Application.Stage

# The quick moves a board card offers; other moves need more (a reason, a
# later cohort, a note) and are made on the move page.
QUICK_MOVES = {
    Stage.RECEIVED: [(Stage.SHORTLISTED, "Shortlist")],
    Stage.SHORTLISTED: [(Stage.INVITED, "Invite"), (Stage.OFFERED, "Offer a place")],
    Stage.INVITED: [(Stage.OFFERED, "Offer a place")],
    Stage.OFFERED: [(Stage.ACCEPTED, "Accepted")],
}


def is_lead(request: HttpRequest) -> bool:
    return request.user.has_role(LEAD)


def board_context(request: HttpRequest, cohort: Cohort, error: str = "") -> dict[str, Any]:
    columns = selectors.board(user=request.user, cohort=cohort)
    can_move = is_lead(request) and cohort.status != Cohort.Status.CLOSED
    board_url = reverse("recruitment:board", args=[cohort.pk])
    sensitive = can_read_sensitive(request.user)
    csrf_token = get_token(request)
    for column in columns:
        column.quick_moves = QUICK_MOVES.get(column.stage, [])
        column.cards_html = list_rows.board_cards(
            column.cards,
            quick_moves=column.quick_moves if can_move else [],
            can_read_sensitive=sensitive,
            board_url=board_url,
            csrf_token=csrf_token,
        )
    return {
        "cohort": cohort,
        "columns": columns,
        "can_move": can_move,
        "board_url": board_url,
        "can_read_sensitive": sensitive,
        "column_limit": selectors.BOARD_COLUMN_LIMIT,
        "error": error,
    }
