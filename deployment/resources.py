"""Loading the establishment in bulk, for the kernel's preview-and-confirm
import flow (``peerprog.core.import_bulk``).

Each row is one post. A row is matched to a post on the establishment by
its position number, so loading the same file again updates the same posts
and never duplicates them; a position number twice in one file is an error.
A converted original is kept as it was and cannot be changed by a file. The
status column applies to new posts only: an existing post's status changes
through its own page (freeze, convert, appoint), where the rules live.

Rows are checked a batch at a time: the posts a batch names are fetched in
one query (the programme's services once per file), every row is checked in
memory, and a confirmed batch is written with ``bulk_create`` and
``bulk_update``, its history rows in bulk too. Nothing is e-mailed or queued.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import widgets

from deployment.models import Post
from deployment.models.posts import Band, PostRole
from peerprog.core.import_bulk import Row, plain
from peerprog.core.import_cells import (
    ChoiceWidget,
    TextWidget,
    canonical,
)
from peerprog.core.import_writes import bulk_update, history_copy
from peerprog.core.imports import (
    NEW,
    UNCHANGED,
    UPDATE,
    Column,
    Importer,
    register,
)
from peerprog.core.models import Service, User

COLUMNS: dict[str, str] = {
    "position_number": "Position number",
    "job_title": "Job title",
    "service": "Service",
    "role": "Role",
    "band": "Band",
    "wte": "WTE",
    "status": "Status",
}
ALIASES = {
    "position": "position_number",
    "position no": "position_number",
    "position no.": "position_number",
    "post number": "position_number",
    "title": "job_title",
    "team": "service",
    "ward": "service",
    "service or team": "service",
    "afc band": "band",
    "agenda for change band": "band",
    "hours": "wte",
    "hours (wte)": "wte",
    "whole time equivalent": "wte",
    "fte": "wte",
}
POST_FIELDS = ("position_number", "job_title", "service", "role", "band", "wte")
POST_ATTNAMES = tuple("service_id" if name == "service" else name for name in POST_FIELDS)
IMPORT_STATUSES = [
    (value, label) for value, label in Post.Status.choices if value != Post.Status.CONVERTED
]
ROLE_CHOICES = [
    *PostRole.choices,
    (PostRole.HCA.value, "HCA"),
    (PostRole.LXP.value, "LXP"),
    (PostRole.LXP.value, "Peer worker"),
    (PostRole.LXP.value, "Lived Experience Practitioner"),
]
BAND_CHOICES = [*Band.choices, *((value, f"AfC {value}") for value, _ in Band.choices)]


class WteWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a number. Write hours as WTE, like 0.6.") from None
        if not Decimal("0") < number <= Decimal("1"):
            raise ValueError("Hours (WTE) must be more than 0 and at most 1, like 0.6.")
        return number.quantize(Decimal("0.01"))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class ServiceWidget(widgets.Widget):
    """A service of the programme, by its name ignoring case."""

    def __init__(self, services_by_name: dict[str, Service]) -> None:
        super().__init__()
        self.services_by_name = services_by_name

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Service | None:
        text = " ".join(str(value or "").split())
        if not text:
            return None
        service = self.services_by_name.get(text.lower())
        if service is None:
            raise ValueError(
                f"There is no service called “{text}” in the programme. Add it on the "
                "programme page first, or correct the name."
            )
        return service

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class EstablishmentPlan:
    """Posts of the user's programme, a batch of rows at a time."""

    def __init__(self, *, user: User, **kwargs: Any) -> None:
        self.user = user
        self.programme = user.programme
        self.now = timezone.now()
        services_by_name = {
            service.name.lower(): service
            for service in Service.objects.filter(programme_id=user.programme_id)
        }
        self.widgets: dict[str, widgets.Widget] = {
            "position_number": TextWidget(40),
            "job_title": TextWidget(200),
            "service": ServiceWidget(services_by_name),
            "role": ChoiceWidget(ROLE_CHOICES, "role"),
            "band": ChoiceWidget(BAND_CHOICES, "band"),
            "wte": WteWidget(),
            "status": ChoiceWidget(IMPORT_STATUSES, "status"),
        }
        self._seen: dict[str, int] = {}

    def start(self, headers: list[str]) -> list[str]:
        self._seen = {}
        headers = [canonical(header, columns=COLUMNS, aliases=ALIASES) for header in headers]
        missing = [COLUMNS[name] for name in POST_FIELDS if COLUMNS[name] not in headers]
        if missing:
            raise ValueError(
                "The file has no column called "
                + ", ".join(f"“{name}”" for name in missing)
                + ". The first row must hold the column names."
            )
        return headers

    def _clean(self, row: Row) -> tuple[dict[str, Any], set[str]]:
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for attribute, widget in self.widgets.items():
            column = COLUMNS[attribute]
            try:
                values[attribute] = widget.clean(row.data[column]) if column in row.data else None
            except ValueError as error:
                values[attribute] = None
                bad.add(attribute)
                row.error(column, plain(error))
        return values, bad

    def check(self, rows: list[Row], *, lock: bool) -> None:
        cleaned = [(row, *self._clean(row)) for row in rows]
        numbers = {
            values["position_number"] for _, values, _ in cleaned if values["position_number"]
        }
        posts = Post.objects.filter(programme=self.programme, position_number__in=numbers).exclude(
            status=Post.Status.CONVERTED
        )
        if lock:
            posts = posts.select_for_update()
        by_number = {post.position_number: post for post in posts}
        for row, values, bad in cleaned:
            self._check_row(row, values, bad, by_number.get(values["position_number"]))

    def _check_row(
        self, row: Row, values: dict[str, Any], bad: set[str], post: Post | None
    ) -> None:
        number = values["position_number"]
        if number and number in self._seen:
            row.error(
                COLUMNS["position_number"],
                f"Position number {number} is also on row {self._seen[number]}. "
                "Keep one row per post.",
            )
        elif number:
            self._seen[number] = row.number
        new = post is None
        if post is None:
            post = Post(
                programme=self.programme,
                status=values["status"] or Post.Status.VACANT,
                created_at=self.now,
            )
        elif values["status"] is not None and values["status"] != post.status:
            row.error(
                COLUMNS["status"],
                f"Post {number} is {post.get_status_display().lower()} on record. "
                "Change an existing post's status on its own page, not from a file.",
            )
        before = {name: getattr(post, name) for name in POST_ATTNAMES}
        missing = [n for n in POST_FIELDS if values[n] in (None, "") and n not in bad]
        for name in missing:
            row.error(COLUMNS[name], "This must be filled in.")
        for name in POST_FIELDS:
            if values[name] is not None:
                setattr(post, name, values[name])
        try:
            post.full_clean(
                exclude=["programme", "service", "converted_from", *bad, *missing],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            row.errors_from(error, columns=COLUMNS)
        changed = any(getattr(post, name) != before[name] for name in POST_ATTNAMES)
        if new:
            row.action, row.match = NEW, ""
        else:
            row.action = UPDATE if changed else UNCHANGED
            row.match = f"post {post.pk}"
        row.payload = (post, new, changed and not new)

    def write(self, rows: list[Row]) -> None:
        history = {"by": self.user, "at": self.now}
        new = [post for post, is_new, _ in (row.payload for row in rows) if is_new]
        changed = [post for post, _, is_changed in (row.payload for row in rows) if is_changed]
        if new:
            Post.objects.bulk_create(new)
            history_copy(Post, [post.pk for post in new], created=True, **history)
        if changed:
            bulk_update(Post, changed, POST_FIELDS)
            history_copy(Post, [post.pk for post in changed], created=False, **history)


IMPORTER = Importer(
    key="deployment.establishment",
    label="Posts",
    plan=EstablishmentPlan,
    columns=(
        Column(
            "Position number",
            "The post's number on the establishment. A post already on record with this "
            "number is updated.",
            required=True,
        ),
        Column("Job title", "For example Health Care Assistant.", required=True),
        Column("Service", "The service or team, named as on the programme page.", required=True),
        Column(
            "Role",
            "Health Care Assistant (or HCA), Peer worker (or LXP), Lead LXP, or Other.",
            required=True,
        ),
        Column("Band", "The Agenda for Change band: 2 to 9, or 8a to 8d.", required=True),
        Column("WTE", "Hours as whole-time equivalent, like 0.6 or 1.", required=True),
        Column(
            "Status",
            "For new posts: vacant (the default), filled or frozen. Existing posts keep theirs.",
        ),
    ),
    preview_columns=("Position number", "Job title", "Service", "Role", "Band", "WTE", "Status"),
)


def register_importer() -> None:
    register(IMPORTER)
