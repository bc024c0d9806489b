"""Crisis resources: the shipped file loads, mistakes are named, unknown countries fall back."""

import pytest
from django.test import RequestFactory

from securebase.care.models import Client
from securebase.safety.crisis_lines import resources
from securebase.safety.flags import domain as flags
from tests.conftest import sign_in

GOOD = """
countries:
  GB:
    name: {en: United Kingdom}
    resources:
      - name: Line
        kind: crisis_line
        phone: "116 123"
        languages: [en]
        hours: {en: "24 hours", es: "24 horas"}
        source: https://example.org/line
        checked: 2026-11-29
        verified: true
      - name: Emergency
        kind: emergency
        phone: "999"
        languages: [en]
        hours: {en: "Always"}
        source: https://example.org/999
        checked: 2026-11-29
        verified: true
  INTL:
    name: {en: Elsewhere}
    resources:
      - name: Directory
        kind: directory
        web: https://example.org
        languages: [en]
        hours: {en: "Online"}
        source: https://example.org
        checked: 2026-11-29
        verified: true
"""


def test_the_shipped_file_covers_the_countries_we_promise():
    found = resources.directory(resources.SHIPPED)

    # Where each entry comes from is tests/safety/test_crisis_data.py's.
    assert {"GB", "IE", "US", "CA", "AU", "NZ", "ES", "MX", "AR", "CO", "INTL"} <= set(
        found.countries
    )


def test_a_country_without_a_confirmed_crisis_line_also_shows_the_directory():
    shown = resources.resources_for("ES", "es", source=resources.directory(resources.SHIPPED))

    assert [r.kind for r in shown.resources] == ["emergency", "directory"]
    assert shown.resources[1].web == "https://findahelpline.com/"


def test_emergency_numbers_come_first_then_lines_in_the_persons_language():
    shown = resources.resources_for("GB", "es", source=resources.parse(GOOD))

    assert [r.name for r in shown.resources] == ["Emergency", "Line"]
    assert (shown.resources[1].hours, shown.resources[0].hours) == ("24 horas", "Always")
    assert (shown.resources[1].tel, shown.resources[1].speaks_language) == ("116123", False)


def test_an_unknown_country_falls_back_to_the_international_entry():
    shown = resources.resources_for("FR", "en", source=resources.parse(GOOD))

    assert (shown.code, shown.asked, shown.fell_back) == ("INTL", "FR", True)
    assert [r.name for r in shown.resources] == ["Directory"]


def test_a_mistake_in_the_file_names_the_country_entry_and_field():
    broken = GOOD.replace('phone: "116 123"', "phone: 116123")

    with pytest.raises(resources.ResourcesFileError) as error:
        resources.parse(broken, origin="clinic.yaml")

    assert str(error.value).startswith("clinic.yaml: countries.GB.resources[0] (Line).phone: ")


def test_an_entry_without_a_source_is_refused():
    broken = GOOD.replace("        source: https://example.org/line\n", "")

    with pytest.raises(resources.ResourcesFileError) as error:
        resources.parse(broken)

    assert "countries.GB.resources[0] (Line).source: Field required" in str(error.value)


def test_a_file_without_the_international_fallback_is_refused():
    broken = GOOD.split("  INTL:")[0]

    with pytest.raises(resources.ResourcesFileError) as error:
        resources.parse(broken)

    assert "INTL" in str(error.value)


def test_the_practice_can_point_to_its_own_file(tmp_path, settings):
    own = tmp_path / "resources.yaml"
    own.write_text(GOOD.replace("name: Line", "name: Our line"), encoding="utf-8")
    settings.CRISIS_RESOURCES_FILE = str(own)

    shown = resources.resources_for("GB", "en")

    assert [r.name for r in shown.resources] == ["Emergency", "Our line"]


def test_the_country_follows_the_practice_default_then_the_persons_choice(settings, db):
    settings.CRISIS_DEFAULT_COUNTRY = "ES"
    request = RequestFactory().get("/home/safety-plan/")
    request.session = {}

    assert resources.country_for(request, "en") == "ES"
    assert resources.default_country("es-MX") == "ES"  # never guessed from the language

    chose = RequestFactory().get("/home/safety-plan/", {"country": "ie"})
    chose.session = request.session
    assert resources.country_for(chose, "en") == "IE"
    assert resources.country_for(request, "en") == "IE"  # remembered


def test_a_client_in_madrid_sees_spanish_crisis_lines_before_choosing(maya):
    maya.time_zone = "Europe/Madrid"
    maya.country = ""
    assert resources.client_country(maya) == "ES"
    maya.country = "IE"
    assert resources.client_country(maya) == "IE"  # the client's own choice wins


def test_the_api_crisis_lines_follow_the_clients_country(maya):
    maya.time_zone = "America/Mexico_City"
    maya.country = ""
    assert flags.crisis_payload(maya)["crisis_resources"]["country"] == "MX"


def test_choosing_a_country_on_the_page_is_kept_on_the_clients_record(maya):
    sign_in(maya.user).get("/home/safety-plan/?country=IE")
    assert Client.objects.get(pk=maya.pk).country == "IE"
