"""The negation-aware risk-language rule: examples that should and should not flag."""

import pytest

from securebase.safety.detector.language import assess


@pytest.mark.parametrize(
    "text",
    [
        "I want to die.",
        "Some nights I think about ending my life",
        "Honestly everyone would be better off without me",
        "I don't want to live like this anymore",
        "No one would care if I killed myself",
        "I hurt myself again last night",
        "I'm not okay, I want to kill myself",
        "I said I would never do it, but I want to end it all",
        "I can't go on",
        "Quiero morirme",
        "A veces pienso en quitarme la vida",
        "No quiero vivir así",
        "Ayer me corté las venas",
        "Estarían mejor sin mí",
        "Jamás pensé que diría esto: quiero estar muerta",
        "SUICIDE",
        # Phrases added after review.
        "I cannot go on",
        "I no longer want to live",
        "i dont want to live",
        "I don't want to be alive",
        "I keep thinking about ending it all",
        "I overdosed last year",
        "I took too many pills",
        "I self harmed again",
        "I want to hang myself",
        "I'm going to end it tonight",
        "Me quiero matar",
        "A veces me corto",
        "Ayer me corté",
        "Quisiera estar muerta",
        "Me voy a quitar la vida",
        "Hoy me hice daño",
        "No tengo ganas de vivir",
    ],
)
def test_risk_language_flags(text):
    assert assess(text).flag


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt myself",
        "I'm not suicidal, just tired",
        "I don't want to die, I want things to change",
        "I won't kill myself, I promised my sister",
        "Nunca me haría daño",
        "No quiero morir, quiero que esto cambie",
        "Jamás me quitaría la vida",
        "I would never take too many pills",
        "Nunca me quitaría la vida",
        "I would never hang myself",
        "I'm not going to end it tonight",
        "Nunca me voy a quitar la vida",
        "Jamás me corto",
    ],
)
def test_negated_risk_language_is_weighed_differently(text):
    found = assess(text)
    assert not found.flag
    assert found.negated_only


@pytest.mark.parametrize(
    "text",
    [
        "We had a lovely walk and I felt close to him",
        "The film was about a diet that kills your mood",  # no phrase of the list
        "Me siento sola pero hablé con mi hermana",
        "",
    ],
)
def test_ordinary_text_raises_nothing(text):
    found = assess(text)
    assert not found.flag
    assert found.matches == ()


def test_negation_does_not_reach_across_a_sentence():
    assert assess("I never cry. I want to die").flag


def test_negation_does_not_reach_past_but():
    assert assess("I'm not sure but I want to kill myself").flag


def test_negation_reaches_only_five_words_back():
    # "no" is six words before "killed myself": outside the NegEx window, so affirmed.
    assert assess("no one would care if i killed myself").flag


def test_accents_and_curly_apostrophes_are_read_the_same():
    assert assess("I don’t want to live").flag
    assert not assess("jamas me haria dano").flag
    assert assess("quiero morir").matches[0].language == "es"


def test_a_phrase_that_contains_a_negation_word_is_not_negated_by_it():
    (match,) = assess("I don't want to be here anymore").matches
    assert match.phrase == "don't want to be here anymore"
    assert not match.negated


@pytest.mark.parametrize(
    "text",
    [
        # Pseudo-negations hold a negation word but negate nothing (NegEx).
        "I don't know why I want to die",
        "No one understands that I want to die",
        "No one knows I hurt myself every night",
        "I can't stop thinking about suicide",
        "I can't stop cutting myself",
        "No sé por qué quiero morir",
        "No puedo dejar de cortarme",
        # A clause ends at "and", "that", "because" and "y", "que", "porque".
        "I didn't sleep and I want to die",
        # A double negation affirms.
        "Not a day goes by that I don't want to die",
        "No hay día que no piense en matarme",
        # "Without" and "sin" are not negation cues.
        "Without my kids I would kill myself",
        "Sin mis hijos me mataría",
    ],
)
def test_words_that_look_like_negation_but_deny_nothing_still_flag(text):
    assert assess(text).flag


def test_pseudo_negations_of_either_language_apply_to_mixed_text():
    assert assess("No sé por qué I want to die").flag


def test_a_double_negation_cancels_only_the_first_cue_after_it_in_its_clause():
    found = assess("Not a day goes by that I don't cry and I would never hurt myself")
    assert [(m.phrase, m.negated) for m in found.matches] == [("hurt myself", True)]
    assert assess("Not a day goes by, I would never hurt myself").negated_only


def test_words_typed_without_apostrophes_read_as_contractions():
    assert assess("i cant go on").flag
    assert not assess("i wont kill myself").flag
