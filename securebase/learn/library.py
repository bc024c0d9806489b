"""The psychoeducation library: short pages written for Secure Base, in every language we speak.

Each page is a file ``pages/<slug>.<language>.md`` in a tiny Markdown subset that we render
ourselves: a ``# title`` line, ``##``/``###`` headings, paragraphs, ``- `` bullet lists,
``*emphasis*`` and ``**strong**``. Everything else is text and is escaped; there is no raw HTML.
Placeholders such as ``{partner}`` become the client's own word (``securebase.care.terms``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from securebase.care.terms import TERM_DEFAULTS, term

PAGES_DIR = Path(__file__).resolve().parent / "pages"

# The order clients see them in: from "what is this" to "how does it change".
SLUGS = (
    "attachment-patterns",
    "four-strategies",
    "window-of-tolerance",
    "triggers-and-friction",
    "small-steps",
)

FALLBACK_LANGUAGE = "en"
WORDS_PER_MINUTE = 200  # an unhurried reading pace for plain prose

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_BULLET = re.compile(r"^[-*] +")
_HEADING = re.compile(r"^(#{1,3}) +(.*)$")


class UnknownPage(LookupError):
    """No page has this slug."""


@dataclass(frozen=True)
class Block:
    kind: str  # "h2", "h3", "p" or "ul"
    lines: tuple[str, ...]  # the text of a heading or paragraph (one line), or the list items


@dataclass(frozen=True)
class Source:
    title: str
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return " ".join([self.title, *(line for block in self.blocks for line in block.lines)])


@dataclass(frozen=True)
class Page:
    """A page rendered for one reader: title, lead and body are safe HTML."""

    slug: str
    language: str
    title: SafeString
    lead: SafeString
    body: SafeString
    minutes: int


def languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def language_for(code: str | None) -> str:
    """The page language for a person's language: theirs when we have it, else English."""
    base = (code or "").split("-")[0].lower()
    return base if base in languages() else FALLBACK_LANGUAGE


def path_of(slug: str, language: str) -> Path:
    return PAGES_DIR / f"{slug}.{language}.md"


def parse(text: str) -> Source:
    """Split Markdown-subset text into a title and blocks. Raises ValueError without a title."""
    title = ""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def close() -> None:
        if paragraph:
            blocks.append(Block("p", (" ".join(paragraph),)))
            paragraph.clear()
        if items:
            blocks.append(Block("ul", tuple(items)))
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        heading = _HEADING.match(line)
        if heading:
            close()
            level, words = len(heading[1]), heading[2].strip()
            if level == 1:
                if title or blocks:
                    raise ValueError("Only the first line may be a # title.")
                title = words
            else:
                blocks.append(Block(f"h{level}", (words,)))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if paragraph:
                close()
            items.append(line[bullet.end() :])
        elif items:
            items[-1] = f"{items[-1]} {line}"  # a wrapped list item
        else:
            paragraph.append(line)
    close()
    if not title:
        raise ValueError("A page starts with a # title line.")
    return Source(title, tuple(blocks))


def render_inline(text: str, terms: Mapping[str, str]) -> SafeString:
    """Escape everything, add emphasis, then put in the reader's words (escaped too).

    Words go in last and in one pass, so a word can neither add emphasis nor another placeholder.
    """
    html = str(escape(text))
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    html = _EMPHASIS.sub(r"<em>\1</em>", html)
    html = PLACEHOLDER.sub(
        lambda m: str(escape(terms[m[1]])) if m[1] in terms else m[0],
        html,
    )
    return mark_safe(html)  # noqa: S308 -- every piece above was escaped first


def render_source(source: Source, terms: Mapping[str, str]) -> tuple[SafeString, SafeString]:
    """The lead (first paragraph) and the whole body, as safe HTML."""
    parts, lead = [], SafeString("")
    for block in source.blocks:
        if block.kind == "ul":
            items = "".join(f"<li>{render_inline(item, terms)}</li>" for item in block.lines)
            parts.append(f"<ul>{items}</ul>")
            continue
        inner = render_inline(block.lines[0], terms)
        if block.kind == "p" and not lead:
            lead = inner
        parts.append(f"<{block.kind}>{inner}</{block.kind}>")
    return lead, mark_safe("\n".join(parts))  # noqa: S308 -- built from escaped pieces


def render_text(text: str, terms: Mapping[str, str], *, slug: str = "", language: str = "") -> Page:
    source = parse(text)
    lead, body = render_source(source, terms)
    words = len(source.text.split())
    return Page(
        slug=slug,
        language=language,
        title=render_inline(source.title, terms),
        lead=lead,
        body=body,
        minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )


@cache
def read_source(slug: str, language: str) -> str:
    if slug not in SLUGS:
        raise UnknownPage(slug)
    return path_of(slug, language).read_text(encoding="utf-8")


def render(slug: str, language: str, terms: Mapping[str, str]) -> Page:
    """One page in ``language`` (English when we have no such version) with these words."""
    language = language_for(language)
    return render_text(read_source(slug, language), terms, slug=slug, language=language)


def render_all(language: str, terms: Mapping[str, str]) -> dict[str, Page]:
    return {slug: render(slug, language, terms) for slug in SLUGS}


def terms_for(client, language: str) -> dict[str, str]:
    """The client's own words, with our defaults in the page's language where they chose none."""
    with translation.override(language):
        return {key: term(client, key) for key in TERM_DEFAULTS}
