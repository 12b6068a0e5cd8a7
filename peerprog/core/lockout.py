"""Pausing sign-in to one account, whatever addresses the attempts come from.

django-axes pauses an account and address pair after AXES_FAILURE_LIMIT
failures. An attacker with many addresses would get that many guesses from
each, so every account also has a limit across all addresses: after
``ACCOUNT_FAILURE_LIMIT`` failures within ``ACCOUNT_FAILURE_WINDOW``, sign-in
to it pauses for ``ACCOUNT_PAUSE_FIRST``; each further failure after a pause
ends (while the failures are still within the window) pauses it again for
twice as long, up to ``ACCOUNT_PAUSE_MAX``. A growing delay rather than a
long lock, so nobody can lock a colleague out for long.

While an account is paused, ``AccountPauseBackend`` refuses to check its
password at all and the sign-in page says how long to wait; those refusals
are not counted as failures. The account's owner gets one notice (in the
app and by e-mail) when a run of failures first pauses it. A sign-in that
succeeds clears the count. A correct password after the pause signs in as
usual, which still leaves the second factor to pass.

Counts live in the cache (Redis in production and tests), in one counter per
minute so that concurrent failures are counted atomically. Keys name the
account by a hash of the address typed, so that an address that is nobody's
pauses the same way and the answer tells nothing about who has an account.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

# Set on the request when sign-in to the account is paused: whole minutes
# left, for the sign-in page's message.
REQUEST_ATTRIBUTE = "peerprog_sign_in_paused_minutes"
BUCKET_SECONDS = 60


def _limit() -> int:
    return settings.ACCOUNT_FAILURE_LIMIT


def _window() -> timedelta:
    return settings.ACCOUNT_FAILURE_WINDOW


def _account(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _bucket_key(account: str, bucket: int) -> str:
    return f"sign-in-failures:{account}:{bucket}"


def _pause_key(account: str) -> str:
    return f"sign-in-paused:{account}"


def _level_key(account: str) -> str:
    return f"sign-in-pause-level:{account}"


def _buckets(now: datetime) -> range:
    last = int(now.timestamp()) // BUCKET_SECONDS
    count = int(_window().total_seconds()) // BUCKET_SECONDS
    return range(last - count + 1, last + 1)


def pause_wait(*, level: int) -> timedelta:
    """The pause after ``level`` earlier ones in the same run: doubling from
    ACCOUNT_PAUSE_FIRST, never longer than ACCOUNT_PAUSE_MAX."""
    first: timedelta = settings.ACCOUNT_PAUSE_FIRST
    return min(first * 2 ** min(level, 20), settings.ACCOUNT_PAUSE_MAX)


def paused_until(*, username: str, now: datetime | None = None) -> datetime | None:
    """When the pause on this account ends, or None when it is not paused."""
    now = now or timezone.now()
    until = cache.get(_pause_key(_account(username)))
    if until is None or until <= now:
        return None
    return until


def failures(*, username: str, now: datetime | None = None) -> int:
    """Failed sign-ins to this account within the window, from any address."""
    now = now or timezone.now()
    account = _account(username)
    counts = cache.get_many([_bucket_key(account, b) for b in _buckets(now)])
    return sum(int(c) for c in counts.values())


def failure_record(*, username: str, now: datetime | None = None) -> datetime | None:
    """Count one failed sign-in to the account; when that reaches the limit,
    pause it. Returns when the new pause ends, or None."""
    now = now or timezone.now()
    account = _account(username)
    key = _bucket_key(account, _buckets(now)[-1])
    timeout = int(_window().total_seconds()) + BUCKET_SECONDS
    if not cache.add(key, 1, timeout=timeout):
        try:
            cache.incr(key)
        except ValueError:
            # It expired between the two calls.
            cache.add(key, 1, timeout=timeout)
    if failures(username=username, now=now) < _limit():
        return None
    return _pause_start(username=username, account=account, now=now)


def _pause_start(*, username: str, account: str, now: datetime) -> datetime | None:
    level = int(cache.get(_level_key(account), 0))
    wait = pause_wait(level=level)
    until = now + wait
    # One request starts a pause, however many fail at the same moment.
    if not cache.add(_pause_key(account), until, timeout=int(wait.total_seconds()) + 1):
        current = cache.get(_pause_key(account))
        if current is not None and current > now:
            return None
        cache.set(_pause_key(account), until, timeout=int(wait.total_seconds()) + 1)
    # The run of pauses lasts until a window passes without one.
    cache.set(
        _level_key(account),
        level + 1,
        timeout=int((wait + _window()).total_seconds()),
    )
    if level == 0:
        _tell_owner(username=username, until=until, wait=wait)
    return until


def _tell_owner(*, username: str, until: datetime, wait: timedelta) -> None:
    """One notice to the account's owner when a run of failures first
    pauses it: no address and no password in it."""
    from peerprog.core.models import User
    from peerprog.core.services import notify

    owner = User.objects.filter(email__iexact=username.strip(), is_active=True).first()
    if owner is None:
        return
    minutes = math.ceil(wait.total_seconds() / 60)
    notify(
        recipient=owner,
        key=f"sign-in-paused:{int(until.timestamp())}",
        title="Signing in to your account was paused",
        body=(
            f"There were {_limit()} attempts to sign in to your peerprog account with the "
            f"wrong password within an hour, so signing in to it is paused for {minutes} "
            f"minute{'s' if minutes != 1 else ''}, and for longer if the attempts go on. "
            "If this was you, wait and try again, or choose a new password. If it was not "
            "you, tell your programme's administrator."
        ),
        link=reverse("password_reset"),
        email=True,
    )


def pause_lift(*, username: str) -> None:
    """End the pause now (as when its wait is over); the run of failures and
    of pauses goes on, so the next pause is still twice as long."""
    cache.delete(_pause_key(_account(username)))


def account_forget(*, username: str, now: datetime | None = None) -> None:
    """Forget the account's failures and pauses altogether."""
    now = now or timezone.now()
    failures_clear(username=username, now=now)
    pause_lift(username=username)


def failures_clear(*, username: str, now: datetime | None = None) -> None:
    """A successful sign-in: the account's count starts again."""
    now = now or timezone.now()
    account = _account(username)
    cache.delete_many([_bucket_key(account, b) for b in _buckets(now)] + [_level_key(account)])


def minutes_left(*, until: datetime, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return max(1, math.ceil((until - now).total_seconds() / 60))


class AccountPauseBackend:
    """Refuses, without checking the password, every sign-in to an account
    whose sign-in is paused. Listed after axes' backend and before the one
    that checks passwords; it never signs anybody in itself.

    The refusal marks the request as locked out for axes, whose middleware
    then answers with the sign-in paused page (AXES_LOCKOUT_TEMPLATE), and
    axes does not count it (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
    is off). It has no ``get_user``: no session is ever tied to it.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None or not username:
            return None
        until = paused_until(username=username)
        if until is None:
            return None
        setattr(request, REQUEST_ATTRIBUTE, minutes_left(until=until))
        request.axes_locked_out = True  # type: ignore[attr-defined]
        raise PermissionDenied("Sign-in to this account is paused.")


@receiver(user_login_failed, dispatch_uid="peerprog-account-failure")
def _count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or credentials.get("email")
    if not username or request is None:
        return
    # A refusal because of a pause (ours or axes') is not a password that
    # was wrong.
    if getattr(request, REQUEST_ATTRIBUTE, None) or getattr(request, "axes_locked_out", False):
        return
    failure_record(username=str(username))


@receiver(user_logged_in, dispatch_uid="peerprog-account-success")
def _clear_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "email", ""):
        failures_clear(username=user.email)
