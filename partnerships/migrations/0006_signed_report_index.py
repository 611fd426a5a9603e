

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0004_drop_campaign_page_covering_indexes'),
        ('influencers', '0009_influencer_followers_by_id'),
        ('partnerships', '0005_partnership_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='partnership',
            index=models.Index(condition=models.Q(('status__in', ['contracted', 'active', 'completed'])), fields=['id'], include=('influencer', 'collaboration_type', 'contract_value', 'tier_at_signing', 'campaign'), name='partnership_signed_report'),
        ),
    ]
