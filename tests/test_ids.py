"""The study's id rule: one way of writing case ids before they are checked and linked."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from ekc.core.ids import IdRule

from .study import CONFIG

RULE = IdRule.from_config(CONFIG["id_normalisation"])
PATTERN = r"^EK\d{2}-\d{3,7}$"


def test_the_ways_one_family_arrives_are_one_id():
    written = [
        "EK05-010",
        "ek05-010",
        " EK05- 010\u00a0",
        "EK05-0010",
        "EK05-\u200b010",
        "Ek05\t-010",
    ]
    assert {RULE.apply(text) for text in written} == {"EK05-010"}


def test_leading_zeros_go_only_beyond_the_declared_digits():
    assert RULE.apply("EK05-000123") == "EK05-123"
    assert RULE.apply("EK05-1234567") == "EK05-1234567"
    assert RULE.apply("SCH-01") == "SCH-01"  # shorter numbers keep their zeros
    assert not re.match(PATTERN, RULE.apply("EK05-7"))  # and too short stays invalid


def test_decomposed_characters_are_composed():
    decomposed = unicodedata.normalize("NFD", "EK05-010é")
    assert RULE.apply(decomposed) == unicodedata.normalize("NFC", "EK05-010É")


def test_a_column_reports_what_changed_without_the_id():
    cells = pd.Series(["EK05-001", "ek05-002", None, "EK05-0003"], dtype=object)  # as read
    rewritten, changed = RULE.apply_column(cells)
    assert rewritten.tolist() == ["EK05-001", "EK05-002", None, "EK05-003"]
    assert changed.tolist() == [False, True, False, True]
    assert RULE.changes("ek05 -0002") == ["spaces", "case", "leading zeros"]


def test_no_rule_means_no_change():
    assert IdRule.from_config(None) is None
    keep = IdRule.from_config({"case": "keep", "whitespace": "keep"})
    assert keep.apply(" ek05-1 ") == " ek05-1 "


def test_the_column_rule_is_the_cell_rule():
    """`apply_column` (Arrow kernels) rewrites every id exactly as `apply` does."""
    cells = pd.Series(
        [
            "EK05-001",
            " ek05- 0002\u00a0",
            "EK05-\u200b0000123",
            unicodedata.normalize("NFD", "ék05-010"),
            "SCH-01",
            "EK05-0010x",
            "0001",
            "",
            None,
        ],
        dtype=object,
    )
    rewritten, changed = RULE.apply_column(cells)
    expected = [None if v is None else RULE.apply(v) for v in cells]
    assert rewritten.tolist() == expected
    assert changed.tolist() == [v is not None and RULE.apply(v) != v for v in cells]


def test_every_category_and_label_the_models_compare_with_is_composed():
    """Cells and labels are read in NFC; the models' own categories must be NFC too, or a
    composed 'beëindigd' would never equal them."""
    from ekc.core.validation import public_columns
    from ekc.youth_protection.schemas import MODELS, value_labels

    for source, model in MODELS.items():
        schema = model.to_schema()
        assert public_columns(schema), source  # every export has allow-listed columns
        for column in schema.columns.values():
            for check in column.checks:
                for value in (check.statistics or {}).get("allowed_values", []):
                    assert unicodedata.is_normalized("NFC", str(value)), (source, value)
        for labels in value_labels(model).values():
            for label in labels.values():
                assert unicodedata.is_normalized("NFC", label), (source, label)
