"""Teams serving several localities, the psychologist role and the Somerset templates: a shared
team's posts and staff count in each locality it serves, on the gate and on the pages alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Post, Role
from programme.services import localities, teams_served
from programme.services.errors import ServiceError
from programme.services.readiness import evaluation, locality_page
from programme.services.recruitment import establishments, roles
from programme.services.recruitment.overview import locality_recruitment, programme_recruitment
from programme.services.training import catalogue, completion
from tests.builders import (
    attend,
    create_locality,
    create_post,
    create_programme,
    create_staff,
    create_team,
)
from tests.conftest import TODAY


def role(programme, key: str) -> Role:
    return db.session.scalar(select(Role).where(Role.programme_id == programme.id, Role.key == key))


def recruited(locality):
    found = evaluation.evaluate_locality(locality, TODAY)
    return next(r for r in found.results if r.key == "adult_specialists_recruited")


def three_localities():
    """Somerset with Taunton, Bridgwater and Mendip, each with one recruited DA worker of its
    own and one vacancy."""
    programme = create_programme(slug="somerset")
    places = [
        create_locality(programme, name=name, slug=name.lower())
        for name in ("Taunton", "Bridgwater", "Mendip")
    ]
    for locality in places:
        team = create_team(locality, name=f"{locality.name} FS Team")
        create_post(team, status="in_post")
        create_post(team, status="advertised")
    return programme, places


# ------------------------------------------------------------------ roles and templates


def test_a_new_programme_s_psychologist_is_not_an_adult_specialist(app):
    programme = create_programme(slug="somerset")

    psychologist = role(programme, "psychologist")

    assert not psychologist.adult_specialist
    assert psychologist.adult_specialist_changed_on is None
    adult = {r.key for r in programme.roles if r.adult_specialist}
    assert adult == {"da_victims", "da_perpetrators", "substance_misuse", "adult_mental_health"}


def test_psychologists_do_not_count_toward_recruitment(app):
    programme, (taunton, *_rest) = three_localities()
    team = taunton.teams[0]
    create_post(team, "psychologist", status="vacant")
    create_post(team, "psychologist", status="vacant")

    found = recruited(taunton)

    assert (found.share.numerator, found.share.denominator) == (1, 2)
    assert locality_recruitment(taunton, as_of=TODAY).share == found.share


def test_the_somerset_template_creates_the_8_adult_practitioners_of_an_area_team(app):
    programme = create_programme(slug="somerset")
    team = create_team(create_locality(programme), name="Area", kind="area")

    posts = establishments.apply_establishment(team, "somerset", None, today=TODAY)

    keys = sorted(post.role.key for post in posts)
    assert keys == sorted(
        ["da_victims", "da_perpetrators", "substance_misuse", "adult_mental_health"] * 2
    )
    assert all(post.role.adult_specialist and post.fte == 1.0 for post in posts)


def test_the_county_template_creates_2_full_time_psychologists(app):
    programme = create_programme(slug="somerset")
    template = establishments.get_establishment(programme, "somerset-county")
    team = create_team(create_locality(programme), name="County", kind="county")

    posts = establishments.apply_establishment(team, "somerset-county", None, today=TODAY)

    assert template.team_kind == "county"
    assert [(post.role.key, post.fte) for post in posts] == [("psychologist", 1.0)] * 2


def test_changing_a_role_s_adult_specialist_flag_is_dated_audited_and_noted(app):
    programme = create_programme(slug="somerset")
    psychologist = role(programme, "psychologist")

    roles.update_role(
        psychologist,
        None,
        name="Psychologist",
        adult_specialist=True,
        agency=psychologist.agency,
        names=list(psychologist.names),
        today=TODAY,
    )

    assert psychologist.adult_specialist_changed_on == TODAY
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "role", AuditEvent.entity_id == psychologist.id
        )
    ).one()
    assert (event.before, event.after) == ({"adult_specialist": False}, {"adult_specialist": True})
    assert roles.flag_notes(programme) == ["Psychologist: an adult specialist since 30 Nov 2026."]
    page = locality_page.locality_readiness(create_locality(programme), TODAY, TODAY)
    assert page.counting_notes("adult_specialists_recruited") == roles.flag_notes(programme)


def test_renaming_a_role_leaves_its_flag_s_date_alone(app):
    programme = create_programme(slug="somerset")
    psychologist = role(programme, "psychologist")

    roles.update_role(
        psychologist,
        None,
        name="Clinical psychologist",
        adult_specialist=False,
        agency=psychologist.agency,
        names=[],
    )

    assert psychologist.adult_specialist_changed_on is None


# ------------------------------------------------------------------ teams serving localities


def test_an_area_team_s_posts_count_in_each_locality_it_serves_on_the_gate_and_pages(app):
    programme, (taunton, bridgwater, mendip) = three_localities()
    area = localities.create_team(
        taunton, "Somerset Adult Practitioners", None, "area", serves=["bridgwater"]
    )
    for _ in range(2):
        create_post(area, "da_victims", status="in_post")

    gate = {place.name: recruited(place).share for place in (taunton, bridgwater, mendip)}
    pages = {
        place.name: locality_recruitment(place, as_of=TODAY).share
        for place in (taunton, bridgwater, mendip)
    }
    board = {
        place.name: share for place, share in programme_recruitment(programme, TODAY).localities
    }

    assert [(s.numerator, s.denominator) for s in gate.values()] == [(3, 4), (3, 4), (1, 2)]
    assert pages == gate == board
    # The programme counts each post once.
    total = programme_recruitment(programme, TODAY).share
    assert (total.numerator, total.denominator) == (5, 8)


def test_a_team_serving_all_counts_in_every_locality_even_one_added_later(app):
    programme, (taunton, bridgwater, _mendip) = three_localities()
    county = localities.create_team(taunton, "County DA team", None, "county", serves_all=True)
    create_post(county, "da_perpetrators", status="in_post")
    later = create_locality(programme, name="West Somerset", slug="west-somerset")

    found = recruited(later)

    assert (found.share.numerator, found.share.denominator) == (1, 1)
    assert (recruited(bridgwater).share.numerator, recruited(bridgwater).share.denominator) == (
        2,
        3,
    )


def test_the_pages_say_how_a_shared_team_is_counted(app):
    programme, (taunton, bridgwater, _mendip) = three_localities()
    county = localities.create_team(
        taunton, "Somerset Psychology Service", None, "county", serves_all=True
    )
    create_post(county, "psychologist", status="in_post")
    create_post(county, "psychologist", status="vacant")

    result = locality_recruitment(bridgwater, as_of=TODAY)
    page = locality_page.locality_readiness(bridgwater, TODAY, TODAY)

    note = (
        "Includes 2 posts of Somerset Psychology Service (Taunton), which serves all "
        "localities: none of them an adult specialist post, so none counts toward recruitment."
    )
    assert [shared.posts_note for shared in result.shared] == [note]
    assert page.counting_notes("adult_specialists_recruited") == [note]
    assert page.counting_notes("trained") == [
        "Includes the staff of Somerset Psychology Service (Taunton), which serves all "
        "localities, in the roles the course is for."
    ]
    assert [entry.team.name for entry in result.teams] == [
        "Bridgwater FS Team",
        "Somerset Psychology Service",
    ]
    assert locality_page.locality_readiness(taunton, TODAY, TODAY).shared_teams == []


def test_a_shared_team_s_staff_count_toward_each_served_locality_s_training(app):
    programme, (taunton, bridgwater, mendip) = three_localities()
    area = localities.create_team(taunton, "Area team", None, "area", serves=["mendip"])
    worker = create_staff(area, "da_victims", name="Dee")
    mi = catalogue.get_course(programme, "mi")
    for module in (1, 2, 3, 4):
        attend(mi, module, [worker])

    # The gate counts MI beneath its "trained in MI and the workshops" criterion.
    gate = {
        place.name: next(
            part.share
            for r in evaluation.evaluate_locality(place, TODAY).results
            if r.key == "trained_mi_and_fs"
            for part in r.parts
            if part.name == mi.name
        )
        for place in (taunton, bridgwater, mendip)
    }
    summary = completion.programme_training(programme, TODAY, TODAY)
    pages = {group.name: group.shares[0] for group in summary.groups}

    assert [(s.numerator, s.denominator) for s in gate.values()] == [(1, 1), (0, 0), (1, 1)]
    assert pages == gate
    assert (summary.total[0].numerator, summary.total[0].denominator) == (1, 1)  # once
    mendip_page = completion.locality_training(mendip, TODAY)
    assert [group.name for group in mendip_page.groups] == ["Mendip FS Team", "Area team"]
    assert mendip_page.total[0] == gate["Mendip"]


def test_serving_a_locality_of_another_programme_is_refused_naming_it(app):
    programme, (taunton, *_rest) = three_localities()
    other = create_programme("Dorset Safeguarding Families Together", "dorset")
    create_locality(other, name="Chesil", slug="chesil")

    with pytest.raises(ServiceError) as refused:
        localities.create_team(taunton, "Area team", None, "area", serves=["chesil"])

    assert refused.value.message == (
        "A team can serve only localities of Somerset Family Safeguarding; 'chesil' is not one "
        "of them (it is a locality of Dorset Safeguarding Families Together)."
    )
    assert not [team for team in taunton.teams if team.name == "Area team"]


def test_serving_its_own_locality_is_implied_and_changes_are_audited(app):
    programme, (taunton, bridgwater, _mendip) = three_localities()
    team = create_team(taunton, name="Area team")

    teams_served.set_served(team, None, serves_all=False, slugs=["taunton", "bridgwater"])
    teams_served.set_served(team, None, serves_all=False, slugs=["bridgwater", "taunton"])

    assert [locality.name for locality in team.served] == ["Bridgwater"]
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "team", AuditEvent.entity_id == team.id)
    ).all()
    assert (event.before, event.after) == ({"serves": []}, {"serves": ["bridgwater"]})
    assert event.locality_id == taunton.id


def test_a_post_of_a_shared_team_is_counted_once_in_the_programme(app):
    programme, (taunton, *_rest) = three_localities()
    county = create_team(taunton, name="County", serves_all=True)
    create_post(county, status="in_post")

    funnel_total = programme_recruitment(programme, TODAY).posts

    assert funnel_total == db.session.query(Post).count()
