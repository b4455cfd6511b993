"""The go-live gate for scripts: a locality's readiness, and the board's go-live decision.

The same services and documents as the pages and `readiness show --json`, so they agree.
"""

from flask import jsonify
from flask_login import current_user

from programme import serialisers
from programme.api import bp
from programme.api.auth import api_requires
from programme.api.bodies import Text, json_body, query_date
from programme.api.errors import ApiError
from programme.clock import today
from programme.forms.readiness import NOTE_MAX
from programme.services import localities
from programme.services.readiness import decisions, evaluation

LOCALITY = "/programmes/<programme_slug>/localities/<slug>"
GO_LIVE_BODY = {"note": Text(NOTE_MAX)}


@bp.route(f"{LOCALITY}/readiness")
@api_requires("view")
def locality_readiness(programme_slug: str, slug: str):
    locality = localities.get_locality(programme_slug, slug)
    as_of = query_date("as_of") or today()
    result = evaluation.evaluate_locality(locality, as_of)
    return jsonify(serialisers.locality_readiness_document(locality, result))


@bp.route(f"{LOCALITY}/go-live", methods=["POST"])
@api_requires("decide_go_live")
def go_live(programme_slug: str, slug: str):
    locality = localities.get_locality(programme_slug, slug)
    body = json_body(GO_LIVE_BODY, example='{"note": "Board minutes"}')
    try:
        decision = decisions.go_live(locality, current_user, body["note"], today())
    except decisions.GateNotMet as refusal:
        raise ApiError(
            409, refusal.message, unmet=serialisers.unmet_documents(refusal.readiness)
        ) from None
    return jsonify(serialisers.go_live_document(locality, decision)), 201
