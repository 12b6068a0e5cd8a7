"""The supervision overview's, a cohort's mentoring page's and the
programme dashboard's tables join the record of writes
(``peerprog/core/report_changes.py``): what those pages read is kept until
one of the tables it reads changes."""

from django.db import migrations

WATCHED = (
    "core_user",
    "dashboard_cohortfigures",
    "dashboard_programmefigures",
    "deployment_activityline",
    "deployment_activityweek",
    "deployment_interview",
    "deployment_interviewscore",
    "deployment_panel",
    "deployment_panelmember",
    "deployment_panelmemberlivedexperience",
    "deployment_recruitmentday",
    "deployment_retentionsnapshot",
    "supervision_mentormeeting",
    "supervision_supervisionassignment",
    "supervision_supervisionattendance",
    "supervision_supervisionsession",
    "supervision_wellbeingplan",
)

TRIGGER = """
CREATE TRIGGER dashboard_report_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_report_changed();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in WATCHED:
        schema_editor.execute(TRIGGER.format(table=schema_editor.quote_name(table)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in WATCHED:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS dashboard_report_changed ON {schema_editor.quote_name(table)}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0004_report_changes"),
        ("deployment", "0014_post_list_order"),
        ("supervision", "0006_supervision_session_held_on_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
