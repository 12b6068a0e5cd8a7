"""A person's own account: their contact details and e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peerprog.core import accounts
from peerprog.core.models import Person
from peerprog.core.pages import attempt
from selfservice.access import own_records, person_required
from selfservice.forms import MyDetailsForm


@person_required
def my_details(request: HttpRequest) -> HttpResponse:
    """One form per person record the account holds (one per programme).
    A post names its record; a record that is not the account's gives 404."""
    people = list(own_records(request.user).select_related("programme").order_by("pk"))
    posted: Person | None = None
    if request.method == "POST":
        posted = _own_record(people, request.POST.get(MyDetailsForm.RECORD_FIELD, ""))
    forms = []
    for person in people:
        bound = posted is not None and person.pk == posted.pk
        form = MyDetailsForm(
            request.POST if bound else None, instance=person, prefix=f"person-{person.pk}"
        )
        if bound and form.is_valid():
            saved = attempt(
                form,
                lambda form=form, person=person: accounts.person_own_details_update(
                    person=person, by=request.user, **form.cleaned_data
                ),
            )
            if saved is not None:
                messages.success(request, "Your details have been saved.")
                return redirect("selfservice:details")
        forms.append((person, form))
    return render(
        request,
        "selfservice/my_details.html",
        {
            "forms": forms,
            "several": len(people) > 1,
            "ask_about_email": accounts.ASK_ABOUT_EMAIL,
        },
    )


def _own_record(people: list[Person], pk: str) -> Person:
    for person in people:
        if str(person.pk) == pk:
            return person
    raise Http404("No such record of yours.")
