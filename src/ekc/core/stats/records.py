"""The results contract: every analysis rule writes `results/stats/<rule>.json`.

A results file is a JSON list of records, one per figure. Each record has at least
`id`, `table`, `label`, `group`, `moment`, `n` and the figure itself (`count`/`pct`,
`mean`/`sd`/`min`/`max`, or a test's `test`/`statistic`/`df`/`p`/`alternative`).
A record id is the published figure's id without its final `:<statistic>` token, so the
published value of statistic s sits at `<record id>:<s>` in `resources/published/`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

REQUIRED = ("id", "table", "label", "group", "moment", "n")
SIGNIFICANT_DIGITS = 10


def record_id(
    study: str, table: str, variable: str, category: str = "-", group: str = "-", moment: str = "-"
) -> str:
    return ":".join([study, table, variable, category, group, moment])


def _clean(value: Any) -> Any:
    """JSON-safe and stable across platforms: numpy scalars to Python, floats rounded."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if value is pd.NA:
        return None
    return value


def make_record(**fields: Any) -> dict[str, Any]:
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise ValueError(f"record {fields.get('id')!r} lacks {missing}")
    return {key: _clean(value) for key, value in fields.items()}


def write_records(records: list[dict[str, Any]], path: str | Path) -> None:
    ids = [r["id"] for r in records]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate record ids: {duplicates[:5]}")
    ordered = sorted(records, key=lambda r: r["id"])
    text = json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def read_records(path: str | Path) -> list[dict[str, Any]]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """CSV with a fixed float format, so reruns give identical bytes, and no text cell a
    spreadsheet would run as a formula (`ekc.core.spreadsheet`)."""
    from ekc.core.spreadsheet import spreadsheet_safe

    spreadsheet_safe(frame).to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
