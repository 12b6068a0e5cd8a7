"""Every create form is safe to submit twice.

A create form carries a one-time token in a hidden field: a random key,
signed (``django.core.signing``, with a salt of its own) for the person who
was shown the form and for the address the form posts to. Showing a form
writes nothing to the database.

When the form is posted, ``create_view`` inserts the token's key into
``FormToken`` (a unique column) and runs the view, both in one transaction:

* the view saved and redirected: the row keeps the address it redirected to,
  and both commit together;
* the view showed the form again (its errors): everything is rolled back,
  the row too, so the token can be used again once the form is corrected;
* the same token was posted before, or is being posted at this moment: the
  insert waits on the unique index until the first post commits, then
  fails. That post is answered with a redirect to where the first one led,
  and "This was already saved." Nothing is created twice, and no error page
  is shown;
* no token, a changed one, one shown to someone else or for another page,
  or an expired one: nothing is saved. The form is shown again, as it was
  filled in, with a new token and a message saying why.

The token is tied to the signed-in user's id, or for a page open without
signing in (a survey link) to the browser's CSRF cookie, which is already
set for the form; so no session row is written for a visitor just to show
them a form.

``create_view`` also records, for the test that walks every create page,
where to find a sample of valid form data (``sample``, the dotted name of a
function in the tests). The function is only imported by that test.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Hidden
from django import forms
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from peerprog.core.models import FormToken

__all__ = [
    "FIELD",
    "create_view",
    "field_html",
    "form_with_token",
    "is_create_view",
    "sample_of",
    "token_for",
    "tokens_purge",
]

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])

# The hidden field's name.
FIELD = "once_token"
SALT = "peerprog.core.once"
# A token older than this is refused. Rows are kept longer than this
# (KEEP_DAYS), so that no token is ever accepted again after its row is
# purged.
MAX_AGE = timedelta(days=7)
KEEP_DAYS = 30

ALREADY_SAVED = "This was already saved."
REFUSED = (
    "This form could not be checked (it may have been open too long, or been "
    "changed), so nothing was saved. Check the details below and send it again."
)

REFUSED_BUTTON = (
    "This button could not be checked (the page may have been open too long), so "
    "nothing was done. Try it again."
)

# The attribute a create view's request carries, so that the form page
# knows to add the hidden field.
_MARK = "creates_once"


def _holder(request: HttpRequest) -> str | None:
    """Whom a token is for: the signed-in user, or for a visitor the browser
    (by its CSRF cookie). None when a visitor's browser has no CSRF cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    return "browser:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def _salt(holder: str, path: str) -> str:
    return f"{SALT}|{holder}|{path}"


def token_for(request: HttpRequest, path: str | None = None) -> str:
    """A new token for a form that posts to ``path`` (this page's address
    unless given). Writes nothing."""
    if not (getattr(request, "user", None) and request.user.is_authenticated):
        get_token(request)  # a visitor's token is tied to the CSRF cookie
    holder = _holder(request)
    assert holder is not None
    return signing.dumps(secrets.token_urlsafe(24), salt=_salt(holder, path or request.path))


def _key_from(request: HttpRequest) -> str | None:
    """The posted token's key, or None when it is missing, changed, for
    someone else or another page, or expired."""
    value = request.POST.get(FIELD, "")
    holder = _holder(request)
    if not value or holder is None:
        return None
    try:
        key = signing.loads(
            value, salt=_salt(holder, request.path), max_age=MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(key, str) or not key or len(key) > 64:
        return None
    return key


def field_html(request: HttpRequest, path: str | None = None) -> SafeString:
    """The hidden field, for templates that write their own ``<form>``."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FIELD, token_for(request, path)
    )


def is_create_view(request: HttpRequest) -> bool:
    return getattr(request, _MARK, False)


def form_with_token(request: HttpRequest, form: forms.BaseForm) -> forms.BaseForm:
    """On a create view's page, give the form's crispy layout the hidden
    token. The helper is copied first: a helper shared by every instance of
    a form must not collect one token per page shown."""
    if is_create_view(request):
        # Not ``or``: a helper without a layout has no length, so is falsy.
        helper = getattr(form, "helper", None)
        helper = FormHelper() if helper is None else copy.copy(helper)
        helper.inputs = [*helper.inputs, Hidden(FIELD, token_for(request))]
        form.helper = helper  # type: ignore[attr-defined]
    return form


def _already_saved(request: HttpRequest, key: str) -> HttpResponse:
    result = (
        FormToken.objects.filter(key=key).values_list("result_url", flat=True).first()
    ) or request.path
    messages.info(request, ALREADY_SAVED)
    return HttpResponseRedirect(result)


def _refuse(
    request: HttpRequest, view: Callable[..., HttpResponse], *args: Any, **kwargs: Any
) -> HttpResponse:
    """Show the form again, as it was filled in, with a new token: the view
    runs as if the page were opened, with the posted data bound to its form,
    so it shows the data and saves nothing."""
    messages.error(request, REFUSED)
    request.method = "GET"
    return view(request, *args, **kwargs)


def create_view(*, sample: str, refused_to: str = "") -> Callable[[ViewFunc], ViewFunc]:
    """Mark a view that creates a record from a posted form: it is safe to
    submit twice (see the module's docstring).

    ``sample`` is the dotted name of a test function that, given the test
    world, gives a valid post for this page; the test of every create page
    finds it here. ``refused_to`` is for a button, a view with no form of its
    own to show again: the URL name a refused post is sent back to.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            setattr(request, _MARK, True)
            if request.method != "POST":
                return view(request, *args, **kwargs)
            key = _key_from(request)
            if key is None and refused_to:
                messages.error(request, REFUSED_BUTTON)
                return redirect(refused_to)
            if key is None:
                return _refuse(request, view, *args, **kwargs)
            with transaction.atomic():
                try:
                    # A savepoint of its own: the refusal of a repeated key is
                    # told apart from any integrity error of the view's.
                    with transaction.atomic():
                        FormToken.objects.create(key=key, path=request.path[:255])
                except IntegrityError:
                    repeated = True
                else:
                    repeated = False
                    response = view(request, *args, **kwargs)
                    if 300 <= response.status_code < 400 and response.has_header("Location"):
                        FormToken.objects.filter(key=key).update(
                            result_url=response["Location"][:2000]
                        )
                    else:
                        # The form had errors, or the view refused: nothing
                        # it did stays, and the token can be used again.
                        transaction.set_rollback(True)
            if repeated:
                return _already_saved(request, key)
            return response

        wrapped.once_sample = sample  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def sample_of(view: Any) -> str | None:
    """The sample's dotted name of a create view, or None for any other view."""
    return getattr(view, "once_sample", None)


def tokens_purge(*, older_than_days: int = KEEP_DAYS) -> int:
    """Delete the rows of forms posted more than ``older_than_days`` ago;
    their tokens have long expired. Gives how many were deleted."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = FormToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
