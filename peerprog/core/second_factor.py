"""The second factor: whether this session has passed it, how it is
enforced, and every write to a user's second-factor devices.

A session that has passed the second factor carries ``SESSION_KEY`` with the
way it was passed: "totp" (a code from an authenticator app), "recovery" (a
one-time recovery code) or "provider" (the single sign-on provider enforces
its own second factor).

The second factor is required for staff holding any role in
``SECOND_FACTOR_REQUIRED_ROLES`` (and for system administrators unless
``SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS`` is off) and offered to everyone
else. ``SecondFactorMiddleware`` holds every signed-in session that has not
passed it, and whose user has a device or must have one, to the
second-factor pages and sign-out.

What a session still needs is decided once and kept in the session with the
user's ``second_factor_stamp``; a change of roles or devices moves the stamp
on, so the decision is taken again (one query) at that user's next request.
Every other request costs no query at all: the stamp arrives with the user,
whom the authentication middleware loads anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "peerprog_second_factor"
# What a session that has not passed still needs, with the stamp it was
# decided under: {"stamp": 3, "needs": "verify"}.
DECISION_KEY = "peerprog_second_factor_decision"

PASSED_BY = {"totp", "recovery", "provider"}
FREE = "free"  # neither required nor set up: nothing to ask
VERIFY = "verify"  # has an authenticator app: ask for a code
SET_UP = "set-up"  # required but not set up: set one up first

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator app"

# The pages a session that has not passed may reach (besides static files,
# which never reach the URL resolver).
OPEN_BEFORE_PASSING = frozenset(
    {
        "login",
        "logout",
        "core:second-factor-verify",
        "core:second-factor-recovery",
        "core:second-factor-setup",
    }
)


def mark_passed(request: HttpRequest, *, how: str) -> None:
    """Record that this session has passed the second factor, and how.

    The session gets a new key first, so that a session identifier seen
    before the second factor (over a shoulder, in a shared browser) is of no
    use after it.
    """
    if how not in PASSED_BY:
        raise ValueError(f"Unknown way of passing the second factor: {how!r}.")
    request.session.cycle_key()
    request.session[SESSION_KEY] = how
    request.session.pop(DECISION_KEY, None)


def has_passed(request: HttpRequest) -> bool:
    return SESSION_KEY in request.session


def required_roles() -> tuple[str, ...]:
    from peerprog.core.models import Role

    roles = tuple(settings.SECOND_FACTOR_REQUIRED_ROLES)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ImproperlyConfigured(
            "SECOND_FACTOR_REQUIRED_ROLES names roles that do not exist: "
            f"{', '.join(sorted(unknown))}. The roles are: {', '.join(Role.values)}."
        )
    return roles


@checks.register(checks.Tags.security, deploy=True)
def check_required_roles(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A live system requires the second factor of the roles that read
    special-category data; only the demo leaves it offered to all."""
    try:
        roles = required_roles()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="peerprog.E201")]
    if not roles:
        return [
            checks.Warning(
                "SECOND_FACTOR_REQUIRED_ROLES is none: no role is asked for a second factor.",
                hint="Leave SECOND_FACTOR_REQUIRED_ROLES unset on a live system; "
                "'none' is for the demo only.",
                id="peerprog.W201",
            )
        ]
    return []


def is_required_for(*, user: Any) -> bool:
    """Whether the user's roles (or their being a system administrator)
    require a second factor. Reads the user's roles (one query, once per
    request)."""
    if user.is_superuser and settings.SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS:
        return True
    return bool(user.role_names.intersection(required_roles()))


def _decide(user: Any) -> tuple[int, str]:
    """The user's stamp and what a session of theirs that has not passed
    needs, in one query."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from peerprog.core.models import User

    memberships = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=required_roles()
    )
    stamp, has_device, has_role = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
            has_role=Exists(memberships),
        )
        .values_list("second_factor_stamp", "has_device", "has_role")
        .get()
    )
    required = has_role or (user.is_superuser and settings.SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS)
    if has_device:
        return stamp, VERIFY
    return stamp, SET_UP if required else FREE


def needs(request: HttpRequest) -> str:
    """What this signed-in session still needs: FREE when it has passed or
    has nothing to pass, VERIFY or SET_UP otherwise. At most one query."""
    if has_passed(request):
        return FREE
    user = request.user
    decision = request.session.get(DECISION_KEY)
    if isinstance(decision, dict) and decision.get("stamp") == user.second_factor_stamp:
        return str(decision.get("needs"))
    stamp, need = _decide(user)
    request.session[DECISION_KEY] = {"stamp": stamp, "needs": need}
    return need


def _wants_fragment_or_data(request: HttpRequest) -> bool:
    if request.headers.get("HX-Request"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class SecondFactorMiddleware:
    """Hold a signed-in session that has not passed the second factor (and
    whose user has a device or must have one) to the second-factor pages,
    sign-in and sign-out. Pages are redirected to the right second-factor
    page; htmx and JSON requests get 403, as a redirect would be swapped
    into the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.resolver_match and request.resolver_match.view_name in OPEN_BEFORE_PASSING:
            return None
        need = needs(request)
        if need == FREE:
            return None
        if _wants_fragment_or_data(request):
            return HttpResponseForbidden("Enter the code from your authenticator app first.")
        target = reverse(
            "core:second-factor-setup" if need == SET_UP else "core:second-factor-verify"
        )
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


# Writes. Each moves the user's stamp on, so that every session of theirs
# takes its decision again.


def _stamp_moves_on(user_id: int) -> None:
    from peerprog.core.models import User

    User.objects.filter(pk=user_id).update(second_factor_stamp=F("second_factor_stamp") + 1)


def roles_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """A user's roles changed (or a group's members): their sessions decide
    again whether a second factor is required."""
    from peerprog.core.models import User

    if isinstance(instance, User):
        if action in {"post_add", "post_remove", "post_clear"}:
            _stamp_moves_on(instance.pk)
        return
    # A group's side: the members named, or (emptying the group) all of
    # them, read before they go.
    if action in {"post_add", "post_remove"}:
        members = User.objects.filter(pk__in=kwargs.get("pk_set") or ())
    elif action == "pre_clear":
        members = User.objects.filter(groups=instance)
    else:
        return
    members.update(second_factor_stamp=F("second_factor_stamp") + 1)


def device_for(*, user: Any) -> Any:
    """The user's confirmed authenticator app, or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(*, user: Any) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# The key of an authenticator app being set up waits in the session until a
# code confirms it: opening the set-up page writes nothing to the database.
PENDING_KEY = "peerprog_second_factor_pending_key"


def pending_device(*, request: HttpRequest) -> Any:
    """The (unsaved) authenticator app the set-up page shows: the same key
    on every visit of this session, so a scanned code keeps working."""
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    key = request.session.get(PENDING_KEY)
    if not isinstance(key, str) or not key:
        key = default_key()
        request.session[PENDING_KEY] = key
    return TOTPDevice(user=request.user, key=key, name=DEVICE_NAME, confirmed=False)


def _new_recovery_codes(user: Any) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def setup_confirm(*, user: Any, key: str, code: str) -> list[str] | None:
    """Save the authenticator app with ``key`` once a code from it is right.

    On success, the app replaces any earlier one, ten new recovery codes
    replace any earlier ones, and the codes are returned (to be shown once).
    A wrong code gives None and changes nothing.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=user, key=key, name=DEVICE_NAME, confirmed=True)
    device.full_clean(exclude=["user"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = code.strip().replace(" ", "")
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        return None
    device.last_t = totp.t()
    device.drift = totp.drift
    TOTPDevice.objects.filter(user=user).delete()
    device.save()
    codes = _new_recovery_codes(user)
    _stamp_moves_on(user.pk)
    return codes


def verify_code(*, user: Any, code: str) -> bool:
    """Whether ``code`` is the current code of the user's authenticator app.
    A code is accepted once; failures slow further tries down."""
    device = device_for(user=user)
    return bool(device and device.verify_token(code.strip().replace(" ", "")))


def verify_is_allowed(*, user: Any) -> bool:
    device = device_for(user=user)
    return device is None or device.verify_is_allowed()[0]


@transaction.atomic
def use_recovery_code(*, user: Any, code: str) -> bool:
    """Accept one of the user's recovery codes, once: it is used up."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    return bool(device and device.verify_token(code.strip().replace(" ", "").lower()))


@transaction.atomic
def recovery_codes_regenerate(*, user: Any) -> list[str]:
    """Ten new recovery codes for a user with an authenticator app; the old
    ones stop working."""
    return _new_recovery_codes(user)


class SecondFactorRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def switch_off(*, user: Any) -> None:
    """Remove the user's authenticator app and recovery codes. Refused when
    their role requires a second factor."""
    if is_required_for(user=user):
        raise SecondFactorRefused(
            "Your role needs a second factor, so you cannot switch it off. "
            "To move to a new phone, ask your programme's administrator to reset it."
        )
    _remove_devices(user)


def _remove_devices(user: Any) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _stamp_moves_on(user.pk)


@transaction.atomic
def reset_for(*, user: Any, by: Any) -> Any:
    """An administrator removes someone else's authenticator app and
    recovery codes (a lost phone); the user sets up a new one at their next
    sign-in. Audited: the reset is a row with its history, naming ``by``.
    Nobody resets their own this way. The user is told, in the app and by
    e-mail, so a reset they did not ask for does not go unnoticed."""
    from peerprog.core.audit import acting_as
    from peerprog.core.models import SecondFactorReset
    from peerprog.core.services import notify

    if user.pk == by.pk:
        raise SecondFactorRefused(
            "You cannot reset your own second factor here. Ask another administrator."
        )
    _remove_devices(user)
    with acting_as(by):
        reset = SecondFactorReset(user=user, by=by, programme_id=user.programme_id)
        reset.full_clean()
        reset.save()
    notify(
        recipient=user,
        key=f"second-factor-reset:{reset.pk}",
        title="Your second factor was reset",
        body=(
            f"{by.full_name} removed your authenticator app and recovery codes. "
            "You will be asked to set up a new one when you next sign in. "
            "If you did not ask for this, tell your programme admin straight away."
        ),
        email=True,
    )
    return reset
