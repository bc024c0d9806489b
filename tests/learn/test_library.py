"""The library's pages: present in every language, using only known words, rendered safely."""

import pytest

from securebase.care.terms import TERM_DEFAULTS
from securebase.learn import library

EVERY_PAGE = [(slug, lang) for slug in library.SLUGS for lang in library.languages()]


@pytest.mark.parametrize(("slug", "language"), EVERY_PAGE)
def test_every_page_exists_in_every_language(slug, language):
    assert library.path_of(slug, language).is_file()


@pytest.mark.parametrize(("slug", "language"), EVERY_PAGE)
def test_every_page_has_a_title_and_is_short(slug, language):
    source = library.parse(library.read_source(slug, language))
    words = len(source.text.split())
    assert source.title
    assert 250 <= words <= 450, words
    assert [block.kind for block in source.blocks].count("h2") >= 3  # headings, for a phone


@pytest.mark.parametrize(("slug", "language"), EVERY_PAGE)
def test_every_placeholder_is_a_word_the_client_can_choose(slug, language):
    used = set(library.PLACEHOLDER.findall(library.read_source(slug, language)))
    assert used - set(TERM_DEFAULTS) == set()


@pytest.mark.parametrize("slug", library.SLUGS)
def test_the_languages_of_a_page_ask_for_the_same_words_and_sections(slug):
    def shape(language):
        text = library.read_source(slug, language)
        kinds = [block.kind for block in library.parse(text).blocks if block.kind != "p"]
        return set(library.PLACEHOLDER.findall(text)), kinds

    assert shape("es") == shape("en")


@pytest.mark.parametrize(("slug", "language"), EVERY_PAGE)
def test_no_page_uses_markup_we_do_not_render(slug, language):
    text = library.read_source(slug, language)
    assert "<" not in text and "](" not in text and "`" not in text


def test_html_in_content_is_shown_as_text():
    page = library.render_text('# A <b>title</b>\n\nHi <script>alert("x")</script> & *soft*', {})

    assert page.title == "A &lt;b&gt;title&lt;/b&gt;"
    assert page.body == (
        "<p>Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <em>soft</em></p>"
    )


def test_headings_lists_and_strong_text_are_rendered():
    text = "# Title\n\nLead line one\nline two.\n\n## Part\n\n- one **bold**\n- two\n  wrapped\n"

    page = library.render_text(text, {})

    assert page.lead == "Lead line one line two."
    assert page.body == (
        "<p>Lead line one line two.</p>\n<h2>Part</h2>\n"
        "<ul><li>one <strong>bold</strong></li><li>two wrapped</li></ul>"
    )


def test_a_term_is_escaped_and_cannot_add_markup_or_placeholders():
    terms = {"partner": "<script>x</script>", "mother": "**{partner}**"}

    page = library.render_text("# T\n\nYour {partner} and your {mother}.", terms)

    assert page.body == "<p>Your &lt;script&gt;x&lt;/script&gt; and your **{partner}**.</p>"


def test_an_unknown_placeholder_stays_as_plain_text():
    page = library.render_text("# T\n\nHello {stranger} <i>.", {"partner": "Sol"})

    assert page.body == "<p>Hello {stranger} &lt;i&gt;.</p>"


def test_a_page_needs_a_title_first():
    with pytest.raises(ValueError):
        library.parse("Just text.\n\n# Late title")


def test_an_unknown_slug_is_refused():
    with pytest.raises(library.UnknownPage):
        library.read_source("../settings", "en")


def test_a_language_we_do_not_have_falls_back_to_english():
    assert library.language_for("fr") == "en"
    assert library.language_for("es-mx") == "es"


def test_default_words_are_used_when_the_client_chose_none(db):
    page = library.render("small-steps", "en", library.terms_for(None, "en"))

    assert "your partner" in page.body
    assert "{" not in page.body
