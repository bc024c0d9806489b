import datetime as dt

from securebase.plan.progress.charts import Series, line_chart

D = dt.date


def test_chart_places_the_first_and_last_day_at_the_plot_edges_and_the_scale_upright():
    chart = line_chart(
        "mood",
        "Mood",
        [Series("Mood", [(D(2026, 11, 1), 0), (D(2026, 11, 11), 10)])],
        y_range=(0, 10),
    )
    first, last = chart.series[0].dots
    assert (first["x"], first["y"]) == (chart.plot["left"], chart.plot["bottom"])
    assert (last["x"], last["y"]) == (chart.plot["right"], chart.plot["top"])
    assert chart.series[0].path.startswith("M")


def test_chart_breaks_the_line_at_a_gap():
    points = [(D(2026, 11, 1), 3), (D(2026, 11, 2), None), (D(2026, 11, 3), 5)]
    chart = line_chart("c", "C", [Series("C", points)], y_range=(0, 10))
    assert chart.series[0].path.count("M") == 2


def test_chart_text_alternative_lists_every_value_per_day():
    chart = line_chart(
        "c",
        "C",
        [
            Series("A", [(D(2026, 11, 1), 3)]),
            Series("B", [(D(2026, 11, 1), 4), (D(2026, 11, 2), 6)]),
        ],
        y_range=(0, 10),
    )
    assert [(r["date"], r["values"], r["cells"]) for r in chart.rows] == [
        (D(2026, 11, 1), [3, 4], ["3", "4"]),
        (D(2026, 11, 2), [None, 6], ["–", "6"]),
    ]


def test_chart_words_every_point_with_the_given_date_and_number_formats():
    chart = line_chart(
        "c",
        "C",
        [Series("Mood", [(D(2026, 11, 1), 6.5)])],
        y_range=(0, 10),
        date_text=lambda d: d.strftime("%d/%m"),
        value_text=lambda v: str(v).replace(".", ","),
    )
    assert chart.series[0].dots[0]["title"] == "Mood, 01/11: 6,5"
    assert chart.rows[0]["date_text"] == "01/11"


def test_chart_marks_reliable_change_by_shape():
    points = [(D(2026, 9, 1), 18), (D(2026, 11, 1), 9)]
    marks = [(D(2026, 11, 1), "improved", "reliably improved")]
    chart = line_chart("phq9", "PHQ-9", [Series("PHQ-9", points, marks)], y_range=(0, 27))
    (mark,) = chart.series[0].marks
    assert mark["kind"] == "improved"
    assert mark["label"] == "reliably improved"


def test_chart_without_values_is_empty():
    assert line_chart("c", "C", [Series("C", [])], y_range=(0, 10)).empty


def test_chart_clamps_values_outside_the_scale():
    chart = line_chart(
        "c", "C", [Series("C", [(D(2026, 1, 1), 14), (D(2026, 1, 2), 5)])], y_range=(0, 10)
    )
    assert chart.series[0].dots[0]["y"] == chart.plot["top"]
