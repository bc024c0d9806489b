"""Deny by default: every page of ours refuses anonymous people unless it is on the public list."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"home", "healthz", "readyz", "invitation_accept", "set_language", "support"}
# Included URL modules written by others (allauth, Django's i18n) or with their own auth (API).
FOREIGN = {"allauth.urls", "django.conf.urls.i18n"}


def _our_patterns(patterns=None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLPattern):
            yield entry
        elif isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            if module in FOREIGN or str(entry.pattern) == "api/v1/":
                continue
            yield from _our_patterns(entry.url_patterns)


def _example_kwargs(pattern: URLPattern) -> dict:
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        kwargs[name] = {"UUIDConverter": uuid.uuid4(), "IntConverter": 1}.get(kind, "x")
    return kwargs


def test_every_private_page_turns_anonymous_people_away(client, db):
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
    assert {"client_detail", "audit_log", "moment_new", "client_moments"} <= set(checked)


def test_there_are_no_includes_we_did_not_review():
    """Our own URL modules are swept above; anything else included must be reviewed here."""
    includes = {
        getattr(e.urlconf_module, "__name__", str(e.pattern))
        for e in get_resolver().url_patterns
        if isinstance(e, URLResolver)
    }
    foreign = {name for name in includes if not name.startswith("securebase.")}
    assert foreign <= FOREIGN | {"api/v1/"}, foreign
