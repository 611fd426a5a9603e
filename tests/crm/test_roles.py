import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from crm import roles
from influencers.models import Tier

pytestmark = pytest.mark.django_db


def codenames(role):
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_three_roles_exist_after_migrate_with_their_permissions():
    admin, marketer, viewer = (codenames(r) for r in (roles.ADMIN, roles.MARKETER, roles.VIEWER))

    # Admin: everything on the CRM, tiers and niches included, users and groups.
    assert {"influencers.change_tier", "influencers.add_niche", "auth.change_user"} <= admin
    assert {"auth.add_group", "campaigns.delete_campaign", "partnerships.delete_deliverable"} <= (
        admin
    )
    # ... but nobody may rewrite the audit trail.
    assert "audit.view_historicaltier" in admin
    assert not {c for c in admin if c.startswith("audit.") and ".view_" not in c}

    # Marketer: writes influencers, accounts, interactions, campaigns, partnerships, deliverables.
    for model in ("influencer", "socialaccount", "interaction"):
        assert {f"influencers.{a}_{model}" for a in roles.EDIT} <= marketer
    assert {f"campaigns.{a}_campaign" for a in roles.EDIT} <= marketer
    assert {f"partnerships.{a}_partnership" for a in roles.EDIT} <= marketer
    assert {f"partnerships.{a}_deliverable" for a in roles.EDIT} <= marketer
    # ... reads tiers and niches, never changes them, and has nothing on users.
    assert {"influencers.view_tier", "influencers.view_niche"} <= marketer
    assert not {"influencers.change_tier", "influencers.add_tier", "influencers.change_niche"} & (
        marketer
    )
    assert not {c for c in marketer if c.startswith("auth.")}

    # Viewer: reads everything of the CRM, writes nothing.
    assert {"influencers.view_influencer", "campaigns.view_campaign"} <= viewer
    assert {"partnerships.view_partnership", "partnerships.view_deliverable"} <= viewer
    assert all(".view_" in c for c in viewer)


def test_only_admins_may_change_tier_thresholds(role_user):
    admin = role_user(roles.ADMIN)
    marketer = role_user(roles.MARKETER)
    viewer = role_user(roles.VIEWER)
    assert admin.has_perm("influencers.change_tier")
    assert not marketer.has_perm("influencers.change_tier")
    assert not viewer.has_perm("influencers.change_tier")


def test_an_admin_by_role_edits_a_threshold_in_the_admin(client, role_user, tiers):
    client.force_login(role_user(roles.ADMIN, username="ada"))
    micro = tiers["Micro"]
    response = client.post(
        reverse("admin:influencers_tier_change", args=[micro.pk]),
        {"name": "Micro", "min_followers": "5000", "color": micro.color},
    )
    assert response.status_code == 302
    micro.refresh_from_db()
    assert micro.min_followers == 5000


def test_a_staff_marketer_cannot_change_a_threshold_even_by_posting(client, role_user, tiers):
    marketer = role_user(roles.MARKETER)
    marketer.is_staff = True  # even with admin-site access, the permission is missing
    marketer.save()
    client.force_login(marketer)
    micro = tiers["Micro"]
    url = reverse("admin:influencers_tier_change", args=[micro.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert b'name="min_followers"' not in page.content  # read-only view, no input

    response = client.post(url, {"name": "Micro", "min_followers": "5", "color": micro.color})
    assert response.status_code == 403
    assert Tier.objects.get(pk=micro.pk).min_followers == 1_000


def test_viewers_and_marketers_are_kept_out_of_the_admin_site(client, role_user):
    for role in (roles.MARKETER, roles.VIEWER):
        client.force_login(role_user(role))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_migrate_restores_the_roles_when_they_drift():
    marketer = Group.objects.get(name=roles.MARKETER)
    change_tier = Permission.objects.get(codename="change_tier")
    add_influencer = Permission.objects.get(codename="add_influencer")
    marketer.permissions.add(change_tier)
    marketer.permissions.remove(add_influencer)
    Group.objects.get(name=roles.VIEWER).delete()

    call_command("migrate", verbosity=0, stdout=io.StringIO())

    assert "influencers.change_tier" not in codenames(roles.MARKETER)
    assert "influencers.add_influencer" in codenames(roles.MARKETER)
    assert "influencers.view_influencer" in codenames(roles.VIEWER)


def test_a_model_added_later_to_partnerships_joins_the_roles_on_migrate():
    # What a new partnerships model (say PartnershipNote) brings: a content type and its four
    # permissions, created by migrate's post_migrate before the roles are synced.
    content_type = ContentType.objects.create(app_label="partnerships", model="futurenote")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.create(
            content_type=content_type, codename=f"{action}_futurenote", name=f"Can {action}"
        )

    from django.apps import apps

    from crm.apps import sync_roles_after_migrate

    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    sync_roles_after_migrate(sender=last_app, using="default")

    assert {f"partnerships.{a}_futurenote" for a in roles.EDIT} <= codenames(roles.MARKETER)
    assert "partnerships.view_futurenote" in codenames(roles.VIEWER)
    assert "partnerships.change_futurenote" not in codenames(roles.VIEWER)


def test_assigning_a_role_replaces_the_previous_one(role_user):
    user = role_user(roles.ADMIN)
    assert user.is_staff
    roles.user_assign_role(user=user, role=roles.VIEWER)
    user = get_user_model().objects.get(pk=user.pk)
    assert list(user.groups.values_list("name", flat=True)) == [roles.VIEWER]
    assert not user.is_staff
    assert not user.has_perm("influencers.change_influencer")
    with pytest.raises(ValueError):
        roles.user_assign_role(user=user, role="Superhero")


def test_seed_demo_creates_one_login_per_role(tiers):
    out = io.StringIO()
    call_command("seed_demo", "--influencers", "5", stdout=out)
    users = get_user_model().objects.prefetch_related("groups")
    groups = {u.username: {g.name for g in u.groups.all()} for u in users}
    assert groups["demo"] == {roles.ADMIN}
    assert groups["marketer"] == {roles.MARKETER}
    assert groups["viewer"] == {roles.VIEWER}
    marketer = get_user_model().objects.get(username="marketer")
    assert marketer.check_password("demo-pass-2026")
    assert marketer.has_perm("partnerships.add_partnership")
    assert not marketer.has_perm("influencers.change_tier")
    assert "marketer: marketer / demo-pass-2026" in out.getvalue()
