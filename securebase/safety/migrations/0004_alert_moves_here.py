# Alert moves from measures to safety, which raises and lists alerts: the model changes app in
# Django's state only; the table (measures_alert) and its rows stay as they are.

import django.db.models.deletion
import securebase.core.crypto
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0006_client_country'),
        ('measures', '0004_alert_once_per_open_source'),
        ('safety', '0003_crisis_overrides'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Alert',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('kind', models.CharField(choices=[('risk_item', 'Risk answer in a measure'), ('risk_checkin', 'Safety question in a check-in'), ('risk_words', 'Risk words in something the client wrote'), ('booster', 'A booster session may be needed')], max_length=20)),
                        ('source_type', models.CharField(blank=True, max_length=20)),
                        ('source_id', models.UUIDField(blank=True, null=True)),
                        ('source_shared', models.BooleanField(default=True)),
                        ('detail', models.JSONField(default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                        ('acknowledgement', securebase.core.crypto.EncryptedTextField(blank=True)),
                        ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('administration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='alerts', to='measures.administration')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='care.client')),
                    ],
                    options={
                        'db_table': 'measures_alert',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AddIndex(
                    model_name='alert',
                    index=models.Index(fields=['client', 'acknowledged_at'], name='alert_client_open'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.UniqueConstraint(condition=models.Q(('acknowledged_at__isnull', True), ('source_id__isnull', False)), fields=('kind', 'source_type', 'source_id'), name='alert_once_per_source'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name='riskreport',
            name='alert',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='safety.alert'),
        ),
    ]
