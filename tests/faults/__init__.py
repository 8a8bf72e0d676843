"""A corpus of faulty exports, each made from the embedded clean export by a named mutation.

Every fault is a small function that writes one damaged copy of a raw export into a folder
and returns its path; the `@fault(...)` decorator records what the pipeline must say about
it: the reader's message when the file cannot be read at all, otherwise the failures
(row, column, rule), phrases of the QC summary and the rows set aside in quarantine mode.
Row numbers are those a data manager sees: the file's line or sheet row (header = row 1),
or the SPSS case number.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ekc_synthetic.writers import write_excel, write_sav

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "resources" / "raw"
CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
ALL = "all"  # every row of the export is set aside


@dataclass(frozen=True)
class Fault:
    name: str
    source: str
    build: Callable[[Path], Path]
    options: dict = field(default_factory=dict)  # overrides of the config's source options
    read_error: tuple[str, ...] = ()  # the export cannot be read: phrases of the message
    failures: frozenset | None = None  # (row, column, rule) of every failure, if listed
    messages: tuple[str, ...] = ()  # phrases of the QC summary
    quarantined: tuple[int, ...] | str = ()  # rows set aside, or ALL
    same_as_clean: bool = False  # read and parsed to exactly the clean export's values
    fatal: bool = False  # a failure of the whole file: the run stops in quarantine mode too
    absent: tuple[str, ...] = ()  # text that must not appear in the summary (withheld values)

    def config_options(self) -> dict:
        options = {k: v for k, v in CONFIG["sources"][self.source].items() if k != "file"}
        return {**options, **self.options}


FAULTS: list[Fault] = []


def fault(source: str, **expect) -> Callable:
    def register(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
        if "failures" in expect:
            expect["failures"] = frozenset(expect["failures"])
        FAULTS.append(Fault(build.__name__, source, build, **expect))
        return build

    return register


def raw(source: str) -> Path:
    return RAW / Path(CONFIG["sources"][source]["file"]).name


# --------------------------------------------------------------------------------------
# Reading and writing the clean exports


def csv_lines(source: str) -> list[str]:
    return raw(source).read_bytes().decode("utf-8-sig").splitlines()


def write_lines(path: Path, lines: list[str], *, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def set_cell(lines: list[str], row: int, column: str, value: str, sep: str = ";") -> list[str]:
    """Set one cell of a CSV given as lines; `row` is the file's line number (header = 1)."""
    header = lines[0].split(sep)
    cells = lines[row - 1].split(sep)
    cells[header.index(column)] = value
    return [*lines[: row - 1], sep.join(cells), *lines[row:]]


def sheets(source: str) -> dict[str, pd.DataFrame]:
    return pd.read_excel(raw(source), sheet_name=None, dtype=object)


def write_sheet(folder: Path, source: str, frame: pd.DataFrame) -> Path:
    """The workbook of `source` with its own sheet replaced by `frame`."""
    book = sheets(source)
    book[CONFIG["sources"][source].get("sheet", next(iter(book)))] = frame
    path = folder / raw(source).name
    write_excel(book, path)
    return path


def sheet(source: str) -> pd.DataFrame:
    book = sheets(source)
    return book[CONFIG["sources"][source].get("sheet", next(iter(book)))].astype(object)


def sav(source: str) -> tuple[pd.DataFrame, dict]:
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(raw(source)))
    labels = {
        column: {int(code): label for code, label in codes.items()}
        for column, codes in meta.variable_value_labels.items()
    }
    return frame, labels


def write_sav_file(folder: Path, source: str, frame: pd.DataFrame, labels: dict) -> Path:
    path = folder / raw(source).name
    write_sav(frame, path, value_labels=labels)
    return path


def excel_row(index: int) -> int:
    return index + 2


def sav_row(index: int) -> int:
    return index + 1


# --------------------------------------------------------------------------------------
# Format and encoding faults (the file cannot be read, or is read after a fix-up)

REGISTER_ROWS = len(csv_lines("register")) - 1


@fault("register", failures=(), same_as_clean=True)
def register_comma_separated(folder: Path) -> Path:
    """Saved with commas instead of semicolons: the separator is detected, nothing is lost."""
    lines = [line.replace(";", ",") for line in csv_lines("register")]
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "register",
    options={"delimiter": ";"},
    read_error=("onderzoeksregister.csv, row 1", "separator ';' set in the config", "'\\t'"),
)
def register_tab_separated_but_semicolon_configured(folder: Path) -> Path:
    lines = [line.replace(";", "\t") for line in csv_lines("register")]
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault("pul", failures=(), same_as_clean=True)
def pul_utf16_unicode_text(folder: Path) -> Path:
    """Excel's 'Unicode text' export: UTF-16 with a byte order mark, tab separated."""
    lines = [line.replace(";", "\t") for line in csv_lines("pul")]
    return write_lines(folder / "pul.csv", lines, encoding="utf-16")


@fault(
    "register",
    read_error=("onderzoeksregister.csv, row 6", "not valid UTF-8", "Latin-1", "`encoding`"),
)
def register_latin1_with_name_column(folder: Path) -> Path:
    """Windows-1252 export with a name column; the fifth family's name has an accent."""
    lines = csv_lines("register")
    lines = [lines[0] + ";naam"] + [f"{line};Gezin {i}" for i, line in enumerate(lines[1:], 1)]
    lines[5] = lines[5].replace("Gezin 5", "Gezin Ren\u00e9e")
    return write_lines(folder / "onderzoeksregister.csv", lines, encoding="cp1252")


@fault(
    "register",
    options={"encoding": "cp1252"},
    failures=(),
    same_as_clean=True,
    messages=("Columns with direct identifiers, not read: naam",),
)
def register_latin1_with_encoding_configured(folder: Path) -> Path:
    """The same file once `encoding` is set: read, and the name column is never read."""
    return register_latin1_with_name_column(folder)


@fault("register", options={"encoding": "utf-8"}, failures=(), same_as_clean=True)
def register_bom_with_utf8_configured(folder: Path) -> Path:
    """A BOM must not become part of the first column's name when `encoding` is set."""
    return write_lines(folder / "onderzoeksregister.csv", csv_lines("register"))


@fault(
    "register",
    read_error=("onderzoeksregister.csv", "header seems to be in row 2", "title row"),
)
def register_title_row_above_header(folder: Path) -> Path:
    lines = ["Onderzoeksregister Eigen Kracht, stand 31-12-2007", *csv_lines("register")]
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "register",
    messages=("onderzoeksregister.csv, header row: the column names stand in row 2",),
    quarantined=ALL,
)
def register_title_row_filled_with_separators(folder: Path) -> Path:
    """A spreadsheet's title cell exported with the separators of the empty cells beside it."""
    lines = csv_lines("register")
    title = "Onderzoeksregister Eigen Kracht" + ";" * lines[0].count(";")
    return write_lines(folder / "onderzoeksregister.csv", [title, *lines])


@fault(
    "frek_families",
    messages=("column names stand in row 2", "remove the row(s) above row 2"),
    quarantined=ALL,
)
def frek_title_row_above_header(folder: Path) -> Path:
    frame = sheet("frek_families")
    titled = pd.concat([pd.DataFrame([frame.columns], columns=frame.columns), frame])
    titled.columns = ["FREK registratie 2005-2007"] + [""] * (len(frame.columns) - 1)
    return write_sheet(folder, "frek_families", titled)


@fault("fufrek", messages=("column names stand in row 2",), quarantined=ALL)
def fufrek_merged_two_row_header(folder: Path) -> Path:
    """A header of two rows: group titles merged over their columns above the names."""
    from openpyxl import Workbook

    frame = sheet("fufrek")
    book = Workbook()
    ws = book.active
    ws.title = "Blad1"
    ws.append(["Gezin", None, "Follow-up", None, None])
    ws.merge_cells("A1:B1")
    ws.merge_cells("C1:E1")
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    path = folder / "fufrek.xlsx"
    book.save(path)
    return path


@fault(
    "fufrek",
    failures=[
        ("header", "Plan uitgevoerd", "column_present"),
        ("header", "Unnamed: 2", "column_known"),
    ],
    messages=("column C has an empty header cell (merged with its neighbour?)",),
    quarantined=ALL,
)
def fufrek_header_cell_merged_away(folder: Path) -> Path:
    frame = sheet("fufrek")
    frame.columns = ["" if c == "Plan uitgevoerd" else c for c in frame.columns]
    return write_sheet(folder, "fufrek", frame)


@fault("register", read_error=("onderzoeksregister.csv", "the file is empty (0 bytes)"))
def register_empty_file(folder: Path) -> Path:
    path = folder / "onderzoeksregister.csv"
    path.write_bytes(b"")
    return path


@fault("frek_children", read_error=("frek.xlsx", "the file is empty (0 bytes)"))
def frek_empty_workbook(folder: Path) -> Path:
    path = folder / "frek.xlsx"
    path.write_bytes(b"")
    return path


@fault(
    "register",
    failures=[("file", "", "has_rows")],
    messages=("Rows read: 0", "header row but no data rows: export it again with its data"),
    fatal=True,
)
def register_header_only(folder: Path) -> Path:
    return write_lines(folder / "onderzoeksregister.csv", csv_lines("register")[:1])


@fault(
    "succint_aanmelder",
    failures=[("file", "", "has_rows")],
    messages=("Rows read: 0", "header row but no data rows"),
    fatal=True,
)
def succint_no_cases(folder: Path) -> Path:
    frame, labels = sav("succint_aanmelder")
    return write_sav_file(folder, "succint_aanmelder", frame.iloc[0:0], labels)


@fault("frek_families", read_error=("frek.xlsx", "cannot open the workbook", "truncated"))
def frek_truncated_workbook(folder: Path) -> Path:
    data = raw("frek_families").read_bytes()
    path = folder / "frek.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


@fault(
    "zap_kort_3mnd",
    read_error=("zap_kort_3mnd.sav", "fewer rows than its header announces", "truncated"),
)
def zap_truncated_sav(folder: Path) -> Path:
    data = raw("zap_kort_3mnd").read_bytes()
    path = folder / "zap_kort_3mnd.sav"
    path.write_bytes(data[: len(data) * 3 // 4])
    return path


@fault(
    "register",
    read_error=("onderzoeksregister.csv, row 51", "cells where the header has 10", "truncated"),
)
def register_truncated_csv(folder: Path) -> Path:
    """The copy stopped half-way: row 51 is cut off in the middle, no line end."""
    lines = csv_lines("register")[:51]
    text = "\r\n".join(lines)
    path = folder / "onderzoeksregister.csv"
    path.write_bytes(("\ufeff" + text[: len(text) - len(lines[-1]) // 2]).encode("utf-8"))
    return path


@fault("register", read_error=("onderzoeksregister.csv", "Excel workbook (.xlsx)", "not a text"))
def register_workbook_saved_as_csv(folder: Path) -> Path:
    path = folder / "onderzoeksregister.csv"
    shutil.copy(raw("fufrek"), path)
    return path


@fault("register", read_error=("onderzoeksregister.xls", "save the workbook as .xlsx"))
def register_old_excel_format(folder: Path) -> Path:
    path = folder / "onderzoeksregister.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return path


@fault("frek_children", read_error=("frek.xlsx", "no sheet 'kinderen'", "'Blad2'", "`sheet`"))
def frek_sheet_renamed(folder: Path) -> Path:
    book = sheets("frek_children")
    path = folder / "frek.xlsx"
    write_excel({"gezinnen": book["gezinnen"], "Blad2": book["kinderen"]}, path)
    return path


@fault("cvc", read_error=("cvc.sav", "the export is missing"))
def cvc_source_missing(folder: Path) -> Path:
    return folder / "cvc.sav"


@fault(
    "register",
    read_error=("onderzoeksregister.csv, row 1", "'regio'", "more than once in the header"),
)
def register_duplicate_column_name(folder: Path) -> Path:
    lines = [line + ";" + line.split(";")[1] for line in csv_lines("register")]
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "frek_children",
    messages=("row 1 holds data (a case number) instead of the column names",),
    quarantined=ALL,
)
def frek_children_header_row_deleted(folder: Path) -> Path:
    """The header row was deleted: the first child's data stand where the names should be."""
    frame = sheet("frek_children")
    first = frame.iloc[0]
    body = frame.iloc[1:].copy()
    body.columns = [str(v.date()) if isinstance(v, pd.Timestamp) else str(v) for v in first]
    return write_sheet(folder, "frek_children", body)


@fault("register", failures=(), same_as_clean=True)
def register_trailing_separators(folder: Path) -> Path:
    """Spreadsheet leftovers: two empty, nameless columns at the end of every line."""
    lines = [line + ";;" for line in csv_lines("register")]
    return write_lines(folder / "onderzoeksregister.csv", lines)


# --------------------------------------------------------------------------------------
# Layout: extra, missing and renamed columns, value labels


@fault(
    "frek_families",
    failures=[("header", "Opmerking", "column_known")],
    messages=("column 'Opmerking' is not part of the frek_families export layout",),
    quarantined=ALL,
)
def frek_extra_column(folder: Path) -> Path:
    frame = sheet("frek_families").assign(Opmerking="zie dossier")
    return write_sheet(folder, "frek_families", frame)


@fault(
    "zap_kort_9mnd",
    failures=[("header", "uhp_soort", "column_present")],
    messages=("column 'uhp_soort' is missing from the export",),
    quarantined=ALL,
)
def zap_missing_column(folder: Path) -> Path:
    frame, labels = sav("zap_kort_9mnd")
    return write_sav_file(folder, "zap_kort_9mnd", frame.drop(columns="uhp_soort"), labels)


@fault(
    "register",
    failures=[("header", "regio", "column_present"), ("header", "Regio", "column_known")],
    messages=("did you mean 'regio' (missing)?",),
    quarantined=ALL,
)
def register_column_renamed_in_capitals(folder: Path) -> Path:
    lines = csv_lines("register")
    lines[0] = lines[0].replace(";regio;", ";Regio;")
    return write_lines(folder / "onderzoeksregister.csv", lines)


# VEO respondents recoded: 1 = vader, 2 = moeder in this export.
VEO_FRAME = sav("veo")[0]
VEO_FATHER_MOTHER_ROWS = tuple(
    sav_row(i) for i in VEO_FRAME.index[VEO_FRAME["respondent"].isin([1, 2])]
)


@fault(
    "veo",
    failures=[("header", "respondent", "value_label")]
    + [(row, "respondent", "value_label") for row in VEO_FATHER_MOTHER_ROWS],
    messages=("code 1 of 'respondent' is labelled 'vader' in this file but 'moeder'",),
    quarantined=VEO_FATHER_MOTHER_ROWS,
)
def veo_respondent_labels_swapped(folder: Path) -> Path:
    frame, labels = sav("veo")
    labels["respondent"] = {1: "vader", 2: "moeder", 3: "anders"}
    return write_sav_file(folder, "veo", frame, labels)


ZAP9 = sav("zap_kort_9mnd")[0]
ZAP9_FOSTER_ROWS = tuple(sav_row(i) for i in ZAP9.index[ZAP9["uhp_soort"] == 2])


@fault(
    "zap_kort_9mnd",
    failures=[("header", "uhp_soort", "value_label")]
    + [(row, "uhp_soort", "value_label") for row in ZAP9_FOSTER_ROWS],
    messages=("code 2 of 'uhp_soort' is labelled 'crisisopvang kind'",),
    quarantined=ZAP9_FOSTER_ROWS,
)
def zap_placement_label_changed(folder: Path) -> Path:
    frame, labels = sav("zap_kort_9mnd")
    labels["uhp_soort"] = {**labels["uhp_soort"], 2: "crisisopvang kind"}
    return write_sav_file(folder, "zap_kort_9mnd", frame, labels)


# --------------------------------------------------------------------------------------
# Keys: duplicated ids, ids that differ only by case or spaces


@fault(
    "fufrek",
    failures=[
        (excel_row(3), "Gezinsnummer", "field_uniqueness"),
        (excel_row(8), "Gezinsnummer", "field_uniqueness"),
    ],
    messages=("duplicate key in 'Gezinsnummer'",),
    quarantined=(excel_row(3), excel_row(8)),
)
def fufrek_duplicated_id(folder: Path) -> Path:
    frame = sheet("fufrek")
    frame.loc[8, "Gezinsnummer"] = frame.loc[3, "Gezinsnummer"]
    return write_sheet(folder, "fufrek", frame)


@fault(
    "register",
    failures=(),
    same_as_clean=True,
    messages=("Case ids rewritten by the study's id rule", "'gezinsnummer': 1 (rows 5 (case))"),
)
def register_id_in_lower_case(folder: Path) -> Path:
    """The study's id rule writes ids in capitals: the family links as before."""
    lines = csv_lines("register")
    lines[4] = lines[4].replace("EK05-004", "ek05-004")
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "frek_families",
    failures=(),
    same_as_clean=True,
    messages=(f"'Gezinsnummer': 1 (rows {excel_row(6)} (spaces))",),
)
def frek_ids_with_spaces(folder: Path) -> Path:
    """Spaces around an id are trimmed by the reader; a space inside it goes by the id rule."""
    frame = sheet("frek_families")
    frame.loc[2, "Gezinsnummer"] = f" {frame.loc[2, 'Gezinsnummer']}\u00a0"
    frame.loc[6, "Gezinsnummer"] = frame.loc[6, "Gezinsnummer"].replace("-", "- ")
    return write_sheet(folder, "frek_families", frame)


@fault(
    "register",
    failures=[(3, "gezinsnummer", "field_uniqueness"), (4, "gezinsnummer", "field_uniqueness")],
    messages=("duplicate key in 'gezinsnummer'",),
    quarantined=(3, 4),
)
def register_ids_equal_after_trimming(folder: Path) -> Path:
    lines = csv_lines("register")
    lines[3] = lines[3].replace("EK05-003", " EK05-002 ")
    return write_lines(folder / "onderzoeksregister.csv", lines)


# --------------------------------------------------------------------------------------
# Values: numbers, dates, ranges, categories, moments


@fault(
    "frek_families",
    failures=[(excel_row(2), "Duur conferentie (uur)", "parse_float")],
    messages=("'2,5' is not a valid float: it has a decimal comma", "decimal_comma: true"),
    quarantined=(excel_row(2),),
)
def frek_decimal_comma_as_text(folder: Path) -> Path:
    frame = sheet("frek_families")
    assert frame.loc[2, "Conferentie gehouden"] == "ja"
    frame.loc[2, "Duur conferentie (uur)"] = "2,5"
    return write_sheet(folder, "frek_families", frame)


def cell(lines: list[str], row: int, column: str, sep: str = ";") -> str:
    return lines[row - 1].split(sep)[lines[0].split(sep).index(column)]


PUL_ITEM = cell(csv_lines("pul"), 4, "pul_03")


@fault(
    "pul",
    options={"decimal_comma": False},
    failures=[(4, "pul_03", "parse_int")],
    messages=(f"'{PUL_ITEM},0' is not a valid int: it has a decimal comma",),
    quarantined=(4,),
)
def pul_item_with_decimal_comma_not_configured(folder: Path) -> Path:
    return write_lines(folder / "pul.csv", set_cell(csv_lines("pul"), 4, "pul_03", f"{PUL_ITEM},0"))


@fault("pul", failures=(), same_as_clean=True)
def pul_item_with_decimal_comma_configured(folder: Path) -> Path:
    """With `decimal_comma: true` (the config) '1,0' is the whole number 1."""
    return write_lines(folder / "pul.csv", set_cell(csv_lines("pul"), 4, "pul_03", f"{PUL_ITEM},0"))


@fault("register", failures=(), same_as_clean=True)
def register_dates_in_three_formats(folder: Path) -> Path:
    """dd-mm-yyyy (the export's own), yyyy-mm-dd and dd/mm/yyyy: all read as the same date."""
    lines = csv_lines("register")
    for row in range(2, len(lines) + 1, 3):
        day, month, year = lines[row - 1].split(";")[3].split("-")
        lines = set_cell(lines, row, "aanmelddatum", f"{year}-{month}-{day}")
    for row in range(3, len(lines) + 1, 3):
        lines = set_cell(lines, row, "aanmelddatum", lines[row - 1].split(";")[3].replace("-", "/"))
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "register",
    failures=[(7, "aanmelddatum", "parse_date")],
    messages=("'2005.02.12' is not a valid date: write dates as 2006-03-01",),
    quarantined=(7,),
)
def register_date_in_a_fourth_format(folder: Path) -> Path:
    lines = csv_lines("register")
    assert lines[6].split(";")[3] == "12-02-2005"
    return write_lines(
        folder / "onderzoeksregister.csv", set_cell(lines, 7, "aanmelddatum", "2005.02.12")
    )


@fault(
    "register",
    failures=[(9, "aanmelddatum", "parse_date"), (12, "aanmelddatum", "parse_date")],
    messages=("'31-02-2005' is an impossible date", "'2005-13-01' is an impossible date"),
    quarantined=(9, 12),
)
def register_impossible_dates(folder: Path) -> Path:
    lines = set_cell(csv_lines("register"), 9, "aanmelddatum", "31-02-2005")
    return write_lines(
        folder / "onderzoeksregister.csv", set_cell(lines, 12, "aanmelddatum", "2005-13-01")
    )


@fault(
    "fufrek",
    failures=[(excel_row(4), "Datum follow-up", "parse_date")],
    messages=("'38800' is not a valid date: it looks like an Excel day number",),
    quarantined=(excel_row(4),),
)
def fufrek_date_as_excel_day_number(folder: Path) -> Path:
    frame = sheet("fufrek")
    frame.loc[4, "Datum follow-up"] = "38800"
    return write_sheet(folder, "fufrek", frame)


@fault(
    "zap_kort_aanvang",
    failures=[(sav_row(5), "peildatum", "greater_than_or_equal_to(2004-01-01 00:00:00)")],
    messages=("below the minimum 2004-01-01",),
    quarantined=(sav_row(5),),
)
def zap_reference_date_out_of_study(folder: Path) -> Path:
    import datetime as dt

    frame, labels = sav("zap_kort_aanvang")
    frame.loc[5, "peildatum"] = dt.date(1905, 6, 23)  # year typed as 1905 for 2005
    return write_sav_file(folder, "zap_kort_aanvang", frame, labels)


NOSIK = sav("nosik_aanvang")[0]


@fault(
    "nosik_aanvang",
    failures=[
        (sav_row(2), "nosik_04", "less_than_or_equal_to(6)"),
        (sav_row(9), "nosik_11", "greater_than_or_equal_to(1)"),
    ],
    messages=("value 7 out of range: above the maximum 6", "value 0 out of range: below"),
    quarantined=(sav_row(2), sav_row(9)),
)
def nosik_item_scores_out_of_range(folder: Path) -> Path:
    frame, labels = sav("nosik_aanvang")
    frame.loc[2, "nosik_04"] = 7
    frame.loc[9, "nosik_11"] = 0
    return write_sav_file(folder, "nosik_aanvang", frame, labels)


ZAP_START = sav("zap_kort_aanvang")[0]
ZAP_SCORED_ROW = int(ZAP_START.index[ZAP_START["zp_info"] == 1][0])


@fault(
    "zap_kort_aanvang",
    failures=[(sav_row(ZAP_SCORED_ROW), "zp_g03", "isin([0, 1])")],
    messages=("column 'zp_g03': value not among the allowed categories ([0, 1])",),
    quarantined=(sav_row(ZAP_SCORED_ROW),),
)
def zap_care_concern_item_out_of_range(folder: Path) -> Path:
    frame, labels = sav("zap_kort_aanvang")
    frame.loc[ZAP_SCORED_ROW, "zp_g03"] = 2
    return write_sav_file(folder, "zap_kort_aanvang", frame, labels)


@fault(
    "zap_kort_3mnd",
    failures=[(sav_row(i), "meetmoment", "isin([1])") for i in range(10)],
    messages=("0 means 'aanvang', this file allows 1 = '3 maanden'",),
    quarantined=tuple(sav_row(i) for i in range(10)),
)
def zap_wrong_moment_in_3_month_file(folder: Path) -> Path:
    """The first ten cases were pasted in from the start file (meetmoment 0)."""
    frame, labels = sav("zap_kort_3mnd")
    frame.loc[:9, "meetmoment"] = 0
    return write_sav_file(folder, "zap_kort_3mnd", frame, labels)


@fault(
    "pul",
    failures=[(6, "meetmoment", "parse_int")],
    messages=("'3 maanden' is not a valid int: it is the label of code 1",),
    quarantined=(6,),
)
def pul_moment_written_as_label(folder: Path) -> Path:
    return write_lines(folder / "pul.csv", set_cell(csv_lines("pul"), 6, "meetmoment", "3 maanden"))


@fault(
    "register",
    failures=[(8, "regio", "isin(['Amsterdam', 'Overijssel'])")],
    messages=("did you mean 'Amsterdam'?",),
    quarantined=(8,),
)
def register_category_in_lower_case(folder: Path) -> Path:
    lines = csv_lines("register")
    assert lines[7].split(";")[1] == "Amsterdam"
    return write_lines(folder / "onderzoeksregister.csv", set_cell(lines, 8, "regio", "amsterdam"))


@fault(
    "register",
    failures=[(11, "regio", "not_nullable")],
    messages=("'regio' must not be empty",),
    quarantined=(11,),
)
def register_required_value_empty(folder: Path) -> Path:
    return write_lines(
        folder / "onderzoeksregister.csv", set_cell(csv_lines("register"), 11, "regio", "")
    )


@fault(
    "register",
    failures=[(2, "", "plan is filled in only when a conference took place")],
    messages=("plan is filled in only when a conference took place",),
    quarantined=(2,),
)
def register_plan_without_conference(folder: Path) -> Path:
    lines = csv_lines("register")
    assert lines[1].split(";")[4] == "nee"
    return write_lines(folder / "onderzoeksregister.csv", set_cell(lines, 2, "plan", "ja"))


VEO_ROW = 3
VEO_ONE_PER_MOMENT = "a family has more than one questionnaire for the same moment"


@fault(
    "veo",
    failures=[
        (sav_row(VEO_ROW), "", VEO_ONE_PER_MOMENT),
        (sav_row(len(VEO_FRAME)), "", VEO_ONE_PER_MOMENT),
    ],
    messages=(f"veo.sav, row {sav_row(len(VEO_FRAME))}: {VEO_ONE_PER_MOMENT}",),
    quarantined=(sav_row(VEO_ROW), sav_row(len(VEO_FRAME))),
)
def veo_two_questionnaires_same_moment(folder: Path) -> Path:
    frame, labels = sav("veo")
    frame = pd.concat([frame, frame.iloc[[VEO_ROW]]], ignore_index=True)
    return write_sav_file(folder, "veo", frame, labels)


@fault(
    "register",
    failures=[(40, "regio", "isin(['Amsterdam', 'Overijssel'])")],
    messages=(
        "onderzoeksregister.csv, row 40, column 'regio': value not among the allowed categories",
    ),
    absent=("Utrecht",),  # not a code of the layout: an address, for all the summary knows
    quarantined=(40,),
)
def register_blank_lines_keep_row_numbers(folder: Path) -> Path:
    """Blank lines (and lines of separators only) are skipped; rows keep their line number."""
    lines = csv_lines("register")
    lines = [*lines[:20], "", ";;;;;;;;", *lines[20:]]  # the file's lines 21 and 22
    return write_lines(folder / "onderzoeksregister.csv", set_cell(lines, 40, "regio", "Utrecht"))


@fault(
    "interview_statements",
    failures=[(excel_row(0), "", "the code is not one of the codes of its theme")],
    messages=("interviews.xlsx, row 2: the code is not one of the codes of its theme",),
    quarantined=(excel_row(0),),
)
def interview_code_of_another_theme(folder: Path) -> Path:
    frame = sheet("interview_statements")
    frame.loc[0, "code"] = "meer bij familie" if frame.loc[0, "thema"] != "regie" else "toegenomen"
    return write_sheet(folder, "interview_statements", frame)


# --------------------------------------------------------------------------------------
# Workbook content the value reader does not see: formulas without a calculated value,
# error values, merged ranges (issue 22). Made as the tools make them: openpyxl writes a
# formula without its value and an error constant as an error cell; Excel and LibreOffice
# store a formula's error result beside the formula.

FREK = sheet("frek_families")


def _edit_cells(path: Path, sheet_file: str, cells: dict[str, str]) -> Path:
    """Replace whole <c> elements of one sheet's XML, as another tool would have written
    them (`cells`: reference -> new element)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    xml = entries[sheet_file].decode("utf-8")
    for ref, element in cells.items():
        xml, n = re.subn(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)', element, xml, count=1)
        assert n == 1, ref
    entries[sheet_file] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _column_letter(frame: pd.DataFrame, column: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(list(frame.columns).index(column) + 1)


ATTENDEES = _column_letter(FREK, "Aantal aanwezigen")
HELD = tuple(i for i in FREK.index if FREK.loc[i, "Conferentie gehouden"] == "ja")


@fault(
    "frek_families",
    failures=[(excel_row(i), "Aantal aanwezigen", "excel_formula") for i in HELD[:3]],
    messages=(
        f"frek.xlsx, row {excel_row(HELD[0])}, column 'Aantal aanwezigen': sheet 'gezinnen', "
        f"cell {ATTENDEES}{excel_row(HELD[0])} holds a formula without a calculated value",
        "recalculate and save it",
    ),
    quarantined=tuple(excel_row(i) for i in HELD[:3]),
)
def frek_formulas_without_cached_values(folder: Path) -> Path:
    """A script (openpyxl) summed the attendees: it writes the formula, never its value."""
    frame = FREK.copy()
    for i in HELD[:3]:
        frame.loc[i, "Aantal aanwezigen"] = f"=SUM(1,{int(frame.loc[i, 'Aantal aanwezigen']) - 1})"
    return write_sheet(folder, "frek_families", frame)


@fault(
    "frek_families",
    failures=(),
    same_as_clean=True,
)
def frek_formulas_with_cached_values(folder: Path) -> Path:
    """Excel stores a formula with its last value: read as the value, no failure."""
    path = write_sheet(folder, "frek_families", FREK)
    cells = {}
    for i in HELD[:2]:
        ref = f"{ATTENDEES}{excel_row(i)}"
        value = int(FREK.loc[i, "Aantal aanwezigen"])
        cells[ref] = f'<c r="{ref}"><f>SUM(1,{value - 1})</f><v>{value}</v></c>'
    return _edit_cells(path, "xl/worksheets/sheet1.xml", cells)


DURATION = _column_letter(FREK, "Duur conferentie (uur)")


@fault(
    "frek_families",
    failures=[
        (excel_row(HELD[0]), "Aantal aanwezigen", "excel_error"),
        (excel_row(HELD[4]), "Duur conferentie (uur)", "excel_error"),
    ],
    messages=(
        f"cell {ATTENDEES}{excel_row(HELD[0])} holds the error value #N/A instead of a value",
        f"cell {DURATION}{excel_row(HELD[4])} holds the error value #DIV/0!",
    ),
    quarantined=(excel_row(HELD[0]), excel_row(HELD[4])),
)
def frek_error_constants(folder: Path) -> Path:
    """Error values typed or pasted as values (openpyxl stores them as error cells)."""
    frame = FREK.copy()
    frame.loc[HELD[0], "Aantal aanwezigen"] = "#N/A"
    frame.loc[HELD[4], "Duur conferentie (uur)"] = "#DIV/0!"
    return write_sheet(folder, "frek_families", frame)


@fault(
    "frek_families",
    failures=[
        (excel_row(HELD[1]), "Duur conferentie (uur)", "excel_error"),
        (excel_row(HELD[2]), "Aantal aanwezigen", "excel_error"),
    ],
    messages=("holds the error value #DIV/0!", "holds the error value #VALUE!"),
    quarantined=(excel_row(HELD[1]), excel_row(HELD[2])),
)
def frek_formula_errors_excel_and_libreoffice(folder: Path) -> Path:
    """Formulas whose result is an error, stored as Excel (t="e", formula and error value)
    and as LibreOffice Calc does (with its aca attribute and a style)."""
    path = write_sheet(folder, "frek_families", FREK)
    duration = f"{DURATION}{excel_row(HELD[1])}"
    attendees = f"{ATTENDEES}{excel_row(HELD[2])}"
    return _edit_cells(
        path,
        "xl/worksheets/sheet1.xml",
        {
            duration: f'<c r="{duration}" t="e"><f>J3/0</f><v>#DIV/0!</v></c>',
            attendees: (
                f'<c r="{attendees}" s="0" t="e"><f aca="false">A3+1</f><v>#VALUE!</v></c>'
            ),
        },
    )


REFERRER = _column_letter(FREK, "Aanmelder instantie")
MERGED = next(
    i for i in FREK.index[:-1] if FREK.loc[i, "Aanmelder instantie"] == "Bureau Jeugdzorg"
)


def _merge(path: Path, sheet_name: str, span: str) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    book[sheet_name].merge_cells(span)
    book.save(path)
    return path


@fault(
    "frek_families",
    failures=[
        (excel_row(MERGED + 1), "Aanmelder instantie", "excel_merged"),
        (excel_row(MERGED + 2), "Aanmelder instantie", "excel_merged"),
    ],
    messages=(
        f"cell {REFERRER}{excel_row(MERGED + 1)} is inside the merged range "
        f"{REFERRER}{excel_row(MERGED)}:{REFERRER}{excel_row(MERGED + 2)}",
        "unmerge the cells and fill in every row",
    ),
    quarantined=(excel_row(MERGED + 1), excel_row(MERGED + 2)),
)
def frek_referrer_merged_over_three_families(folder: Path) -> Path:
    """Three families with the same referrer, merged into one cell in Excel: the lower two
    would read as 'referrer unknown'."""
    path = write_sheet(folder, "frek_families", FREK)
    top = excel_row(MERGED)
    return _merge(path, "gezinnen", f"{REFERRER}{top}:{REFERRER}{top + 2}")


FUFREK = sheet("fufrek")


@fault(
    "fufrek",
    failures=[(excel_row(5), "Evaluatie door familie", "excel_merged")],
    messages=("inside the merged range D7:E7", "unmerge"),
    quarantined=(excel_row(5),),
)
def fufrek_evaluations_merged_across(folder: Path) -> Path:
    """Both evaluation answers merged into one cell across two columns."""
    path = write_sheet(folder, "fufrek", FUFREK)
    return _merge(path, "follow-up", "D7:E7")


# --------------------------------------------------------------------------------------
# Dates in the other day/month order (issue 22): US exports write month first.


def _us_date(text: str, sep: str = "/") -> str:
    day, month, year = text.split("-")
    return sep.join([month, day, year])


REGISTER_LINES = csv_lines("register")
REGISTER_DATES = [line.split(";")[3] for line in REGISTER_LINES[1:]]
# Rows whose date is only valid month first once swapped (day > 12), and ambiguous ones.
US_ONLY = tuple(r for r, d in enumerate(REGISTER_DATES, 2) if int(d.split("-")[0]) > 12)
US_EITHER = tuple(
    r
    for r, d in enumerate(REGISTER_DATES, 2)
    if int(d.split("-")[0]) <= 12 and d.split("-")[0] != d.split("-")[1]
)


@fault(
    "register",
    messages=(
        "'01/14/2005' is no date read day first (dd-mm-yyyy), the order declared for this "
        "source, but it is one read month first (mm-dd-yyyy): day and month look swapped",
        "likely day/month mix-up",
        "the export seems to write dates month first (mm-dd-yyyy): export them day first "
        "(dd-mm-yyyy), or set `date_order: mdy` for this source",
    ),
    quarantined=tuple(sorted(US_ONLY + US_EITHER)),
)
def register_dates_month_first(folder: Path) -> Path:
    """Exported from a program set to US English: every date is mm/dd/yyyy."""
    lines = REGISTER_LINES
    for row in range(2, len(lines) + 1):
        lines = set_cell(lines, row, "aanmelddatum", _us_date(lines[row - 1].split(";")[3]))
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault("register", options={"date_order": "mdy"}, failures=(), same_as_clean=True)
def register_dates_month_first_declared(folder: Path) -> Path:
    """The same export once the config declares its order: read as the clean dates."""
    return register_dates_month_first(folder)


SWAPPED = (US_ONLY[2], US_ONLY[10])


@fault(
    "register",
    messages=(
        "day and month look swapped",
        "2 date(s) in column 'aanmelddatum' are only valid read month first",
        "they were probably typed in the other order: correct them in the source",
    ),
    quarantined=tuple(sorted(set(SWAPPED) | set(US_EITHER))),
)
def register_two_dates_typed_month_first(folder: Path) -> Path:
    """Two dates typed month first among day-first ones: those two are surely wrong, and a
    date that reads either way can no longer be trusted."""
    lines = REGISTER_LINES
    for row in SWAPPED:
        assert int(lines[row - 1].split(";")[3].split("-")[0]) > 12
        lines = set_cell(lines, row, "aanmelddatum", _us_date(lines[row - 1].split(";")[3], "-"))
    return write_lines(folder / "onderzoeksregister.csv", lines)


PUL_LINES = csv_lines("pul")
PUL_DATES = [line.split(";")[3] for line in PUL_LINES[1:]]
PUL_SWAPPABLE = tuple(
    r
    for r, d in enumerate(PUL_DATES, 2)
    if int(d.split("-")[0]) > 12 or d.split("-")[0] != d.split("-")[1]
)


@fault(
    "pul",
    messages=("likely day/month mix-up", "`date_order: mdy`"),
    quarantined=PUL_SWAPPABLE,
)
def pul_dates_month_first(folder: Path) -> Path:
    lines = PUL_LINES
    for row in range(2, len(lines) + 1):
        lines = set_cell(lines, row, "invuldatum", _us_date(lines[row - 1].split(";")[3]))
    return write_lines(folder / "pul.csv", lines)


FUFREK_TEXT_DATES = tuple(
    excel_row(i)
    for i in FUFREK.index[:6]
    if FUFREK.loc[i, "Datum follow-up"].day != FUFREK.loc[i, "Datum follow-up"].month
)


@fault(
    "fufrek",
    messages=("day and month look swapped", "likely day/month mix-up"),
    quarantined=FUFREK_TEXT_DATES,
)
def fufrek_dates_typed_as_us_text(folder: Path) -> Path:
    """Dates typed as text in a workbook by someone with US habits (stored as text cells)."""
    frame = FUFREK.copy()
    frame["Datum follow-up"] = frame["Datum follow-up"].astype(object)
    for i in frame.index[:6]:
        frame.loc[i, "Datum follow-up"] = FUFREK.loc[i, "Datum follow-up"].strftime("%m/%d/%Y")
    return write_sheet(folder, "fufrek", frame)


# --------------------------------------------------------------------------------------
# Ids written another way (issue 22): the study's id rule makes them link.

LEADING_ZERO = 9  # EK05-010 on the FREK, written EK05-0010


@fault(
    "frek_families",
    failures=(),
    same_as_clean=True,
    messages=(f"'Gezinsnummer': 1 (rows {excel_row(LEADING_ZERO)} (leading zeros))",),
)
def frek_id_with_a_leading_zero(folder: Path) -> Path:
    frame = FREK.copy()
    assert frame.loc[LEADING_ZERO, "Gezinsnummer"] == "EK05-010"
    frame.loc[LEADING_ZERO, "Gezinsnummer"] = "EK05-0010"
    return write_sheet(folder, "frek_families", frame)


@fault(
    "veo",
    failures=(),
    same_as_clean=True,
    messages=("'gezinsnr': 3 (rows 1 (spaces, case), 2 (spaces), 3 (leading zeros))",),
)
def veo_ids_from_another_tool(folder: Path) -> Path:
    """A zero-width space (copied from a web page), lower case, a leading zero."""
    frame, labels = sav("veo")
    frame.loc[0, "gezinsnr"] = frame.loc[0, "gezinsnr"].lower().replace("-", "-\u200b")
    frame.loc[1, "gezinsnr"] = frame.loc[1, "gezinsnr"].replace("-", "\u00a0-")
    frame.loc[2, "gezinsnr"] = frame.loc[2, "gezinsnr"].replace("-", "-0")
    return write_sav_file(folder, "veo", frame, labels)


# --------------------------------------------------------------------------------------
# Unicode: labels written decomposed (NFD) are the same labels (issue 22).


def _nfd_labels(source: str, folder: Path) -> Path:
    import unicodedata

    frame, labels = sav(source)
    labels = {
        column: {code: unicodedata.normalize("NFD", label) for code, label in codes.items()}
        for column, codes in labels.items()
    }
    assert any(
        label != unicodedata.normalize("NFC", label)
        for codes in labels.values()
        for label in codes.values()
    )
    return write_sav_file(folder, source, frame, labels)


@fault("zap_kort_9mnd", failures=(), same_as_clean=True)
def zap_labels_decomposed(folder: Path) -> Path:
    """pyreadstat writes what it is given: 'beëindigd' as e + combining diaeresis."""
    return _nfd_labels("zap_kort_9mnd", folder)


ZAP9_ENDED_ROWS = tuple(sav_row(i) for i in ZAP9.index[ZAP9["uhp_lopend"] == 0])


@fault(
    "zap_kort_9mnd",
    failures=[("header", "uhp_soort", "value_label")]
    + [(row, "uhp_soort", "value_label") for row in ZAP9_FOSTER_ROWS],
    messages=("code 2 of 'uhp_soort' is labelled 'crisisopvang kind'",),
    absent=("beëindigd' in this file",),
    quarantined=ZAP9_FOSTER_ROWS,
)
def zap_labels_decomposed_and_one_recoded(folder: Path) -> Path:
    """Decomposed labels are the codebook's labels; a recoded one is still caught."""
    import unicodedata

    frame, labels = sav("zap_kort_9mnd")
    labels = {
        column: {code: unicodedata.normalize("NFD", label) for code, label in codes.items()}
        for column, codes in labels.items()
    }
    labels["uhp_soort"] = {**labels["uhp_soort"], 2: "crisisopvang kind"}
    return write_sav_file(folder, "zap_kort_9mnd", frame, labels)


# --------------------------------------------------------------------------------------
# Files that are not what they say, too large, or without data (issue 22).


@fault(
    "frek_families",
    read_error=("frek.xlsx", "is an SPSS data file (.sav), not an Excel workbook", ".sav"),
)
def frek_spss_file_named_xlsx(folder: Path) -> Path:
    path = folder / "frek.xlsx"
    shutil.copy(raw("cvc"), path)
    return path


@fault("cvc", read_error=("cvc.sav", "is an Excel workbook (.xlsx), not an SPSS data file"))
def cvc_workbook_named_sav(folder: Path) -> Path:
    path = folder / "cvc.sav"
    shutil.copy(raw("fufrek"), path)
    return path


@fault("fufrek", read_error=("fufrek.xlsx", "is a text file, not an Excel workbook", ".csv"))
def fufrek_csv_named_xlsx(folder: Path) -> Path:
    path = folder / "fufrek.xlsx"
    sheet("fufrek").to_csv(path, sep=";", index=False)
    return path


@fault(
    "fufrek",
    read_error=("fufrek.xlsx", "OpenDocument spreadsheet (.ods)", "save it as an Excel workbook"),
)
def fufrek_libreoffice_ods_named_xlsx(folder: Path) -> Path:
    """LibreOffice's own format with the wrong extension (a zip whose mimetype says so)."""
    import zipfile

    path = folder / "fufrek.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


@fault(
    "register",
    options={"max_megabytes": 0.001},
    read_error=("onderzoeksregister.csv", "more than the 0.001 MB allowed", "`max_megabytes`"),
)
def register_larger_than_allowed(folder: Path) -> Path:
    return write_lines(folder / "onderzoeksregister.csv", csv_lines("register"))


@fault(
    "frek_children",
    failures=[("file", "", "has_rows")],
    messages=("header row but no data rows",),
    fatal=True,
)
def frek_children_sheet_with_header_only(folder: Path) -> Path:
    return write_sheet(folder, "frek_children", sheet("frek_children").iloc[0:0])


LONG_CELL = "Zie dossier. " * 11_000  # 143,000 characters, beyond the csv module's limit


@fault(
    "register",
    failures=[(6, "regio", "isin(['Amsterdam', 'Overijssel'])")],
    messages=("onderzoeksregister.csv, row 6, column 'regio': value not among",),
    absent=("Zie dossier",),
    quarantined=(6,),
)
def register_cell_longer_than_the_csv_limit(folder: Path) -> Path:
    """A note pasted into a cell: read (no limit of the csv module), set aside, never shown
    in full."""
    return write_lines(
        folder / "onderzoeksregister.csv", set_cell(REGISTER_LINES, 6, "regio", LONG_CELL)
    )


@fault(
    "register",
    read_error=(
        "onderzoeksregister.csv, row 4",
        'a quotation mark (") opened in this row is not closed',
    ),
)
def register_unclosed_quote(folder: Path) -> Path:
    """An opening quote without its closing one swallows the rest of the file into a cell."""
    return write_lines(
        folder / "onderzoeksregister.csv", set_cell(REGISTER_LINES, 4, "maatregel", '"ots')
    )


# --------------------------------------------------------------------------------------
# Identifying columns and values (issue 23): nothing off the allow-list is copied or shown.

PLANTED = {
    "name": "Wilhelmina Pietersma-de Vries",
    "birth_date": "14-07-1981",
    "street": "Lindengracht 221-3",
    "email": "w.pietersma@example.nl",
    "case_number": "EK05-031",
}


@fault(
    "frek_families",
    failures=[
        ("header", "Naam moeder", "column_known"),
        ("header", "Geb. datum moeder", "column_known"),
        ("header", "Straat", "column_known"),
        ("header", "E-mail", "column_known"),
    ],
    absent=tuple(PLANTED.values()),
    quarantined=ALL,
)
def frek_with_unlisted_personal_columns(folder: Path) -> Path:
    frame = FREK.copy()
    frame.insert(1, "Naam moeder", PLANTED["name"])
    frame.insert(2, "Geb. datum moeder", PLANTED["birth_date"])
    frame["Straat"] = PLANTED["street"]
    frame["E-mail"] = PLANTED["email"]
    return write_sheet(folder, "frek_families", frame)


@fault(
    "frek_families",
    failures=[
        ("header", "Gezinsnummer", "column_present"),
        ("header", "Gezinsnr.", "column_known"),
    ],
    messages=("did you mean 'Gezinsnummer' (missing)?",),
    absent=tuple(FREK["Gezinsnummer"].head(5)),  # the renamed column is never copied
    quarantined=ALL,
)
def frek_id_column_renamed(folder: Path) -> Path:
    return write_sheet(folder, "frek_families", FREK.rename(columns={"Gezinsnummer": "Gezinsnr."}))


@fault(
    "register",
    failures=[
        (9, "regio", "isin(['Amsterdam', 'Overijssel'])"),
        (10, "maatregel", "isin(['geen', 'raadsmelding', 'vots', 'ots'])"),
        (
            11,
            "dossieronderzoek",
            "isin(['geanalyseerd', 'niet gepland (restgroep)', "
            "'niet toegankelijk', 'niet te achterhalen', 'gearchiveerd', 'overgedragen'])",
        ),
        (12, "regio", "isin(['Amsterdam', 'Overijssel'])"),
    ],
    absent=tuple(PLANTED.values()),
    quarantined=(9, 10, 11, 12),
)
def register_identifiers_in_wrong_columns(folder: Path) -> Path:
    """A case number, a birth date, a name and an e-mail address typed into the wrong
    columns: the rows are set aside, the values never quoted."""
    lines = set_cell(REGISTER_LINES, 9, "regio", PLANTED["case_number"])
    lines = set_cell(lines, 10, "maatregel", PLANTED["birth_date"])
    lines = set_cell(lines, 11, "dossieronderzoek", PLANTED["name"])
    lines = set_cell(lines, 12, "regio", PLANTED["email"])
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "frek_families",
    failures=[(excel_row(3), "Aantal kinderen", "less_than_or_equal_to(15)")],
    messages=("value <removed> out of range: above the maximum 15",),
    absent=("14071981",),
    quarantined=(excel_row(3),),
)
def frek_birth_date_typed_into_a_number(folder: Path) -> Path:
    frame = FREK.copy()
    frame["Aantal kinderen"] = frame["Aantal kinderen"].astype(object)
    frame.loc[3, "Aantal kinderen"] = "14071981"
    return write_sheet(folder, "frek_families", frame)


@fault(
    "frek_children",
    messages=("row 1 holds data", "the header row is missing"),
    absent=("EK05-001", "1991-06-08", "08-06-1991"),
    quarantined=ALL,
)
def frek_children_without_header_row(folder: Path) -> Path:
    """The header row deleted: row 1 holds a child's case number and birth date."""
    return frek_children_header_row_deleted(folder)


# --------------------------------------------------------------------------------------
# Across exports: ids that do not link and forms the design does not expect (issue 22).
# Each case changes one or more exports; the linkage must name every such row (source,
# row) in its report and count it, and keep it out of the analysis tables.


@dataclass(frozen=True)
class LinkageFault:
    name: str
    build: Callable[[Path], dict[str, Path]]  # source -> the changed export
    issues: frozenset  # (issue, source, source_row) of every orphan / unexpected row
    accounts: dict  # source -> (kept, orphaned, unexpected)


LINKAGE_FAULTS: list[LinkageFault] = []


def linkage_fault(issues, accounts) -> Callable:
    def register(build):
        LINKAGE_FAULTS.append(LinkageFault(build.__name__, build, frozenset(issues), accounts))
        return build

    return register


FREK_ROWS = len(FREK)
REGISTER = {line.split(";")[0]: line.split(";") for line in REGISTER_LINES[1:]}
NO_CONFERENCE = sorted(k for k, cells in REGISTER.items() if cells[4] == "nee")
RESTGROEP = sorted(k for k, cells in REGISTER.items() if cells[6] == "ja")


@linkage_fault(
    issues=[("orphan", "frek_families", excel_row(FREK_ROWS))],
    accounts={"frek_families": (FREK_ROWS, 1, 0)},
)
def frek_family_not_in_the_register(folder: Path) -> dict[str, Path]:
    """A FREK for a family the register does not have (EK07-999): before, the row vanished
    in the merge and only the FREK count moved."""
    stray = FREK.iloc[[0]].assign(Gezinsnummer="EK07-999")
    return {
        "frek_families": write_sheet(
            folder, "frek_families", pd.concat([FREK, stray], ignore_index=True)
        )
    }


KIDS = sheet("frek_children")


@linkage_fault(
    issues=[
        ("orphan", "frek_children", excel_row(len(KIDS))),
        ("orphan", "frek_children", excel_row(len(KIDS) + 1)),
    ],
    accounts={"frek_children": (len(KIDS), 2, 0)},
)
def frek_children_of_unknown_families(folder: Path) -> dict[str, Path]:
    """Two children whose family numbers still do not link after the id rule."""
    stray = KIDS.iloc[[0, 1]].assign(Gezinsnummer=["EK07-999", "EK04-001"], Kindnummer=[1, 1])
    return {
        "frek_children": write_sheet(
            folder, "frek_children", pd.concat([KIDS, stray], ignore_index=True)
        )
    }


@linkage_fault(issues=[], accounts={"frek_families": (FREK_ROWS, 0, 0)})
def frek_leading_zero_links(folder: Path) -> dict[str, Path]:
    """EK05-0010 on the FREK: before, the family lost its registration form silently."""
    return {"frek_families": frek_id_with_a_leading_zero(folder)}


SUCCINT, SUCCINT_LABELS = sav("succint_aanmelder")


@linkage_fault(
    issues=[
        ("unexpected", "succint_aanmelder", sav_row(len(SUCCINT))),
        ("unexpected", "succint_aanmelder", sav_row(len(SUCCINT) + 1)),
    ],
    accounts={"succint_aanmelder": (len(SUCCINT), 0, 2)},
)
def succint_for_a_family_without_conference(folder: Path) -> dict[str, Path]:
    """A referrer filled in the SuccInt (3 and 9 months) for a family whose conference never
    took place: before, it was counted as a response and scored in the analyses."""
    extra = SUCCINT.iloc[[0, 1]].assign(gezinsnr=NO_CONFERENCE[0], meetmoment=[1.0, 2.0])
    frame = pd.concat([SUCCINT, extra], ignore_index=True)
    return {"succint_aanmelder": write_sav_file(folder, "succint_aanmelder", frame, SUCCINT_LABELS)}


VEO, VEO_LABELS = sav("veo")
VEO_FOLLOW_UP = int(
    VEO.index[
        (VEO["meetmoment"] == 1) & VEO["gezinsnr"].isin(VEO.loc[VEO["meetmoment"] == 0, "gezinsnr"])
    ][0]
)


@linkage_fault(
    issues=[("unexpected", "veo", sav_row(VEO_FOLLOW_UP))],
    accounts={"veo": (len(VEO) - 1, 0, 1)},
)
def veo_follow_up_dated_before_its_start(folder: Path) -> dict[str, Path]:
    """A 3-month VEO dated the day before the family's start questionnaire (the moments
    mixed up)."""
    import datetime as dt

    frame = VEO.copy()
    family = frame.loc[VEO_FOLLOW_UP, "gezinsnr"]
    start = frame.loc[(frame["gezinsnr"] == family) & (frame["meetmoment"] == 0), "invuldatum"]
    frame.loc[VEO_FOLLOW_UP, "invuldatum"] = start.iloc[0] - dt.timedelta(days=1)
    return {"veo": write_sav_file(folder, "veo", frame, VEO_LABELS)}


@linkage_fault(
    issues=[("unexpected", "fufrek", excel_row(len(FUFREK)))],
    accounts={"fufrek": (len(FUFREK), 0, 1)},
)
def fufrek_for_a_family_without_conference(folder: Path) -> dict[str, Path]:
    extra = FUFREK.iloc[[0]].assign(Gezinsnummer=NO_CONFERENCE[0])
    return {"fufrek": write_sheet(folder, "fufrek", pd.concat([FUFREK, extra], ignore_index=True))}


FOLLOW_UP_FORM = 4


@linkage_fault(
    issues=[("unexpected", "fufrek", excel_row(FOLLOW_UP_FORM))],
    accounts={"fufrek": (len(FUFREK) - 1, 0, 1)},
)
def fufrek_dated_before_the_conference(folder: Path) -> dict[str, Path]:
    frame = FUFREK.copy()
    family = frame.loc[FOLLOW_UP_FORM, "Gezinsnummer"]
    conference = FREK.loc[FREK["Gezinsnummer"] == family, "Datum conferentie"].iloc[0]
    frame.loc[FOLLOW_UP_FORM, "Datum follow-up"] = conference - pd.Timedelta(days=30)
    return {"fufrek": write_sheet(folder, "fufrek", frame)}


PUL_CELLS = [line.split(";") for line in PUL_LINES]


@linkage_fault(
    issues=[("unexpected", "pul", len(PUL_LINES) + 1)],
    accounts={"pul": (len(PUL_LINES) - 1, 0, 1)},
)
def pul_nine_months_of_a_restgroep_family(folder: Path) -> dict[str, Path]:
    """A 9-month PUL of a restgroep family: the design has no 9-month follow-up for them."""
    family = next(c[0] for c in PUL_CELLS[1:] if c[0] in RESTGROEP and c[1] == "0")
    start = next(c for c in PUL_CELLS[1:] if c[0] == family and c[1] == "0")
    day, month, year = start[3].split("-")
    later = [family, "2", *start[2:3], f"{day}-{month}-{int(year) + 1}", *start[4:]]
    return {"pul": write_lines(folder / "pul.csv", [*PUL_LINES, ";".join(later)])}
