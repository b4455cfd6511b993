"""What every command shares: turning service errors into stderr and exit status 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import click

from programme import serialisers
from programme.domain.imports import IMPORT_ACTIONS
from programme.services.errors import ServiceError
from programme.services.organisations import type_label

T = TypeVar("T")


def fail(message: str) -> None:
    """Print one readable sentence to stderr and exit 1 (refused or failed)."""
    click.echo(message, err=True)
    sys.exit(1)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a ServiceError raised inside the block into a message on stderr and exit 1."""
    try:
        yield
    except ServiceError as error:
        fail(error.message)


def run_service(call: Callable[[], T]) -> T:
    with refusals():
        return call()


def print_json(document: Any) -> None:
    click.echo(json.dumps(document, indent=2, default=str))


class IsoDate(click.ParamType):
    """A YYYY-MM-DD date; anything else is a usage error (exit 2)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD.", param, ctx)


ISO_DATE = IsoDate()


def _organisation(new: dict) -> str:
    """ "Change Grow Live (Substance misuse provider)"; a name that is its type's label alone."""
    label = type_label(new["type"])
    return new["name"] if new["name"] == label else f"{new['name']} ({label})"


def report_import(
    counts: dict[str, int],
    errors: list[dict],
    as_json: bool,
    organisations_added: list[dict] | None = None,
    warnings: Sequence[str] = (),
    *,
    dry_run: bool = False,
) -> None:
    """Every import's report: errors and warnings one sentence each on stderr, the partner
    organisations new to the programme (recruitment only), then the counts line. Warnings (rows
    imported, with something to point out) are left out of the JSON, whose shape CLI.md fixes.

    Exits 1 when anything was rejected, since then nothing was written.
    """
    if as_json:
        print_json(serialisers.import_report(counts, errors, organisations_added))
    else:
        for warning in warnings:
            click.echo(f"Warning: {warning}", err=True)
        if organisations_added:
            written = not (dry_run or counts["rejected"] or errors)
            click.echo(
                (
                    "New partner organisations: "
                    if written
                    else "New partner organisations, once imported (none added now): "
                )
                + "; ".join(_organisation(new) for new in organisations_added)
            )
        for error in errors:
            where = ", ".join(
                part
                for part in (
                    f"Row {error['row']}" if error.get("row") else "",
                    error.get("column") or "",
                )
                if part
            )
            click.echo(f"{where}: {error['message']}" if where else error["message"], err=True)
        click.echo(", ".join(f"{action} {counts[action]}" for action in IMPORT_ACTIONS))
    if counts["rejected"] or errors:
        sys.exit(1)
