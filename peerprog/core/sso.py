"""Single sign-on for staff through the organisation's OpenID Connect
provider (django-allauth's ``openid_connect`` provider does the protocol:
discovery, PKCE, and the ID token's issuer, audience and expiry).

peerprog decides who may come in, here:

* the provider must vouch for the e-mail address (``email_verified``, or
  Entra ID's ``xms_edov``), and its domain must be one of
  ``SSO_ALLOWED_DOMAINS``;
* an active staff account with that address must already exist: single
  sign-on never creates an account, never links one by anything but the
  verified address, and never changes roles or programme;
* anyone else gets a plain page saying why, and nothing is stored.

allauth's provider neither sends nor checks a nonce; the adapter here adds
one to each sign-in and refuses an ID token without it.

allauth's own sign-up, e-mail and password pages are not routed at all, and
its sign-up is closed here as well in case a flow ever reached it.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from peerprog.core import second_factor
from peerprog.core.models import User

logger = logging.getLogger(__name__)

# The session remembers that it began with single sign-on, so that signing
# out can offer the provider's own sign-out.
SESSION_KEY = "peerprog_sso"
NONCE_SESSION_KEY = "peerprog_sso_nonce"
DISCOVERY_CACHE_SECONDS = 60 * 60
DISCOVERY_TIMEOUT_SECONDS = 5

ASK_ADMIN = "Ask your programme admin for access."


def is_enabled() -> bool:
    return bool(settings.SSO_ENABLED)


def local_passwords_allowed(user: User) -> bool:
    """Whether this account may sign in with a password. Superusers always
    may: that is the break-glass account for when the provider is down. So
    may the programme's own people (an account with no staff role that holds
    a person record): they have no organisation account to sign in with."""
    if user.is_superuser or not is_enabled() or settings.STAFF_LOCAL_PASSWORDS:
        return True
    return not user.role_names and user.people.exists()


def login_url() -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": settings.SSO_PROVIDER_ID})


def _refuse(request: HttpRequest, *, title: str, message: str) -> ImmediateHttpResponse:
    response = render(
        request,
        "registration/sso_refused.html",
        {"title": title, "message": message, "provider_name": settings.SSO_PROVIDER_NAME},
        status=403,
    )
    return ImmediateHttpResponse(response)


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """The claims the provider gave: the ID token's, overlaid with userinfo's."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def _verified(claims: dict[str, Any]) -> bool:
    # Entra ID leaves out email_verified; its xms_edov optional claim says
    # the domain's owner vouches for the address.
    return claims.get("email_verified") is True or claims.get("xms_edov") is True


def _nonce_for(request: HttpRequest) -> str:
    """The nonce this session's sign-in sends to the provider: a new one
    each time the sign-in starts (once per request), kept in the session
    until the ID token comes back with it."""
    starting = (
        request.method == "POST"
        and request.resolver_match is not None
        and request.resolver_match.url_name == "openid_connect_login"
    )
    if starting and not getattr(request, "_peerprog_sso_nonce", None):
        request.session[NONCE_SESSION_KEY] = secrets.token_urlsafe(32)
        request._peerprog_sso_nonce = True  # type: ignore[attr-defined]
    return str(request.session.get(NONCE_SESSION_KEY, ""))


class StaffAccountAdapter(DefaultSocialAccountAdapter):
    """Matches a single sign-on to an existing active staff account by
    verified e-mail address, or refuses it with a page that says why."""

    def list_apps(
        self, request: HttpRequest | None, provider: Any = None, client_id: Any = None
    ) -> list[Any]:
        # allauth's OpenID Connect provider sends no nonce and checks none:
        # peerprog adds one to the request and checks it in the ID token.
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if request is not None and hasattr(request, "session"):
            for app in apps:
                if app.provider == "openid_connect":
                    auth_params = {
                        **app.settings.get("auth_params", {}),
                        "nonce": _nonce_for(request),
                    }
                    app.settings = {**app.settings, "auth_params": auth_params}
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        expected_nonce = request.session.pop(NONCE_SESSION_KEY, None)
        id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
        if not expected_nonce or not secrets.compare_digest(
            str(id_token.get("nonce", "")), str(expected_nonce)
        ):
            logger.warning("Single sign-on refused: the ID token's nonce does not match.")
            raise self._did_not_work(request)
        claims = _claims(sociallogin)
        email = str(claims.get("email") or "").strip().lower()
        if not email or not _verified(claims):
            logger.info("Single sign-on refused: no verified e-mail address.")
            raise _refuse(
                request,
                title="Your e-mail address could not be confirmed",
                message=(
                    "Your organisation account did not confirm your e-mail address, so "
                    "peerprog cannot tell who you are. Ask your organisation's IT service desk, "
                    "or your programme admin."
                ),
            )
        domain = email.rpartition("@")[2]
        if domain not in settings.SSO_ALLOWED_DOMAINS:
            logger.info("Single sign-on refused: domain not allowed.")
            raise _refuse(
                request,
                title="peerprog does not know this organisation",
                message=f"Accounts from this organisation cannot sign in to peerprog. {ASK_ADMIN}",
            )
        user = User.objects.filter(email__iexact=email, is_system=False).first()
        if user is None:
            logger.info("Single sign-on refused: no staff account for the address.")
            raise _refuse(
                request,
                title="You do not have a peerprog account",
                message=f"You signed in to your organisation, but nobody has given you a "
                f"peerprog account yet. {ASK_ADMIN}",
            )
        if not user.is_active:
            logger.info("Single sign-on refused: account %s is switched off.", user.pk)
            raise _refuse(
                request,
                title="Your peerprog account has been switched off",
                message=f"This account can no longer sign in. {ASK_ADMIN}",
            )
        # Whatever allauth found, the account is the one with this address;
        # nothing about the account is stored or changed.
        sociallogin.user = user

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        logger.warning("Single sign-on failed: %s %s", error, type(exception).__name__)
        raise self._did_not_work(request)

    def _did_not_work(self, request: HttpRequest) -> ImmediateHttpResponse:
        return _refuse(
            request,
            title="Signing in with your organisation account did not work",
            message=(
                "peerprog could not confirm the answer from your organisation, so you have "
                "not been signed in. Try again; if it keeps happening, tell your programme admin."
            ),
        )


class NoSignUpAccountAdapter(DefaultAccountAdapter):
    """allauth's account side: nobody signs up; after a single sign-on the
    session remembers it, and passes the second factor when the provider
    enforces its own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        signal_kwargs = kwargs.get("signal_kwargs") or {}
        if signal_kwargs.get("sociallogin") is not None:
            request.session[SESSION_KEY] = settings.SSO_PROVIDER_ID
            if settings.SSO_PROVIDER_ENFORCES_MFA:
                second_factor.mark_passed(request, how="provider")
        return super().post_login(request, user, **kwargs)


def provider_sign_out_url() -> str | None:
    """The provider's own sign-out address (its end_session_endpoint), or
    None when it has none or cannot be reached."""
    if not is_enabled():
        return None
    key = f"peerprog:sso:discovery:{settings.SSO_ISSUER_URL}"
    config = cache.get(key)
    if config is None:
        try:
            response = requests.get(
                f"{settings.SSO_ISSUER_URL}/.well-known/openid-configuration",
                timeout=DISCOVERY_TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            config = response.json()
        except (requests.RequestException, ValueError):
            logger.warning("The single sign-on provider's discovery could not be read.")
            return None
        cache.set(key, config, DISCOVERY_CACHE_SECONDS)
    endpoint = config.get("end_session_endpoint")
    if not endpoint:
        return None
    return f"{endpoint}?{urlencode({'client_id': settings.SSO_CLIENT_ID})}"
