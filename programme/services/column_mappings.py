"""Column mappings remembered per programme and import kind, for files with the same headers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select

from programme.domain.imports import (
    ImportField,
    choices_to_remember,
    header_signature,
    resolve_mapping,
)
from programme.extensions import db
from programme.models import ColumnMapping, Programme


def remembered_mapping(
    programme: Programme, kind: str, headers: Sequence[str]
) -> dict[str, int | None]:
    row = db.session.scalar(
        select(ColumnMapping).where(
            ColumnMapping.programme_id == programme.id,
            ColumnMapping.kind == kind,
            ColumnMapping.signature == header_signature(headers),
        )
    )
    return dict(row.mapping) if row else {}


def mapping_for(
    programme: Programme, kind: str, fields: Mapping[str, ImportField], headers: Sequence[str]
) -> dict[str, int]:
    """Columns matched by their names, then as the user mapped them for a file like this one."""
    return resolve_mapping(fields, headers, remembered_mapping(programme, kind, headers))


def remember_mapping(
    programme: Programme,
    kind: str,
    fields: Mapping[str, ImportField],
    headers: Sequence[str],
    mapping: Mapping[str, int | None],
) -> None:
    """Keep the user's choices (field -> column, None for "not in this file") for the next file:
    those that differ from the columns matched by name (`choices_to_remember`)."""
    choices = choices_to_remember(fields, headers, mapping)
    signature = header_signature(headers)
    row = db.session.scalar(
        select(ColumnMapping).where(
            ColumnMapping.programme_id == programme.id,
            ColumnMapping.kind == kind,
            ColumnMapping.signature == signature,
        )
    )
    if row is None:
        db.session.add(
            ColumnMapping(
                programme_id=programme.id, kind=kind, signature=signature, mapping=choices
            )
        )
    else:
        row.mapping = choices
