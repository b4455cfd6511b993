"""The app on a bench database, the benchmark user, and the programme and locality measured."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from scale_db import SECRET_KEY
from sqlalchemy import select

from programme import create_app
from programme.extensions import db
from programme.models import Locality, Programme
from programme.services import users

BENCH_EMAIL = "bench.manager@scale.example.org"
# A programme manager: not among REQUIRE_2FA_ROLES (admin, board_member), so a password signs in.
BENCH_ROLE = "programme_manager"
BENCH_PASSWORD = "Bench-" + secrets.token_urlsafe(18)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(url: str):
    """The app as production configures it (README), on the database at `url`."""
    return create_app(
        {"APP_ENV": "production", "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url}
    )


@dataclass(frozen=True)
class Measured:
    programme: str  # slug
    locality: str  # slug
    localities: int  # in the measured programme
    programmes: int


def measured() -> Measured:
    """The first programme by slug (`scale-001`) and its first locality by slug."""
    programme = db.session.scalar(select(Programme).order_by(Programme.slug).limit(1))
    if programme is None:
        raise SystemExit("The dataset has no programme.")
    locality = db.session.scalar(
        select(Locality).where(Locality.programme_id == programme.id).order_by(Locality.slug)
    )
    count = len(db.session.scalars(select(Programme.id)).all())
    return Measured(programme.slug, locality.slug, len(programme.localities), count)


def create_bench_user(programme_slug: str) -> None:
    """A programme manager of the measured programme, through the app's own service."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == programme_slug))
    if users.find_user(BENCH_EMAIL) is None:
        users.create_user(
            BENCH_EMAIL, "Bench Manager", BENCH_ROLE, BENCH_PASSWORD, None, programmes=[programme]
        )
    db.session.commit()


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise SystemExit("No CSRF token on the sign-in page.")
    return found.group(1)


def login_form(token: str) -> dict[str, str]:
    return {"csrf_token": token, "email": BENCH_EMAIL, "password": BENCH_PASSWORD}


def page_paths(measured: Measured) -> dict[str, str]:
    """The pages measured, by name."""
    p, loc = measured.programme, measured.locality
    return {
        "overview": f"/programmes/{p}",
        "locality": f"/programmes/{p}/localities/{loc}",
        "locality readiness": f"/programmes/{p}/localities/{loc}/readiness",
        "board": f"/programmes/{p}/readiness",
        "recruitment": f"/programmes/{p}/recruitment",
        "training matrix": f"/programmes/{p}/localities/{loc}/training",
        "audit": f"/programmes/{p}/audit",
        "JSON readiness": f"/api/programmes/{p}/localities/{loc}/readiness",
    }
