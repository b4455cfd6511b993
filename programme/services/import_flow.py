"""The flow every spreadsheet import follows: read the file, map its columns, preview every row,
then apply all rows or none. Each kind of import (recruitment, staff, attendance) is an
`Importer`; reading and storing the file and its record are in `imports.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from programme.clock import utc_now, zone
from programme.domain.formatting import count, long_date
from programme.domain.imports import (
    ImportField,
    ImportPlan,
    keep_stored_values,
    mapping_problems,
    missing_fields,
)
from programme.domain.programme_names import (
    Lookups,
)
from programme.domain.sheet_rows import set_aside, unused_columns
from programme.domain.spreadsheet import ReadLimits, SpreadsheetError, Table
from programme.domain.stored_rows import stored_rows, table_from
from programme.domain.value_mapping import ValueMappings
from programme.extensions import db
from programme.models import ImportRecord, Programme, User
from programme.services import value_mappings
from programme.services.column_mappings import mapping_for, remember_mapping
from programme.services.errors import Conflict, ServiceError
from programme.services.imports import (
    read_file,
    store_upload,
)
from programme.services.locks import lock
from programme.services.transaction import transactional


class ImportRejected(ServiceError):
    """Some rows were refused, so nothing was written. `plan` says which and why."""

    def __init__(self, plan: ImportPlan):
        rejected = plan.count("rejected")
        super().__init__(
            f"{count(rejected, 'row')} cannot be imported, so nothing was "
            "saved. Correct the file and try again."
        )
        self.plan = plan


class ColumnsMissing(ServiceError):
    def __init__(self, fields: Mapping[str, ImportField], missing: list[str], headers):
        labels = ", ".join(fields[name].label.lower() for name in missing)
        found = ", ".join(f"“{h}”" for h in headers if h) or "none"
        super().__init__(
            f"No column could be matched for the {labels}. The headers found were {found}: "
            "rename the column, or map it once in the web import (the mapping is remembered).",
            "file",
        )
        self.fields = missing


class PreviewChanged(Conflict):
    """Applying the file now would do something other than the preview the user confirmed."""


@dataclass
class Preview:
    """A dry run: what importing the file now would do to each row."""

    table: Table  # without the rows that are not data, which are in table.skipped
    mapping: dict[str, int]
    plan: ImportPlan | None  # None until every required column is mapped
    missing: list[str]
    unused: list[str]  # the file's columns that no field reads, as the preview names them


def programme_of(record: ImportRecord) -> Programme:
    return db.session.get(Programme, record.programme_id)


def _refuse_unless_previewed(record: ImportRecord) -> None:
    if record.state == "expired":
        raise Conflict(
            f"This preview expired on {long_date(record.expired_at, zone())} and its file was "
            "deleted, so it cannot be applied. Upload the file again."
        )
    if record.state != "previewed":
        raise Conflict(f"This import was already {record.state}; upload the file again.")


@dataclass(frozen=True)
class Importer:
    """One kind of spreadsheet import: the columns it reads, how it plans and writes rows.

    Its methods are the one way to run an import, from the web pages, the CLI and the demo alike:
    reach an importer through `importers.importer_for(kind)` or its kind module's constant.
    """

    kind: str  # stored on the import record: recruitment, staff, attendance
    title: str  # what "Import …" is followed by: "an HR recruitment spreadsheet"
    fields: Mapping[str, ImportField]
    # (programme, table, mapping, today, value mappings) -> the plan for every row, reading what
    # the programme holds; `today` comes from the caller, so a plan can be made as of any day.
    plan: Callable[[Programme, Table, dict[str, int], date, ValueMappings], ImportPlan]
    # (programme, plan, record, actor, today) -> writes the plan's rows; audits them.
    write: Callable[[Programme, ImportPlan, ImportRecord, User | None, date], None]
    # Takes back an applied import; None when this kind cannot be undone.
    undo: Callable[[ImportRecord, User | None], int] | None = None
    # The programme's names for what a file's cells may name; None when no value can be mapped.
    # (programme, value mappings) -> Lookups.
    lookups: Callable[..., Lookups] | None = None
    # The values of a plan's rows that a blank cell leaves alone in a record the row updates,
    # unless the user chooses, for one import, that blank cells clear them.
    blank_cells: tuple[str, ...] = ()
    # What `undo` would do now, or why it would refuse, for the user to confirm first.
    describe_undo: Callable[[ImportRecord], Any] | None = None

    def preview_file(
        self, programme: Programme, data: bytes, filename: str, limits: ReadLimits, *, today: date
    ) -> Preview:
        """Read a file and plan its import without writing anything."""
        table = read_file(data, filename, self.fields, limits)
        mapping = mapping_for(programme, self.kind, self.fields, table.headers)
        return self._preview(programme, table, mapping, today, {})

    @transactional
    def upload(
        self,
        programme: Programme,
        data: bytes,
        filename: str,
        actor: User | None,
        limits: ReadLimits,
        *,
        today: date,
    ) -> tuple[ImportRecord, Preview]:
        """Keep an uploaded file (under a generated name) with its preview; nothing else changes."""
        table = read_file(data, filename, self.fields, limits)
        parsed = stored_rows(table)  # before planning, which sets rows aside and consumes them
        mapping = mapping_for(programme, self.kind, self.fields, table.headers)
        preview = self._preview(programme, table, mapping, today, {})
        record = store_upload(
            programme, self.kind, data, filename, actor, preview.table, preview.mapping
        )
        record.parsed_rows = parsed
        self._note_outcome(record, preview)
        return record, preview

    def preview_record(self, record: ImportRecord, limits: ReadLimits, *, today: date) -> Preview:
        """Plan the stored rows again, against the programme as it is now. The rows are those
        read at upload: the file is parsed again only for an import uploaded before they were
        kept (planning is linear in rows and posts; reading a large file is not cheap)."""
        if record.parsed_rows is not None:
            table = table_from(
                record.parsed_rows, record.headers, record.header_row, record.sheet_name
            )
        else:
            table = read_file(record.content, record.stored_name, self.fields, limits)
        return self._preview(
            programme_of(record),
            table,
            dict(record.mapping),
            today,
            record.value_mappings or {},
            blank_cells_clear=record.blank_cells_clear,
        )

    @transactional
    def set_mapping(self, record: ImportRecord, choices: Mapping[str, int | None]) -> None:
        """Use the user's column choices for this import and remember them for files like it."""
        _refuse_unless_previewed(record)
        mapping = {name: index for name, index in choices.items() if index is not None}
        problems = mapping_problems(self.fields, mapping, record.headers)
        if problems:
            raise ServiceError(" ".join(problems), "mapping")
        record.mapping = mapping
        remember_mapping(
            programme_of(record), self.kind, self.fields, record.headers, dict(choices)
        )

    @transactional
    def set_blank_cells(self, record: ImportRecord, clear: bool) -> None:
        """Whether blank cells clear stored values (True) or leave them alone, for this import."""
        _refuse_unless_previewed(record)
        record.blank_cells_clear = bool(clear and self.blank_cells)

    @transactional
    def apply_import(
        self,
        record: ImportRecord,
        actor: User | None,
        *,
        today: date,
        limits: ReadLimits,
        confirmed: str | None = None,
    ) -> ImportPlan:
        """Apply every row of a previewed import, or none if any row is refused.

        `confirmed` is the fingerprint of the preview the user saw; if the programme has changed
        since so that the rows would now do something else, nothing is written.
        """
        _refuse_unless_previewed(record)
        programme = programme_of(record)
        lock(programme)
        preview = self.preview_record(record, limits, today=today)
        if preview.plan is None:
            raise ColumnsMissing(self.fields, preview.missing, record.headers)
        if preview.plan.count("rejected"):
            raise ImportRejected(preview.plan)
        if confirmed is not None and confirmed != preview.plan.fingerprint():
            raise PreviewChanged(
                "The programme (or a choice made for this import) changed after this preview "
                "was made, so the rows would now do something else. Nothing was saved: check "
                "the new preview below and save again."
            )
        self._apply(programme, record, preview, actor, today)
        return preview.plan

    @transactional
    def import_file(
        self,
        programme: Programme,
        data: bytes,
        filename: str,
        actor: User | None,
        *,
        today: date,
        limits: ReadLimits,
        dry_run: bool = False,
        map_options: Sequence[str] = (),
    ) -> ImportPlan:
        """The command-line import: the same preview and the same all-or-nothing apply.

        The programme is locked before the rows are planned, so no other import or undo can
        change what they were planned against before they are written (the web import gets the
        same by planning again under the lock). A dry run writes nothing, so like a web preview
        it takes no lock. `map_options` (`COLUMN=VALUE:KNOWN`) map values for this run only.
        """
        table = read_file(data, filename, self.fields, limits)
        if not dry_run:
            lock(programme)
        mapping = mapping_for(programme, self.kind, self.fields, table.headers)
        mappings = self._mappings_from(programme, table, mapping, map_options)
        preview = self._preview(programme, table, mapping, today, mappings)
        if preview.plan is None:
            raise ColumnsMissing(self.fields, preview.missing, list(table.headers))
        if dry_run or preview.plan.count("rejected"):
            return preview.plan
        record = store_upload(
            programme, self.kind, data, filename, actor, preview.table, preview.mapping
        )
        self._apply(programme, record, preview, actor, today)
        return preview.plan

    def _preview(
        self,
        programme: Programme,
        table: Table,
        mapping,
        today: date,
        mappings: ValueMappings,
        *,
        blank_cells_clear=False,
    ) -> Preview:
        required = [name for name, spec in self.fields.items() if spec.required]
        table = set_aside(table, mapping, required)
        unused = unused_columns(table.headers, mapping, table.rows)
        missing = missing_fields(self.fields, mapping)
        try:
            plan = None if missing else self.plan(programme, table, mapping, today, mappings)
        except SpreadsheetError as error:  # a column the plan cannot use (a mis-mapped one)
            raise ServiceError(error.message, "file") from None
        if plan is not None:
            plan.skipped = table.skipped
            plan.blank_cells_clear = blank_cells_clear
            if not blank_cells_clear:
                keep_stored_values(plan, self.blank_cells)
        return Preview(table, mapping, plan, missing, unused)

    def _mappings_from(
        self, programme: Programme, table: Table, mapping, options: Sequence[str]
    ) -> dict[str, dict[str, str]]:
        if not options:
            return {}
        if self.lookups is None:
            raise value_mappings.MapOptionError(
                f"An import of {self.title} has no values to map; leave out --map.", "map"
            )
        return value_mappings.from_options(
            self.lookups(programme), self.fields, table.headers, mapping, options
        )

    def lookups_of(self, record: ImportRecord) -> Lookups | None:
        """The programme's names as this import's preview uses them (for the mapping form)."""
        if self.lookups is None:
            return None
        return self.lookups(programme_of(record), record.value_mappings or {})

    def _note_outcome(self, record: ImportRecord, preview: Preview) -> None:
        record.skipped = [row.as_dict() for row in preview.table.skipped]
        if preview.plan is None:
            record.errors = [
                {
                    "row": record.header_row,
                    "column": self.fields[name].label,
                    "message": "No column chosen.",
                }
                for name in preview.missing
            ]
            return
        counts = preview.plan.counts
        record.created, record.updated = counts["created"], counts["updated"]
        record.unchanged, record.rejected = counts["unchanged"], counts["rejected"]
        record.errors = [error.as_dict() for error in preview.plan.errors]

    def _apply(self, programme, record, preview: Preview, actor, today: date) -> None:
        record.state, record.applied_by, record.applied_at = "applied", actor, utc_now()
        self._note_outcome(record, preview)
        db.session.flush()  # the rows written name the record
        self.write(programme, preview.plan, record, actor, today)
        value_mappings.remember(programme, record.value_mappings or {}, actor)
