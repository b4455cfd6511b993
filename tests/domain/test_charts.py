"""Line chart geometry: scales, gaps, sparse labels, the reference line."""

from programme.domain.charts import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, Series, line_chart


def test_values_are_scaled_to_nice_ticks_from_zero():
    chart = line_chart(["a", "b", "c"], [Series("Cost", [100, 250, 430])])

    labels = [tick.label for tick in chart.value_ticks]
    assert labels == ["0", "100", "200", "300", "400", "500"]
    [line] = chart.lines
    assert [point.value for point in line.points] == [100, 250, 430]
    assert line.points[0].x == chart.plot_left and line.points[-1].x == chart.plot_right
    assert chart.value_ticks[0].position == HEIGHT - MARGIN_BOTTOM  # 0 at the bottom
    assert chart.value_ticks[-1].position == MARGIN_TOP  # 500 at the top


def test_a_missing_value_breaks_the_line_into_segments():
    chart = line_chart(["a", "b", "c", "d"], [Series("Avoided", [5, None, 7, 8])])

    [line] = chart.lines
    assert [[point.category for point in run] for run in line.segments] == [["a"], ["c", "d"]]


def test_lines_differ_by_style_and_the_styles_repeat():
    series = [Series(str(number), [number]) for number in range(5)]

    styles = [line.style for line in line_chart(["only"], series).lines]

    assert styles == ["solid", "dashed", "dotted", "dash-dot", "solid"]


def test_many_categories_are_labelled_sparsely_but_the_last_always():
    categories = [f"m{number}" for number in range(25)]

    chart = line_chart(categories, [Series("x", list(range(25)))])

    labels = [tick.label for tick in chart.category_ticks]
    assert len(labels) <= 10
    assert labels[0] == "m0" and labels[-1] == "m24"


def test_a_reference_line_is_within_the_scale_and_labelled():
    chart = line_chart(["a", "b"], [Series("x", [10, 12])], reference=30, reference_label="Target")

    assert chart.reference.label == "Target"
    assert MARGIN_TOP <= chart.reference.position <= HEIGHT - MARGIN_BOTTOM
    assert float(chart.value_ticks[-1].label) >= 30


def test_negative_values_extend_the_scale_below_zero_and_flat_or_empty_series_still_draw():
    below = line_chart(["a", "b"], [Series("change", [-12, 5])])
    assert float(below.value_ticks[0].label) <= -12

    flat = line_chart(["a", "b"], [Series("same", [0, 0])])
    assert len(flat.value_ticks) >= 2

    empty = line_chart(["a"], [Series("nothing", [None])])
    assert empty.lines[0].segments == ()


def test_a_scale_need_not_start_at_zero():
    chart = line_chart(["a", "b"], [Series("x", [70, 74])], from_zero=False)

    assert float(chart.value_ticks[0].label) > 0
