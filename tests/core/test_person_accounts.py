"""Accounts for the programme's people: leads and HR invite a person from
their page, an existing account is linked rather than doubled, and the
account is switched off when the person is no longer on the programme."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import accounts
from peerprog.core.models import Person, Role, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.services import DomainError
from tests.conftest import World
from tests.core.factories import PersonFactory, UserFactory
from tests.core.once_helpers import signed_in

PASSWORD = "a sound new passphrase"


def invite(client: Client, person: Person) -> Any:
    return client.post(reverse("core:person-invite", args=[person.pk]), follow=True)


def link_in(row: OutboxEmail) -> str:
    found = re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", row.body_text)
    assert found, row.body_text
    return found.group(1)


def choose_password(path: str) -> Client:
    """Open the invitation's link and choose a password, as the person does."""
    newcomer = Client()
    form_page = newcomer.get(path, follow=True)
    assert form_page.status_code == 200
    done = newcomer.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert done["Location"] == reverse("password_reset_complete")
    return newcomer


def test_a_lead_invites_a_person_who_gets_an_account_of_their_own(world: World, lead: User) -> None:
    person = world.person

    response = invite(signed_in(lead), person)

    person.refresh_from_db()
    account = person.user
    assert f"The invitation has been sent to {person.display_name}." in response.content.decode()
    assert account.email == person.email
    assert account.full_name == person.legal_name
    assert account.programme == world.programme
    assert account.role_names == frozenset()
    assert not account.has_usable_password()
    assert person.invited_at is not None


def test_the_invitation_is_a_password_link_through_the_outbox(world: World, lead: User) -> None:
    invite(signed_in(lead), world.person)

    row = OutboxEmail.objects.get(kind="person_invitation")
    assert row.to_address == world.person.email
    assert row.recipient_person == world.person
    assert "the link works for 4 hours" in row.body_text
    assert "choose_password" not in row.body_text


def test_the_invited_person_chooses_a_password_and_signs_in_to_their_own_pages(
    world: World, lead: User
) -> None:
    invite(signed_in(lead), world.person)

    choose_password(link_in(OutboxEmail.objects.get(kind="person_invitation")))
    person_client = Client()
    signed = person_client.post(
        reverse("login"), {"username": world.person.email, "password": PASSWORD}, follow=True
    )

    assert signed.redirect_chain[-1][0] == reverse("selfservice:home")


def test_hr_invites_a_peer_worker(world: World, hr: User) -> None:
    from tests.selfservice.world import people_world

    worker = people_world(world)["peer_worker_person"]
    worker.user = None
    worker.email = "new.worker@example.org"
    worker.save()

    invite(signed_in(hr), worker)

    worker.refresh_from_db()
    assert worker.user.email == "new.worker@example.org"


def test_a_person_without_an_e_mail_address_is_refused_in_plain_words(
    world: World, lead: User
) -> None:
    person = PersonFactory(programme=world.programme, email="")

    response = invite(signed_in(lead), person)

    assert "has no e-mail address" in response.content.decode()
    assert not User.objects.filter(people=person).exists()


def test_sending_again_is_not_doubled_within_a_minute(world: World, lead: User) -> None:
    client = signed_in(lead)
    invite(client, world.person)

    response = invite(client, world.person)

    assert "less than a minute ago" in response.content.decode()
    assert OutboxEmail.objects.filter(kind="person_invitation").count() == 1


def test_sending_again_later_sends_a_new_link_and_links_no_second_account(
    world: World, lead: User
) -> None:
    client = signed_in(lead)
    invite(client, world.person)
    Person.objects.filter(pk=world.person.pk).update(invited_at=timezone.now() - timedelta(hours=5))

    response = invite(client, world.person)

    assert "The invitation has been sent again" in response.content.decode()
    assert OutboxEmail.objects.filter(kind="person_invitation").count() == 2
    assert User.objects.filter(email__iexact=world.person.email).count() == 1


def test_the_same_invitation_twice_is_stored_once(world: World, lead: User) -> None:
    """The service keys each e-mail by the invitation before it: an e-mail
    for the same step is never stored twice."""
    person = world.person
    accounts.person_invite(person=person, by=lead)
    Person.objects.filter(pk=person.pk).update(invited_at=None)

    accounts.person_invite(person=Person.objects.get(pk=person.pk), by=lead)

    assert OutboxEmail.objects.filter(kind="person_invitation").count() == 1


def test_an_existing_staff_account_is_linked_and_told_without_a_password_link(
    world: World, lead: User
) -> None:
    supervisor = world.users["supervisor"]
    person = PersonFactory(programme=world.programme, email=supervisor.email.upper())

    accounts.person_invite(person=person, by=lead)

    person.refresh_from_db()
    assert person.user == supervisor
    row = OutboxEmail.objects.get(recipient_user=supervisor)
    assert row.kind == "person_account_notice"
    assert "/password/reset/" not in row.body_text
    assert User.objects.filter(email__iexact=supervisor.email).count() == 1


def test_the_person_in_another_programme_keeps_one_account(world: World, lead: User) -> None:
    elsewhere = UserFactory(email="twice@example.org", programme=world.other_programme, roles=[])
    PersonFactory(programme=world.other_programme, email="twice@example.org", user=elsewhere)
    here = PersonFactory(programme=world.programme, email="twice@example.org")

    accounts.person_invite(person=here, by=lead)

    here.refresh_from_db()
    assert here.user == elsewhere
    assert elsewhere.people.count() == 2
    assert OutboxEmail.objects.get(recipient_user=elsewhere).kind == "person_account_notice"


def test_another_programmes_person_gives_404(world: World, lead: User) -> None:
    response = signed_in(lead).post(reverse("core:person-invite", args=[world.other_person.pk]))

    assert response.status_code == 404
    assert world.other_person.user is None


def test_another_programmes_lead_cannot_invite(world: World) -> None:
    with pytest.raises(DomainError):
        accounts.person_invite(person=world.person, by=world.users["other_programme_lead"])


def test_the_person_page_shows_the_account(world: World, lead: User) -> None:
    client = signed_in(lead)
    page = client.get(reverse("core:person-detail", args=[world.person.pk])).content.decode()
    assert "No account yet" in page
    assert "Invite to an account" in page

    invite(client, world.person)
    page = client.get(reverse("core:person-detail", args=[world.person.pk])).content.decode()

    assert "Has an account" in page
    assert "Send the invitation again" in page
    assert "Not yet" in page  # last signed in


# Switching off: leaving the programme.


def leaver_world(world: World) -> dict[str, Any]:
    from tests.selfservice.world import people_world

    return people_world(world)


def test_a_peer_worker_who_leaves_their_post_is_switched_off(world: World, hr: User) -> None:
    from deployment.services.leaving import appointment_leave
    from tests.deployment.factories import LeavingReasonFactory

    people = leaver_world(world)
    appointment = people["peer_worker_appointment"]
    reason = LeavingReasonFactory(programme=world.programme)

    appointment_leave(appointment=appointment, last_day=timezone.localdate(), reason=reason, by=hr)

    assert not User.objects.get(pk=world.users["peer_worker"].pk).is_active
    change = User.history.filter(id=world.users["peer_worker"].pk).latest()
    assert change.history_change_reason == "Switched off: no longer on the programme."
    assert change.history_user == hr


def test_a_leaver_who_also_supervises_keeps_their_account(world: World, hr: User) -> None:
    from deployment.services.leaving import appointment_leave
    from tests.deployment.factories import LeavingReasonFactory

    people = leaver_world(world)
    appointment = people["peer_worker_supervisor_appointment"]
    reason = LeavingReasonFactory(programme=world.programme)

    appointment_leave(appointment=appointment, last_day=timezone.localdate(), reason=reason, by=hr)

    assert User.objects.get(pk=world.users["peer_worker_supervisor"].pk).is_active


def test_a_trainee_who_does_not_complete_is_switched_off(world: World, lead: User) -> None:
    from tests.training.factories import training_object
    from training.services.enrolment import enrolment_close

    people = leaver_world(world)
    enrolment = people["trainee_enrolment"]
    reason = training_object(world, "non_completion_reason")

    enrolment_close(enrolment=enrolment, reason=reason, by=lead)

    assert not User.objects.get(pk=world.users["trainee"].pk).is_active


def test_a_trainee_who_does_not_complete_but_applied_again_keeps_their_account(
    world: World, lead: User
) -> None:
    from tests.training.factories import ApplicationFactory, CohortFactory, training_object
    from training.services.enrolment import enrolment_close

    people = leaver_world(world)
    ApplicationFactory(
        cohort=CohortFactory(programme=world.programme, name="Cohort C"),
        person=people["trainee_person"],
    )
    reason = training_object(world, "non_completion_reason")

    enrolment_close(enrolment=people["trainee_enrolment"], reason=reason, by=lead)

    assert User.objects.get(pk=world.users["trainee"].pk).is_active


def test_a_switched_off_account_cannot_sign_in(world: World) -> None:
    trainee = world.users["trainee"]
    User.objects.filter(pk=trainee.pk).update(is_active=False)
    client = Client()

    response = client.post(
        reverse("login"), {"username": trainee.email, "password": "a-long-test-password"}
    )

    assert response.status_code == 200
    assert "The e-mail address or password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_switched_off_accounts_open_session_ends(world: World) -> None:
    trainee = world.users["trainee"]
    client = Client()
    client.force_login(trainee)
    User.objects.filter(pk=trainee.pk).update(is_active=False)

    response = client.get(reverse("selfservice:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inviting_again_switches_the_account_on(world: World, lead: User) -> None:
    people = leaver_world(world)
    trainee = world.users["trainee"]
    User.objects.filter(pk=trainee.pk).update(is_active=False)

    accounts.person_invite(person=people["trainee_person"], by=lead)

    assert User.objects.get(pk=trainee.pk).is_active
    # It has a password already: a notice, not a new link.
    assert OutboxEmail.objects.get(recipient_user=trainee).kind == "person_account_notice"


def test_an_account_whose_records_were_all_erased_is_switched_off(world: World) -> None:
    former = world.users["former_trainee"]
    PersonFactory(programme=world.programme, user=former, email=former.email)
    Person.objects.filter(user=former).update(user=None)

    assert accounts.account_review(user_id=former.pk)
    assert not User.objects.get(pk=former.pk).is_active


def test_a_passed_trainee_waiting_for_a_post_keeps_their_account(world: World) -> None:
    leaver_world(world)

    assert not accounts.account_review(user_id=world.users["former_trainee"].pk)


def test_every_app_has_a_word_on_its_people() -> None:
    assert [standing.name for standing in accounts.standings()] == [
        "has an open application",
        "has an open enrolment or passed",
        "has an active appointment",
    ]


def test_a_staff_account_is_never_switched_off_here(world: World) -> None:
    assert not accounts.account_review(user_id=world.users["lead"].pk)
    assert User.objects.get(pk=world.users["lead"].pk).is_active


# Password reset and the second factor for people's accounts.


def test_a_person_with_a_password_gets_a_reset_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    leaver_world(world)
    trainee = world.users["trainee"]

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": trainee.email})

    row = OutboxEmail.objects.get(kind="password_reset")
    assert row.recipient_user == trainee
    choose_password(link_in(row))
    assert User.objects.get(pk=trainee.pk).check_password(PASSWORD)


def test_an_invited_person_whose_link_expired_can_ask_for_a_new_one(
    world: World, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    accounts.person_invite(person=world.person, by=lead)

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": world.person.email})

    row = OutboxEmail.objects.get(kind="password_reset")
    assert row.recipient_person is None
    assert row.recipient_user == Person.objects.get(pk=world.person.pk).user


def test_staff_who_never_chose_a_password_still_get_no_reset_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    newcomer = UserFactory(email="no.password@example.org", programme=world.programme)
    newcomer.set_unusable_password()
    newcomer.save()

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": newcomer.email})

    assert not OutboxEmail.objects.filter(kind="password_reset").exists()


def test_people_sign_in_with_a_password_when_staff_use_single_sign_on(
    world: World, settings: Any
) -> None:
    leaver_world(world)
    settings.SSO_ENABLED = True
    settings.STAFF_LOCAL_PASSWORDS = False

    person = Client().post(
        reverse("login"),
        {"username": world.users["trainee"].email, "password": "a-long-test-password"},
    )
    staff = Client().post(
        reverse("login"),
        {"username": world.users["lead"].email, "password": "a-long-test-password"},
    )

    assert person.status_code == 302
    assert staff.status_code == 200


def test_a_person_without_a_staff_role_is_not_asked_for_a_second_factor(world: World) -> None:
    leaver_world(world)
    client = Client()
    client.post(
        reverse("login"),
        {"username": world.users["trainee"].email, "password": "a-long-test-password"},
    )

    response = client.get(reverse("selfservice:home"))

    assert response.status_code == 200


def test_a_peer_worker_who_supervises_is_asked_for_a_second_factor(world: World) -> None:
    leaver_world(world)
    client = Client()
    client.post(
        reverse("login"),
        {
            "username": world.users["peer_worker_supervisor"].email,
            "password": "a-long-test-password",
        },
    )

    response = client.get(reverse("selfservice:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:second-factor-setup"))


def test_invited_people_hold_no_role(world: World, lead: User) -> None:
    account = accounts.person_invite(person=world.person, by=lead)

    assert not account.has_role(*Role.values)
