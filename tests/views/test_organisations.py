"""Partner organisations pages: the list with what each employs, adding and changing one (with
its errors), and merging two through a confirmation page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from programme.extensions import db
from programme.models import Organisation
from programme.services import organisations
from tests.builders import (
    create_locality,
    create_post,
    create_programme,
    create_staff,
    create_team,
    create_user,
)
from tests.pages import page_of, visible_text
from tests.queries import count_rows, reread


@pytest.fixture
def programme(app):
    return create_programme(slug="westshire")


def _url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/organisations{suffix}"


def _add(programme, name, type, **extra) -> Organisation:
    return organisations.create_organisation(programme, name, type, None, **extra)


def _section(page: str, organisation: Organisation) -> str:
    found = re.search(rf'<section[^>]*id="organisation-{organisation.id}".*?</section>', page, re.S)
    assert found, f"no section for {organisation.name}"
    return found.group(0)


def _field(section: str, name: str) -> str:
    found = re.search(rf'data-field="{name}">(.*?)</dd>', section, re.S)
    assert found, name
    return visible_text(found.group(1))


def _form(organisation: Organisation | None = None, **changes) -> dict:
    form = {
        "name": organisation.name if organisation else "",
        "type": organisation.type if organisation else "council",
        "other_names": "\n".join(organisation.names) if organisation else "",
        "agreement_signed_on": "",
        "contact": organisation.contact if organisation else "",
    }
    if organisation is not None:
        form["version"] = str(organisation.version)
    form.update(changes)
    return form


# ------------------------------------------------------------------ the list


def test_the_list_answers_which_partner_has_seconded_its_workers(programme, sign_in):
    team = create_team(create_locality(programme))
    trust = _add(
        programme,
        "Westshire Partnership NHS Trust",
        "mental_health_trust",
        names=["NHS trust", "WPT"],
        agreement_signed_on=date(2026, 3, 2),
        contact="mh.partners@example.org",
    )
    charity = _add(programme, "Westshire Women's Aid", "da_charity")
    for status in ("in_post", "appointed", "advertised"):
        create_post(team, "adult_mental_health", organisation=trust, status=status)
    create_staff(team, "adult_mental_health", organisation_id=trust.id)
    client = sign_in(create_user("viewer"))

    response = client.get(_url(programme))

    page = page_of(response)
    assert response.status_code == 200
    assert '<h1 class="app-heading-l">Partner organisations</h1>' in page
    trust_section = _section(page, trust)
    assert {
        name: _field(trust_section, name)
        for name in ("type", "posts", "filled", "people", "names", "agreement", "contact")
    } == {
        "type": "Mental health trust",
        "posts": "3",
        "filled": "2 of 3 posts filled",
        "people": "1 person",
        "names": "NHS trust, WPT",
        "agreement": "2 Mar 2026",
        "contact": "mh.partners@example.org",
    }
    charity_section = _section(page, charity)
    assert (_field(charity_section, "filled"), _field(charity_section, "agreement")) == (
        "0 of 0 posts filled",
        "Not recorded",
    )
    # A viewer reads, but is offered nothing to change.
    assert "Add an organisation" not in page
    assert "/edit" not in page and "/merge" not in page


def test_programme_managers_get_the_add_change_and_merge_links(programme, sign_in):
    council = _add(programme, "Westshire County Council", "council")
    _add(programme, "WCC", "council")
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(_url(programme)))

    assert f'href="{_url(programme, "/new")}"' in page
    section = _section(page, council)
    assert f'href="{_url(programme, f"/{council.id}/edit")}"' in section
    assert f'href="{_url(programme, f"/{council.id}/merge")}"' in section


def test_the_recruitment_pages_link_to_the_organisations(programme, sign_in):
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"/programmes/{programme.slug}/recruitment"))

    assert f'href="{_url(programme)}"' in page


def test_the_list_runs_as_many_queries_for_eight_organisations_as_for_one(
    programme, sign_in, count_queries
):
    team = create_team(create_locality(programme))
    client = sign_in(create_user("viewer"))

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(_url(programme)).status_code == 200
        return counter.count

    _add(programme, "Partner 0", "other")
    few = queries()
    for number in range(1, 8):
        organisation = _add(programme, f"Partner {number}", "other", names=[f"P{number}"])
        create_post(team, "social_worker", organisation=organisation, status="in_post")
        create_staff(team, organisation_id=organisation.id)

    assert queries() == few


# ------------------------------------------------------------------ adding and changing


def test_an_hr_lead_adds_an_organisation(programme, sign_in):
    client = sign_in(create_user("hr_lead"))

    response = client.post(
        _url(programme, "/new"),
        data=_form(
            name="Westshire Recovery Partnership",
            type="substance_misuse_provider",
            other_names="Recovery service\n\nDrug and alcohol service",
            agreement_signed_on="2026-05-11",
            contact="Sam Price",
        ),
        follow_redirects=True,
    )

    assert "Added Westshire Recovery Partnership." in page_of(response)
    saved = db.session.query(Organisation).one()
    assert (saved.type, saved.names, saved.agreement_signed_on, saved.contact) == (
        "substance_misuse_provider",
        ["Recovery service", "Drug and alcohol service"],
        date(2026, 5, 11),
        "Sam Price",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the organisation's name."),
        ({"name": "x" * 201}, "name", "The name must be 200 characters or fewer."),
        ({"type": "nasa"}, "type", "Not a valid choice."),
        (
            {"name": "westshire county council"},
            "name",
            "There is already an organisation called “Westshire County Council”.",
        ),
        (
            {"name": "Westshire Council", "other_names": "Council\nWCC"},
            "other_names",
            "“WCC” is already another name of Westshire County Council.",
        ),
        ({"agreement_signed_on": "31/02/2026"}, "agreement_signed_on", "Not a valid date value."),
    ],
)
def test_the_add_form_shows_what_is_wrong_at_the_field(programme, sign_in, changes, field, message):
    _add(programme, "Westshire County Council", "council", names=["WCC"])
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        _url(programme, "/new"), data=_form(**{"name": "Westshire Police", **changes})
    )

    page = page_of(response)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert f'<a href="#{field}">{message}</a>' in page
    assert count_rows(Organisation) == 1


def test_renaming_on_the_edit_form_keeps_the_old_name(programme, sign_in):
    council = _add(programme, "Westshire County Council", "council", names=["WCC"])
    client = sign_in(create_user("programme_manager"))

    form = page_of(client.get(_url(programme, f"/{council.id}/edit")))
    assert 'value="Westshire County Council"' in form
    assert "WCC</textarea>" in form
    response = client.post(
        _url(programme, f"/{council.id}/edit"),
        data=_form(council, name="Westshire Council", type="council"),
        follow_redirects=True,
    )

    assert "Saved Westshire Council." in page_of(response)
    assert reread(council).names == ["WCC", "Westshire County Council"]


def test_an_edit_form_opened_before_another_save_is_refused_with_409(programme, sign_in):
    council = _add(programme, "Westshire County Council", "council")
    opened = _form(council, contact="Mine")
    organisations.update_organisation(
        council,
        None,
        name=council.name,
        type=council.type,
        names=[],
        agreement_signed_on=None,
        contact="Theirs",
    )
    client = sign_in(create_user("programme_manager"))

    response = client.post(_url(programme, f"/{council.id}/edit"), data=opened)

    assert response.status_code == 409
    page = page_of(response)
    assert "Someone else changed Westshire County Council" in page
    assert "Theirs" in page.split('id="current-values"')[1].split("</dl>")[0]
    assert reread(council).contact == "Theirs"


def test_another_programme_s_organisation_is_not_found(programme, sign_in):
    elsewhere = _add(create_programme("Eastshire", "eastshire"), "Eastshire Council", "council")
    client = sign_in(create_user("admin"))

    assert client.get(_url(programme, f"/{elsewhere.id}/edit")).status_code == 404
    assert client.get(_url(programme, f"/{elsewhere.id}/merge")).status_code == 404


# ------------------------------------------------------------------ merging


def test_merging_goes_through_a_confirmation_that_says_what_will_move(programme, sign_in):
    team = create_team(create_locality(programme))
    probation = _add(programme, "Westshire Probation Delivery Unit", "probation")
    duplicate = _add(programme, "HMPPS Westshire", "probation")
    for _ in range(2):
        create_post(team, "da_perpetrators", organisation=duplicate)
    create_staff(team, "da_perpetrators", organisation_id=duplicate.id)
    client = sign_in(create_user("programme_manager"))

    choose = page_of(client.get(_url(programme, f"/{duplicate.id}/merge")))
    assert f'<option value="{probation.id}">' in choose
    assert f'<option value="{duplicate.id}">' not in choose
    chosen = client.post(_url(programme, f"/{duplicate.id}/merge"), data={"into": probation.id})
    assert chosen.status_code == 302
    confirm_url = _url(programme, f"/{duplicate.id}/merge/{probation.id}")
    assert chosen.headers["Location"].endswith(confirm_url)

    confirmation = page_of(client.get(confirm_url))
    outline = visible_text(re.search(r'id="merge-outline">(.*?)</div>', confirmation, re.S)[1])
    assert outline == (
        "2 posts and 1 person move to Westshire Probation Delivery Unit. "
        "“HMPPS Westshire” is kept as one of its alternative names, so spreadsheets that name "
        "HMPPS Westshire still match. HMPPS Westshire is then deleted. This cannot be undone."
    )
    assert count_rows(Organisation) == 2  # nothing happens until the button is pressed

    done = client.post(confirm_url, follow_redirects=True)

    assert (
        "Merged HMPPS Westshire into Westshire Probation Delivery Unit: 2 posts and 1 person moved."
        in page_of(done)
    )
    assert count_rows(Organisation) == 1
    assert reread(probation).names == ["HMPPS Westshire"]


def test_merging_into_itself_is_refused_with_the_reason(programme, sign_in):
    council = _add(programme, "Westshire County Council", "council")
    client = sign_in(create_user("programme_manager"))

    response = client.post(_url(programme, f"/{council.id}/merge/{council.id}"))

    assert response.status_code == 302
    page = page_of(client.get(response.headers["Location"]))
    assert "it cannot be merged into itself" in page
    assert count_rows(Organisation) == 1


def test_choosing_no_organisation_to_merge_into_is_an_error(programme, sign_in):
    council = _add(programme, "Westshire County Council", "council")
    _add(programme, "WCC", "council")
    client = sign_in(create_user("programme_manager"))

    response = client.post(_url(programme, f"/{council.id}/merge"), data={"into": council.id})

    assert response.status_code == 400
    assert '<a href="#into">Choose the organisation to merge it into.</a>' in page_of(response)


def test_an_organisation_with_nothing_to_merge_into_says_so(programme, sign_in):
    council = _add(programme, "Westshire County Council", "council")
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(_url(programme, f"/{council.id}/merge")))

    assert "has no other organisation to merge Westshire County Council into." in page


# ------------------------------------------------------------------ posts name their employer


def test_a_post_s_page_and_form_name_its_employing_organisation(programme, sign_in):
    team = create_team(create_locality(programme))
    trust = _add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    other = _add(programme, "Eastshire NHS Trust", "mental_health_trust")
    post = create_post(team, "adult_mental_health", organisation=trust)
    client = sign_in(create_user("hr_lead"))

    shown = page_of(client.get(f"/programmes/{programme.slug}/posts/{post.id}"))
    form = page_of(client.get(f"/programmes/{programme.slug}/posts/{post.id}/edit"))
    moved = client.post(
        f"/programmes/{programme.slug}/posts/{post.id}/edit",
        data={
            "version": str(post.version),
            "role": str(post.role_id),
            "organisation": str(other.id),
            "fte": "1",
            "status": "vacant",
        },
    )

    assert "Westshire Partnership NHS Trust (Mental health trust)" in shown
    assert (
        f'<option selected value="{trust.id}">Westshire Partnership NHS Trust (Mental health '
        "trust)</option>" in form
    )
    assert "The usual employer of the role" not in form
    assert moved.status_code == 302
    assert reread(post).organisation_id == other.id


def test_a_locality_s_posts_filter_by_organisation_and_by_type(programme, sign_in):
    locality = create_locality(programme)
    team = create_team(locality)
    trust = _add(programme, "Westshire Partnership NHS Trust", "mental_health_trust")
    other = _add(programme, "Eastshire NHS Trust", "mental_health_trust")
    create_post(team, "adult_mental_health", organisation=trust)
    create_post(team, "adult_mental_health", organisation=other)
    create_post(team, "social_worker")
    client = sign_in(create_user("viewer"))
    url = f"/programmes/{programme.slug}/localities/{locality.slug}/recruitment"

    by_organisation = page_of(client.get(f"{url}?organisation={trust.id}"))
    by_type = page_of(client.get(f"{url}?type=mental_health_trust"))

    assert "Showing 1 of 3 posts." in by_organisation
    assert "Showing 2 of 3 posts." in by_type
    assert f"organisation={trust.id}" in by_organisation  # the CSV link keeps the filter
