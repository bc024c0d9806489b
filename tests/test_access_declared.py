"""Deny by default: every page of ours refuses anonymous people unless it is on the public list."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"home", "healthz", "readyz", "invitation_accept", "set_language", "support"}


def _our_patterns():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern):
            yield entry


def _example_kwargs(pattern: URLPattern) -> dict:
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        kwargs[name] = {"UUIDConverter": uuid.uuid4(), "IntConverter": 1}.get(kind, "x")
    return kwargs


def test_every_private_page_turns_anonymous_people_away(client, db):
    from django.urls import reverse

    checked = []
    for pattern in _our_patterns():
        if pattern.name in PUBLIC:
            continue
        url = reverse(pattern.name, kwargs=_example_kwargs(pattern))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 404, 405), (pattern.name, method)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), pattern.name
        checked.append(pattern.name)
    assert "client_detail" in checked and "audit_log" in checked


def test_there_are_no_includes_we_did_not_review():
    includes = sorted(
        str(e.pattern) for e in get_resolver().url_patterns if isinstance(e, URLResolver)
    )
    assert includes == ["accounts/", "api/v1/", "i18n/"]
