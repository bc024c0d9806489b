"""SVG drawings keep dot-decimal coordinates when the page is in Spanish (a comma breaks them)."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from securebase.measures import domain
from securebase.plan.progress.chart_texts import line_chart
from securebase.plan.progress.charts import Series
from securebase.practise.models import Ladder
from tests.conftest import sign_in
from tests.factories import ladder_form

pytestmark = pytest.mark.django_db

COMMA_NUMBER = re.compile(r'\s(?:x|y|cx|cy|x1|x2|y1|y2|r|height|width)="[^"]*\d,\d')


def _spanish(user):
    user.language = "es"
    user.save(update_fields=["language"])
    return sign_in(user)


def test_a_chart_in_spanish_keeps_its_coordinates_and_words_its_numbers():
    series = [Series("Ánimo", [(dt.date(2026, 11, 1), 2.5), (dt.date(2026, 11, 9), 6.5)])]
    with translation.override("es"):
        html = render_to_string(
            "plan/_chart.html", {"chart": line_chart("c", "C", series, y_range=(0, 10))}
        )
    assert not COMMA_NUMBER.search(html)
    assert "6,5" in html  # the text alternative speaks Spanish


def test_the_attachment_plane_in_spanish_keeps_its_coordinates(alex, maya):
    domain.record_administration(
        by=alex, client=maya, key="ecr-rs", answers={"partner": {str(n): 3 for n in range(1, 10)}}
    )
    html = _spanish(alex).get(f"/clients/{maya.pk}/measures/").text
    assert "<svg" in html
    assert not COMMA_NUMBER.search(html)


def test_the_ladder_drawing_in_spanish_keeps_its_coordinates(alex, as_alex, maya):
    as_alex.post(f"/clients/{maya.pk}/ladders/new/", ladder_form(step_2_predicted="85"))
    ladder = Ladder.objects.get(client=maya)
    html = _spanish(maya.user).get(f"/home/ladders/{ladder.pk}/").text
    assert "<svg" in html
    assert not COMMA_NUMBER.search(html)
