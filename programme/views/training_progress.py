"""Module-level progress: the sessions with places for a module someone still needs, and each
locality's still-to-book list."""

from flask import render_template, request

from programme.auth import requires
from programme.clock import today
from programme.domain.numbers import whole_number
from programme.services.training import still_to_book as booking
from programme.views.common import or_404
from programme.views.training import _locality, _programme, bp


@bp.route("/training/courses/<course_key>/modules/<int:number>/book")
@requires("view")
def book_module(programme_slug: str, course_key: str, number: int):
    programme = _programme(programme_slug)
    course, module = or_404(lambda: booking.get_module(programme, course_key, number))
    staff_id = whole_number(request.args.get("person"))
    person = or_404(lambda: booking.get_person(programme, staff_id))
    return render_template(
        "training/book_module.html",
        programme=programme,
        course=course,
        module=module,
        person=person,
        spot=booking.person_spot(person, course, number) if person else None,
        sessions=booking.sessions_with_places(module, today()),
    )


@bp.route("/localities/<slug>/training/still-to-book")
@requires("view")
def still_to_book(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    return render_template(
        "training/still_to_book.html",
        locality=locality,
        programme=locality.programme,
        plan=booking.still_to_book(locality, today()),
        today=today(),
    )
