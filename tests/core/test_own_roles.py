"""Nobody changes their own roles; a role that reads special-category data
is given on the record, and the programme's other admins hear of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from peerprog.core import services
from peerprog.core.models import Notification, Role, User
from tests.conftest import World
from tests.core.factories import UserFactory
from tests.core.once_helpers import FormClient

pytestmark = pytest.mark.django_db

OWN_ROLES = "You cannot change your own roles. Ask another administrator."


def _edit(client: FormClient, member: User, **values: Any) -> Any:
    form: dict[str, Any] = {
        "full_name": member.full_name,
        "job_title": member.job_title,
        "roles": sorted(member.role_names),
        "is_active": "on",
    }
    form.update(values)
    return client.post(reverse("core:staff-edit", kwargs={"pk": member.pk}), form)


def _signed_in(user: User) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


def test_an_admin_cannot_give_themselves_the_lead_role(world: World, admin_user: User) -> None:
    response = _edit(_signed_in(admin_user), admin_user, roles=[Role.ADMIN, Role.PROGRAMME_LEAD])

    assert response.status_code == 200
    assert OWN_ROLES in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).role_names == {Role.ADMIN}


def test_the_service_refuses_a_change_of_ones_own_roles(world: World, admin_user: User) -> None:
    with pytest.raises(services.DomainError, match="cannot change your own roles"):
        services.staff_user_update(
            user=admin_user,
            by=admin_user,
            full_name=admin_user.full_name,
            job_title="",
            roles=[Role.ADMIN, Role.HR],
            is_active=True,
        )


def test_an_admin_may_still_change_their_own_name_and_job_title(
    world: World, admin_user: User
) -> None:
    response = _edit(
        _signed_in(admin_user), admin_user, full_name="Ada Lovelace", job_title="Head of peers"
    )

    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert (admin_user.full_name, admin_user.job_title) == ("Ada Lovelace", "Head of peers")


def test_giving_a_sensitive_role_is_audited_and_told_to_the_other_admins(
    world: World, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    second_admin = UserFactory(
        email="second.admin@example.org", programme=world.programme, roles=[Role.ADMIN]
    )
    mentor = world.users["mentor"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(_signed_in(admin_user), mentor, roles=[Role.MENTOR, Role.HR])

    assert response.status_code == 302
    row = mentor.history.order_by("-history_id").first()
    assert row.history_user_id == admin_user.pk
    assert "HR" in row.history_change_reason
    told = Notification.objects.filter(key__startswith="sensitive-role-given:")
    assert list(told.values_list("recipient_id", flat=True)) == [second_admin.pk]
    assert mail.outbox and mail.outbox[-1].to == [second_admin.email]
    assert mentor.full_name in mail.outbox[-1].body
    superuser = world.users["sysadmin"]
    assert not Notification.objects.filter(recipient=superuser).exists()


def test_with_one_admin_the_system_administrators_hear_of_a_sensitive_role(
    world: World, admin_user: User
) -> None:
    services.staff_user_update(
        user=world.users["mentor"],
        by=admin_user,
        full_name="Mo Mentor",
        job_title="",
        roles=[Role.MENTOR, Role.PROGRAMME_LEAD],
        is_active=True,
    )

    told = Notification.objects.filter(key__startswith="sensitive-role-given:")
    assert list(told.values_list("recipient_id", flat=True)) == [world.users["sysadmin"].pk]


def test_giving_a_role_without_sensitive_reading_tells_nobody(
    world: World, admin_user: User
) -> None:
    UserFactory(email="second.admin@example.org", programme=world.programme, roles=[Role.ADMIN])

    services.staff_user_update(
        user=world.users["mentor"],
        by=admin_user,
        full_name="Mo Mentor",
        job_title="",
        roles=[Role.MENTOR, Role.FACILITATOR],
        is_active=True,
    )

    assert not Notification.objects.filter(key__startswith="sensitive-role-given:").exists()


def test_adding_a_new_lead_is_announced_like_a_grant(world: World, admin_user: User) -> None:
    second_admin = UserFactory(
        email="second.admin@example.org", programme=world.programme, roles=[Role.ADMIN]
    )

    made = services.staff_user_create(
        programme=world.programme,
        by=admin_user,
        email="new.lead@example.org",
        full_name="Nia Lead",
        roles=[Role.PROGRAMME_LEAD],
        send_invitation=False,
    )

    told = Notification.objects.get(key__startswith="sensitive-role-given:")
    assert told.recipient == second_admin
    assert "Nia Lead" in told.title
    assert made.history.filter(history_user=admin_user, history_type="~").exists()
