"""The safety plan form and the words of each section (ours, not the copyrighted template's)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from securebase.safety.plan import domain

EXTRA_CONTACT_ROWS = 2
MIN_CONTACT_ROWS = 3


@dataclass(frozen=True)
class SectionText:
    title: Promise
    purpose: Promise  # what the step is for, shown when it is empty
    prompt: Promise  # help next to the field when editing


SECTION_TEXT = {
    "warning_signs": SectionText(
        _("Signs that a hard time is building"),
        _(
            "Noticing early gives you more time to act. These are the thoughts, feelings, "
            "situations and body signals that tell you a crisis may be coming."
        ),
        _("One per line. For example: not sleeping, cancelling plans, “nobody would notice”."),
    ),
    "coping": SectionText(
        _("Things I can do on my own to get through it"),
        _(
            "Small things you can do by yourself to ride out the worst of it, so that you have "
            "something to try before anything else."
        ),
        _("One per line. For example: a cold shower, a walk round the block, paced breathing."),
    ),
    "distraction": SectionText(
        _("People and places that take my mind off things"),
        _(
            "Being around others, without having to talk about how you feel, can loosen the grip "
            "of painful thoughts. Name places you can go and people you can simply be with."
        ),
        _("One per line. For example: the library, my sister’s kitchen, the five-a-side game."),
    ),
    "people": SectionText(
        _("People I can ask for help"),
        _(
            "People you trust enough to tell that you are struggling, and how to reach them, so "
            "you do not have to search for a number when it is hard to think."
        ),
        _("A name and how to reach them: a phone number, or where they live."),
    ),
    "professionals": SectionText(
        _("Professionals and services I can contact"),
        _(
            "Your therapist, your doctor, an urgent mental-health team or a crisis line: who they "
            "are, how to reach them and when. The crisis lines for your country are at the top of "
            "this page."
        ),
        _("A name or service and how to reach them, with the hours if they have any."),
    ),
    "safer_surroundings": SectionText(
        _("Making where I am safer"),
        _(
            "Putting time and distance between you and anything you could use to hurt yourself "
            "makes a crisis safer to get through. Write what you, and the people around you, "
            "will do."
        ),
        _(
            "One per line. For example: my partner keeps the medicines; I leave the car keys at work."
        ),
    ),
    "reasons_for_living": SectionText(
        _("What I live for"),
        _(
            "The people, hopes, plans and small things that matter to you, written down so you "
            "can read them when they are hard to remember."
        ),
        _("One per line, in your own words."),
    ),
}


ROW_LABELS = {
    "people": (_("Person %(number)s"), _("How to reach person %(number)s")),
    "professionals": (
        _("Professional or service %(number)s"),
        _("How to reach professional or service %(number)s"),
    ),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _contact_rows(data, key: str) -> int:
    """How many contact rows a submitted form holds."""
    pattern = re.compile(rf"^{key}-(\d+)-(name|contact)$")
    found = [int(m.group(1)) for name in data if (m := pattern.match(name))]
    return min(max(found, default=-1) + 1, domain.MAX_ITEMS)


class SafetyPlanForm(forms.Form):
    """The whole plan; contact sections have a row (name, how to reach) per person."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, data=None, *, content: dict | None = None, **kwargs):
        content = content or domain.empty_content()
        initial = kwargs.pop("initial", {}) or {}
        super().__init__(data, initial=initial, **kwargs)
        self.sections: list[dict] = []
        for section in domain.SECTIONS:
            text = SECTION_TEXT[section.key]
            if section.kind == domain.TEXT:
                self.fields[section.key] = forms.CharField(
                    label=text.title,
                    help_text=text.prompt,
                    required=False,
                    max_length=domain.MAX_ITEMS * (domain.ITEM_LIMIT + 1),
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial="\n".join(content[section.key]),
                )
                self.sections.append({"key": section.key, "text": text, "kind": section.kind})
                continue
            items = content[section.key]
            rows = (
                _contact_rows(data, section.key)
                if data is not None
                else min(max(len(items) + EXTRA_CONTACT_ROWS, MIN_CONTACT_ROWS), domain.MAX_ITEMS)
            )
            pairs = []
            for i in range(rows):
                item = items[i] if i < len(items) else {"name": "", "contact": ""}
                name_key, contact_key = f"{section.key}-{i}-name", f"{section.key}-{i}-contact"
                self.fields[name_key] = forms.CharField(
                    label=ROW_LABELS[section.key][0] % {"number": i + 1},
                    required=False,
                    max_length=domain.NAME_LIMIT,
                    initial=item["name"],
                )
                self.fields[contact_key] = forms.CharField(
                    label=ROW_LABELS[section.key][1] % {"number": i + 1},
                    required=False,
                    max_length=domain.CONTACT_LIMIT,
                    initial=item["contact"],
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
                pairs.append((name_key, contact_key))
            self.sections.append(
                {"key": section.key, "text": text, "kind": section.kind, "pairs": pairs}
            )

    def section_fields(self):
        """Per section: its words and its bound fields, for the template."""
        for section in self.sections:
            if section["kind"] == domain.TEXT:
                yield {**section, "field": self[section["key"]]}
            else:
                yield {
                    **section,
                    "rows": [(self[n], self[c]) for n, c in section["pairs"]],
                }

    def content(self) -> dict:
        data = self.cleaned_data
        content = {}
        for section in self.sections:
            if section["kind"] == domain.TEXT:
                content[section["key"]] = _lines(data.get(section["key"], ""))
            else:
                content[section["key"]] = [
                    {"name": data.get(n, "").strip(), "contact": data.get(c, "").strip()}
                    for n, c in section["pairs"]
                ]
        return content

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                domain.normalised(self.content())
            except domain.PlanError as exc:
                field = exc.section if exc.section in self.fields else None
                self.add_error(field, str(exc))
        return cleaned


_PHONE = re.compile(r"^\+?[\d\s().-]{6,}$")


def _tel(contact: str) -> str | None:
    """A tel: number when the contact is just a phone number; otherwise None."""
    if not _PHONE.match(contact.strip()):
        return None
    digits = "".join(ch for ch in contact if ch.isdigit())
    return ("+" if contact.strip().startswith("+") else "") + digits


def sections_for_display(content: dict) -> list[dict]:
    """Each section's words and items, contacts with a tel: link where the detail is a number."""
    shown = []
    for section in domain.SECTIONS:
        items = content.get(section.key) or []
        if section.kind == domain.CONTACTS:
            items = [{**item, "tel": _tel(item.get("contact", ""))} for item in items]
        shown.append(
            {
                "key": section.key,
                "kind": section.kind,
                "text": SECTION_TEXT[section.key],
                "items": items,
            }
        )
    return shown
