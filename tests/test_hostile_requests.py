"""Hostile requests that reached the database raw (PostgreSQL refuses a NUL byte in any string
parameter) answer a clear refusal, never a 500; and rights an Admin-role user must not grant.

The hostile-input suite of issue #16, case by case (each fails on the code before its fix):
1. a header repeating `name` 100,000 times: tests/influencers/test_import.py
   ::test_a_header_repeating_one_column_100000_times_is_refused_at_once;
2. XLSX decompression bombs (20 million shared strings, a 400 MB inline string) and the row,
   column, cell and cell-length limits: tests/influencers/test_import_limits.py;
3. formulas after `;` or a tab: tests/crm/test_csv_safety.py;
4. NUL bytes in a search, the partnership form and an admin filter, a login name over 255
   characters: this module;
5. stale saves of deliverables (clicks 777 put back to 118), campaigns, tiers and niches, web and
   admin: tests/partnerships/test_concurrent_edit.py, tests/campaigns/test_concurrent_edit.py,
   tests/influencers/test_concurrent_edit.py, tests/e2e/test_concurrent_edit.py;
6. an Admin-role user granting superuser or staff: this module;
7. a rotated X-Forwarded-For without a trusted proxy: tests/crm/test_security.py;
8. the idle timeout beside the 12-hour cap: tests/crm/test_security.py;
9. an import uploaded on one app server and confirmed on another (PostgreSQL):
   tests/influencers/test_import_two_servers.py.
The same uploads under load: bench/load.py --hostile 3 (docs/performance.md).
"""

import pytest
from django.urls import reverse

from crm import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer_client(client, role_user):
    client.force_login(role_user(roles.MARKETER))
    return client


def test_nul_in_the_influencer_search_is_refused(marketer_client, tiers):
    response = marketer_client.get(
        reverse("partnerships:influencer-search"), {"influencer_q": "Ad\x00a"}
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_nul_in_the_partnership_forms_search_is_refused(marketer_client, tiers):
    response = marketer_client.get(
        reverse("partnerships:partnership-create"), {"influencer_q": "\x00"}
    )
    assert response.status_code == 400
    post = marketer_client.post(
        reverse("partnerships:partnership-create"), {"influencer_q": "x\x00", "find": "1"}
    )
    assert post.status_code == 400


def test_nul_in_an_admin_list_filter_is_refused(admin_client):
    response = admin_client.get(
        reverse("admin:partnerships_partnership_changelist"), {"status": "active\x00"}
    )
    assert response.status_code == 400


def test_an_anonymous_login_with_a_huge_username_is_refused_politely(client):
    response = client.post(reverse("login"), {"username": "u" * 300, "password": "nope"})
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode() or (
        "Please enter a correct" in response.content.decode()
    )


def test_an_admin_role_user_cannot_make_anyone_superuser_or_staff(client, role_user):
    admin_role = role_user(roles.ADMIN, username="ada")
    other = role_user(roles.MARKETER, username="mo")
    client.force_login(admin_role)
    for user in (admin_role, other):
        url = reverse("admin:auth_user_change", args=[user.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="is_superuser"' not in page.content.decode()
        form = page.context["adminform"].form
        data = {
            name: value
            for name, value in form.initial.items()
            if name in form.fields and value is not None and not isinstance(value, list)
        }
        data.update(
            username=user.username,
            groups=[group.pk for group in user.groups.all()],
            is_active="on",
            is_superuser="on",
            is_staff="on",
            last_login_0="",
            last_login_1="",
            date_joined_0="2026-01-01",
            date_joined_1="00:00:00",
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        user.refresh_from_db()
        assert not user.is_superuser
        assert user.is_staff == (user == admin_role)  # unchanged: Admins are staff, others not


def test_a_superuser_still_grants_superuser(admin_client, role_user):
    other = role_user(roles.MARKETER, username="mo")
    page = admin_client.get(reverse("admin:auth_user_change", args=[other.pk]))
    assert 'name="is_superuser"' in page.content.decode()
