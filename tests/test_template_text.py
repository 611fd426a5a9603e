"""No page shows template source to the user: Django's `{# #}` comments end at the line's end, so a
comment spread over two lines renders as text (it did on every board card and the tier table)."""

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", {}),
    ("influencers:influencer-list", {}),
    ("partnerships:partnership-list", {}),
    ("partnerships:partnership-board", {}),
    ("partnerships:renewal-list", {}),
    ("partnerships:deliverable-list", {}),
    ("reports:tier-comparison", {}),
    ("reports:tier-compare", {}),
]


@pytest.mark.parametrize(("name", "query"), PAGES, ids=[name for name, _ in PAGES])
def test_no_page_shows_template_comments_or_tags(admin_client, tiers, name, query):
    partnership = PartnershipFactory()
    pages = [admin_client.get(reverse(name), query)]
    if name == "partnerships:partnership-board":
        pages.append(admin_client.get(reverse(name), HTTP_HX_REQUEST="true"))
    if name == "partnerships:partnership-list":
        pages.append(admin_client.get(partnership.get_absolute_url()))
        pages.append(
            admin_client.get(
                reverse("influencers:influencer-detail", args=[partnership.influencer_id])
            )
        )
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        for marker in ("{#", "#}", "{%", "%}"):
            assert marker not in html, f"{response.request['PATH_INFO']} shows {marker!r}"
