"""The Django admin, for system administrators only.

Special-category models (SensitiveFacts, ReasonableAdjustment) are
deliberately not registered: they are reachable only through the programme's
own permission-checked pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from peerprog.core import second_factor
from peerprog.core.export_files import exports_withdraw
from peerprog.core.models import Notification, Organisation, Person, Programme, Service, User


def _admin_permission(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _admin_permission  # type: ignore[method-assign]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "lead_organisation", "is_active"]
    filter_horizontal = ["partner_organisations"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "programme", "setting", "site", "is_active"]
    list_filter = ["programme", "setting", "is_active"]
    search_fields = ["name", "site"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "preferred_name", "programme"]
    list_filter = ["programme"]
    search_fields = ["first_name", "last_name", "preferred_name", "email"]
    raw_id_fields = ["user"]


class AdminAddUserForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "programme")


class AdminChangeUserForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = AdminAddUserForm
    form = AdminChangeUserForm
    ordering = ["full_name"]
    list_display = ["email", "full_name", "programme", "is_active", "is_superuser"]
    list_filter = ["programme", "is_active", "is_superuser", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("About", {"fields": ("full_name", "job_title", "programme")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "programme",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ["groups"]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset the second factor of the selected staff")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A system administrator resets anyone's second factor (audited);
        never their own."""
        done = 0
        for member in queryset.filter(is_system=False):
            try:
                second_factor.reset_for(user=member, by=request.user)
            except second_factor.SecondFactorRefused as refused:
                self.message_user(request, refused.message, level=messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"Second factor reset for {done} member(s) of staff.")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """A system administrator's change of someone's roles or programme
        withdraws the files their background exports prepared under the old
        ones, as a change on the staff page does."""
        super().save_related(request, form, formsets, change)
        if change and {"programme", "groups"} & set(form.changed_data):
            exports_withdraw(user=form.instance)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "email"]
    list_filter = ["read_at"]
    raw_id_fields = ["recipient"]


# The admin of reminders and of the outbox lives beside their models.
from peerprog.core.outbox import admin as outbox_admin  # noqa: E402, F401
from peerprog.core.reminders import admin as reminder_admin  # noqa: E402, F401
