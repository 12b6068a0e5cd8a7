"""Create one group per role. The names are fixed: code checks them."""

from __future__ import annotations

from django.db import migrations

ROLES = [
    "Programme lead",
    "HR",
    "Mentor",
    "Supervisor",
    "Admin",
    "Facilitator",
    "Assessor",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
