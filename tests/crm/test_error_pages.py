"""Error pages sit inside the layout; the 400 and 500 pages render with no request, user or
database (Django renders them with an empty context), and /favicon.ico answers without a login."""

from django.test import RequestFactory
from django.views import defaults


def test_500_page_renders_the_layout_without_the_database():
    # No db fixture: pytest-django refuses any query, as a broken database would.
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'class="navbar-brand"' in html and "Influencer CRM" in html
    assert "Something went wrong on our side" in html
    assert "/static/vendor/bootstrap-5.3.9.min.css" in html


def test_400_page_renders_the_layout_without_the_database():
    response = defaults.bad_request(RequestFactory().get("/"), Exception("bad"))
    assert response.status_code == 400
    assert 'class="navbar-brand"' in response.content.decode()


def test_404_and_403_pages_show_the_signed_in_users_nav(admin_client, role_user, client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'id="main-nav"' in response.content.decode()
    assert "Page not found" in response.content.decode()

    client.force_login(role_user("Viewer", username="vera"))
    response = client.get("/influencers/new/")
    assert response.status_code == 403
    assert 'id="main-nav"' in response.content.decode()
    assert "You are not allowed to do this" in response.content.decode()


def test_favicon_answers_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
    assert 'href="/static/favicon.svg" type="image/svg+xml"' in html
