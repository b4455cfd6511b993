"""Every main page of the demo programme reflows to a 320 px wide screen (WCAG 1.4.10): nothing
but a data table scrolls sideways, and a table scrolls inside its own box, not the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from programme.extensions import db
from programme.models import User
from programme.services.demo import load_demo, read_demo
from tests.browser.conftest import page_width, sign_in_through_form
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PAGES = (
    "/programmes/somerset",
    "/programmes/somerset/readiness",
    "/programmes/somerset/localities/taunton",
    "/programmes/somerset/localities/taunton/readiness",
    "/programmes/somerset/localities/taunton/timeline",
    "/programmes/somerset/recruitment",
    "/programmes/somerset/localities/bridgwater/recruitment",
    "/programmes/somerset/organisations",
    "/programmes/somerset/training",
    "/programmes/somerset/training/sessions",
    "/programmes/somerset/localities/taunton/training",
    "/programmes/somerset/imports",
    "/programmes/somerset/readiness/gate",
    "/programmes/somerset/board-packs",
    "/programmes/somerset/board-packs/changes",
    "/programmes/somerset/board-packs/new",
    "/programmes/somerset/supervision",  # the pilot's teams, one flagged
    "/my-milestones",
    "/account",
    "/account/email",
)


def test_the_main_pages_fit_a_320_pixel_screen(app, page: Page):
    load_demo(TODAY)
    manager = db.session.scalar(select(User).where(User.role == "programme_manager"))
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_through_form(page, manager, read_demo()["password"])

    too_wide = {}
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, path
        width = page_width(page)
        if width > 320:
            too_wide[path] = width
    assert too_wide == {}, "pages wider than the screen (scroll width in px)"
