"""Who may do what: role checks in one place, and the pattern for object checks.

The three answers a page gives, always in this order:

* not signed in: redirect to the sign-in page (LoginRequiredMiddleware);
* signed in without the role the page needs: 403, "you do not have access";
* the right role, but the object is outside the user's scope (another
  programme, or a mentor's or supervisor's person who is not theirs): 404,
  so a guessed address reveals nothing.

Role checks live here. Scope lives in each app's selectors, as functions named
``get_<thing>_for_user(user, pk)`` that return the object or raise ``Http404``;
the kernel's own are at the bottom of this module. A mentor's scope is owned
by the supervision app, which owns mentor assignments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from peerprog.core.models import Person, Role

if TYPE_CHECKING:
    from peerprog.core.models import Programme, User

__all__ = [
    "Role",
    "can_read_adjustment_notes",
    "can_read_sensitive",
    "client_ip",
    "get_in_programme_or_404",
    "get_person_for_user",
    "has_own_pages",
    "has_role",
    "own_or_404",
    "own_records",
    "person_required",
    "public",
    "require_role",
    "role_required",
    "scoped",
]

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])

# Pages that may be opened without signing in. Everything else requires it.
public = login_not_required

STAFF_ROLES = tuple(Role.values)
SENSITIVE_READERS = (Role.PROGRAMME_LEAD, Role.HR)
ADJUSTMENT_NOTE_READERS = (Role.PROGRAMME_LEAD, Role.HR, Role.FACILITATOR)


def has_role(user: Any, *roles: str) -> bool:
    """True when the signed-in user holds any of the roles.

    A user with no programme holds no programme role, whatever their groups:
    only system administrators lack a programme, and they use the Django
    admin and the audit page, not the programme's pages.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.programme_id is None:
        return False
    return user.has_role(*roles)


def require_role(user: Any, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied("Your role does not give you access to this page.")


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view so that only users holding one of the roles reach it."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def can_read_sensitive(user: Any) -> bool:
    """Disability, equality monitoring, adjustment requests, statements."""
    return has_role(user, *SENSITIVE_READERS)


def can_read_adjustment_notes(user: Any) -> bool:
    """The practical notes of adjustments, without the health behind them."""
    return has_role(user, *ADJUSTMENT_NOTE_READERS)


M = TypeVar("M", bound=Model)


def scoped(queryset: QuerySet[M], user: User, field: str = "programme") -> QuerySet[M]:
    """Restrict a queryset to the user's programme."""
    if user.programme_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.programme_id})


def get_in_programme_or_404(
    queryset: QuerySet[M], user: User, pk: Any, field: str = "programme"
) -> M:
    try:
        return scoped(queryset, user, field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record in your programme.") from None


def get_person_for_user(user: User, pk: Any) -> Person:
    """A person of the user's programme, for leads and HR.

    Other roles reach people only through their own app's scoped helpers
    (a mentor through their mentees, say).
    """
    require_role(user, *SENSITIVE_READERS)
    return get_in_programme_or_404(Person.objects.all(), user, pk)


# A person's own pages (applicants, trainees, peer workers who have an
# account): the session remembers at sign-in whether the account holds any
# person record, so the menu can offer "My pages" without a query per page.
OWN_PAGES_SESSION_KEY = "peerprog_own_pages"


def own_records(user: Any) -> QuerySet[Person]:
    """The person records an account holds, in every programme, for its own
    pages. Empty for anonymous and switched-off accounts."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    return Person.objects.filter(user=user)


def has_own_pages(user: Any) -> bool:
    return own_records(user).exists()


def person_required(view: ViewFunc) -> ViewFunc:
    """Decorate a view of a person's own pages: only accounts that hold a
    person record reach it (403 for everyone else, staff included). The view
    then reads only the records of ``own_records(request.user)``, so a
    changed id in the address gives 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not has_own_pages(request.user):
            raise PermissionDenied("These pages are for people on the programme.")
        return view(request, *args, **kwargs)

    wrapped.required_roles = ("person",)  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def own_or_404(queryset: QuerySet[M], user: User, pk: Any, field: str = "person") -> M:
    """One of the account's own records, whichever programme it is in; 404
    for anyone else's, so a guessed address reveals nothing."""
    try:
        return queryset.filter(**{f"{field}__user": user, f"{field}__user__is_active": True}).get(
            pk=pk
        )
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record of yours.") from None


def user_programme(user: User) -> Programme | None:
    return user.programme if user.programme_id else None


def client_ip(request: HttpRequest) -> str:
    """The client's address for lock-out counting.

    Behind TRUSTED_PROXY_COUNT proxies, the address the outermost trusted
    proxy saw is taken from X-Forwarded-For; otherwise REMOTE_ADDR. Without
    this, everyone behind a proxy would share one address and one person's
    mistakes would lock out everyone.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded: Iterable[str] = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    hops = [hop.strip() for hop in forwarded if hop.strip()]
    if len(hops) >= proxies:
        return hops[-proxies]
    return remote
