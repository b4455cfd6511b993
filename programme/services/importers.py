"""Every kind of spreadsheet import, by the kind stored on its import record."""

from programme.services import attendance_import, recruitment_import, spend_import, staff_import
from programme.services.errors import NotFound
from programme.services.import_flow import Importer
from programme.services.indicator_import import INDICATORS

IMPORTERS: dict[str, Importer] = {
    importer.kind: importer
    for importer in (
        recruitment_import.RECRUITMENT,
        staff_import.STAFF,
        attendance_import.ATTENDANCE,
        spend_import.SPEND,
        INDICATORS,
    )
}


def importer_for(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise NotFound(f"There is no {kind!r} import.") from None
