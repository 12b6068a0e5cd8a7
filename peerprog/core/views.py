"""The kernel's pages: home, people, sensitive facts, services, staff,
audit and notifications. Each view checks access, binds a form, calls one
service and renders or redirects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView, PasswordResetView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from peerprog.core import (
    accounts,
    admin_queue,
    password_reset,
    second_factor,
    selectors,
    services,
    sso,
)
from peerprog.core import health as health_checks
from peerprog.core.access import public, role_required
from peerprog.core.forms import (
    AdjustmentForm,
    OrganisationAddressForm,
    OutboxPasswordResetForm,
    PersonForm,
    SensitiveFactsForm,
    ServiceForm,
    SignInForm,
    StaffUserForm,
)
from peerprog.core.models import Role, SensitiveFacts
from peerprog.core.once import create_view
from peerprog.core.pages import SPECIAL_CATEGORY, address_pattern, attempt, form_page
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, mixed_reads_log, read_log

LEAD_OR_HR = (Role.PROGRAMME_LEAD, Role.HR)
PAGE_SIZE = 50


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if sso.is_enabled():
            context["sso_login_url"] = sso.login_url()
            context["staff_local_passwords"] = settings.STAFF_LOCAL_PASSWORDS
        return context


class SignOutView(LogoutView):
    """Ends the peerprog session. After a single sign-on, when the provider
    has a sign-out of its own, a page offers it: the organisation account
    stays signed in on this browser otherwise."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        came_by_sso = bool(request.session.get(sso.SESSION_KEY))
        response = super().post(request, *args, **kwargs)
        provider_url = sso.provider_sign_out_url() if came_by_sso else None
        if provider_url is None:
            return response
        return render(
            request,
            "registration/signed_out.html",
            {"provider_sign_out_url": provider_url, "provider_name": settings.SSO_PROVIDER_NAME},
        )


class PasswordResetRequestView(PasswordResetView):
    """The "forgotten your password" page. It checks only that an address
    was given, queues one task with it and answers at once, the same way
    for every address: the look-up and the e-mail happen in the task."""

    form_class = OutboxPasswordResetForm

    def form_valid(self, form: OutboxPasswordResetForm) -> HttpResponse:
        password_reset.password_reset_queue(
            email=form.cleaned_data["email"], request_key=form.request_key
        )
        return HttpResponseRedirect(self.get_success_url())


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker-compose: are the database and the
    broker reachable? 503 when either is not; never any detail."""
    checks = {"database": health_checks.database_status(), "broker": health_checks.broker_status()}
    healthy = health_checks.UNREACHABLE not in checks.values()
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@public
@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What peerprog is and how it treats people's information. Open to
    everyone, and the benchmark's trivial page: it makes no queries."""
    return render(request, "core/about.html")


@role_required(*LEAD_OR_HR)
def person_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.person_list(user=request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    detail = address_pattern("core:person-detail")
    for person in page:
        person.detail_url = detail.format(person.pk)
    context = {"page": page, "search": search}
    if request.htmx:
        return render(request, "core/person_list.html#results", context)
    return render(request, "core/person_list.html", context)


@role_required(*LEAD_OR_HR)
@create_view(sample="tests.core.samples.person")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, programme=request.user.programme)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{person.display_name} has been added.")
        return redirect("core:person-detail", pk=person.pk)
    return form_page(request, form, title="Add a person")


@role_required(*LEAD_OR_HR)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    try:
        facts = person.sensitive
    except SensitiveFacts.DoesNotExist:
        facts = None
    reads = [(ReadKind.ADJUSTMENTS, adjustment) for adjustment in person.adjustments.all()]
    if facts is not None:
        reads.append((ReadKind.SENSITIVE_FACTS, facts))
    mixed_reads_log(by=request.user, reads=reads, request=request)
    return render(request, "core/person_detail.html", {"person": person, "facts": facts})


@require_POST
@role_required(*LEAD_OR_HR)
@create_view(sample="tests.core.samples.person_invite", refused_to="core:people")
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The Invite and Send again buttons of a person's page."""
    person = selectors.person_detail(user=request.user, pk=pk)
    again = person.invited_at is not None
    try:
        accounts.person_invite(person=person, by=request.user)
    except services.DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"The invitation has been sent {'again ' if again else ''}to {person.display_name}.",
        )
    return redirect("core:person-detail", pk=person.pk)


@role_required(*LEAD_OR_HR)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person, programme=person.programme)
    if request.method == "POST" and form.is_valid():
        services.person_update(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, "The person's details have been saved.")
        return redirect("core:person-detail", pk=person.pk)
    return form_page(
        request,
        form,
        title=f"Change {person.display_name}'s details",
        back_url=reverse("core:person-detail", args=[person.pk]),
        back_label=f"Back to {person.display_name}",
    )


@role_required(*LEAD_OR_HR)
def person_sensitive(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    try:
        facts = person.sensitive
    except SensitiveFacts.DoesNotExist:
        facts = SensitiveFacts(person=person)
    form = SensitiveFactsForm(request.POST or None, instance=facts)
    if request.method != "POST" and facts.pk:
        read_log(
            by=request.user,
            kind=ReadKind.SENSITIVE_FACTS,
            record=facts,
            request=request,
            purpose=ReadPurpose.EDITED,
        )
    if request.method == "POST" and form.is_valid():
        services.sensitive_facts_update(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, "Disability and equality monitoring have been saved.")
        return redirect("core:person-detail", pk=person.pk)
    return form_page(
        request,
        form,
        title=f"Disability and equality monitoring: {person.display_name}",
        back_url=reverse("core:person-detail", args=[person.pk]),
        back_label=f"Back to {person.display_name}",
        sensitive=SPECIAL_CATEGORY,
    )


@role_required(*LEAD_OR_HR)
@create_view(sample="tests.core.samples.adjustment")
def adjustment_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.adjustment_create(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, "The reasonable adjustment has been added.")
        return redirect("core:person-detail", pk=person.pk)
    return form_page(
        request,
        form,
        title=f"Add a reasonable adjustment for {person.display_name}",
        back_url=reverse("core:person-detail", args=[person.pk]),
        back_label=f"Back to {person.display_name}",
        sensitive=SPECIAL_CATEGORY,
    )


@role_required(*LEAD_OR_HR)
def adjustment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = selectors.adjustment_for_user(user=request.user, pk=pk)
    form = AdjustmentForm(request.POST or None, instance=adjustment)
    if request.method != "POST":
        read_log(
            by=request.user,
            kind=ReadKind.ADJUSTMENTS,
            record=adjustment,
            request=request,
            purpose=ReadPurpose.EDITED,
        )
    if request.method == "POST" and form.is_valid():
        services.adjustment_update(adjustment=adjustment, by=request.user, **form.cleaned_data)
        messages.success(request, "The reasonable adjustment has been saved.")
        return redirect("core:person-detail", pk=adjustment.person_id)
    return form_page(
        request,
        form,
        title="Change a reasonable adjustment",
        back_url=reverse("core:person-detail", args=[adjustment.person_id]),
        back_label=f"Back to {adjustment.person.display_name}",
        sensitive=SPECIAL_CATEGORY,
    )


@role_required(Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
def programme_detail(request: HttpRequest) -> HttpResponse:
    programme = request.user.programme
    return render(
        request,
        "core/programme_detail.html",
        {
            "programme": programme,
            "partners": programme.partner_organisations.all(),
            "services": selectors.service_list(user=request.user),
            "can_edit_services": request.user.has_role(Role.PROGRAMME_LEAD, Role.ADMIN),
            "can_edit_address": request.user.has_role(Role.PROGRAMME_LEAD, Role.ADMIN),
            "can_move_history": request.user.has_role(Role.PROGRAMME_LEAD, Role.HR),
        },
    )


@role_required(Role.PROGRAMME_LEAD, Role.ADMIN)
def programme_address(request: HttpRequest) -> HttpResponse:
    """The postal address printed on the programme's letters: the lead
    organisation's, as it sends them."""
    organisation = request.user.programme.lead_organisation
    form = OrganisationAddressForm(request.POST or None, initial={"address": organisation.address})
    if request.method == "POST" and form.is_valid():
        services.organisation_address_update(
            organisation=organisation, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"The address on {organisation.name}'s letters has been saved.")
        return redirect("core:programme")
    return form_page(
        request,
        form,
        title=f"The address on {organisation.name}'s letters",
        back_url=reverse("core:programme"),
    )


@role_required(Role.PROGRAMME_LEAD, Role.ADMIN)
@create_view(sample="tests.core.samples.service")
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, programme=request.user.programme)
    if request.method == "POST" and form.is_valid():
        service = services.service_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{service.name} has been added.")
        return redirect("core:programme")
    return form_page(
        request, form, title="Add a service or team", back_url=reverse("core:programme")
    )


@role_required(Role.PROGRAMME_LEAD, Role.ADMIN)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_for_user(user=request.user, pk=pk)
    form = ServiceForm(request.POST or None, instance=service, programme=service.programme)
    if request.method == "POST" and form.is_valid():
        services.service_update(service=service, by=request.user, **form.cleaned_data)
        messages.success(request, f"{service.name} has been saved.")
        return redirect("core:programme")
    return form_page(
        request, form, title=f"Change {service.name}", back_url=reverse("core:programme")
    )


@role_required(Role.ADMIN)
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every staff account; ``?show=no-role`` keeps those holding no role."""
    without_role = request.GET.get("show") == "no-role"
    staff = selectors.staff_list(user=request.user)
    if without_role:
        staff = admin_queue.staff_without_role(queryset=staff)
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(
        page.object_list.values("pk", "full_name", "job_title", "email", "is_active", "last_login")
    )
    roles = selectors.staff_roles(ids=[row["pk"] for row in rows])
    return render(
        request,
        "core/staff_list.html",
        {"page": page, "rows": staff_rows_html(rows, roles), "without_role": without_role},
    )


_STAFF_ROW = """    <tr>
      <td>{name}{job_title}</td>
      <td>{email}</td>
      <td>{roles}</td>
      <td>{active}</td>
      <td>{last_login}</td>
      <td><a href="{edit}">Change<span class="visually-hidden"> {name}</span></a></td>
    </tr>
"""


def staff_rows_html(rows: Iterable[dict[str, Any]], roles: dict[int, list[str]]) -> SafeString:
    """The staff list's rows, written from one pattern with each value
    escaped once, rather than by the template cell by cell."""
    edit = address_pattern("core:staff-edit")
    lines = []
    for member in rows:
        job_title = member["job_title"]
        last_login = member["last_login"]
        lines.append(
            _STAFF_ROW.format(
                name=escape(member["full_name"]),
                job_title=f'<br><span class="small text-muted">{escape(job_title)}</span>'
                if job_title
                else "",
                email=escape(member["email"]),
                roles=escape(", ".join(roles[member["pk"]])) if member["pk"] in roles else "None",
                active="Yes" if member["is_active"] else "No",
                last_login=date_format(timezone.localtime(last_login)) if last_login else "Never",
                edit=edit.format(int(member["pk"])),
            )
        )
    # Every value from the database is escaped above; the rest is our markup.
    return mark_safe("".join(lines))  # noqa: S308


@role_required(Role.ADMIN)
@create_view(sample="tests.core.samples.staff")
def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = attempt(
            form,
            lambda: services.staff_user_create(
                programme=request.user.programme,
                by=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                job_title=form.cleaned_data["job_title"],
                roles=form.cleaned_data["roles"],
            ),
        )
        if member is not None:
            messages.success(
                request,
                f"{member.full_name} has been added and sent an e-mail to choose a password.",
            )
            return redirect("core:staff")
    return form_page(request, form, title="Add a member of staff", back_url=reverse("core:staff"))


@role_required(Role.ADMIN)
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.staff_for_user(user=request.user, pk=pk)
    initial = {
        "full_name": member.full_name,
        "email": member.email,
        "job_title": member.job_title,
        "roles": sorted(member.role_names),
        "is_active": member.is_active,
    }
    form = StaffUserForm(
        request.POST or None, initial=initial, editing=True, own=member.pk == request.user.pk
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.staff_user_update(
                user=member,
                by=request.user,
                full_name=form.cleaned_data["full_name"],
                job_title=form.cleaned_data["job_title"],
                roles=form.cleaned_data["roles"],
                is_active=form.cleaned_data["is_active"],
            ),
        )
    ):
        messages.success(request, f"{member.full_name}'s account has been saved.")
        return redirect("core:staff")
    return form_page(
        request,
        form,
        title=f"Change {member.full_name}",
        back_url=reverse("core:staff"),
        template="core/staff_edit.html",
        extra={"member": member, "has_second_factor": second_factor.device_for(user=member)},
    )


def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notification_list.html", {"page": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if request.htmx:
        notification.refresh_from_db()
        return render(
            request, "core/notification_list.html#notification", {"notification": notification}
        )
    return redirect("core:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("core:notifications")
