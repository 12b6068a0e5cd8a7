from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        from supervision import privacy

        privacy.register()
        from supervision import subject_access

        subject_access.register()
        from peerprog.core import audit, navigation
        from peerprog.core.models import Role
        from supervision import exports, models

        exports.register()
        audit.register(
            models.MentorProfile, programme_path="user__programme", label="Mentor profile"
        )
        audit.register(
            models.CohortMentoring,
            programme_path="cohort__programme",
            label="Cohort mentoring settings",
        )
        audit.register(
            models.MentorAssignment,
            programme_path="enrolment__cohort__programme",
            label="Mentor assignment",
        )
        # Meeting notes are private to the mentor and the leads: the audit
        # page names the fields that changed, never their values.
        audit.register(
            models.MentorMeeting,
            programme_path="assignment__enrolment__cohort__programme",
            sensitive=True,
            label="Mentor meeting",
        )
        audit.register(
            models.SupervisionAssignment,
            programme_path="person__programme",
            label="Supervision assignment",
        )
        audit.register(
            models.SupervisionSession,
            programme_path="programme",
            sensitive=True,
            label="Supervision session",
        )
        audit.register(
            models.SupervisionAttendance,
            programme_path="session__programme",
            label="Supervision attendance",
        )
        audit.register(
            models.WellbeingPlan,
            programme_path="person__programme",
            sensitive=True,
            label="Wellbeing plan",
        )
        audit.register(
            models.DevelopmentSession, programme_path="programme", label="Development session"
        )

        navigation.add(
            "My mentees",
            "supervision:my-mentees",
            roles=(Role.MENTOR,),
            description="Your trainees, how their course is going, and your meeting log.",
            order=20,
            group="support",
        )
        navigation.add(
            "Mentoring",
            "supervision:mentoring",
            roles=(Role.PROGRAMME_LEAD,),
            description="Who mentors whom, and who is behind on mentor meetings.",
            order=40,
            group="support",
        )
        navigation.add(
            "My supervisees",
            "supervision:my-supervisees",
            roles=(Role.SUPERVISOR,),
            description="The peer workers you supervise: sessions, what is due, wellbeing plans.",
            order=21,
            group="support",
        )
        navigation.add(
            "Supervision",
            "supervision:supervision",
            roles=(Role.PROGRAMME_LEAD,),
            description="Peer workers in post, their supervisors, and who is overdue.",
            order=41,
            group="support",
        )
        navigation.add(
            "Wellbeing plan reads",
            "supervision:wellbeing-plan-reads",
            roles=(Role.ADMIN,),
            description="Who opened which peer worker's wellbeing plan, and when.",
            order=96,
            group="admin",
        )

        from supervision.selectors import work

        work.register()
        from supervision import history

        history.register()
