"""Finishing a research question's results, one way for every hand-written analysis.

- Records: `count_record`, `summary_record` and `record_of_test` take the record's id (from
  `record_id`), as `ekc.core.stats.records.record` does, and its other fields. A test's
  record also carries its statistic under the token the report prints (t, chi2, F, ...).
- One Holm family per research question (`holm_family`): each test with a p gets `p_holm`
  (a test that could not be computed is left out of the family, as R's p.adjust leaves out
  NA); a summary record whose verdict combines several tests (its `components`,
  `verdict_over`) takes the adjusted p of the component that decides it, the smallest.
- Effect sizes go beyond the report: an effect size of a published test is a record of its
  own that points to its test (`effect_record`); `table_of_tests` lists every test with its
  Holm p and its effect size. `finish` does both for a research question in one call.
- A figure the running text restates from a table is a copy under the text's id (`restated`).

No name here starts with `test`: pytest would collect it in a test module that imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from ekc.core.stats.describe import numeric_summary, share
from ekc.core.stats.effects import holm
from ekc.core.stats.inference import verdict
from ekc.core.stats.records import ESTIMATED, NOT_ESTIMABLE, clean_value, record, record_id

# The statistic's published token, per test.
STATISTIC_TOKENS = {
    "student_t": "t",
    "paired_t": "t",
    "one_sample_t": "t",
    "pearson_chi2": "chi2",
    "pearson_chi2_one_sided": "chi2",
    "anova_oneway": "F",
    "anova_rm": "F",
    "rm_anova": "F",
    "anova_two_way_main_effect": "F",
    "wilcoxon_signed_rank": "V",
    "mann_whitney_u": "U",
    "fisher_exact": "odds_ratio",
    "mixedlm_wald_z": "z",
    "binomial_exact": "share",
}
EFFECT_FIELDS = ("effect", "estimate", "ci_low", "ci_high")
COMPONENTS = "components"  # a summary record's tests
POINTER = "test_id"  # an effect record's test


def count_record(key: str, /, *, count: int, base: int, **fields: Any) -> dict:
    """A count, its base as n and the percentage of the base (None without a base)."""
    return record(key, n=int(base), count=int(count), pct=share(count, base), **fields)


def summary_record(key: str, /, *, values: pd.Series, **fields: Any) -> dict:
    """n, mean, sd, min and max of `values` (missing values left out)."""
    return record(key, **numeric_summary(values), **fields)


def record_of_test(key: str, /, *, result: dict, **fields: Any) -> dict:
    """A test's result (`ekc.core.stats.inference`); `fields` add to it or override it."""
    fields = {**result, **fields}
    if fields.get("statistic") is not None:
        fields[STATISTIC_TOKENS[fields["test"]]] = fields["statistic"]
    return record(key, **fields)


def effect_record(
    test: dict,
    effect: dict,
    *,
    table: str,
    label: str,
    variable: str | None = None,
) -> dict:
    """An effect size in its own record: the test's id tokens with another table (and
    variable, if given), the test's n, and the test's id as `test_id`."""
    study, _, tested, category, group, moment = test["id"].split(":")
    return record(
        record_id(study, table, variable or tested, category, group, moment),
        label=label,
        n=test["n"],
        **{POINTER: test["id"]},
        **effect,
    )


def restated(source: dict, table: str) -> dict:
    """A figure the running text restates from a table: the same record under `table`."""
    study, _, *tokens = source["id"].split(":")
    return {**source, "id": record_id(study, table, *tokens), "table": table}


def verdict_over(parts: Sequence[dict], alpha: float) -> dict:
    """The fields of one printed verdict over several tests: significant when any part is.
    Without a significant part, every part must have been computed for 'not significant';
    otherwise the verdict is not estimable, for the reason of the first part that was not
    (never read as 'no difference'). `p` is the smallest p of the parts computed."""
    computed = [part for part in parts if part.get("p") is not None]
    missing = sorted((part for part in parts if part.get("p") is None), key=lambda r: r["id"])
    p = min((part["p"] for part in computed), default=None)
    fields: dict[str, Any] = {"p": p, COMPONENTS: sorted(part["id"] for part in parts)}
    if missing:
        fields["components_not_estimable"] = [part["id"] for part in missing]
    if p is not None and (verdict(p, alpha) == "significant" or not missing):
        return {**fields, "status": ESTIMATED, "verdict": verdict(p, alpha)}
    first = missing[0]
    reason = first.get("reason") or "missing_p"
    detail = f"{first['id']}: {first.get('reason_detail') or reason}"
    return {
        **fields,
        "status": NOT_ESTIMABLE,
        "reason": reason,
        "reason_detail": detail,
        "verdict": NOT_ESTIMABLE,
    }


def is_test(record: dict) -> bool:
    """A test of its own, not a summary of several."""
    return bool(record.get("test")) and COMPONENTS not in record


def holm_family(
    tests: Iterable[dict],
    summaries: Iterable[dict] = (),
    *,
    name: str | None = None,
) -> None:
    """Holm over `tests` (those with a p), in place: `p_holm` on each, rounded as every float
    of a record is, and on each summary the smallest `p_holm` of its components. `name` is
    written as `holm_family` where a results file holds more than one family."""
    tests, summaries = list(tests), list(summaries)
    tested = [t for t in tests if t.get("p") is not None]
    for test, adjusted in zip(tested, holm([t["p"] for t in tested]), strict=True):
        test["p_holm"] = clean_value(adjusted)
    by_id = {t["id"]: t for t in tests}
    for summary in summaries:
        if summary.get("status") == NOT_ESTIMABLE:
            continue  # no verdict, so no adjusted p to decide it
        adjusted = [by_id[c]["p_holm"] for c in summary[COMPONENTS] if "p_holm" in by_id[c]]
        if adjusted:
            summary["p_holm"] = min(adjusted)
    if name is not None:
        for record_ in tests + summaries:
            record_["holm_family"] = name


def records_table(records: Iterable[dict], columns: Sequence[str]) -> pd.DataFrame:
    """One row per record, the given fields as columns (None where a record lacks one)."""
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in records], columns=columns)


def table_of_tests(
    tests: Iterable[dict],
    effects: Iterable[dict] = (),
    *,
    columns: Sequence[str],
    effect_columns: Sequence[str] = EFFECT_FIELDS,
    sort_by: str | None = "id",
) -> pd.DataFrame:
    """One row per test: its fields, `test_id` (its own id), and the `effect_columns` of the
    effect record that points to it (a test without one carries its effect size itself)."""
    linked = {e[POINTER]: e for e in effects}
    rows = []
    for test in tests:
        row = {c: test.get(c) for c in columns}
        if "test_id" in row:
            row["test_id"] = test["id"]
        effect = linked.get(test["id"])
        if effect is not None:
            row.update({c: effect.get(c) for c in effect_columns})
        rows.append(row)
    if sort_by is not None:
        rows.sort(key=lambda row: row[sort_by])
    return pd.DataFrame(rows, columns=columns)


def finish(
    records: list[dict],
    *,
    columns: Sequence[str],
    name: str | None = None,
) -> pd.DataFrame:
    """One call for a research question's records: Holm over its tests (in place), and the
    table of its tests and summaries, sorted by id, with their effect sizes."""
    tests = [r for r in records if is_test(r)]
    summaries = [r for r in records if COMPONENTS in r]
    holm_family(tests, summaries, name=name)
    effects = [r for r in records if POINTER in r]
    return table_of_tests(tests + summaries, effects, columns=columns)
