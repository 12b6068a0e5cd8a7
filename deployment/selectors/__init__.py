"""Every non-trivial read of deployment's records, scoped to the user's
programme, with the related rows each page needs loaded up front so that a
list costs the same number of queries however long it is.

Deployment's own pages are for HR (everything), programme leads (read, and
recruitment-day outcomes) and admins (read). Supervisors reach their own
supervisees' appointments through ``appointments_for_people``, which the
supervision app calls after limiting the people to the supervisor's own.
"""

from __future__ import annotations

from deployment.selectors.appointments import (
    TimelineEvent,
    appointment_list,
    appointment_page,
    appointment_timeline,
    appointments_for_people,
    get_absence_for_user,
    get_appointment_for_user,
    get_check_for_user,
    get_leaving_reason_for_user,
    leaving_reason_label,
    leaving_reason_list,
    line_managed_people,
)
from deployment.selectors.common import (
    OUTCOME_RECORDERS,
    READERS,
    WRITERS,
)
from deployment.selectors.own import (
    CheckInWords,
    check_in_words,
    own_appointments,
)
from deployment.selectors.posts import (
    get_conversion_for_user,
    get_post_for_user,
    post_appointments,
    post_conversions,
    post_ids,
    post_list,
    post_page,
    post_page_rows,
    post_rows,
    post_vacancies,
    posts_for_user,
    vacant_peer_posts,
)
from deployment.selectors.recruitment_day import (
    candidate_choices,
    candidate_eligibility,
    cover_reserves,
    eligible_from,
    eligible_people,
    get_candidate_for_user,
    get_interview_for_user,
    get_letter_for_user,
    get_panel_for_user,
    get_recruitment_day_for_user,
    get_reserve_entry_for_user,
    get_vacancy_for_user,
    letters_for_interviews,
    letters_to_post,
    panels_of_day,
    recruitment_day_list,
    reserve_list,
    schedulable_candidates,
    standing_reserves,
    vacancy_list,
)
from deployment.selectors.retention import (
    TREND_FIGURES,
    TREND_MONTHS,
    CohortRetention,
    RetentionReport,
    TrendMonth,
    retention_report,
    retention_trend,
)
from deployment.selectors.retention_stored import StoredRetention, stored_retention

__all__ = [
    "OUTCOME_RECORDERS",
    "READERS",
    "TREND_FIGURES",
    "TREND_MONTHS",
    "WRITERS",
    "CheckInWords",
    "CohortRetention",
    "RetentionReport",
    "StoredRetention",
    "TimelineEvent",
    "TrendMonth",
    "appointment_list",
    "appointment_page",
    "appointment_timeline",
    "appointments_for_people",
    "candidate_choices",
    "candidate_eligibility",
    "check_in_words",
    "cover_reserves",
    "eligible_from",
    "eligible_people",
    "get_absence_for_user",
    "get_appointment_for_user",
    "get_candidate_for_user",
    "get_check_for_user",
    "get_conversion_for_user",
    "get_interview_for_user",
    "get_leaving_reason_for_user",
    "get_letter_for_user",
    "get_panel_for_user",
    "get_post_for_user",
    "get_recruitment_day_for_user",
    "get_reserve_entry_for_user",
    "get_vacancy_for_user",
    "leaving_reason_label",
    "leaving_reason_list",
    "letters_for_interviews",
    "letters_to_post",
    "line_managed_people",
    "own_appointments",
    "panels_of_day",
    "post_appointments",
    "post_conversions",
    "post_ids",
    "post_list",
    "post_page",
    "post_page_rows",
    "post_rows",
    "post_vacancies",
    "posts_for_user",
    "recruitment_day_list",
    "reserve_list",
    "retention_report",
    "retention_trend",
    "schedulable_candidates",
    "standing_reserves",
    "stored_retention",
    "vacancy_list",
    "vacant_peer_posts",
]
