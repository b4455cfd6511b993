"""Exports: the programme workbook and its sheets, board packs, and each table page's
.xlsx and .csv. The writing itself is plain (`domain/xlsx_export.py`, `domain/csv_export.py`);
these modules turn the programme's records into `Table`s."""
