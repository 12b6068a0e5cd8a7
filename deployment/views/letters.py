"""Recruitment-day outcome letters, the letters to post, and their wording."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from deployment import selectors, services
from deployment.views.common import PAGE_SIZE, READERS, WRITERS
from peerprog.core import letters
from peerprog.core.access import has_role, role_required
from peerprog.core.letter_views import LetterWording, letter_pdf_download
from peerprog.core.pages import act


@role_required(*WRITERS)
def interview_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview the outcome letter for the panel's decision, then issue it."""
    interview = selectors.get_interview_for_user(user=request.user, pk=pk)
    kind = services.letter_kind_for(interview=interview)
    if kind is None:
        messages.error(request, "Record the panel's decision before issuing a letter.")
        return redirect("deployment:day-detail", pk=interview.day_id)
    if request.method == "POST":
        letter = act(
            request,
            lambda: services.interview_letter_issue(interview=interview, by=request.user),
            done=letters.issued_message,
        )
        if letter is None:
            return redirect("deployment:day-detail", pk=interview.day_id)
        return redirect("deployment:letter-detail", pk=letter.pk)
    person = interview.candidate.person
    rendered = letters.letter_render(
        programme=person.programme,
        kind=kind,
        values=services.letter_values(interview=interview, by=request.user),
    )
    return render(
        request,
        "deployment/letter_issue.html",
        {
            "interview": interview,
            "person": person,
            "letter": rendered,
            "kind": letters.get_kind(kind),
        },
    )


@role_required(*READERS)
def letter_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.letters_to_post(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deployment/letter_list.html",
        {"page": page, "can_write": has_role(request.user, *WRITERS)},
    )


@role_required(*READERS)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as issued, laid out to print (or save as PDF)."""
    letter = selectors.get_letter_for_user(user=request.user, pk=pk)
    return render(
        request,
        "deployment/letter_detail.html",
        {"letter": letter, "can_write": has_role(request.user, *WRITERS)},
    )


@role_required(*READERS)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as a PDF document, to print or keep."""
    letter = selectors.get_letter_for_user(user=request.user, pk=pk)
    return letter_pdf_download(request, letter)


@require_POST
@role_required(*WRITERS)
def letter_posted(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.get_letter_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: letters.letter_mark_posted(letter=letter, by=request.user),
        done=f"The letter to {letter.person.display_name} is marked posted.",
    )
    return redirect("deployment:letter-detail", pk=letter.pk)


# The wording of the recruitment-day outcome letters: HR changes it; leads and
# admins read it.
WORDING = LetterWording(
    namespace="deployment",
    readers=READERS,
    editors=WRITERS,
    intro="The wording of the recruitment-day outcome letters. Placeholders such as the "
    "person's name are filled in when a letter is issued; nothing else about the person "
    "can be added.",
    back_url_name="deployment:letters",
    back_label="Back to letters",
)
