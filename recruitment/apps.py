from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = "Recruitment"

    def ready(self) -> None:
        from recruitment import privacy

        privacy.register()
        from recruitment import subject_access

        subject_access.register()
        from peerprog.core import accounts, audit, letters, navigation
        from peerprog.core.models import Letter, LetterTemplate, Role
        from recruitment import exports
        from recruitment.accounts import account_standing
        from recruitment.models import Application, Cohort, InformationEvent
        from recruitment.resources import register_importer
        from recruitment.services import LETTER_KINDS

        audit.register(Cohort, programme_path="programme", label="Cohort")
        # Applications hold the personal statement, which only leads and HR
        # may read: the audit page names the fields that changed, not values.
        audit.register(
            Application, programme_path="cohort__programme", sensitive=True, label="Application"
        )
        audit.register(
            InformationEvent, programme_path="cohort__programme", label="Information event"
        )
        # The kernel's letters are first used here; registering again later
        # (deployment's letters) replaces the same entry.
        audit.register(Letter, programme_path="programme", label="Letter")
        audit.register(LetterTemplate, programme_path="programme", label="Letter wording")
        for kind in LETTER_KINDS:
            letters.register_kind(kind)
        register_importer()
        exports.register()
        from recruitment import retention_due

        retention_due.register_kind()
        accounts.standing_register(
            name="has an open application", stage=10, decide=account_standing
        )

        readers = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
        navigation.add(
            "Cohorts",
            "recruitment:cohort-list",
            roles=readers,
            description="Each intake: dates, places, information events and figures at a glance.",
            order=20,
            group="recruit",
        )
        navigation.add(
            "Applications",
            "recruitment:application-list",
            roles=readers,
            description="Every application, with filters, search and actions on several at once.",
            order=21,
            group="recruit",
        )

        from recruitment.selectors import work

        work.register()
        from recruitment import history

        history.register()
        from peerprog.core.workbook import register_cohort_people

        register_cohort_people(_people_of_cohorts)


def _people_of_cohorts(cohort_ids: set[int]) -> Any:
    """The people with an application to any of the cohorts: whose records
    a programme export limited to those cohorts holds."""
    from recruitment.models import Application

    return Application.objects.filter(cohort_id__in=cohort_ids).values("person_id")
