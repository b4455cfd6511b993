"""Recruitment pages: a locality's posts and shares, the CSV download, the programme overview,
changing, freezing and removing a post, establishments, roles and what counts as recruited."""

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import Post, PostStatusChange, Role, Team
from programme.services import localities as locality_service
from programme.services.exports.posts import POST_COLUMNS
from programme.services.recruitment import posts as post_service
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread

# ------------------------------------------------------------------ helpers


def _team_with_posts(locality, name: str = "FS Team North") -> Team:
    """A team with the Lancashire establishment: 11 vacant posts, 2 of them adult specialists."""
    return locality_service.create_team(
        locality, name, None, establishment="lancashire", today=TODAY
    )


def _posts(team: Team, role_key: str) -> list[Post]:
    return list(
        db.session.scalars(
            select(Post).join(Role).where(Post.team_id == team.id, Role.key == role_key)
        ).all()
    )


def _only_post(team: Team, role_key: str) -> Post:
    [post] = _posts(team, role_key)
    return post


def _set(post: Post, **values) -> Post:
    for name, value in values.items():
        setattr(post, name, value)
    db.session.commit()
    return post


def _role(programme, key: str) -> Role:
    return db.session.scalar(select(Role).where(Role.programme_id == programme.id, Role.key == key))


def _recruitment_url(locality, suffix: str = "") -> str:
    return f"/programmes/{locality.programme.slug}/localities/{locality.slug}/recruitment{suffix}"


def _post_url(post: Post, suffix: str = "") -> str:
    return f"/programmes/{post.team.locality.programme.slug}/posts/{post.id}{suffix}"


def _overview_url(programme) -> str:
    return f"/programmes/{programme.slug}/recruitment"


def _rows(page: str) -> dict[int, dict]:
    """Post id -> its row on a locality's recruitment page (status, role key, visible text)."""
    return {
        int(post_id): {"status": status, "role": role, "text": visible_text(cells)}
        for post_id, status, role, cells in re.findall(
            r'<tr id="post-(\d+)" data-status="([^"]+)" data-role="([^"]+)">(.*?)</tr>',
            page,
            re.S,
        )
    }


def _team_section(page: str, team: Team) -> str:
    match = re.search(rf'<section class="app-team" id="team-{team.id}".*?</section>', page, re.S)
    assert match, f"no section for {team.name}"
    return match.group(0)


def _locality_share(page: str) -> str:
    return visible_text(
        re.search(r'<dl class="app-summary-list" id="locality-share">.*?</dl>', page, re.S).group(0)
    )


def _team_share(page: str, team: Team) -> str:
    section = _team_section(page, team)
    return visible_text(re.search(r'data-field="team-share">(.*?)</p>', section, re.S).group(1))


def _shown(page: str) -> str:
    return visible_text(re.search(r'<p class="app-body" id="post-count">(.*?)</p>', page, re.S)[1])


def _error_summary(page: str) -> str:
    match = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)
    assert match, "the page has no error summary"
    return match.group(0)


def _funnel(page: str) -> dict[str, tuple[int, str]]:
    """Stage -> (posts at it, reached it or further) as a funnel table shows them."""
    return {
        stage: (int(count), visible_text(reached))
        for stage, count, reached in re.findall(
            r'<tr data-stage="([^"]+)">.*?data-field="count">(\d+)</td>'
            r'.*?data-field="reached">(.*?)</td>',
            page,
            re.S,
        )
    }


def _edit_form(post: Post, **changes) -> dict:
    form = {
        "version": str(post.version),
        "role": str(post.role_id),
        "organisation": str(post.organisation_id),
        "fte": str(post.fte),
        "reference": post.reference or "",
        "status": post.status,
        "holder_name": post.holder_name,
        "holder_email": post.holder_email,
        "start_date": post.start_date.isoformat() if post.start_date else "",
        "notes": post.notes,
    }
    form.update(changes)
    return form


# ------------------------------------------------------------------ the locality page


def test_the_locality_page_shows_each_teams_posts_with_status_tags_and_shares(app, sign_in):
    locality = create_locality(name="South Somerset")
    north = _team_with_posts(locality, "FS Team North")
    south = _team_with_posts(locality, "FS Team South")
    _set(_only_post(north, "da_perpetrators"), status="in_post", holder_name="Dana Cole")
    _set(_only_post(north, "adult_mental_health"), status="interviewed")
    _set(_only_post(south, "adult_mental_health"), status="appointed")
    client = sign_in(create_user("viewer"))

    response = client.get(_recruitment_url(locality))

    assert response.status_code == 200
    page = page_of(response)
    rows = _rows(page)
    assert len(rows) == 22
    da_worker = _only_post(north, "da_perpetrators")
    assert rows[da_worker.id]["status"] == "in_post"
    assert rows[da_worker.id]["text"] == (
        "DA worker (perpetrators) Adult specialist Probation 1 In post Dana Cole —"
    )
    assert re.search(
        rf'<tr id="post-{da_worker.id}".*?<strong class="app-tag [^"]*">In post</strong>',
        page,
        re.S,
    )
    interviewed = _only_post(north, "adult_mental_health")
    assert "Interviewed" in rows[interviewed.id]["text"]
    # Each team's share, and the locality's: 1 of 2 in each team, 2 of 4 in all.
    assert _team_share(page, north) == "Adult specialists recruited: 50% 1 of 2"
    assert _team_share(page, south) == "Adult specialists recruited: 50% 1 of 2"
    assert "Adult specialists recruited 50% 2 of 4" in _locality_share(page)
    assert "Counted as recruited Appointed, In post" in _locality_share(page)
    north_rows = _rows(_team_section(page, north))
    assert {post.id for post in north.posts} == set(north_rows)
    assert _shown(page).startswith("Showing 22 of 22 posts.")


def test_a_locality_without_adult_specialist_posts_says_so_rather_than_zero_percent(app, sign_in):
    locality = create_locality(name="South Somerset")
    team = create_team(locality, name="FS Team North")
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_recruitment_url(locality)))

    assert "No adult specialist posts" in _locality_share(page)
    assert f"{team.name} has no posts yet." in page


@pytest.mark.parametrize(
    ("query", "expected_roles"),
    [
        ("status=in_post", {"da_perpetrators"}),
        ("type=mental_health_trust", {"adult_mental_health"}),
        ("role={social_worker}", {"social_worker"}),
        ("role={social_worker}&status=in_post", set()),
    ],
)
def test_filters_by_role_status_and_employer_type_narrow_the_rows_and_say_how_many_are_shown(
    app, sign_in, query, expected_roles
):
    locality = create_locality(name="South Somerset")
    team = _team_with_posts(locality)
    _set(_only_post(team, "da_perpetrators"), status="in_post")
    social_worker = _role(locality.programme, "social_worker")
    client = sign_in(create_user("viewer"))

    response = client.get(
        _recruitment_url(locality, "?" + query.format(social_worker=social_worker.id))
    )

    page = page_of(response)
    rows = _rows(page)
    assert {row["role"] for row in rows.values()} == expected_roles
    assert _shown(page).startswith(f"Showing {len(rows)} of 11 posts.")
    assert "Clear filters" in _shown(page)
    # The share is the team's whatever the filter: it is about the establishment, not the rows.
    assert _team_share(page, team) == "Adult specialists recruited: 50% 1 of 2"
    if not rows:
        assert f"No posts in {team.name} match the filters." in page


def test_the_social_worker_filter_keeps_all_five_social_worker_posts(app, sign_in):
    locality = create_locality(name="South Somerset")
    team = _team_with_posts(locality)
    social_worker = _role(locality.programme, "social_worker")
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_recruitment_url(locality, f"?role={social_worker.id}")))

    assert set(_rows(page)) == {post.id for post in _posts(team, "social_worker")}
    assert _shown(page).startswith("Showing 5 of 11 posts.")


def test_unknown_filter_values_are_ignored_rather_than_failing(app, sign_in):
    locality = create_locality(name="South Somerset")
    _team_with_posts(locality)
    client = sign_in(create_user("viewer"))

    response = client.get(
        _recruitment_url(locality, "?role=abc&status=hired&organisation=nasa&type=nasa")
    )

    assert response.status_code == 200
    assert _shown(page_of(response)).startswith("Showing 11 of 11 posts.")


def test_query_parameters_named_like_the_pages_own_are_ignored(app, sign_in):
    locality = create_locality(name="South Somerset")
    _team_with_posts(locality)
    client = sign_in(create_user("viewer"))

    response = client.get(_recruitment_url(locality, "?slug=x&programme_slug=y&_external=1"))

    assert response.status_code == 200
    assert 'href="http' not in page_of(response).split("post-count")[1].split("</p>")[0]


def test_the_csv_download_has_the_filtered_rows_a_bom_the_headers_and_neutralised_formulas(
    app, sign_in
):
    locality = create_locality(name="South Somerset")
    team = _team_with_posts(locality, "FS Team North")
    _set(
        _only_post(team, "da_perpetrators"),
        status="in_post",
        reference="SOM-001",
        holder_name="Dana Cole",
        holder_email="dana.cole@example.org",
        start_date=date(2026, 9, 1),
        notes='=HYPERLINK("http://evil.example","Click")',
    )
    _set(_only_post(team, "adult_mental_health"), status="in_post", holder_name="+44 7700 900")
    client = sign_in(create_user("viewer"))

    response = client.get(_recruitment_url(locality, ".csv?status=in_post"))

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{locality.slug}-posts-{TODAY.isoformat()}.csv"'
    )
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == [c.header for c in POST_COLUMNS]
    assert rows[0][:4] == ["Post ref", "Locality", "Team", "Role"]
    assert len(rows) == 3  # the header and the two posts in post; the 9 vacant ones are left out
    by_role = {row[3]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    da_worker = by_role["DA worker (perpetrators)"]
    assert da_worker == {
        "Post ref": "SOM-001",
        "Locality": "South Somerset",
        "Team": "FS Team North",
        "Role": "DA worker (perpetrators)",
        "Adult specialist": "yes",
        "Employing organisation": "Probation",
        "Organisation type": "Probation",
        "FTE": "1",
        "Status": "In post",
        "Post holder": "Dana Cole",
        "Email": "dana.cole@example.org",
        "Start date": "01/09/2026",
        "Frozen": "no",
        "Notes": '\'=HYPERLINK("http://evil.example","Click")',
    }
    assert by_role["Adult mental health practitioner"]["Post holder"] == "'+44 7700 900"


def test_the_csv_download_without_filters_has_every_post(app, sign_in):
    locality = create_locality(name="South Somerset")
    _team_with_posts(locality, "FS Team North")
    _team_with_posts(locality, "FS Team South")
    client = sign_in(create_user("viewer"))

    body = client.get(_recruitment_url(locality, ".csv")).get_data().decode("utf-8")

    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) == 1 + 22
    assert {row[2] for row in rows[1:]} == {"FS Team North", "FS Team South"}


# ------------------------------------------------------------------ the programme overview


def test_the_programme_overview_lists_each_localitys_share_and_the_funnel(app, sign_in):
    programme = create_programme()
    south = create_locality(programme, name="South Somerset", wave=1)
    west = create_locality(programme, name="West Somerset", wave=2)
    mendip = create_locality(programme, name="Mendip", wave=3)  # no teams yet
    south_team = _team_with_posts(south)
    west_team = _team_with_posts(west)
    _set(_only_post(south_team, "da_perpetrators"), status="in_post")
    _set(_only_post(south_team, "adult_mental_health"), status="appointed")
    _set(_only_post(west_team, "adult_mental_health"), status="offered")
    _set(_posts(west_team, "social_worker")[0], status="advertised")
    client = sign_in(create_user("viewer"))

    response = client.get(_overview_url(programme))

    assert response.status_code == 200
    page = page_of(response)
    table = re.search(
        r'<table class="app-table app-table--stack" id="localities">.*?</table>', page, re.S
    )[0]
    shares = {
        slug: visible_text(share)
        for slug, share in re.findall(
            r'<tr data-locality="([^"]+)">.*?data-field="share">(.*?)</td>', table, re.S
        )
    }
    assert shares == {
        south.slug: "100% 2 of 2",
        # Beside a figure, what it leaves out: here, the posts still to recruit.
        west.slug: "0% 0 of 2 0 of 2 recruited; 2 not recruited yet (1 vacant and 1 offered)",
        mendip.slug: "No adult specialist posts",
    }
    programme_share = visible_text(
        re.search(r'<dl class="app-summary-list" id="programme-share">.*?</dl>', page, re.S)[0]
    )
    assert "Adult specialists recruited across the programme 50% 2 of 4" in programme_share
    funnel = _funnel(page)
    assert funnel["vacant"] == (18, "22")
    assert funnel["advertised"] == (1, "4")
    assert funnel["offered"] == (1, "3")
    assert funnel["appointed"] == (1, "2")
    assert funnel["in_post"] == (1, "1")
    assert funnel["withdrawn"] == (0, "—")


# ------------------------------------------------------------------ changing a post


def test_an_hr_lead_changes_a_post_and_the_status_change_is_dated_and_audited(app, sign_in):
    helen = create_user("hr_lead", name="Helen Rees")
    locality = create_locality(name="South Somerset")
    team = _team_with_posts(locality)
    post = _only_post(team, "adult_mental_health")
    history_before = count_rows(PostStatusChange, PostStatusChange.post_id == post.id)
    client = sign_in(helen)

    response = client.post(
        _post_url(post, "/edit"),
        data=_edit_form(
            post,
            status="appointed",
            reference="SOM-AMH-1",
            holder_name="Sam Patel",
            holder_email="Sam.Patel@Example.org",
            start_date="2027-01-04",
            fte="0.8",
            notes="Start agreed",
        ),
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert response.request.path == _post_url(post)
    page = page_of(response)
    assert "Saved the Adult mental health practitioner post." in page
    saved = reread(post)
    assert (saved.status, saved.reference, saved.holder_name, saved.holder_email) == (
        "appointed",
        "SOM-AMH-1",
        "Sam Patel",
        "sam.patel@example.org",
    )
    assert (saved.start_date, saved.fte, saved.notes) == (date(2027, 1, 4), 0.8, "Start agreed")
    assert saved.status_changed_on == TODAY
    changes = db.session.scalars(
        select(PostStatusChange)
        .where(PostStatusChange.post_id == post.id)
        .order_by(PostStatusChange.id)
    ).all()
    assert len(changes) == history_before + 1
    assert (changes[-1].status, changes[-1].changed_on, changes[-1].actor_id) == (
        "appointed",
        TODAY,
        helen.id,
    )
    [event] = [e for e in audit_events_for("post", post.id) if e.action == "update"]
    assert event.actor_id == helen.id
    assert event.locality_id == locality.id
    assert event.before["status"] == "vacant"
    assert event.after["status"] == "appointed"
    assert event.after["holder_name"] == "Sam Patel"
    # Appointed, but the holder starts in January: counted from then, as the go-live gate does.
    share = _locality_share(page_of(client.get(_recruitment_url(locality))))
    assert "0% 0 of 2" in share


def test_changing_a_post_without_changing_its_status_adds_no_pipeline_step(app, sign_in):
    locality = create_locality()
    post = _only_post(_team_with_posts(locality), "adult_mental_health")
    history_before = count_rows(PostStatusChange, PostStatusChange.post_id == post.id)
    client = sign_in(create_user("hr_lead"))

    response = client.post(_post_url(post, "/edit"), data=_edit_form(post, notes="Advert drafted"))

    assert response.status_code == 302
    assert reread(post).notes == "Advert drafted"
    assert count_rows(PostStatusChange, PostStatusChange.post_id == post.id) == history_before
    assert len([e for e in audit_events_for("post", post.id) if e.action == "update"]) == 1


def test_saving_a_post_unchanged_says_nothing_changed_and_writes_no_audit(app, sign_in):
    locality = create_locality()
    post = _only_post(_team_with_posts(locality), "adult_mental_health")
    client = sign_in(create_user("hr_lead"))

    response = client.post(_post_url(post, "/edit"), data=_edit_form(post), follow_redirects=True)

    assert "Nothing changed." in page_of(response)
    assert [e for e in audit_events_for("post", post.id) if e.action == "update"] == []
    assert reread(post).version == post.version


def test_a_form_opened_before_someone_else_saved_answers_409_with_the_current_values(app, sign_in):
    alex = create_user("admin")
    locality = create_locality()
    post = _only_post(_team_with_posts(locality), "adult_mental_health")
    opened = _edit_form(post)  # Helen opens the form ...
    post_service.update_post(  # ... and Alex saves first.
        post,
        post_service.PostInput(
            role_id=post.role_id,
            fte=1.0,
            status="offered",
            holder_name="Alex's candidate",
            notes="Offer sent",
        ),
        alex,
        today=TODAY,
        expected_version=post.version,
    )
    after_alex = reread(post)
    events_before = len(audit_events_for("post", post.id))
    history_before = count_rows(PostStatusChange, PostStatusChange.post_id == post.id)
    client = sign_in(create_user("hr_lead"))

    response = client.post(
        _post_url(post, "/edit"),
        data={**opened, "status": "withdrawn", "holder_name": "", "notes": "Helen's notes"},
    )

    assert response.status_code == 409
    page = page_of(response)
    assert (
        "Someone else changed this Adult mental health practitioner post after you opened it."
        in (visible_text(_error_summary(page)))
    )
    current = visible_text(
        re.search(r'<dl class="app-summary-list" id="current-values">.*?</dl>', page, re.S)[0]
    )
    assert "Status Offered" in current
    assert "Post holder Alex's candidate" in current
    assert "Notes Offer sent" in current
    # Helen's version is kept in the form, ready to be saved deliberately over Alex's.
    assert "Helen's notes" in page
    assert re.search(rf'name="version"[^>]*value="{after_alex.version}"', page) or re.search(
        rf'value="{after_alex.version}"[^>]*name="version"', page
    )
    saved = reread(post)
    assert (saved.status, saved.holder_name, saved.notes, saved.version) == (
        "offered",
        "Alex's candidate",
        "Offer sent",
        after_alex.version,
    )
    assert len(audit_events_for("post", post.id)) == events_before
    assert count_rows(PostStatusChange, PostStatusChange.post_id == post.id) == history_before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"fte": "2"},
            "fte",
            "FTE must be more than 0 and no more than 1, such as 0.5.",
        ),
        (
            {"holder_email": "sam.patel.example.org"},
            "holder_email",
            "Enter the post holder's e-mail address, like name@example.org.",
        ),
        (
            {"reference": "som-001"},
            "reference",
            "The reference som-001 is already used by a Social worker post in FS Team North.",
        ),
    ],
)
def test_invalid_input_is_shown_again_with_an_error_summary_naming_the_field(
    app, sign_in, changes, field, message
):
    locality = create_locality()
    team = _team_with_posts(locality, "FS Team North")
    _set(_posts(team, "social_worker")[0], reference="SOM-001")
    post = _only_post(team, "adult_mental_health")
    client = sign_in(create_user("hr_lead"))

    response = client.post(
        _post_url(post, "/edit"), data=_edit_form(post, status="offered", **changes)
    )

    assert response.status_code == 400
    page = page_of(response)
    summary = _error_summary(page)
    assert f'<a href="#{field}">{message}</a>' in summary
    assert re.search(rf'<p class="app-error-message" id="{field}-error">', page)
    assert "<title>Error: " in page
    saved = reread(post)
    assert (saved.status, saved.version) == ("vacant", post.version)
    assert [e for e in audit_events_for("post", post.id) if e.action == "update"] == []


# ------------------------------------------------------------------ freezing and removing


def test_freezing_a_post_takes_it_out_of_the_denominator(app, sign_in):
    locality = create_locality()
    team = _team_with_posts(locality)
    _set(_only_post(team, "da_perpetrators"), status="in_post")
    mental_health = _only_post(team, "adult_mental_health")
    client = sign_in(create_user("hr_lead"))
    before = _locality_share(page_of(client.get(_recruitment_url(locality))))

    response = client.post(
        _post_url(mental_health, "/freeze"),
        data={"frozen": "yes", "version": str(mental_health.version)},
        follow_redirects=True,
    )

    assert "50% 1 of 2" in before
    assert response.status_code == 200
    assert "it no longer counts in the establishment" in page_of(response)
    assert reread(mental_health).frozen is True
    page = page_of(client.get(_recruitment_url(locality)))
    assert "100% 1 of 1" in _locality_share(page)
    assert _team_share(page, team) == "Adult specialists recruited: 100% 1 of 1"
    row = _rows(page)[mental_health.id]
    assert "Frozen" in row["text"]
    [event] = [e for e in audit_events_for("post", mental_health.id) if e.action == "freeze"]
    assert event.after == {"frozen": True}


def test_freezing_with_a_stale_version_changes_nothing(app, sign_in):
    locality = create_locality()
    post = _only_post(_team_with_posts(locality), "adult_mental_health")
    client = sign_in(create_user("hr_lead"))

    response = client.post(
        _post_url(post, "/freeze"),
        data={"frozen": "yes", "version": str(post.version + 5)},
        follow_redirects=True,
    )

    assert "Someone else changed this" in page_of(response)
    assert reread(post).frozen is False


def test_removing_a_post_deletes_it_and_records_an_audit_event(app, sign_in):
    hr_lead = create_user("hr_lead")
    locality = create_locality()
    team = _team_with_posts(locality, "FS Team North")
    post = _only_post(team, "adult_mental_health")
    post_id, version, url = post.id, post.version, _post_url(post, "/remove")
    client = sign_in(hr_lead)

    confirm = client.get(url)
    response = client.post(url, data={"version": str(version)}, follow_redirects=True)

    assert confirm.status_code == 200
    assert f'<input type="hidden" name="version" value="{version}">' in page_of(confirm)
    assert response.status_code == 200
    assert response.request.path == _recruitment_url(locality)
    assert "Removed the Adult mental health practitioner post from FS Team North." in page_of(
        response
    )
    assert db.session.get(Post, post_id) is None
    assert count_rows(PostStatusChange, PostStatusChange.post_id == post_id) == 0
    [event] = [e for e in audit_events_for("post", post_id) if e.action == "delete"]
    assert event.actor_id == hr_lead.id
    assert event.before["status"] == "vacant"
    assert "0% 0 of 1" in _locality_share(page_of(response))


# ------------------------------------------------------------------ establishments


def test_applying_the_lancashire_establishment_adds_eleven_posts_to_a_team(app, sign_in):
    hr_lead = create_user("hr_lead")
    locality = create_locality()
    team = create_team(locality, name="FS Team North")
    client = sign_in(hr_lead)

    response = client.post(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}"
        f"/teams/{team.id}/establishment",
        data={"template": "lancashire"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    page = page_of(response)
    assert "Added 11 posts to FS Team North." in page
    assert count_rows(Post, Post.team_id == team.id) == 11
    assert len(_rows(_team_section(page, team))) == 11
    assert _team_share(page, team) == "Adult specialists recruited: 0% 0 of 2"
    [event] = audit_events_for("team", team.id)[-1:]
    assert (event.action, event.after) == (
        "apply_establishment",
        {"template": "lancashire", "posts": 11},
    )


def test_an_unknown_establishment_template_adds_nothing(app, sign_in):
    locality = create_locality()
    team = create_team(locality, name="FS Team North")
    client = sign_in(create_user("hr_lead"))

    response = client.post(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}"
        f"/teams/{team.id}/establishment",
        data={"template": "nowhere"},
        follow_redirects=True,
    )

    assert "Choose an establishment template." in page_of(response)
    assert count_rows(Post, Post.team_id == team.id) == 0


# ------------------------------------------------------------------ roles and settings


def test_a_new_adult_specialist_role_and_its_post_change_the_share(app, sign_in):
    locality = create_locality()
    programme = locality.programme
    team = _team_with_posts(locality)
    _set(_only_post(team, "da_perpetrators"), status="in_post")
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/programmes/{programme.slug}/roles/new",
        data={
            "name": "Family drug worker",
            "adult_specialist": "y",
            "agency": "substance_misuse_provider",
            "other_names": "FDW\nDrugs worker",
        },
        follow_redirects=True,
    )

    assert "Saved the role Family drug worker." in page_of(response)
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.name == "Family drug worker")
    )
    assert (role.adult_specialist, role.names) == (True, ["FDW", "Drugs worker"])
    added = client.post(
        f"/programmes/{programme.slug}/localities/{locality.slug}/teams/{team.id}/posts/new",
        data={
            "role": str(role.id),
            "organisation": "",
            "fte": "1",
            "status": "appointed",
        },
        follow_redirects=True,
    )
    assert added.status_code == 200
    assert "Added a Family drug worker post to" in page_of(added)
    assert "66% 2 of 3" in _locality_share(page_of(added))


def test_changing_which_statuses_count_as_recruited_changes_the_share(app, sign_in):
    locality = create_locality()
    programme = locality.programme
    team = _team_with_posts(locality)
    _set(_only_post(team, "da_perpetrators"), status="in_post")
    _set(_only_post(team, "adult_mental_health"), status="offered")
    client = sign_in(create_user("programme_manager"))
    before = _locality_share(page_of(client.get(_recruitment_url(locality))))

    response = client.post(
        f"/programmes/{programme.slug}/recruitment/settings",
        data={"statuses": ["offered", "appointed", "in_post"]},
        follow_redirects=True,
    )

    assert "50% 1 of 2" in before
    assert response.request.path == _overview_url(programme)
    assert "Saved which statuses count as recruited." in page_of(response)
    assert reread(programme).recruited == ("offered", "appointed", "in_post")
    after = _locality_share(page_of(client.get(_recruitment_url(locality))))
    assert "100% 2 of 2" in after
    assert "Counted as recruited Offered, Appointed, In post" in after


def test_choosing_no_recruited_status_is_refused(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("programme_manager"))

    response = client.post(f"/programmes/{programme.slug}/recruitment/settings", data={})

    assert response.status_code == 400
    assert "Choose at least one status that counts as recruited." in _error_summary(
        page_of(response)
    )
    assert reread(programme).recruited_statuses is None


def test_an_hr_lead_may_not_add_roles_or_change_what_counts_as_recruited(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("hr_lead"))

    assert client.get(f"/programmes/{programme.slug}/roles/new").status_code == 403
    assert client.get(f"/programmes/{programme.slug}/recruitment/settings").status_code == 403


# ------------------------------------------------------------------ who may change what


def test_a_viewer_sees_no_edit_links_and_may_not_edit(app, sign_in):
    locality = create_locality()
    team = _team_with_posts(locality)
    post = _only_post(team, "adult_mental_health")
    client = sign_in(create_user("viewer"))

    locality_page = page_of(client.get(_recruitment_url(locality)))
    post_page = page_of(client.get(_post_url(post)))
    overview = page_of(client.get(_overview_url(locality.programme)))

    assert "Add a post" not in locality_page
    assert "/establishment" not in locality_page
    assert "/edit" not in post_page
    assert "Freeze post" not in post_page
    assert "Remove post" not in post_page
    assert "Import an HR spreadsheet" not in overview
    assert "/recruitment/settings" not in overview
    assert client.get(_post_url(post, "/edit")).status_code == 403
    assert client.post(_post_url(post, "/freeze"), data={"frozen": "yes"}).status_code == 403
    assert reread(post).frozen is False


def test_an_hr_lead_sees_the_edit_links(app, sign_in):
    locality = create_locality()
    team = _team_with_posts(locality)
    post = _only_post(team, "adult_mental_health")
    client = sign_in(create_user("hr_lead"))

    locality_page = page_of(client.get(_recruitment_url(locality)))
    post_page = page_of(client.get(_post_url(post)))

    assert "Add a post" in locality_page
    assert _post_url(post, "/edit") in post_page
    assert "Freeze post" in post_page


# ------------------------------------------------------------------ query counts


def _queries(count_queries, client, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_the_locality_page_runs_the_same_number_of_queries_however_many_teams_and_posts(
    app, sign_in, count_queries
):
    locality = create_locality()
    _team_with_posts(locality, "Team 1")
    client = sign_in(create_user("hr_lead"))
    client.get(_recruitment_url(locality))  # warm up: caches, the first connection
    one_team = _queries(count_queries, client, _recruitment_url(locality))

    for name in ("Team 2", "Team 3", "Team 4"):
        _team_with_posts(locality, name)
    four_teams = _queries(count_queries, client, _recruitment_url(locality))
    filtered = _queries(count_queries, client, _recruitment_url(locality, "?status=vacant"))

    assert count_rows(Post) == 44
    assert four_teams == one_team
    assert filtered == one_team


def test_the_programme_overview_runs_the_same_number_of_queries_however_many_localities(
    app, sign_in, count_queries
):
    programme = create_programme()
    first = create_locality(programme)
    _team_with_posts(first, "Team 1")
    client = sign_in(create_user("viewer"))
    client.get(_overview_url(programme))
    one_team = _queries(count_queries, client, _overview_url(programme))

    _team_with_posts(first, "Team 2")
    for _ in range(3):
        _team_with_posts(create_locality(programme), "Team 1")
    many = _queries(count_queries, client, _overview_url(programme))

    assert count_rows(Post) == 55
    assert many == one_team
