"""Each programme gets the default induction template and training
catalogue, and each appointment a checklist built from the template, with
the four induction dates and the access to electronic patient notes moved
into the matching items. The old fields go in the next migration."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (key, title, owner, due days after the start date), as in
# deployment.services.induction.DEFAULT_ITEMS when this migration was written.
ITEMS = [
    ("team_induction", "Team induction", "line_manager", 7),
    ("trust_induction", "Trust induction", "hr", 14),
    ("epr_access", "Access to electronic patient records", "hr", 14),
    ("ward_visits", "Ward visits", "line_manager", 21),
    ("shadowing", "Shadowing", "line_manager", 28),
    ("lone_working", "Lone-working procedure", "line_manager", 14),
    ("boundaries", "Boundaries and confidentiality", "supervisor", 28),
    ("meet_supervisor", "Meeting the supervisor", "supervisor", 14),
]
OLD_DATES = {
    "team_induction": "team_induction_on",
    "trust_induction": "trust_induction_on",
    "ward_visits": "ward_visits_on",
    "shadowing": "shadowing_on",
}
COURSES = [
    ("ASIST", 36),
    ("safeTALK", 36),
    ("Managing aggression", 12),
    ("Information governance", 12),
    ("Safeguarding", 36),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    Programme = apps.get_model("core", "Programme")
    Appointment = apps.get_model("deployment", "Appointment")
    TemplateItem = apps.get_model("deployment", "InductionTemplateItem")
    Item = apps.get_model("deployment", "InductionItem")
    Course = apps.get_model("deployment", "TrainingCourse")
    templates: dict[int, list[Any]] = {}
    for programme in Programme.objects.order_by("pk"):
        templates[programme.pk] = [
            TemplateItem.objects.create(
                programme=programme, key=key, title=title, owner=owner, due_days=days, order=n
            )
            for n, (key, title, owner, days) in enumerate(ITEMS)
        ]
        for n, (name, months) in enumerate(COURSES):
            Course.objects.create(programme=programme, name=name, valid_for_months=months, order=n)
    for appointment in Appointment.objects.order_by("pk"):
        started = appointment.start_date or appointment.created_at.date()
        for template in templates[appointment.programme_id]:
            if template.key == "epr_access":
                done_on = started if appointment.epr_access else None
            else:
                done_on = getattr(appointment, OLD_DATES.get(template.key, ""), None)
            Item.objects.create(
                appointment=appointment,
                template_item=template,
                title=template.title,
                owner=template.owner,
                due_days=template.due_days,
                order=template.order,
                done_on=done_on,
                done_recorded_by_id=appointment.created_by_id if done_on else None,
                created_on=appointment.created_at.date(),
            )


def backwards(apps: Any, schema_editor: Any) -> None:
    Appointment = apps.get_model("deployment", "Appointment")
    Item = apps.get_model("deployment", "InductionItem")
    fields = {**OLD_DATES, "epr_access": "epr_access"}
    for item in Item.objects.select_related("appointment", "template_item").filter(
        template_item__key__in=fields, done_on__isnull=False
    ):
        field = fields[item.template_item.key]
        value = True if field == "epr_access" else item.done_on
        Appointment.objects.filter(pk=item.appointment_id).update(**{field: value})
    Item.objects.all().delete()
    apps.get_model("deployment", "InductionTemplateItem").objects.all().delete()
    apps.get_model("deployment", "TrainingCourse").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("deployment", "0006_induction_and_training_records")]

    operations = [migrations.RunPython(forwards, backwards)]
