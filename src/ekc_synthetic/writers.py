"""Write exports in the formats the sources deliver, byte for byte reproducibly.

Excel workbooks and SPSS files carry creation times; both are fixed here so that a
regeneration gives identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

FIXED_TIME = dt.datetime(2008, 1, 1, 0, 0, 0)
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def write_dutch_csv(frame: pd.DataFrame, path: Path, *, float_decimals: int = 2) -> None:
    """Semicolon separated, decimal comma, UTF-8 with BOM: what Dutch Excel exports."""

    def cell(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, float):
            return f"{value:.{float_decimals}f}".replace(".", ",")
        if isinstance(value, (dt.date, pd.Timestamp)):
            return value.strftime("%d-%m-%Y")
        return str(value)

    lines = [";".join(frame.columns)]
    lines += [";".join(cell(v) for v in row) for row in frame.itertuples(index=False)]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def _normalise_zip(path: Path) -> None:
    """Give every member of an .xlsx the same timestamp and order (openpyxl stamps 'now')."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            if name == "docProps/core.xml":  # openpyxl sets 'modified' to now on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def write_excel(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if (not isinstance(v, str) and pd.isna(v)) else v for v in row])
        for i, column in enumerate(frame.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, len(column) + 2)
            for cell in sheet[get_column_letter(i)][1:]:
                if isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "DD-MM-YYYY"
    workbook.properties.creator = "ekc-pipeline generator"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(path)
    _normalise_zip(path)


def write_sav(
    frame: pd.DataFrame,
    path: Path,
    *,
    value_labels: dict[str, dict[int | float, str]] | None = None,
    variable_labels: dict[str, str] | None = None,
) -> None:
    """SPSS .sav with value labels; the header's creation date and time are fixed."""
    import pyreadstat

    labels = [(variable_labels or {}).get(c) for c in frame.columns]
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=labels,
        variable_value_labels=value_labels or {},
    )
    raw = bytearray(path.read_bytes())
    # Header layout (SPSS system file): creation date, 9 bytes at offset 92; time, 8 at 101.
    if raw[92:101] != b"01 Jan 08":
        raw[92:101] = b"01 Jan 08"
        raw[101:109] = b"00:00:00"
    path.write_bytes(bytes(raw))
