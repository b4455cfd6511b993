"""`export workbook` (CLI.md): the programme workbook written to a file, atomically."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from programme.cli.common import ISO_DATE, fail, run_service
from programme.clock import today
from programme.domain.formatting import count, file_size, long_date
from programme.services import programmes
from programme.services.exports import workbook


@click.group("export", help="Exports of a programme for people who read Excel.")
def export_group() -> None:
    pass


@export_group.command("workbook")
@click.option("--programme", "programme_slug", required=True, help="The programme's slug.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="The .xlsx file to write (replaced if it exists).",
)
@click.option("--as-of", "as_of", type=ISO_DATE, help="The figures as of this day (default today).")
@with_appcontext
def workbook_command(programme_slug: str, out: Path, as_of) -> None:
    """Write the programme workbook."""
    day = today()
    if as_of is not None and as_of > day:
        raise click.BadParameter(
            f"{long_date(as_of)} is in the future; a workbook is as of today or a day before.",
            param_hint="'--as-of'",
        )
    as_of = as_of or day
    programme = run_service(lambda: programmes.get_programme(programme_slug))
    handle, temporary = _temporary_beside(out)
    try:
        with os.fdopen(handle, "wb") as file:
            sheets = workbook.programme_sheets(programme, as_of)
            data = workbook.sheets_workbook(programme, sheets, as_of)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(out))
        os.replace(temporary, out)
    except OSError as error:
        _remove(temporary)
        fail(f"Cannot write {out}: {error.strerror or error}.")
    except BaseException:
        _remove(temporary)
        raise
    click.echo(
        f"Wrote the {programme.name} workbook as of {long_date(as_of)} to {out} "
        f"({file_size(len(data))})."
    )
    counts = workbook.row_counts(sheets)
    click.echo("; ".join(f"{name}: {count(rows, 'row')}" for name, rows in counts.items()) + ".")


def _temporary_beside(out: Path) -> tuple[int, str]:
    """A temporary file in the same directory, so the rename that finishes the write is atomic
    and a failure leaves no half-written workbook at `out`."""
    if out.is_dir():
        fail(f"Cannot write {out}: it is a directory.")
    try:
        return tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    except OSError as error:
        fail(f"Cannot write {out}: {error.strerror or error}.")
        raise  # unreachable: fail exits


def _mode_for(out: Path) -> int:
    """The replaced file's permissions, or what a new file gets under the umask: the temporary
    file is created private (0600) and the rename would otherwise carry that over."""
    with contextlib.suppress(FileNotFoundError):
        return stat.S_IMODE(out.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
