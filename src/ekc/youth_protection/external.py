"""External reference figures: published aggregates the study compared with (the regular EKc
population), kept as an input file and turned into results records marked `external`.

They are not reproductions: the fidelity table labels them `external`, and the report can
print them beside the study's own figures with their source.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ekc.core.stats.records import make_record


def _number(text: str) -> float | int | str:
    cleaned = text.strip().replace(",", ".")
    try:
        value = float("0" + cleaned if cleaned.startswith(".") else cleaned)
    except ValueError:
        return text.strip()
    return int(value) if value.is_integer() and "." not in cleaned else value


def read_reference(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")


def reference_records(reference: pd.DataFrame) -> list[dict]:
    """One record per figure row group (id without the statistic), all statistics as fields."""
    records = []
    reference = reference.assign(record_id=reference["id"].str.rsplit(":", n=1).str[0])
    for record_id, rows in reference.groupby("record_id", sort=True):
        first = rows.iloc[0]
        fields = {row.statistic: _number(row.value) for row in rows.itertuples()}
        fields.setdefault("n", fields.get("count", fields.get("n")))
        records.append(
            make_record(
                id=record_id,
                table=first["table"],
                label=f"{first['variable']} {first['category']}".replace(" -", ""),
                variable=first["variable"],
                category=first["category"],
                group=first["group"],
                moment=first["moment"],
                source="external",
                source_line=int(first["source_line"]) if first["source_line"].isdigit() else None,
                **fields,
            )
        )
    return records


def reference_counts(reference: pd.DataFrame, table: str, variable: str, group: str) -> dict:
    """Category counts of one external column, e.g. conference duration in table 4.2."""
    rows = reference[
        (reference["table"] == table)
        & (reference["variable"] == variable)
        & (reference["group"] == group)
        & (reference["statistic"] == "count")
    ]
    return {row.category: int(row.value) for row in rows.itertuples()}


def reference_value(reference: pd.DataFrame, figure_id: str) -> float | int | str:
    rows = reference[reference["id"] == figure_id]
    if rows.empty:
        raise KeyError(f"no external reference figure {figure_id}")
    return _number(rows.iloc[0]["value"])


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The external reference (table `reference`) as results records marked `external`:
    inputs of the comparisons, set apart in the fidelity table. No tables, no tests."""
    return {}, reference_records(tables["reference"])
