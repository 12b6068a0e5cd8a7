import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def recorded_when_converted(apps, schema_editor):
    # Conversions entered before this field: recorded when they were made.
    apps.get_model("deployment", "PostConversion").objects.update(recorded_at=F("converted_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("deployment", "0010_suggested_activity_topics"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpostconversion",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="postconversion",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(recorded_when_converted, migrations.RunPython.noop),
    ]
