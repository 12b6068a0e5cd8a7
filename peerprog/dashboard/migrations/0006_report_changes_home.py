"""The home page's counts, a cohort's training page and the list of
trainees at risk join the record of writes
(``peerprog/core/report_changes.py``): the lead's and HR's counts, the
cohort's overview and trainees' progress and the at-risk rules' findings
are kept until one of the tables they read changes (the admin's counts
read tables written with every e-mail, and are counted live)."""

from django.db import migrations

WATCHED = (
    "core_programme",
    "deployment_absence",
    "deployment_inductionitem",
    "deployment_preemploymentcheck",
    "deployment_reserveentry",
    "deployment_trainingcourse",
    "deployment_trainingrecord",
    "deployment_vacancy",
    "training_assessment",
    "training_attendance",
    "training_cofacilitator",
    "training_cohorttraining",
    "training_coursesession",
    "training_portfoliodraft",
    "training_portfoliosubmission",
    "training_rubric",
    "training_tutorial",
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
        ("core", "0027_person_name_order"),
        ("dashboard", "0005_report_changes_supervision"),
        ("deployment", "0014_post_list_order"),
        ("training", "0003_submission_recorded_at"),
    ]

    operations = [migrations.RunPython(create, drop)]
