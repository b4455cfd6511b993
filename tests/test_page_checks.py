"""The structural checks applied to every page the tests fetch must themselves catch faults."""

from tests.pages import page_problems

GOOD_PAGE = """<html><head><title>Overview</title></head><body>
<h1>Overview</h1><a href="#main">Skip</a><main id="main">
<form method="post"><input type="hidden" name="csrf_token" value="x">
<label for="name">Name</label><input id="name"></form></main></body></html>"""


def test_a_well_formed_page_has_no_problems():
    assert page_problems(GOOD_PAGE) == []


def test_each_structural_fault_is_named():
    broken = (
        GOOD_PAGE.replace("<title>Overview</title>", "<title></title>")
        .replace('<main id="main">', '<main id="name">')
        .replace("<h1>Overview</h1>", "")
    )
    problems = page_problems(broken)
    assert "the page has no <title>" in problems
    assert "the page has 0 <h1> headings, not one" in problems
    assert "duplicate ids: name" in problems
    assert "link to #main has no target" in problems


def test_a_post_form_without_its_csrf_token_is_named():
    without_token = GOOD_PAGE.replace('<input type="hidden" name="csrf_token" value="x">', "")
    assert page_problems(without_token) == ["a POST form has no csrf_token field"]
