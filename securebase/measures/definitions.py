"""Instrument definitions: one YAML file per instrument in ``instruments/``, validated on load.

A definition holds everything needed to score an instrument and to judge change: items, response
scale, reverse keys, subscales with their scoring method and missing-item rule, bands, cut-offs,
reliability for the Reliable Change Index, risk items, codes, citation and licence. It holds no
licensed item wording: clinics import that as a FHIR Questionnaire. No Django imports here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from securebase.core import yamlfile

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(Strict):
    min: int
    max: int
    # Our own short labels for the end points (not licensed option wording).
    min_label: str = ""
    max_label: str = ""

    @model_validator(mode="after")
    def _ordered(self):
        if self.min >= self.max:
            raise ValueError("scale.min must be below scale.max")
        return self

    def reverse(self, value: float) -> float:
        return self.min + self.max - value


class Item(Strict):
    number: int = Field(ge=1)
    reverse: bool = False
    scale: Scale | None = None  # overrides the instrument's scale (CSI-4 item 1)
    code: str | None = None  # LOINC where one exists
    label: str = ""  # our own short description, never the licensed wording


class Band(Strict):
    min: float
    max: float
    label: str
    plain: str = ""  # what the client reads


class ReliableChange(Strict):
    """Either a published RCI in raw points, or SD and reliability for Jacobson–Truax."""

    sd: float | None = Field(default=None, gt=0)
    reliability: float | None = Field(default=None, gt=0, lt=1)
    published_rci: float | None = Field(default=None, gt=0)
    z: float = 1.96
    source: str
    # Why the threshold is not yet verified against its primary source; empty once it is.
    # Clinicians see it wherever the reliable-change marker is shown.
    unverified: str = ""

    @model_validator(mode="after")
    def _one_way(self):
        jt = self.sd is not None and self.reliability is not None
        if jt == (self.published_rci is not None):
            raise ValueError("give either sd and reliability, or published_rci")
        return self


class Cutoff(Strict):
    value: float
    source: str
    unverified: str = ""  # as for ReliableChange


class Missing(Strict):
    """How many items may be missing before a subscale is not scored, and what happens then.

    ``prorate`` (sums): sum × items ÷ answered. Means are always the mean of the answered items.
    """

    max_missing: int = Field(default=0, ge=0)
    prorate: bool = False
    source: str = ""


class Subscale(Strict):
    key: str
    name: str
    about: str = ""  # our own plain words for the client: what a higher score means
    method: Literal["sum", "mean", "weighted_sum"]
    items: list[int] = Field(min_length=1)
    weights: dict[int, float] | None = None  # weighted_sum only (RQ model of self / other)
    better: Literal["lower", "higher"]
    missing: Missing = Missing()
    bands: list[Band] = []
    bands_source: str = ""  # where the band limits come from (required with bands)
    bands_unverified: str = ""  # why the band limits are not yet verified; empty once they are
    # When the instrument's own definition of recovery is not this measure's alone (NHS
    # Talking Therapies: PHQ-9 and GAD-7 together), what a clinician should know.
    recovery_note: str = ""
    cutoff: Cutoff | None = None
    reliable_change: ReliableChange | None = None
    code: str | None = None
    decimals: int = 4

    @model_validator(mode="after")
    def _weights(self):
        if (self.method == "weighted_sum") != (self.weights is not None):
            raise ValueError(f"{self.key}: weights go with method weighted_sum, and only there")
        if self.weights is not None and set(self.weights) != set(self.items):
            raise ValueError(f"{self.key}: weights must name exactly the subscale's items")
        return self


class RiskItem(Strict):
    item: int
    at_least: float
    message: str


class Licence(Strict):
    status: Literal["free", "cc-by-nd", "research-only", "permission-needed", "unclear", "ours"]
    statement: str
    source: str


class Definition(Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    short_name: str
    version: str
    citation: str
    licence: Licence
    validated: bool = True  # False for our own brief check-ins
    timeframe: str = ""
    scale: Scale
    items: list[Item] = Field(min_length=1)
    subscales: list[Subscale] = Field(min_length=1)
    risk_items: list[RiskItem] = []
    targets: list[str] = []  # per-relationship instruments (ECR-RS): scored once per target
    codes: dict[str, str] = {}  # e.g. {"loinc_panel": "44249-1"}
    plane: dict[str, str] | None = None  # {"anxiety": subscale, "avoidance": subscale}
    notes: list[str] = []

    @field_validator("items")
    @classmethod
    def _numbered_in_order(cls, items: list[Item]) -> list[Item]:
        numbers = [i.number for i in items]
        if numbers != list(range(1, len(items) + 1)):
            raise ValueError("items must be numbered 1..n in order")
        return items

    @model_validator(mode="after")
    def _consistent(self):
        numbers = {i.number for i in self.items}
        keys = [s.key for s in self.subscales]
        if len(set(keys)) != len(keys):
            raise ValueError("subscale keys must be unique")
        for sub in self.subscales:
            unknown = set(sub.items) - numbers
            if unknown:
                raise ValueError(f"subscale {sub.key} names unknown items {sorted(unknown)}")
        covered = {n for s in self.subscales for n in s.items}
        if covered != numbers:
            raise ValueError(f"items {sorted(numbers - covered)} belong to no subscale")
        for risk in self.risk_items:
            if risk.item not in numbers:
                raise ValueError(f"risk item {risk.item} is not an item")
        if self.plane and not set(self.plane.values()) <= set(keys):
            raise ValueError("plane names unknown subscales")
        return self

    @property
    def item_count(self) -> int:
        return len(self.items)

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def scale_of(self, number: int) -> Scale:
        return self.item(number).scale or self.scale

    def subscale(self, key: str) -> Subscale:
        return next(s for s in self.subscales if s.key == key)


def load_file(path: Path) -> Definition:
    data = yamlfile.read(path)
    return Definition.model_validate(data)


@cache
def registry() -> dict[str, Definition]:
    """Every shipped definition by key; a broken file fails loudly at first use."""
    found = {}
    for path in sorted(INSTRUMENTS_DIR.glob("*.yaml")):
        definition = load_file(path)
        if definition.key != path.stem:
            raise ValueError(f"{path.name}: key {definition.key!r} must match the file name")
        found[definition.key] = definition
    return found


def get(key: str) -> Definition:
    try:
        return registry()[key]
    except KeyError:
        known = ", ".join(sorted(registry()))
        raise KeyError(f"unknown instrument {key!r} (known: {known})") from None
