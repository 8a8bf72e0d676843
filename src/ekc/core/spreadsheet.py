"""CSV cells a spreadsheet program will not run as formulas.

Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` (and, in some
versions, a tab or carriage return) as a formula: `=HYPERLINK(...)` in a quarantined row
becomes a live link when a reviewer opens the CSV. Such text cells get a leading apostrophe,
which both programs show as plain text (OWASP, "CSV Injection"). Numbers are left alone: a
number column is never text, and a text cell holding a plain number ('-1', '+2,5') or a lone
dash is no formula, so results tables keep their bytes.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")


def escape_formula(value: object) -> object:
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if len(value) == 1 or _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a formula (only text columns are looked at)."""
    text_columns = [
        c
        for c in frame.columns
        if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]
    out = frame
    for column in text_columns:
        cells = frame[column]
        # Arrow's regex kernel finds the candidates; only those are looked at one by one.
        starts = cells.astype("string[pyarrow]").str.match(_FORMULA_START_PATTERN)
        candidates = cells[starts.fillna(False).to_numpy(dtype=bool)]
        escaped = candidates.map(escape_formula)
        changed = [a is not b for a, b in zip(escaped, candidates, strict=True)]
        if not any(changed):
            continue
        if out is frame:
            out = frame.copy()
        out[column] = cells.astype(object)
        out.loc[escaped.index[changed], column] = escaped[changed]
        out[column] = out[column].astype(cells.dtype)
    return out
