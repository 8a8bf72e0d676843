"""Malformed FREK exports: every failure named by file, row, column, value and rule."""

from __future__ import annotations

import pandas as pd
import pytest

from ekc.core.readers import read_export
from ekc.youth_protection.schemas import MODELS
from ekc.youth_protection.schemas import validate as validate_export
from ekc_synthetic.writers import write_excel

from .conftest import ROOT

FREK = ROOT / "resources" / "raw" / "frek.xlsx"


@pytest.fixture
def sheets():
    return {
        name: pd.read_excel(FREK, sheet_name=name, dtype=object)
        for name in ("gezinnen", "kinderen")
    }


def validate_families(frame: pd.DataFrame, tmp_path, sheets) -> object:
    path = tmp_path / "frek.xlsx"
    write_excel({"gezinnen": frame, "kinderen": sheets["kinderen"]}, path)
    return validate_export(
        read_export(path, sheet="gezinnen"), MODELS["frek_families"], source="frek_families"
    )


def test_embedded_frek_is_valid(sheets, tmp_path):
    result = validate_families(sheets["gezinnen"], tmp_path, sheets)
    assert result.ok
    assert len(result.valid) == len(sheets["gezinnen"])


def test_missing_column_sets_every_row_aside(sheets, tmp_path):
    result = validate_families(sheets["gezinnen"].drop(columns="Aantal kinderen"), tmp_path, sheets)
    failure = result.failures.iloc[0]
    assert (failure["column"], failure["rule"], failure["source_row"]) == (
        "Aantal kinderen",
        "column_present",
        "header",
    )
    assert len(result.valid) == 0
    assert len(result.quarantined) == result.rows_in


def test_text_in_numeric_column_is_a_parse_failure_not_a_missing_value(sheets, tmp_path):
    frame = sheets["gezinnen"].copy()
    frame["Aantal kinderen"] = frame["Aantal kinderen"].astype(object)
    frame.loc[4, "Aantal kinderen"] = "twee"
    frame.loc[9, "Aantal kinderen"] = 40  # a second, independent fault in the same column
    result = validate_families(frame, tmp_path, sheets)
    failures = result.failures.set_index("source_row")
    assert failures.loc[6, "column"] == "Aantal kinderen"  # Excel row = index + 2
    assert failures.loc[6, "rule"] == "parse_int"
    assert failures.loc[6, "value"] == "twee"
    assert failures.loc[11, "rule"] == "less_than_or_equal_to(15)"
    assert len(result.valid) + len(result.quarantined) == result.rows_in
    assert sorted(result.quarantined["source_row"]) == [6, 11]


def test_duplicated_family_id(sheets, tmp_path):
    frame = sheets["gezinnen"].copy()
    frame.loc[7, "Gezinsnummer"] = frame.loc[3, "Gezinsnummer"]
    result = validate_families(frame, tmp_path, sheets)
    dup = result.failures[result.failures["rule"] == "field_uniqueness"]
    assert sorted(dup["source_row"]) == [5, 9]
    assert set(dup["column"]) == {"Gezinsnummer"}
    assert "duplicate" in dup["message"].iloc[0]


def test_cross_column_rule_conference_date_before_registration(sheets, tmp_path):
    frame = sheets["gezinnen"].copy()
    row = frame.index[frame["Conferentie gehouden"] == "ja"][0]
    frame.loc[row, "Datum conferentie"] = pd.Timestamp("2004-01-01")
    result = validate_families(frame, tmp_path, sheets)
    rules = set(result.failures["rule"])
    assert "the conference date must not precede the registration date" in rules
    assert set(result.quarantined["source_row"]) == {row + 2}


def test_summary_names_file_row_column_and_rule(sheets, tmp_path):
    frame = sheets["gezinnen"].copy()
    frame.loc[0, "Regio"] = "Utrecht"
    result = validate_families(frame, tmp_path, sheets)
    text = result.summary()
    assert "frek.xlsx, row 2, column 'Regio': value not among the allowed categories" in text
    # Not a code of the layout: it could be an address, so the summary does not quote it.
    assert "Utrecht" not in text
