from __future__ import annotations

from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Team readiness"

    def ready(self) -> None:
        from readiness import privacy

        privacy.register()
        from readiness import subject_access

        subject_access.register()
        from peerprog.core import audit, navigation
        from peerprog.core.models import Role
        from readiness import exports
        from readiness.log_filters import install as install_log_filters
        from readiness.models import (
            PreparationWorkshop,
            SurveyDomain,
            SurveyInstrument,
            SurveyItem,
            SurveyRound,
            WorkshopAttendance,
        )

        audit.register(
            PreparationWorkshop, programme_path="programme", label="Preparation workshop"
        )
        audit.register(
            WorkshopAttendance,
            programme_path="workshop__programme",
            label="Preparation workshop attendance",
        )
        # The survey's instrument and rounds are audited; respondents and
        # their answers are anonymous and keep no history.
        audit.register(SurveyInstrument, programme_path="programme", label="Survey instrument")
        audit.register(SurveyDomain, programme_path="instrument__programme", label="Survey domain")
        audit.register(
            SurveyItem, programme_path="domain__instrument__programme", label="Survey item"
        )
        audit.register(SurveyRound, programme_path="programme", label="Survey round")
        install_log_filters()
        exports.register()

        navigation.add(
            "Team readiness",
            "readiness:readiness",
            roles=(Role.HR, Role.PROGRAMME_LEAD, Role.ADMIN),
            description="Preparation workshops for the teams that receive peer workers, and "
            "the survey of the conditions for peer roles.",
            order=54,
            group="employ",
        )
