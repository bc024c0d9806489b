"""Crisis resources by country and language, from a data file the practice can edit.

The shipped file is ``data/crisis_resources.yaml``; a practice points the setting
``CRISIS_RESOURCES_FILE`` at its own copy. The file is validated when loaded (pydantic, strict):
a mistake raises :class:`ResourcesFileError` naming the country, the entry and the field.

Which country a client sees: the one they chose on the page (kept in their session and on their
record), else the country on their record (the clinician asks it when creating the client), else
their time zone's country, else the practice's ``CRISIS_DEFAULT_COUNTRY`` (default "GB"); never a
guess from the language. Unknown countries fall back to ``INTL``.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from securebase.core import yamlfile

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "crisis_resources.yaml"
FALLBACK = "INTL"
FALLBACK_LANGUAGE = "en"
SESSION_KEY = "securebase.crisis_country"


class ResourcesFileError(ValueError):
    """The crisis resources file cannot be used; the message names the bad entry."""


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=120)
    kind: Literal["emergency", "crisis_line", "directory"]
    phone: str | None = Field(None, pattern=r"^[0-9+() .\-]{2,30}$")
    text: str | None = Field(None, min_length=1, max_length=60)
    web: HttpUrl | None = None
    languages: list[str] = Field(min_length=1)
    # Hours and coverage only as far as the source states them; left out, nothing is shown.
    hours: dict[str, str] = Field(default_factory=dict)
    coverage: dict[str, str] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    source: HttpUrl
    checked: date
    verified: bool

    @field_validator("web", "source", mode="before")
    @classmethod
    def _url_from_text(cls, value):
        return HttpUrl(value) if isinstance(value, str) else value

    @field_validator("hours", "coverage", "notes")
    @classmethod
    def _english_first(cls, value):
        if value and FALLBACK_LANGUAGE not in value:
            raise ValueError(f"give it in '{FALLBACK_LANGUAGE}' at least")
        return value

    def model_post_init(self, __context) -> None:
        if not (self.phone or self.text or self.web):
            raise ValueError("give at least one of phone, text or web")


class Country(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: dict[str, str] = Field(min_length=1)
    resources: list[Entry] = Field(min_length=1)


class Directory(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    countries: dict[str, Country]

    @field_validator("countries")
    @classmethod
    def _codes(cls, value):
        for code in value:
            if code != FALLBACK and not (len(code) == 2 and code.isalpha() and code.isupper()):
                raise ValueError(f"'{code}' is not a two-letter country code (ISO 3166-1)")
        if FALLBACK not in value:
            raise ValueError(f"an '{FALLBACK}' entry is needed, for any other country")
        return value


def _where(data: dict, loc: tuple) -> str:
    """'countries.GB.resources[2] (Samaritans).phone' from a pydantic error location."""
    parts, node = [], data
    for step in loc:
        if isinstance(step, int):
            parts[-1] = f"{parts[-1]}[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and node.get("name"):
                parts[-1] += f" ({node['name']})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def parse(text: str, *, origin: str = "crisis resources") -> Directory:
    """The directory in ``text`` (YAML), or ResourcesFileError naming what is wrong and where."""
    try:
        data = yamlfile.parse(text)
    except yamlfile.Error as exc:
        raise ResourcesFileError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ResourcesFileError(f"{origin}: expected a mapping with 'countries'")
    try:
        return Directory.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_where(data, tuple(e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors()]
        raise ResourcesFileError(f"{origin}: " + "; ".join(problems)) from exc


def configured_path() -> Path:
    configured = getattr(settings, "CRISIS_RESOURCES_FILE", None)
    return Path(configured) if configured else SHIPPED


@functools.cache
def _load(path: Path, mtime: float) -> Directory:
    return parse(path.read_text(encoding="utf-8"), origin=str(path))


def directory(path: Path | None = None) -> Directory:
    """The crisis resources in use (cached until the file changes)."""
    path = path or configured_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ResourcesFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    return _load(path, mtime)


def with_overrides(
    found: Directory, overrides: list[tuple[str, str, Entry]], names: dict[str, dict[str, str]]
) -> Directory:
    """``found`` with a practice's own entries: each ``(country, replaces, entry)`` takes the
    place of the entry named ``replaces`` in that country, or is added after its entries when
    ``replaces`` is empty. ``names`` gives a country new to the file its name by language."""
    countries = {code: country.model_copy(deep=True) for code, country in found.countries.items()}
    for code, replaces, entry in overrides:
        country = countries.get(code)
        if country is None:
            country = Country(name=names.get(code) or {FALLBACK_LANGUAGE: code}, resources=[entry])
            countries[code] = country
            continue
        kept = [r for r in country.resources if not (replaces and r.name == replaces)]
        if replaces and len(kept) < len(country.resources):
            at = next(i for i, r in enumerate(country.resources) if r.name == replaces)
            kept.insert(at, entry)
        else:
            kept.append(entry)
        country.resources = kept
    return Directory(countries=countries)


# --- what a page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    name: str
    kind: str
    phone: str | None
    text: str | None
    web: str | None
    hours: str
    coverage: str
    notes: str
    speaks_language: bool
    verified: bool
    source: str
    checked: date

    @property
    def tel(self) -> str | None:
        """The number for a tel: link: digits and a leading +, nothing else."""
        if not self.phone:
            return None
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return ("+" if self.phone.strip().startswith("+") else "") + digits

    @property
    def sms(self) -> str | None:
        if not self.text or not any(ch.isdigit() for ch in self.text):
            return None
        return "".join(ch for ch in self.text if ch.isdigit() or ch == "+")


@dataclass(frozen=True)
class CountryResources:
    code: str  # the country shown (FALLBACK when the asked-for country is not in the file)
    asked: str
    name: str
    resources: tuple[Resource, ...]

    @property
    def fell_back(self) -> bool:
        return self.code != self.asked


def worded(texts: dict[str, str], language: str) -> str:
    """``texts`` in ``language``, else in English, else in any; "" when there are none."""
    return _in(texts, (language or FALLBACK_LANGUAGE).split("-")[0].lower())


def _in(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()), "")


def resources_for(
    country: str | None, language: str | None, *, source: Directory | None = None
) -> CountryResources:
    """The resources of ``country`` worded in ``language``: emergency numbers first, then lines
    that answer in the person's language, each group in the file's order. Unknown → INTL."""
    found = source or directory()
    asked = (country or "").upper()
    language = (language or FALLBACK_LANGUAGE).split("-")[0].lower()
    code = asked if asked in found.countries else FALLBACK
    entry = found.countries[code]
    resources = [
        Resource(
            name=r.name,
            kind=r.kind,
            phone=r.phone,
            text=r.text,
            web=str(r.web) if r.web else None,
            hours=_in(r.hours, language),
            coverage=_in(r.coverage, language),
            notes=_in(r.notes, language) if r.notes else "",
            speaks_language=language in r.languages,
            verified=r.verified,
            source=str(r.source),
            checked=r.checked,
        )
        for r in _with_directory(code, entry, found)
    ]
    order = {"emergency": 0, "crisis_line": 1, "directory": 2}
    resources.sort(key=lambda r: (order[r.kind], not r.speaks_language))
    return CountryResources(
        code=code, asked=asked or code, name=_in(entry.name, language), resources=tuple(resources)
    )


def _with_directory(code: str, entry: Country, found: Directory) -> list[Entry]:
    """The country's entries; where none is a crisis line (none could be confirmed from a
    primary source), the international directory's too, so a line can still be found."""
    entries = list(entry.resources)
    if code != FALLBACK and not any(r.kind == "crisis_line" for r in entries):
        entries += [r for r in found.countries[FALLBACK].resources if r.kind == "directory"]
    return entries


def countries(language: str | None, *, source: Directory | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country in the file, by name, the fallback last."""
    found = source or directory()
    language = (language or FALLBACK_LANGUAGE).split("-")[0].lower()
    named = [(code, _in(c.name, language)) for code, c in found.countries.items()]
    return sorted(named, key=lambda pair: (pair[0] == FALLBACK, pair[1]))


def default_country(language: str | None = None, *, source: Directory | None = None) -> str:
    """The practice's default (``CRISIS_DEFAULT_COUNTRY``). Never guessed from the language:
    Spanish is spoken in some twenty countries, English in many more. (``language`` is kept for
    the callers' convenience and not read.)"""
    return str(getattr(settings, "CRISIS_DEFAULT_COUNTRY", "GB") or "GB").upper()


@functools.cache
def _zone_countries() -> dict[str, str]:
    """IANA zone → ISO country, from the system time zone database's ``zone.tab``."""
    for base in zoneinfo.TZPATH:
        table = Path(base) / "zone.tab"
        if table.is_file():
            found = {}
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    columns = line.split("\t")
                    if len(columns) >= 3:
                        found[columns[2]] = columns[0].upper()
            return found
    return {}


def client_country(client, *, source: Directory | None = None) -> str:
    """The client's country for crisis lines: the one they chose, else the country of their time
    zone when the file has it (Europe/Madrid → ES), else :func:`default_country`."""
    found = source or directory()
    chosen = (getattr(client, "country", "") or "").upper()
    if chosen in found.countries:
        return chosen
    guessed = _zone_countries().get(getattr(client, "time_zone", "") or "")
    if guessed in found.countries:
        return guessed
    return default_country(getattr(client, "language", None), source=found)


def country_for(
    request, language: str | None, *, client=None, source: Directory | None = None
) -> str:
    """The country for this visit: ``?country=XX`` (remembered in the session, and on the
    client's record when the client chose it themself), the one chosen before, the client's
    country (:func:`client_country`), or :func:`default_country`."""
    found = source or directory()
    asked = (request.GET.get("country") or "").upper()
    if asked in found.countries:
        request.session[SESSION_KEY] = asked
        user = getattr(request, "user", None)
        if client is not None and user is not None and client.user_id == getattr(user, "pk", None):
            type(client).objects.filter(pk=client.pk).update(country=asked)
            client.country = asked
        return asked
    remembered = request.session.get(SESSION_KEY)
    if remembered in found.countries:
        return remembered
    if client is not None:
        return client_country(client, source=found)
    return default_country(language, source=found)
