from django.db import migrations, models


class Migration(migrations.Migration):
    """A month already snapshotted can be re-taken as a revision kept beside
    the original: rows existing now are the originals (revision 0) and all
    of them stand, so the constraints hold from the start."""

    dependencies = [
        ("deployment", "0011_conversion_recorded_at"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="retentionsnapshot",
            name="retention_snapshot_once_per_month_cohort_service",
        ),
        migrations.RemoveConstraint(
            model_name="retentionsnapshot",
            name="retention_snapshot_once_per_month_service_without_cohort",
        ),
        migrations.AlterModelOptions(
            name="retentionsnapshot",
            options={"ordering": ["month", "cohort", "service", "revision"]},
        ),
        migrations.AddField(
            model_name="retentionsnapshot",
            name="revision",
            field=models.PositiveIntegerField(
                default=0,
                help_text="0 for the figures as first taken; 1, 2, ... for each re-take that "
                "changed them after an event was dated into the month.",
            ),
        ),
        migrations.AddField(
            model_name="retentionsnapshot",
            name="superseded_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When a revision replaced these figures; empty while they stand.",
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionsnapshot",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cohort__isnull", False), ("superseded_at__isnull", True)),
                fields=("month", "cohort", "service"),
                name="retention_snapshot_one_current_per_month_cohort_service",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionsnapshot",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cohort__isnull", True), ("superseded_at__isnull", True)),
                fields=("month", "service"),
                name="retention_snapshot_one_current_per_month_service_without_cohort",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionsnapshot",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cohort__isnull", False)),
                fields=("month", "cohort", "service", "revision"),
                name="retention_snapshot_each_revision_once_per_cohort_service",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionsnapshot",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cohort__isnull", True)),
                fields=("month", "service", "revision"),
                name="retention_snapshot_each_revision_once_per_service_without_cohort",
            ),
        ),
    ]
