"""The data protection officer's subject access pages: the list of
requests, starting one for a person (found by name or e-mail) or a staff
user of the programme, its progress, and its download by the officer who
asked for it only (404 for anyone else). The same progress and download
pages serve a person's own "download my data" (``selfservice``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from peerprog.core import navigation, once, work
from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.forms import CrispyForm
from peerprog.core.models import Person, Role, User
from peerprog.core.once import create_view
from peerprog.core.privacy import subject_access_build as build
from peerprog.core.privacy.subject_access_models import SubjectAccessRequest

PAGE_SIZE = 50
SHOWN_MATCHES = 20
# htmx stops polling when a poll answers with this status.
STOP_POLLING = 286
OFFICER = Role.DATA_PROTECTION


class StartForm(CrispyForm):
    submit_label = "Start the subject access request"

    reference = forms.CharField(
        label="Reference",
        max_length=100,
        required=False,
        help_text="Optional: your case or letter reference.",
    )
    reason = forms.CharField(
        label="Notes on the request",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: who asked and how. Kept with the request.",
    )


def requests_list(request: HttpRequest) -> HttpResponse:
    """Every subject access request of the programme, newest first."""
    require_role(request.user, OFFICER)
    rows = scoped(
        SubjectAccessRequest.objects.filter(own_download=False).select_related(
            "person", "user", "requested_by"
        ),
        request.user,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/subject_access_list.html", {"page": page})


@create_view(sample="tests.core.samples.subject_access")
def request_start(request: HttpRequest) -> HttpResponse:
    """Find the person (``?q=`` name or e-mail) or staff user, then start
    the request for them (``?person=`` or ``?user=``)."""
    officer = request.user
    require_role(officer, OFFICER)
    person = user = None
    if request.GET.get("person"):
        person = get_in_programme_or_404(Person.objects.all(), officer, request.GET["person"])
    elif request.GET.get("user"):
        user = get_in_programme_or_404(
            User.objects.filter(is_system=False), officer, request.GET["user"]
        )
    if person is None and user is None:
        return _search(request)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        started = build.subject_access_start(
            by=officer, person=person, user=user, **form.cleaned_data
        )
        messages.success(request, "The subject access request has started.")
        return redirect("core:subject-access-progress", pk=started.pk)
    subject = person.legal_name if person is not None else (user.full_name or user.email)
    return render(
        request,
        "privacy/subject_access_start.html",
        {
            "form": once.form_with_token(request, form),
            "subject": subject,
            "person": person,
            "staff": user,
        },
    )


def _search(request: HttpRequest) -> HttpResponse:
    words = request.GET.get("q", "").strip()
    people: list[Person] = []
    staff: list[User] = []
    if words:
        people_rows = scoped(Person.objects.all(), request.user)
        staff_rows = scoped(User.objects.filter(is_system=False), request.user)
        for word in words.split()[:5]:
            people_rows = people_rows.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(email__icontains=word)
            )
            staff_rows = staff_rows.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
        people = list(people_rows.order_by("last_name", "first_name", "pk")[:SHOWN_MATCHES])
        staff = list(staff_rows.order_by("full_name", "pk")[:SHOWN_MATCHES])
    return render(
        request,
        "privacy/subject_access_search.html",
        {"words": words, "people": people, "staff": staff},
    )


def _own(request: HttpRequest, pk: int) -> SubjectAccessRequest:
    """A request the signed-in user asked for (404 otherwise): an officer
    must still hold the role; a person's own download is theirs."""
    record = build.get_own_request_or_404(request.user, pk)
    if not record.own_download:
        require_role(request.user, OFFICER)
    return record


def request_progress(request: HttpRequest, pk: int) -> HttpResponse:
    record = _own(request, pk)
    context = {"record": record, "subject": build.subject_name(record)}
    if request.htmx:
        response = render(request, "privacy/subject_access_progress.html#status", context)
        if record.is_finished:
            response.status_code = STOP_POLLING
        return response
    return render(request, "privacy/subject_access_progress.html", context)


def request_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = _own(request, pk)
    return build.download_response(record, by=request.user)


def in_progress(*, user: User, today: object) -> list[work.WorkCount]:
    """The officer's home queue: the programme's requests not yet ready."""
    count = (
        scoped(SubjectAccessRequest.objects.all(), user)
        .filter(
            own_download=False,
            status__in=[SubjectAccessRequest.Status.QUEUED, SubjectAccessRequest.Status.RUNNING],
        )
        .count()
    )
    if not count:
        return []
    return [
        work.WorkCount(
            label="Subject access requests in progress",
            count=count,
            url=work.link("core:subject-access"),
            hint="being prepared",
            order=20,
        )
    ]


def register_pages() -> None:
    navigation.add(
        "Subject access requests",
        "core:subject-access",
        roles=(OFFICER,),
        description="Everything peerprog holds about one person or staff user, as one archive.",
        order=10,
        group="dataprotection",
    )
    work.add(OFFICER, in_progress)
