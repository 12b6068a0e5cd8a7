"""Every existing programme starts with the suggested activity topics, which
its leads may rename, reorder or archive."""

from django.db import migrations

DEFAULT_TOPICS = (
    "Hope and recovery",
    "Daily living",
    "Community resources",
    "Discharge planning",
    "Wellbeing and relapse prevention",
    "Advocacy",
)


def add_topics(apps, schema_editor):
    Programme = apps.get_model("core", "Programme")
    ActivityTopic = apps.get_model("deployment", "ActivityTopic")
    for programme in Programme.objects.all():
        for position, name in enumerate(DEFAULT_TOPICS):
            ActivityTopic.objects.get_or_create(
                programme=programme, name=name, defaults={"position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("deployment", "0006_activity")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
