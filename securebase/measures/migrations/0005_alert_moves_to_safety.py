# Alert moved to safety (safety/migrations/0004_alert_moves_here.py): removed from measures in
# Django's state only; its table stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0004_alert_once_per_open_source"),
        ("safety", "0004_alert_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Alert")],
            database_operations=[],
        ),
    ]
