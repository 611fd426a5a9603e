import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_but_login_needs_a_user(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_login_then_dashboard_then_logout_by_post(client):
    UserFactory(username="marta")
    response = client.post(
        reverse("login"), {"username": "marta", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert b"Dashboard" in page.content and b"Log out" in page.content
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_a_message(client):
    UserFactory(username="marta")
    response = client.post(reverse("login"), {"username": "marta", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_admin_link_only_for_staff(client, admin_user):
    client.force_login(UserFactory(username="plain"))
    assert b'href="/admin/"' not in client.get(reverse("home")).content
    client.force_login(admin_user)
    assert b'href="/admin/"' in client.get(reverse("home")).content
