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

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ekc.io.readers import SOURCE_ROW, Export

FAILURE_COLUMNS = ["file", "source_row", "column", "value", "rule", "message"]
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+(\.0+)?$")


class ValidationFailed(RuntimeError):
    """Raised in strict mode when an export has failures."""


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
        if self.dropped_identifiers:
            lines.append(
                "Columns with direct identifiers, not read: " + ", ".join(self.dropped_identifiers)
            )
        if not self.failures.empty:
            lines += ["", "Failures per rule:"]
            counts = self.failures.groupby(["column", "rule"], dropna=False).size()
            for (column, rule), n in counts.items():
                lines.append(f"- {column}: {rule} ({n}x)")
            lines += ["", "First failures (file, row, column, value, rule):"]
            for rec in self.failures.head(20).itertuples(index=False):
                lines.append(
                    f"- {rec.file}, row {rec.source_row}, column {rec.column!r}, "
                    f"value {rec.value!r}: {rec.message}"
                )
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
    """Return the parsed column and a mask of non-empty cells that failed to parse."""
    present = texts.notna()
    if kind == "int":
        values = [
            (
                int(float(_parse_number(t, decimal_comma)))
                if (t is not None and _WHOLE_NUMBER.match(t.replace(",", ".").strip()))
                else None
            )
            for t in texts
        ]
        parsed = pd.array(values, dtype="Int64")
    elif kind == "float":
        parsed = pd.array(
            [None if t is None else _parse_number(t, decimal_comma) for t in texts],
            dtype="Float64",
        )
    elif kind == "date":
        parsed = pd.to_datetime(pd.Series([None if t is None else _parse_date(t) for t in texts]))
        parsed = parsed.astype("datetime64[ns]")
    else:
        return texts.astype("string[pyarrow]"), pd.Series(False, index=texts.index)
    parsed = pd.Series(parsed, index=texts.index)
    return parsed, present & parsed.isna()


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
    model: type[pa.DataFrameModel],
    *,
    source: str,
    decimal_comma: bool = False,
    extra_columns: str = "fail",
) -> ValidationResult:
    """Validate one export; never raises for data problems, always accounts for each row."""
    from ekc.schemas.common import DIRECT_IDENTIFIER_COLUMNS

    schema = model.to_schema()
    file = str(export.path)
    expected = list(schema.columns)
    # Names, addresses and the like are never needed: drop them before anything else.
    dropped = tuple(
        c for c in export.frame.columns if c in DIRECT_IDENTIFIER_COLUMNS and c not in expected
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
    if extra_columns == "fail":
        for column in unexpected:
            failures.append(
                _failure(
                    file,
                    "header",
                    column,
                    None,
                    "column_known",
                    f"column {column!r} is not part of the {source} export layout",
                )
            )
    if missing or (unexpected and extra_columns == "fail"):
        # Without the agreed layout no row can be trusted: set every row aside.
        empty = text.iloc[0:0]
        return ValidationResult(
            source, export.path, rows_in, empty, text.copy(), _failure_frame(failures), dropped
        )

    parsed = pd.DataFrame(index=text.index)
    bad_rows: set[int] = set()
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
                    f"{text.at[idx, column]!r} is not a valid {kind}",
                )
            )

    try:
        schema.validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        for case in cases.itertuples(index=False):
            idx = case.index
            if idx is None or pd.isna(idx):
                continue  # a check that errored on parse failures already reported above
            idx = int(idx)
            column = case.column if isinstance(case.column, str) else ""
            if (
                column
                and column in parsed.columns
                and idx in bad_rows
                and pd.isna(parsed.at[idx, column])
            ):
                continue
            bad_rows.add(idx)
            value = text.at[idx, column] if column in text.columns else case.failure_case
            failures.append(
                _failure(
                    file,
                    text.at[idx, SOURCE_ROW],
                    column,
                    value,
                    str(case.check),
                    _describe(str(case.check), column),
                )
            )

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


def _describe(check: str, column: str) -> str:
    if "uniqueness" in check or check == "field_uniqueness":
        return f"duplicate key in {column!r}"
    if check.startswith("isin"):
        return f"value not among the allowed categories {check[4:]}"
    if check.startswith(("greater_than", "less_than", "in_range")):
        return f"value out of range: {check}"
    if check == "not_nullable":
        return f"{column!r} must not be empty"
    return check


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
) -> pd.DataFrame:
    """A copy safe for results/: case numbers become pseudonyms, direct identifiers go.

    For a wide frame (quarantined rows) identifier columns are masked; for a long frame
    (failures: one value per row, named in `column_column`) the value is masked when the
    column it came from identifies someone.
    """
    from ekc.pseudonym import pseudonym
    from ekc.schemas.common import CASE_KEY_COLUMNS, DIRECT_IDENTIFIER_COLUMNS

    out = frame.copy()
    if value_column is None:
        for column in out.columns:
            if column in CASE_KEY_COLUMNS:
                out[column] = [
                    None if v is None or pd.isna(v) else pseudonym(str(v), key) for v in out[column]
                ]
            elif column in DIRECT_IDENTIFIER_COLUMNS:
                out[column] = [None if v is None or pd.isna(v) else MASK for v in out[column]]
        return out
    for idx, column in out[column_column].items():
        value = out.at[idx, value_column]
        if value is None or pd.isna(value):
            continue
        if column in CASE_KEY_COLUMNS:
            out.at[idx, value_column] = pseudonym(str(value), key)
        elif column in DIRECT_IDENTIFIER_COLUMNS:
            out.at[idx, value_column] = MASK
    return out
