"""`people erase` and `people export`: an administrator's data-protection acts from the command
line, as on the Admin pages (docs/DATA-PROTECTION.md)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from programme.cli.common import fail, print_json, run_service
from programme.services import erasure, subject_access, users
from programme.services.channel import acting_through


def _admin(by_email: str):
    actor = run_service(lambda: users.require_user(by_email))
    if not (actor.active and actor.is_admin):
        fail(f"{by_email} is not an active administrator: only administrators may do this.")
    return actor


@click.group("people", help="Erasure and subject access (administrators).")
def people_group() -> None:
    pass


@people_group.command("erase")
@click.argument("email")
@click.option("--reason", required=True, help="Why (kept in the audit trail; no names).")
@click.option("--by", "by_email", required=True, help="The administrator erasing (audited).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def erase_command(email: str, reason: str, by_email: str, as_json: bool) -> None:
    """Erase everyone known by EMAIL: their name and address become "Erased person N"."""
    actor = _admin(by_email)
    with acting_through("cli"):
        erased = run_service(lambda: erasure.erase(email, reason, actor))
    if as_json:
        print_json(
            {
                "erased": erased.label,
                "users": erased.user_ids,
                "staff": erased.staff_ids,
                "rows_changed": erased.rows_changed,
                "import_files_deleted": erased.import_files,
                "board_packs_redacted": erased.board_packs,
            }
        )
        return
    click.echo(
        f"Erased: now {erased.label} in {erased.rows_changed} rows; "
        f"{erased.import_files} import files deleted, {erased.board_packs} board packs redacted."
    )


@people_group.command("export")
@click.argument("email")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "by_email", required=True, help="The administrator exporting (audited).")
@with_appcontext
def export_command(email: str, out: Path, by_email: str) -> None:
    """Write the subject access export of EMAIL to OUT (.json or .xlsx, by its suffix)."""
    actor = _admin(by_email)
    kind = "json" if out.suffix.lower() == ".json" else "xlsx"
    found = subject_access.collect(email)
    data = subject_access.as_json(found) if kind == "json" else subject_access.as_xlsx(found)
    try:
        out.write_bytes(data)
    except OSError as error:
        fail(f"Cannot write {out}: {error.strerror}.")
    with acting_through("cli"):
        subject_access.record_export(email, kind, actor, found)
    click.echo(f"Wrote {out}.")
