"""The shipped crisis resources as data: every entry read from a primary source, recently, and
none shown as unconfirmed. A client in crisis dials what this file says."""

import datetime as dt
from urllib.parse import urlsplit

import pytest

from securebase.safety.crisis_lines import resources

SHIPPED = resources.directory(resources.SHIPPED)
ENTRIES = [
    pytest.param(code, entry, id=f"{code}-{entry.name}")
    for code, country in SHIPPED.countries.items()
    for entry in country.resources
]
# News sites and other third parties that earlier versions of the file cited, or that searches
# for these numbers turn up first; none of them is the operator or a government.
NOT_PRIMARY = (
    "ondacero.es", "zamudionoticias.mx", "eluniversal.com.mx", "lagazzettadf.com",
    "lapostacomodorense.com.ar", "ospia.org.ar", "mcphs.edu", "oireachtas.ie", "newswire.ca",
    "wikipedia.org", "rtve.es", "elnacional.cat", "maldita.es", "progress.guide",
    "befrienders.org", "iasp.info",
)  # fmt: skip
DIRECTORIES = ("findahelpline.com", "iasp.info", "befrienders.org")
# Country-code top-level domains that are not the country's code.
TLD_COUNTRY = {"uk": "GB", "xn--h2brj9c": "IN"}  # भारत: India
EU = {"ES", "IE", "MT"}


def _host(entry) -> str:
    return (urlsplit(str(entry.source)).hostname or "").lower()


@pytest.mark.parametrize(("code", "entry"), ENTRIES)
def test_every_entry_is_confirmed_and_checked_within_the_year_of_the_files_last_check(code, entry):
    newest = max(e.checked for country in SHIPPED.countries.values() for e in country.resources)

    assert entry.verified, "an unconfirmed number is never shipped"
    assert newest - entry.checked <= dt.timedelta(days=365)
    assert entry.phone or entry.text or entry.web


@pytest.mark.parametrize(("code", "entry"), ENTRIES)
def test_every_source_is_the_operators_or_a_governments_page_about_that_country(code, entry):
    host = _host(entry)

    assert urlsplit(str(entry.source)).scheme in ("http", "https")
    assert not any(host == bad or host.endswith("." + bad) for bad in NOT_PRIMARY), host
    is_directory = any(host == d or host.endswith("." + d) for d in DIRECTORIES)
    assert is_directory == (entry.kind == "directory")
    if code == resources.FALLBACK:
        return
    tld = host.rsplit(".", 1)[-1]
    if tld == "eu":
        assert code in EU
    elif tld == "gov":
        assert code == "US", f"{host}: a .gov page is the United States' government's"
    elif len(tld) == 2 or tld.startswith("xn--"):
        assert TLD_COUNTRY.get(tld, tld.upper()) == code, f"{host} is not about {code}"


def test_each_country_has_its_emergency_number_or_crisis_line_and_the_fallback_a_directory():
    for code, country in SHIPPED.countries.items():
        kinds = {entry.kind for entry in country.resources}
        if code == resources.FALLBACK:
            assert kinds == {"directory"}
        else:
            assert kinds & {"emergency", "crisis_line"}, code


def test_a_regional_line_says_where_it_answers():
    bogota = next(e for e in SHIPPED.countries["CO"].resources if e.phone == "106")
    buenos_aires = next(e for e in SHIPPED.countries["AR"].resources if e.phone == "911")

    assert "Bogotá" in bogota.coverage["en"] and "Bogotá" in bogota.coverage["es"]
    assert "Buenos Aires" in buenos_aires.coverage["en"]
