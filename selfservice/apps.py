from __future__ import annotations

from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    """The pages of the programme's own people: applicants, trainees and peer
    workers, each seeing and doing only their own part. The pages read and
    write through each app's selectors and services; this app owns no
    records of its own."""

    name = "selfservice"
    verbose_name = "People's own pages"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from selfservice.signals import remember_own_pages

        user_logged_in.connect(remember_own_pages, dispatch_uid="selfservice-own-pages")
        # The next-mentor-meeting reminder registers itself with the kernel's
        # reminders (it runs with supervision's).
        from selfservice import course_reminders  # noqa: F401
