"""Niche links by niche, then influencer: a niche filter reads the niche's influencer ids from
the index alone (an index-only scan) instead of the table.

At 100,000 influencers the roster's per-tier counts for one niche (12,528 influencers) then run
as one serial hash join instead of a parallel one over three processes, for the same time. The
links table is Django's own (the ManyToManyField's), which declares no indexes of its own, so
the index is created in SQL; the state of the models is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("influencers", "0010_tier_niche_version"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX influencer_niche_by_niche "
            "ON influencers_influencer_niches (niche_id, influencer_id)",
            reverse_sql="DROP INDEX influencer_niche_by_niche",
        ),
    ]
