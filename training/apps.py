from __future__ import annotations

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from training import privacy

        privacy.register()
        from training import retention_due

        retention_due.register_kinds()
        from training import subject_access

        subject_access.register()
        from peerprog.core import accounts, audit, navigation
        from peerprog.core.models import Role
        from training import exports, models, receivers  # noqa: F401  (receivers: the hand-over)
        from training.accounts import account_standing

        exports.register()
        accounts.standing_register(
            name="has an open enrolment or passed", stage=20, decide=account_standing
        )
        enrolment_path = "enrolment__cohort__programme"
        audit.register(models.Enrolment, programme_path="cohort__programme", label="Enrolment")
        audit.register(
            models.CohortTraining,
            programme_path="cohort__programme",
            label="Cohort training settings",
        )
        audit.register(
            models.CourseSession, programme_path="cohort__programme", label="Course session"
        )
        audit.register(models.Attendance, programme_path=enrolment_path, label="Attendance")
        audit.register(
            models.PortfolioDraft,
            programme_path=enrolment_path,
            sensitive=True,
            label="Portfolio draft",
        )
        audit.register(
            models.Tutorial, programme_path=enrolment_path, sensitive=True, label="Tutorial"
        )
        audit.register(
            models.PortfolioSubmission,
            programme_path=enrolment_path,
            sensitive=True,
            label="Final portfolio",
        )
        audit.register(
            models.Assessment,
            programme_path="submission__enrolment__cohort__programme",
            sensitive=True,
            label="Portfolio assessment",
        )
        audit.register(
            models.NonCompletionReason, programme_path="programme", label="Non-completion reason"
        )
        audit.register(models.CourseTemplate, programme_path="programme", label="Course template")
        audit.register(models.Rubric, programme_path="programme", label="Rubric")

        navigation.add(
            "Training",
            "training:cohorts",
            roles=(Role.PROGRAMME_LEAD, Role.FACILITATOR, Role.ADMIN, Role.HR),
            description="Each cohort's course: timetable, registers, portfolios and outcomes.",
            order=30,
            group="train",
        )
        navigation.add(
            "Trainees at risk",
            "training:at-risk",
            roles=(Role.PROGRAMME_LEAD,),
            description="Low attendance, no draft, no final portfolio or a referral pending.",
            order=31,
            group="train",
        )
        navigation.add(
            "Portfolios to mark",
            "training:assessor-queue",
            roles=(Role.ASSESSOR,),
            description="Final portfolios waiting for your mark.",
            order=32,
            group="train",
        )
        navigation.add(
            "Training outcomes",
            "training:outcomes",
            roles=(Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN),
            description="Who completed the course and may apply for paid posts.",
            order=33,
            group="train",
        )

        from training.selectors import work

        work.register()
        from training import history

        history.register()
