"""Single sign-on for staff against a real OpenID Connect provider on
loopback (tests/sso/provider.mjs, the oidc-provider package under Node).

The browser's part is played by two clients: Django's test client for
peerprog, and a requests session (with its own cookies) for the provider.
peerprog itself talks to the provider over HTTP for discovery, the token and
userinfo, as it does in production.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from peerprog.core import second_factor
from peerprog.core.models import Programme, Role, User
from peerprog.settings import sso_providers
from tests.core.factories import UserFactory
from tests.core.test_second_factor import app_from_page, code_for
from tests.test_settings import production_env, run

BASE_DIR = Path(django_settings.BASE_DIR)
PROVIDER_SCRIPT = Path(__file__).with_name("provider.mjs")
SITE = "http://testserver"
CALLBACK = "/accounts/sso/organisation/login/callback/"
SECRET = "a-test-client-secret"
PASSWORD = "a-long-test-password"
DOMAIN = "trust.nhs.test"
ASK_ADMIN = "Ask your programme admin for access."
TIMEOUT = 10

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def issuer() -> Iterator[str]:
    """One provider process for the whole run; its issuer URL."""
    process = subprocess.Popen(
        ["node", str(PROVIDER_SCRIPT), SITE + CALLBACK, SECRET],
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, "The OpenID provider did not start (is Node 20 and oidc-provider there?)"
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


def use_provider(
    settings: Any, issuer: str, *, client_id: str = "peerprog", enforces_mfa: bool = False
) -> None:
    settings.SSO_ENABLED = True
    settings.SSO_ISSUER_URL = issuer
    settings.SSO_CLIENT_ID = client_id
    settings.SSO_CLIENT_SECRET = SECRET
    settings.SSO_ALLOWED_DOMAINS = [DOMAIN]
    settings.SSO_PROVIDER_NAME = "Test NHS Trust"
    settings.SSO_PROVIDER_ENFORCES_MFA = enforces_mfa
    settings.STAFF_LOCAL_PASSWORDS = False
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        issuer=issuer, client_id=client_id, secret=SECRET, name="Test NHS Trust"
    )


@pytest.fixture
def sso(settings: Any, issuer: str) -> str:
    use_provider(settings, issuer)
    return issuer


@pytest.fixture
def staff(programme: Programme) -> User:
    return UserFactory(
        email=f"ada.lovelace@{DOMAIN}",
        full_name="Ada Lovelace",
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
    )


def sign_in_at_provider(
    client: Client, *, email: str, verified: bool = True, cancel: bool = False
) -> tuple[HttpResponse, requests.Session]:
    """Press "Sign in with your organisation account", sign in at the
    provider as ``email``, and come back: peerprog's answer to the callback."""
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "organisation"}))
    assert start.status_code == 302, start.content
    location = start["Location"]
    query = urlsplit(location).query
    assert "code_challenge_method=S256" in query and "code_challenge=" in query
    assert "nonce=" in query
    browser = requests.Session()
    for _ in range(6):
        if urlsplit(location).path.startswith("/interaction/"):
            location += "?" + urlencode(
                {
                    "email": email,
                    "email_verified": str(verified).lower(),
                    "name": "Ada",
                    "cancel": str(cancel).lower(),
                }
            )
        answer = browser.get(location, allow_redirects=False, timeout=TIMEOUT)
        assert answer.is_redirect, f"{answer.status_code}: {answer.text[:500]}"
        location = urljoin(location, answer.headers["Location"])
        if location.startswith(SITE):
            return client.get(location.removeprefix(SITE)), browser
    raise AssertionError("The provider never sent the browser back to peerprog.")


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_known_member_of_staff_signs_in_with_the_code_flow_and_pkce(
    settings: Any, issuer: str, staff: User
) -> None:
    # A provider that asks for its own second factor, so that peerprog's
    # home page is the next thing this lead sees.
    use_provider(settings, issuer, enforces_mfa=True)
    client = Client()

    response, _ = sign_in_at_provider(client, email=staff.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert "Ada Lovelace" in home.content.decode()
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert SocialAccount.objects.count() == 0


def test_the_sign_in_page_offers_the_organisation_account_only_when_configured(
    settings: Any, issuer: str
) -> None:
    button = "Sign in with your organisation account"
    assert button not in Client().get(reverse("login")).content.decode()

    use_provider(settings, issuer)

    assert button in Client().get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    "client_id",
    [
        "peerprog-wrong-audience",
        "peerprog-wrong-issuer",
        "peerprog-wrong-nonce",
        "peerprog-expired",
    ],
)
def test_an_id_token_with_a_wrong_claim_does_not_sign_in(
    settings: Any, issuer: str, staff: User, client_id: str
) -> None:
    use_provider(settings, issuer, client_id=client_id)
    client = Client()

    response, _ = sign_in_at_provider(client, email=staff.email)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Signing in with your organisation account did not work" in page
    assert "you have not been signed in" in page
    assert not signed_in(client)


def test_cancelling_at_the_provider_comes_back_to_a_plain_page(sso: str, staff: User) -> None:
    client = Client()

    response, _ = sign_in_at_provider(client, email=staff.email, cancel=True)

    assert response.status_code == 403
    assert "you have not been signed in" in response.content.decode()
    assert not signed_in(client)


def test_opening_the_organisation_sign_in_address_asks_before_leaving(sso: str) -> None:
    response = Client().get(reverse("openid_connect_login", kwargs={"provider_id": "organisation"}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "You will be taken to Test NHS Trust to sign in" in page
    assert 'method="post"' in page


def test_an_unverified_e_mail_address_does_not_sign_in(sso: str, staff: User) -> None:
    client = Client()

    response, _ = sign_in_at_provider(client, email=staff.email, verified=False)

    assert response.status_code == 403
    assert "did not confirm your e-mail address" in response.content.decode()
    assert not signed_in(client)


def test_a_switched_off_staff_account_does_not_sign_in(sso: str, staff: User) -> None:
    User.objects.filter(pk=staff.pk).update(is_active=False)
    client = Client()

    response, _ = sign_in_at_provider(client, email=staff.email)

    assert response.status_code == 403
    assert "Your peerprog account has been switched off" in response.content.decode()
    assert not signed_in(client)


def test_someone_unknown_is_asked_to_see_their_programme_admin_and_gets_no_account(
    sso: str, staff: User
) -> None:
    users = User.objects.count()
    client = Client()

    response, _ = sign_in_at_provider(client, email=f"grace.hopper@{DOMAIN}")

    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have a peerprog account" in page
    assert ASK_ADMIN in page
    assert not signed_in(client)
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.exists()


def test_an_address_outside_the_allowed_domains_does_not_sign_in(
    sso: str, programme: Programme
) -> None:
    outsider = UserFactory(email="ada@elsewhere.test", programme=programme)
    client = Client()

    response, _ = sign_in_at_provider(client, email=outsider.email)

    assert response.status_code == 403
    assert "Accounts from this organisation cannot sign in" in response.content.decode()
    assert not signed_in(client)


def test_a_provider_that_enforces_mfa_passes_the_second_factor(
    settings: Any, issuer: str, staff: User
) -> None:
    use_provider(settings, issuer, enforces_mfa=True)
    client = Client()

    sign_in_at_provider(client, email=staff.email)

    assert client.session[second_factor.SESSION_KEY] == "provider"
    # No second question from peerprog: the lead reaches the people list.
    assert client.get(reverse("core:people")).status_code == 200


def test_a_provider_without_mfa_leaves_the_second_factor_to_peerprog(sso: str, staff: User) -> None:
    client = Client()

    sign_in_at_provider(client, email=staff.email)

    assert signed_in(client)
    assert second_factor.SESSION_KEY not in client.session
    # A lead's role needs a second factor: peerprog asks for its own before
    # anything else, and an app set up with a real code lets her in.
    response = client.get(reverse("core:people"))
    assert response["Location"].startswith(reverse("core:second-factor-setup"))
    app = app_from_page(client.get(response["Location"]).content.decode(), staff)
    confirmed = client.post(response["Location"], {"code": code_for(app)})
    assert confirmed.status_code in (200, 302)
    assert client.session[second_factor.SESSION_KEY] == "totp"
    assert client.get(reverse("core:people")).status_code == 200


def test_signing_out_ends_the_session_and_offers_the_providers_sign_out(
    sso: str, staff: User
) -> None:
    client = Client()
    _, browser = sign_in_at_provider(client, email=staff.email)

    response = client.post(reverse("logout"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "You have signed out of peerprog" in page
    link = f"{sso}/session/end?client_id=peerprog"
    assert f'href="{link}"' in page
    assert browser.get(link, timeout=TIMEOUT).status_code == 200
    assert client.get(reverse("core:home")).status_code == 302


def test_staff_passwords_are_refused_when_sso_is_the_only_way_in(sso: str, staff: User) -> None:
    client = Client()

    response = client.post(reverse("login"), {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Staff sign in with their organisation account" in response.content.decode()
    assert not signed_in(client)


def test_the_break_glass_superuser_still_signs_in_with_a_password(sso: str) -> None:
    root = User.objects.create_superuser(
        email="break.glass@example.org", password=PASSWORD, full_name="Break glass"
    )

    response = Client().post(reverse("login"), {"username": root.email, "password": PASSWORD})

    assert response.status_code == 302


def test_staff_passwords_still_work_when_the_setting_allows_them(
    settings: Any, sso: str, staff: User
) -> None:
    settings.STAFF_LOCAL_PASSWORDS = True

    response = Client().post(reverse("login"), {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302


@pytest.mark.parametrize(
    "path", ["/accounts/signup/", "/accounts/login/", "/accounts/email/", "/accounts/3rdparty/"]
)
def test_allauths_own_account_pages_are_not_there(sso: str, path: str) -> None:
    assert Client().get(path).status_code == 404


PRINT_CSP = """
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# The page's static files are not collected here; the policy is what counts.
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    response = Client().get(
        "/accounts/sign-in/", secure=True, SERVER_NAME="peerprog.example.org"
    )
print(response.status_code, response["Content-Security-Policy"])
"""


def form_action(tmp_path: Path, **env: str) -> list[str]:
    result = run(["-c", PRINT_CSP], production_env(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    status, _, policy = result.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "200"
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    return directives["form-action"].split()


SSO_ENV = {
    "SSO_ISSUER_URL": "https://login.example.test/tenant-id/v2.0",
    "SSO_CLIENT_ID": "peerprog",
    "SSO_CLIENT_SECRET": SECRET,
    "SSO_ALLOWED_DOMAINS": DOMAIN,
}


def test_the_csp_allows_forms_to_reach_the_issuer_only_when_sso_is_configured(
    tmp_path: Path,
) -> None:
    assert form_action(tmp_path) == ["'self'"]
    assert form_action(tmp_path, **SSO_ENV) == ["'self'", "https://login.example.test"]


def test_production_with_sso_passes_the_deployment_checks(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, **SSO_ENV),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sso_without_its_client_secret_stops_at_start_up(tmp_path: Path) -> None:
    env = production_env(tmp_path, **{**SSO_ENV, "SSO_CLIENT_SECRET": ""})

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "SSO_CLIENT_SECRET" in result.stderr
