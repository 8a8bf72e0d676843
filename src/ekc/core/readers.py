"""Read a raw export into a frame of text cells, whatever the format it came in.

Every cell stays a string (or missing), so that parsing is explicit and a value that
does not parse is reported as a failure instead of silently becoming missing. Each frame
carries `source_row`, the row number a data manager sees in the original file. Text is read
in Unicode NFC, whatever form the tool wrote. What a reader sees but cannot turn into a cell
value (a workbook formula without a calculated value, an error value, a cell inside a merged
range) is kept as a `CellProblem`, which validation reports as a failure of its row.
Every problem with the file itself is an `ExportReadError` that names the file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ekc.core.text import nfc

SOURCE_ROW = "source_row"
CSV_DELIMITERS = ";,\t|"
# Larger exports are refused before they are read (config: `max_megabytes` of a source).
MAX_MEGABYTES = 2048


class ExportReadError(ValueError):
    """The export cannot be read at all (format, encoding, layout)."""


@dataclass(frozen=True)
class CellProblem:
    """A cell the reader saw but could not read as a value: its sheet row, column, rule and
    what the data manager should do (never the cell's content)."""

    row: int
    column: str
    rule: str
    message: str


@dataclass
class Export:
    """A raw export as text cells, plus what the reader learnt about the file."""

    path: Path
    frame: pd.DataFrame
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    cell_problems: list[CellProblem] = field(default_factory=list)


# What a file is, by its first bytes (its magic number), whatever its extension says.
FORMATS = {
    "xlsx": "an Excel workbook (.xlsx)",
    "ods": "an OpenDocument spreadsheet (.ods)",
    "zip": "a zip archive",
    "xls": "an old Excel workbook (.xls)",
    "sav": "an SPSS data file (.sav)",
    "zsav": "a compressed SPSS data file (.zsav)",
    "pdf": "a PDF document",
    "gzip": "a gzip archive",
    "text": "a text file",
}
# What to do when the extension says one thing and the bytes another.
ADVICE = {
    "xlsx": "give it the extension .xlsx",
    "ods": "open it and save it as an Excel workbook (.xlsx)",
    "zip": "unpack it and use the export inside",
    "xls": "open it in Excel and save it as .xlsx",
    "sav": "give it the extension .sav",
    "zsav": "save it from SPSS as an uncompressed .sav file",
    "pdf": "export the data, not a printed report",
    "gzip": "unpack it and use the export inside",
    "text": "give it the extension .csv",
}
EXTENSION_FORMATS = {
    ".csv": "text",
    ".txt": "text",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
}


def file_format(path: Path) -> str:
    """The format the file's first bytes show: a key of FORMATS."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            return "xlsx"  # a damaged workbook: the reader says so
        return "zip"
    signatures = {
        b"\xd0\xcf\x11\xe0": "xls",
        b"$FL2": "sav",
        b"$FL3": "zsav",
        b"%PDF": "pdf",
        b"\x1f\x8b": "gzip",
    }
    for signature, kind in signatures.items():
        if head.startswith(signature):
            return kind
    return "text"


def _check_format(path: Path) -> None:
    expected = EXTENSION_FORMATS[path.suffix.lower()]
    found = file_format(path)
    if found != expected:
        raise ExportReadError(
            f"{path}: the file is {FORMATS[found]}, not {FORMATS[expected]} as its name says: "
            f"{ADVICE[found]}"
        )


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
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


def _holds_rows(cell: str, delimiter: str, width: int) -> bool:
    """A cell with a line of a whole row in it: a quotation mark opened and never closed."""
    lines = cell.splitlines()[1:]
    return width > 1 and any(line.count(delimiter) >= width - 1 for line in lines)


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
    # A cell may be as long as the file (the csv module stops at 131,072 characters).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = _sniff(path, text, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    header_end = reader.line_num
    names = [nfc(h.strip()) for h in header]
    # Trailing separators from a spreadsheet give nameless columns; only empty ones may go.
    keep = list(range(len(names)))
    body, lines = [], []
    try:
        for r in reader:
            if any(cell.strip() for cell in r):
                body.append(r)
                lines.append(reader.line_num)
    except csv.Error as err:
        raise ExportReadError(
            f"{path}, row {reader.line_num + 1}: the CSV cannot be read ({err}); export it again"
        ) from err
    while (
        keep
        and not names[keep[-1]]
        and all(len(r) <= keep[-1] or not r[keep[-1]].strip() for r in body)
    ):
        keep.pop()
    width = len(header)
    truncated = not text.endswith(("\n", "\r"))
    starts = [1 + n for n in [header_end, *lines[:-1]]][: len(lines)]
    for line_no, first, r in zip(lines, starts, body, strict=True):
        swallowed = any(_holds_rows(cell, delimiter, width) for cell in r)
        if len(r) != width or swallowed:
            hint = (
                "; the last row is incomplete: the file seems truncated, export it again"
                if truncated and r is body[-1] and len(r) < width
                else ""
            )
            problem = f"{len(r)} cells where the header has {width} (separator {delimiter!r})"
            if swallowed:
                # A quote opened in a cell swallows the lines up to the next quote; the cell
                # count of that row may even be right, so only the quote is named.
                line_no, problem = (
                    first,
                    (
                        f'a quotation mark (") opened in this row is not closed, so the rows after '
                        f"it were read as one cell (separator {delimiter!r})"
                    ),
                )
                hint = ": close or remove the quotation mark"
            raise ExportReadError(f"{path}, row {line_no}: {problem}{hint}")
    # An empty header cell is named as pandas names it in a workbook (0-based position).
    names = [names[i] or f"Unnamed: {i}" for i in keep]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ExportReadError(
            f"{path}, row 1: {_repeated_names(names, repeated)} occur more than once in the "
            "header; every column needs its own name"
        )
    body = [[r[i] for i in keep] for r in body]
    frame = pd.DataFrame(body, columns=names, dtype="object")
    frame = _text_only(frame.map(lambda v: nfc(v.strip()) if isinstance(v, str) else None))
    frame = frame.where(frame != "", None)
    # The row a data manager sees: the file's line number, blank lines included.
    frame.insert(0, SOURCE_ROW, pd.Series(lines, dtype="int64"))
    return Export(path, frame, encoding=used_encoding, delimiter=delimiter)


# A header cell that looks like data (a date, a long number, an e-mail address): the header
# row may be missing, so the cell is named by its position, never quoted.
_DATA_LIKE = re.compile(r"\d{4}|\d[-/.]\d|@")


def _column_letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def _repeated_names(names: list[str], repeated: list[str]) -> str:
    shown = []
    for name in repeated:
        if _DATA_LIKE.search(name):
            where = [_column_letter(i) for i, n in enumerate(names) if n == name]
            shown.append(f"the names of columns {' and '.join(where)}")
        else:
            shown.append(f"column name {name!r}")
    return ", ".join(shown)


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
    text = nfc(str(value).strip())
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
        name = sheet if isinstance(sheet, str) else workbook.sheet_names[sheet]
        try:
            frame = pd.read_excel(workbook, sheet_name=name, dtype=object)
            merged = workbook.book.get_sheet_by_name(name).merged_cell_ranges
        except ValueError as err:
            raise ExportReadError(f"{path}: {err}") from err
    frame.columns = [nfc(str(c).strip()) for c in frame.columns]
    # The frame starts at cell A1 with the header: sheet row r is frame row r - 2.
    problems = workbook_problems(path, name, list(frame.columns), merged or [])
    frame = _text_only(frame.map(_cell_text))
    with_problem = frame.index.isin([p.row - 2 for p in problems if p.rule != "excel_merged"])
    frame = frame[frame.notna().any(axis=1) | with_problem]
    frame.insert(0, SOURCE_ROW, frame.index + 2)
    rows = set(frame[SOURCE_ROW])
    problems = [p for p in problems if p.row in rows]
    return Export(path, frame.reset_index(drop=True), sheet=name, cell_problems=problems)


# In the sheet's XML: a formula (<f>) or a cell of type error (t="e"), with any namespace prefix.
_FORMULA_OR_ERROR = re.compile(rb"<(?:\w+:)?f[ >/]|\bt=\"e\"")


def _sheet_has_formulas_or_errors(path: Path) -> bool:
    """A quick look at the raw sheet XML so that the slow cell-by-cell read below runs only
    for workbooks that have formulas or error values at all."""
    with zipfile.ZipFile(path) as archive:
        for entry in archive.namelist():
            if entry.startswith("xl/worksheets/") and entry.endswith(".xml"):
                with archive.open(entry) as handle:
                    tail = b""
                    for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                        if _FORMULA_OR_ERROR.search(tail + block):
                            return True
                        tail = block[-16:]
    return False


def workbook_problems(
    path: Path, sheet: str, columns: list[str], merged: list[tuple]
) -> list[CellProblem]:
    """Formulas without a calculated value, error values and cells inside merged ranges of
    one sheet (header in row 1), in sheet order."""
    from openpyxl.utils import get_column_letter

    def column(col: int) -> str:  # 1-based
        return columns[col - 1] if col - 1 < len(columns) else get_column_letter(col)

    found: dict[tuple[int, int], CellProblem] = {}
    for (top, left), (bottom, right) in merged:
        anchor = f"{get_column_letter(left + 1)}{top + 1}"
        span = f"{anchor}:{get_column_letter(right + 1)}{bottom + 1}"
        for r in range(max(top, 1), bottom + 1):
            for c in range(left, right + 1):
                if (r, c) == (top, left):
                    continue
                cell = f"{get_column_letter(c + 1)}{r + 1}"
                found[(r + 1, c + 1)] = CellProblem(
                    r + 1,
                    column(c + 1),
                    "excel_merged",
                    f"sheet {sheet!r}, cell {cell} is inside the merged range {span}, so it "
                    f"reads as empty (the value stands only in {anchor}): unmerge the cells and "
                    "fill in every row",
                )
    if _sheet_has_formulas_or_errors(path):
        found.update(_formula_and_error_cells(path, sheet, column))
    return [found[k] for k in sorted(found)]


def _formula_and_error_cells(path: Path, sheet: str, column) -> dict:
    from openpyxl import load_workbook

    found = {}
    values = load_workbook(path, read_only=True, data_only=True)
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        value_rows = values[sheet].iter_rows(min_row=2)
        for value_row, formula_row in zip(
            value_rows, formulas[sheet].iter_rows(min_row=2), strict=False
        ):
            for value, formula in zip(value_row, formula_row, strict=False):
                if getattr(value, "row", None) is None:
                    continue  # an empty cell
                where = f"sheet {sheet!r}, cell {value.coordinate}"
                if value.data_type == "e":
                    found[(value.row, value.column)] = CellProblem(
                        value.row,
                        column(value.column),
                        "excel_error",
                        f"{where} holds the error value {value.value} instead of a value: "
                        "correct the cell (or the formula behind it) and save the workbook again",
                    )
                elif formula.data_type == "f" and value.value is None:
                    found[(value.row, value.column)] = CellProblem(
                        value.row,
                        column(value.column),
                        "excel_formula",
                        f"{where} holds a formula without a calculated value (the workbook was "
                        "made by a program, or never recalculated): open it in Excel or "
                        "LibreOffice, recalculate and save it, or paste the values",
                    )
    finally:
        values.close()
        formulas.close()
    return found


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
        nfc(col): {_cell_text(k): nfc(v) for k, v in meta.variable_value_labels[col].items()}
        for col in meta.variable_value_labels
    }
    frame.columns = [nfc(c) for c in frame.columns]
    frame = _text_only(frame.map(_cell_text))
    frame.insert(0, SOURCE_ROW, range(1, len(frame) + 1))
    return Export(path, frame, value_labels=labels)


def read_export(
    path: str | Path, *, max_megabytes: float = MAX_MEGABYTES, **options: object
) -> Export:
    """Read an export by its file extension (.csv/.txt, .xlsx, .sav), after checking that
    its bytes are what the extension says. Every problem is an ExportReadError naming the
    file; nothing else escapes."""
    path = Path(path)
    if not path.exists():
        raise ExportReadError(f"{path}: the export is missing")
    size = path.stat().st_size
    if size == 0:
        raise ExportReadError(f"{path}: the file is empty (0 bytes); export it again")
    if size > max_megabytes * 1e6:
        raise ExportReadError(
            f"{path}: the file has {size / 1e6:,.3g} MB, more than the {max_megabytes:,.3g} MB "
            "allowed for this source: check that it is the right export, or raise "
            "`max_megabytes` for this source in the config"
        )
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ExportReadError(f"{path}: old Excel format '.xls'; save the workbook as .xlsx")
    if suffix not in EXTENSION_FORMATS:
        raise ExportReadError(f"{path}: unknown export format {suffix!r}")
    try:
        _check_format(path)
        if suffix in {".csv", ".txt"}:
            return read_csv_text(path, **options)
        if suffix in {".xlsx", ".xlsm"}:
            return read_excel_text(path, **options)
        return read_sav_text(path)
    except ExportReadError:
        raise
    except Exception as err:  # a reader's own error: still a message that names the file
        raise ExportReadError(
            f"{path}: cannot read the export ({type(err).__name__}: {str(err)[:200]}); "
            "export it again"
        ) from err
