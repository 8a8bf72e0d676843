"""Read a raw export into a frame of text cells, whatever the format it came in.

Every cell stays a string (or missing), so that parsing is explicit and a value that
does not parse is reported as a failure instead of silently becoming missing. Each frame
carries `source_row`, the row number a data manager sees in the original file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SOURCE_ROW = "source_row"
CSV_DELIMITERS = ";,\t|"


class ExportReadError(ValueError):
    """The export cannot be read at all (format, encoding, layout)."""


@dataclass
class Export:
    """A raw export as text cells, plus what the reader learnt about the file."""

    path: Path
    frame: pd.DataFrame
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        return raw.decode(encoding), encoding
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        raise ExportReadError(
            f"{path}: not valid UTF-8 (byte {err.start}); the export was probably saved as "
            "Latin-1/Windows-1252. Save it as UTF-8, or set `encoding` for this source "
            "in the config."
        ) from err


def read_csv_text(
    path: Path, *, delimiter: str | None = None, encoding: str | None = None
) -> Export:
    raw = path.read_bytes()
    if not raw.strip():
        raise ExportReadError(f"{path}: the file is empty")
    text, used_encoding = _decode(raw, path, encoding)
    if delimiter is None:
        header = text.splitlines()[0]
        counts = {d: header.count(d) for d in CSV_DELIMITERS}
        delimiter = max(counts, key=counts.get)
        if counts[delimiter] == 0:
            raise ExportReadError(
                f"{path}: no column separator found in the header line "
                f"(tried {', '.join(repr(d) for d in CSV_DELIMITERS)})"
            )
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    body = [r for r in body if any(cell.strip() for cell in r)]
    width = len(header)
    for line_no, r in enumerate(body, start=2):
        if len(r) != width:
            raise ExportReadError(
                f"{path}, row {line_no}: {len(r)} cells where the header has {width} "
                f"(separator {delimiter!r})"
            )
    frame = pd.DataFrame(body, columns=[h.strip() for h in header], dtype="object")
    frame = _text_only(frame.map(lambda v: v.strip() if isinstance(v, str) else None))
    frame = frame.where(frame != "", None)
    frame.insert(0, SOURCE_ROW, range(2, len(frame) + 2))
    return Export(path, frame, encoding=used_encoding, delimiter=delimiter)


def _text_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells are strings or None, nothing else (pandas may turn None back into NaN)."""
    frame = frame.astype(object)
    return frame.where(frame.map(lambda v: isinstance(v, str)), None)


def _cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_excel_text(path: Path, *, sheet: str | int = 0) -> Export:
    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    except ValueError as err:
        raise ExportReadError(f"{path}: {err}") from err
    except Exception as err:  # zip/xml errors of a damaged workbook
        raise ExportReadError(f"{path}: cannot open the workbook ({err})") from err
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = _text_only(frame.map(_cell_text))
    frame = frame.dropna(how="all")
    frame.insert(0, SOURCE_ROW, frame.index + 2)
    return Export(path, frame.reset_index(drop=True))


def read_sav_text(path: Path) -> Export:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as err:
        raise ExportReadError(f"{path}: cannot read the SPSS file ({err})") from err
    labels = {
        col: {_cell_text(k): v for k, v in meta.variable_value_labels[col].items()}
        for col in meta.variable_value_labels
    }
    frame = _text_only(frame.map(_cell_text))
    frame.insert(0, SOURCE_ROW, range(1, len(frame) + 1))
    return Export(path, frame, value_labels=labels)


def read_export(path: str | Path, **options: object) -> Export:
    """Read an export by its file extension: .csv/.txt, .xlsx, .sav."""
    path = Path(path)
    if not path.exists():
        raise ExportReadError(f"{path}: the export is missing")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        return read_csv_text(path, **options)
    if suffix in {".xlsx", ".xlsm"}:
        return read_excel_text(path, **options)
    if suffix == ".sav":
        return read_sav_text(path)
    raise ExportReadError(f"{path}: unknown export format {suffix!r}")
