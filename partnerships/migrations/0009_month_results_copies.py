# Written by hand on 2026-11-29 (Django 5.2): the month rows carry copies of their partnership.

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


SIGNED = ("contracted", "active", "completed")


def fill_copies(apps, schema_editor):
    """The copies _month_results_stamp writes, for the month rows already there (frozen here: a
    migration does not import app code). Reversing drops the columns."""
    signed = ", ".join(f"'{status}'" for status in SIGNED)
    sql = f"""
        UPDATE partnerships_partnershipmonthresults AS m
        SET influencer_id = c.influencer_id, campaign_id = c.campaign_id,
            tier_at_signing_id = c.tier_at_signing_id, collaboration_type = c.collaboration_type,
            signed = c.signed, contract_value = c.contract_value, followers = c.followers
        FROM (
            SELECT p.id, p.influencer_id, p.campaign_id, p.tier_at_signing_id,
                   p.collaboration_type, p.status IN ({signed}) AS signed, p.contract_value,
                   i.followers
            FROM partnerships_partnership p
            JOIN influencers_influencer i ON i.id = p.influencer_id
        ) c
        WHERE m.partnership_id = c.id
    """  # noqa: S608
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0004_drop_campaign_page_covering_indexes'),
        ('influencers', '0010_niche_members'),
        ('partnerships', '0008_influencer_results'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='influencer',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='influencers.influencer'),
        ),
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='campaign',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign'),
        ),
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='tier_at_signing',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='influencers.tier'),
        ),
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='collaboration_type',
            field=models.CharField(choices=[('one_off', 'One-off'), ('long_term', 'Long-term (ambassador / retainer)')], default='', max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='signed',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='contract_value',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14),
        ),
        migrations.AddField(
            model_name='partnershipmonthresults',
            name='followers',
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(fill_copies, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='partnershipmonthresults',
            name='influencer',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='influencers.influencer'),
        ),
        migrations.RemoveConstraint(
            model_name='partnershipmonthresults',
            name='partnership_month_results_valid',
        ),
        migrations.AddConstraint(
            model_name='partnershipmonthresults',
            constraint=models.CheckConstraint(condition=models.Q(('clicks__gte', 0), ('comments__gte', 0), ('contract_value__gte', 0), ('conversions__gte', 0), ('deliverables__gt', 0), ('followers__gte', 0), ('impressions__gte', 0), ('likes__gte', 0), ('partnership_deliverables__gte', models.F('deliverables')), ('reach__gte', 0), ('revenue__gte', 0), ('saves__gte', 0), ('shares__gte', 0)), name='partnership_month_results_valid'),
        ),
    ]
