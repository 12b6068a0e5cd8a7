from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        from peerprog.core import audit, navigation
        from peerprog.core.models import Role
        from supervision import models

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

        navigation.add(
            "My mentees",
            "supervision:my-mentees",
            roles=(Role.MENTOR,),
            description="Your trainees, how their course is going, and your meeting log.",
            order=20,
        )
        navigation.add(
            "Mentoring",
            "supervision:mentoring",
            roles=(Role.PROGRAMME_LEAD,),
            description="Who mentors whom, and who is behind on mentor meetings.",
            order=40,
        )
