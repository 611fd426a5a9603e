"""Historical models (django-simple-history) for the records a team must be able to trace.

The tracked models live in other apps; registering them here keeps their history tables in this
app (audit_historicalinfluencer, ...) and leaves their models.py untouched. Every save() and
delete() through the ORM writes a history row with the user of the current request
(HistoryRequestMiddleware); bulk writes go through crm.history.
"""

import simple_history

from campaigns.models import Campaign
from influencers.models import Influencer, SocialAccount, Tier
from partnerships.models import Deliverable, Partnership

AUDITED_MODELS = [Tier, Influencer, SocialAccount, Campaign, Partnership, Deliverable]

# Bumped on every save; a history diff of it would only say "the record was saved".
NOT_DIFFED = {"updated_at"}

for _model in AUDITED_MODELS:
    simple_history.register(_model, app="audit", excluded_fields=sorted(NOT_DIFFED))


def audited_model(app_label, model_name):
    """The audited model class for app_label/model_name, or None if that model has no history."""
    for model in AUDITED_MODELS:
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name.lower()):
            return model
    return None
