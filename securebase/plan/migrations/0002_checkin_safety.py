"""The check-in's safety question: a nullable answer (null = not asked), 0–2."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0001_plan_and_track"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="safety",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(("safety__isnull", True), ("safety__lte", 2), _connector="OR"),
                name="checkin_safety_0_2",
            ),
        ),
    ]
