"""Validate a raw export against its pandera model and account for every row.

Steps, all of which collect failures instead of stopping at the first:
1. file and columns: an export without data rows, missing and unexpected columns, a missing
   header row;
2. cells the reader could not read as values (workbook formulas without a calculated value,
   error values, cells inside merged ranges);
3. case ids written the study's way (`ekc.core.ids`), before they are checked or linked;
4. parsing: each text cell is parsed to the type the model declares; a non-empty cell that
   does not parse is a failure (never silently missing); dates are read in the source's
   declared day/month order, and a column whose dates only make sense in the other order is
   reported as a likely mix-up;
5. the pandera model, validated lazily (ranges, categories, uniqueness, cross-column rules).

The outcome keeps rows in = rows kept + rows quarantined, with one failure record per
(row, column, rule) giving the file, the row a data manager sees, the value and the rule.

Privacy by allow-list: a column is identifying unless its schema marks it non-identifying
(pandera metadata `{"identifying": False}`, see `NON_IDENTIFYING`). Messages (which go to QC
summaries, logs and errors) quote a value only from a non-identifying column and only when
it is something that cannot name a person (a code of the layout, a short number, a date in
a date column); everything else shows as '<removed>'. What is written to the private area
keeps only the layout's columns: non-identifying ones as they are, case keys
pseudonymised, the rest removed; columns outside the layout are never copied.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ekc.core.ids import IdRule
from ekc.core.readers import SOURCE_ROW, Export
from ekc.core.text import comparable, cut

FAILURE_COLUMNS = ["file", "source_row", "column", "value", "rule", "message"]


def _place(file: str, source_row: object, column: object) -> str:
    """Where a failure is: a data row by number; a failure of the whole file or of its
    header says so instead of 'row file'."""
    row = str(source_row)
    where = {"file": "the whole file", "header": "header row"}.get(row, f"row {row}")
    return f"{file}, {where}" + (f", column {column!r}" if column else "")


# Text dates in the source's declared order (config `date_order`); ISO dates always.
DATE_FORMATS = {
    "dmy": ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"),
    "mdy": ("%Y-%m-%d", "%m-%d-%Y", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S"),
}
ORDER_NAMES = {"dmy": "day first (dd-mm-yyyy)", "mdy": "month first (mm-dd-yyyy)"}
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(\.0+)?$")
# Metadata of a pandera Field or Column that may leave the private area.
NON_IDENTIFYING = {"identifying": False}
MASK = "<removed>"


class ValidationFailed(RuntimeError):
    """Raised in strict mode when an export has failures."""


# Columns that name a person: never needed, dropped before anything else.
DIRECT_IDENTIFIER_COLUMNS = frozenset(
    {
        "Geboortedatum",
        "geboortedatum",
        "naam",
        "Naam",
        "voornaam",
        "Voornaam",
        "achternaam",
        "Achternaam",
        "adres",
        "Adres",
        "postcode",
        "Postcode",
        "telefoon",
        "Telefoon",
        "bsn",
        "BSN",
    }
)


@dataclass(frozen=True)
class Identifiers:
    """A study's identifying columns: its case keys (pseudonymised wherever they are
    written), the form of a case key (to spot case numbers where they do not belong, and to
    say what a valid one looks like), the columns that name a person (dropped unread) and
    the rule its case ids are written by (`ekc.core.ids`)."""

    case_keys: frozenset[str] = frozenset()
    case_key_pattern: str | None = None
    case_key_form: str = "a case number"
    direct: frozenset[str] = DIRECT_IDENTIFIER_COLUMNS
    id_rule: IdRule | None = None

    def with_case_keys(self, columns: frozenset[str]) -> Identifiers:
        return replace(self, case_keys=self.case_keys | columns)

    def with_id_rule(self, rule: IdRule | None) -> Identifiers:
        return replace(self, id_rule=rule)

    def as_case_key(self, text: str) -> str:
        return self.id_rule.apply(text) if self.id_rule else text.strip().upper()


def public_columns(schema: pa.DataFrameSchema) -> frozenset[str]:
    """The allow-list: columns the schema marks non-identifying."""
    return frozenset(
        name
        for name, column in schema.columns.items()
        if (column.metadata or {}).get("identifying") is False
    )


@dataclass
class ValidationResult:
    source: str
    file: Path
    rows_in: int
    valid: pd.DataFrame
    quarantined: pd.DataFrame
    failures: pd.DataFrame
    dropped_identifiers: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()
    public: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)
    sheet: str | None = None
    # (source_row, column) of failing cells whose value a message may not quote either.
    withheld: frozenset[tuple[object, str]] = frozenset()

    @property
    def ok(self) -> bool:
        return self.failures.empty

    @property
    def fatal(self) -> bool:
        """A failure of the whole file (no data rows): nothing to set aside, the run stops
        in quarantine mode too."""
        return bool((self.failures["source_row"].astype(str) == "file").any())

    def counts(self) -> dict:
        return {
            "source": self.source,
            "file": str(self.file),
            "rows_in": self.rows_in,
            "kept": len(self.valid),
            "quarantined": len(self.quarantined),
            "failures": len(self.failures),
        }

    def summary(self) -> str:
        """The public summary: counts, notes and failures without any identifying value."""
        where = f", sheet {self.sheet!r}" if self.sheet else ""
        lines = [
            f"# Validation of {self.source}",
            "",
            f"File: {self.file}{where}",
            f"Rows read: {self.rows_in}",
            f"Rows kept: {len(self.valid)}",
            f"Rows set aside (quarantine): {len(self.quarantined)}",
            f"Failures: {len(self.failures)}",
        ]
        if self.rows_in == 0:
            lines.append("Warning: the export has a header but no data rows")
        if self.dropped_identifiers:
            lines.append(
                "Columns with direct identifiers, not read: " + ", ".join(self.dropped_identifiers)
            )
        if self.notes:
            lines += ["", *self.notes]
        if not self.failures.empty:
            lines += ["", "Failures per rule:"]
            counts = self.failures.groupby(["column", "rule"], dropna=False).size()
            for (column, rule), n in counts.items():
                lines.append(f"- {column or '(row)'}: {rule} ({n}x)")
            lines += ["", "First failures (file, row, column, rule):"]
            for rec in self.failures.head(20).itertuples(index=False):
                lines.append(f"- {_place(rec.file, rec.source_row, rec.column)}: {rec.message}")
        return "\n".join(lines) + "\n"

    def for_private_area(self, key: bytes, identifiers: Identifiers) -> ValidationResult:
        """Failures and quarantined rows as the private area keeps them (see the module)."""
        return replace(
            self,
            failures=mask_identifiers(
                self.failures,
                key,
                "value",
                "column",
                identifiers,
                public=self.public,
                withheld=self.withheld,
            ),
            quarantined=mask_identifiers(
                self.quarantined,
                key,
                identifiers=identifiers,
                public=self.public,
                layout=self.layout,
                withheld=self.withheld,
            ),
        )


def _parse_number(text: str, decimal_comma: bool) -> float | None:
    cleaned = text.replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned
    try:
        return float(cleaned)
    except ValueError:
        return None


def _parse_date(text: str, date_order: str = "dmy") -> pd.Timestamp | None:
    for fmt in DATE_FORMATS[date_order]:
        try:
            return pd.to_datetime(text, format=fmt)
        except (ValueError, TypeError):
            continue
    return None


def _parse_column(
    texts: pd.Series, kind: str, decimal_comma: bool, date_order: str = "dmy"
) -> tuple[pd.Series, pd.Series]:
    """Return the parsed column and a mask of non-empty cells that failed to parse.

    The rules are those of `_parse_number` / `_parse_date` applied to each cell (an int is a
    whole number, with a decimal comma only if the source has them). Whole columns are
    parsed at once: cells of the plain shapes below in bulk (the same value as `float()` of
    the cell: both parsers round correctly), dates one format at a time over the cells no
    earlier format took; every other non-empty cell goes through the cell-by-cell rules.
    """
    import numpy as np
    import pyarrow
    import pyarrow.compute as pc

    present = texts.notna()
    if kind not in ("int", "float", "date"):
        return texts.astype("string[pyarrow]"), pd.Series(False, index=texts.index)
    cells = texts.to_numpy(dtype=object)
    n = len(cells)
    try:  # text or None, the reader's cells; anything else goes cell by cell
        strings = pyarrow.array(cells, type=pyarrow.string(), from_pandas=False)
        given = np.asarray(pc.is_valid(strings))
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        strings = None
        given = np.array([t is not None for t in cells], dtype=bool)
    bulk = np.zeros(n, dtype=bool)

    if kind == "date":
        values = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        if strings is not None:
            bulk = given.copy()
            todo = given.copy()
            for fmt in DATE_FORMATS[date_order]:  # the first format that parses a cell wins
                rows = np.flatnonzero(todo)
                if not rows.size:
                    break
                dates = pd.to_datetime(cells[rows], format=fmt, errors="coerce")
                ok = np.asarray(dates.notna())
                values[rows[ok]] = dates[ok].as_unit("ns").to_numpy()
                todo[rows[ok]] = False
        for i in np.flatnonzero(given & ~bulk):
            date = _parse_date(cells[i], date_order)
            if date is not None:
                values[i] = pd.Timestamp(date).as_unit("ns").to_datetime64()
        parsed = pd.Series(values, index=texts.index)
        return parsed, present & parsed.isna()

    # Plain shapes: an int of up to 15 digits is exact as a float, so int(float(cell)) is
    # the number itself; up to 20 digits either side of the decimal mark no number over- or
    # underflows.
    shapes = [(r"^[+-]?[0-9]{1,15}(\.0{1,20})?$", False)]
    if kind == "float":
        shapes = [(r"^[+-]?[0-9]{1,20}(\.[0-9]{1,20})?$", False)]
        if decimal_comma:
            shapes.append((r"^[+-]?[0-9]{1,20},[0-9]{1,20}$", True))
    numbers = np.full(n, np.nan)
    if strings is not None:
        for pattern, comma in shapes:
            hit = np.asarray(pc.fill_null(pc.match_substring_regex(strings, pattern), False))
            if hit.any():
                chosen = strings.filter(pyarrow.array(hit))
                if comma:
                    chosen = pc.replace_substring(chosen, ",", ".")
                numbers[hit] = pc.cast(chosen, pyarrow.float64()).to_numpy(zero_copy_only=False)
                bulk |= hit
    rest = np.flatnonzero(given & ~bulk)
    if kind == "float":
        for i in rest:
            number = _parse_number(cells[i], decimal_comma)
            numbers[i] = np.nan if number is None else number
        parsed = pd.Series(pd.array(numbers, dtype="Float64"), index=texts.index)
        return parsed, present & parsed.isna()
    whole = np.zeros(n, dtype=np.int64)
    missing = ~bulk
    whole[bulk] = numbers[bulk].astype(np.int64)
    too_big = {}
    for i in rest:
        t = cells[i]
        if _WHOLE_NUMBER.match(t.replace(",", ".").strip()):
            number = _parse_number(t, decimal_comma)
            if number is not None:
                value = int(number)
                if -(2**63) <= value < 2**63:
                    whole[i] = value
                else:
                    too_big[i] = value
                missing[i] = False
    if too_big:  # beyond Int64: the column as the cell-by-cell parse built it (it raises)
        cells_as_ints = [None if m else int(w) for w, m in zip(whole, missing, strict=True)]
        array = pd.array([too_big.get(i, v) for i, v in enumerate(cells_as_ints)], dtype="Int64")
    else:
        array = pd.arrays.IntegerArray(whole, missing)
    parsed = pd.Series(array, index=texts.index)
    return parsed, present & parsed.isna()


# The shapes of the accepted formats: a cell in one of them that does not parse is no date.
_DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}([-/])\d{1,2}\1\d{4}$")
# A date written with day and month as numbers: (first, separator, second, year).
_DAY_MONTH = re.compile(r"^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$")
ACCEPTED_DATES = {
    "dmy": "2006-03-01, 01-03-2006 or 01/03/2006",
    "mdy": "2006-03-01, 03-01-2006 or 03/01/2006",
}
# What a message may quote from a non-identifying column besides the layout's own codes.
_SHORT_NUMBER = re.compile(r"^[+-]?\d{1,5}([.,]\d{1,4})?$")
_DATE_TEXT = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
# A header cell that is data, not a name (dates, long numbers, e-mail addresses).
_DATA_LIKE = re.compile(r"\d{4}|\d[-/.]\d|@")


class _Quoter:
    """How a message shows a cell: quoted when the column is on the allow-list and the
    value cannot name a person (a code or label of the layout, a short number, a date in a
    date column), otherwise as '<removed>'. Every quoted value is cut to 200 characters."""

    def __init__(self, schema: pa.DataFrameSchema, codebook: dict, public: frozenset[str]):
        self.public = public
        self.kinds = {name: _kind(column.dtype) for name, column in schema.columns.items()}
        vocabulary = set()
        for column in schema.columns.values():
            for check in column.checks:
                allowed = (check.statistics or {}).get("allowed_values")
                if allowed is not None:
                    vocabulary |= {comparable(v) for v in allowed}
        for labels in codebook.values():
            vocabulary |= {comparable(v) for v in labels.values()}
        self.vocabulary = vocabulary

    def shows(self, column: str, value: object) -> bool:
        if column not in self.public or value is None:
            return False
        text = str(value).strip()
        if comparable(text) in self.vocabulary or _SHORT_NUMBER.match(text):
            return True
        return self.kinds.get(column) == "date" and bool(_DATE_TEXT.match(text))

    def __call__(self, column: str, value: object) -> str:
        return repr(cut(str(value))) if self.shows(column, value) else repr(MASK)

    def bare(self, column: str, value: object) -> str:
        """A number as a message shows it, unquoted; a date or anything else not at all."""
        text = str(value).removesuffix(" 00:00:00")
        shown = self.shows(column, text) and _SHORT_NUMBER.match(text.strip())
        return text if shown else MASK


def _parse_message(
    quoted: str, text: str, kind: str, decimal_comma: bool, labels: dict | None, date_order: str
) -> str:
    """Why a cell did not parse, and what to do about it (`quoted`: the cell as shown)."""
    message = f"{quoted} is not a valid {kind}"
    code = _label_code(text, labels)
    if code is not None:
        return f"{message}: it is the label of code {code}; export the codes, not the labels"
    if kind in {"int", "float"} and "," in text and not decimal_comma:
        return (
            f"{message}: it has a decimal comma; set `decimal_comma: true` for this source "
            "or export numbers with a decimal point"
        )
    if kind == "date":
        if _DATE_SHAPE.match(text.strip()):
            return f"{quoted} is an impossible date (no such day in the calendar)"
        if text.strip().isdigit() and len(text.strip()) == 5:
            return f"{message}: it looks like an Excel day number; format the column as a date"
        return f"{message}: write dates as {ACCEPTED_DATES[date_order]}"
    return message


def _label_code(text: str, labels: dict | None) -> object:
    for code, label in (labels or {}).items():
        if comparable(label) == comparable(text):
            return code
    return None


def _kind(dtype: object) -> str:
    name = str(dtype).lower()
    if "int" in name:
        return "int"
    if "float" in name:
        return "float"
    if "datetime" in name:
        return "date"
    return "text"


def _failure(file: str, row: object, column: str, value: object, rule: str, message: str) -> dict:
    return {
        "file": file,
        "source_row": row,
        "column": column,
        "value": None
        if value is None or (not isinstance(value, str) and pd.isna(value))
        else cut(str(value)),
        "rule": rule,
        "message": message,
    }


def validate_export(
    export: Export,
    model: type[pa.DataFrameModel] | pa.DataFrameSchema,
    *,
    source: str,
    decimal_comma: bool = False,
    date_order: str = "dmy",
    extra_columns: str = "fail",
    codebook: dict[str, dict] | None = None,
    identifiers: Identifiers = Identifiers(),
) -> ValidationResult:
    """Validate one export; never raises for data problems, always accounts for each row.
    `codebook` gives the value labels each coded column must carry (SPSS exports);
    `identifiers` the study's identifying columns and id rule; `date_order` the order of
    day and month in dates written as text ('dmy' or 'mdy')."""
    schema = model if isinstance(model, pa.DataFrameSchema) else model.to_schema()
    codebook = codebook or {}
    file = str(export.path)
    expected = list(schema.columns)
    public = public_columns(schema)
    quote = _Quoter(schema, codebook, public)
    # Names, addresses and the like are never needed: drop them before anything else.
    dropped = tuple(
        c for c in export.frame.columns if c in identifiers.direct and c not in expected
    )
    text = export.frame.drop(columns=list(dropped))
    rows_in = len(text)
    failures: list[dict] = []
    notes: list[str] = []

    def result(valid: pd.DataFrame, quarantined: pd.DataFrame) -> ValidationResult:
        # A failing value of an allow-listed column that a message would not quote (a name
        # typed into the wrong column) is not copied into the private QC files either.
        withheld = frozenset(
            (f["source_row"], f["column"])
            for f in failures
            if f["column"] in public
            and f["value"] is not None
            and not quote.shows(f["column"], f["value"])
        )
        return ValidationResult(
            source,
            export.path,
            rows_in,
            valid,
            quarantined,
            _failure_frame(failures),
            dropped,
            tuple(expected),
            public,
            notes,
            export.sheet,
            withheld,
        )

    if rows_in == 0:
        failures.append(
            _failure(
                file,
                "file",
                "",
                None,
                "has_rows",
                "the export has a header row but no data rows: export it again with its "
                "data (an export with no records yet cannot stand in for the source)",
            )
        )
        return result(text.iloc[0:0], text.iloc[0:0])

    failures += _header_failures(text, expected, source, file, extra_columns, identifiers)
    if failures:
        # Without the agreed layout no row can be trusted: set every row aside.
        return result(text.iloc[0:0], text.copy())

    bad_rows: set[int] = set()
    row_index = pd.Series(text.index, index=text[SOURCE_ROW].to_numpy())
    for problem in export.cell_problems:
        if problem.column in dropped or problem.row not in row_index.index:
            continue
        bad_rows.add(int(row_index[problem.row]))
        failures.append(
            _failure(file, problem.row, problem.column, None, problem.rule, problem.message)
        )

    text = _normalise_case_keys(text, identifiers, notes)

    for failure in _label_failures(export, codebook, text, file):
        failures.append(failure)
        if failure["source_row"] != "header":
            bad_rows.update(text.index[text[SOURCE_ROW] == failure["source_row"]])
    parsed = pd.DataFrame(index=text.index)
    for column, spec in schema.columns.items():
        kind = _kind(spec.dtype)
        values, bad = _parse_column(text[column], kind, decimal_comma, date_order)
        parsed[column] = values
        swapped: set[int] = set()
        if kind == "date":
            order_failures, flagged, swapped = _date_order_failures(
                text, column, bad, date_order, file, quote
            )
            failures += order_failures
            bad_rows.update(flagged)
        for idx in text.index[bad]:
            bad_rows.add(idx)
            if idx in swapped:
                continue
            cell = text.at[idx, column]
            failures.append(
                _failure(
                    file,
                    text.at[idx, SOURCE_ROW],
                    column,
                    cell,
                    f"parse_{kind}",
                    _parse_message(
                        quote(column, cell),
                        cell,
                        kind,
                        decimal_comma,
                        codebook.get(column),
                        date_order,
                    ),
                )
            )

    try:
        schema.validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as err:
        failures += _model_failures(err, text, parsed, bad_rows, codebook, identifiers, quote, file)
        _name_other_rows(failures)

    bad = text.index.isin(sorted(bad_rows))
    valid = parsed.loc[~bad].copy()
    valid.insert(0, SOURCE_ROW, text.loc[~bad, SOURCE_ROW].astype("int64"))
    return result(valid.reset_index(drop=True), text.loc[bad].reset_index(drop=True))


def _header_failures(
    text: pd.DataFrame,
    expected: list[str],
    source: str,
    file: str,
    extra_columns: str,
    identifiers: Identifiers,
) -> list[dict]:
    """Missing, unknown and misplaced column names. A header cell is quoted only when row 1
    is a header at all and the cell is no data (a date, a case number...): when the header
    row is missing, row 1 holds a family's values."""
    failures = []
    names = list(text.columns)
    missing = [c for c in expected if c not in text.columns]
    unexpected = [c for c in names if c != SOURCE_ROW and c not in expected]
    pattern = identifiers.case_key_pattern
    case_number = bool(pattern) and any(
        re.match(pattern, identifiers.as_case_key(c)) for c in unexpected
    )
    if unexpected and (case_number or len(missing) == len(expected)):
        what = "a case number" if case_number else "values"
        failures.append(
            _failure(
                file,
                "header",
                "",
                None,
                "header_row",
                f"row 1 holds data ({what}) instead of the column names of the {source} "
                "export: the header row is missing (add it), or this is another export",
            )
        )
        unexpected = []
    for column in missing:
        failures.append(
            _failure(
                file,
                "header",
                column,
                None,
                "column_present",
                f"column {column!r} is missing from the export",
            )
        )
    if extra_columns == "fail":
        for column in unexpected:
            position = names.index(column) - 1  # names[0] is source_row
            shown = column
            if _DATA_LIKE.search(column) or (
                pattern and re.search(pattern.removeprefix("^").removesuffix("$"), column)
            ):
                from openpyxl.utils import get_column_letter

                shown = get_column_letter(position + 1)
                message = (
                    f"the name of column {shown} is not part of the {source} export layout "
                    "(it looks like data, so it is not shown here): check the header row"
                )
            else:
                message = _unknown_column(column, source, missing, names)
            failures.append(_failure(file, "header", shown, None, "column_known", message))
    if missing:
        failures += _header_below(text, missing, file)
    return failures


def _normalise_case_keys(
    text: pd.DataFrame, identifiers: Identifiers, notes: list[str]
) -> pd.DataFrame:
    """Every case key written by the study's id rule; a note of the ids rewritten (by row
    and what changed, never the id)."""
    rule = identifiers.id_rule
    if rule is None:
        return text
    for column in sorted(identifiers.case_keys & set(text.columns)):
        rewritten, changed = rule.apply_column(text[column])
        if not changed.any():
            continue
        rows = [
            f"{row} ({', '.join(rule.changes(str(before)))})"
            for row, before in zip(
                text.loc[changed, SOURCE_ROW].head(10),
                text.loc[changed, column].head(10),
                strict=True,
            )
        ]
        more = f" and {int(changed.sum()) - 10} more" if changed.sum() > 10 else ""
        notes.append(
            f"Case ids rewritten by the study's id rule ({rule.describe()}) in column "
            f"{column!r}: {int(changed.sum())} (rows {', '.join(rows)}{more})"
        )
        text[column] = rewritten
    return text


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _date_order_failures(
    text: pd.DataFrame,
    column: str,
    failed: pd.Series,
    order: str,
    file: str,
    quote: _Quoter,
) -> tuple[list[dict], set[int], set[int]]:
    """Dates only valid with day and month swapped, and, when a column holds any, the dates
    valid either way (they cannot be trusted): failures, rows to set aside, swapped rows."""
    other = "mdy" if order == "dmy" else "dmy"
    cells = text[column]
    swapped = []
    for idx in cells.index[failed.to_numpy(dtype=bool)]:
        match = _DAY_MONTH.match(str(cells[idx]).strip())
        if not match:
            continue
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        day, month = (first, second) if order == "dmy" else (second, first)
        if not _valid_date(year, month, day) and _valid_date(year, day, month):
            swapped.append(idx)
    if not swapped:
        return [], set(), set()
    ambiguous, shaped = [], 0
    for idx, cell in cells[~failed.to_numpy(dtype=bool) & cells.notna().to_numpy()].items():
        match = _DAY_MONTH.match(str(cell).strip())
        if not match:
            continue
        shaped += 1
        first, second = int(match[1]), int(match[3])
        if first != second and first <= 12 and second <= 12:
            ambiguous.append(idx)
    rows = text[SOURCE_ROW]
    failures = []
    for idx in swapped:
        failures.append(
            _failure(
                file,
                rows[idx],
                column,
                cells[idx],
                "date_order",
                f"{quote(column, cells[idx])} is no date read {ORDER_NAMES[order]}, the order "
                f"declared for this source, but it is one read {ORDER_NAMES[other]}: day and "
                "month look swapped",
            )
        )
    for idx in ambiguous:
        failures.append(
            _failure(
                file,
                rows[idx],
                column,
                cells[idx],
                "date_order_ambiguous",
                f"{quote(column, cells[idx])} is a date read either way, but other dates in "
                f"this column are only valid read {ORDER_NAMES[other]}: its day and month "
                "cannot be told apart; check it in the source",
            )
        )
    examples = ", ".join(f"row {rows[i]}: {quote(column, cells[i])}" for i in swapped[:3])
    # An export written in the other order has most of its dates only valid that way
    # (about 60%); a few typos stay well below a third.
    mostly = len(swapped) * 3 >= shaped + len(swapped)
    advice = (
        f"the export seems to write dates {ORDER_NAMES[other]}: export them "
        f"{ORDER_NAMES[order]}, or set `date_order: {other}` for this source in the config"
        if mostly
        else "they were probably typed in the other order: correct them in the source"
    )
    failures.append(
        _failure(
            file,
            "header",
            column,
            None,
            "date_order",
            f"likely day/month mix-up: {len(swapped)} date(s) in column {column!r} are only "
            f"valid read {ORDER_NAMES[other]} ({examples}) and {len(ambiguous)} more can be "
            f"read either way; {advice}",
        )
    )
    return failures, set(swapped) | set(ambiguous), set(swapped)


def _model_failures(
    err: pa.errors.SchemaErrors,
    text: pd.DataFrame,
    parsed: pd.DataFrame,
    bad_rows: set[int],
    codebook: dict,
    identifiers: Identifiers,
    quote: _Quoter,
    file: str,
) -> list[dict]:
    """The pandera failures, one per row and rule (rows whose cells did not parse are
    already reported); adds the failing rows to `bad_rows`."""
    failures = []
    unparsed = set(bad_rows)
    row_checks: set[tuple[int, str]] = set()
    for case in err.failure_cases.itertuples(index=False):
        idx = case.index
        if idx is None or pd.isna(idx):
            continue  # a check that errored on parse failures already reported above
        idx = int(idx)
        column = case.column if isinstance(case.column, str) else ""
        check = str(case.check)
        if case.schema_context == "DataFrameSchema" and "uniqueness" not in check:
            # A rule across the columns of a row: one failure for the row, not one per
            # column; a row whose cells did not parse is already set aside.
            if idx in unparsed or (idx, check) in row_checks:
                continue
            row_checks.add((idx, check))
            column = ""
        elif (
            column
            and column in parsed.columns
            and idx in bad_rows
            and pd.isna(parsed.at[idx, column])
        ):
            continue
        bad_rows.add(idx)
        if column:
            value = text.at[idx, column] if column in text.columns else case.failure_case
        else:
            value = None
        failures.append(
            _failure(
                file,
                text.at[idx, SOURCE_ROW],
                column,
                value,
                check,
                _describe(check, column, value, codebook.get(column), identifiers, quote),
            )
        )
    return failures


def _name_other_rows(failures: list[dict]) -> None:
    """A duplicate key's message names the other rows with the same key."""
    rows: dict[tuple, list] = {}
    for f in failures:
        if "uniqueness" in f["rule"]:
            rows.setdefault((f["rule"], f["column"], f["value"]), []).append(f["source_row"])
    for f in failures:
        if "uniqueness" in f["rule"]:
            others = [r for r in rows[(f["rule"], f["column"], f["value"])] if r != f["source_row"]]
            if others:
                f["message"] += f"; the same value is in row {', '.join(map(str, others))}"


def _unknown_column(column: str, source: str, missing: list[str], columns: list[str]) -> str:
    message = f"column {column!r} is not part of the {source} export layout"
    if column.startswith("Unnamed: "):
        from openpyxl.utils import get_column_letter

        position = columns.index(column)  # columns[0] is source_row
        return (
            f"column {get_column_letter(position)} has an empty header cell (merged with "
            "its neighbour?); give it its name"
        )
    close = [m for m in missing if comparable(m) == comparable(column)]
    close = close or difflib.get_close_matches(column, missing, n=1, cutoff=0.75)
    if close:
        return f"{message}; did you mean {close[0]!r} (missing)?"
    return message


def _header_below(text: pd.DataFrame, missing: list[str], file: str) -> list[dict]:
    """The column names in a data row: a title or merged header row stands above them."""
    wanted = {comparable(c) for c in missing}
    for idx in text.index[:5]:
        cells = {comparable(v) for v in text.loc[idx].drop(SOURCE_ROW) if v is not None}
        if len(cells & wanted) >= max(2, len(wanted) // 2):
            row = text.at[idx, SOURCE_ROW]
            return [
                _failure(
                    file,
                    "header",
                    "",
                    None,
                    "header_row",
                    f"the column names stand in row {row}, below a title or merged header "
                    f"row: remove the row(s) above row {row}",
                )
            ]
    return []


def _label_failures(export: Export, codebook: dict, text: pd.DataFrame, file: str) -> list[dict]:
    """Codes whose value label in the file differs from the codebook: recoded, not to trust.
    Labels are compared in one Unicode form, so a label another tool wrote decomposed is
    the same label."""
    failures = []
    for column, labels in codebook.items():
        found = export.value_labels.get(column)
        if not found or column not in text.columns:
            continue
        for code, label in labels.items():
            got = found.get(str(code))
            if got is None or comparable(got) == comparable(label):
                continue
            message = (
                f"code {code} of {column!r} is labelled {cut(got)!r} in this file but "
                f"{label!r} in the codebook: the codes may have been recoded; rows with this "
                "code are set aside until the codebook or the export is corrected"
            )
            failures.append(
                _failure(file, "header", column, f"{code} = {got}", "value_label", message)
            )
            for row in text.loc[text[column] == str(code), SOURCE_ROW]:
                failures.append(_failure(file, row, column, str(code), "value_label", message))
    return failures


def _describe(
    check: str,
    column: str,
    value: object = None,
    labels: dict | None = None,
    identifiers: Identifiers = Identifiers(),
    quote: _Quoter | None = None,
) -> str:
    if "uniqueness" in check or check == "field_uniqueness":
        return f"duplicate key in {column!r}"
    if check.startswith("isin"):
        message = f"value not among the allowed categories {check[4:]}"
        allowed = re.findall(r"'([^']*)'", check[4:])
        close = [a for a in allowed if comparable(a) == comparable(value)]
        if close:
            return f"{message}; did you mean {close[0]!r}?"
        if labels and value is not None:
            meant = labels.get(_as_code(value))
            codes = ", ".join(
                f"{c} = {labels[c]!r}"
                for c in map(_as_code, re.findall(r"[^\[\], ]+", check[4:]))
                if c in labels
            )
            if meant is not None and codes:
                shown = quote.bare(column, value) if quote else value
                return f"{message}: {shown} means {meant!r}, this file allows {codes}"
        return message
    if check.startswith(("greater_than", "less_than", "in_range")):
        bound = {
            "greater_than_or_equal_to": "below the minimum",
            "greater_than": "not above",
            "less_than_or_equal_to": "above the maximum",
            "less_than": "not below",
        }.get(check.split("(")[0])
        limit = check[check.index("(") + 1 : -1].removesuffix(" 00:00:00")
        shown = quote.bare(column, value) if quote else value
        if bound:
            return f"value {shown} out of range: {bound} {limit} ({check})"
        return f"value {shown} out of range: {check}"
    if check == "not_nullable":
        return f"{column!r} must not be empty"
    if check.startswith("str_matches") and column in identifiers.case_keys:
        # The case number itself stays out of the message (it is pseudonymised in the value).
        rule = identifiers.id_rule
        after = f" (after the study's id rule: {rule.describe()})" if rule else ""
        return f"not {identifiers.case_key_form}{after}"
    return check


def _as_code(value: object) -> object:
    try:
        return int(float(str(value)))
    except ValueError:
        return value


def _failure_frame(failures: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(failures, columns=FAILURE_COLUMNS)
    if frame.empty:
        return frame
    frame["_row"] = pd.to_numeric(frame["source_row"], errors="coerce").fillna(-1)
    frame = frame.sort_values(["file", "_row", "column", "rule"], kind="stable")
    return frame.drop(columns="_row").drop_duplicates().reset_index(drop=True)


def failure_frame_for_read_error(file: str | Path, err: Exception) -> pd.DataFrame:
    """A file that cannot be read at all is one failure at the file level."""
    return _failure_frame([_failure(str(file), "file", "", None, "readable", str(err))])


def mask_identifiers(
    frame: pd.DataFrame,
    key: bytes,
    value_column: str | None = None,
    column_column: str | None = None,
    identifiers: Identifiers = Identifiers(),
    *,
    public: frozenset[str] = frozenset(),
    layout: tuple[str, ...] | None = None,
    withheld: frozenset[tuple[object, str]] = frozenset(),
) -> pd.DataFrame:
    """A copy for the private area's QC files: case numbers become pseudonyms, values of
    columns off the allow-list (`public`) are removed, long cells are cut.

    For a wide frame (quarantined rows) only `source_row` and the `layout` columns are kept
    (never a column the layout does not know); for a long frame (failures: one value per
    row, named in `column_column`) the value is kept, pseudonymised or removed by the
    column it came from. The `withheld` cells (source row, column) are removed whatever
    their column.
    """
    from ekc.core.pseudonym import pseudonym

    keys = identifiers.case_keys

    def shown(column: str, value: object, row: object = None) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if (row, column) in withheld:
            return MASK
        if column in keys:
            return pseudonym(str(value), key)
        if column in public:
            return cut(str(value))
        return MASK

    if value_column is None:
        kept = [c for c in frame.columns if c == SOURCE_ROW or layout is None or c in layout]
        out = frame[kept].copy()
        rows = out[SOURCE_ROW] if SOURCE_ROW in out.columns else [None] * len(out)
        for column in kept:
            if column != SOURCE_ROW:
                out[column] = [shown(column, v, r) for v, r in zip(out[column], rows, strict=True)]
        return out
    out = frame.copy()
    out[value_column] = [
        shown(column, value, row)
        for column, value, row in zip(
            out[column_column], out[value_column], out[SOURCE_ROW], strict=True
        )
    ]
    return out
