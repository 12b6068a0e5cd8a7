"""Each user's own page for which reminders reach them by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peerprog.core.reminders import registry, selectors, services
from peerprog.core.reminders.forms import ReminderEmailForm


def email_settings(request: HttpRequest) -> HttpResponse:
    """Open to everyone signed in: it only ever shows and changes the
    user's own choices, for the kinds of reminder their roles receive."""
    kinds = registry.kinds_for_user(request.user)
    initial = {"emailed": sorted(selectors.emails_wanted(user=request.user))}
    form = ReminderEmailForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.reminder_email_choices_set(
            user=request.user, emailed=form.cleaned_data["emailed"], by=request.user
        )
        messages.success(request, "Your e-mail settings are saved.")
        return redirect("core:notification-settings")
    return render(
        request, "core/notification_settings.html", {"form": form, "has_kinds": bool(kinds)}
    )
