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
    messages=("onderzoeksregister.csv, row header: the column names stand in row 2",),
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


@fault("register", failures=(), messages=("Rows read: 0", "header but no data rows"))
def register_header_only(folder: Path) -> Path:
    return write_lines(folder / "onderzoeksregister.csv", csv_lines("register")[:1])


@fault("succint_aanmelder", failures=(), messages=("Rows read: 0", "header but no data rows"))
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
    failures=[(5, "gezinsnummer", "str_matches('^EK\\d{2}-\\d{3,7}$')")],
    messages=(
        "row 5, column 'gezinsnummer', value 'ek05-004': not a case number of the form "
        "EK<yy>-<nnn>; written in capitals without spaces it would be valid",
    ),
    quarantined=(5,),
)
def register_id_in_lower_case(folder: Path) -> Path:
    lines = csv_lines("register")
    lines[4] = lines[4].replace("EK05-004", "ek05-004")
    return write_lines(folder / "onderzoeksregister.csv", lines)


@fault(
    "frek_families",
    failures=[(excel_row(6), "Gezinsnummer", "str_matches('^EK\\d{2}-\\d{3,7}$')")],
    messages=(
        "value 'EK05- 007': not a case number",
        "in capitals without spaces it would be valid",
    ),
    quarantined=(excel_row(6),),
)
def frek_ids_with_spaces(folder: Path) -> Path:
    """Spaces around an id are harmless (trimmed); a space inside it is not."""
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
    messages=("zp_g03', value '2': value not among the allowed categories ([0, 1])",),
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
    messages=("onderzoeksregister.csv, row 40, column 'regio', value 'Utrecht'",),
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
