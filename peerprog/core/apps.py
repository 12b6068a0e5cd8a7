from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_migrate
from django.utils import timezone


def ensure_roles(**kwargs: Any) -> None:
    """Make sure every role's group exists.

    The groups are created by a data migration; this also runs after every
    migrate and flush, so that tests which empty the database between runs
    (transactional tests) still find them.
    """
    from django.contrib.auth.models import Group

    from peerprog.core.models import Role

    using = kwargs.get("using", "default")
    for role in Role:
        Group.objects.using(using).get_or_create(name=role.value)


def record_last_login(sender: Any, user: Any, **kwargs: Any) -> None:
    """Django's own last-login update, without an empty audit entry.

    ``last_login`` is left out of the user's history, so saving it alone
    would add a "changed" row with no visible change on every sign-in.
    """
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving


class CoreConfig(AppConfig):
    name = "peerprog.core"
    label = "core"
    verbose_name = "Programme, people and staff"

    def ready(self) -> None:
        # lockout is imported for its receivers of the sign-in signals (the
        # limit per account across addresses).
        from peerprog.core import (
            audit,
            lockout,  # noqa: F401
            navigation,
            second_factor,
            workbook,  # noqa: F401  (registers the whole-workbook import)
            workbook_adjustments,
            workbook_services,
        )

        workbook_services.register()
        workbook_adjustments.register()
        from peerprog.core.log_filters import install_calendar_filter
        from peerprog.core.models import (
            CalendarFeed,
            Person,
            Programme,
            ReasonableAdjustment,
            Role,
            SecondFactorReset,
            SensitiveFacts,
            Service,
            StaffCalendarFeed,
            User,
        )

        # The form-token purge is a task of its own module: import it so that
        # workers register it.
        from peerprog.core.once import tasks  # noqa: F401

        install_calendar_filter()
        from peerprog.core import admin_queue, search, search_sources, work

        work.add(Role.ADMIN, admin_queue.admin_queue)
        from peerprog.core.privacy import home as privacy_home

        privacy_home.register()
        from peerprog.core.privacy import subject_access_core, subject_access_pages

        subject_access_core.register_kernel()
        subject_access_pages.register_pages()
        search.add("People", search_sources.people, order=10)
        post_migrate.connect(ensure_roles, sender=self)
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="peerprog_record_last_login")
        audit.register(Person, programme_path="programme", label="Person", about="personal details")
        audit.register(
            CalendarFeed, programme_path="person__programme", label="Calendar feed address"
        )
        audit.register(
            StaffCalendarFeed, programme_path="user__programme", label="Staff calendar address"
        )
        audit.register(
            SensitiveFacts,
            programme_path="person__programme",
            sensitive=True,
            label="Person's sensitive facts",
        )
        audit.register(
            ReasonableAdjustment,
            programme_path="person__programme",
            sensitive=True,
            label="Reasonable adjustment",
        )
        audit.register(User, programme_path="programme", label="Staff user")
        audit.register(SecondFactorReset, programme_path="programme", label="Second factor reset")
        # A change of roles may make a second factor required: the user's
        # sessions take their second-factor decision again.
        m2m_changed.connect(
            second_factor.roles_changed,
            sender=User.groups.through,
            dispatch_uid="peerprog_second_factor_roles_changed",
        )
        audit.register(Service, programme_path="programme", label="Service")
        audit.register(Programme, programme_path="id", label="Programme")
        from peerprog.core.privacy import core_models as privacy_core_models

        privacy_core_models.register()

        navigation.add(
            "People",
            "core:people",
            roles=(Role.PROGRAMME_LEAD, Role.HR),
            description="Everyone in the programme, with contact details and adjustments.",
            order=10,
            group="people",
        )
        navigation.add(
            "Programme",
            "core:programme",
            roles=(Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN),
            description="The organisations and the services that host peer workers.",
            order=80,
            group="admin",
        )
        navigation.add(
            "Staff and roles",
            "core:staff",
            roles=(Role.ADMIN,),
            description="Add staff, give and take away roles, switch accounts off.",
            order=90,
            group="admin",
        )
        navigation.add(
            "Audit trail",
            "core:audit",
            roles=(Role.ADMIN, Role.DATA_PROTECTION),
            description="Who changed which record, and when.",
            order=95,
            group="admin",
        )
        navigation.add(
            "Exports",
            "core:exports",
            roles=(Role.ADMIN,),
            description="Who downloaded which list, with which filters, and when.",
            order=96,
            group="admin",
        )
