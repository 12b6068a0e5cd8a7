"""The letter wording pages every app with letters shares: the list of its
letters' wording and the page to change one.

Each app registers its letter kinds (``peerprog.core.letters.register_kind``)
and points its own ``letter-wording/`` URLs here with a ``LetterWording``
saying whose letters they are and who may read and change their wording, so
its URL names and access rules stay its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from peerprog.core import letter_pdf, letters
from peerprog.core.access import has_role, require_role
from peerprog.core.forms import LetterTemplateForm
from peerprog.core.models import Letter
from peerprog.core.services import DomainError


@dataclass(frozen=True)
class LetterWording:
    """One app's letter wording: its URL namespace (which is also the prefix
    of its letter kinds' keys), who may read the wording and who may change
    it, and what its list page says and links back to."""

    namespace: str
    readers: tuple[str, ...]
    editors: tuple[str, ...]
    intro: str
    subnav: str = ""
    back_url_name: str = ""
    back_label: str = ""

    def kinds(self) -> list[letters.LetterKind]:
        return [kind for kind in letters.kinds() if self.owns(kind.key)]

    def owns(self, key: str) -> bool:
        return key.startswith(f"{self.namespace}.")

    @property
    def list_url(self) -> str:
        return reverse(f"{self.namespace}:letter-template-list")


def letter_template_list(request: HttpRequest, *, wording: LetterWording) -> HttpResponse:
    require_role(request.user, *wording.readers)
    programme = request.user.programme
    templates = [
        (kind, letters.template_for(programme=programme, kind=kind.key)) for kind in wording.kinds()
    ]
    return render(
        request,
        "core/letter_template_list.html",
        {
            "templates": templates,
            "can_edit": has_role(request.user, *wording.editors),
            "wording": wording,
            "back_url": reverse(wording.back_url_name) if wording.back_url_name else "",
        },
    )


def letter_template_edit(
    request: HttpRequest, kind: str, *, wording: LetterWording
) -> HttpResponse:
    require_role(request.user, *wording.editors)
    if not wording.owns(kind):
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
        return redirect(wording.list_url)
    if request.method == "POST" and form.is_valid():
        letters.letter_template_update(
            programme=programme, kind=kind, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"The wording of “{letter_kind.label}” has been saved.")
        return redirect(wording.list_url)
    return render(
        request,
        "core/letter_template_edit.html",
        {
            "form": form,
            "kind": letter_kind,
            "list_url": wording.list_url,
            "placeholders": [
                (name, letters.PLACEHOLDERS[name]) for name in letter_kind.placeholders
            ],
        },
    )


def letter_pdf_download(request: HttpRequest, letter: Letter) -> HttpResponse:
    """The letter as a PDF, made now and never stored or cached. The caller
    has checked that the user may read this letter (its app's selector);
    the download is logged in the export log."""
    letter_pdf.letter_download_record(letter=letter, by=request.user)
    response = HttpResponse(letter_pdf.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{letter_pdf.letter_file_name(letter)}"'
    )
    add_never_cache_headers(response)
    return response
