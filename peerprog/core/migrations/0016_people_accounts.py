"""People's own accounts (one account may hold a person's records in several
programmes) and each programme's public address, filled in from its name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    from django.utils.text import slugify

    Programme = apps.get_model("core", "Programme")
    taken = set()
    for programme in Programme.objects.order_by("pk"):
        base = slugify(programme.name)[:50].strip("-") or "programme"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        programme.slug = slug
        programme.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0015_export_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalprogramme",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The short name in the programme's public pages' address, for example /apply/lambeth-peer-workers/.",
                max_length=60,
                verbose_name="public address",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="slug",
            field=models.SlugField(blank=True, default="", db_index=False, max_length=60),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programme",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The short name in the programme's public pages' address, for example /apply/lambeth-peer-workers/.",
                max_length=60,
                unique=True,
                verbose_name="public address",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="people",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("programme", "user"),
                name="person_account_once_in_programme",
                violation_error_message="This account already holds a record in this programme.",
            ),
        ),
    ]
