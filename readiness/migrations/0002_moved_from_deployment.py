"""The rest of team readiness's move out of deployment.

Content types: the moved models' rows in ``django_content_type`` change
their app label from ``deployment`` to ``readiness`` in place, so their ids
stay the same and every permission, group grant and admin log entry that
points at them keeps working.

The survey round's history of chosen services is the one table that changes
name: django-simple-history names it after the app and offers no way to
keep the old name, so it is renamed to ``readiness_historicalsurveyround_services``
with its rows.
"""

from django.db import migrations

MOVED_MODELS = [
    "preparationworkshop",
    "historicalpreparationworkshop",
    "workshopattendance",
    "historicalworkshopattendance",
    "surveyinstrument",
    "historicalsurveyinstrument",
    "surveydomain",
    "historicalsurveydomain",
    "surveyitem",
    "historicalsurveyitem",
    "surveyitemversion",
    "surveyround",
    "historicalsurveyround",
    "historicalsurveyround_services",
    "roundquestion",
    "surveyrespondent",
    "surveyanswer",
]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        current = ContentType.objects.filter(app_label=old, model=model).first()
        if current is None:
            continue
        # A row under the new label can exist only if content types were
        # created between the two halves of the move (a partial migrate).
        # It is newer and nothing was granted on it yet; the old row, with
        # its permissions and grants, is the one to keep.
        ContentType.objects.filter(app_label=new, model=model).delete()
        current.app_label = new
        current.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def content_types_to_readiness(apps, schema_editor) -> None:
    _relabel(apps, "deployment", "readiness")


def content_types_to_deployment(apps, schema_editor) -> None:
    _relabel(apps, "readiness", "deployment")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("deployment", "0004_readiness_moved_out"),
        ("readiness", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="historicalsurveyround_services", table=None),
        migrations.RunPython(content_types_to_readiness, content_types_to_deployment),
    ]
