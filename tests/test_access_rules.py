"""The access-rule table: every URL, every persona, the status they get.

One more persona is checked on every URL: a programme lead signed in with
their password who has not yet set up the second factor their role needs
(the half-signed-in persona). They reach sign-in, the second-factor pages
and sign-out, and are sent to set up their second factor from everywhere
else.

The test walks the URL resolver, so a URL without a line here fails. Each
rule names the personas whose role lets them in; everyone else who is signed
in gets 403, anonymous users are sent to sign in, and a persona with the role
but outside the object's scope (another programme, a mentor who is not this
trainee's) gets 404. Each rule with an object also names an object of the
other programme, which every allowed persona must get 404 for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerprog.core.models import Person, Role, User
from tests.conftest import PERSONAS, World
from tests.core.factories import UserFactory
from tests.deployment.factories_in_post import in_post_pk
from tests.deployment.scoring_world import scoring_pk
from tests.selfservice.course_world import course_pk
from tests.selfservice.world import people_world

Kwargs = Callable[[World], dict[str, Any]]

LEAD = "lead"
HR = "hr"
ADMIN = "admin"
MENTOR = "mentor"
MENTOR_NONE = "mentor_without_mentees"
SUPERVISOR = "supervisor"
FACILITATOR = "facilitator"
ASSESSOR = "assessor"
DPO = "dpo"
STAFF = (LEAD, HR, MENTOR, MENTOR_NONE, SUPERVISOR, ADMIN, FACILITATOR, ASSESSOR, DPO)
# The programme's own people (tests/selfservice/world.py). Without a staff
# role they are refused every staff page (403); the peer worker who also
# supervises gets what a supervisor gets, except 404 for other supervisors'
# people. Pages for every signed-in user (notifications, the second factor)
# are theirs too.
TRAINEE = "trainee"
TRAINEE_OTHER_COHORT = "trainee_other_cohort"
FORMER_TRAINEE = "former_trainee"
PEER_WORKER = "peer_worker"
PEER_WORKER_OTHER_PROGRAMME = "peer_worker_other_programme"
PEER_WORKER_SUPERVISOR = "peer_worker_supervisor"
PEOPLE = (
    TRAINEE,
    TRAINEE_OTHER_COHORT,
    FORMER_TRAINEE,
    PEER_WORKER,
    PEER_WORKER_OTHER_PROGRAMME,
    PEER_WORKER_SUPERVISOR,
)


@dataclass(frozen=True)
class Rule:
    """Who may open a URL.

    allowed: personas whose role lets them in (the other programme's lead is
        allowed wherever the lead is, but gets 404 for this programme's
        objects).
    kwargs / foreign: URL arguments for an object in the programme, and for
        one in the other programme.
    method: "get", or "post" for actions (their success is a redirect).
    public: open without signing in.
    overrides: exact statuses for personas that the defaults do not describe.
    """

    allowed: tuple[str, ...] = ()
    kwargs: Kwargs | None = None
    foreign: Kwargs | None = None
    method: str = "get"
    public: bool = False
    ok: int = 200
    overrides: dict[str, int] = field(default_factory=dict)

    def expected(self, persona: str) -> int:
        if persona in self.overrides:
            return self.overrides[persona]
        if self.public:
            return self.ok
        if persona == "anonymous":
            return 302
        if persona == "other_programme_lead":
            if LEAD not in self.allowed:
                return 403
            return 404 if self.kwargs else self.ok
        if persona in self.allowed:
            return self.ok
        if persona in PEOPLE and set(STAFF) <= set(self.allowed):
            # A page for everyone signed in.
            return self.overrides.get("sysadmin", self.ok)
        if persona == PEER_WORKER_SUPERVISOR and SUPERVISOR in self.allowed:
            return 404 if self.kwargs else self.ok
        return 403


def pk_of(attribute: str) -> Kwargs:
    def kwargs(world: World) -> dict[str, Any]:
        obj = getattr(world, attribute, None) or world.objects[attribute]
        return {"pk": obj.pk}

    return kwargs


def training_pk(name: str) -> Kwargs:
    """Training's objects are built only when a training rule asks for them."""

    def kwargs(world: World) -> dict[str, Any]:
        from tests.training.factories import training_object

        return {"pk": training_object(world, name).pk}

    return kwargs


def supervision_pk(name: str) -> Kwargs:
    """Supervision's objects are built only when a supervision rule asks."""

    def kwargs(world: World) -> dict[str, Any]:
        from tests.supervision.factories import supervision_object

        return {"pk": supervision_object(world, name).pk}

    return kwargs


def supervising_pk(name: str) -> Kwargs:
    def kwargs(world: World) -> dict[str, Any]:
        from tests.supervision.factories import supervising_object

        return {"pk": supervising_object(world, name).pk}

    return kwargs


def export_pk(owner: str, *, ready: bool = False) -> Kwargs:
    """A background export asked for by ``owner``: only they may see it."""

    def kwargs(world: World) -> dict[str, Any]:
        from tests.core.test_exports import background_export

        return {"pk": background_export(world.users[owner], ready=ready).pk}

    return kwargs


def subject_access_pk(owner: str, *, ready: bool = False) -> Kwargs:
    """A subject access request asked for by ``owner``: only they reach it."""

    def kwargs(world: World) -> dict[str, Any]:
        from tests.core.subject_access_helpers import subject_access_request

        return {"pk": subject_access_request(world.users[owner], ready=ready).pk}

    return kwargs


# A mentor who is not this trainee's mentor gets 404, not 403: the page
# exists for mentors, but not for this one.
NOT_THEIR_MENTOR = {MENTOR_NONE: 404}

# Every signed-in persona, whatever their role.
EVERYONE_SIGNED_IN = {"sysadmin": 200, "other_programme_lead": 200}

HALF_SIGNED_IN = "half_signed_in"
# What the half-signed-in persona gets where they are let through; every
# other URL sends them to set up their second factor.
HALF_SIGNED_IN_REACHES = {
    # Signed-in users are sent on from the sign-in page (and from there to
    # set up their second factor).
    "login": 302,
    "logout": 302,
    "core:second-factor-setup": 200,
    # Without an app there is no code to enter: sent on to set one up.
    "core:second-factor-verify": 302,
    "core:second-factor-recovery": 200,
}


def people_pk(name: str) -> Kwargs:
    """One of a people persona's own records (tests/selfservice/world.py)."""

    def kwargs(world: World) -> dict[str, Any]:
        return {"pk": people_world(world)[name].pk}

    return kwargs


def portfolio_pk(name: str) -> Kwargs:
    """A people persona's draft or final portfolio
    (tests/selfservice/portfolio_world.py)."""

    def kwargs(world: World) -> dict[str, Any]:
        from tests.selfservice.portfolio_world import portfolio_object

        return {"pk": portfolio_object(world, name).pk}

    return kwargs


def privacy_pk(name: str) -> Kwargs:
    """A record due under the retention schedule, and a legal hold, in the
    programme (and, for ``foreign``, in the other programme)."""

    def kwargs(world: World) -> dict[str, Any]:
        key = f"privacy_{name}"
        if key not in world.objects:
            from django.contrib.contenttypes.models import ContentType

            from peerprog.core.models import (
                ErasureMention,
                ErasureRequest,
                LegalHold,
                RetentionDue,
            )

            person_type = ContentType.objects.get_for_model(Person)
            for prefix, programme, person in (
                ("", world.programme, world.person),
                ("other_", world.other_programme, world.other_person),
            ):
                due = RetentionDue.objects.create(
                    kind="recruitment.unsuccessful_application",
                    content_type=person_type,
                    object_id=person.pk,
                    programme=programme,
                    person=person,
                    label="Unsuccessful application",
                    due_on=date(2025, 1, 15),
                )
                hold = LegalHold.objects.create(
                    content_type=person_type,
                    object_id=person.pk + 1_000_000,
                    programme=programme,
                    person=person,
                    label="Employment record",
                    reason="A claim to an employment tribunal.",
                    placed_by=world.users["dpo"],
                )
                # Under the hold above, so approving it is refused.
                erasure = ErasureRequest.objects.create(
                    programme=programme,
                    person=person,
                    reason="Asked in a letter.",
                    requested_by=world.users["dpo"],
                )
                mention = ErasureMention.objects.create(
                    request=erasure,
                    content_type=person_type,
                    object_id=person.pk,
                    field="address",
                    label="Person: address",
                )
                world.objects[f"privacy_{prefix}due"] = due
                world.objects[f"privacy_{prefix}hold"] = hold
                world.objects[f"privacy_{prefix}erasure"] = erasure
                world.objects[f"privacy_{prefix}mention"] = mention
        if name.endswith("mention"):
            mention = world.objects[key]
            return {"pk": mention.request_id, "mention": mention.pk}
        return {"pk": world.objects[key].pk}

    return kwargs


def activity_topic_pk(prefix: str) -> Kwargs:
    """A topic of the programme's activity list (its suggested ones)."""

    def kwargs(world: World) -> dict[str, Any]:
        from deployment.models import ActivityTopic
        from deployment.services.activity import activity_topics_ensure_defaults

        programme = world.other_programme if prefix else world.programme
        activity_topics_ensure_defaults(programme=programme)
        return {"pk": ActivityTopic.objects.filter(programme=programme).first().pk}

    return kwargs


def mine(owner: str, kwargs: Kwargs | None = None, **rule: Any) -> Rule:
    """A person's own page: the owner opens it; every other person gets 404
    when it names a record (it is not theirs), or opens their own version of
    it when it does not; staff without a person record get 403."""
    others = {p: (404 if kwargs else rule.get("ok", 200)) for p in PEOPLE if p != owner}
    others.update(rule.pop("overrides", {}))
    return Rule(allowed=(owner,), kwargs=kwargs, overrides=others, **rule)


RULES: dict[str, Rule] = {
    # People's own pages (selfservice): each person's own records only.
    "selfservice:home": mine(TRAINEE),
    "selfservice:portfolio": mine(TRAINEE, kwargs=people_pk("trainee_enrolment")),
    "selfservice:portfolio-draft-create": mine(TRAINEE, kwargs=people_pk("trainee_enrolment")),
    "selfservice:portfolio-submission-create": mine(TRAINEE, kwargs=people_pk("trainee_enrolment")),
    "selfservice:portfolio-draft-file": mine(TRAINEE, kwargs=portfolio_pk("trainee_draft")),
    "selfservice:portfolio-submission-file": mine(
        FORMER_TRAINEE, kwargs=portfolio_pk("former_trainee_submission")
    ),
    "selfservice:my-job": mine(PEER_WORKER, kwargs=people_pk("peer_worker_appointment")),
    "selfservice:my-activity": mine(PEER_WORKER, kwargs=people_pk("peer_worker_appointment")),
    "selfservice:my-supervision": mine(PEER_WORKER, kwargs=people_pk("peer_worker_person")),
    # The peer worker persona's plan is the supervision world's supervisee's.
    "selfservice:my-wellbeing-plan": mine(PEER_WORKER, kwargs=supervising_pk("wellbeing_plan")),
    "selfservice:my-wellbeing-plan-edit": mine(
        PEER_WORKER, kwargs=supervising_pk("wellbeing_plan")
    ),
    "selfservice:course": mine(TRAINEE, kwargs=people_pk("trainee_enrolment")),
    "selfservice:course-calendar-address": mine(
        TRAINEE, kwargs=people_pk("trainee_enrolment"), method="post", ok=302
    ),
    "selfservice:mentoring": mine(TRAINEE, kwargs=people_pk("trainee_enrolment")),
    "selfservice:meeting-note": mine(
        TRAINEE, kwargs=course_pk("trainee_meeting"), method="post", ok=302
    ),
    "selfservice:meeting-confirm": mine(
        TRAINEE, kwargs=course_pk("trainee_meeting"), method="post", ok=302
    ),
    "selfservice:details": mine(TRAINEE),
    # Who has read my records: every account with a person record sees its own.
    "selfservice:my-reads": mine(TRAINEE),
    "selfservice:my-data": mine(TRAINEE),
    # The kernel
    # People without a staff role are sent on to their own pages.
    "core:home": Rule(
        allowed=(*STAFF, PEER_WORKER_SUPERVISOR),
        overrides={
            "sysadmin": 200,
            "other_programme_lead": 200,
            **{p: 302 for p in PEOPLE if p != PEER_WORKER_SUPERVISOR},
        },
    ),
    "core:health": Rule(public=True),
    # Search: every staff role, each finding only what it may open; people
    # without a staff role are refused.
    "core:search": Rule(
        allowed=(*STAFF, PEER_WORKER_SUPERVISOR),
        overrides={p: 403 for p in PEOPLE if p != PEER_WORKER_SUPERVISOR},
    ),
    # E-mails that could not be sent, for the programme's admins.
    "core:failed-messages": Rule(allowed=(ADMIN,)),
    # A staff member's own calendar address: the roles whose work it holds.
    "core:staff-calendar": Rule(allowed=(MENTOR, MENTOR_NONE, SUPERVISOR, FACILITATOR)),
    # A person's calendar feed: open to calendar apps; a wrong address is 404.
    "core:calendar-feed": Rule(public=True, ok=404, kwargs=lambda w: {"token": "not-a-token"}),
    "core:about": Rule(public=True),
    "core:people": Rule(allowed=(LEAD, HR)),
    "core:person-create": Rule(allowed=(LEAD, HR)),
    "core:person-detail": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("person"), foreign=pk_of("other_person")
    ),
    "core:person-history": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("person"), foreign=pk_of("other_person")
    ),
    "core:person-edit": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("person"), foreign=pk_of("other_person")
    ),
    # A post without the page's one-time token does nothing and is sent
    # back, before the person is looked up; the other programme's person
    # (404, with a token) is tested in tests/core/test_person_accounts.py.
    "core:person-invite": Rule(
        allowed=(LEAD, HR),
        kwargs=pk_of("person"),
        method="post",
        ok=302,
        overrides={"other_programme_lead": 302},
    ),
    "core:person-sensitive": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("person"), foreign=pk_of("other_person")
    ),
    "core:adjustment-create": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("person"), foreign=pk_of("other_person")
    ),
    "core:adjustment-edit": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("adjustment"), foreign=pk_of("other_adjustment")
    ),
    "core:programme": Rule(allowed=(LEAD, HR, ADMIN)),
    "core:programme-address": Rule(allowed=(LEAD, ADMIN)),
    "core:service-create": Rule(allowed=(LEAD, ADMIN)),
    "core:service-edit": Rule(
        allowed=(LEAD, ADMIN), kwargs=pk_of("service"), foreign=pk_of("other_service")
    ),
    "core:staff": Rule(allowed=(ADMIN,)),
    "core:staff-create": Rule(allowed=(ADMIN,)),
    "core:staff-edit": Rule(
        allowed=(ADMIN,),
        kwargs=lambda w: {"pk": w.users["mentor"].pk},
        foreign=lambda w: {"pk": w.users["other_programme_lead"].pk},
    ),
    "core:audit": Rule(allowed=(ADMIN, DPO), overrides={"sysadmin": 200}),
    # The data protection officer's pages: the officer only.
    "core:read-log": Rule(allowed=(DPO,)),
    "core:read-log-export": Rule(allowed=(DPO,)),
    "core:retention": Rule(allowed=(DPO,)),
    # Approving nothing is refused with a message and sent back.
    "core:retention-approve": Rule(allowed=(DPO,), method="post", ok=302),
    "core:retention-hold": Rule(
        allowed=(DPO,), kwargs=privacy_pk("due"), foreign=privacy_pk("other_due")
    ),
    "core:legal-holds": Rule(allowed=(DPO,)),
    # The data map describes fields, never anyone's data.
    "core:data-map": Rule(allowed=(DPO, ADMIN)),
    "core:data-map-csv": Rule(allowed=(DPO, ADMIN)),
    # Erasure: an officer asks; a second officer or an admin decides.
    "core:erasures": Rule(allowed=(DPO, ADMIN)),
    "core:erasure-start": Rule(allowed=(DPO,)),
    "core:erasure": Rule(
        allowed=(DPO, ADMIN), kwargs=privacy_pk("erasure"), foreign=privacy_pk("other_erasure")
    ),
    # The person is under a legal hold: approval is refused with a message.
    "core:erasure-approve": Rule(
        allowed=(DPO, ADMIN),
        kwargs=privacy_pk("erasure"),
        foreign=privacy_pk("other_erasure"),
        method="post",
        ok=302,
    ),
    "core:erasure-refuse": Rule(
        allowed=(DPO, ADMIN), kwargs=privacy_pk("erasure"), foreign=privacy_pk("other_erasure")
    ),
    "core:erasure-mention": Rule(
        allowed=(DPO,), kwargs=privacy_pk("mention"), foreign=privacy_pk("other_mention")
    ),
    "core:legal-hold-lift": Rule(
        allowed=(DPO,),
        kwargs=privacy_pk("hold"),
        foreign=privacy_pk("other_hold"),
        method="post",
        ok=302,
    ),
    "core:retention-rules": Rule(allowed=(DPO,)),
    "core:retention-rule-edit": Rule(
        allowed=(DPO,), kwargs=lambda w: {"kind": "recruitment.unsuccessful_application"}
    ),
    # Notifications are each user's own: everyone signed in may open the
    # list; marking one read is for its recipient only (404 for the rest).
    "core:notifications": Rule(
        allowed=STAFF, overrides={"sysadmin": 200, "other_programme_lead": 200}
    ),
    "core:notification-read": Rule(
        allowed=(LEAD,),
        kwargs=pk_of("notification"),
        method="post",
        ok=302,
        overrides={
            p: 404 for p in (*STAFF, *PEOPLE, "sysadmin", "other_programme_lead") if p != LEAD
        },
    ),
    "core:notifications-read-all": Rule(
        allowed=STAFF,
        method="post",
        ok=302,
        overrides={"sysadmin": 302, "other_programme_lead": 302},
    ),
    # Each user's own reminder e-mail settings.
    "core:notification-settings": Rule(
        allowed=STAFF, overrides={"sysadmin": 200, "other_programme_lead": 200}
    ),
    # The second factor: each user's own pages. Signed-in personas have
    # passed it: the code pages send them on, and without an app the
    # recovery codes page sends them to their second factor page.
    "core:second-factor": Rule(allowed=STAFF, overrides=EVERYONE_SIGNED_IN),
    "core:second-factor-setup": Rule(allowed=STAFF, overrides=EVERYONE_SIGNED_IN),
    "core:second-factor-verify": Rule(
        allowed=STAFF, ok=302, overrides={"sysadmin": 302, "other_programme_lead": 302}
    ),
    "core:second-factor-recovery": Rule(
        allowed=STAFF, ok=302, overrides={"sysadmin": 302, "other_programme_lead": 302}
    ),
    "core:second-factor-recovery-codes": Rule(
        allowed=STAFF, ok=302, overrides={"sysadmin": 302, "other_programme_lead": 302}
    ),
    "core:second-factor-switch-off": Rule(allowed=STAFF, overrides=EVERYONE_SIGNED_IN),
    "core:sign-ins": Rule(allowed=STAFF, overrides=EVERYONE_SIGNED_IN),
    # An admin resets a colleague's second factor; system administrators
    # anyone's.
    "core:staff-second-factor-reset": Rule(
        allowed=(ADMIN,),
        kwargs=lambda w: {"pk": w.users["mentor"].pk},
        foreign=lambda w: {"pk": w.users["other_programme_lead"].pk},
        method="post",
        ok=302,
        overrides={"sysadmin": 302},
    ),
    # Deployment: HR everything; leads and admins read; leads also record
    # recruitment-day decisions; supervisors, mentors, facilitators and
    # assessors are refused (supervisors see their supervisees' appointments
    # on the supervision app's pages).
    "deployment:posts": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:post-create": Rule(allowed=(HR,)),
    "deployment:posts-convert": Rule(allowed=(HR,), ok=302),
    "deployment:posts-import": Rule(allowed=(HR,)),
    "deployment:posts-import-preview": Rule(
        allowed=(HR,),
        kwargs=pk_of("establishment_import"),
        foreign=pk_of("other_establishment_import"),
    ),
    "deployment:post-detail": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=pk_of("deployment_post"),
        foreign=pk_of("other_deployment_post"),
    ),
    "deployment:post-edit": Rule(
        allowed=(HR,), kwargs=pk_of("deployment_post"), foreign=pk_of("other_deployment_post")
    ),
    "deployment:post-freeze": Rule(
        allowed=(HR,),
        kwargs=pk_of("deployment_post"),
        foreign=pk_of("other_deployment_post"),
        method="post",
        ok=302,
    ),
    "deployment:post-unfreeze": Rule(
        allowed=(HR,),
        kwargs=pk_of("deployment_post"),
        foreign=pk_of("other_deployment_post"),
        method="post",
        ok=302,
    ),
    "deployment:post-convert": Rule(
        allowed=(HR,), kwargs=pk_of("deployment_post"), foreign=pk_of("other_deployment_post")
    ),
    "deployment:conversion-undo": Rule(
        allowed=(HR,), kwargs=pk_of("conversion"), foreign=pk_of("other_conversion")
    ),
    "deployment:vacancies": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:vacancy-create": Rule(
        allowed=(HR,), kwargs=pk_of("deployment_post"), foreign=pk_of("other_deployment_post")
    ),
    "deployment:vacancy-detail": Rule(
        allowed=(HR, LEAD, ADMIN), kwargs=pk_of("vacancy"), foreign=pk_of("other_vacancy")
    ),
    "deployment:vacancy-close": Rule(
        allowed=(HR,),
        kwargs=pk_of("vacancy"),
        foreign=pk_of("other_vacancy"),
        method="post",
        ok=302,
    ),
    "deployment:candidate-add": Rule(
        allowed=(HR,), kwargs=pk_of("vacancy"), foreign=pk_of("other_vacancy")
    ),
    "deployment:candidate-status": Rule(
        allowed=(HR,),
        kwargs=pk_of("candidate"),
        foreign=pk_of("other_candidate"),
        method="post",
        ok=302,
    ),
    "deployment:days": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:day-create": Rule(allowed=(HR,)),
    "deployment:day-detail": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=pk_of("recruitment_day"),
        foreign=pk_of("other_recruitment_day"),
    ),
    "deployment:panel-create": Rule(
        allowed=(HR,), kwargs=pk_of("recruitment_day"), foreign=pk_of("other_recruitment_day")
    ),
    "deployment:panel-member-add": Rule(
        allowed=(HR,), kwargs=pk_of("panel"), foreign=pk_of("other_panel")
    ),
    "deployment:interview-create": Rule(
        allowed=(HR,), kwargs=pk_of("recruitment_day"), foreign=pk_of("other_recruitment_day")
    ),
    "deployment:interview-outcome": Rule(
        allowed=(HR, LEAD), kwargs=pk_of("interview"), foreign=pk_of("other_interview")
    ),
    "deployment:interview-letter": Rule(
        allowed=(HR,), kwargs=pk_of("interview"), foreign=pk_of("other_interview")
    ),
    "deployment:letters": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:letter-detail": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=pk_of("deployment_letter"),
        foreign=pk_of("other_deployment_letter"),
    ),
    "deployment:letter-pdf": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=pk_of("deployment_letter"),
        foreign=pk_of("other_deployment_letter"),
    ),
    "deployment:letter-posted": Rule(
        allowed=(HR,),
        kwargs=pk_of("deployment_letter"),
        foreign=pk_of("other_deployment_letter"),
        method="post",
        ok=302,
    ),
    "deployment:letter-template-list": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:letter-template-edit": Rule(
        allowed=(HR,), kwargs=lambda w: {"kind": "deployment.appoint"}
    ),
    "deployment:reserve": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:reserve-appoint": Rule(
        allowed=(HR,), kwargs=pk_of("reserve_entry"), foreign=pk_of("other_reserve_entry")
    ),
    "deployment:reserve-remove": Rule(
        allowed=(HR,),
        kwargs=pk_of("reserve_entry"),
        foreign=pk_of("other_reserve_entry"),
        method="post",
        ok=302,
    ),
    # Job descriptions, person specifications and scored interviews: HR
    # writes, leads and admins read; leads also enter scores (as a panel's
    # chair). Who on a panel brings lived experience is for HR and leads.
    "deployment:post-spec": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=pk_of("deployment_post"),
        foreign=pk_of("other_deployment_post"),
    ),
    "deployment:post-spec-criterion-add": Rule(
        allowed=(HR,), kwargs=pk_of("deployment_post"), foreign=pk_of("other_deployment_post")
    ),
    "deployment:post-spec-upload": Rule(
        allowed=(HR,), kwargs=pk_of("deployment_post"), foreign=pk_of("other_deployment_post")
    ),
    "deployment:vacancy-spec": Rule(
        allowed=(HR, LEAD, ADMIN), kwargs=pk_of("vacancy"), foreign=pk_of("other_vacancy")
    ),
    "deployment:vacancy-spec-criterion-add": Rule(
        allowed=(HR,), kwargs=pk_of("vacancy"), foreign=pk_of("other_vacancy")
    ),
    "deployment:vacancy-spec-upload": Rule(
        allowed=(HR,), kwargs=pk_of("vacancy"), foreign=pk_of("other_vacancy")
    ),
    "deployment:spec-document-download": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=scoring_pk("spec_document"),
        foreign=scoring_pk("other_spec_document"),
    ),
    "deployment:spec-criterion-remove": Rule(
        allowed=(HR,),
        kwargs=scoring_pk("spec_criterion"),
        foreign=scoring_pk("other_spec_criterion"),
        method="post",
        ok=302,
    ),
    "deployment:panel-scoring": Rule(
        allowed=(HR,), kwargs=pk_of("panel"), foreign=pk_of("other_panel")
    ),
    "deployment:interview-scores": Rule(
        allowed=(HR, LEAD), kwargs=pk_of("interview"), foreign=pk_of("other_interview")
    ),
    "deployment:day-scores": Rule(
        allowed=(HR, LEAD, ADMIN),
        kwargs=pk_of("recruitment_day"),
        foreign=pk_of("other_recruitment_day"),
    ),
    "deployment:appointment-pairing": Rule(
        allowed=(HR, LEAD, ADMIN), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointments": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:appointment-detail": Rule(
        allowed=(HR, LEAD, ADMIN), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-edit": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-induction": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-start": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-plan-start": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-withdraw": Rule(
        allowed=(HR,),
        kwargs=pk_of("appointment"),
        foreign=pk_of("other_appointment"),
        method="post",
        ok=302,
    ),
    "deployment:absence-create": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-leave": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:appointment-transfer": Rule(
        allowed=(HR,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:check-edit": Rule(
        allowed=(HR,), kwargs=pk_of("check"), foreign=pk_of("other_check")
    ),
    "deployment:absence-edit": Rule(
        allowed=(HR,), kwargs=pk_of("absence"), foreign=pk_of("other_absence")
    ),
    "deployment:leaving-reasons": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:leaving-reason-create": Rule(allowed=(HR,)),
    "deployment:leaving-reason-edit": Rule(
        allowed=(HR,), kwargs=pk_of("leaving_reason"), foreign=pk_of("other_leaving_reason")
    ),
    "deployment:retention": Rule(allowed=(HR, LEAD, ADMIN)),
    # Induction checklists and training once in post: HR writes, leads and
    # admins read.
    "deployment:inductions": Rule(allowed=(HR, LEAD, ADMIN)),
    # The checklists' progress is exported by HR, whose work it is, and leads.
    "deployment:induction-export": Rule(allowed=(HR, LEAD)),
    "deployment:induction-template": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:induction-template-create": Rule(allowed=(HR,)),
    "deployment:induction-template-edit": Rule(
        allowed=(HR,), kwargs=in_post_pk("template_item"), foreign=in_post_pk("other_template_item")
    ),
    "deployment:training-compliance": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:training-export": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:training-courses": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:training-course-create": Rule(allowed=(HR,)),
    "deployment:training-course-edit": Rule(
        allowed=(HR,), kwargs=in_post_pk("course"), foreign=in_post_pk("other_course")
    ),
    "deployment:training-person": Rule(
        allowed=(HR, LEAD, ADMIN), kwargs=in_post_pk("trainee"), foreign=in_post_pk("other_trainee")
    ),
    "deployment:training-record-create": Rule(
        allowed=(HR,), kwargs=in_post_pk("trainee"), foreign=in_post_pk("other_trainee")
    ),
    # Peer worker activity: leads record for anyone of the programme and
    # keep the topics; the peer worker and their supervisor have their own.
    "deployment:activity-week": Rule(
        allowed=(LEAD,), kwargs=pk_of("appointment"), foreign=pk_of("other_appointment")
    ),
    "deployment:activity-topics": Rule(allowed=(LEAD,)),
    "deployment:activity-topic-edit": Rule(
        allowed=(LEAD,), kwargs=activity_topic_pk(""), foreign=activity_topic_pk("other_")
    ),
    # Training: leads everything; facilitators the course and portfolios;
    # assessors only the portfolios given to them; HR and admins outcomes;
    # mentors and supervisors nothing (their page lives in supervision).
    "training:cohorts": Rule(allowed=(LEAD, HR, FACILITATOR, ADMIN)),
    "training:cohort-detail": Rule(
        allowed=(LEAD, FACILITATOR, ADMIN),
        kwargs=training_pk("training_cohort"),
        foreign=training_pk("other_training_cohort"),
    ),
    "training:cohort-settings": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("training_cohort"),
        foreign=training_pk("other_training_cohort"),
    ),
    "training:timetable-generate": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("training_cohort"),
        foreign=training_pk("other_training_cohort"),
    ),
    "training:session-create": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("training_cohort"),
        foreign=training_pk("other_training_cohort"),
    ),
    "training:session-edit": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("course_session"),
        foreign=training_pk("other_course_session"),
    ),
    "training:session-cancel": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("course_session"),
        foreign=training_pk("other_course_session"),
    ),
    "training:register": Rule(
        allowed=(LEAD, FACILITATOR),
        kwargs=training_pk("course_session"),
        foreign=training_pk("other_course_session"),
    ),
    "training:trainee": Rule(
        allowed=(LEAD, FACILITATOR),
        kwargs=training_pk("enrolment"),
        foreign=training_pk("other_enrolment"),
    ),
    "training:draft-create": Rule(
        allowed=(LEAD, FACILITATOR),
        kwargs=training_pk("enrolment"),
        foreign=training_pk("other_enrolment"),
    ),
    "training:tutorial-create": Rule(
        allowed=(LEAD, FACILITATOR),
        kwargs=training_pk("enrolment"),
        foreign=training_pk("other_enrolment"),
    ),
    "training:submission-create": Rule(
        allowed=(LEAD, FACILITATOR),
        kwargs=training_pk("enrolment"),
        foreign=training_pk("other_enrolment"),
    ),
    "training:enrolment-close": Rule(
        allowed=(LEAD,), kwargs=training_pk("enrolment"), foreign=training_pk("other_enrolment")
    ),
    "training:draft-feedback": Rule(
        allowed=(LEAD, FACILITATOR), kwargs=training_pk("draft"), foreign=training_pk("other_draft")
    ),
    "training:draft-feedback-release": Rule(
        allowed=(LEAD, FACILITATOR),
        kwargs=training_pk("draft"),
        foreign=training_pk("other_draft"),
        method="post",
        ok=302,
    ),
    "training:draft-file": Rule(
        allowed=(LEAD, FACILITATOR), kwargs=training_pk("draft"), foreign=training_pk("other_draft")
    ),
    "training:submission-file": Rule(
        allowed=(LEAD, FACILITATOR, ASSESSOR),
        kwargs=training_pk("submission"),
        foreign=training_pk("other_submission"),
    ),
    "training:submission-assessors": Rule(
        allowed=(LEAD,), kwargs=training_pk("submission"), foreign=training_pk("other_submission")
    ),
    "training:submission-moderate": Rule(
        allowed=(LEAD,), kwargs=training_pk("submission"), foreign=training_pk("other_submission")
    ),
    "training:assessor-queue": Rule(allowed=(LEAD, ASSESSOR)),
    "training:my-sessions": Rule(allowed=(FACILITATOR,)),
    # Marking is personal: only the assessor the portfolio was given to.
    "training:assessment-mark": Rule(
        allowed=(ASSESSOR,),
        kwargs=training_pk("assessment"),
        foreign=training_pk("other_assessment"),
    ),
    "training:at-risk": Rule(allowed=(LEAD,)),
    "training:outcomes": Rule(allowed=(LEAD, HR, ADMIN)),
    "training:outcomes-export": Rule(allowed=(LEAD, HR, ADMIN)),
    "training:templates": Rule(allowed=(LEAD,)),
    "training:template-create": Rule(allowed=(LEAD,)),
    "training:template-edit": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("course_template"),
        foreign=training_pk("other_course_template"),
    ),
    "training:topic-create": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("course_template"),
        foreign=training_pk("other_course_template"),
    ),
    "training:topic-edit": Rule(
        allowed=(LEAD,), kwargs=training_pk("topic"), foreign=training_pk("other_topic")
    ),
    "training:rubrics": Rule(allowed=(LEAD,)),
    "training:rubric-create": Rule(allowed=(LEAD,)),
    "training:rubric-edit": Rule(
        allowed=(LEAD,), kwargs=training_pk("rubric"), foreign=training_pk("other_rubric")
    ),
    "training:criterion-create": Rule(
        allowed=(LEAD,), kwargs=training_pk("rubric"), foreign=training_pk("other_rubric")
    ),
    "training:criterion-edit": Rule(
        allowed=(LEAD,), kwargs=training_pk("criterion"), foreign=training_pk("other_criterion")
    ),
    "training:reasons": Rule(allowed=(LEAD,)),
    "training:reason-create": Rule(allowed=(LEAD,)),
    "training:reason-edit": Rule(
        allowed=(LEAD,),
        kwargs=training_pk("non_completion_reason"),
        foreign=training_pk("other_non_completion_reason"),
    ),
    # Supervision: mentoring. Mentors reach only the trainees they mentor
    # now; leads reach every trainee of the programme.
    "supervision:my-mentees": Rule(allowed=(MENTOR, MENTOR_NONE)),
    "supervision:mentee": Rule(
        allowed=(LEAD, MENTOR),
        kwargs=supervision_pk("mentee"),
        foreign=supervision_pk("other_mentee"),
        overrides=NOT_THEIR_MENTOR,
    ),
    "supervision:meeting-create": Rule(
        allowed=(MENTOR,),
        kwargs=supervision_pk("mentee"),
        foreign=supervision_pk("other_mentee"),
        overrides=NOT_THEIR_MENTOR,
    ),
    "supervision:meeting-edit": Rule(
        allowed=(MENTOR,),
        kwargs=supervision_pk("mentor_meeting"),
        foreign=supervision_pk("other_mentor_meeting"),
        overrides=NOT_THEIR_MENTOR,
    ),
    "supervision:mentoring": Rule(allowed=(LEAD,)),
    "supervision:cohort": Rule(
        allowed=(LEAD,),
        kwargs=supervision_pk("mentoring_cohort"),
        foreign=supervision_pk("other_mentoring_cohort"),
    ),
    "supervision:cohort-settings": Rule(
        allowed=(LEAD,),
        kwargs=supervision_pk("mentoring_cohort"),
        foreign=supervision_pk("other_mentoring_cohort"),
    ),
    "supervision:mentor-assign": Rule(
        allowed=(LEAD,), kwargs=supervision_pk("mentee"), foreign=supervision_pk("other_mentee")
    ),
    "supervision:assignment-end": Rule(
        allowed=(LEAD,),
        kwargs=supervision_pk("mentor_assignment"),
        foreign=supervision_pk("other_mentor_assignment"),
    ),
    "supervision:mentors": Rule(allowed=(LEAD,)),
    "supervision:mentor-profile": Rule(
        allowed=(LEAD,),
        kwargs=supervision_pk("mentor_user"),
        foreign=supervision_pk("other_mentor_user"),
    ),
    # Supervision of employed peer workers: supervisors reach only the
    # peer workers they supervise or cover; leads the whole programme;
    # wellbeing plans the supervisor and leads only, and admins read the
    # log of who opened them.
    "supervision:my-supervisees": Rule(allowed=(SUPERVISOR,)),
    "supervision:supervisee": Rule(
        allowed=(LEAD, SUPERVISOR),
        kwargs=supervising_pk("supervisee"),
        foreign=supervising_pk("other_supervisee"),
    ),
    "supervision:session-create": Rule(allowed=(SUPERVISOR,)),
    "supervision:activity-week": Rule(
        allowed=(LEAD, SUPERVISOR),
        kwargs=supervising_pk("supervisee"),
        foreign=supervising_pk("other_supervisee"),
    ),
    "supervision:session-edit": Rule(
        allowed=(SUPERVISOR,),
        kwargs=supervising_pk("supervision_session"),
        foreign=supervising_pk("other_supervision_session"),
    ),
    "supervision:supervision": Rule(allowed=(LEAD,)),
    "supervision:supervision-assign": Rule(
        allowed=(LEAD,),
        kwargs=supervising_pk("supervisee"),
        foreign=supervising_pk("other_supervisee"),
    ),
    "supervision:supervision-end": Rule(
        allowed=(LEAD,),
        kwargs=supervising_pk("supervision_assignment"),
        foreign=supervising_pk("other_supervision_assignment"),
    ),
    "supervision:development": Rule(allowed=(LEAD,)),
    "supervision:development-create": Rule(allowed=(LEAD,)),
    "supervision:development-edit": Rule(
        allowed=(LEAD,),
        kwargs=supervising_pk("development_session"),
        foreign=supervising_pk("other_development_session"),
    ),
    "supervision:wellbeing-plan": Rule(
        allowed=(LEAD, SUPERVISOR),
        kwargs=supervising_pk("supervisee"),
        foreign=supervising_pk("other_supervisee"),
    ),
    "supervision:wellbeing-plan-print": Rule(
        allowed=(LEAD, SUPERVISOR),
        kwargs=supervising_pk("supervisee"),
        foreign=supervising_pk("other_supervisee"),
    ),
    "supervision:wellbeing-plan-edit": Rule(
        allowed=(LEAD, SUPERVISOR),
        kwargs=supervising_pk("supervisee"),
        foreign=supervising_pk("other_supervisee"),
    ),
    "supervision:wellbeing-plan-reads": Rule(allowed=(ADMIN,)),
    # Accounts: signing in and recovering a password are public.
    # Signed-in users are sent on from the sign-in page to their home page.
    "login": Rule(
        public=True,
        overrides=dict.fromkeys((*STAFF, *PEOPLE, "sysadmin", "other_programme_lead"), 302),
    ),
    "logout": Rule(allowed=STAFF, method="post", ok=302, public=True),
    "password_change": Rule(
        allowed=STAFF, overrides={"sysadmin": 200, "other_programme_lead": 200}
    ),
    "password_change_done": Rule(
        allowed=STAFF, overrides={"sysadmin": 200, "other_programme_lead": 200}
    ),
    "password_reset": Rule(public=True),
    "password_reset_done": Rule(public=True),
    "password_reset_confirm": Rule(
        public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"}
    ),
    "password_reset_complete": Rule(public=True),
    # Single sign-on's start and callback are public; with SSO off (as here)
    # there is no provider, so both are "not found" (tests/sso covers them on).
    "openid_connect_login": Rule(
        public=True, ok=404, kwargs=lambda w: {"provider_id": "organisation"}
    ),
    "openid_connect_callback": Rule(
        public=True, ok=404, kwargs=lambda w: {"provider_id": "organisation"}
    ),
    # Recruitment: leads do everything; HR reads; admins read and export.
    "recruitment:cohort-list": Rule(allowed=(LEAD, HR, ADMIN)),
    "recruitment:cohort-create": Rule(allowed=(LEAD,)),
    "recruitment:cohort-detail": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("cohort"), foreign=pk_of("other_cohort")
    ),
    "recruitment:cohort-edit": Rule(
        allowed=(LEAD,), kwargs=pk_of("cohort"), foreign=pk_of("other_cohort")
    ),
    "recruitment:cohort-close": Rule(
        allowed=(LEAD,), kwargs=pk_of("cohort"), foreign=pk_of("other_cohort")
    ),
    "recruitment:board": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("cohort"), foreign=pk_of("other_cohort")
    ),
    "recruitment:application-create": Rule(
        allowed=(LEAD,), kwargs=pk_of("cohort"), foreign=pk_of("other_cohort")
    ),
    "recruitment:event-create": Rule(
        allowed=(LEAD,), kwargs=pk_of("cohort"), foreign=pk_of("other_cohort")
    ),
    "recruitment:event-edit": Rule(
        allowed=(LEAD,), kwargs=pk_of("event"), foreign=pk_of("other_event")
    ),
    "recruitment:application-list": Rule(allowed=(LEAD, HR, ADMIN)),
    "recruitment:application-bulk": Rule(allowed=(LEAD,), method="post", ok=302),
    "recruitment:application-export": Rule(allowed=(LEAD, ADMIN)),
    "recruitment:import-upload": Rule(allowed=(LEAD,)),
    "recruitment:import-preview": Rule(
        allowed=(LEAD,), kwargs=pk_of("pending_import"), foreign=pk_of("other_pending_import")
    ),
    "recruitment:application-detail": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("application"), foreign=pk_of("other_application")
    ),
    "recruitment:application-edit": Rule(
        allowed=(LEAD,), kwargs=pk_of("application"), foreign=pk_of("other_application")
    ),
    "recruitment:application-move": Rule(
        allowed=(LEAD,), kwargs=pk_of("application"), foreign=pk_of("other_application")
    ),
    # The world's application has no details given online: the lead is told
    # so and sent back to the application.
    "recruitment:application-details-use": Rule(
        allowed=(LEAD,),
        method="post",
        ok=302,
        kwargs=pk_of("application"),
        foreign=pk_of("other_application"),
    ),
    "recruitment:application-details-ignore": Rule(
        allowed=(LEAD,),
        method="post",
        ok=302,
        kwargs=pk_of("application"),
        foreign=pk_of("other_application"),
    ),
    # The application is at "received", which has no letter: the lead is
    # sent back to the application.
    "recruitment:letter-issue": Rule(
        allowed=(LEAD,), kwargs=pk_of("application"), foreign=pk_of("other_application"), ok=302
    ),
    "recruitment:letter-list": Rule(allowed=(LEAD, HR, ADMIN)),
    "recruitment:letter-detail": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("letter"), foreign=pk_of("other_letter")
    ),
    "recruitment:letter-pdf": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("letter"), foreign=pk_of("other_letter")
    ),
    "recruitment:letter-posted": Rule(
        allowed=(LEAD,),
        kwargs=pk_of("letter"),
        foreign=pk_of("other_letter"),
        method="post",
        ok=302,
    ),
    "recruitment:letter-template-list": Rule(allowed=(LEAD, HR, ADMIN)),
    "recruitment:letter-template-edit": Rule(
        allowed=(LEAD,),
        overrides={"other_programme_lead": 200},
        kwargs=lambda w: {"kind": "recruitment.offer"},
    ),
    "recruitment:reason-list": Rule(allowed=(LEAD, HR, ADMIN)),
    "recruitment:reason-create": Rule(
        allowed=(LEAD,),
        overrides={"other_programme_lead": 200},
        kwargs=lambda w: {"kind": "unsuccessful"},
    ),
    "recruitment:reason-edit": Rule(
        allowed=(LEAD,),
        kwargs=lambda w: {"kind": "unsuccessful", "pk": w.objects["unsuccessful_reason"].pk},
        foreign=lambda w: {"kind": "unsuccessful", "pk": w.objects["other_unsuccessful_reason"].pk},
    ),
    "recruitment:reason-archive": Rule(
        allowed=(LEAD,),
        kwargs=lambda w: {"kind": "unsuccessful", "pk": w.objects["unsuccessful_reason"].pk},
        foreign=lambda w: {"kind": "unsuccessful", "pk": w.objects["other_unsuccessful_reason"].pk},
        method="post",
        ok=302,
    ),
    "recruitment:reason-delete": Rule(
        allowed=(LEAD,),
        kwargs=lambda w: {"kind": "unsuccessful", "pk": w.objects["unsuccessful_reason"].pk},
        foreign=lambda w: {"kind": "unsuccessful", "pk": w.objects["other_unsuccessful_reason"].pk},
        method="post",
        ok=302,
    ),
    # Team readiness: leads and HR record preparation workshops, admins read
    # them; leads and admins run the survey and HR reads its results;
    # mentors, supervisors, facilitators and assessors are refused (invited
    # staff answer through their own link, like everyone).
    "readiness:readiness": Rule(allowed=(LEAD, HR, ADMIN)),
    "readiness:service-readiness": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("service"), foreign=pk_of("other_service")
    ),
    "readiness:workshop-create": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("service"), foreign=pk_of("other_service")
    ),
    "readiness:workshop-edit": Rule(
        allowed=(LEAD, HR), kwargs=pk_of("workshop"), foreign=pk_of("other_workshop")
    ),
    "readiness:surveys": Rule(allowed=(LEAD, HR, ADMIN)),
    # The programme already has an instrument: the lead is sent back.
    "readiness:instrument-add-default": Rule(allowed=(LEAD, ADMIN), method="post", ok=302),
    "readiness:instrument-create": Rule(allowed=(LEAD, ADMIN)),
    "readiness:instrument-detail": Rule(
        allowed=(LEAD, HR, ADMIN), kwargs=pk_of("instrument"), foreign=pk_of("other_instrument")
    ),
    "readiness:domain-create": Rule(
        allowed=(LEAD, ADMIN), kwargs=pk_of("instrument"), foreign=pk_of("other_instrument")
    ),
    "readiness:item-create": Rule(
        allowed=(LEAD, ADMIN), kwargs=pk_of("survey_domain"), foreign=pk_of("other_survey_domain")
    ),
    "readiness:item-edit": Rule(
        allowed=(LEAD, ADMIN), kwargs=pk_of("survey_item"), foreign=pk_of("other_survey_item")
    ),
    "readiness:round-create": Rule(
        allowed=(LEAD, ADMIN), kwargs=pk_of("instrument"), foreign=pk_of("other_instrument")
    ),
    "readiness:round-detail": Rule(
        allowed=(LEAD, HR, ADMIN),
        kwargs=pk_of("survey_round"),
        foreign=pk_of("other_survey_round"),
    ),
    # Links are made by a form post; opening the address goes back to the round.
    "readiness:round-links": Rule(
        allowed=(LEAD, ADMIN),
        kwargs=pk_of("survey_round"),
        foreign=pk_of("other_survey_round"),
        ok=302,
    ),
    "readiness:round-invite": Rule(
        allowed=(LEAD, ADMIN), kwargs=pk_of("survey_round"), foreign=pk_of("other_survey_round")
    ),
    "readiness:round-close": Rule(
        allowed=(LEAD, ADMIN),
        kwargs=pk_of("survey_round"),
        foreign=pk_of("other_survey_round"),
        method="post",
        ok=302,
    ),
    "readiness:round-results": Rule(
        allowed=(LEAD, HR, ADMIN),
        kwargs=pk_of("survey_round"),
        foreign=pk_of("other_survey_round"),
    ),
    "readiness:round-results-export": Rule(
        allowed=(LEAD, HR, ADMIN),
        kwargs=pk_of("survey_round"),
        foreign=pk_of("other_survey_round"),
    ),
    # Applying online: the programme's public pages need no account. The
    # world's cohort is not taking applications today, so its form page is
    # the refusal page (200, nothing written).
    "apply:index": Rule(public=True, kwargs=lambda w: {"slug": w.programme.slug}),
    "apply:form": Rule(
        public=True, kwargs=lambda w: {"slug": w.programme.slug, "pk": w.objects["cohort"].pk}
    ),
    "apply:sent": Rule(
        public=True, kwargs=lambda w: {"slug": w.programme.slug, "pk": w.objects["cohort"].pk}
    ),
    # Without an application sent from this browser, the optional equality
    # questions say there is nothing to add answers to.
    "apply:equality": Rule(
        public=True,
        ok=403,
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.objects["cohort"].pk},
    ),
    # The respondent's pages need no account; a link that does not exist
    # is 404 for everyone, signed in or not.
    "readiness:survey-answer": Rule(public=True, ok=404, kwargs=lambda w: {"token": "not-a-link"}),
    # Without a link opened in this browser, the answer page says to open it.
    "readiness:survey-form": Rule(public=True, ok=403),
    "readiness:survey-sent": Rule(public=True),
    # Team readiness's old addresses under /deployment/ redirect permanently
    # to the new ones, for everyone: the new address then checks access.
    "deployment:readiness": Rule(public=True, ok=301),
    "deployment:service-readiness": Rule(public=True, ok=301, kwargs=pk_of("service")),
    "deployment:workshop-create": Rule(public=True, ok=301, kwargs=pk_of("service")),
    "deployment:workshop-edit": Rule(public=True, ok=301, kwargs=pk_of("workshop")),
    "deployment:surveys": Rule(public=True, ok=301),
    "deployment:instrument-add-default": Rule(public=True, ok=301),
    "deployment:instrument-create": Rule(public=True, ok=301),
    "deployment:instrument-detail": Rule(public=True, ok=301, kwargs=pk_of("instrument")),
    "deployment:domain-create": Rule(public=True, ok=301, kwargs=pk_of("instrument")),
    "deployment:item-create": Rule(public=True, ok=301, kwargs=pk_of("survey_domain")),
    "deployment:item-edit": Rule(public=True, ok=301, kwargs=pk_of("survey_item")),
    "deployment:round-create": Rule(public=True, ok=301, kwargs=pk_of("instrument")),
    "deployment:round-detail": Rule(public=True, ok=301, kwargs=pk_of("survey_round")),
    "deployment:round-links": Rule(public=True, ok=301, kwargs=pk_of("survey_round")),
    "deployment:round-invite": Rule(public=True, ok=301, kwargs=pk_of("survey_round")),
    "deployment:round-close": Rule(public=True, ok=301, kwargs=pk_of("survey_round")),
    "deployment:round-results": Rule(public=True, ok=301, kwargs=pk_of("survey_round")),
    "deployment:round-results-export": Rule(public=True, ok=301, kwargs=pk_of("survey_round")),
    "deployment:survey-answer": Rule(public=True, ok=301, kwargs=lambda w: {"token": "not-a-link"}),
    "deployment:survey-sent": Rule(public=True, ok=301),
    # Exports: the log is for admins; a background export's progress and
    # file are for the person who asked for it only (404 for everyone else).
    "core:exports": Rule(allowed=(ADMIN,), overrides={"sysadmin": 200}),
    "core:export-progress": Rule(
        allowed=(LEAD,),
        kwargs=export_pk("lead"),
        foreign=export_pk("other_programme_lead"),
        overrides={p: 404 for p in (*STAFF, *PEOPLE, "sysadmin") if p != LEAD},
    ),
    "core:export-download": Rule(
        allowed=(LEAD,),
        kwargs=export_pk("lead", ready=True),
        foreign=export_pk("other_programme_lead", ready=True),
        overrides={p: 404 for p in (*STAFF, *PEOPLE, "sysadmin") if p != LEAD},
    ),
    # Subject access requests: the data protection officer's; a request's
    # progress and archive are for the officer who asked only.
    "core:subject-access": Rule(allowed=(DPO,)),
    "core:subject-access-start": Rule(allowed=(DPO,)),
    "core:subject-access-progress": Rule(
        allowed=(DPO,),
        kwargs=subject_access_pk(DPO),
        foreign=subject_access_pk("other_programme_lead"),
        overrides={
            p: 404 for p in (*STAFF, *PEOPLE, "sysadmin", "other_programme_lead") if p != DPO
        },
    ),
    "core:subject-access-download": Rule(
        allowed=(DPO,),
        kwargs=subject_access_pk(DPO, ready=True),
        foreign=subject_access_pk("other_programme_lead", ready=True),
        overrides={
            p: 404 for p in (*STAFF, *PEOPLE, "sysadmin", "other_programme_lead") if p != DPO
        },
    ),
    # Exports of each app's lists: leads and admins everything; HR the
    # deployment lists (and training outcomes, above).
    "training:trainees-export": Rule(allowed=(LEAD, ADMIN)),
    "deployment:posts-export": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:appointments-export": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:absences-export": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:reserve-export": Rule(allowed=(HR, LEAD, ADMIN)),
    "deployment:snapshots-export": Rule(allowed=(LEAD, ADMIN)),
    "supervision:mentors-export": Rule(allowed=(LEAD, ADMIN)),
    "supervision:meetings-export": Rule(allowed=(LEAD, ADMIN)),
    # Reports (dashboard app): programme leads and admins; figures of the
    # user's own programme only (the other programme's lead sees their own).
    "dashboard:programme": Rule(allowed=(LEAD, ADMIN)),
    # Moving a programme in and out: leads and HR, who read every sensitive
    # column of the workbook. A pending import is its uploader's own.
    "dashboard:history": Rule(allowed=(LEAD, HR)),
    "dashboard:history-template": Rule(allowed=(LEAD, HR)),
    # A kind of record, not an object: every programme's lead opens it.
    "dashboard:history-kind": Rule(
        allowed=(LEAD, HR),
        kwargs=lambda w: {"kind": "services"},
        overrides={"other_programme_lead": 200},
    ),
    "dashboard:history-kind-template": Rule(
        allowed=(LEAD, HR),
        kwargs=lambda w: {"kind": "services"},
        overrides={"other_programme_lead": 200},
    ),
    "dashboard:history-preview": Rule(
        allowed=(LEAD, HR),
        kwargs=pk_of("history_import"),
        foreign=pk_of("other_history_import"),
        overrides={HR: 404},
    ),
    "dashboard:programme-export": Rule(allowed=(LEAD, HR)),
    "dashboard:funnel-export": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:training-programme": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:training-programme-export": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:employment-retention": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:employment-retention-export": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:equality": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:activity": Rule(allowed=(LEAD, ADMIN)),
    "dashboard:activity-export": Rule(allowed=(LEAD, ADMIN)),
}

# The Django admin is for system administrators only; it is checked by
# test_admin_is_for_system_administrators_only rather than line by line.
EXCLUDED_NAMESPACES = {"admin"}


def url_names() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                if ns in EXCLUDED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


def test_every_url_has_a_rule() -> None:
    missing = [name for name in url_names() if name not in RULES]
    assert not missing, f"URLs without a line in the access-rule table: {missing}"


def test_no_rule_for_a_url_that_does_not_exist() -> None:
    stale = sorted(set(RULES) - set(url_names()))
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


def _status(client: Client, method: str, url: str) -> int:
    response = client.post(url) if method == "post" else client.get(url)
    return response.status_code


@pytest.fixture(scope="module")
def half_signed_in(module_world: World) -> User:
    """A programme lead who signs in with a password and has not set up the
    second factor their role needs."""
    return UserFactory(
        email="half-signed-in@example.org",
        programme=module_world.programme,
        roles=[Role.PROGRAMME_LEAD],
    )


def _client_for(persona: str, world: World, half: User) -> Client:
    client = Client()
    if persona == HALF_SIGNED_IN:
        client.force_login(half, second_factor_passed=False)
    elif persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def _half_signed_in_gets(url_name: str, method: str, client: Client, url: str) -> str | None:
    """What is wrong with the half-signed-in persona's answer, if anything."""
    response = client.post(url) if method == "post" else client.get(url)
    if url_name in HALF_SIGNED_IN_REACHES:
        expected = HALF_SIGNED_IN_REACHES[url_name]
        if response.status_code != expected:
            return f"{HALF_SIGNED_IN}: got {response.status_code}, expected {expected}"
        return None
    setup = reverse("core:second-factor-setup")
    if response.status_code != 302 or not response["Location"].startswith(setup):
        where = response.get("Location", "")
        return f"{HALF_SIGNED_IN}: got {response.status_code} {where}, expected 302 to {setup}"
    return None


@dataclass(frozen=True)
class Address:
    """A rule's URL, and the same URL for the other programme's object."""

    url: str
    foreign: str | None


@pytest.fixture(scope="module")
def addresses(module_world: World) -> dict[str, Address]:
    """Every rule's URLs, for one world built once for the whole table.

    The objects behind them (training's, supervision's, background exports)
    are all built here, before any test runs, so that no test's rollback
    takes away an object a later test's URL points at.
    """
    world = module_world
    people_world(world)
    return {
        url_name: Address(
            url=reverse(url_name, kwargs=rule.kwargs(world) if rule.kwargs else None),
            foreign=reverse(url_name, kwargs=rule.foreign(world)) if rule.foreign else None,
        )
        for url_name, rule in RULES.items()
    }


# Each test runs in its own savepoint inside the module's world, so what one
# test's actions change (a post frozen, a notification read) is undone before
# the next.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", sorted(RULES))
def test_access_rule(
    url_name: str, module_world: World, addresses: dict[str, Address], half_signed_in: User
) -> None:
    world = module_world
    rule = RULES[url_name]
    url = addresses[url_name].url
    wrong = []
    half_wrong = _half_signed_in_gets(
        url_name, rule.method, _client_for(HALF_SIGNED_IN, world, half_signed_in), url
    )
    if half_wrong:
        wrong.append(half_wrong)
    for persona in PERSONAS:
        client = _client_for(persona, world, half_signed_in)
        status = _status(client, rule.method, url)
        if status != rule.expected(persona):
            wrong.append(f"{persona}: got {status}, expected {rule.expected(persona)}")
        foreign_url = addresses[url_name].foreign
        if foreign_url and persona in rule.allowed:
            status = _status(client, rule.method, foreign_url)
            if status != 404:
                wrong.append(f"{persona} on another programme's object: got {status}, not 404")
    assert not wrong, f"{url_name} ({url}): " + "; ".join(wrong)


def test_anonymous_users_are_sent_to_sign_in(module_world: World) -> None:
    response = Client().get(reverse("core:people"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_is_for_system_administrators_only(module_world: World, half_signed_in: User) -> None:
    from django.contrib import admin

    world = module_world

    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for persona in [*PERSONAS, HALF_SIGNED_IN]:
        client = _client_for(persona, world, half_signed_in)
        for url in urls:
            status = client.get(url).status_code
            expected = 200 if persona == "sysadmin" else 302
            assert status == expected, f"{persona} got {status} for {url}"


def test_a_half_signed_in_system_administrator_reaches_nothing(module_world: World) -> None:
    """A system administrator needs the second factor too: with a password
    alone, the Django admin sends them to set it up."""
    client = Client()
    client.force_login(module_world.users["sysadmin"], second_factor_passed=False)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:second-factor-setup"))


def test_special_category_models_are_not_in_the_admin() -> None:
    from django.contrib import admin

    from peerprog.core.models import ReasonableAdjustment, SensitiveFacts

    registered = set(admin.site._registry)
    assert SensitiveFacts not in registered
    assert ReasonableAdjustment not in registered
