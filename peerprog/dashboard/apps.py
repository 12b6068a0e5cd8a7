from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "peerprog.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        from peerprog.core import navigation
        from peerprog.core.models import Role
        from peerprog.dashboard import exports

        exports.register_all()
        from peerprog.dashboard import privacy, receivers

        receivers.connect()
        privacy.register()
        from peerprog.dashboard import activity

        activity.register()
        from peerprog.dashboard import home_queue

        home_queue.register()
        readers = (Role.PROGRAMME_LEAD, Role.ADMIN)
        navigation.add(
            "Dashboard",
            "dashboard:programme",
            roles=readers,
            description="The programme at a glance: from application to employment and "
            "retention, mentors and supervision, with charts.",
            order=60,
            group="reports",
        )
        navigation.add(
            "Peer worker activity",
            "dashboard:activity",
            roles=readers,
            description="What peer workers do week by week: contacts and hours per service, "
            "month and peer worker.",
            order=64,
            group="reports",
        )
        navigation.add(
            "Study tables",
            "dashboard:training-programme",
            roles=readers,
            description="The LXP study's two tables (training programme; employment and "
            "retention) for any cohorts, to download as CSV or Excel.",
            order=61,
            group="reports",
        )
        navigation.add(
            "Equality monitoring",
            "dashboard:equality",
            roles=readers,
            description="Counts of each group at each stage, with small numbers hidden.",
            order=62,
            group="reports",
        )
