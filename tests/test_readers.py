"""Reading exports: delimiters, decimal commas, encodings, BOMs and broken files."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from ekc.core.readers import ExportReadError, read_export
from ekc.core.validation import validate_export
from ekc.youth_protection.schemas import MODELS, validate
from ekc_synthetic.writers import write_excel

from .conftest import ROOT

REGISTER = ROOT / "resources" / "raw" / "onderzoeksregister.csv"


class Scores(pa.DataFrameModel):
    family: Series[str] = pa.Field(alias="gezinsnr", unique=True)
    score: Series[pd.Float64Dtype] = pa.Field(alias="score", ge=0, le=10, nullable=True)


def test_dutch_csv_with_bom_semicolons_and_dates_validates():
    export = read_export(REGISTER)
    assert export.encoding == "utf-8-sig" and export.delimiter == ";"
    assert list(export.frame.columns)[:2] == ["source_row", "gezinsnummer"]
    assert validate(export, MODELS["register"], source="register").ok


def test_delimiter_is_detected_from_the_header(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("gezinsnr,score\nEK06-001,7.5\n", encoding="utf-8")
    export = read_export(path)
    assert export.delimiter == ","
    assert export.frame.loc[0, "score"] == "7.5"


def test_decimal_comma_parses_only_when_configured(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("gezinsnr;score\nEK06-001;7,5\nEK06-002;11,0\n", encoding="utf-8")
    with_comma = validate_export(read_export(path), Scores, source="s", decimal_comma=True)
    assert with_comma.valid is not None
    failures = with_comma.failures
    assert list(failures["source_row"]) == [3]  # 11 > 10: out of range, row 3 of the file
    assert failures.iloc[0]["rule"] == "less_than_or_equal_to(10)"
    without = validate_export(read_export(path), Scores, source="s", decimal_comma=False)
    assert set(without.failures["rule"]) == {"parse_float"}
    assert set(without.failures["value"]) == {"7,5", "11,0"}


def test_latin1_file_gets_a_specific_message(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("gezinsnr;naam\nEK06-001;Ren\xe9e\n".encode("latin-1"))
    with pytest.raises(ExportReadError, match="not valid UTF-8.*Latin-1"):
        read_export(path)
    assert read_export(path, encoding="latin-1").frame.shape[0] == 1


def test_empty_file_and_ragged_rows(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ExportReadError, match="empty"):
        read_export(empty)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("gezinsnr;score\nEK06-001;1;2\n", encoding="utf-8")
    with pytest.raises(ExportReadError, match="row 2: 3 cells where the header has 2"):
        read_export(ragged)


def test_an_unclosed_quote_is_named_without_a_contradictory_cell_count(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text('gezinsnr;regio;maatregel\nEK06-001;A;"ots\nEK06-002;B;ots\n', encoding="utf-8")
    with pytest.raises(ExportReadError) as raised:
        read_export(path)
    message = str(raised.value)
    assert "row 2: a quotation mark" in message and "close or remove" in message
    assert "cells where the header has" not in message


def test_header_only_file_is_a_failure_of_the_file(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("gezinsnr;score\n", encoding="utf-8")
    result = validate_export(read_export(path), Scores, source="s")
    assert result.rows_in == 0 and not result.ok and result.fatal
    assert list(result.failures["rule"]) == ["has_rows"]
    summary = result.summary()
    assert "the whole file" in summary and "row file" not in summary


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(ExportReadError, match="missing"):
        read_export(tmp_path / "nope.csv")
    other = tmp_path / "data.json"
    other.write_text("{}")
    with pytest.raises(ExportReadError, match="unknown export format"):
        read_export(other)


def test_damaged_workbook(tmp_path):
    path = tmp_path / "frek.xlsx"
    write_excel({"gezinnen": pd.DataFrame({"a": [1]})}, path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ExportReadError, match="cannot open the workbook"):
        read_export(path, sheet="gezinnen")


def test_extra_column_is_named(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("gezinsnr;score;opmerking\nEK06-001;1;x\n", encoding="utf-8")
    result = validate_export(read_export(path), Scores, source="s")
    assert result.failures.iloc[0]["rule"] == "column_known"
    assert "opmerking" in result.failures.iloc[0]["message"]
    assert len(result.quarantined) == 1
