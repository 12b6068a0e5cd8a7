"""The record of writes to the tables the study tables read
(``peerprog/dashboard/report_changes.py``): on PostgreSQL, a row per
writing statement, added by a trigger in the writer's own transaction. Its
ids come from a sequence of their own, which no flush or rollback resets."""

from django.db import migrations

# The tables as they are at this migration (report_changes.WATCHED).
WATCHED = (
    "core_person",
    "core_service",
    "deployment_appointment",
    "deployment_post",
    "recruitment_application",
    "recruitment_cohort",
    "supervision_mentorassignment",
    "training_enrolment",
    "training_noncompletionreason",
)

CREATE = """
CREATE SEQUENCE dashboard_report_change_id;
CREATE TABLE dashboard_report_change (
    id bigint PRIMARY KEY DEFAULT nextval('dashboard_report_change_id'),
    weight bigint NOT NULL DEFAULT 1 CHECK (weight >= 0)
);
CREATE FUNCTION dashboard_report_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_report_change DEFAULT VALUES;
    RETURN NULL;
END
$$;
"""

TRIGGER = """
CREATE TRIGGER dashboard_report_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_report_changed();
"""

DROP = """
DROP TABLE IF EXISTS dashboard_report_change;
DROP FUNCTION IF EXISTS dashboard_report_changed() CASCADE;
DROP SEQUENCE IF EXISTS dashboard_report_change_id;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for table in WATCHED:
        schema_editor.execute(TRIGGER.format(table=schema_editor.quote_name(table)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0027_person_name_order"),
        ("dashboard", "0003_programme_page"),
        ("deployment", "0014_post_list_order"),
        ("recruitment", "0008_move_to_stage"),
        ("supervision", "0006_supervision_session_held_on_index"),
        ("training", "0003_submission_recorded_at"),
    ]

    operations = [migrations.RunPython(create, drop)]
