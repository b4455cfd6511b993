"""Partner organisations: adding, renaming (the old name kept), other names, merging duplicates,
what each employs, and the organisation a post of some type goes to by default."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Organisation, Post, StaffMember
from programme.services import organisations
from programme.services.errors import Conflict, NotFound, ServiceError, StaleEdit
from programme.services.organisation_merge import merge_organisations, merge_outline
from programme.services.organisation_summaries import organisation_summaries
from programme.services.recruitment import posts as post_service
from programme.services.recruitment.establishments import apply_establishment
from programme.services.recruitment.roles import set_recruited_statuses
from programme.services.training import staff_members
from tests.builders import (
    create_locality,
    create_post,
    create_programme,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows, reread


@pytest.fixture
def programme(app):
    return create_programme(slug="westshire")


def add(programme, name="Westshire County Council", type="council", **extra) -> Organisation:
    return organisations.create_organisation(programme, name, type, None, **extra)


def edit(organisation: Organisation, **changes) -> list[str]:
    values = {
        "name": organisation.name,
        "type": organisation.type,
        "names": list(organisation.names),
        "agreement_signed_on": organisation.agreement_signed_on,
        "contact": organisation.contact,
    }
    values.update(changes)
    return organisations.update_organisation(organisation, None, **values)


# ------------------------------------------------------------------ adding and changing


def test_an_organisation_is_added_with_its_details_trimmed_and_audited(programme):
    manager = create_user("programme_manager")

    added = organisations.create_organisation(
        programme,
        "  Westshire Probation Delivery Unit ",
        "probation",
        manager,
        names=[" HMPPS", "hmpps", "", "Probation Service", "westshire probation delivery unit"],
        agreement_signed_on=date(2026, 3, 2),
        contact=" Martin Greaves ",
    )

    saved = reread(added)
    assert (saved.name, saved.type, saved.names) == (
        "Westshire Probation Delivery Unit",
        "probation",
        ["HMPPS", "Probation Service"],
    )
    assert (saved.agreement_signed_on, saved.contact) == (date(2026, 3, 2), "Martin Greaves")
    [event] = audit_events_for("organisation", added.id)
    assert (event.action, event.actor_id, event.programme_id) == (
        "create",
        manager.id,
        programme.id,
    )
    assert event.summary == "Added the organisation Westshire Probation Delivery Unit (Probation)"
    assert organisations.organisations_of(programme) == [saved]
    assert programme.organisations == [saved]


@pytest.mark.parametrize(
    ("name", "type", "field", "message"),
    [
        ("", "council", "name", "Enter the organisation's name."),
        ("  ", "council", "name", "Enter the organisation's name."),
        ("x" * 201, "council", "name", "The name must be 200 characters or fewer."),
        ("Westshire Police", "nasa", "type", "Choose the type of organisation."),
    ],
)
def test_a_bad_name_or_type_is_refused_naming_the_field(programme, name, type, field, message):
    with pytest.raises(ServiceError) as refused:
        add(programme, name, type)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert count_rows(Organisation) == 0


@pytest.mark.parametrize(
    ("name", "names", "field", "message"),
    [
        (
            "WESTSHIRE county council",
            [],
            "name",
            "There is already an organisation called “Westshire County Council”.",
        ),
        ("W.C.C.", [], "name", "“W.C.C.” is already another name of Westshire County Council."),
        (
            "Westshire Council",
            ["Westshire County Council!"],
            "names",
            "There is already an organisation called “Westshire County Council”.",
        ),
        (
            "Westshire Council",
            ["wcc"],
            "names",
            "“wcc” is already another name of Westshire County Council.",
        ),  # fmt: skip
    ],
)
def test_a_name_another_organisation_has_is_refused_ignoring_case_and_punctuation(
    programme, name, names, field, message
):
    add(programme, names=["WCC"])

    with pytest.raises(Conflict) as refused:
        add(programme, name, "council", names=names)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert count_rows(Organisation) == 1


def test_the_same_name_in_another_programme_is_fine(programme):
    add(programme)

    other = add(create_programme("Eastshire", "eastshire"))

    assert other.name == "Westshire County Council"


def test_renaming_keeps_the_old_name_as_another_name_so_files_that_use_it_still_match(programme):
    council = add(programme, names=["WCC"])

    changed = edit(council, name="Westshire Council")

    saved = reread(council)
    assert changed == ["name", "names"]
    assert (saved.name, saved.names) == ("Westshire Council", ["WCC", "Westshire County Council"])
    event = audit_events_for("organisation", council.id)[-1]
    assert (event.before, event.after) == (
        {"name": "Westshire County Council", "names": ["WCC"]},
        {"name": "Westshire Council", "names": ["WCC", "Westshire County Council"]},
    )


def test_a_change_of_case_only_is_no_new_alternative_name(programme):
    council = add(programme)

    edit(council, name="WESTSHIRE COUNTY COUNCIL")

    assert reread(council).names == []


def test_changing_the_type_changes_its_posts_category(programme):
    locality = create_locality(programme)
    trust = add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    post = create_post(create_team(locality), "adult_mental_health", organisation=trust)

    assert edit(trust, type="substance_misuse_provider", contact="mh@example.org") == [
        "type",
        "contact",
    ]

    assert reread(post).organisation.type == "substance_misuse_provider"


def test_nothing_changed_writes_nothing(programme):
    council = add(programme)
    version = council.version

    assert edit(council) == []

    assert reread(council).version == version
    assert len(audit_events_for("organisation", council.id)) == 1


def test_an_edit_opened_before_someone_else_saved_is_refused(programme):
    council = add(programme)
    opened = council.version
    edit(council, contact="Dana Whitfield")

    with pytest.raises(StaleEdit, match="Someone else changed Westshire County Council"):
        edit(reread(council), contact="Someone else", expected_version=opened)

    assert reread(council).contact == "Dana Whitfield"


def test_an_alternative_name_is_added_once_and_refused_when_another_has_it(programme):
    council = add(programme)
    add(programme, "Westshire Probation Delivery Unit", "probation", names=["HMPPS"])

    assert organisations.add_alternative_name(council, " County Council ", None) is True
    assert organisations.add_alternative_name(council, "county-council", None) is False
    assert organisations.add_alternative_name(council, "westshire county council", None) is False
    with pytest.raises(Conflict, match="“hmpps” is already another name of Westshire Probation"):
        organisations.add_alternative_name(council, "hmpps", None)
    with pytest.raises(ServiceError, match="Enter the other name."):
        organisations.add_alternative_name(council, " ", None)

    assert reread(council).names == ["County Council"]
    event = audit_events_for("organisation", council.id)[-1]
    assert event.summary == "Added “County Council” as another name of Westshire County Council"


# ------------------------------------------------------------------ merging


def test_merging_moves_posts_and_people_keeps_the_names_and_deletes_the_duplicate(programme):
    team = create_team(create_locality(programme))
    probation = add(programme, "Westshire Probation Delivery Unit", "probation", names=["PDU"])
    duplicate = add(programme, "HMPPS Westshire", "probation", names=["NPS"])
    moving = [create_post(team, "da_perpetrators", organisation=duplicate) for _ in range(2)]
    staying = create_post(team, "da_perpetrators", organisation=probation)
    person = create_staff(team, "da_perpetrators", organisation_id=duplicate.id)
    versions = {post.id: post.version for post in moving}
    manager = create_user("programme_manager")

    outline = merge_outline(duplicate, probation)
    assert (outline.posts, outline.people, outline.names) == (2, 1, ["HMPPS Westshire", "NPS"])
    assert outline.moves == "2 posts and 1 person"
    assert outline.kept == "“HMPPS Westshire” and “NPS” are kept as its alternative names"

    merge_organisations(duplicate, probation, manager)

    assert count_rows(Organisation) == 1
    assert {reread(post).organisation_id for post in [*moving, staying]} == {probation.id}
    # A moved post counts as changed: an edit opened before the merge cannot undo it.
    assert all(reread(post).version == versions[post.id] + 1 for post in moving)
    assert reread(person).organisation_id == probation.id
    assert reread(probation).names == ["PDU", "HMPPS Westshire", "NPS"]
    [event] = [e for e in audit_events_for("organisation", probation.id) if e.action == "merge"]
    assert event.actor_id == manager.id
    assert event.summary == (
        "Merged HMPPS Westshire into Westshire Probation Delivery Unit: 2 posts and 1 person moved"
    )
    assert (event.after["posts"], event.after["people"], event.after["merged"]) == (
        2,
        1,
        "HMPPS Westshire",
    )


def test_merging_into_itself_or_across_programmes_is_refused(programme):
    council = add(programme)
    elsewhere = add(create_programme("Eastshire", "eastshire"), "Eastshire Council")

    with pytest.raises(ServiceError, match="cannot be merged into itself") as itself:
        merge_organisations(council, council, None)
    with pytest.raises(ServiceError, match="belong to different programmes") as across:
        merge_organisations(council, elsewhere, None)

    assert itself.value.field == across.value.field == "into"
    assert count_rows(Organisation) == 2
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "merge")).all() == []


def test_an_edit_opened_before_a_merge_is_refused_rather_than_undoing_it(programme):
    team = create_team(create_locality(programme))
    council = add(programme)
    duplicate = add(programme, "WCC", "council")
    post = create_post(team, "social_worker", organisation=duplicate)
    opened = post.version

    merge_organisations(duplicate, council, None)

    with pytest.raises(StaleEdit):
        post_service.update_post(
            reread(post),
            post_service.PostInput(role_id=post.role_id, organisation_id=council.id),
            None,
            today=TODAY,
            expected_version=opened,
        )


# ------------------------------------------------------------------ what each employs


def test_the_summaries_count_posts_filled_starting_later_frozen_and_people(programme):
    team = create_team(create_locality(programme))
    trust = add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    charity = add(programme, "Westshire Women's Aid", "da_charity")
    add(programme, "Westshire Police", "police")
    for status in ("in_post", "appointed", "offered", "vacant"):
        create_post(team, "adult_mental_health", organisation=trust, status=status)
    create_post(
        team, "adult_mental_health", organisation=trust, status="appointed",
        start_date=TODAY + timedelta(days=40),
    )  # fmt: skip
    create_post(team, "adult_mental_health", organisation=trust, status="in_post", frozen=True)
    create_post(team, "da_victims", organisation=charity, status="in_post")
    create_staff(team, "adult_mental_health", organisation_id=trust.id)
    create_staff(team, "adult_mental_health", organisation_id=trust.id)

    summaries = {s.organisation.name: s for s in organisation_summaries(programme, TODAY)}

    assert list(summaries) == [
        "Westshire Partnership NHS Trust",
        "Westshire Police",
        "Westshire Women's Aid",
    ]
    trust_figures = summaries["Westshire Partnership NHS Trust"]
    assert (
        trust_figures.posts,
        trust_figures.filled,
        trust_figures.starting,
        trust_figures.frozen,
        trust_figures.people,
    ) == (5, 2, 1, 1, 2)
    assert trust_figures.filled_text == (
        "2 of 5 posts filled; 1 more appointed, not started yet; 1 frozen post not counted"
    )
    police = summaries["Westshire Police"]
    assert (police.posts, police.filled, police.people, police.filled_text) == (
        0,
        0,
        0,
        "0 of 0 posts filled",
    )
    assert summaries["Westshire Women's Aid"].filled_text == "1 of 1 post filled"


def test_filled_follows_the_statuses_the_programme_counts_as_recruited(programme):
    team = create_team(create_locality(programme))
    trust = add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    create_post(team, "adult_mental_health", organisation=trust, status="offered")
    set_recruited_statuses(programme, ["offered", "appointed", "in_post"], None)

    [summary] = organisation_summaries(reread(programme), TODAY)

    assert (summary.posts, summary.filled) == (1, 1)


def test_the_summaries_take_two_queries_however_many_organisations(programme, count_queries):
    team = create_team(create_locality(programme))

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            for summary in organisation_summaries(programme, TODAY):
                assert summary.organisation.names is not None
        return counter.count

    add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    few = queries()
    for number in range(6):
        organisation = add(programme, f"Partner {number}", "other")
        create_post(team, "social_worker", organisation=organisation, status="in_post")
        create_staff(team, organisation_id=organisation.id)

    assert queries() == few


# ------------------------------------------------------------------ where a post goes by default


def test_a_type_with_no_organisation_gets_one_named_after_the_type(programme):
    made = organisations.organisation_for_type(programme, "probation")

    assert (made.name, made.type, made.names) == ("Probation", "probation", [])
    assert organisations.organisation_for_type(programme, "probation") == made
    assert count_rows(Organisation) == 1


def test_the_default_is_the_only_organisation_of_the_type_or_the_first_by_name(programme):
    zeta = add(programme, "Zeta Recovery", "substance_misuse_provider")
    assert organisations.organisation_for_type(programme, "substance_misuse_provider") == zeta

    alpha = add(programme, "Alpha Recovery", "substance_misuse_provider")

    assert organisations.organisation_for_type(programme, "substance_misuse_provider") == alpha


def test_a_type_s_label_taken_by_another_organisation_gets_a_numbered_name(programme):
    add(programme, "Council", "other")

    made = organisations.organisation_for_type(programme, "council")

    assert (made.name, made.type) == ("Council 2", "council")


def test_an_unknown_type_is_refused(programme):
    with pytest.raises(ServiceError, match="Choose the type of organisation."):
        organisations.organisation_for_type(programme, "nasa")


def test_an_establishment_s_posts_go_to_the_organisations_of_their_types(programme):
    team = create_team(create_locality(programme))
    probation = add(programme, "Westshire Probation Delivery Unit", "probation")

    made = apply_establishment(team, "lancashire", None, today=TODAY)

    by_role = {post.role.key: post.organisation for post in made}
    assert by_role["da_perpetrators"] == probation
    assert by_role["social_worker"].name == "Council"
    assert by_role["adult_mental_health"].name == "Mental health trust"
    assert {post.organisation.type for post in made} == {post.role.agency for post in made}
    assert count_rows(Organisation) == 3


def test_a_post_names_its_employer_or_takes_its_role_s_usual_one(programme):
    team = create_team(create_locality(programme))
    charity = add(programme, "Westshire Women's Aid", "da_charity")
    idva = next(role for role in programme.roles if role.key == "da_victims")
    police = add(programme, "Westshire Police", "police")

    default = post_service.create_post(
        team, post_service.PostInput(role_id=idva.id), None, today=TODAY
    )
    named = post_service.create_post(
        team, post_service.PostInput(role_id=idva.id, organisation_id=police.id), None, today=TODAY
    )
    kept = post_service.update_post(
        named,
        post_service.PostInput(role_id=idva.id, status="advertised"),
        None,
        today=TODAY,
        expected_version=named.version,
    )

    assert (default.organisation, reread(named).organisation, kept) == (
        charity,
        police,
        ["status"],
    )


def test_a_post_cannot_name_another_programme_s_organisation(programme):
    team = create_team(create_locality(programme))
    elsewhere = add(create_programme("Eastshire", "eastshire"), "Eastshire Council")
    role = programme.roles[0]

    with pytest.raises(ServiceError) as refused:
        post_service.create_post(
            team,
            post_service.PostInput(role_id=role.id, organisation_id=elsewhere.id),
            None,
            today=TODAY,
        )

    assert (refused.value.field, refused.value.message) == (
        "organisation_id",
        "Choose the employing organisation.",
    )
    assert count_rows(Post) == 0


def test_a_person_in_a_post_is_employed_by_the_post_s_organisation(programme):
    team = create_team(create_locality(programme))
    trust = add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    post = create_post(team, "adult_mental_health", organisation=trust, status="in_post")
    role_id = post.role_id

    person = staff_members.create_staff(
        team, None, name="Ann Lee", email="ann@example.org", role_id=role_id, post_id=post.id
    )
    other = staff_members.create_staff(
        team, None, name="Bo Ray", email="bo@example.org", role_id=role_id
    )

    assert (reread(person).organisation, reread(other).organisation) == (trust, None)
    with pytest.raises(NotFound):
        staff_members.create_staff(
            team, None, name="Cy", email="cy@example.org", role_id=role_id, organisation_id=-1
        )
    assert count_rows(StaffMember) == 2
