"""What every command shares: turning service errors into stderr and exit status 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import click

from programme.services.errors import ServiceError

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
