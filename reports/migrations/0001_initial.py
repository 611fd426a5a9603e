

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('partnerships', '0006_signed_report_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='PartnershipResults',
            fields=[
                ('deliverables', models.PositiveIntegerField(default=0)),
                ('impressions', models.BigIntegerField(default=0)),
                ('reach', models.BigIntegerField(default=0)),
                ('likes', models.BigIntegerField(default=0)),
                ('comments', models.BigIntegerField(default=0)),
                ('shares', models.BigIntegerField(default=0)),
                ('saves', models.BigIntegerField(default=0)),
                ('clicks', models.BigIntegerField(default=0)),
                ('conversions', models.BigIntegerField(default=0)),
                ('revenue', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('partnership', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='partnerships.partnership')),
            ],
            options={
                'verbose_name': 'partnership result totals',
                'verbose_name_plural': 'partnership result totals',
            },
        ),
        migrations.CreateModel(
            name='PartnershipMonthResults',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('deliverables', models.PositiveIntegerField(default=0)),
                ('impressions', models.BigIntegerField(default=0)),
                ('reach', models.BigIntegerField(default=0)),
                ('likes', models.BigIntegerField(default=0)),
                ('comments', models.BigIntegerField(default=0)),
                ('shares', models.BigIntegerField(default=0)),
                ('saves', models.BigIntegerField(default=0)),
                ('clicks', models.BigIntegerField(default=0)),
                ('conversions', models.BigIntegerField(default=0)),
                ('revenue', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('platform', models.CharField(choices=[('instagram', 'Instagram'), ('tiktok', 'TikTok'), ('youtube', 'YouTube'), ('x', 'X'), ('twitch', 'Twitch'), ('facebook', 'Facebook'), ('pinterest', 'Pinterest'), ('linkedin', 'LinkedIn'), ('snapchat', 'Snapchat'), ('other', 'Blog / other')], max_length=20)),
                ('month', models.DateField(blank=True, null=True)),
                ('partnership', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.partnership')),
            ],
            options={
                'verbose_name': 'partnership results by platform and month',
                'verbose_name_plural': 'partnership results by platform and month',
                'indexes': [models.Index(fields=['month', 'partnership'], name='report_month_month'), models.Index(fields=['platform', 'partnership'], name='report_month_platform')],
            },
        ),
    ]
