"""CSV cells a spreadsheet would run as formulas are escaped; numbers are left alone."""

from __future__ import annotations

import pandas as pd
import pytest

from ekc.core.spreadsheet import escape_formula, spreadsheet_safe
from ekc.core.stats.records import write_table


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x.example","klik")', "@SUM(A1:A9)", "+1+1", "-2+3", "\tx", "\r=1"],
)
def test_formula_cells_get_an_apostrophe(cell):
    assert escape_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1", "+2", "-0.25", "1e-05", "-3,5", "-", "+", "50%", "ok", ""])
def test_numbers_dashes_and_text_stay(cell):
    assert escape_formula(cell) == cell


def test_only_text_columns_change_and_numbers_keep_their_bytes(tmp_path):
    frame = pd.DataFrame(
        {
            "n": [-1.5, 2.0],
            "k": pd.array([-3, 4], dtype="Int64"),
            "label": ["=1+1", "-"],
            "note": pd.array(["@cmd", None], dtype="string"),
        }
    )
    path = tmp_path / "t.csv"
    write_table(frame, path)
    assert path.read_text() == "n,k,label,note\n-1.5,-3,'=1+1,'@cmd\n2,4,-,\n"
    assert spreadsheet_safe(frame[["n", "k"]]) is not None
    clean = frame.assign(label=["a", "-"], note=["b", None])
    assert spreadsheet_safe(clean) is clean  # nothing to escape: the same frame
