"""The second factor: set up with an authenticator app, codes after
sign-in, recovery codes, enforcement on every page, an administrator's
audited reset, and each user's recent sign-ins."""

from __future__ import annotations

import base64
import re
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from peerprog.core import second_factor
from peerprog.core.models import Notification, Role, SecondFactorReset, User
from tests.core.factories import ProgrammeFactory, UserFactory

PASSWORD = "a-long-test-password"
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """A few staff of one programme, one of another, and a system
    administrator: lighter than the shared world, which these tests do not
    need."""
    programme, other = ProgrammeFactory(), ProgrammeFactory()
    roles = {"lead": Role.PROGRAMME_LEAD, "hr": Role.HR, "mentor": Role.MENTOR, "admin": Role.ADMIN}
    users = {
        key: UserFactory(
            email=f"{key}@example.org", full_name=key.title(), programme=programme, roles=[role]
        )
        for key, role in roles.items()
    }
    users["other_programme_lead"] = UserFactory(programme=other, roles=[Role.PROGRAMME_LEAD])
    users["sysadmin"] = UserFactory(programme=None, is_superuser=True, is_staff=True)
    return SimpleNamespace(users=users)


@pytest.fixture
def lead(world: SimpleNamespace) -> User:
    return world.users["lead"]


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    """The code the person's app shows now (or ``later`` steps on, which the
    device still accepts within its tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    accepted = {code_for(device, later=step) for step in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def half_signed_in(user: User) -> Client:
    """Signed in with a password, second factor not yet passed."""
    client = Client()
    client.force_login(user, second_factor_passed=False)
    return client


def with_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    second_factor.recovery_codes_regenerate(user=user)
    return device


def test_a_lead_without_an_app_is_sent_to_set_one_up(lead: User) -> None:
    response = half_signed_in(lead).get(reverse("core:people"))

    assert response.status_code == 302
    assert response["Location"] == (reverse("core:second-factor-setup") + "?next=" + "%2Fpeople%2F")


def app_from_page(html: str, user: User) -> TOTPDevice:
    """The authenticator app a person adds by typing the key the set-up page
    shows (unsaved: the app on their phone)."""
    shown = re.search(r'id="second-factor-key">([A-Z2-7 ]+)<', html)
    assert shown is not None, "The set-up page shows no key."
    key = shown.group(1).replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    return TOTPDevice(user=user, key=secret.hex())


def test_set_up_with_a_real_code_shows_ten_recovery_codes_once(lead: User) -> None:
    client = half_signed_in(lead)
    page = client.get(reverse("core:second-factor-setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    app = app_from_page(page.content.decode(), lead)
    key_before = client.session.session_key

    response = client.post(reverse("core:second-factor-setup"), {"code": code_for(app)})

    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=lead, confirmed=True).key == app.key
    assert sorted(
        StaticToken.objects.filter(device__user=lead).values_list("token", flat=True)
    ) == (sorted(codes))
    assert client.session[second_factor.SESSION_KEY] == "totp"
    assert client.session.session_key != key_before
    assert client.get(reverse("core:people")).status_code == 200
    again = client.get(reverse("core:second-factor-recovery-codes")).content.decode()
    assert not any(code in again for code in codes)


def test_the_set_up_page_shows_the_same_key_until_it_is_confirmed(lead: User) -> None:
    client = half_signed_in(lead)
    first = app_from_page(client.get(reverse("core:second-factor-setup")).content.decode(), lead)
    again = app_from_page(client.get(reverse("core:second-factor-setup")).content.decode(), lead)

    assert first.key == again.key
    assert not TOTPDevice.objects.filter(user=lead).exists()


def test_a_wrong_code_at_set_up_is_refused_with_a_message(lead: User) -> None:
    client = half_signed_in(lead)
    app = app_from_page(client.get(reverse("core:second-factor-setup")).content.decode(), lead)

    response = client.post(reverse("core:second-factor-setup"), {"code": wrong_code_for(app)})

    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert second_factor.SESSION_KEY not in client.session


def test_after_sign_in_the_code_from_the_app_lets_the_person_in(lead: User) -> None:
    device = with_device(lead)
    client = half_signed_in(lead)
    assert client.get(reverse("core:people"))["Location"].startswith(
        reverse("core:second-factor-verify")
    )

    response = client.post(
        reverse("core:second-factor-verify") + "?next=/people/", {"code": code_for(device)}
    )

    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert client.session[second_factor.SESSION_KEY] == "totp"
    assert client.get(reverse("core:people")).status_code == 200


def test_a_wrong_code_after_sign_in_is_refused_with_a_message(lead: User) -> None:
    device = with_device(lead)
    client = half_signed_in(lead)

    response = client.post(reverse("core:second-factor-verify"), {"code": wrong_code_for(device)})

    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert client.get(reverse("core:people")).status_code == 302


def test_a_code_is_accepted_only_once(lead: User) -> None:
    device = with_device(lead)
    code = code_for(device)
    first, second = half_signed_in(lead), half_signed_in(lead)

    assert first.post(reverse("core:second-factor-verify"), {"code": code}).status_code == 302
    response = second.post(reverse("core:second-factor-verify"), {"code": code})

    assert response.status_code == 200
    assert second_factor.SESSION_KEY not in second.session


def test_a_recovery_code_works_once(lead: User) -> None:
    with_device(lead)
    code = StaticToken.objects.filter(device__user=lead).first().token
    first, second = half_signed_in(lead), half_signed_in(lead)

    response = first.post(reverse("core:second-factor-recovery"), {"code": code})
    assert response.status_code == 302
    assert first.session[second_factor.SESSION_KEY] == "recovery"
    assert StaticToken.objects.filter(device__user=lead).count() == 9

    refused = second.post(reverse("core:second-factor-recovery"), {"code": code})
    assert refused.status_code == 200
    assert "has been used already" in refused.content.decode()
    assert second_factor.SESSION_KEY not in second.session


def test_new_recovery_codes_replace_the_old_ones(lead: User) -> None:
    with_device(lead)
    old = set(StaticToken.objects.filter(device__user=lead).values_list("token", flat=True))
    client = Client()
    client.force_login(lead)

    response = client.post(reverse("core:second-factor-recovery-codes"))

    new = set(re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode()))
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=lead).values_list("token", flat=True)) == new
    assert not old & new


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/people/",
        "/about/",
        "/notifications/",
        "/second-factor/",
        "/second-factor/recovery-codes/",
        "/second-factor/switch-off/",
        "/second-factor/sign-ins/",
        "/accounts/password/change/",
        "/recruitment/cohorts/",
        "/system-admin/",
    ],
)
def test_a_session_that_has_not_passed_reaches_nothing_else(lead: User, url: str) -> None:
    with_device(lead)
    client = half_signed_in(lead)

    page = client.get(url)
    posted = client.post(url)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    data = client.get(url, HTTP_ACCEPT="application/json")

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("core:second-factor-verify") + "?next=")
    assert posted.status_code == 302
    assert posted["Location"] == reverse("core:second-factor-verify")
    assert fragment.status_code == 403
    assert data.status_code == 403


def test_a_session_that_has_not_passed_can_sign_out(lead: User) -> None:
    with_device(lead)
    client = half_signed_in(lead)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_alone_cannot_replace_the_app(lead: User) -> None:
    device = with_device(lead)
    client = half_signed_in(lead)

    response = client.get(reverse("core:second-factor-setup"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:second-factor-verify"))
    assert list(TOTPDevice.objects.filter(user=lead)) == [device]


def test_staff_whose_role_does_not_require_it_are_not_asked(world: SimpleNamespace) -> None:
    client = half_signed_in(world.users["mentor"])

    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("core:second-factor")).status_code == 200


def test_staff_who_chose_a_second_factor_are_asked_for_it(world: SimpleNamespace) -> None:
    mentor = world.users["mentor"]
    with_device(mentor)

    response = half_signed_in(mentor).get(reverse("core:home"))

    assert response["Location"].startswith(reverse("core:second-factor-verify"))


def test_a_role_that_requires_it_applies_from_the_next_request(world: SimpleNamespace) -> None:
    mentor = world.users["mentor"]
    client = half_signed_in(mentor)
    assert client.get(reverse("core:home")).status_code == 200

    mentor.groups.add(Group.objects.get(name=Role.HR))

    response = client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("core:second-factor-setup"))


def test_an_app_set_up_in_another_session_is_asked_for_in_this_one(world: SimpleNamespace) -> None:
    mentor = world.users["mentor"]
    client = half_signed_in(mentor)
    assert client.get(reverse("core:home")).status_code == 200

    app = TOTPDevice(user=mentor, key=default_key())
    second_factor.setup_confirm(user=mentor, key=app.key, code=code_for(app))

    assert client.get(reverse("core:home"))["Location"].startswith(
        reverse("core:second-factor-verify")
    )


def test_a_provider_that_enforces_its_own_second_factor_passes_the_session(lead: User) -> None:
    client = half_signed_in(lead)
    session = client.session
    session[second_factor.SESSION_KEY] = "provider"
    session.save()

    assert client.get(reverse("core:people")).status_code == 200


def _request_for(user: User, session: SessionStore) -> object:
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.session = session
    return request


def test_the_decision_costs_at_most_one_query_and_then_none(world: SimpleNamespace) -> None:
    mentor = world.users["mentor"]
    session = SessionStore()
    session.create()

    request = _request_for(mentor, session)
    with CaptureQueriesContext(connection) as first:
        need = second_factor.needs(request)
    request = _request_for(mentor, session)
    with CaptureQueriesContext(connection) as later:
        again = second_factor.needs(request)

    assert need == again == second_factor.FREE
    assert len(first.captured_queries) == 1
    assert len(later.captured_queries) == 0


def test_a_passed_session_costs_no_query(lead: User) -> None:
    session = SessionStore()
    session.create()
    session[second_factor.SESSION_KEY] = "totp"
    request = _request_for(lead, session)

    with CaptureQueriesContext(connection) as queries:
        assert second_factor.needs(request) == second_factor.FREE

    assert len(queries.captured_queries) == 0


def test_the_middleware_adds_no_query_to_a_page_once_decided(world: SimpleNamespace) -> None:
    """A mentor's session (not required, no app) after its first page costs
    exactly what a session that has passed costs: the decision is kept."""
    mentor, lead = world.users["mentor"], world.users["lead"]
    mentor_client = half_signed_in(mentor)
    mentor_client.get(reverse("core:about"))
    lead_client = Client()
    lead_client.force_login(lead)
    lead_client.get(reverse("core:about"))

    with CaptureQueriesContext(connection) as mentor_queries:
        mentor_client.get(reverse("core:about"))
    with CaptureQueriesContext(connection) as lead_queries:
        lead_client.get(reverse("core:about"))

    assert len(mentor_queries.captured_queries) == len(lead_queries.captured_queries)


def test_a_required_role_cannot_switch_it_off(lead: User) -> None:
    with_device(lead)
    client = Client()
    client.force_login(lead)

    response = client.post(reverse("core:second-factor-switch-off"), follow=True)

    assert "Your role needs a second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=lead).exists()


def test_a_role_that_does_not_require_it_can_switch_it_off(world: SimpleNamespace) -> None:
    mentor = world.users["mentor"]
    with_device(mentor)
    client = Client()
    client.force_login(mentor)

    client.post(reverse("core:second-factor-switch-off"))

    assert not TOTPDevice.objects.filter(user=mentor).exists()
    assert not StaticDevice.objects.filter(user=mentor).exists()
    assert half_signed_in(mentor).get(reverse("core:home")).status_code == 200


def test_an_admin_resets_a_colleagues_second_factor_and_the_audit_names_them(
    world: SimpleNamespace,
) -> None:
    admin, lead = world.users["admin"], world.users["lead"]
    with_device(lead)
    client = Client()
    client.force_login(admin)
    assert (
        "Reset Lead's second factor"
        in client.get(reverse("core:staff-edit", args=[lead.pk])).content.decode()
    )

    response = client.post(reverse("core:staff-second-factor-reset", args=[lead.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not StaticDevice.objects.filter(user=lead).exists()
    reset = SecondFactorReset.objects.get(user=lead)
    assert reset.by == admin
    assert reset.history.get().history_user == admin
    # The person is told, so a reset they did not ask for is noticed.
    notice = Notification.objects.get(recipient=lead, key=f"second-factor-reset:{reset.pk}")
    assert notice.title == "Your second factor was reset"
    assert notice.email is not None and notice.email.to_address == lead.email
    audit = client.get(reverse("core:audit")).content.decode()
    assert "Second factor reset" in audit
    assert (
        half_signed_in(lead)
        .get(reverse("core:home"))["Location"]
        .startswith(reverse("core:second-factor-setup"))
    )


def test_nobody_resets_their_own_second_factor_this_way(world: SimpleNamespace) -> None:
    admin = world.users["admin"]
    with_device(admin)
    client = Client()
    client.force_login(admin)

    response = client.post(reverse("core:staff-second-factor-reset", args=[admin.pk]), follow=True)

    assert "You cannot reset your own second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert not SecondFactorReset.objects.exists()


def test_a_system_administrator_may_reset_anyone(world: SimpleNamespace) -> None:
    lead = world.users["other_programme_lead"]
    with_device(lead)
    client = Client()
    client.force_login(world.users["sysadmin"])

    client.post(reverse("core:staff-second-factor-reset", args=[lead.pk]))

    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert SecondFactorReset.objects.get(user=lead).by == world.users["sysadmin"]


def test_recent_sign_ins_show_date_time_browser_and_address(lead: User) -> None:
    device = with_device(lead)
    client = Client()
    signed_in = client.post(
        reverse("login"),
        {"username": lead.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT=FIREFOX_ON_WINDOWS,
    )
    assert signed_in.status_code == 302
    assert (
        client.post(reverse("core:second-factor-verify"), {"code": code_for(device)}).status_code
        == 302
    )

    page = client.get(reverse("core:sign-ins")).content.decode()

    assert "Firefox on Windows" in page
    assert "203.0.113.9" in page
    assert '<th scope="col">Time</th>' in page


def test_another_persons_sign_ins_are_not_shown(world: SimpleNamespace) -> None:
    Client().post(
        reverse("login"),
        {"username": world.users["hr"].email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.4",
    )
    client = Client()
    client.force_login(world.users["lead"])

    assert "198.51.100.4" not in client.get(reverse("core:sign-ins")).content.decode()


def test_with_no_role_required_it_is_only_offered(lead: User, settings: Any) -> None:
    settings.SECOND_FACTOR_REQUIRED_ROLES = []

    assert half_signed_in(lead).get(reverse("core:people")).status_code == 200


def test_the_deployment_check_warns_when_no_role_requires_it(settings: Any) -> None:
    settings.SECOND_FACTOR_REQUIRED_ROLES = []

    assert [message.id for message in second_factor.check_required_roles()] == ["peerprog.W201"]


def test_the_deployment_check_refuses_a_role_that_does_not_exist(settings: Any) -> None:
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["Programme lead", "Nurse"]

    messages = second_factor.check_required_roles()

    assert [message.id for message in messages] == ["peerprog.E201"]
    assert "Nurse" in messages[0].msg


def test_the_default_requires_it_of_the_roles_that_read_special_category_data() -> None:
    from django.conf import settings as live_settings

    assert set(live_settings.SECOND_FACTOR_REQUIRED_ROLES) == {
        Role.PROGRAMME_LEAD,
        Role.HR,
        Role.SUPERVISOR,
        Role.ADMIN,
        Role.DATA_PROTECTION,
    }
    assert second_factor.check_required_roles() == []


def test_a_role_given_from_the_groups_side_applies_from_the_next_request(
    world: SimpleNamespace,
) -> None:
    mentor = world.users["mentor"]
    client = half_signed_in(mentor)
    assert client.get(reverse("core:home")).status_code == 200

    Group.objects.get(name=Role.SUPERVISOR).user_set.add(mentor)

    assert client.get(reverse("core:home"))["Location"].startswith(
        reverse("core:second-factor-setup")
    )


def test_a_role_taken_away_lets_a_person_without_an_app_in(world: SimpleNamespace) -> None:
    hr = world.users["hr"]
    client = half_signed_in(hr)
    assert client.get(reverse("core:home")).status_code == 302

    Group.objects.get(name=Role.HR).user_set.clear()

    assert client.get(reverse("core:home")).status_code == 200


def test_a_system_administrator_resets_from_the_django_admin_but_not_their_own(
    world: SimpleNamespace,
) -> None:
    lead, sysadmin = world.users["lead"], world.users["sysadmin"]
    with_device(lead)
    with_device(sysadmin)
    client = Client()
    client.force_login(sysadmin)

    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [lead.pk, sysadmin.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert TOTPDevice.objects.filter(user=sysadmin).exists()
    assert SecondFactorReset.objects.get().by == sysadmin
    assert "You cannot reset your own second factor" in response.content.decode()
