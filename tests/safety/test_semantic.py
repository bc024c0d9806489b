"""The semantic layer of the risk detector, with the real model (nothing mocked, nothing fetched).

The statements here are written for these tests: none is an exemplar or a row of the labelled set.
"""

import re
import statistics
import time

import pytest

from securebase.core import yamlfile
from securebase.safety.detector import semantic


@pytest.fixture(scope="module", autouse=True)
def warm_model():
    semantic.warm()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I keep having thoughts about ending my own life.", "ideation"),
        ("I wish I could fall asleep and simply not wake up again.", "wish_dead"),
        ("I scratched my skin raw with my nails on purpose last night.", "self_harm"),
        ("Últimamente no dejo de pensar en quitarme la vida.", "ideation"),
        ("Quiero dormirme y no despertar más.", "wish_dead"),
        ("Llevo un mes escondiendo pastillas en el armario.", "preparatory"),
    ],
)
def test_a_paraphrase_flags_its_category(text, category):
    matches = semantic.assess(text)
    assert [m.category for m in matches] == [category]
    assert matches[0].score >= semantic.THRESHOLD
    assert matches[0].exemplar.startswith(f"{category}-")


@pytest.mark.parametrize(
    "text",
    [
        "My boss is going to kill me when he sees this report.",
        "I'm starving, I could eat a horse.",
        "My uncle passed away in March and the funeral was lovely.",
        "I'd never hurt myself, my kids need me.",
        "Me muero de risa con esta serie.",
        "Tengo que comprar ibuprofeno en la farmacia.",
        "Cruzamos el puente en bici el domingo.",
    ],
)
def test_a_hard_negative_does_not_flag(text):
    assert semantic.assess(text) == ()


def test_an_entry_reports_one_match_per_category_best_first():
    text = (
        "Work was long and the bus was late again. I keep having thoughts about ending my own "
        "life. Lately I have these thoughts of ending my life every night. Quiero dormirme y no "
        "despertar más."
    )
    matches = semantic.assess(text)
    assert [m.category for m in matches] == ["ideation", "wish_dead"]
    assert matches[0].score >= matches[1].score
    assert all(m.score == round(m.score, 2) for m in matches)


def test_nothing_to_read_is_empty():
    assert semantic.assess("") == ()
    assert semantic.assess("  \n. ") == ()


def test_the_model_and_exemplars_load_once_per_process():
    first = semantic._load()
    semantic.warm()
    assert semantic._load() is first
    assert semantic._load().model is first.model


def test_a_match_never_holds_the_clients_words():
    text = "I keep having thoughts about ending my own life."
    (match,) = semantic.assess(text)
    words = {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}
    assert words.isdisjoint(re.findall(r"\w+", repr(match).lower()))
    assert re.fullmatch(r"[a-z_]+-(en|es)-\d+", match.exemplar)


def test_sentences_split_at_punctuation_and_short_pieces_join_the_next():
    assert semantic._sentences("So tired. I went for a walk; it helped!\nOk") == [
        "So tired I went for a walk",
        "it helped Ok",
    ]
    assert semantic._sentences("Fine.") == ["Fine"]
    assert semantic._sentences("") == []


def test_the_exemplars_file_has_every_category_in_both_languages():
    data = yamlfile.read(semantic.DATA)
    assert sorted(data["risk"]) == sorted(semantic.CATEGORIES)
    for category, by_language in data["risk"].items():
        for language in semantic.LANGUAGES:
            assert len(by_language[language]) >= 12, (category, language)
    for language in semantic.LANGUAGES:
        assert len(data["not_risk"][language]) >= 60, language
    assert 0 < semantic.MARGIN < semantic.THRESHOLD < 1


def test_detection_takes_at_most_20_ms_p95_per_entry():
    openings = ("Today", "This morning", "After work", "Tonight", "At lunch")
    events = (
        "I argued with my partner about money",
        "I felt far from them and then closer after we talked",
        "I tried the pause exercise before answering",
        "my sister called and we laughed for an hour",
        "I kept thinking that nobody would notice if I was gone",
        "the meeting ran late and I missed the bus",
        "me sentí sola pero escribí a una amiga",
        "quise desaparecer un rato y luego salí a caminar",
        "I noticed my chest tighten when the message came",
        "I practised asking for what I need",
    )
    entries = [f"{o}, {e}. {o} again I wrote it down." for e in events for o in openings]
    times = []
    for entry in entries:
        started = time.perf_counter()
        semantic.assess(entry)
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    assert len(entries) == 50
    assert p95 <= 20, f"p95 {p95:.1f} ms"
