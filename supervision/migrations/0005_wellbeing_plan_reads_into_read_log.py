"""Wellbeing-plan reads move into the kernel's read log (one table for
every read of special-category data); then the old table goes."""

from django.db import migrations

BATCH = 2000


def copy_reads(apps, schema_editor):
    WellbeingPlanRead = apps.get_model("supervision", "WellbeingPlanRead")
    ReadLog = apps.get_model("core", "ReadLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    plan_type, _ = ContentType.objects.get_or_create(app_label="supervision", model="wellbeingplan")
    reads = WellbeingPlanRead.objects.select_related("plan__person").order_by("pk")
    batch = []
    for read in reads.iterator(chunk_size=BATCH):
        batch.append(
            ReadLog(
                programme_id=read.plan.person.programme_id,
                reader_id=read.reader_id,
                read_at=read.read_at,
                kind="wellbeing_plan",
                purpose=read.purpose,
                content_type_id=plan_type.pk,
                object_id=read.plan_id,
                person_id=read.plan.person_id,
                page="supervision:wellbeing-plan",
                detail="",
            )
        )
        if len(batch) >= BATCH:
            ReadLog.objects.bulk_create(batch)
            batch = []
    if batch:
        ReadLog.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    WellbeingPlanRead = apps.get_model("supervision", "WellbeingPlanRead")
    ReadLog = apps.get_model("core", "ReadLog")
    WellbeingPlanRead.objects.bulk_create(
        WellbeingPlanRead(
            plan_id=read.object_id,
            reader_id=read.reader_id,
            read_at=read.read_at,
            purpose=read.purpose if read.purpose != "exported" else "viewed",
        )
        for read in ReadLog.objects.filter(kind="wellbeing_plan").exclude(object_id=None)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_mentor_meeting_trainee_note"),
        ("core", "0023_privacy_read_log_retention"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_reads, copy_back),
        migrations.DeleteModel(name="WellbeingPlanRead"),
    ]
