"""Give every programme that has no activity topics the suggested ones, so
the week page offers them without opening a page that writes."""

from django.db import migrations

SUGGESTED = (
    "Hope and recovery",
    "Daily living",
    "Community resources",
    "Discharge planning",
    "Wellbeing and relapse prevention",
    "Advocacy",
)


def add_suggested(apps, schema_editor):
    Programme = apps.get_model("core", "Programme")
    ActivityTopic = apps.get_model("deployment", "ActivityTopic")
    with_topics = ActivityTopic.objects.values("programme_id")
    ActivityTopic.objects.bulk_create(
        ActivityTopic(programme=programme, name=name, position=position)
        for programme in Programme.objects.exclude(pk__in=with_topics)
        for position, name in enumerate(SUGGESTED)
    )


class Migration(migrations.Migration):
    dependencies = [("deployment", "0009_in_post_records_together")]

    operations = [migrations.RunPython(add_suggested, migrations.RunPython.noop)]
