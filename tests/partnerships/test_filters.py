"""The roster's FilterSet with the partnership filter (partnerships/filters.py)."""

import pytest

from influencers.models import Influencer
from partnerships.filters import PartnershipRosterFilterSet
from partnerships.models import Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def names(data):
    filterset = PartnershipRosterFilterSet(data, queryset=Influencer.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("name", flat=True))


def test_has_an_active_partnership(roster):
    PartnershipFactory(influencer=roster["Eve Mega"], status=Partnership.Status.ACTIVE)
    PartnershipFactory(influencer=roster["Ana Nano"], status=Partnership.Status.PROSPECT)
    assert names({"active_partnership": "true"}) == ["Eve Mega"]
    assert "Eve Mega" not in names({"active_partnership": "false"})
    assert len(names({"active_partnership": "false"})) == 4
