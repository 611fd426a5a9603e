"""crm.history: the bulk history writers and the admin's History button."""

from datetime import date

import pytest
from django.contrib.admin import AdminSite, ModelAdmin
from django.http import Http404
from django.urls import reverse

from crm.history import HistoryAdminMixin, history_record_bulk, history_record_objects
from influencers.models import Influencer, Niche, Tier
from partnerships.models import Deliverable
from tests.factories import DeliverableFactory, InfluencerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_bulk_recorder_writes_one_history_row_per_bulk_created_object(tiers):
    created = Influencer.objects.bulk_create(
        [Influencer(name=f"Bulk {n}", email=f"bulk{n}@example.com") for n in range(30)]
    )
    other = InfluencerFactory(name="Not in the batch")
    before = Influencer.history.filter(id=other.pk).count()
    assert Influencer.history.filter(id__in=[i.pk for i in created]).count() == 0

    written = history_record_objects(objects=created, change_reason="import")

    assert written == 30
    rows = Influencer.history.filter(id__in=[i.pk for i in created])
    assert rows.count() == 30
    assert sorted(rows.values_list("id", flat=True)) == sorted(i.pk for i in created)
    assert set(rows.values_list("history_type", "history_change_reason")) == {("+", "import")}
    assert set(rows.values_list("name", flat=True)) == {f"Bulk {n}" for n in range(30)}
    assert Influencer.history.filter(id=other.pk).count() == before


def test_bulk_recorder_records_an_update_with_the_new_values_and_the_user(tiers):
    ada = UserFactory(username="ada")
    deliverables = [DeliverableFactory() for _ in range(3)]
    pks = [d.pk for d in deliverables]
    Deliverable.objects.filter(pk__in=pks).update(due_date=date(2031, 1, 2))

    written = history_record_bulk(
        queryset=Deliverable.objects.filter(pk__in=pks), history_type="~", user=ada
    )

    assert written == 3
    latest = Deliverable.history.filter(id__in=pks, history_type="~")
    assert latest.count() == 3
    assert set(latest.values_list("due_date", "history_user")) == {(date(2031, 1, 2), ada.pk)}


def test_bulk_recorder_over_a_whole_table(tiers):
    Tier.history.all().delete()
    assert history_record_bulk(queryset=Tier.objects.all(), change_reason="seed") == 4
    assert sorted(Tier.history.values_list("name", flat=True)) == sorted(tiers)


def test_bulk_recorder_refuses_models_without_history(tiers):
    with pytest.raises(ValueError, match="no audit trail"):
        history_record_bulk(queryset=Niche.objects.all())


def test_the_admin_history_button_opens_the_audit_trail(rf, admin_user, tiers):
    class AuditedTierAdmin(HistoryAdminMixin, ModelAdmin):
        pass

    model_admin = AuditedTierAdmin(Tier, AdminSite())
    request = rf.get("/")
    request.user = admin_user
    micro = tiers["Micro"]
    response = model_admin.history_view(request, str(micro.pk))
    assert response.status_code == 302
    history = reverse("audit:object-history", args=["influencers", "tier", micro.pk])
    assert response["Location"] == history
    with pytest.raises(Http404):
        model_admin.history_view(request, "1;drop")
