"""Readiness of every locality of every programme, and the daily snapshot, beside the floor: one
hand-written SQL aggregate per criterion giving the same numerators and denominators for every
locality at once (recruited adult specialist posts, staff trained in both courses, gate-critical
milestones done). The two are compared locality by locality and criterion by criterion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from scale_table import Row, Table, median_of, ratio, seconds
from sqlalchemy import select, text

from programme.extensions import db
from programme.models import Locality, Programme
from programme.services.readiness import snapshots
from programme.services.readiness.evaluation import readiness_of

SERVED = """
served as (
  select id as team_id, locality_id from team
  union select team_id, locality_id from team_served_locality
  union select t.id, other.id from team t
    join locality home on home.id = t.locality_id
    join locality other on other.programme_id = home.programme_id
    where t.serves_all
)"""

# A post's status on the day is its last dated step by then (vacant before its first), or its
# status when no step was ever recorded; recruited when started by the day.
RECRUITED = f"""
with {SERVED},
counted as (
  select p.team_id, p.start_date,
    case when exists (select 1 from post_status_change c where c.post_id = p.id)
      then coalesce((select c.status from post_status_change c
                     where c.post_id = p.id and c.changed_on <= :as_of
                     order by c.changed_on desc, c.id desc limit 1), 'vacant')
      else p.status end as status_then
  from post p join role r on r.id = p.role_id
  where r.adult_specialist and not p.frozen
)
select s.locality_id,
  sum(case when c.status_then in ('appointed', 'in_post')
            and (c.start_date is null or c.start_date <= :as_of) then 1 else 0 end),
  count(*)
from counted c join served s on s.team_id = c.team_id
group by s.locality_id"""

# Relevant: in post on the day, in a role one of the two courses is required for; trained: every
# required module of each course owed attended (present or late) by the day.
TRAINED = f"""
with {SERVED},
named as (select id from course where key in ('mi', 'fs_workshops')),
done as (
  select a.staff_id, ts.course_id
  from attendance a
    join training_session ts on ts.id = a.session_id
    join course_module m on m.id = ts.module_id
  where ts.course_id in (select id from named) and m.required
    and a.status in ('present', 'late') and ts."on" <= :as_of
  group by a.staff_id, ts.course_id
  having count(distinct m.number) = (
    select count(*) from course_module r where r.course_id = ts.course_id and r.required)
),
person as (
  select o.staff_id, min(case when d.staff_id is null then 0 else 1 end) as trained
  from (select sm.id as staff_id, cr.course_id from staff_member sm
          join course_role cr on cr.role_id = sm.role_id
        where cr.course_id in (select id from named)
          and (sm.start_date is null or sm.start_date <= :as_of)
          and (sm.leaving_date is null or sm.leaving_date > :as_of)) o
    left join done d on d.staff_id = o.staff_id and d.course_id = o.course_id
  group by o.staff_id
)
select s.locality_id, sum(p.trained), count(*)
from person p join staff_member sm on sm.id = p.staff_id join served s on s.team_id = sm.team_id
group by s.locality_id"""

MILESTONES = """
select locality_id,
  sum(case when status = 'done' and (completed_on is null or completed_on <= :as_of)
      then 1 else 0 end),
  count(*)
from milestone where gate_critical group by locality_id"""

CRITERIA = {
    "adult_specialists_recruited": RECRUITED,
    "trained_mi_and_fs": TRAINED,
    "gate_milestones_done": MILESTONES,
}

Numbers = dict[tuple[int, str], tuple[int, int]]  # (locality id, criterion key) -> share


def floor_numbers(as_of: date) -> Numbers:
    found: Numbers = {}
    for key, sql in CRITERIA.items():
        for locality_id, numerator, denominator in db.session.execute(text(sql), {"as_of": as_of}):
            found[locality_id, key] = (int(numerator), int(denominator))
    return found


def app_numbers(programmes: Sequence[Programme], as_of: date) -> Numbers:
    found: Numbers = {}
    for programme in programmes:
        _criteria, results, _facts = readiness_of(programme, list(programme.localities), as_of)
        for locality_id, readiness in results.items():
            for result in readiness.results:
                if result.key in CRITERIA:
                    found[locality_id, result.key] = (
                        result.share.numerator,
                        result.share.denominator,
                    )
    return found


def same(app: Numbers, floor: Numbers, locality_ids: list[int]) -> bool:
    """Every locality's share of every criterion the same (nothing to count is 0 of 0)."""
    keys = {key for _id, key in app}
    return all(
        app.get((lid, key), (0, 0)) == floor.get((lid, key), (0, 0))
        for lid in locality_ids
        for key in keys
    )


def measure(as_of: date, table: Table) -> None:
    programmes = db.session.scalars(select(Programme).order_by(Programme.slug)).all()
    locality_ids = db.session.scalars(select(Locality.id)).all()

    def evaluate() -> Numbers:
        db.session.expire_all()
        return app_numbers(programmes, as_of)

    floor_time, floor = median_of(lambda: floor_numbers(as_of))
    app_time, app = median_of(evaluate)
    agree = "yes" if same(app, floor, locality_ids) else "NO"
    count = f"{len(locality_ids)} localities"
    table.add(
        Row(
            f"readiness of all {count} (same numbers as SQL: {agree})",
            seconds(app_time),
            f"{seconds(floor_time)} (SQL aggregate)",
            ratio(app_time, floor_time),
        )
    )
    snapshot_time, run = median_of(lambda: snapshots.take_snapshots(as_of))
    table.add(
        Row(
            f"daily snapshot of {count}",
            seconds(snapshot_time),
            f"{seconds(floor_time)} (SQL aggregate)",
            ratio(snapshot_time, floor_time),
            "<= 10 s (900 localities)",
            snapshot_time <= 10,
        )
    )
