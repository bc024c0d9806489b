"""How often the check-in asks the safety question, per client; "every" keeps the old behaviour."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plan', '0003_schedule_effective_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkinschedule',
            name='safety_question',
            field=models.CharField(choices=[('every', 'At every check-in'), ('daily', 'Once a day'), ('weekly', 'Once a week')], default='every', max_length=8),
        ),
    ]
