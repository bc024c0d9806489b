# Only an OPEN alert for the same entry and kind suppresses a new one: once the care team has
# acknowledged an alert, new risk in the same entry (an edit adding risk words) opens a new alert.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_target_names"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="alert",
            name="alert_once_per_source",
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                condition=models.Q(("acknowledged_at__isnull", True), ("source_id__isnull", False)),
                fields=("kind", "source_type", "source_id"),
                name="alert_once_per_source",
            ),
        ),
    ]
