"""Outcome letters, the list of letters to post, and their wording."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core import letters
from peerprog.core.access import role_required
from peerprog.core.letter_views import LetterWording, letter_pdf_download
from peerprog.core.pages import act, safe_next
from recruitment import selectors, services
from recruitment.views.common import (
    LEAD,
    PAGE_SIZE,
    READERS,
    is_lead,
)


@role_required(LEAD)
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview the outcome letter for the application's stage, then issue it."""
    application = selectors.application_for_user(user=request.user, pk=pk)
    kind = services.letter_kind_for(application=application)
    if kind is None:
        messages.error(request, "There is no outcome letter for this stage.")
        return redirect("recruitment:application-detail", pk=application.pk)
    if request.method == "POST":
        letter = act(
            request,
            lambda: services.application_letter_issue(application=application, by=request.user),
            done=letters.issued_message,
        )
        if letter is None:
            return redirect("recruitment:application-detail", pk=application.pk)
        return redirect("recruitment:letter-detail", pk=letter.pk)
    rendered = letters.letter_render(
        programme=application.cohort.programme,
        kind=kind,
        values=services.letter_values(application=application, by=request.user),
    )
    return render(
        request,
        "recruitment/letter_issue.html",
        {"application": application, "letter": rendered, "kind": letters.get_kind(kind)},
    )


@role_required(*READERS)
def letter_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.letters_to_post(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "recruitment/letter_list.html", {"page": page, "can_edit": is_lead(request)}
    )


@role_required(*READERS)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as issued, laid out to print (or save as PDF from the
    browser's print dialogue)."""
    letter = selectors.letter_for_user(user=request.user, pk=pk)
    return render(
        request,
        "recruitment/letter_detail.html",
        {"letter": letter, "can_edit": is_lead(request)},
    )


@role_required(*READERS)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as a PDF document, to print or keep."""
    letter = selectors.letter_for_user(user=request.user, pk=pk)
    return letter_pdf_download(request, letter)


@require_POST
@role_required(LEAD)
def letter_posted(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: letters.letter_mark_posted(letter=letter, by=request.user),
        done=f"The letter to {letter.person.display_name} is marked posted.",
    )
    return redirect(safe_next(request, reverse("recruitment:letter-list")))


# The wording of recruitment's outcome letters: leads change it; HR and admins
# read it.
WORDING = LetterWording(
    namespace="recruitment",
    readers=READERS,
    editors=(LEAD,),
    intro="The wording of each outcome letter. Letters can use only a fixed set of "
    "placeholders (names, cohort, dates), never health or other sensitive facts.",
    subnav="recruitment/_subnav.html",
)
