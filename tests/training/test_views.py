from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerprog.core import storage
from peerprog.core.models import Role
from tests.core.factories import UserFactory
from tests.core.once_helpers import FormClient
from tests.recruitment.factories import CohortFactory
from tests.training.factories import (
    assessor,
    docx_bytes,
    enrol,
    mark,
    past_session,
    pdf_bytes,
    submit,
    upload,
)
from training import services
from training.models import (
    Assessment,
    Attendance,
    Enrolment,
    PortfolioDraft,
    PortfolioSubmission,
)
from training.selectors import rubric_criteria_for

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


def test_a_facilitator_fills_a_register_for_the_whole_cohort(cohort, facilitator):
    ada, ben = enrol(cohort, first_name="Ada"), enrol(cohort, first_name="Ben")
    session = past_session(cohort)
    url = reverse("training:register", args=[session.pk])

    page = client_for(facilitator).get(url)
    response = client_for(facilitator).post(url, {f"e{ada.pk}": "present", f"e{ben.pk}": "late"})

    assert page.status_code == 200
    assert "Ada" in page.content.decode()
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        ada.pk: "present",
        ben.pk: "late",
    }


def test_everyone_left_blank_can_be_marked_present_at_once(cohort, facilitator):
    ada, ben = enrol(cohort), enrol(cohort)
    session = past_session(cohort)

    client_for(facilitator).post(
        reverse("training:register", args=[session.pk]),
        {f"e{ada.pk}": "absent", "all_present": "1"},
    )

    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        ada.pk: "absent",
        ben.pk: "present",
    }


def test_the_register_saves_through_htmx_and_returns_the_fragment(cohort, facilitator):
    ada = enrol(cohort)
    session = past_session(cohort)

    response = client_for(facilitator).post(
        reverse("training:register", args=[session.pk]),
        {f"e{ada.pk}": "present"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "The register has been saved." in body
    assert Attendance.objects.get().status == "present"


def test_a_draft_is_uploaded_with_a_hostile_name_made_safe(cohort, facilitator):
    enrolment = enrol(cohort)
    response = client_for(facilitator).post(
        reverse("training:draft-create", args=[enrolment.pk]),
        {
            "file": upload("..\\..\\evil\u202e <x>.pdf", pdf_bytes()),
            "received_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    draft = PortfolioDraft.objects.get()
    assert draft.file_name == "evil_x.pdf"
    download = client_for(facilitator).get(reverse("training:draft-file", args=[draft.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="evil_x.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_a_draft_of_the_wrong_type_is_refused_by_content(cohort, facilitator):
    enrolment = enrol(cohort)
    response = client_for(facilitator).post(
        reverse("training:draft-create", args=[enrolment.pk]),
        {
            "file": upload("portfolio.pdf", b"#!/bin/sh\nrm -rf /\n"),
            "received_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "not a PDF, DOCX or ODT" in response.content.decode()
    assert not PortfolioDraft.objects.exists()


def test_an_oversized_draft_is_refused(cohort, facilitator, settings):
    settings.MAX_UPLOAD_SIZE = 50
    enrolment = enrol(cohort)
    response = client_for(facilitator).post(
        reverse("training:draft-create", args=[enrolment.pk]),
        {"file": upload("big.docx", docx_bytes()), "received_on": timezone.localdate()},
    )

    assert "too large" in response.content.decode()
    assert not PortfolioDraft.objects.exists()
    assert storage.files_in("drafts") == []


def test_feedback_is_written_through_the_page(cohort, facilitator):
    draft = services.draft_record(enrolment=enrol(cohort), upload=upload(), by=facilitator)

    client_for(facilitator).post(
        reverse("training:draft-feedback", args=[draft.pk]), {"feedback": "Lovely reflection."}
    )

    draft.refresh_from_db()
    assert draft.feedback == "Lovely reflection."


def test_a_second_final_portfolio_is_refused_on_the_page(assessed_cohort, facilitator):
    enrolment = enrol(assessed_cohort)
    submit(enrolment, by=facilitator)
    training = assessed_cohort.training

    response = client_for(facilitator).post(
        reverse("training:submission-create", args=[enrolment.pk]),
        {
            "file": upload(),
            "submitted_on": timezone.localdate(),
            "first": training.facilitator_id,
            "second": training.second_assessor_id,
        },
    )

    assert response.status_code == 200
    assert "Only one final portfolio can be recorded" in response.content.decode()
    assert PortfolioSubmission.objects.count() == 1


def test_an_assessor_marks_through_the_page(assessed_cohort, facilitator):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    assessment = submission.assessments.get(assessor=facilitator)
    criteria = rubric_criteria_for(enrolment=submission.enrolment)
    data = {f"level_{c.pk}": "met" for c in criteria} | {"decision": "pass", "comments": "Good"}

    response = client_for(facilitator).post(
        reverse("training:assessment-mark", args=[assessment.pk]), data
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.decision == "pass"


def test_an_assessor_not_given_the_portfolio_gets_404(assessed_cohort, facilitator, programme):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    stranger = client_for(assessor(programme, "Not Given It"))
    theirs = submission.assessments.get(assessor=facilitator)

    assert (
        stranger.get(reverse("training:submission-file", args=[submission.pk])).status_code == 404
    )
    assert stranger.get(reverse("training:assessment-mark", args=[theirs.pk])).status_code == 404
    response = stranger.post(
        reverse("training:assessment-mark", args=[theirs.pk]), {"decision": "referral"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_marked


def test_a_lead_who_is_not_an_assessor_cannot_mark(assessed_cohort, facilitator, course_lead):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    assessment = submission.assessments.get(assessor=facilitator)

    response = client_for(course_lead).post(
        reverse("training:assessment-mark", args=[assessment.pk]), {"decision": "pass"}
    )

    assert response.status_code == 403
    assert not Assessment.objects.filter(marked_at__isnull=False).exists()


def test_the_lead_does_not_see_a_decision_before_both_are_in(
    assessed_cohort, facilitator, course_lead
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "referral")

    body = client_for(course_lead).get(reverse("training:trainee", args=[enrolment.pk]))
    text = body.content.decode()

    assert "1 of 2 in" in text
    assert "Referral" not in text
    assert "referral" not in text.lower().replace("resubmi", "")


def test_the_lead_moderates_through_the_page(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "referral")
    url = reverse("training:submission-moderate", args=[submission.pk])

    page = client_for(course_lead).get(url)
    response = client_for(course_lead).post(
        url, {"outcome": "pass", "reason": "Section 2 meets the criterion."}
    )

    assert "Martin Inclusion: Referral" in page.content.decode()
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_a_decision_on_a_closed_enrolment_is_refused_on_the_page(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "referral")
    reason = services.non_completion_reasons_ensure_defaults(programme=assessed_cohort.programme)[4]
    services.enrolment_close(enrolment=enrolment, reason=reason, by=course_lead)

    response = client_for(course_lead).post(
        reverse("training:submission-moderate", args=[submission.pk]),
        {"outcome": "pass", "reason": "Late change"},
    )

    assert response.status_code == 200
    assert "already ended" in response.content.decode()
    submission.refresh_from_db()
    assert submission.outcome == ""


def test_hr_sees_outcomes_but_not_portfolios_or_feedback(
    assessed_cohort, facilitator, second_assessor, programme
):
    hr = UserFactory(programme=programme, roles=[Role.HR])
    enrolment = enrol(assessed_cohort, first_name="Grace")
    draft = services.draft_record(
        enrolment=enrolment, upload=upload("secret-draft.pdf"), by=facilitator
    )
    services.draft_feedback(draft=draft, feedback="Very personal feedback", by=facilitator)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "pass")
    client = client_for(hr)

    page = client.get(reverse("training:outcomes")).content.decode()

    assert "Grace" in page
    assert "Yes, from" in page
    assert "Very personal feedback" not in page
    assert "secret-draft" not in page
    assert client.get(reverse("training:trainee", args=[enrolment.pk])).status_code == 403
    assert client.get(reverse("training:draft-file", args=[draft.pk])).status_code == 403


def test_health_reasons_are_withheld_from_admins_in_pages_and_exports(
    cohort, course_lead, programme
):
    admin = UserFactory(programme=programme, roles=[Role.ADMIN])
    hr = UserFactory(programme=programme, roles=[Role.HR])
    enrolment = enrol(cohort)
    reasons = services.non_completion_reasons_ensure_defaults(programme=programme)
    health = next(r for r in reasons if r.category == "left_health")
    services.enrolment_close(enrolment=enrolment, reason=health, by=course_lead)

    admin_page = client_for(admin).get(reverse("training:outcomes")).content.decode()
    admin_csv = b"".join(
        client_for(admin).get(reverse("training:outcomes-export")).streaming_content
    ).decode()
    hr_page = client_for(hr).get(reverse("training:outcomes")).content.decode()
    cohorts_page = client_for(admin).get(reverse("training:cohorts")).content.decode()

    assert "health issues" in hr_page
    assert "health" not in admin_page.split("<main")[1].split("</main>")[0].lower().replace(
        "mental health", ""
    )
    assert "health issues" not in admin_csv
    assert "Left the programme (reason seen by leads and HR only)" in admin_csv
    assert "Left: health issues or personal factors" in cohorts_page


def test_the_export_neutralises_spreadsheet_formulas(cohort, programme):
    admin = UserFactory(programme=programme, roles=[Role.ADMIN])
    enrol(cohort, first_name="=HYPERLINK(1)")

    body = b"".join(
        client_for(admin).get(reverse("training:outcomes-export")).streaming_content
    ).decode()

    assert "'=HYPERLINK(1)" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_mentors_and_supervisors_are_refused_training_pages(cohort, programme):
    enrolment = enrol(cohort)
    for role in (Role.MENTOR, Role.SUPERVISOR):
        client = client_for(UserFactory(programme=programme, roles=[role]))
        assert client.get(reverse("training:cohorts")).status_code == 403
        assert client.get(reverse("training:trainee", args=[enrolment.pk])).status_code == 403


def test_the_lead_generates_a_timetable_from_the_course(cohort, course_lead):
    template = services.course_template_ensure_default(programme=cohort.programme)

    response = client_for(course_lead).post(
        reverse("training:timetable-generate", args=[cohort.pk]),
        {"template": template.pk, "starts_at": "09:30", "place": "Recovery College"},
    )

    assert response.status_code == 302
    assert cohort.course_sessions.count() == 14
    page = client_for(course_lead).get(reverse("training:cohort-detail", args=[cohort.pk]))
    assert "Suicide prevention" in page.content.decode()


def test_a_lead_records_that_a_trainee_left(cohort, course_lead):
    enrolment = enrol(cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)[3]

    response = client_for(course_lead).post(
        reverse("training:enrolment-close", args=[enrolment.pk]),
        {"reason": reason.pk, "ended_on": timezone.localdate()},
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED


def test_private_files_live_outside_media_root(cohort, facilitator):
    draft = services.draft_record(enrolment=enrol(cohort), upload=upload(), by=facilitator)
    path = Path(storage.configured().path(draft.file.name))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))


def test_the_at_risk_list_shows_fifty_trainees_a_page_and_counts_them_all(cohort, course_lead):
    for n in range(51):
        enrol(cohort, first_name="Trainee", last_name=f"Number {n:02d}")
    cohort.training.draft_due = timezone.localdate() - timedelta(days=1)
    cohort.training.save()
    client = client_for(course_lead)

    first = client.get(reverse("training:at-risk")).content.decode()
    second = client.get(reverse("training:at-risk") + "?page=2").content.decode()

    assert "51 trainees at risk, 1 to 50 shown" in first
    assert '<nav aria-label="Pages">' in first
    assert 'aria-current="page">Page 1 of 2' in first
    assert "Trainee Number 49" in first and "Trainee Number 50" not in first
    assert 'href="?page=2"' in first
    assert "Trainee Number 50" in second and "No draft by mid-course" in second
    assert 'aria-current="page">Page 2 of 2' in second


def test_a_page_past_the_end_of_the_at_risk_list_shows_the_last(cohort, course_lead):
    for n in range(51):
        enrol(cohort, first_name="Trainee", last_name=f"Number {n:02d}")
    cohort.training.draft_due = timezone.localdate() - timedelta(days=1)
    cohort.training.save()

    page = client_for(course_lead).get(reverse("training:at-risk") + "?page=9").content.decode()

    assert "51 trainees at risk, 51 to 51 shown" in page
    assert 'aria-current="page">Page 2 of 2' in page
    assert "Trainee Number 50" in page


def test_the_at_risk_list_never_shows_another_programmes_trainees(cohort, course_lead):
    other = CohortFactory(name="Elsewhere")
    enrol(other, first_name="Other", last_name="Programme")
    other.training.draft_due = timezone.localdate() - timedelta(days=1)
    other.training.save()

    page = client_for(course_lead).get(reverse("training:at-risk")).content.decode()

    assert "Other Programme" not in page
    assert "No trainee is at risk at the moment." in page


def test_the_cohort_page_shows_each_trainees_attendance_drafts_and_portfolio(
    assessed_cohort, course_lead, facilitator
):
    trainee = enrol(assessed_cohort, first_name="Ada", last_name="Figures")
    enrol(assessed_cohort, first_name="Bea", last_name="Nothing")
    for days_ago, status in ((21, "present"), (14, "absent"), (7, "authorised")):
        session = past_session(assessed_cohort, days_ago=days_ago)
        services.attendance_record(session=session, marks={trainee.pk: status}, by=facilitator)
    services.draft_record(enrolment=trainee, upload=upload(), by=facilitator)
    services.tutorial_record(
        enrolment=trainee, held_on=timezone.localdate(), minutes=30, by=facilitator
    )
    submission = submit(trainee, by=facilitator)
    mark(submission, facilitator, "pass")

    page = client_for(course_lead).get(reverse("training:cohort-detail", args=[assessed_cohort.pk]))

    rows = {t.name: t for t in page.context["trainees"]}
    ada, bea = rows["Ada Figures"], rows["Bea Nothing"]
    assert (ada.attended, ada.counted, ada.draft_count, ada.tutorial_count) == (1, 2, 1, 1)
    assert (bea.attended, bea.counted, bea.draft_count, bea.tutorial_count) == (0, 0, 0, 0)
    html = page.content.decode()
    assert "50%" in html
    assert f"Received {date_format(submission.submitted_on)}" in html
    assert "Waiting for marks (1 of 2 in)" in html
    assert "2 trainees" in html
