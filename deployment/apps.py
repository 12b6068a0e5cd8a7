from __future__ import annotations

from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    name = "deployment"
    verbose_name = "Deployment"

    def ready(self) -> None:
        from deployment import privacy

        privacy.register()
        from deployment import retention_due

        retention_due.register_kind()
        from deployment import retention_figures

        retention_figures.register()
        from deployment import subject_access

        subject_access.register()
        from deployment import exports
        from deployment.accounts import account_standing
        from deployment.models import (
            Absence,
            AbsenceHealth,
            Appointment,
            Candidate,
            Interview,
            LeavingReason,
            Panel,
            PanelMember,
            Post,
            PostConversion,
            PreEmploymentCheck,
            RecruitmentDay,
            ReserveEntry,
            Vacancy,
        )
        from deployment.resources import register_importer
        from deployment.services.letters import LETTER_KINDS
        from peerprog.core import accounts, audit, letters, navigation
        from peerprog.core.models import Role

        exports.register()
        from deployment.scoring_audit import register_scoring_audit

        register_scoring_audit()
        from deployment import exports_in_post

        exports_in_post.register()
        audit.register(Post, programme_path="programme", label="Post")
        audit.register(PostConversion, programme_path="programme", label="Post conversion")
        audit.register(Vacancy, programme_path="programme", label="Vacancy")
        audit.register(Candidate, programme_path="vacancy__programme", label="Post candidate")
        audit.register(RecruitmentDay, programme_path="programme", label="Recruitment day")
        audit.register(Panel, programme_path="day__programme", label="Interview panel")
        audit.register(PanelMember, programme_path="panel__day__programme", label="Panel member")
        # The panel's notes may say anything about a candidate.
        audit.register(
            Interview,
            programme_path="day__programme",
            sensitive=True,
            label="Recruitment-day interview",
        )
        audit.register(ReserveEntry, programme_path="programme", label="Reserve-list entry")
        audit.register(Appointment, programme_path="programme", label="Appointment")
        audit.register(
            PreEmploymentCheck,
            programme_path="appointment__programme",
            label="Pre-employment check",
        )
        audit.register(Absence, programme_path="appointment__programme", label="Absence")
        audit.register(
            AbsenceHealth,
            programme_path="absence__appointment__programme",
            sensitive=True,
            label="Absence health category",
        )
        audit.register(LeavingReason, programme_path="programme", label="Leaving reason")
        from deployment.models import ActivityTopic, ActivityWeek

        audit.register(ActivityWeek, programme_path="programme", label="Activity week")
        audit.register(ActivityTopic, programme_path="programme", label="Activity topic")

        register_importer()
        accounts.standing_register(
            name="has an active appointment", stage=30, decide=account_standing
        )
        for kind in LETTER_KINDS:
            letters.register_kind(kind)

        readers = (Role.HR, Role.PROGRAMME_LEAD, Role.ADMIN)
        navigation.add(
            "Posts",
            "deployment:posts",
            roles=readers,
            description="The establishment: vacant, filled and converted posts; convert vacant "
            "posts into peer worker posts.",
            order=50,
            group="employ",
        )
        navigation.add(
            "Recruitment days",
            "deployment:days",
            roles=readers,
            description="Vacancies, candidates, interview panels and slots, and decisions.",
            order=51,
            group="employ",
        )
        navigation.add(
            "Appointments",
            "deployment:appointments",
            roles=readers,
            description="Peer workers offered or in post: checks, induction, absences, leaving.",
            order=52,
            group="employ",
        )
        navigation.add(
            "Inductions",
            "deployment:inductions",
            roles=readers,
            description="Induction checklists in progress, those with an item overdue, and "
            "the programme's induction template.",
            order=53,
            group="employ",
        )
        navigation.add(
            "Training in post",
            "deployment:training-compliance",
            roles=readers,
            description="Mandatory training per service and per person, what expires soon, "
            "and the course catalogue.",
            order=53,
            group="employ",
        )
        navigation.add(
            "Retention",
            "deployment:retention",
            roles=readers,
            description="Who is still in post at 6, 12 and 24 months, per cohort and service.",
            order=63,
            group="reports",
        )

        from deployment.selectors import work

        work.register()
        from deployment import history

        history.register()
        from deployment.selectors import work_in_post

        work_in_post.register()
