"""The results contract: every analysis rule writes `results/stats/<rule>.json`.

A results file is a JSON list of records, one per figure. Each record has at least
`id`, `table`, `label`, `group`, `moment`, `n` and the figure itself (`count`/`pct`,
`mean`/`sd`/`min`/`max`, or a test's `test`/`statistic`/`df`/`p`/`alternative`).
A record id is the published figure's id without its final `:<statistic>` token, so the
published value of statistic s sits at `<record id>:<statistic>` in `resources/published/`.

Tests and models (the routines of `ekc.core.stats.inference` and `.models`):
- `status` is `estimated` or `not_estimable`. A not-estimable result carries `reason`, a
  token from `REASONS` (the report translates it), and `reason_detail`, a short English
  sentence naming what was found (group sizes, the empty row, ...). Its `statistic`, `df`
  and `p` are null and its `verdict` is `not_estimable`: never `not_significant`, so no
  reader can take a test that could not be computed for a finding of no difference.
- `verdict` is `significant` / `not_significant` only when `p` is a number.
- `n` is the number of observations the test used (missing values are left out listwise
  per test); two-sample tests also give `n1` and `n2`.
Effect sizes (`ekc.core.stats.effects`) carry `effect`, `estimate`, `ci_low`, `ci_high` and
`effect_status` (`estimated` / `not_estimable`, then with `effect_reason`): the prefix keeps
them apart from the fields of the test they are merged with in one record.
Input that cannot be a sample (negative counts, paired samples of unequal length, infinite
values) is an error, raised with what is wrong; the caller adds the analysis and variable.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

REQUIRED = ("id", "table", "label", "group", "moment", "n")
SIGNIFICANT_DIGITS = 10

ESTIMATED = "estimated"
NOT_ESTIMABLE = "not_estimable"
# Why a result could not be computed; the keys are what a record stores and the report
# translates, the values say it in English for logs and tables.
REASONS = {
    "empty_group": "a group has no observations",
    "too_few_observations": "too few observations for this test",
    "no_variance": "all values are equal, so there is no variance to test against",
    "no_nonzero_differences": "every paired difference is zero",
    "empty_table": "the table holds no observations",
    "degenerate_table": "fewer than two rows or columns of the table have observations",
    "empty_margin": "a row or column of the table has no observations",
    "too_few_groups": "fewer than two families (groups) in the model",
    "no_repeated_measures": "every family has one observation: family and residual "
    "variance cannot be told apart",
    "collinear_fixed_effects": "the fixed effects of the model are collinear",
    "singular_model": "the model's equations are singular at the estimates",
    "not_converged": "the model fit did not converge",
    "missing_p": "the p-value is missing",
}


class NotEstimable(Exception):
    """Raised by a fitting routine whose result cannot be computed on these data (not an
    input error); `reason` is a key of REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        if reason not in REASONS:
            raise ValueError(f"unknown not-estimable reason {reason!r}")
        self.reason = reason
        self.detail = detail or REASONS[reason]
        super().__init__(f"{reason}: {self.detail}")


def not_estimable(test: str, reason: str, detail: str = "", **fields: Any) -> dict[str, Any]:
    """The fields of a test that could not be computed: no statistic, df, p or verdict."""
    if reason not in REASONS:
        raise ValueError(f"unknown not-estimable reason {reason!r}")
    return {
        "test": test,
        "status": NOT_ESTIMABLE,
        "reason": reason,
        "reason_detail": detail or REASONS[reason],
        "statistic": None,
        "df": None,
        "p": None,
        "verdict": NOT_ESTIMABLE,
        **fields,
    }


def effect_not_estimable(effect: str, reason: str, detail: str = "") -> dict[str, Any]:
    """The fields of an effect size that could not be computed."""
    if reason not in REASONS:
        raise ValueError(f"unknown not-estimable reason {reason!r}")
    return {
        "effect": effect,
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "effect_status": NOT_ESTIMABLE,
        "effect_reason": reason,
        "effect_reason_detail": detail or REASONS[reason],
    }


def record_id(
    study: str, table: str, variable: str, category: str = "-", group: str = "-", moment: str = "-"
) -> str:
    return ":".join([study, table, variable, category, group, moment])


def clean_value(value: Any) -> Any:
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
    return {key: clean_value(value) for key, value in fields.items()}


def record(key: str, /, **fields: Any) -> dict[str, Any]:
    """The record with id `key` (made by `record_id`); its `table`, `group` and `moment` repeat
    the id's tokens. `label` and `n` are among the fields."""
    _, table, _, _, group, moment = key.split(":")
    return make_record(id=key, table=table, group=group, moment=moment, **fields)


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


# Files in a stats folder that are not lists of records but are derived from them: the
# declared answers (ekc.core.answers) and the original's conclusions checked
# (ekc.core.conclusions).
DERIVED_FILES = ("answers.json", "conclusions.json")


def results_files(folder: str | Path) -> list[Path]:
    """The results files (lists of records) of a stats folder, in name order."""
    return sorted(p for p in Path(folder).glob("*.json") if p.name not in DERIVED_FILES)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """CSV with a fixed float format, so reruns give identical bytes, and no text cell a
    spreadsheet would run as a formula (`ekc.core.spreadsheet`)."""
    from ekc.core.spreadsheet import spreadsheet_safe

    spreadsheet_safe(frame).to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
