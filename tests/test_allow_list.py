"""Privacy by allow-list: a column is identifying unless its schema says it is not."""

from __future__ import annotations

import pandas as pd

from ekc.core.readers import SOURCE_ROW, Export
from ekc.core.validation import MASK, Identifiers, public_columns, validate_export
from ekc.engine.schema import export_schema

LAYOUT = {
    "columns": {
        "hh": {"type": "text", "key": True, "pseudonymise": True, "pattern": "^H\\d{2}$"},
        "arm": {"type": "text", "values": ["a", "b"]},
        "kids": {"type": "int", "min": 0, "max": 12, "identifying": False},
        "income": {"type": "int", "min": 0},
        "born": {"type": "date", "required": False},
        "note": {"type": "text", "required": False},
        "secret_code": {"type": "text", "values": ["x"], "identifying": True},
    }
}


def test_a_config_layout_marks_its_non_identifying_columns():
    assert public_columns(export_schema("households", LAYOUT)) == {"arm", "kids"}


def export(rows: list[dict]) -> Export:
    frame = pd.DataFrame(rows, dtype=object)
    frame.insert(0, SOURCE_ROW, range(2, len(rows) + 2))
    return Export(path=__import__("pathlib").Path("households.csv"), frame=frame)


def test_messages_quote_only_harmless_values_of_allow_listed_columns():
    rows = [
        {
            "hh": "H01",
            "arm": "A",
            "kids": "2,5",
            "income": "vijf",
            "born": "1-2-3",
            "note": "x",
            "secret_code": "y",
        },
        {
            "hh": "H02",
            "arm": "Jan Jansen",
            "kids": "jan@example.nl",
            "income": "2000",
            "born": None,
            "note": None,
            "secret_code": "x",
        },
        {
            "hh": "H03",
            "arm": "H01",
            "kids": "99",
            "income": "-1",
            "born": None,
            "note": None,
            "secret_code": "x",
        },
    ]
    result = validate_export(
        export(rows),
        export_schema("households", LAYOUT),
        source="households",
        identifiers=Identifiers(case_keys=frozenset({"hh"})),
    )
    summary = result.summary()
    # a short number of an allow-listed column
    assert "'2,5' is not a valid int: it has a decimal comma" in summary
    # names, e-mail addresses, case numbers and anything in identifying columns: never
    for text in ("Jan Jansen", "jan@example.nl", "H01'", "vijf", "1-2-3", "'y'", "-1 out"):
        assert text not in summary, text
    assert f"'{MASK}' is not a valid int" in summary  # the income column's 'vijf'
    private = result.for_private_area(b"k", Identifiers(case_keys=frozenset({"hh"})))
    written = private.quarantined.to_csv() + private.failures.to_csv()
    for text in ("Jan Jansen", "jan@example.nl", "vijf", "H02"):
        assert text not in written, text
    assert "2,5" in written and ",A," in written  # allow-listed values a message may quote
