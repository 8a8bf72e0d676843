"""Validate a raw export against its pandera model and account for every row.

Steps, all of which collect failures instead of stopping at the first:
1. columns: missing and unexpected columns;
2. parsing: each text cell is parsed to the type the model declares; a non-empty cell that
   does not parse is a failure (never silently missing);
3. the pandera model, validated lazily (ranges, categories, uniqueness, cross-column rules).

The outcome keeps rows in = rows kept + rows quarantined, with one failure record per
(row, column, rule) giving the file, the row a data manager sees, the value and the rule.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ekc.core.readers import SOURCE_ROW, Export

FAILURE_COLUMNS = ["file", "source_row", "column", "value", "rule", "message"]
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(\.0+)?$")


class ValidationFailed(RuntimeError):
    """Raised in strict mode when an export has failures."""


# Columns that name a person: never needed, dropped before anything else, masked if quoted.
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
    say what a valid one looks like) and the columns that name a person (dropped)."""

    case_keys: frozenset[str] = frozenset()
    case_key_pattern: str | None = None
    case_key_form: str = "a case number"
    direct: frozenset[str] = DIRECT_IDENTIFIER_COLUMNS

    def with_case_keys(self, columns: frozenset[str]) -> Identifiers:
        return Identifiers(
            self.case_keys | columns, self.case_key_pattern, self.case_key_form, self.direct
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

    @property
    def ok(self) -> bool:
        return self.failures.empty

    def summary(self) -> str:
        lines = [
            f"# Validation of {self.source}",
            "",
            f"File: {self.file}",
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
        if not self.failures.empty:
            lines += ["", "Failures per rule:"]
            counts = self.failures.groupby(["column", "rule"], dropna=False).size()
            for (column, rule), n in counts.items():
                lines.append(f"- {column or '(row)'}: {rule} ({n}x)")
            lines += ["", "First failures (file, row, column, value, rule):"]
            for rec in self.failures.head(20).itertuples(index=False):
                where = f", column {rec.column!r}, value {rec.value!r}" if rec.column else ""
                lines.append(f"- {rec.file}, row {rec.source_row}{where}: {rec.message}")
        return "\n".join(lines) + "\n"


def _parse_number(text: str, decimal_comma: bool) -> float | None:
    cleaned = text.replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned
    try:
        return float(cleaned)
    except ValueError:
        return None


def _parse_date(text: str) -> pd.Timestamp | None:
    for fmt in DATE_FORMATS:
        try:
            return pd.to_datetime(text, format=fmt)
        except (ValueError, TypeError):
            continue
    return None


def _parse_column(texts: pd.Series, kind: str, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
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
            for fmt in DATE_FORMATS:  # the first format that parses a cell wins
                rows = np.flatnonzero(todo)
                if not rows.size:
                    break
                dates = pd.to_datetime(cells[rows], format=fmt, errors="coerce")
                ok = np.asarray(dates.notna())
                values[rows[ok]] = dates[ok].as_unit("ns").to_numpy()
                todo[rows[ok]] = False
        for i in np.flatnonzero(given & ~bulk):
            date = _parse_date(cells[i])
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
ACCEPTED_DATES = "2006-03-01, 01-03-2006 or 01/03/2006"


def _parse_message(text: str, kind: str, decimal_comma: bool, labels: dict | None) -> str:
    """Why a cell did not parse, and what to do about it."""
    message = f"{text!r} is not a valid {kind}"
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
            return f"{text!r} is an impossible date (no such day in the calendar)"
        if text.strip().isdigit() and len(text.strip()) == 5:
            return f"{message}: it looks like an Excel day number; format the column as a date"
        return f"{message}: write dates as {ACCEPTED_DATES}"
    return message


def _label_code(text: str, labels: dict | None) -> object:
    for code, label in (labels or {}).items():
        if _norm(label) == _norm(text):
            return code
    return None


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


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
        else str(value),
        "rule": rule,
        "message": message,
    }


def validate_export(
    export: Export,
    model: type[pa.DataFrameModel] | pa.DataFrameSchema,
    *,
    source: str,
    decimal_comma: bool = False,
    extra_columns: str = "fail",
    codebook: dict[str, dict] | None = None,
    identifiers: Identifiers = Identifiers(),
) -> ValidationResult:
    """Validate one export; never raises for data problems, always accounts for each row.
    `codebook` gives the value labels each coded column must carry (SPSS exports);
    `identifiers` the study's identifying columns."""
    schema = model if isinstance(model, pa.DataFrameSchema) else model.to_schema()
    codebook = codebook or {}
    file = str(export.path)
    expected = list(schema.columns)
    # Names, addresses and the like are never needed: drop them before anything else.
    dropped = tuple(
        c for c in export.frame.columns if c in identifiers.direct and c not in expected
    )
    text = export.frame.drop(columns=list(dropped))
    rows_in = len(text)
    failures: list[dict] = []

    missing = [c for c in expected if c not in text.columns]
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
    unexpected = [c for c in text.columns if c != SOURCE_ROW and c not in expected]
    pattern = identifiers.case_key_pattern
    if pattern and any(re.match(pattern, c.strip().upper()) for c in unexpected):
        # Data where the names should be: never echo them (case numbers, birth dates).
        unexpected = []
        failures.append(
            _failure(
                file,
                "header",
                "",
                None,
                "header_row",
                "row 1 holds data (a case number) instead of the column names: the header "
                "row is missing; add it",
            )
        )
    if extra_columns == "fail":
        for column in unexpected:
            failures.append(
                _failure(
                    file,
                    "header",
                    column,
                    None,
                    "column_known",
                    _unknown_column(column, source, missing, list(export.frame.columns)),
                )
            )
    if missing:
        failures += _header_below(text, missing, file)
    if missing or (unexpected and extra_columns == "fail") or failures:
        # Without the agreed layout no row can be trusted: set every row aside.
        empty = text.iloc[0:0]
        return ValidationResult(
            source, export.path, rows_in, empty, text.copy(), _failure_frame(failures), dropped
        )

    bad_rows: set[int] = set()
    for failure in _label_failures(export, codebook, text, file):
        failures.append(failure)
        if failure["source_row"] != "header":
            bad_rows.update(text.index[text[SOURCE_ROW] == failure["source_row"]])
    parsed = pd.DataFrame(index=text.index)
    for column, spec in schema.columns.items():
        kind = _kind(spec.dtype)
        values, bad = _parse_column(text[column], kind, decimal_comma)
        parsed[column] = values
        for idx in text.index[bad]:
            bad_rows.add(idx)
            failures.append(
                _failure(
                    file,
                    text.at[idx, SOURCE_ROW],
                    column,
                    text.at[idx, column],
                    f"parse_{kind}",
                    _parse_message(text.at[idx, column], kind, decimal_comma, codebook.get(column)),
                )
            )

    try:
        schema.validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        unparsed = set(bad_rows)
        row_checks: set[tuple[int, str]] = set()
        for case in cases.itertuples(index=False):
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
                    _describe(check, column, value, codebook.get(column), identifiers),
                )
            )
        _name_other_rows(failures)

    bad = text.index.isin(sorted(bad_rows))
    valid = parsed.loc[~bad].copy()
    valid.insert(0, SOURCE_ROW, text.loc[~bad, SOURCE_ROW].astype("int64"))
    return ValidationResult(
        source,
        export.path,
        rows_in,
        valid.reset_index(drop=True),
        text.loc[bad].reset_index(drop=True),
        _failure_frame(failures),
        dropped,
    )


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
    close = [m for m in missing if _norm(m) == _norm(column)]
    close = close or difflib.get_close_matches(column, missing, n=1, cutoff=0.75)
    if close:
        return f"{message}; did you mean {close[0]!r} (missing)?"
    return message


def _header_below(text: pd.DataFrame, missing: list[str], file: str) -> list[dict]:
    """The column names in a data row: a title or merged header row stands above them."""
    wanted = {_norm(c) for c in missing}
    for idx in text.index[:5]:
        cells = {_norm(v) for v in text.loc[idx].drop(SOURCE_ROW) if v is not None}
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
    """Codes whose value label in the file differs from the codebook: recoded, not to trust."""
    failures = []
    for column, labels in codebook.items():
        found = export.value_labels.get(column)
        if not found or column not in text.columns:
            continue
        for code, label in labels.items():
            got = found.get(str(code))
            if got is None or _norm(got) == _norm(label):
                continue
            message = (
                f"code {code} of {column!r} is labelled {got!r} in this file but {label!r} in "
                "the codebook: the codes may have been recoded; rows with this code are set "
                "aside until the codebook or the export is corrected"
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
) -> str:
    if "uniqueness" in check or check == "field_uniqueness":
        return f"duplicate key in {column!r}"
    if check.startswith("isin"):
        message = f"value not among the allowed categories {check[4:]}"
        allowed = re.findall(r"'([^']*)'", check[4:])
        close = [a for a in allowed if _norm(a) == _norm(value)]
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
                return f"{message}: {value} means {meant!r}, this file allows {codes}"
        return message
    if check.startswith(("greater_than", "less_than", "in_range")):
        bound = {
            "greater_than_or_equal_to": "below the minimum",
            "greater_than": "not above",
            "less_than_or_equal_to": "above the maximum",
            "less_than": "not below",
        }.get(check.split("(")[0])
        limit = check[check.index("(") + 1 : -1].removesuffix(" 00:00:00")
        if bound:
            return f"value {value} out of range: {bound} {limit} ({check})"
        return f"value {value} out of range: {check}"
    if check == "not_nullable":
        return f"{column!r} must not be empty"
    if check.startswith("str_matches") and column in identifiers.case_keys:
        normal = re.sub(r"\s+", "", str(value)).upper()
        pattern = identifiers.case_key_pattern
        # The case number itself stays out of the message (it is masked in the value).
        hint = (
            "; written in capitals without spaces it would be valid"
            if pattern and re.match(pattern, normal)
            else ""
        )
        return f"not {identifiers.case_key_form}{hint}"
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


MASK = "<removed>"


def mask_identifiers(
    frame: pd.DataFrame,
    key: bytes,
    value_column: str | None = None,
    column_column: str | None = None,
    identifiers: Identifiers = Identifiers(),
) -> pd.DataFrame:
    """A copy safe for results/: case numbers become pseudonyms, direct identifiers go.

    For a wide frame (quarantined rows) identifier columns are masked; for a long frame
    (failures: one value per row, named in `column_column`) the value is masked when the
    column it came from identifies someone.
    """
    from ekc.core.pseudonym import pseudonym

    keys, direct = identifiers.case_keys, identifiers.direct
    out = frame.copy()
    if value_column is None:
        for column in out.columns:
            if column in keys:
                out[column] = [
                    None if v is None or pd.isna(v) else pseudonym(str(v), key) for v in out[column]
                ]
            elif column in direct:
                out[column] = [None if v is None or pd.isna(v) else MASK for v in out[column]]
        return out
    for idx, column in out[column_column].items():
        value = out.at[idx, value_column]
        if value is None or pd.isna(value):
            continue
        if column in keys:
            out.at[idx, value_column] = pseudonym(str(value), key)
        elif column in direct:
            out.at[idx, value_column] = MASK
        else:
            continue
        # A message may quote the value it is about ("'1-1-90' is not a valid date").
        if "message" in out.columns and isinstance(out.at[idx, "message"], str):
            out.at[idx, "message"] = out.at[idx, "message"].replace(
                str(value), str(out.at[idx, value_column])
            )
    return out
