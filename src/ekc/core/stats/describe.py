"""Descriptive building blocks: category counts with column percentages, numeric summaries."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ekc.core.stats.records import record, record_id


def category_counts(
    frame: pd.DataFrame,
    variable: str,
    categories: Iterable[str],
    *,
    group_col: str,
    groups: Iterable[str],
    study: str,
    table: str,
    label: str,
    token: str | None = None,
    moment: str = "-",
) -> tuple[pd.DataFrame, list[dict]]:
    """Counts and column percentages of `variable` per group (denominator: rows in group)."""
    rows, records = [], []
    token = token or variable
    for group in groups:
        part = frame[frame[group_col] == group]
        n = len(part)
        counts = part[variable].value_counts()
        for category in categories:
            count = int(counts.get(category, 0))
            pct = share(count, n)
            rows.append(
                {
                    "variable": token,
                    "category": category,
                    "group": group,
                    "count": count,
                    "n": n,
                    "pct": pct,
                }
            )
            records.append(
                record(
                    record_id(study, table, token, category, group, moment),
                    label=label,
                    variable=token,
                    category=category,
                    n=n,
                    count=count,
                    pct=pct,
                )
            )
    return pd.DataFrame(rows), records


def numeric_summary(values: pd.Series) -> dict:
    values = values.dropna().astype(float)
    return {
        "n": int(values.size),
        "mean": float(values.mean()) if values.size else None,
        "sd": float(values.std(ddof=1)) if values.size > 1 else None,
        "min": float(values.min()) if values.size else None,
        "max": float(values.max()) if values.size else None,
    }


def share(count: int, base: int) -> float | None:
    """Column percentage; None (not 0) when there is no base."""
    return 100.0 * count / base if base else None
