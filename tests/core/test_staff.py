"""Staff and roles: a programme's administrators add staff, give and take
away roles and switch accounts off, within their own programme only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Role, User
from tests.conftest import World
from tests.core.once_helpers import FormClient

OWN_ROLES_MESSAGE = "You cannot change your own roles. Ask another administrator."
OWN_ACCOUNT_MESSAGE = "You cannot switch off your own account. Ask another administrator."


def signed_in(user: User) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


def new_member(**values: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "full_name": "Sam Okafor",
        "email": "Sam.Okafor@example.org",
        "job_title": "Ward manager",
        "roles": [Role.MENTOR, Role.SUPERVISOR],
    }
    form.update(values)
    return form


def edit_form(user: User, **values: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "full_name": user.full_name,
        "job_title": user.job_title,
        "roles": sorted(user.role_names),
        "is_active": "on",
    }
    form.update(values)
    return {key: value for key, value in form.items() if value is not None}


def test_an_admin_adds_a_member_of_staff_with_roles(
    world: World, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(admin_user).post(reverse("core:staff-create"), new_member())

    assert response.status_code == 302
    member = User.objects.get(email="sam.okafor@example.org")
    assert member.programme == world.programme
    assert member.role_names == {Role.MENTOR, Role.SUPERVISOR}
    assert not member.has_usable_password()


def test_the_invitation_is_sent_only_after_the_commit(
    world: World, admin_user: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_in(admin_user).post(reverse("core:staff-create"), new_member())

    assert mailoutbox == []
    assert len(callbacks) == 1


def invitation_link(
    admin_user: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(admin_user).post(reverse("core:staff-create"), new_member())
    assert len(mailoutbox) == 1
    match = re.search(r"https?://\S+/accounts/password/reset/\S+/", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    return match.group(0)


def test_the_invitation_goes_to_the_new_member_in_plain_words(
    world: World, admin_user: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    invitation_link(admin_user, django_capture_on_commit_callbacks, mailoutbox)

    message = mailoutbox[0]
    assert message.to == ["sam.okafor@example.org"]
    assert message.subject == "[peerprog] You have a peerprog account"
    assert "Hello Sam Okafor" in message.body
    assert "Choose your password" in message.alternatives[0][0]


def test_the_invitation_link_lets_the_new_member_choose_a_password(
    world: World, admin_user: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    link = invitation_link(admin_user, django_capture_on_commit_callbacks, mailoutbox)
    path = "/" + link.split("/", 3)[3]
    newcomer = Client()

    form_page = newcomer.get(path, follow=True)
    done = newcomer.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a sound new passphrase", "new_password2": "a sound new passphrase"},
    )

    assert form_page.status_code == 200
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert User.objects.get(email="sam.okafor@example.org").check_password("a sound new passphrase")


def test_an_email_already_in_use_is_refused_in_plain_words(world: World, admin_user: User) -> None:
    response = signed_in(admin_user).post(
        reverse("core:staff-create"), new_member(email="MENTOR@example.org")
    )

    assert response.status_code == 200
    assert "There is already a user with this e-mail address." in response.content.decode()


def test_an_admin_changes_a_members_roles(world: World, admin_user: User) -> None:
    mentor = world.users["mentor"]

    response = signed_in(admin_user).post(
        reverse("core:staff-edit", kwargs={"pk": mentor.pk}),
        edit_form(mentor, roles=[Role.MENTOR, Role.FACILITATOR]),
    )

    assert response.status_code == 302
    assert User.objects.get(pk=mentor.pk).role_names == {Role.MENTOR, Role.FACILITATOR}


def test_an_admin_switches_off_a_members_account(world: World, admin_user: User) -> None:
    mentor = world.users["mentor"]

    signed_in(admin_user).post(
        reverse("core:staff-edit", kwargs={"pk": mentor.pk}), edit_form(mentor, is_active=None)
    )

    mentor.refresh_from_db()
    assert mentor.is_active is False


def test_an_admin_cannot_remove_their_own_admin_role(world: World, admin_user: User) -> None:
    response = signed_in(admin_user).post(
        reverse("core:staff-edit", kwargs={"pk": admin_user.pk}),
        edit_form(admin_user, roles=[Role.MENTOR]),
    )

    assert response.status_code == 200
    assert OWN_ROLES_MESSAGE in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).role_names == {Role.ADMIN}


def test_an_admin_cannot_switch_off_their_own_account(world: World, admin_user: User) -> None:
    response = signed_in(admin_user).post(
        reverse("core:staff-edit", kwargs={"pk": admin_user.pk}),
        edit_form(admin_user, is_active=None),
    )

    assert response.status_code == 200
    assert OWN_ACCOUNT_MESSAGE in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_admin_may_not_add_roles_to_their_own_account(world: World, admin_user: User) -> None:
    response = signed_in(admin_user).post(
        reverse("core:staff-edit", kwargs={"pk": admin_user.pk}),
        edit_form(admin_user, roles=[Role.ADMIN, Role.HR]),
    )

    assert response.status_code == 200
    assert OWN_ROLES_MESSAGE in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).role_names == {Role.ADMIN}


def test_another_programmes_staff_are_not_listed(world: World, admin_user: User) -> None:
    page = signed_in(admin_user).get(reverse("core:staff")).content.decode()

    assert "mentor@example.org" in page
    assert "other_programme_lead@example.org" not in page
    assert "sysadmin@example.org" not in page


def test_another_programmes_staff_cannot_be_opened_or_changed(
    world: World, admin_user: User
) -> None:
    outsider = world.users["other_programme_lead"]
    url = reverse("core:staff-edit", kwargs={"pk": outsider.pk})
    client = signed_in(admin_user)

    opened = client.get(url)
    changed = client.post(url, edit_form(outsider, is_active=None, roles=[Role.MENTOR]))

    assert (opened.status_code, changed.status_code) == (404, 404)
    outsider.refresh_from_db()
    assert outsider.is_active
    assert outsider.role_names == {Role.PROGRAMME_LEAD}


@pytest.mark.parametrize("extra_staff", [3, 30])
def test_the_staff_list_costs_the_same_queries_however_many_staff(
    world: World, admin_user: User, extra_staff: int, django_assert_num_queries: Any
) -> None:
    mentor_group = Group.objects.get(name=Role.MENTOR)
    for number in range(extra_staff):
        User.objects.create_user(
            email=f"extra{number}@example.org", full_name="Extra", programme=world.programme
        ).groups.add(mentor_group)
    client = signed_in(admin_user)

    with django_assert_num_queries(7):
        response = client.get(reverse("core:staff"))

    assert response.status_code == 200
