"""The organisational-conditions survey, for the staff who run it: the
instrument, rounds, respondent links and results. Leads and admins run
rounds; HR reads results. Respondents answer on the public pages in
``survey_answer``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from peerprog.core import exports
from peerprog.core.access import has_role, role_required, scoped
from peerprog.core.models import Service
from peerprog.core.once import create_view
from peerprog.core.pages import act, attempt, form_page
from peerprog.core.services import DomainError
from readiness import charts, results, selectors, services
from readiness.exports import SURVEY_RESULTS
from readiness.forms import (
    DomainForm,
    InstrumentForm,
    InviteStaffForm,
    ItemForm,
    LinksForm,
    RoundForm,
)
from readiness.selectors import RESULT_READERS, SURVEY_RUNNERS


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@role_required(*RESULT_READERS)
def survey_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "readiness/survey_home.html",
        {
            "rounds": selectors.round_list(user=request.user),
            "instruments": selectors.instrument_list(user=request.user),
            "can_run": has_role(request.user, *SURVEY_RUNNERS),
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(*SURVEY_RUNNERS)
@create_view(sample="tests.readiness.samples.suggested_instrument", refused_to="readiness:surveys")
def instrument_add_default(request: HttpRequest) -> HttpResponse:
    instrument = services.instrument_ensure_default(
        programme=request.user.programme, by=request.user
    )
    if instrument is None:
        messages.info(request, "The programme already has an instrument.")
        return redirect("readiness:surveys")
    messages.success(request, f"“{instrument.name}” has been added. Edit it to suit you.")
    return redirect("readiness:instrument-detail", pk=instrument.pk)


@role_required(*SURVEY_RUNNERS)
@create_view(sample="tests.readiness.samples.instrument")
def instrument_create(request: HttpRequest) -> HttpResponse:
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = attempt(
            form,
            lambda: services.instrument_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
        if instrument is not None:
            messages.success(request, f"“{instrument.name}” has been added.")
            return redirect("readiness:instrument-detail", pk=instrument.pk)
    return form_page(
        request, form, title="Add a survey instrument", back_url=reverse("readiness:surveys")
    )


@role_required(*RESULT_READERS)
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for_user(user=request.user, pk=pk)
    return render(
        request,
        "readiness/survey_instrument.html",
        {"instrument": instrument, "can_run": has_role(request.user, *SURVEY_RUNNERS)},
    )


@role_required(*SURVEY_RUNNERS)
@create_view(sample="tests.readiness.samples.domain")
def domain_create(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for_user(user=request.user, pk=pk)
    form = DomainForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.domain_add(
                instrument=instrument, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The domain has been added.")
        return redirect("readiness:instrument-detail", pk=instrument.pk)
    return form_page(
        request,
        form,
        title=f"Add a domain to “{instrument.name}”",
        back_url=reverse("readiness:instrument-detail", args=[instrument.pk]),
    )


@role_required(*SURVEY_RUNNERS)
@create_view(sample="tests.readiness.samples.item")
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    domain = selectors.get_domain_for_user(user=request.user, pk=pk)
    form = ItemForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.item_add(
                domain=domain, wording=form.cleaned_data["wording"], by=request.user
            ),
        )
    ):
        messages.success(request, "The item has been added.")
        return redirect("readiness:instrument-detail", pk=domain.instrument_id)
    return form_page(
        request,
        form,
        title=f"Add an item to “{domain.title}”",
        back_url=reverse("readiness:instrument-detail", args=[domain.instrument_id]),
    )


@role_required(*SURVEY_RUNNERS)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(user=request.user, pk=pk)
    form = ItemForm(
        request.POST or None, initial={"wording": item.wording, "is_active": item.is_active}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: services.item_update(item=item, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, "The item has been saved.")
        return redirect("readiness:instrument-detail", pk=item.domain.instrument_id)
    return form_page(
        request,
        form,
        title="Change a survey item",
        intro=f"In “{item.domain.title}”. This is version {item.version} of its wording.",
        back_url=reverse("readiness:instrument-detail", args=[item.domain.instrument_id]),
        extra={"versions": item.versions.all()},
        template="readiness/survey_item_form.html",
    )


@role_required(*SURVEY_RUNNERS)
@create_view(sample="tests.readiness.samples.survey_round")
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for_user(user=request.user, pk=pk)
    form = RoundForm(
        request.POST or None,
        services=scoped(Service.objects.filter(is_active=True), request.user),
        initial={"opens_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        survey_round = attempt(
            form,
            lambda: services.round_create(
                programme=request.user.programme,
                instrument=instrument,
                by=request.user,
                **form.cleaned_data,
            ),
        )
        if survey_round is not None:
            messages.success(request, f"The round “{survey_round.title}” has started.")
            return redirect("readiness:round-detail", pk=survey_round.pk)
    return form_page(
        request,
        form,
        title=f"Start a round of “{instrument.name}”",
        intro="The round asks the instrument's items as they are worded today; later edits "
        "do not change it. Then make links for respondents, or invite staff by e-mail.",
        back_url=reverse("readiness:instrument-detail", args=[instrument.pk]),
    )


@role_required(*RESULT_READERS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.get_round_for_user(user=request.user, pk=pk)
    can_run = has_role(request.user, *SURVEY_RUNNERS)
    return render(
        request,
        "readiness/survey_round.html",
        {
            "round": survey_round,
            "progress": selectors.round_progress(survey_round=survey_round),
            "can_run": can_run,
            "is_open": survey_round.is_open_on(timezone.localdate()),
            "links_form": LinksForm() if can_run else None,
        },
    )


def _link_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    def link(token: str) -> str:
        return request.build_absolute_uri(reverse("readiness:survey-answer", args=[token]))

    return link


@role_required(*SURVEY_RUNNERS)
def round_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Make anonymous links and show them once: they are not kept."""
    survey_round = selectors.get_round_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("readiness:round-detail", pk=survey_round.pk)
    form = LinksForm(request.POST)
    if form.is_valid():
        try:
            tokens = services.respondent_links_create(
                survey_round=survey_round, count=form.cleaned_data["count"], by=request.user
            )
        except DomainError as error:
            # Not ``act``: success shows the links page rather than a message.
            messages.error(request, error.message)
            return redirect("readiness:round-detail", pk=survey_round.pk)
        link = _link_for(request)
        response = render(
            request,
            "readiness/survey_links.html",
            {"round": survey_round, "links": [link(token) for token in tokens]},
        )
        response["Referrer-Policy"] = "same-origin"
        return _no_store(response)
    messages.error(request, "Give a number of links from 1 to 200.")
    return redirect("readiness:round-detail", pk=survey_round.pk)


@role_required(*SURVEY_RUNNERS)
def round_invite(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.get_round_for_user(user=request.user, pk=pk)
    form = InviteStaffForm(request.POST or None, users=selectors.invitable_staff(user=request.user))
    if request.method == "POST" and form.is_valid():
        count = attempt(
            form,
            lambda: services.respondents_invite_staff(
                survey_round=survey_round,
                users=form.cleaned_data["users"],
                by=request.user,
                link_for=_link_for(request),
            ),
        )
        # None is a refusal; 0 is a success (everyone chosen was already invited).
        if count is not None:
            messages.success(
                request,
                f"{count} invitation{'s' if count != 1 else ''} sent."
                if count
                else "Everyone chosen had already been invited.",
            )
            return redirect("readiness:round-detail", pk=survey_round.pk)
    return form_page(
        request,
        form,
        title=f"Invite staff to “{survey_round.title}”",
        intro="Mentors, supervisors and other staff answer only if invited. Each gets a link "
        "of their own by e-mail; their answers are anonymous like everyone's.",
        back_url=reverse("readiness:round-detail", args=[survey_round.pk]),
    )


@require_POST
@role_required(*SURVEY_RUNNERS)
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.get_round_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.round_close(survey_round=survey_round, by=request.user),
        done="The round is closed: its links no longer accept answers.",
    )
    return redirect("readiness:round-detail", pk=survey_round.pk)


@role_required(*RESULT_READERS)
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = selectors.get_round_for_user(user=request.user, pk=pk)
    figures = results.round_results(survey_round=survey_round)
    dimension = request.GET.get("compare", "group")
    if dimension not in results.DIMENSIONS:
        dimension = "group"
    comparison = (
        None
        if figures.suppressed
        else results.comparison(survey_round=survey_round, dimension=dimension)
    )
    others = list(selectors.comparable_rounds(survey_round=survey_round, user=request.user))
    earlier = None
    change = None
    against = request.GET.get("against", "")
    if against:
        earlier = next((other for other in others if str(other.pk) == against), None)
        if earlier is None:
            raise Http404("No such round to compare with.")
        change = results.change_between(survey_round=survey_round, earlier=earlier)
    return _no_store(
        render(
            request,
            "readiness/survey_results.html",
            {
                "round": survey_round,
                "results": figures,
                "chart": None
                if figures.suppressed
                else charts.happening_chart(figures.items, title=survey_round.title),
                "comparison": comparison,
                "dimensions": [(key, title) for key, (title, _, _) in results.DIMENSIONS.items()],
                "dimension": dimension,
                "others": others,
                "earlier": earlier,
                "change": change,
                "minimum": results.MINIMUM_GROUP,
            },
        )
    )


@role_required(*RESULT_READERS)
def round_results_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    survey_round = selectors.get_round_for_user(user=request.user, pk=pk)
    # The export framework reads its filters from the query string: the
    # round, already checked to be in the user's programme, is one of them.
    request.GET = request.GET.copy()
    request.GET["round"] = str(survey_round.pk)
    return exports.serve(request, SURVEY_RESULTS)
