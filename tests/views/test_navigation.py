"""The header: it names the programme a page belongs to, links the programme's areas, marks the
current one for screen readers, and offers Admin only to administrators."""

import re

import pytest

from tests.builders import create_locality, create_milestone, create_programme, create_user
from tests.pages import page_of, visible_text

AREAS = [
    "Overview",
    "Milestones",
    "Recruitment",
    "Training",
    "Readiness",
    "Finance",
    "Outcomes",
    "Imports",
]


def programme_bar(page: str) -> str | None:
    found = re.search(r'<div class="app-programme-bar">(.*?)</div>\s*</div>', page, re.S)
    return found.group(1) if found else None


def links(fragment: str) -> dict[str, dict[str, str | None]]:
    """Link text -> its href and aria-current."""
    found = {}
    for attributes, text in re.findall(r"<a ([^>]*)>(.*?)</a>", fragment, re.S):
        href = re.search(r'href="([^"]*)"', attributes).group(1)
        current = re.search(r'aria-current="([^"]*)"', attributes)
        found[visible_text(text)] = {"href": href, "current": current and current.group(1)}
    return found


def main_menu(page: str) -> str:
    return re.search(r'<nav aria-label="Main menu".*?</nav>', page, re.S).group(0)


@pytest.fixture
def somerset(app):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Taunton", slug="taunton")
    return programme, locality


def test_the_overview_names_its_programme_and_links_its_areas(somerset, sign_in):
    client = sign_in(create_user("viewer"))

    page = page_of(client.get("/programmes/somerset"))

    bar = programme_bar(page)
    assert 'aria-label="Somerset Family Safeguarding"' in page
    found = links(bar)
    assert list(found) == ["Somerset Family Safeguarding", *AREAS]
    assert found["Somerset Family Safeguarding"]["href"] == "/programmes/somerset"
    assert {area: found[area]["href"] for area in AREAS} == {
        "Overview": "/programmes/somerset",
        "Milestones": "/programmes/somerset/milestones",
        "Recruitment": "/programmes/somerset/recruitment",
        "Training": "/programmes/somerset/training",
        "Readiness": "/programmes/somerset/readiness",
        "Finance": "/programmes/somerset/finance",
        "Outcomes": "/programmes/somerset/outcomes",
        "Imports": "/programmes/somerset/imports",
    }
    assert {area: found[area]["current"] for area in AREAS} == {
        "Overview": "page",
        "Milestones": None,
        "Recruitment": None,
        "Training": None,
        "Readiness": None,
        "Finance": None,
        "Outcomes": None,
        "Imports": None,
    }


def test_the_overview_no_longer_repeats_the_areas_as_buttons(somerset, sign_in):
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get("/programmes/somerset"))

    content = page[page.index('id="main-content"') :]
    assert "Add a locality" in content
    assert "Workstreams and leads" in content and "Timeline templates" in content
    for area in ("Go-live readiness", ">Recruitment<", ">Training<"):
        assert area not in content


@pytest.mark.parametrize(
    ("path", "area", "current"),
    [
        ("/programmes/somerset/milestones", "Milestones", "page"),
        ("/programmes/somerset/milestones/new", "Milestones", "true"),
        ("/programmes/somerset/recruitment", "Recruitment", "page"),
        ("/programmes/somerset/roles", "Recruitment", "true"),
        ("/programmes/somerset/localities/taunton/recruitment", "Recruitment", "true"),
        ("/programmes/somerset/training", "Training", "page"),
        ("/programmes/somerset/training/sessions", "Training", "true"),
        ("/programmes/somerset/readiness", "Readiness", "page"),
        ("/programmes/somerset/localities/taunton/readiness", "Readiness", "true"),
        ("/programmes/somerset/board-packs", "Readiness", "true"),
        ("/programmes/somerset/imports", "Imports", "page"),
        ("/programmes/somerset/finance", "Finance", "page"),
        ("/programmes/somerset/finance/budget-lines", "Finance", "true"),
        ("/programmes/somerset/localities/taunton", "Overview", "true"),
        ("/programmes/somerset/localities/taunton/timeline", "Overview", "true"),
        ("/programmes/somerset/workstreams/", "Overview", "true"),
    ],
)
def test_the_area_holding_the_page_is_marked_current(somerset, sign_in, path, area, current):
    client = sign_in(create_user("programme_manager"))

    response = client.get(path)

    assert response.status_code == 200, path
    found = links(programme_bar(page_of(response)))
    marked = {label: link["current"] for label, link in found.items() if link["current"]}
    assert marked == {area: current}


def test_a_page_found_by_something_else_than_the_slug_still_names_its_area(somerset, sign_in):
    _, locality = somerset
    milestone = create_milestone(locality, title="Appoint a project lead")
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(f"/milestones/{milestone.id}/edit"))

    found = links(programme_bar(page))
    assert "Somerset Family Safeguarding" in found
    marked = {label: link["current"] for label, link in found.items() if link["current"]}
    assert marked == {"Milestones": "true"}


@pytest.mark.parametrize("path", ["/my-milestones", "/account"])
def test_pages_of_no_programme_have_no_programme_bar(somerset, sign_in, path):
    client = sign_in(create_user("programme_manager"))

    assert programme_bar(page_of(client.get(path))) is None


def test_my_milestones_and_the_account_are_marked_current_in_the_main_menu(somerset, sign_in):
    client = sign_in(create_user("programme_manager"))

    mine = links(main_menu(page_of(client.get("/my-milestones"))))
    account = links(main_menu(page_of(client.get("/account"))))

    assert mine["My milestones"]["current"] == "page"
    assert mine["Programmes"]["current"] is None
    assert account["Your account"]["current"] == "page"
    assert account["My milestones"]["current"] is None


@pytest.mark.parametrize(
    "role", ["programme_manager", "board_member", "hr_lead", "trainer", "viewer"]
)
def test_only_administrators_see_admin(somerset, sign_in, role):
    client = sign_in(create_user(role))

    menu = links(main_menu(page_of(client.get("/programmes/somerset"))))

    assert list(menu) == ["Programmes", "My milestones", "Your account"]


def test_administrators_see_admin_marked_on_its_pages(somerset, sign_in):
    client = sign_in(create_user("admin"))

    on_overview = links(main_menu(page_of(client.get("/programmes/somerset"))))
    on_users = links(main_menu(page_of(client.get("/admin/users"))))
    on_outbox = links(main_menu(page_of(client.get("/admin/outbox"))))

    assert list(on_overview) == ["Programmes", "My milestones", "Admin", "Your account"]
    assert on_overview["Admin"] == {"href": "/admin/users", "current": None}
    assert on_users["Admin"]["current"] == "page"
    assert on_outbox["Admin"]["current"] == "true"


def test_the_skip_link_and_breadcrumbs_stay(somerset, sign_in):
    client = sign_in(create_user("viewer"))

    page = page_of(client.get("/programmes/somerset/localities/taunton"))

    assert page.index('class="app-skip-link"') < page.index('class="app-programme-bar"')
    assert 'href="#main-content"' in page and 'id="main-content"' in page
    assert 'aria-label="Breadcrumb"' in page


def test_the_header_loads_the_programme_at_most_once(somerset, sign_in, count_queries):
    client = sign_in(create_user("viewer"))
    by_slug = re.compile(r"FROM programmes\s+WHERE programmes.slug", re.I)

    for path in (
        "/programmes/somerset",
        "/programmes/somerset/imports",
        "/programmes/somerset/localities/taunton",
    ):
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        assert len([s for s in queries.statements if by_slug.search(s)]) <= 1, path


def test_a_missing_programme_is_not_found_without_a_programme_bar(somerset, sign_in):
    client = sign_in(create_user("viewer"))

    response = client.get("/programmes/nowhere/training")

    assert response.status_code == 404
    assert programme_bar(page_of(response)) is None
