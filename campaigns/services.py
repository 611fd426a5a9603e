"""Writes on campaigns. Views call these; nothing else saves a Campaign."""

from decimal import Decimal

from django.db import transaction

from campaigns.models import Campaign
from crm.concurrency import version_bump


@transaction.atomic
def campaign_create(
    *,
    name,
    objective,
    start_date,
    end_date=None,
    budget=Decimal("0"),
    status=Campaign.Status.PLANNING,
    product="",
    description="",
    owner=None,
    target_niches=(),
):
    """Create a campaign with its target niches; validated before it is saved."""
    campaign = Campaign(
        name=name,
        objective=objective,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        status=status,
        product=product,
        description=description,
        owner=owner,
    )
    campaign.full_clean()
    campaign.save()
    campaign.target_niches.set(target_niches)
    return campaign


@transaction.atomic
def campaign_update(*, campaign, version=None, target_niches=None, **fields):
    """Change a campaign's fields (and its target niches when given); validated before saving.

    ``version`` is the version the edit form was loaded with: if someone saved the campaign since,
    crm.concurrency.EditConflict is raised and nothing is written. Every update moves the
    campaign to its next version."""
    version_bump(campaign, expected=version)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    if target_niches is not None:
        campaign.target_niches.set(target_niches)
    return campaign
