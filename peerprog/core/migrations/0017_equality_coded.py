"""Equality monitoring becomes coded (peerprog.core.equality).

Adds sex and gender identity, reads every old free-text answer (ethnic group,
gender, sexual orientation, religion or belief, age band) as a code where it
can, ignoring case, spacing and punctuation ("white british", "White -
British" are both A), keeps the rest as "Not known", then narrows the
columns to the codes and drops the free-text gender. History rows are read
the same way, so no free-text answer outlives the change in the audit trail.

Going back writes each code's label as the free text (sex as the gender).
"""

from django.db import migrations, models

from peerprog.core import equality

TEXT_FIELDS = {
    "ethnic_group": equality.EthnicCategory,
    "sexual_orientation": equality.SexualOrientation,
    "religion_or_belief": equality.ReligionOrBelief,
    "age_band": equality.AgeBand,
}
MODELS = ("SensitiveFacts", "HistoricalSensitiveFacts")


def to_codes(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("core", name)
        for field, codes in TEXT_FIELDS.items():
            for text in set(model.objects.values_list(field, flat=True)):
                code = equality.answer_from_text(codes, text)
                if code != text:
                    model.objects.filter(**{field: text}).update(**{field: code})
        for text in set(model.objects.values_list("gender", flat=True)):
            sex, identity = equality.sex_and_identity_from_gender(text)
            model.objects.filter(gender=text).update(sex=sex, gender_identity=identity)
    _checks_now(schema_editor)


def to_text(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("core", name)
        for field, codes in TEXT_FIELDS.items():
            for code in set(model.objects.values_list(field, flat=True)):
                text = "" if code == codes.NOT_KNOWN else equality.label_of(codes, code)
                model.objects.filter(**{field: code}).update(**{field: text})
        for code in set(model.objects.values_list("sex", flat=True)):
            sex = equality.Sex
            text = "" if code == sex.NOT_KNOWN else equality.label_of(sex, code)
            model.objects.filter(sex=code).update(gender=text)
    _checks_now(schema_editor)


def _checks_now(schema_editor):
    # The rows just updated leave PostgreSQL's deferred foreign-key checks
    # waiting, and it refuses to alter a table with checks waiting: run them
    # now so the columns can change in the same transaction. (SQLite, for the
    # demo, has no such checks.)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0016_people_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsensitivefacts",
            name="gender_identity",
            field=models.CharField(
                choices=[
                    ("yes", "Yes"),
                    ("no", "No"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=3,
                verbose_name="gender same as sex registered at birth",
            ),
        ),
        migrations.AddField(
            model_name="historicalsensitivefacts",
            name="sex",
            field=models.CharField(
                choices=[
                    ("F", "Female"),
                    ("M", "Male"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=1,
            ),
        ),
        migrations.AddField(
            model_name="sensitivefacts",
            name="gender_identity",
            field=models.CharField(
                choices=[
                    ("yes", "Yes"),
                    ("no", "No"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=3,
                verbose_name="gender same as sex registered at birth",
            ),
        ),
        migrations.AddField(
            model_name="sensitivefacts",
            name="sex",
            field=models.CharField(
                choices=[
                    ("F", "Female"),
                    ("M", "Male"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=1,
            ),
        ),
        migrations.RunPython(to_codes, to_text),
        migrations.AlterField(
            model_name="historicalsensitivefacts",
            name="age_band",
            field=models.CharField(
                choices=[
                    ("16-24", "16 to 24"),
                    ("25-34", "25 to 34"),
                    ("35-44", "35 to 44"),
                    ("45-54", "45 to 54"),
                    ("55-64", "55 to 64"),
                    ("65+", "65 or over"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=5,
                verbose_name="age band",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsensitivefacts",
            name="ethnic_group",
            field=models.CharField(
                choices=[
                    ("A", "White: British"),
                    ("B", "White: Irish"),
                    ("C", "White: any other White background"),
                    ("D", "Mixed: White and Black Caribbean"),
                    ("E", "Mixed: White and Black African"),
                    ("F", "Mixed: White and Asian"),
                    ("G", "Mixed: any other mixed background"),
                    ("H", "Asian or Asian British: Indian"),
                    ("J", "Asian or Asian British: Pakistani"),
                    ("K", "Asian or Asian British: Bangladeshi"),
                    ("L", "Asian or Asian British: any other Asian background"),
                    ("M", "Black or Black British: Caribbean"),
                    ("N", "Black or Black British: African"),
                    ("P", "Black or Black British: any other Black background"),
                    ("R", "Other ethnic group: Chinese"),
                    ("S", "Other ethnic group: any other ethnic group"),
                    ("Z", "Prefer not to say"),
                    ("99", "Not known"),
                ],
                default="99",
                max_length=2,
                verbose_name="ethnic group",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsensitivefacts",
            name="religion_or_belief",
            field=models.CharField(
                choices=[
                    ("none", "No religion"),
                    ("christian", "Christian"),
                    ("buddhist", "Buddhist"),
                    ("hindu", "Hindu"),
                    ("jewish", "Jewish"),
                    ("muslim", "Muslim"),
                    ("sikh", "Sikh"),
                    ("other", "Any other religion or belief"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=10,
                verbose_name="religion or belief",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsensitivefacts",
            name="sexual_orientation",
            field=models.CharField(
                choices=[
                    ("1", "Heterosexual or straight"),
                    ("2", "Gay or lesbian"),
                    ("3", "Bisexual"),
                    ("4", "Other sexual orientation"),
                    ("U", "Not sure"),
                    ("Z", "Prefer not to say"),
                    ("9", "Not known"),
                ],
                default="9",
                max_length=1,
                verbose_name="sexual orientation",
            ),
        ),
        migrations.AlterField(
            model_name="sensitivefacts",
            name="age_band",
            field=models.CharField(
                choices=[
                    ("16-24", "16 to 24"),
                    ("25-34", "25 to 34"),
                    ("35-44", "35 to 44"),
                    ("45-54", "45 to 54"),
                    ("55-64", "55 to 64"),
                    ("65+", "65 or over"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=5,
                verbose_name="age band",
            ),
        ),
        migrations.AlterField(
            model_name="sensitivefacts",
            name="ethnic_group",
            field=models.CharField(
                choices=[
                    ("A", "White: British"),
                    ("B", "White: Irish"),
                    ("C", "White: any other White background"),
                    ("D", "Mixed: White and Black Caribbean"),
                    ("E", "Mixed: White and Black African"),
                    ("F", "Mixed: White and Asian"),
                    ("G", "Mixed: any other mixed background"),
                    ("H", "Asian or Asian British: Indian"),
                    ("J", "Asian or Asian British: Pakistani"),
                    ("K", "Asian or Asian British: Bangladeshi"),
                    ("L", "Asian or Asian British: any other Asian background"),
                    ("M", "Black or Black British: Caribbean"),
                    ("N", "Black or Black British: African"),
                    ("P", "Black or Black British: any other Black background"),
                    ("R", "Other ethnic group: Chinese"),
                    ("S", "Other ethnic group: any other ethnic group"),
                    ("Z", "Prefer not to say"),
                    ("99", "Not known"),
                ],
                default="99",
                max_length=2,
                verbose_name="ethnic group",
            ),
        ),
        migrations.AlterField(
            model_name="sensitivefacts",
            name="religion_or_belief",
            field=models.CharField(
                choices=[
                    ("none", "No religion"),
                    ("christian", "Christian"),
                    ("buddhist", "Buddhist"),
                    ("hindu", "Hindu"),
                    ("jewish", "Jewish"),
                    ("muslim", "Muslim"),
                    ("sikh", "Sikh"),
                    ("other", "Any other religion or belief"),
                    ("Z", "Prefer not to say"),
                    ("X", "Not known"),
                ],
                default="X",
                max_length=10,
                verbose_name="religion or belief",
            ),
        ),
        migrations.AlterField(
            model_name="sensitivefacts",
            name="sexual_orientation",
            field=models.CharField(
                choices=[
                    ("1", "Heterosexual or straight"),
                    ("2", "Gay or lesbian"),
                    ("3", "Bisexual"),
                    ("4", "Other sexual orientation"),
                    ("U", "Not sure"),
                    ("Z", "Prefer not to say"),
                    ("9", "Not known"),
                ],
                default="9",
                max_length=1,
                verbose_name="sexual orientation",
            ),
        ),
        migrations.RemoveField(
            model_name="historicalsensitivefacts",
            name="gender",
        ),
        migrations.RemoveField(
            model_name="sensitivefacts",
            name="gender",
        ),
    ]
