"""Offline once loaded: the service worker is served from the root, keeps only the client's plan
page, and signing out tells the browser to clear what it kept."""

from pathlib import Path

from django.urls import reverse

WORKER = Path(__file__).resolve().parents[2] / "securebase" / "static" / "securebase" / "sw.js"


def test_the_worker_is_served_at_the_root_with_the_headers_that_allow_root_scope(as_maya):
    response = as_maya.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert '"page": "/home/safety-plan/"' in body
    assert "/*CONFIG*/{}" not in body


def test_anonymous_people_get_no_worker(client, db):
    assert client.get("/sw.js").status_code == 404


def test_the_worker_only_ever_stores_the_plan_page_and_static_files():
    source = WORKER.read_text()

    # One cache.put for the page (under its fixed key) and one for static files named by the page.
    assert source.count("cache.put(") == 2
    assert "cache.put(pageKey()" in source
    assert "url.pathname === CONFIG.page" in source


def test_the_page_and_worker_scripts_use_no_inline_code(as_maya):
    html = as_maya.get(reverse("my_safety_plan")).content.decode()

    assert "<script>" not in html
    assert " style=" not in html


def test_signing_out_clears_site_data(as_maya, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "securebase.safety.middleware.ClearSiteDataOnSignOut",
    ]

    response = as_maya.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_other_pages_do_not_clear_site_data(as_maya, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "securebase.safety.middleware.ClearSiteDataOnSignOut",
    ]

    response = as_maya.get(reverse("my_safety_plan"))

    assert "Clear-Site-Data" not in response


def test_the_offline_copy_expires_after_the_configured_days(as_maya, settings):
    settings.SAFETY_PLAN_OFFLINE_DAYS = 2
    source = as_maya.get("/sw.js").content.decode()
    assert '"maxAgeMs": 172800000' in source
    assert "X-Securebase-Saved-At" in WORKER.read_text()
