"""python manage.py seed_demo: the study's programme as demo data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peerprog.devtools.demo import DEMO_DOMAIN, account_purpose, seed_demo


class Command(BaseCommand):
    help = "Create the demo programme and one account per role (development only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off (for the scale and benchmark databases only).",
        )
        parser.add_argument(
            "--password",
            help="Use this password for the demo accounts, and set it on existing ones too.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: demo accounts must never reach a "
                "live system. Set DEBUG=true on a development database."
            )
        ctx = seed_demo(password=options["password"])
        for line in ctx.lines:
            self.stdout.write(line)
        if ctx.created_users:
            self.stdout.write(self.style.SUCCESS("Demo accounts created. Their password is:"))
            self.stdout.write(f"\n    {ctx.password}\n")
            self.stdout.write("It is shown only this once. Sign in with any of these:")
            for user in ctx.created_users:
                if user.email.endswith(f"@{DEMO_DOMAIN}"):
                    self.stdout.write(f"    {user.email:<40} {account_purpose(user)}")
        elif options["password"]:
            self.stdout.write("The demo accounts now use the password you gave.")
        else:
            self.stdout.write(
                "The demo data is up to date. The demo accounts already existed, so their "
                "password is unchanged (it was shown when they were first created). To choose "
                "a new one for all of them: python manage.py seed_demo --password <new password>"
            )
        required = list(settings.SECOND_FACTOR_REQUIRED_ROLES)
        if settings.SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS:
            required.append("System administrator")
        if required:
            self.stdout.write(
                "Accounts holding these roles set up an authenticator app at their first "
                f"sign-in (the set-up page shows the key to type in): {', '.join(required)}."
            )
        else:
            self.stdout.write(
                "No demo account is asked for a second factor (SECOND_FACTOR_REQUIRED_ROLES="
                "none); each can set one up from its account menu."
            )
