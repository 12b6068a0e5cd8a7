"""How each application arrived (online, by hand, imported), apart from
where the person heard of the programme, and the details an applicant who
was already on record gave online.

Every existing application becomes "by hand". Applications loaded by the
applications import cannot be told apart from those keyed in: both went
through the same service, wrote the same first timeline entry by the same
lead and left no other mark, so none is marked "imported" by guesswork.
The import marks the applications it creates from now on.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0003_default_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="arrived",
            field=models.CharField(
                choices=[("online", "Online"), ("by_hand", "By hand"), ("imported", "Imported")],
                default="by_hand",
                max_length=20,
                verbose_name="how it arrived",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="details_given",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Details the applicant gave online that differ from their record.",
                verbose_name="details as given",
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="arrived",
            field=models.CharField(
                choices=[("online", "Online"), ("by_hand", "By hand"), ("imported", "Imported")],
                default="by_hand",
                max_length=20,
                verbose_name="how it arrived",
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="details_given",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Details the applicant gave online that differ from their record.",
                verbose_name="details as given",
            ),
        ),
    ]
