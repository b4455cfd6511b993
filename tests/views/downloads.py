"""Fetching a table page's download and reading it back: shared by the download tests."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from openpyxl import load_workbook

from tests.conftest import TODAY
from tests.pages import page_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


@dataclass
class Download:
    """A downloaded table: its header row and data rows as the file holds them. For .xlsx,
    `cells` keeps the openpyxl cells (values typed, `data_type` for the formula checks)."""

    fmt: str
    body: bytes
    headers: list
    rows: list[list]
    cells: list | None = None

    def column(self, header: str) -> list:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


def download(client, url: str, fmt: str, stem: str) -> Download:
    """GET `url` with `download=fmt` added, check the response is an attachment named
    `stem-<today>.<fmt>` that is never cached, and read the file."""
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}download={fmt}")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{stem}-{TODAY.isoformat()}.{fmt}"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    if fmt == "csv":
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert body.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM, so Excel reads accents
        [headers, *rows] = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        return Download(fmt, body, headers, rows)
    assert response.headers["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    [header_cells, *cells] = [list(row) for row in sheet.iter_rows()]
    return Download(
        fmt,
        body,
        [cell.value for cell in header_cells],
        [[cell.value for cell in row] for row in cells],
        cells,
    )


def download_hrefs(response, paragraph_id: str) -> dict[str, str]:
    """The page's two download links in the paragraph `paragraph_id`, by format."""
    page = page_of(response)
    paragraph = page.split(f'id="{paragraph_id}"', 1)[1].split("</p>", 1)[0]
    links = re.findall(r'<a href="([^"]+)" download data-format="(\w+)"', paragraph)
    return {fmt: href.replace("&amp;", "&") for href, fmt in links}
