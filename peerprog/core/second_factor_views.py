"""The second factor's pages: set up, enter a code, use a recovery code,
recovery codes, switch off, recent sign-ins, and an administrator's reset
of someone else's second factor."""

from __future__ import annotations

import base64
from typing import Any

import segno
from axes.models import AccessLog
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core import second_factor, selectors
from peerprog.core.models import User
from peerprog.core.pages import safe_next
from peerprog.core.second_factor_forms import CodeForm, RecoveryCodeForm

RECENT_SIGN_INS = 20
TOO_MANY_TRIES = (
    "Too many wrong codes in a row. Wait a minute, then try the newest code your app shows."
)


def _next(request: HttpRequest) -> str:
    return safe_next(request, reverse("core:home"))


def overview(request: HttpRequest) -> HttpResponse:
    """The user's second factor: whether it is on, required, and what they
    can do about it."""
    user = request.user
    return render(
        request,
        "core/second_factor/overview.html",
        {
            "device": second_factor.device_for(user=user),
            "required": second_factor.is_required_for(user=user),
            "codes_left": second_factor.recovery_codes_left(user=user),
        },
    )


def _grouped(secret: bytes) -> str:
    text = base64.b32encode(secret).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), confirm with a code, then see the
    recovery codes once."""
    user = request.user
    if not second_factor.has_passed(request) and second_factor.device_for(user=user):
        # Someone who knows only the password must not replace the app.
        return redirect(reverse("core:second-factor-verify") + _query(request))
    device = second_factor.pending_device(request=request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.setup_confirm(
            user=user, key=device.key, code=form.cleaned_data["code"]
        )
        if codes is not None:
            second_factor.mark_passed(request, how="totp")
            request.session.pop(second_factor.PENDING_KEY, None)
            messages.success(request, "Your second factor is set up.")
            return render(
                request,
                "core/second_factor/recovery_codes.html",
                {"codes": codes, "fresh": True, "next": _next(request)},
            )
        form.add_error(
            "code",
            "That code is not right. Check the time on your phone is set automatically, "
            "and enter the newest code your app shows.",
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "core/second_factor/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title="QR code to add peerprog to your app"),
            "secret": _grouped(device.bin_key),
            "required": second_factor.is_required_for(user=user),
            "next": _next(request),
            "before_second_factor": second_factor.needs(request) != second_factor.FREE,
        },
    )


def _query(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    return "?" + request.GET.urlencode() if target else ""


def verify(request: HttpRequest) -> HttpResponse:
    """Enter the code from the authenticator app after signing in."""
    user = request.user
    if second_factor.has_passed(request):
        return redirect(_next(request))
    if second_factor.device_for(user=user) is None:
        return redirect(reverse("core:second-factor-setup") + _query(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not second_factor.verify_is_allowed(user=user):
            form.add_error("code", TOO_MANY_TRIES)
        elif second_factor.verify_code(user=user, code=form.cleaned_data["code"]):
            second_factor.mark_passed(request, how="totp")
            return redirect(_next(request))
        else:
            form.add_error("code", "That code is not right. Enter the newest code your app shows.")
    return render(
        request,
        "core/second_factor/verify.html",
        {"form": form, "next": _next(request), "before_second_factor": True},
    )


def recovery(request: HttpRequest) -> HttpResponse:
    """Use a recovery code instead of the app (a lost or forgotten phone)."""
    user = request.user
    if second_factor.has_passed(request):
        return redirect(_next(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.use_recovery_code(user=user, code=form.cleaned_data["code"]):
            second_factor.mark_passed(request, how="recovery")
            left = second_factor.recovery_codes_left(user=user)
            messages.warning(
                request,
                f"You used a recovery code. It will not work again. You have {left} left: "
                "make new ones on your second factor page if you are running out.",
            )
            return redirect(_next(request))
        form.add_error(
            "code",
            "That recovery code is not right, or it has been used already. Check it and "
            "try again, or ask your programme's administrator to reset your second factor.",
        )
    return render(
        request,
        "core/second_factor/recovery.html",
        {"form": form, "next": _next(request), "before_second_factor": True},
    )


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; a POST makes ten new ones and shows
    them once."""
    user = request.user
    if second_factor.device_for(user=user) is None:
        messages.info(request, "Set up your second factor first: recovery codes come with it.")
        return redirect("core:second-factor")
    if request.method == "POST":
        codes = second_factor.recovery_codes_regenerate(user=user)
        messages.success(request, "You have new recovery codes. The old ones no longer work.")
        return render(request, "core/second_factor/recovery_codes.html", {"codes": codes})
    return render(
        request,
        "core/second_factor/recovery_codes.html",
        {"codes_left": second_factor.recovery_codes_left(user=user)},
    )


def switch_off(request: HttpRequest) -> HttpResponse:
    """Switch the second factor off, for roles that do not require it."""
    user = request.user
    required = second_factor.is_required_for(user=user)
    if request.method == "POST":
        try:
            second_factor.switch_off(user=user)
        except second_factor.SecondFactorRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "Your second factor is switched off.")
        return redirect("core:second-factor")
    return render(request, "core/second_factor/switch_off.html", {"required": required})


def _browser(agent: str) -> str:
    """A short name for the browser and system, from its user agent."""
    browsers = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    systems = [
        ("Windows", "Windows"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Mac OS X", "Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    browser = next((name for mark, name in browsers if mark in agent), "")
    system = next((name for mark, name in systems if mark in agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def sign_ins(request: HttpRequest) -> HttpResponse:
    """The user's own recent sign-ins: when, which browser, from where."""
    entries: list[dict[str, Any]] = [
        {
            "when": entry.attempt_time,
            "browser": _browser(entry.user_agent),
            "address": entry.ip_address,
        }
        for entry in AccessLog.objects.filter(username__iexact=request.user.email).order_by(
            "-attempt_time"
        )[:RECENT_SIGN_INS]
    ]
    return render(request, "core/second_factor/sign_ins.html", {"entries": entries})


@require_POST
def staff_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator resets another member of staff's second factor (a
    lost phone). System administrators may reset anyone's."""
    user = request.user
    if user.is_system_admin:
        member = get_object_or_404(User, pk=pk, is_system=False)
    else:
        member = selectors.staff_for_user(user=user, pk=pk)
    try:
        second_factor.reset_for(user=member, by=user)
    except second_factor.SecondFactorRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"{member.full_name}'s second factor has been reset. They will set up a new one "
            "the next time they sign in.",
        )
    if user.is_system_admin and not user.programme_id:
        return redirect("core:home")
    return redirect("core:staff-edit", pk=member.pk)
