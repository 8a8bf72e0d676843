"""The analyses a study's config can ask for, one function per kind.

Every analysis names its record ids with templates: `table`, `variable`, `category`,
`group` and `moment` are constants or `{column}` placeholders (tokens after recoding), so
one analysis gives one record per combination of the columns it names:

    {id: care_child, kind: count, source: care_use, unit: family_id,
     table: "4.2", variable: care_child, category: "{care_type}", group: "{group}",
     moment: "{wave}", filter: {care_for: [child]}, base: {source: interviews, ...}}

Kinds:
- `count`: rows (or distinct `unit`s) per cell, with the percentage of the cell's base. The
  base is the sum over the categories, or the units of a `base` selection. Categories
  named in `categories` that do not occur get a zero; `combine` adds categories taken
  together. `totals` adds pooled cells
  ({category: total} or {group: all}).
- `mean`: n, mean, sd, min, max and sum of a numeric column (or the row sum of several).
- `rate`: rows per unit of a base selection (e.g. care types used per parent interviewed).
- `change`: the change of one statistic of another analysis between two values of a field
  (percentage decrease/increase and ratio).
Each `count` and `mean` analysis may `compare` the two groups of the study: Fisher's exact
test per category (two-sided) or the Mann-Whitney U test (two-sided; exact below 50 per
group without ties, otherwise the normal approximation with continuity correction), both
from ekc.core.stats.inference with their conventions. Small samples are the rule in these
studies, hence exact tests. A comparison that cannot be computed (an empty group, no
variance) is a record with status not_estimable, not a missing record.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import pandas as pd

from ekc.core.stats.inference import ALPHA, fisher_exact, mann_whitney_u
from ekc.core.stats.records import make_record, record_id

ID_FIELDS = ("table", "variable", "category", "group", "moment")
DASH = "-"


class AnalysisError(ValueError):
    """An analysis in the config that cannot run on the prepared data."""


def template_fields(spec: dict) -> list[str]:
    """The columns an analysis's id templates name, in order of appearance."""
    fields: list[str] = []
    for part in ID_FIELDS:
        for _, name, _, _ in string.Formatter().parse(str(spec.get(part, DASH))):
            if name and name not in fields:
                fields.append(name)
    return fields


def _fill(template: object, row: dict) -> str:
    return str(template).format(**row) if template is not None else DASH


def _select(frames: dict[str, pd.DataFrame], spec: dict, what: str) -> pd.DataFrame:
    name = spec["source"]
    if name not in frames:
        raise AnalysisError(f"{what}: unknown source {name!r} (sources: {sorted(frames)})")
    frame = frames[name]
    for column, values in (spec.get("filter") or {}).items():
        if column not in frame.columns:
            raise AnalysisError(f"{what}: filter column {column!r} is not in {name}")
        frame = frame[frame[column].astype("string").isin([str(v) for v in values])]
    return frame


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(f"{what}: columns {missing} are not in the source")


def _ids(spec: dict, study: str, row: dict) -> dict:
    values = {part: _fill(spec.get(part, DASH), row) for part in ID_FIELDS}
    values["id"] = record_id(study, *(values[p] for p in ID_FIELDS))
    return values


def _category_field(spec: dict) -> str | None:
    names = [n for _, n, _, _ in string.Formatter().parse(str(spec.get("category", DASH))) if n]
    return names[0] if names else None


def _complete(counts: pd.DataFrame, spec: dict, fields: list[str]) -> pd.DataFrame:
    """Add zero cells for the listed categories in every observed combination of the rest."""
    field = _category_field(spec)
    wanted = spec.get("categories")
    if not field or not wanted:
        return counts
    others = [f for f in fields if f != field]
    cells = counts[others].drop_duplicates() if others else pd.DataFrame(index=[0])
    grid = cells.merge(pd.DataFrame({field: [str(c) for c in wanted]}), how="cross")
    merged = grid.merge(counts, on=fields, how="outer")
    merged["count"] = merged["count"].fillna(0).astype(int)
    return merged


def _combine(counts: pd.DataFrame, spec: dict, fields: list[str]) -> pd.DataFrame:
    """Categories taken together (`combine: {lbo_or_mbo: [lbo, mbo]}`), in each cell."""
    field = _category_field(spec)
    if not field or not spec.get("combine"):
        return counts
    others = [f for f in fields if f != field]
    combined = []
    for token, members in spec["combine"].items():
        part = counts[counts[field].isin([str(m) for m in members])]
        summed = (
            part.groupby(others, dropna=False)["count"].sum().reset_index()
            if others
            else pd.DataFrame({"count": [part["count"].sum()]})
        )
        combined.append(summed.assign(**{field: token}))
    return pd.concat([counts, *combined], ignore_index=True)


def _count_cells(frame: pd.DataFrame, fields: list[str], unit: str | None) -> pd.DataFrame:
    if unit:
        frame = frame.drop_duplicates([*fields, unit])
    if not fields:
        return pd.DataFrame({"count": [len(frame)]})
    grouped = frame.groupby(fields, dropna=False, observed=True).size()
    return grouped.rename("count").reset_index()


def _base_counts(frames, spec: dict, fields: list[str], what: str) -> tuple[pd.DataFrame, list]:
    base = spec["base"]
    frame = _select(frames, base, f"{what} base")
    on = [f for f in fields if f in frame.columns]
    unit = base.get("unit")
    counted = _count_cells(frame, on, unit)
    return counted.rename(columns={"count": "n"}), on


def _pooled(spec: dict, totals_field: str, token: str) -> dict:
    """The same analysis with one id part fixed to a pooling token."""
    pooled = dict(spec)
    pooled[totals_field] = token
    pooled.pop("totals", None)
    pooled.pop("compare", None)
    if totals_field == "category":
        pooled.pop("categories", None)
    return pooled


def count(
    frames: dict, spec: dict, study: str, groups: list[str], alpha: float = ALPHA
) -> list[dict]:
    what = f"analysis {spec['id']}"
    frame = _select(frames, spec, what)
    fields = template_fields(spec)
    _require(frame, fields + ([spec["unit"]] if spec.get("unit") else []), what)
    frame = frame.dropna(subset=fields)
    counts = _complete(_count_cells(frame, fields, spec.get("unit")), spec, fields)
    counts = _combine(counts, spec, fields)
    if "base" in spec:
        bases, on = _base_counts(frames, spec, fields, what)
        counts = counts.merge(bases, on=on, how="left") if on else counts.assign(n=bases["n"][0])
        counts["n"] = counts["n"].fillna(0).astype(int)
    else:
        field = _category_field(spec)
        others = [f for f in fields if f != field]
        single = counts[~counts[field].isin(list(spec.get("combine") or {}))] if field else counts
        if others:
            sums = single.groupby(others, dropna=False)["count"].sum().rename("n").reset_index()
            counts = counts.merge(sums, on=others, how="left")
        else:
            counts["n"] = single["count"].sum()
    records = []
    for row in counts.to_dict("records"):
        n = int(row["n"])
        records.append(
            make_record(
                **_ids(spec, study, row),
                label=spec.get("label", spec["id"]),
                analysis=spec["id"],
                kind="count",
                count=int(row["count"]),
                n=n,
                pct=100.0 * row["count"] / n if n else None,
            )
        )
    for part, token in (spec.get("totals") or {}).items():
        records += count(frames, _pooled(spec, part, token), study, groups, alpha)
    if spec.get("compare"):
        records += _fisher_per_category(records, spec, study, groups, alpha)
    return records


def _fisher_per_category(
    records: list[dict], spec: dict, study: str, groups: list[str], alpha: float
) -> list:
    """Fisher's exact test, group A against group B, for each category and moment (a
    category without a record in one of the groups has no base to test against)."""
    first, second = groups
    cells: dict[tuple, dict[str, dict]] = {}
    for r in records:
        if r["group"] in (first, second):
            key = (r["table"], r["variable"], r["category"], r["moment"])
            cells.setdefault(key, {})[r["group"]] = r
    tests = []
    for (table, variable, category, moment), pair in sorted(cells.items()):
        if len(pair) < 2:
            continue
        a, b = pair[first], pair[second]
        table_2x2 = [
            [a["count"], (a["n"] or 0) - a["count"]],
            [b["count"], (b["n"] or 0) - b["count"]],
        ]
        test = fisher_exact(table_2x2, alternative="two-sided", alpha=alpha)
        group = f"{first}_vs_{second}"
        tests.append(
            make_record(
                id=record_id(study, table, variable, category, group, moment),
                table=table,
                variable=variable,
                category=category,
                group=group,
                moment=moment,
                label=spec.get("label", spec["id"]),
                analysis=spec["id"],
                kind="test",
                alpha=alpha,
                **test,
            )
        )
    return tests


def _values(frame: pd.DataFrame, spec: dict) -> pd.Series:
    columns = spec["value"] if isinstance(spec["value"], list) else [spec["value"]]
    numeric = frame[columns].apply(pd.to_numeric, errors="raise").astype("Float64")
    # A row sum needs every part: a missing part is missing, not zero.
    return numeric.sum(axis=1, min_count=len(columns)).where(numeric.notna().all(axis=1))


def mean(
    frames: dict, spec: dict, study: str, groups: list[str], alpha: float = ALPHA
) -> list[dict]:
    what = f"analysis {spec['id']}"
    frame = _select(frames, spec, what)
    fields = template_fields(spec)
    columns = spec["value"] if isinstance(spec["value"], list) else [spec["value"]]
    _require(frame, fields + columns, what)
    frame = frame.dropna(subset=fields).assign(_value=_values(frame, spec))
    frame = frame.dropna(subset=["_value"])
    records = []
    grouped = frame.groupby(fields, dropna=False) if fields else [((), frame)]
    for key, part in grouped:
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(fields, key, strict=True))
        values = part["_value"].astype(float)
        records.append(
            make_record(
                **_ids(spec, study, row),
                label=spec.get("label", spec["id"]),
                analysis=spec["id"],
                kind="mean",
                n=len(values),
                mean=values.mean(),
                sd=values.std(ddof=1) if len(values) > 1 else None,
                min=values.min(),
                max=values.max(),
                sum=values.sum(),
            )
        )
    for part, token in (spec.get("totals") or {}).items():
        records += mean(frames, _pooled(spec, part, token), study, groups, alpha)
    if spec.get("compare"):
        records += _mann_whitney(frame, spec, study, groups, fields, alpha)
    return records


def _mann_whitney(frame, spec, study, groups, fields, alpha: float) -> list[dict]:
    column = spec["compare"]
    first, second = groups
    others = [f for f in fields if f != column]
    tests = []
    parts = frame.groupby(others, dropna=False) if others else [((), frame)]
    for key, part in parts:
        key = key if isinstance(key, tuple) else (key,)
        a = part.loc[part[column] == first, "_value"].astype(float)
        b = part.loc[part[column] == second, "_value"].astype(float)
        test = mann_whitney_u(a, b, alternative="two-sided", alpha=alpha)
        row = dict(zip(others, key, strict=True)) | {column: f"{first}_vs_{second}"}
        tests.append(
            make_record(
                **_ids(spec, study, row),
                label=spec.get("label", spec["id"]),
                analysis=spec["id"],
                kind="test",
                alpha=alpha,
                **test,
            )
        )
    return tests


def rate(
    frames: dict, spec: dict, study: str, groups: list[str], alpha: float = ALPHA
) -> list[dict]:
    what = f"analysis {spec['id']}"
    frame = _select(frames, spec, what)
    fields = template_fields(spec)
    _require(frame, fields, what)
    counts = _count_cells(frame.dropna(subset=fields), fields, spec.get("unit"))
    bases, on = _base_counts(frames, spec, fields, what)
    merged = bases.merge(counts, on=on, how="left") if on else bases.assign(count=len(frame))
    merged["count"] = merged["count"].fillna(0).astype(int)
    records = []
    for row in merged.to_dict("records"):
        n = int(row["n"])
        records.append(
            make_record(
                **_ids(spec, study, row),
                label=spec.get("label", spec["id"]),
                analysis=spec["id"],
                kind="rate",
                count=int(row["count"]),
                n=n,
                mean=row["count"] / n if n else None,
            )
        )
    return records


def change(records_so_far: list[dict], spec: dict, study: str) -> list[dict]:
    """`of`: an analysis id; `statistic`; `along`: the id part that changes (moment or
    category); `from`/`to`: its two values; `put`: the id part that names the comparison."""
    along, put = spec.get("along", "moment"), spec.get("put", "category")
    source = [r for r in records_so_far if r.get("analysis") == spec["of"] and r["kind"] != "test"]
    if not source:
        raise AnalysisError(f"analysis {spec['id']}: no records of analysis {spec['of']!r}")
    statistic = spec.get("statistic", "mean")
    keyed: dict[tuple, dict] = {}
    for r in source:
        rest = tuple((p, r[p]) for p in ID_FIELDS if p not in (along, "table"))
        keyed.setdefault(rest, {})[r[along]] = r
    out = []
    token = f"{spec['to']}_vs_{spec['from']}" if spec.get("later_first") else None
    token = token or f"{spec['from']}_vs_{spec['to']}"
    for rest, by_value in sorted(keyed.items()):
        before, after = by_value.get(str(spec["from"])), by_value.get(str(spec["to"]))
        if not before or not after or not before.get(statistic):
            continue
        x0, x1 = float(before[statistic]), float(after[statistic])
        parts = dict(rest) | {"table": spec.get("table", before["table"]), along: DASH, put: token}
        if "variable" in spec:
            parts["variable"] = spec["variable"]
        out.append(
            make_record(
                id=record_id(study, *(parts[p] for p in ID_FIELDS)),
                **parts,
                label=spec.get("label", spec["id"]),
                analysis=spec["id"],
                kind="change",
                statistic_compared=statistic,
                before=x0,
                after=x1,
                n=before.get("n"),
                n_after=after.get("n"),
                pct_decrease=100.0 * (x0 - x1) / x0,
                pct_increase=100.0 * (x1 - x0) / x0,
                ratio=x1 / x0,
            )
        )
    return out


KINDS: dict[str, Callable] = {"count": count, "mean": mean, "rate": rate}


def run_analyses(
    frames: dict[str, pd.DataFrame],
    analyses: list[dict],
    study: str,
    groups: list[str],
    alpha: float = ALPHA,
) -> list[dict]:
    """Every analysis of one research question, in the order the config lists them."""
    records: list[dict] = []
    for spec in analyses:
        if spec["kind"] == "change":
            records += change(records, spec, study)
        elif spec["kind"] in KINDS:
            records += KINDS[spec["kind"]](frames, spec, study, groups, alpha)
        else:
            raise AnalysisError(f"analysis {spec['id']}: unknown kind {spec['kind']!r}")
    return records


def records_table(records: list[dict]) -> pd.DataFrame:
    """The records as a flat table (one row per record), for results/tables/."""
    columns = [
        "id",
        "analysis",
        "kind",
        *ID_FIELDS,
        "n",
        "count",
        "pct",
        "mean",
        "sd",
        "min",
        "max",
        "sum",
        "test",
        "statistic",
        "p",
        "verdict",
        "pct_decrease",
        "pct_increase",
        "ratio",
    ]
    frame = pd.DataFrame(records)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    return frame[columns].sort_values("id", kind="stable").reset_index(drop=True)


def analyse(
    tables: dict[str, pd.DataFrame],
    study: str,
    alpha: float,
    analyses: list[dict],
    groups: list[str],
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """One research question of a config-defined study (`ekc.core.research_question`)."""
    records = run_analyses(tables, analyses, study, groups, alpha)
    return {"results": records_table(records)}, records
