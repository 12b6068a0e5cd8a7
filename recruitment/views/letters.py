"""Outcome letters, the list of letters to post, and their wording."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core import letters
from peerprog.core.access import role_required
from peerprog.core.pages import act, safe_next
from peerprog.core.services import DomainError
from recruitment import selectors, services
from recruitment.forms import LetterTemplateForm
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
    kind = services.letter_kind_for(application)
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


@role_required(*READERS)
def letter_template_list(request: HttpRequest) -> HttpResponse:
    programme = request.user.programme
    templates = [
        (kind, letters.template_for(programme=programme, kind=kind.key))
        for kind in letters.kinds()
        if kind.key.startswith("recruitment.")
    ]
    return render(
        request,
        "recruitment/letter_template_list.html",
        {"templates": templates, "can_edit": is_lead(request)},
    )


@role_required(LEAD)
def letter_template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if not kind.startswith("recruitment."):
        raise Http404("No such letter.")
    try:
        letter_kind = letters.get_kind(kind)
    except DomainError:
        raise Http404("No such letter.") from None
    programme = request.user.programme
    template = letters.template_for(programme=programme, kind=kind)
    form = LetterTemplateForm(
        request.POST or None,
        initial={"subject": template.subject, "body": template.body},
        kind=letter_kind,
    )
    if request.method == "POST" and "reset" in request.POST:
        letters.letter_template_reset(programme=programme, kind=kind, by=request.user)
        messages.success(request, "The letter is back to its default wording.")
        return redirect("recruitment:letter-template-list")
    if request.method == "POST" and form.is_valid():
        letters.letter_template_update(
            programme=programme, kind=kind, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"The wording of “{letter_kind.label}” has been saved.")
        return redirect("recruitment:letter-template-list")
    return render(
        request,
        "recruitment/letter_template_edit.html",
        {
            "form": form,
            "kind": letter_kind,
            "placeholders": [
                (name, letters.PLACEHOLDERS[name]) for name in letter_kind.placeholders
            ],
        },
    )
