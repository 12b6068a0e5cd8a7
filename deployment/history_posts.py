"""The Posts sheet of a programme's history workbook: the establishment,
one row per post, with the conversions of vacant posts into peer worker
posts and the posts' adverts.

A converted post comes out as a real conversion leaves it: the original
keeps its role, band and hours and is marked converted, and the peer
worker post it became is a post of its own with the same position number
(unless it was renumbered). So a conversion is two rows: the original's,
with the day it was converted and the number of the post it became, and,
below it, the new post's, whose role, band and hours are what it was
converted to. Loading the new post's row converts the original through
``post_convert`` on that day.

A peer worker post that someone holds is filled by their appointment
(the Appointments sheet, or an appoint decision on the Recruitment days
sheet): until then it is vacant.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from deployment import services
from deployment.history import posts_in_scope
from deployment.models import Post, PostConversion, Vacancy
from deployment.models.posts import PEER_ROLES
from deployment.resources import BAND_CHOICES, ROLE_CHOICES
from peerprog.core.import_reading import ImportRefused
from peerprog.core.models import Service
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow

PENDING = "deployment.conversion_pending"
DEFAULT_REASON = "Recorded from the programme's history workbook."

FIELDS = (
    Field(
        "position_number",
        "Position number",
        "The post's number on the establishment. A converted post and the post it became "
        "may share it.",
        required=True,
        example="4101",
    ),
    Field(
        "job_title",
        "Job title",
        "For example Health Care Assistant.",
        required=True,
        example="Health Care Assistant",
    ),
    Field(
        "service",
        "Service",
        "The service or team, named as on the programme page.",
        required=True,
        example="Willow Ward",
    ),
    Field(
        "role",
        "Role",
        "Health Care Assistant (or HCA), Peer worker (or LXP), Lead LXP, or Other.",
        required=True,
        example="Health Care Assistant",
    ),
    Field(
        "band",
        "Band",
        "The Agenda for Change band: 2 to 9, or 8a to 8d.",
        required=True,
        example="Band 3",
    ),
    Field(
        "wte", "WTE", "Hours as whole-time equivalent, like 0.6 or 1.", required=True, example="1"
    ),
    Field(
        "status",
        "Status",
        "Vacant (the default), Filled, Frozen or Converted. A peer worker post someone holds "
        "is filled by their appointment.",
        example="Vacant",
    ),
    Field(
        "converted_on",
        "Converted on",
        "For a converted post: the day it was converted.",
    ),
    Field(
        "converted_to",
        "Converted to",
        "For a converted post: the position number of the peer worker post it became (its "
        "own number unless renumbered). That post's row comes below this one.",
    ),
    Field(
        "conversion_reason",
        "Reason for conversion",
        "For a converted post: why.",
    ),
    Field(
        "advert_reference",
        "Advert reference",
        "The reference of the post's advert on the job site, if it was advertised.",
    ),
    Field("advert_opens_on", "Advert opens on", "The day the advert opened."),
    Field("advert_closes_on", "Advert closes on", "The advert's closing date."),
)

POST_VALUES = ("job_title", "service", "role", "band", "wte")
STATUS_CHOICES = Post.Status.choices


def _service(book: Book, row: SheetRow) -> Service | None:
    name = row.text("service", required=True)
    if not name:
        return None
    services_by_name = book.lookup(
        "service_names",
        "all",
        lambda: {s.name.lower(): s for s in Service.objects.filter(programme=book.programme)},
    )
    service = services_by_name.get(name.lower())
    if service is None:
        row.error(
            "Service",
            f"There is no service called “{name}” in the programme. Add it on the programme "
            "page first, or correct the name.",
        )
    return service


def _wte(row: SheetRow) -> Decimal | None:
    # ``row.number`` is the row's number (an attribute of the kernel's row
    # that hides the cell reader of the same name), so the reader is called
    # through the class.
    number = row.decimal("wte", required=True)
    if number is None:
        return None
    if not Decimal("0") < number <= Decimal("1"):
        row.error("WTE", "Hours (WTE) must be more than 0 and at most 1, like 0.6.")
        return None
    return number.quantize(Decimal("0.01"))


def load(book: Book, row: SheetRow) -> None:
    number = row.text("position_number", required=True, max_length=40)
    values: dict[str, Any] = {
        "job_title": row.text("job_title", required=True, max_length=200),
        "service": _service(book, row),
        "role": row.choice("role", ROLE_CHOICES, required=True),
        "band": row.choice("band", BAND_CHOICES, required=True),
        "wte": _wte(row),
    }
    status = row.choice("status", STATUS_CHOICES) or Post.Status.VACANT
    converted_on = row.date("converted_on")
    converted_to = row.text("converted_to", max_length=40)
    reason = row.long_text("conversion_reason")
    if status == Post.Status.CONVERTED and converted_on is None:
        row.error("Converted on", "Give the day the post was converted.")
    if status != Post.Status.CONVERTED and (converted_on or converted_to):
        row.error("Status", "Only a converted post has a conversion day and a post it became.")
    if row.errors:
        return
    if status == Post.Status.CONVERTED:
        _load_original(book, row, number, values, converted_on, converted_to or number, reason)
        return
    post = _load_post(book, row, number, values, status)
    if post is not None and not row.errors:
        _load_advert(book, row, post)


def _differs(post: Post, values: dict[str, Any]) -> list[str]:
    return [name for name in POST_VALUES if getattr(post, name) != values[name]]


def _load_original(
    book: Book,
    row: SheetRow,
    number: str,
    values: dict[str, Any],
    converted_on: Any,
    converted_to: str,
    reason: str,
) -> None:
    """A converted original: unchanged when on record as it was, else made
    (or found vacant) and left for the row of the post it became."""
    book.dated(converted_on)
    conversion = (
        PostConversion.objects.filter(
            programme=book.programme,
            original__position_number__iexact=number,
            undone_at__isnull=True,
        )
        .select_related("original", "new_post")
        .first()
    )
    if conversion is not None:
        original = conversion.original
        row.match = str(original.pk)
        on_record = timezone.localdate(conversion.converted_at)
        if _differs(original, values):
            row.error(
                "Job title",
                f"Post {number} was converted and is kept on record as it was; its details "
                "cannot be changed.",
            )
        elif on_record != converted_on:
            row.error(
                "Converted on",
                f"Post {number} was converted on {on_record:%-d %B %Y} on record; a "
                "conversion's day cannot be changed from a file.",
            )
        row.action = UNCHANGED
        return
    post = (
        Post.objects.filter(programme=book.programme, position_number__iexact=number)
        .exclude(status=Post.Status.CONVERTED)
        .first()
    )
    if post is not None and (post.converted_from_id or post.role != values["role"]):
        row.error(
            "Position number",
            f"Post {number} is already on the establishment as a "
            f"{post.get_role_display()} post. Put this converted post's row above the row of "
            "the post it became.",
        )
        return
    if post is None:
        post = services.post_create(
            programme=book.programme, by=book.by, position_number=number, **values
        )
        row.action = NEW
    else:
        if _differs(post, values):
            post = services.post_update(post=post, by=book.by, **values)
        row.action = UPDATE
    row.match = str(post.pk)
    pending = book.lookup(PENDING, "all", dict)
    pending[converted_to.lower()] = (post, converted_on, reason or DEFAULT_REASON, row.number)


def _load_post(
    book: Book, row: SheetRow, number: str, values: dict[str, Any], status: str
) -> Post | None:
    pending = book.lookup(PENDING, "all", dict)
    waiting = pending.pop(number.lower(), None)
    if waiting is not None:
        return _convert(book, row, number, values, status, waiting)
    post = (
        Post.objects.filter(programme=book.programme, position_number__iexact=number)
        .exclude(status=Post.Status.CONVERTED)
        .first()
    )
    peer = values["role"] in PEER_ROLES
    if post is None:
        # A peer worker post is filled by its appointment; other posts
        # (held by staff outside the programme) keep the status given.
        made = Post.Status.VACANT if peer and status == Post.Status.FILLED else status
        post = services.post_create(
            programme=book.programme, by=book.by, status=made, position_number=number, **values
        )
        row.action, row.match = NEW, str(post.pk)
        return post
    row.match = str(post.pk)
    row.action = UNCHANGED
    if _differs(post, values):
        post = services.post_update(post=post, by=book.by, **values)
        row.action = UPDATE
    if status != post.status:
        _move(book, row, post, status)
    return post


def _move(book: Book, row: SheetRow, post: Post, status: str) -> None:
    if post.status == Post.Status.VACANT and status == Post.Status.FROZEN:
        services.post_freeze(post=post, by=book.by)
    elif post.status == Post.Status.FROZEN and status == Post.Status.VACANT:
        services.post_unfreeze(post=post, by=book.by)
    elif post.is_peer_post and status == Post.Status.FILLED and post.status == Post.Status.VACANT:
        # Filled by the appointment the workbook brings.
        return
    else:
        row.error(
            "Status",
            f"Post {post.position_number} is {post.get_status_display().lower()} on record. "
            "Change an existing post's status on its own page, not from a file.",
        )
        return
    row.action = UPDATE


def _convert(
    book: Book,
    row: SheetRow,
    number: str,
    values: dict[str, Any],
    status: str,
    waiting: tuple[Post, Any, str, int],
) -> Post | None:
    original, converted_on, reason, _ = waiting
    if values["service"] != original.service:
        row.error("Service", "A converted post stays in the service of the post it came from.")
        return None
    taken = (
        Post.objects.filter(programme=book.programme, position_number__iexact=number)
        .exclude(pk=original.pk)
        .exclude(status=Post.Status.CONVERTED)
        .exists()
    )
    if taken:
        row.error("Position number", f"Another post already has the number {number}.")
        return None
    conversion = services.post_convert(
        post=original,
        to_role=values["role"],
        to_band=values["band"],
        to_wte=values["wte"],
        to_job_title=values["job_title"],
        reason=reason,
        by=book.by,
        on=converted_on,
    )
    post = conversion.new_post
    if post.position_number != number:
        post = services.post_update(post=post, by=book.by, position_number=number)
    if status == Post.Status.FROZEN:
        services.post_freeze(post=post, by=book.by)
    row.action, row.match = NEW, str(post.pk)
    return post


def _load_advert(book: Book, row: SheetRow, post: Post) -> None:
    reference = row.text("advert_reference", max_length=100)
    opens = row.date("advert_opens_on")
    closes = row.date("advert_closes_on")
    if row.errors or not (reference or opens or closes):
        return
    if opens is None or closes is None:
        row.error(
            "Advert opens on" if opens is None else "Advert closes on",
            "An advert needs the day it opened and its closing date.",
        )
        return
    reference = reference or post.position_number
    book.dated(opens)
    vacancy = Vacancy.objects.filter(post=post, advert_reference__iexact=reference).first()
    if vacancy is not None:
        if (vacancy.opened_on, vacancy.closing_date) != (opens, closes):
            row.error(
                "Advert opens on",
                f"Advert {reference} is on record from {vacancy.opened_on:%-d %B %Y} to "
                f"{vacancy.closing_date:%-d %B %Y}; an advert's dates cannot be changed from "
                "a file.",
            )
        return
    services.vacancy_create(
        post=post, advert_reference=reference, closing_date=closes, opened_on=opens, by=book.by
    )
    if row.action == UNCHANGED:
        row.action = UPDATE


def conversions_left_pending(book: Book) -> None:
    """Refuse a workbook whose converted post has no row for the post it
    became: it would be left vacant instead of converted."""
    pending = book.lookup(PENDING, "all", dict)
    if pending:
        post, _, _, number = next(iter(pending.values()))
        raise ImportRefused(
            f"Nothing was imported: post {post.position_number} (Posts sheet, row {number}) "
            "is marked converted, but no row below it gives the post it became. Add that "
            "post's row, with the role, band and hours it was converted to."
        )


def dump(book: Book) -> Iterator[dict[str, Any]]:
    posts = (
        posts_in_scope(book)
        .select_related("service")
        .annotate(
            original_first=Case(
                When(status=Post.Status.CONVERTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("position_number", "original_first", "pk")
    )
    conversions = {
        c.original_id: c
        for c in PostConversion.objects.filter(
            programme=book.programme, undone_at__isnull=True
        ).select_related("new_post")
    }
    adverts: dict[int, Vacancy] = {}
    for vacancy in Vacancy.objects.filter(programme=book.programme).order_by("opened_on", "pk"):
        adverts[vacancy.post_id] = vacancy
    for post in posts:
        values: dict[str, Any] = {
            "position_number": post.position_number,
            "job_title": post.job_title,
            "service": post.service.name,
            "role": post.get_role_display(),
            "band": post.get_band_display(),
            "wte": post.wte,
            "status": post.get_status_display(),
        }
        conversion = conversions.get(post.pk)
        if post.status == Post.Status.CONVERTED and conversion is not None:
            values["converted_on"] = timezone.localdate(conversion.converted_at)
            if conversion.new_post is not None:
                values["converted_to"] = conversion.new_post.position_number
            values["conversion_reason"] = conversion.reason
        advert = adverts.get(post.pk)
        if advert is not None:
            values["advert_reference"] = advert.advert_reference
            values["advert_opens_on"] = advert.opened_on
            values["advert_closes_on"] = advert.closing_date
        yield values


SHEET = Sheet(
    key="posts",
    title="Posts",
    order=50,
    fields=FIELDS,
    load=load,
    dump=dump,
    help="One row per post. A converted post's row is followed by the row of the peer "
    "worker post it became.",
    shown=("position_number", "job_title", "status"),
)
