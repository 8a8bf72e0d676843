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


# Files that are not text at all, by their first bytes: what the data manager should do.
BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx), not a text file: give it the extension .xlsx",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls), not a text file: save it as .xlsx",
    b"$FL2": "an SPSS data file, not a text file: give it the extension .sav",
    b"$FL3": "an SPSS data file, not a text file: give it the extension .sav",
}


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    for signature, what in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise ExportReadError(f"{path}: the file is {what}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and not encoding:
        # Excel's 'Unicode text': UTF-16 with its byte order mark, unambiguous.
        return raw.decode("utf-16"), "utf-16"
    if encoding:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as err:
            raise ExportReadError(
                f"{path}, row {_line_of(raw, err.start)}: not valid {encoding} "
                f"(byte {err.start}); check the `encoding` set for this source in the config"
            ) from err
        # A BOM is never part of the first column's name, whatever encoding is configured.
        return text.removeprefix("\ufeff"), encoding
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        raise ExportReadError(
            f"{path}, row {_line_of(raw, err.start)}: not valid UTF-8 (byte {err.start}, "
            f"{raw[err.start : err.start + 1]!r}); the export was probably saved as "
            "Latin-1/Windows-1252. Save it as UTF-8, or set `encoding` for this source "
            "in the config."
        ) from err


def _cells(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter), []))


def _title_rows(lines: list[str]) -> tuple[int, str] | None:
    """(row, separator) of the header when rows above it are a title: from that row on the
    file has a fixed number of cells, the first row has fewer."""
    for first in range(1, min(5, len(lines) - 2)):
        for sep in CSV_DELIMITERS:
            widths = {_cells(line, sep) for line in lines[first:]}
            if len(widths) == 1 and widths != {1} and _cells(lines[0], sep) < min(widths):
                return first + 1, sep
    return None


def _sniff(path: Path, text: str, delimiter: str | None) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    header = lines[0]
    if delimiter is not None:
        if delimiter not in header:
            found = [d for d in CSV_DELIMITERS if d in header]
            hint = f"; the header is separated by {found[0]!r}" if found else ""
            raise ExportReadError(
                f"{path}, row 1: the separator {delimiter!r} set in the config does not occur "
                f"in the header{hint}. Fix `delimiter` for this source or export the file again."
            )
        return delimiter
    counts = {d: header.count(d) for d in CSV_DELIMITERS}
    chosen = max(counts, key=counts.get)
    width = _cells(header, chosen)
    if counts[chosen] and all(_cells(line, chosen) == width for line in lines):
        return chosen
    title = _title_rows(lines)
    if title is not None:
        row, sep = title
        raise ExportReadError(
            f"{path}: the header seems to be in row {row}, not row 1 (separator {sep!r}): "
            "row 1 has fewer cells than the rows below it. Remove the title row(s) above "
            "the header."
        )
    if counts[chosen] == 0:
        raise ExportReadError(
            f"{path}: no column separator found in the header line "
            f"(tried {', '.join(repr(d) for d in CSV_DELIMITERS)})"
        )
    return chosen


def read_csv_text(
    path: Path, *, delimiter: str | None = None, encoding: str | None = None
) -> Export:
    raw = path.read_bytes()
    if not raw.strip():
        raise ExportReadError(f"{path}: the file is empty")
    text, used_encoding = _decode(raw, path, encoding)
    delimiter = _sniff(path, text, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    names = [h.strip() for h in header]
    # Trailing separators from a spreadsheet give nameless columns; only empty ones may go.
    keep = list(range(len(names)))
    body, lines = [], []
    for r in reader:
        if any(cell.strip() for cell in r):
            body.append(r)
            lines.append(reader.line_num)
    while (
        keep
        and not names[keep[-1]]
        and all(len(r) <= keep[-1] or not r[keep[-1]].strip() for r in body)
    ):
        keep.pop()
    width = len(header)
    truncated = not text.endswith(("\n", "\r"))
    for line_no, r in zip(lines, body, strict=True):
        if len(r) != width:
            hint = (
                "; the last row is incomplete: the file seems truncated, export it again"
                if truncated and r is body[-1] and len(r) < width
                else ""
            )
            raise ExportReadError(
                f"{path}, row {line_no}: {len(r)} cells where the header has {width} "
                f"(separator {delimiter!r}){hint}"
            )
    # An empty header cell is named as pandas names it in a workbook (0-based position).
    names = [names[i] or f"Unnamed: {i}" for i in keep]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ExportReadError(
            f"{path}, row 1: column name(s) {', '.join(map(repr, repeated))} occur more than "
            "once in the header; every column needs its own name"
        )
    body = [[r[i] for i in keep] for r in body]
    frame = pd.DataFrame(body, columns=names, dtype="object")
    frame = _text_only(frame.map(lambda v: v.strip() if isinstance(v, str) else None))
    frame = frame.where(frame != "", None)
    # The row a data manager sees: the file's line number, blank lines included.
    frame.insert(0, SOURCE_ROW, pd.Series(lines, dtype="int64"))
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
        workbook = pd.ExcelFile(path, engine="calamine")
    except Exception as err:  # zip/xml errors of a damaged workbook
        raise ExportReadError(
            f"{path}: cannot open the workbook ({err}); the file is damaged or incomplete "
            "(truncated?): export it again"
        ) from err
    with workbook:
        if isinstance(sheet, str) and sheet not in workbook.sheet_names:
            raise ExportReadError(
                f"{path}: the workbook has no sheet {sheet!r}; its sheets are "
                f"{', '.join(map(repr, workbook.sheet_names))}. Rename the sheet or set "
                "`sheet` for this source in the config."
            )
        try:
            frame = pd.read_excel(workbook, sheet_name=sheet, dtype=object)
        except ValueError as err:
            raise ExportReadError(f"{path}: {err}") from err
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
        hint = (
            "; the file holds fewer rows than its header announces: it was truncated, "
            "export it again"
            if "expected number of rows" in str(err)
            else "; the file is damaged or incomplete: export it again"
        )
        raise ExportReadError(f"{path}: cannot read the SPSS file ({err}){hint}") from err
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
    if path.stat().st_size == 0:
        raise ExportReadError(f"{path}: the file is empty (0 bytes); export it again")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ExportReadError(f"{path}: old Excel format '.xls'; save the workbook as .xlsx")
    if suffix in {".csv", ".txt"}:
        return read_csv_text(path, **options)
    if suffix in {".xlsx", ".xlsm"}:
        return read_excel_text(path, **options)
    if suffix == ".sav":
        return read_sav_text(path)
    raise ExportReadError(f"{path}: unknown export format {suffix!r}")
