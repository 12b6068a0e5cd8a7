"""Loading the establishment in bulk (django-import-export), for the
kernel's preview-and-confirm import flow (``peerprog.core.imports``).

Each row is one post. A row is matched to a post on the establishment by
its position number, so loading the same file again updates the same posts
and never duplicates them; a position number twice in one file is an error.
A converted original is kept as it was and cannot be changed by a file. The
status column applies to new posts only: an existing post's status changes
through its own page (freeze, convert, appoint), where the rules live.

The hooks write nothing outside the database, because the preview runs them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, instance_loaders, resources, widgets

from deployment import services
from deployment.models import Post
from deployment.models.posts import Band, PostRole
from peerprog.core.import_cells import (
    ChoiceWidget,
    TextWidget,
    canonical,
)
from peerprog.core.imports import (
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


class PostRow:
    """One row of the file: the values it gives, and the post it matches."""

    def __init__(self) -> None:
        for name in (*POST_FIELDS, "status"):
            setattr(self, name, None)
        self.post: Post | None = None
        self.pk: int | None = None

    def __str__(self) -> str:
        return str(getattr(self, "position_number", "") or "")

    def __deepcopy__(self, memo: dict[int, Any]) -> PostRow:
        copy = PostRow()
        copy.__dict__.update(self.__dict__)
        return copy


def _field(attribute: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=COLUMNS[attribute], widget=widget, saves_null_values=False
    )


class EstablishmentResource(resources.Resource):
    position_number = _field("position_number", TextWidget(40))
    job_title = _field("job_title", TextWidget(200))
    service = _field("service", ServiceWidget({}))
    role = _field("role", ChoiceWidget(ROLE_CHOICES, "role"))
    band = _field("band", ChoiceWidget(BAND_CHOICES, "band"))
    wte = _field("wte", WteWidget())
    status = _field("status", ChoiceWidget(IMPORT_STATUSES, "status"))

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True
        clean_model_instances = False
        instance_loader_class = instance_loaders.BaseInstanceLoader

    def __init__(self, *, user: User, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.programme = user.programme
        services_by_name = {
            service.name.lower(): service
            for service in Service.objects.filter(programme_id=user.programme_id)
        }
        # Each resource gets its own widget, holding this programme's services.
        self.fields["service"] = _field("service", ServiceWidget(services_by_name))
        self._seen: dict[str, int] = {}

    def get_export_order(self) -> tuple[str, ...]:
        return (*POST_FIELDS, "status")

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self._seen = {}
        dataset.headers = [
            canonical(header, columns=COLUMNS, aliases=ALIASES) for header in dataset.headers or []
        ]
        missing = [
            COLUMNS[name]
            for name in ("position_number", "job_title", "service", "role", "band", "wte")
            if COLUMNS[name] not in dataset.headers
        ]
        if missing:
            raise ValueError(
                "The file has no column called "
                + ", ".join(f"“{name}”" for name in missing)
                + ". The first row must hold the column names."
            )

    def _position(self, row: dict[str, Any]) -> str:
        try:
            return self.fields["position_number"].clean(row) or ""
        except ValueError:
            return ""

    def get_or_init_instance(self, instance_loader: Any, row: dict[str, Any]) -> tuple[Any, bool]:
        instance = PostRow()
        number = self._position(row)
        post = (
            Post.objects.filter(programme=self.programme, position_number=number)
            .exclude(status=Post.Status.CONVERTED)
            .select_related("service")
            .first()
            if number
            else None
        )
        if post is None:
            return instance, True
        instance.post = post
        instance.pk = post.pk
        for name in (*POST_FIELDS, "status"):
            setattr(instance, name, getattr(post, name))
        return instance, False

    def import_instance(self, instance: PostRow, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        status_before = instance.status
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        number = self._position(row)
        row_number = kwargs.get("row_number", 0) + 1
        if number and number in self._seen:
            errors.setdefault("position_number", []).append(
                ValidationError(
                    f"Position number {number} is also on row {self._seen[number]}. "
                    "Keep one row per post."
                )
            )
        elif number:
            self._seen[number] = row_number
        if instance.post is not None and instance.status != status_before:
            errors.setdefault("status", []).append(
                ValidationError(
                    f"Post {number} is {instance.post.get_status_display().lower()} on record. "
                    "Change an existing post's status on its own page, not from a file."
                )
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self,
        instance: PostRow,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors: dict[str, list[str]] = {}
        for attribute, problems in (import_validation_errors or {}).items():
            errors.setdefault(attribute, []).extend(
                message for problem in problems for message in ValidationError(problem).messages
            )
        post = Post(programme=self.programme, status=instance.status or Post.Status.VACANT)
        for name in POST_FIELDS:
            setattr(post, name, getattr(instance, name))
        missing = [name for name in POST_FIELDS if getattr(instance, name) in (None, "")]
        for name in missing:
            errors.setdefault(name, []).append("This must be filled in.")
        try:
            post.full_clean(exclude=[*errors, "programme"], validate_unique=False)
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                errors.setdefault(attribute, []).extend(messages)
        if errors:
            raise ValidationError(
                {
                    COLUMNS.get(attribute, "" if attribute == "__all__" else attribute): messages
                    for attribute, messages in errors.items()
                }
            )

    def save_instance(
        self, instance: PostRow, is_create: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        values = {name: getattr(instance, name) for name in POST_FIELDS}
        if instance.post is None:
            post = services.post_create(
                programme=self.programme,
                by=self.user,
                status=instance.status or Post.Status.VACANT,
                **values,
            )
        else:
            post = services.post_update(post=instance.post, by=self.user, **values)
        instance.post = post
        instance.pk = post.pk

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """Nothing to do after the rows: no e-mails, no tasks."""


IMPORTER = Importer(
    key="deployment.establishment",
    label="Posts",
    resource=EstablishmentResource,
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
