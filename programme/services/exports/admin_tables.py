"""The record-keeping pages' tables as downloads: the imports list, a locality's audit trail and
the admin outbox, in the columns the pages show."""

from __future__ import annotations

from collections.abc import Sequence

from programme.domain.export_tables import Column, Table
from programme.domain.imports import IMPORT_STATE_LABELS
from programme.domain.outbox import KIND_LABELS, STATUS_LABELS
from programme.models import ImportRecord, OutboxMessage
from programme.services.audit_trail import Entry
from programme.services.importers import IMPORTERS

IMPORT_COLUMNS = (
    Column("File"),
    Column("Import"),
    Column("Uploaded", "datetime"),
    Column("Uploaded by"),
    Column("State"),
    Column("Created", "integer"),
    Column("Updated", "integer"),
    Column("Unchanged", "integer"),
    Column("Rejected", "integer"),
    Column("Not data", "integer"),
)

AUDIT_COLUMNS = (
    Column("When", "datetime"),
    Column("Who"),
    Column("Kind"),
    Column("What", "wrap"),
    Column("Changes", "wrap"),
)

OUTBOX_COLUMNS = (
    Column("Queued", "datetime"),
    Column("Recipient"),
    Column("Kind"),
    Column("Digest week"),
    Column("Subject", "wrap"),
    Column("Status"),
    Column("Attempts", "integer"),
    Column("Last error", "wrap"),
)


def imports_table(records: Sequence[ImportRecord]) -> Table:
    """`imports.list_imports`: the files uploaded, newest first."""
    return Table(
        IMPORT_COLUMNS,
        [
            [
                record.original_name,
                IMPORTERS[record.kind].title,
                record.uploaded_at,
                record.uploaded_by.name if record.uploaded_by else None,
                IMPORT_STATE_LABELS[record.state],
                record.created,
                record.updated,
                record.unchanged,
                record.rejected,
                record.skipped_count,
            ]
            for record in records
        ],
        "No spreadsheets have been imported yet",
    )


def audit_table(entries: Sequence[Entry], *, with_locality: bool = False) -> Table:
    """`audit_trail.matching`: the changes, newest first, in the words the page uses; each
    field's change on a line of its own ("Status: Not started → Done"). The programme's trail
    adds the locality each change was made in."""
    columns = AUDIT_COLUMNS[:2] + (Column("Locality"),) + AUDIT_COLUMNS[2:]
    return Table(
        columns if with_locality else AUDIT_COLUMNS,
        [
            [
                entry.event.at,
                entry.who,
                *([entry.where] if with_locality else []),
                entry.kind,
                entry.event.summary,
                "\n".join(line.text for line in entry.changes) or None,
            ]
            for entry in entries
        ],
        "No changes recorded yet",
    )


def outbox_table(messages: Sequence[OutboxMessage]) -> Table:
    """`browse.matching`: every message the outbox's filters match (all its pages), newest
    first."""
    return Table(
        OUTBOX_COLUMNS,
        [
            [
                message.created_at,
                message.recipient,
                KIND_LABELS[message.kind],
                message.dedupe_key if message.kind == "digest" else None,
                message.subject,
                STATUS_LABELS[message.status],
                message.attempts,
                message.last_error,
            ]
            for message in messages
        ],
        "No messages",
    )
