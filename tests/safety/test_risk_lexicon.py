"""The risk lexicon: patterns by clinical category built from concepts, with past-tense and
other-person mentions told apart (ConText, Harkema et al. 2009)."""

import time

import pytest

from securebase.safety.detector.language import CATEGORIES, assess, lexicon, sentences

SMALL = """version: "test"
negation:
  en: ["never", "not"]
  terminators:
    en: ["but", "and"]
  pseudo:
    en: ["jump at the chance"]
  double:
    en: []
historical:
  en: ["years ago"]
  recurrence:
    en: ["again"]
  terminators:
    en: ["but", "and"]
other:
  en: ["my friend"]
  first_person:
    en: ["i", "me", "my", "myself"]
concepts:
  en:
    stockpile: [saving up, hoarding, hid*]
    pills: [pills, sleeping tablets]
categories:
  preparatory:
    en: ["{stockpile} ... {pills}"]
  intent:
    en: ["going to jump"]
  self_harm:
    en: ["cut* myself"]
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "risk_language.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return lexicon(path)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I swallowed a whole packet of paracetamol on Sunday night", "behaviour"),
        ("Last month I tried to hang myself in the garage", "behaviour"),
        ("Me tomé un bote entero de pastillas el domingo", "behaviour"),
        ("Intenté tirarme del balcón la semana pasada", "behaviour"),
        ("I've been stockpiling my sleeping tablets in a shoebox", "preparatory"),
        ("Wrote a goodbye note for my husband this morning", "preparatory"),
        ("Estoy guardando los somníferos desde hace un mes", "preparatory"),
        ("Le escribí una carta de despedida a mi hija", "preparatory"),
        ("I'll kill myself on Friday at the bridge", "plan"),
        ("Tomorrow night I'm going to take all my tablets when the kids are asleep", "plan"),
        ("El sábado me voy a tirar del puente", "plan"),
        ("I'm going to kill myself and nobody can stop me", "intent"),
        ("Voy a suicidarme, ya no hay nada que hacer", "intent"),
        ("I've been googling how to overdose", "method"),
        ("Looked up the lethal dose of my antidepressants", "method"),
        ("Estuve buscando formas de matarme sin dolor", "method"),
        ("I keep having thoughts of killing myself", "ideation"),
        ("Some days I think about ending it", "ideation"),
        ("No le veo sentido a seguir viviendo", "ideation"),
        ("Pienso en suicidarme casi todos los días", "ideation"),
        ("I wish I could fall asleep and never wake up", "wish_dead"),
        ("Everyone would be better off if I was dead", "wish_dead"),
        ("Ojalá no despertara nunca", "wish_dead"),
        ("A veces quisiera estar muerto", "wish_dead"),
        ("I burned myself with a cigarette last night", "self_harm"),
        ("Cut my thighs again after school", "self_harm"),
        ("Anoche me corté los brazos otra vez", "self_harm"),
        ("Me golpeé la cabeza contra la pared a propósito", "self_harm"),
    ],
)
def test_everyday_wordings_flag_in_their_category(text, category):
    found = assess(text)

    assert found.flag
    assert category in found.categories


@pytest.mark.parametrize(
    "text",
    [
        "This job is killing me",
        "I'd kill for a burger",
        "Me muero de hambre",
        "I'm going to jump at the chance",
        "I cut my finger making dinner",
        "I took my pills this morning",
        "We crossed the bridge on foot",
        "I'm going to end it with my boyfriend",
        "Me corté el pelo",
        "Bought a rope for the garden",
        "I'm dead tired",
        "Tengo que comprar pastillas para la tos",
    ],
)
def test_idioms_and_everyday_objects_raise_nothing(text):
    assert not assess(text).flag


@pytest.mark.parametrize(
    "text",
    [
        "Years ago I used to cut myself, I'm fine now",
        "When I was a teenager I tried to kill myself",
        "Hace años me cortaba",
        "De adolescente intenté quitarme la vida",
    ],
)
def test_a_clearly_past_mention_is_reported_but_raises_no_flag(text):
    found = assess(text)

    assert found.negated_only
    assert any(m.historical for m in found.matches)


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut myself and I started again last night",
        "Years ago I cut myself, and now I cut myself again",
        "Hace años me cortaba y volví a hacerlo",
        "I used to self-harm but I relapsed",
        # "And" ends the past cue's clause: the second thought is today's.
        "I used to self-harm and I want to die",
    ],
)
def test_what_happens_again_is_no_longer_past(text):
    assert assess(text).flag


@pytest.mark.parametrize(
    "text",
    [
        "My friend attempted suicide last year",
        "Mi hermano tomó una sobredosis",
        "She told the nurse about her self-harm",
    ],
)
def test_someone_elses_experience_is_reported_but_raises_no_flag(text):
    found = assess(text)

    assert not found.flag
    assert all(m.other or not m.affirmed for m in found.matches)


@pytest.mark.parametrize(
    "text",
    [
        "My friend says I should kill myself",
        "My sister doesn't know that I want to die",
        "She left and I cut myself",
    ],
)
def test_a_first_person_word_keeps_the_mention_the_writers_own(text):
    assert assess(text).flag


def test_categories_are_the_affirmed_ones_most_severe_first_without_repeats():
    found = assess("I hurt myself again. I've been saving up my pills. I hurt myself today.")

    assert found.categories == ("preparatory", "self_harm")
    assert set(found.categories) <= set(CATEGORIES)


def test_a_negated_category_is_not_among_the_categories():
    found = assess("I would never hurt myself, but I want to die")

    assert found.categories == ("wish_dead",)


def test_a_match_names_the_pattern_as_written_never_the_clients_words(small):
    (match,) = assess("I was hoarding all my pills", ("en",), lex=small).matches

    assert (match.phrase, match.category, match.position) == (
        "{stockpile} ... {pills}",
        "preparatory",
        2,
    )


def test_a_star_matches_any_ending_and_a_concept_entry_may_be_several_words(small):
    assert assess("I hid the sleeping tablets", ("en",), lex=small).flag
    assert assess("I'm cutting myself", ("en",), lex=small).flag


def test_a_gap_lets_up_to_four_words_through(small):
    assert assess("saving up one two three four pills", ("en",), lex=small).flag
    assert not assess("saving up one two three four five pills", ("en",), lex=small).matches


def test_a_gap_never_crosses_a_clause_end(small):
    assert not assess("saving up, pills", ("en",), lex=small).matches
    assert not assess("saving up and pills", ("en",), lex=small).matches


def test_a_pattern_that_runs_into_an_everyday_phrase_is_that_phrase(small):
    assert not assess("I'm going to jump at the chance", ("en",), lex=small).matches
    assert assess("I'm going to jump", ("en",), lex=small).flag


def test_past_and_other_person_cues_in_a_small_lexicon(small):
    (past,) = assess("Years ago I was hoarding pills", ("en",), lex=small).matches
    (again,) = assess("Years ago I was hoarding pills again", ("en",), lex=small).matches
    (other,) = assess("My friend was hoarding pills", ("en",), lex=small).matches

    assert (past.historical, past.affirmed) == (True, False)
    assert again.affirmed
    assert (other.other, other.affirmed) == (True, False)


def test_an_unknown_concept_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(SMALL.replace("{stockpile} ... {pills}", "{stockpile} ... {tablets}"))

    with pytest.raises(ValueError, match="no concept"):
        lexicon(path)


def test_every_category_has_patterns_in_both_languages():
    lex = lexicon()

    for language in ("en", "es"):
        assert {p.category for p in lex.patterns[language]} == set(CATEGORIES)


def test_sentences_split_at_stops_semicolons_and_lines():
    text = "I'm tired. Really tired!  Why? I don't know;\n\nmaybe tomorrow\n"

    assert sentences(text) == ["I'm tired", "Really tired", "Why", "I don't know", "maybe tomorrow"]
    assert sentences("") == []


def test_assess_is_fast_on_a_hundred_word_entry():
    text = " ".join(
        ["Went to the shops after work and then came home and felt a bit low so had tea."] * 6
        + ["I keep thinking about ending it all, saving my pills"]
    )
    assess(text)  # the lexicon is read once
    timings = []
    for _ in range(50):  # the fastest of many: a busy machine slows some runs, not all
        started = time.perf_counter()
        assess(text)
        timings.append(time.perf_counter() - started)

    assert len(text.split()) >= 100
    assert min(timings) < 0.005
