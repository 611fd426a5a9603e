import pytest
from django.template import Context, Template
from django.urls import include, path, reverse

from crm import roles
from crm import urls as crm_urls
from influencers.models import Influencer, Tier
from tests.factories import DeliverableFactory, InfluencerFactory, UserFactory

# The history pages are mounted at /history/ by crm/urls.py; until that line lands, this module
# is its own URLconf with the same routes.
urlpatterns = list(crm_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "audit" for p in urlpatterns):
    urlpatterns.append(path("history/", include("audit.urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def history_url(obj):
    opts = obj._meta
    return reverse("audit:object-history", args=[opts.app_label, opts.model_name, obj.pk])


def test_a_threshold_change_by_an_admin_shows_in_the_history_with_their_name(
    client, role_user, tiers
):
    ada = role_user(roles.ADMIN, username="ada", first_name="Ada", last_name="Lovelace")
    client.force_login(ada)
    micro = tiers["Micro"]
    client.post(
        reverse("admin:influencers_tier_change", args=[micro.pk]),
        {"name": "Micro", "min_followers": "5000", "color": micro.color},
    )

    response = client.get(history_url(micro))
    assert response.status_code == 200
    newest = response.context["entries"][0]
    assert newest.user == ada
    assert newest.action == "Changed"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("min followers", "1000", "5000")]
    page = response.content.decode()
    assert "Ada Lovelace" in page
    assert "<del>1000</del>" in page and "<ins>5000</ins>" in page


def test_service_writes_are_recorded_with_the_request_user_and_only_changed_fields(
    client, role_user, tiers
):
    influencer = InfluencerFactory(name="Mia Chen", status="active")
    influencer.status = Influencer.Status.PAUSED
    influencer.notes = "Asked for a break over summer."
    influencer.save()
    viewer = role_user(roles.VIEWER, username="vic")
    client.force_login(viewer)

    entries = client.get(history_url(influencer)).context["entries"]

    assert [e.action for e in entries] == ["Changed", "Created"]
    changed = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert changed == {
        "status": ("Active", "Paused"),
        "notes": ("-", "Asked for a break over summer."),
    }
    assert entries[1].user is None  # written outside a request: shown as "system"


def test_history_needs_the_view_permission_of_that_model(client, tiers):
    influencer = InfluencerFactory()
    client.force_login(UserFactory(username="nobody"))
    assert client.get(history_url(influencer)).status_code == 403
    client.logout()
    response = client.get(history_url(influencer))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_history_of_an_unaudited_model_or_unknown_record_is_a_404(admin_client, tiers):
    assert admin_client.get("/history/influencers/niche/1/").status_code == 404
    assert admin_client.get("/history/influencers/influencer/999999/").status_code == 404
    assert admin_client.get("/history/nosuchapp/thing/1/").status_code == 404


def test_a_deleted_record_keeps_its_history(admin_client, tiers):
    tier = Tier.objects.create(name="Mid", min_followers=50_000)
    url = history_url(tier)
    tier.delete()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert [e.action for e in response.context["entries"]] == ["Deleted", "Created"]
    assert "has been deleted" in response.content.decode()


def test_history_page_queries_do_not_grow_with_the_records(admin_client, tiers, count_queries):
    tier = Tier.objects.create(name="Mid", min_followers=50_000)
    url = history_url(tier)

    def changes(n):
        for index in range(n):
            tier.name = f"Mid {tier.min_followers + index}"
            tier.min_followers += 1
            tier.save()

    changes(4)
    response, five = count_queries(admin_client.get, url)
    assert len(response.context["entries"]) == 5
    changes(46)
    response, fifty = count_queries(admin_client.get, url)
    assert len(response.context["entries"]) == 50
    assert response.context["has_more"]
    assert five == fifty
    older = admin_client.get(url, {"page": "2"})
    assert [e.action for e in older.context["entries"]] == ["Created"]


def test_history_link_shows_only_to_users_who_may_view_the_model(role_user, tiers):
    influencer = InfluencerFactory()
    template = Template("{% load audit_tags %}{% history_link obj %}")
    viewer_html = template.render(Context({"obj": influencer, "user": role_user(roles.VIEWER)}))
    assert f'href="{history_url(influencer)}"' in viewer_html
    assert ">History<" in viewer_html
    stranger_html = template.render(Context({"obj": influencer, "user": UserFactory()}))
    assert stranger_html.strip() == ""


def test_linked_records_are_named_in_the_diff(admin_client, tiers):
    from tests.factories import CampaignFactory

    first, second = CampaignFactory(name="Spring glow"), CampaignFactory(name="Summer run")
    partnership = DeliverableFactory(partnership__campaign=first).partnership
    partnership.campaign = second
    partnership.save()

    response = admin_client.get(history_url(partnership))

    newest = response.context["entries"][0]
    assert ("campaign", "Spring glow", "Summer run") in [
        (c.label, c.old, c.new) for c in newest.changes
    ]
    first_pk = first.pk
    first.delete()
    newest = admin_client.get(history_url(partnership)).context["entries"][0]
    assert ("campaign", f"#{first_pk} (deleted)", "Summer run") in [
        (c.label, c.old, c.new) for c in newest.changes
    ]
