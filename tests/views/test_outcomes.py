"""Outcomes pages: every indicator by locality, one indicator's trends and comparison charts
with their tables, and the forms that add indicators, set baselines and targets and record
values (errors naming the field, 409 for a stale edit, a confirmation before removing)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import g

from programme.extensions import db
from programme.models import Indicator, IndicatorTarget, IndicatorValue, Locality
from programme.services.outcomes import catalogue, targets, values
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import count_rows, reread

KEY = "children-looked-after"


@pytest.fixture
def programme(app):
    return create_programme(slug="somerset")


@pytest.fixture
def bridgwater(programme):
    return create_locality(
        programme, name="Bridgwater", slug="bridgwater", go_live=date(2026, 1, 12)
    )


def _url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/outcomes{suffix}"


def _indicator(programme, key: str = KEY) -> Indicator:
    return catalogue.get_indicator(programme, key)


def _errors(page: str) -> list[str]:
    return [
        visible_text(m) for m in re.findall(r'class="app-error-message"[^>]*>(.*?)</p>', page, re.S)
    ]


def _manager(sign_in):
    return sign_in(create_user("programme_manager"))


def _with_values(programme, locality, pairs, key: str = KEY) -> None:
    for period, value in pairs:
        values.record_value(locality, _indicator(programme, key), period, value, None)


# --- The overview --------------------------------------------------------------------------------


def test_the_overview_shows_each_indicator_with_each_localitys_standing(
    programme, bridgwater, sign_in
):
    create_locality(programme, name="Mendip", slug="mendip", wave=2, go_live=date(2027, 4, 5))
    targets.set_target(
        bridgwater,
        _indicator(programme),
        None,
        baseline_value=60.0,
        baseline_on=date(2025, 12, 31),
        target_change_percent=-30,
        today=TODAY,
    )
    _with_values(programme, bridgwater, [("2026-09", 52.0), ("2026-10", 50.0)])
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_url(programme)))

    section = re.search(rf'id="indicator-{KEY}".*?</section>', page, re.S).group(0)
    row = re.search(r'data-locality="bridgwater".*?</tr>', section, re.S).group(0)
    assert "50 per 10,000 children" in visible_text(row) and "Oct 2026" in row
    assert "42 per 10,000 children (−30%)" in row
    assert re.search(r'data-field="status">On track<', row)
    mendip = re.search(r'data-locality="mendip".*?</tr>', section, re.S).group(0)
    assert re.search(r'data-field="status">No data<', mendip)
    assert "Permanent social workers" in page  # the workforce indicators too
    assert "Add an indicator" not in page  # a viewer reads, does not record


def test_outcomes_is_in_the_programme_header(programme, sign_in):
    page = page_of(sign_in(create_user("viewer")).get(_url(programme)))
    assert re.search(r'<a[^>]*aria-current="page"[^>]*>Outcomes</a>', page)


# --- One indicator -------------------------------------------------------------------------------


def test_the_indicator_page_draws_each_trend_and_the_comparison_with_tables(
    programme, bridgwater, sign_in
):
    later = create_locality(
        programme, name="Mendip", slug="mendip", wave=2, go_live=date(2026, 6, 15)
    )
    targets.set_target(
        bridgwater,
        _indicator(programme),
        None,
        baseline_value=64.0,
        baseline_on=date(2025, 12, 31),
        target_value=45.0,
        today=TODAY,
    )
    _with_values(programme, bridgwater, [("2025-12", 64.0), ("2026-01", 62.0), ("2026-02", 60.0)])
    _with_values(programme, later, [("2026-05", 70.0), ("2026-06", 69.0)])
    client = _manager(sign_in)

    page = page_of(client.get(_url(programme, f"/{KEY}")))

    trend = re.search(r'id="locality-bridgwater".*?</section>', page, re.S).group(0)
    assert '<svg class="app-chart__svg"' in trend
    assert "app-chart__reference" in trend and "Target 45 per 10,000 children" in trend
    assert re.search(r"<desc[^>]*>Children looked after .*in Bridgwater: 3 values", trend)
    assert [p for p in re.findall(r'data-period="([^"]+)"', trend)] == [
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    comparison = re.search(r'id="comparison".*?</section>', page, re.S).group(0)
    assert '<svg class="app-chart__svg"' in comparison
    assert re.findall(r'data-month="([^"]+)"', comparison) == ["−1", "0", "+1"]
    assert "Record a value" in page and "Set baseline and target" in page


def test_an_indicator_with_no_values_says_so_and_draws_no_chart(programme, bridgwater, sign_in):
    page = page_of(sign_in(create_user("viewer")).get(_url(programme, "/turnover")))

    assert '<svg class="app-chart__svg"' not in page
    assert "No values recorded yet." in page


def test_an_unknown_indicator_is_not_found(programme, sign_in):
    assert sign_in(create_user("viewer")).get(_url(programme, "/no-such-thing")).status_code == 404


# --- Adding an indicator -------------------------------------------------------------------------


def _indicator_form(**changes) -> dict:
    return {
        "name": "School attendance",
        "unit": "percent",
        "direction": "higher",
        "frequency": "quarterly",
        "group": "outcomes",
        "description": "",
        **changes,
    }


def test_a_programme_manager_adds_an_indicator_and_lands_on_its_page(programme, sign_in):
    client = _manager(sign_in)

    response = client.post(_url(programme, "/new"), data=_indicator_form())

    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(programme, "/school-attendance"))
    added = _indicator(programme, "school-attendance")
    assert (added.unit, added.lower_is_better, added.frequency) == ("percent", False, "quarterly")
    assert "Added the indicator School attendance." in page_of(
        client.get(response.headers["Location"])
    )


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": ""}, "Enter the indicator's name."),
        ({"name": "Average caseload"}, "There is already an indicator called “Average caseload”."),
        ({"name": "x" * 201}, "Name must be 200 characters or fewer."),
    ],
)
def test_a_bad_indicator_is_refused_naming_the_field(programme, sign_in, changes, words):
    client = _manager(sign_in)
    before = count_rows(Indicator)

    response = client.post(_url(programme, "/new"), data=_indicator_form(**changes))

    assert response.status_code == 400
    assert _errors(page_of(response)) == [f"Error: {words}"]
    assert 'href="#name"' in page_of(response)
    assert count_rows(Indicator) == before


# --- Baseline and target -------------------------------------------------------------------------


def _target_url(programme, locality, key: str = KEY) -> str:
    return _url(programme, f"/{key}/{locality.slug}/target")


def test_a_baseline_and_target_are_set_through_the_form(programme, bridgwater, sign_in):
    client = _manager(sign_in)

    response = client.post(
        _target_url(programme, bridgwater),
        data={
            "baseline_value": "62.5",
            "baseline_on": "2025-12-31",
            "target_value": "",
            "target_change_percent": "−30",
            "version": "",
        },
    )

    assert response.status_code == 302
    saved = targets.target_of(bridgwater, _indicator(programme))
    assert (saved.baseline_value, saved.target_change_percent) == (62.5, -30.0)
    form = page_of(client.get(_target_url(programme, bridgwater)))
    assert 'value="62.5"' in form and 'value="-30"' in form


@pytest.mark.parametrize(
    ("key", "changes", "field", "words"),
    [
        (KEY, {"baseline_value": ""}, "baseline_value", "Enter the baseline value."),
        (KEY, {"baseline_value": "lots"}, "baseline_value", "The baseline value must be a number"),
        ("re-referrals", {"baseline_value": "120"}, "baseline_value", "cannot be more than 100%"),
        (KEY, {"baseline_on": ""}, "baseline_on", "Enter the date the baseline was measured."),
        (KEY, {"baseline_on": "2027-01-01"}, "baseline_on", "cannot be in the future"),
        (KEY, {"target_value": "40", "target_change_percent": "-30"}, "target_value", "not both"),
        ("care-proceedings", {"target_value": "-3"}, "target_value", "cannot be negative"),
    ],
)
def test_a_bad_baseline_or_target_is_refused_naming_the_field(
    programme, bridgwater, sign_in, key, changes, field, words
):
    client = _manager(sign_in)
    data = {
        "baseline_value": "20",
        "baseline_on": "2025-12-31",
        "target_value": "",
        "target_change_percent": "",
        "version": "",
        **changes,
    }

    response = client.post(_target_url(programme, bridgwater, key), data=data)

    page = page_of(response)
    assert response.status_code == 400
    assert any(words in error for error in _errors(page)), _errors(page)
    assert f'href="#{field}"' in page
    assert count_rows(IndicatorTarget) == 0


def test_a_target_changed_since_the_form_was_opened_answers_409(programme, bridgwater, sign_in):
    indicator = _indicator(programme)
    first = targets.set_target(
        bridgwater,
        indicator,
        None,
        baseline_value=60.0,
        baseline_on=date(2025, 12, 31),
        today=TODAY,
    )
    opened = first.version
    targets.set_target(
        bridgwater,
        indicator,
        None,
        baseline_value=61.0,
        baseline_on=date(2025, 12, 31),
        today=TODAY,
    )
    client = _manager(sign_in)

    response = client.post(
        _target_url(programme, bridgwater),
        data={
            "baseline_value": "59",
            "baseline_on": "2025-12-31",
            "target_value": "",
            "target_change_percent": "",
            "version": str(opened),
        },
    )

    assert response.status_code == 409
    assert "Someone else changed Bridgwater's baseline" in page_of(response)
    assert reread(first).baseline_value == 61.0


def test_a_target_set_by_someone_else_after_an_empty_form_was_opened_is_stale(
    programme, bridgwater, sign_in
):
    targets.set_target(
        bridgwater,
        _indicator(programme),
        None,
        baseline_value=61.0,
        baseline_on=date(2025, 12, 31),
        today=TODAY,
    )
    client = _manager(sign_in)

    response = client.post(
        _target_url(programme, bridgwater),
        data={
            "baseline_value": "59",
            "baseline_on": "2025-12-31",
            "target_value": "",
            "target_change_percent": "",
            "version": "",
        },
    )

    assert response.status_code == 409


# --- Values --------------------------------------------------------------------------------------


def _value_url(programme, locality, suffix: str = "/new", key: str = KEY) -> str:
    return _url(programme, f"/{key}/{locality.slug}/values{suffix}")


def test_a_value_is_recorded_changed_and_removed_after_a_confirmation(
    programme, bridgwater, sign_in
):
    client = _manager(sign_in)

    recorded = client.post(
        _value_url(programme, bridgwater), data={"period": "May 2026", "value": "58.5"}
    )
    assert recorded.status_code == 302
    row = db.session.query(IndicatorValue).one()
    assert (row.period, row.value) == (date(2026, 5, 1), 58.5)

    changed = client.post(
        _value_url(programme, bridgwater, "/2026-05"),
        data={"value": "57", "version": str(row.version)},
    )
    assert changed.status_code == 302
    assert reread(row).value == 57.0

    confirm = page_of(client.get(_value_url(programme, bridgwater, "/2026-05/delete")))
    assert "Remove the value for May 2026?" in confirm and "57 per 10,000 children" in confirm
    assert count_rows(IndicatorValue) == 1  # asking is not removing
    removed = client.post(
        _value_url(programme, bridgwater, "/2026-05/delete"),
        data={"version": str(reread(row).version)},
    )
    assert removed.status_code == 302
    assert count_rows(IndicatorValue) == 0
    assert "Removed Children looked after" in page_of(client.get(removed.headers["Location"]))


@pytest.mark.parametrize(
    ("key", "data", "field", "words"),
    [
        (KEY, {"period": "2026-12", "value": "50"}, "period", "is in the future"),
        (KEY, {"period": "soon", "value": "50"}, "period", "is not a month"),
        (KEY, {"period": "", "value": "50"}, "period", "Enter the period"),
        (KEY, {"period": "2026-05", "value": ""}, "value", "Enter the value."),
        (KEY, {"period": "2026-05", "value": "fifty"}, "value", "must be a number"),
        ("re-referrals", {"period": "Q1 2026/27", "value": "104"}, "value", "more than 100%"),
        ("care-proceedings", {"period": "2026-04", "value": "-1"}, "value", "cannot be negative"),
        # read as the import reads a return: a % sign only for a percentage, a stated year
        ("care-proceedings", {"period": "2026-04", "value": "4%"}, "value", "is a percentage"),
        ("care-proceedings", {"period": "Q1 2026", "value": "4"}, "period", "the financial year"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(
    programme, bridgwater, sign_in, key, data, field, words
):
    client = _manager(sign_in)

    response = client.post(_value_url(programme, bridgwater, key=key), data=data)

    page = page_of(response)
    assert response.status_code == 400
    assert any(words in error for error in _errors(page)), _errors(page)
    assert f'href="#{field}"' in page
    assert count_rows(IndicatorValue) == 0


def test_recording_a_period_twice_through_the_form_is_refused(programme, bridgwater, sign_in):
    _with_values(programme, bridgwater, [("2026-05", 58.0)])
    client = _manager(sign_in)

    response = client.post(
        _value_url(programme, bridgwater), data={"period": "2026-05", "value": "1"}
    )

    assert response.status_code == 400
    assert "already has a value for May 2026" in page_of(response)
    assert db.session.query(IndicatorValue).one().value == 58.0


def test_a_value_changed_since_the_form_was_opened_answers_409(programme, bridgwater, sign_in):
    _with_values(programme, bridgwater, [("2026-05", 58.0)])
    row = db.session.query(IndicatorValue).one()
    opened = row.version
    values.change_value(row, 59.0, None, opened)
    client = _manager(sign_in)

    response = client.post(
        _value_url(programme, bridgwater, "/2026-05"), data={"value": "60", "version": str(opened)}
    )

    assert response.status_code == 409
    assert "Someone else changed" in page_of(response)
    assert reread(row).value == 59.0


def test_a_period_with_no_value_is_not_found(programme, bridgwater, sign_in):
    client = _manager(sign_in)
    assert client.get(_value_url(programme, bridgwater, "/2026-05")).status_code == 404
    assert client.get(_value_url(programme, bridgwater, "/soon/delete")).status_code == 404


def test_a_viewer_may_not_record(programme, bridgwater, sign_in):
    client = sign_in(create_user("viewer"))
    response = client.post(
        _value_url(programme, bridgwater), data={"period": "2026-05", "value": "1"}
    )
    assert response.status_code == 403
    assert count_rows(IndicatorValue) == 0


# --- Query counts --------------------------------------------------------------------------------


def _new_request() -> None:
    db.session.remove()
    g.pop("_login_user", None)


def _localities(programme, how_many: int) -> None:
    for number in range(how_many):
        locality = create_locality(
            programme,
            name=f"Town {number}",
            slug=f"town-{number}",
            wave=number % 2 + 1,
            go_live=date(2026, 1 + number, 5),
        )
        targets.set_target(
            locality,
            _indicator(programme),
            None,
            baseline_value=60.0,
            baseline_on=date(2025, 12, 31),
            target_change_percent=-20,
            today=TODAY,
        )
        _with_values(programme, locality, [("2026-05", 55.0 + number), ("2026-06", 54.0)])
        _with_values(programme, locality, [("Q1 2026/27", 12.0)], key="turnover")


@pytest.mark.parametrize("suffix", ["", f"/{KEY}"])
def test_the_pages_run_the_same_queries_for_one_locality_or_six(
    app, sign_in, count_queries, suffix
):
    one, six = create_programme("One", "one"), create_programme("Six", "six")
    _localities(one, 1)
    _localities(six, 6)
    client = sign_in(create_user("admin"))
    counts = []
    for url in [_url(one, suffix), _url(six, suffix)]:
        client.get(url)
        _new_request()
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter)

    assert counts[0].count == counts[1].count, "\n".join(counts[1].statements)
    assert db.session.query(Locality).count() == 7
