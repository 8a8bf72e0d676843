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
- `latest`: the latest of the dates in `value` (one column or several): the data's as-of
  date a report prints on its cover (`report.as_of`).
A count over the answers of a checklist export (`items` in its layout, `ekc.engine.scales`)
takes its categories from each item's own scale, and its records name the scale and the
answer that carries the item's meaning.

Tests are declared by the study (`analysis.tests`); without them it is descriptive (the
default): counts, means and n, and an analysis that asks to `compare` the groups is refused.
With them, each `count` and `mean` analysis may `compare` the two groups: Fisher's exact
test per category (two-sided; for a checklist only the answer that carries the item's
meaning) or the Mann-Whitney U test (two-sided; exact below 50 per group without ties,
otherwise the normal approximation with continuity correction), both from
ekc.core.stats.inference with their conventions, their verdicts at the study's alpha. A
comparison that cannot be computed (an empty group, no variance) is a record with status
not_estimable. All tests of one research question form one family, adjusted with Holm's
method (`p_adjusted`).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from statsmodels.stats.multitest import multipletests

from ekc.core.stats.inference import ALPHA, fisher_exact, mann_whitney_u
from ekc.core.stats.records import make_record, record_id
from ekc.core.stats.subject import about
from ekc.engine.scales import ItemScales, ScaleError, item_scales

ID_FIELDS = ("table", "variable", "category", "group", "moment")
DASH = "-"


class AnalysisError(ValueError):
    """An analysis in the config that cannot run on the prepared data."""


# Multiple-testing adjustments a study may declare (statsmodels' method names).
ADJUSTMENTS = ("holm",)


@dataclass(frozen=True)
class Options:
    """What the analyses of one study share: its two compared groups, the answer scales of
    its checklist exports (by source), its tests (None: descriptive, no tests) and the
    significance level their verdicts use."""

    groups: list[str]
    scales: dict[str, ItemScales] = field(default_factory=dict)
    tests: dict | None = None
    alpha: float = ALPHA


def _tests_allowed(spec: dict, options: Options) -> None:
    if spec.get("compare") and options.tests is None:
        raise AnalysisError(
            f"analysis {spec['id']}: `compare` asks for a test of the groups, but the study "
            "declares no tests (analysis.tests): at its size it is descriptive; drop `compare` "
            "or declare the tests with their adjustment"
        )


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


def _scales_of(spec: dict, fields: list[str], options: Options) -> ItemScales | None:
    """The item scales a count follows: those of its source, when its categories are the
    answers of the source's items."""
    scales = options.scales.get(spec["source"])
    if scales is None or _category_field(spec) != scales.answer:
        return None
    if spec.get("categories"):
        raise AnalysisError(
            f"analysis {spec['id']}: the categories of {scales.answer!r} come from each item's "
            f"scale (items.scales of {spec['source']}); drop `categories`"
        )
    if scales.column not in fields:
        raise AnalysisError(
            f"analysis {spec['id']}: answers of items on different scales need the item in the "
            f"id (name {{{scales.column}}} in the variable), so each item keeps its own scale"
        )
    return scales


def _complete_per_scale(counts: pd.DataFrame, fields: list[str], scales: ItemScales):
    """Zero cells for every answer of each item's own scale, never for another scale's."""
    others = [f for f in fields if f != scales.answer]
    try:
        rows = [
            {**cell, scales.answer: answer}
            for cell in counts[others].drop_duplicates().to_dict("records")
            for answer in scales.of(cell[scales.column]).answers
        ]
    except ScaleError as err:
        raise AnalysisError(str(err)) from None
    off_scale = counts.merge(
        pd.DataFrame(rows, columns=fields), on=fields, how="left", indicator=True
    )
    off_scale = off_scale[off_scale["_merge"] == "left_only"]
    if not off_scale.empty:
        first = off_scale.iloc[0]
        raise AnalysisError(
            f"item {first[scales.column]!r} has the answer {first[scales.answer]!r}, which is not "
            f"on its scale {scales.of(first[scales.column]).answers}"
        )
    merged = pd.DataFrame(rows, columns=fields).merge(counts, on=fields, how="left")
    merged["count"] = merged["count"].fillna(0).astype(int)
    return merged


def _scale_fields(row: dict, scales: ItemScales | None) -> dict:
    if scales is None:
        return {}
    scale = scales.of(row[scales.column])
    if row[scales.answer] not in scale.answers:  # answers taken together (`combine`)
        return {}
    return {
        "scale": scale.name,
        "scale_answers": list(scale.answers),
        "shown_answer": scale.meaning,
    }


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


def count(frames: dict, spec: dict, study: str, options: Options) -> list[dict]:
    what = f"analysis {spec['id']}"
    _tests_allowed(spec, options)
    frame = _select(frames, spec, what)
    fields = template_fields(spec)
    _require(frame, fields + ([spec["unit"]] if spec.get("unit") else []), what)
    frame = frame.dropna(subset=fields)
    scales = _scales_of(spec, fields, options)
    counts = _count_cells(frame, fields, spec.get("unit"))
    if scales is not None:
        counts = _complete_per_scale(counts, fields, scales)
    else:
        counts = _complete(counts, spec, fields)
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
                **_scale_fields(row, scales),
            )
        )
    for part, token in (spec.get("totals") or {}).items():
        records += count(frames, _pooled(spec, part, token), study, options)
    if spec.get("compare"):
        records += _fisher_per_category(records, spec, study, options.groups, options.alpha)
    return records


def _fisher_per_category(
    records: list[dict], spec: dict, study: str, groups: list[str], alpha: float
) -> list:
    """Fisher's exact test, group A against group B, for each category and moment (for a
    checklist, only the answer that carries the item's meaning: the other answers of a
    two-answer scale would repeat the same test)."""
    first, second = groups
    cells: dict[tuple, dict[str, dict]] = {}
    for r in records:
        if "shown_answer" in r and r["category"] != r["shown_answer"]:
            continue
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
                n_smaller_group=min(a["n"] or 0, b["n"] or 0),
            )
        )
    return tests


def _values(frame: pd.DataFrame, spec: dict) -> pd.Series:
    columns = spec["value"] if isinstance(spec["value"], list) else [spec["value"]]
    numeric = frame[columns].apply(pd.to_numeric, errors="raise").astype("Float64")
    # A row sum needs every part: a missing part is missing, not zero.
    return numeric.sum(axis=1, min_count=len(columns)).where(numeric.notna().all(axis=1))


def mean(frames: dict, spec: dict, study: str, options: Options) -> list[dict]:
    what = f"analysis {spec['id']}"
    _tests_allowed(spec, options)
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
                median=values.median(),
                sd=values.std(ddof=1) if len(values) > 1 else None,
                min=values.min(),
                max=values.max(),
                sum=values.sum(),
            )
        )
    for part, token in (spec.get("totals") or {}).items():
        records += mean(frames, _pooled(spec, part, token), study, options)
    if spec.get("compare"):
        records += _mann_whitney(frame, spec, study, options.groups, fields, options.alpha)
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
                n_smaller_group=min(len(a), len(b)),
            )
        )
    return tests


def rate(frames: dict, spec: dict, study: str, options: Options) -> list[dict]:
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


def latest(frames: dict, spec: dict, study: str, options: Options) -> list[dict]:
    what = f"analysis {spec['id']}"
    frame = _select(frames, spec, what)
    columns = spec["value"] if isinstance(spec["value"], list) else [spec["value"]]
    _require(frame, columns, what)
    dates = pd.concat([pd.to_datetime(frame[c], errors="raise") for c in columns]).dropna()
    return [
        make_record(
            **_ids(spec, study, {}),
            label=spec.get("label", spec["id"]),
            analysis=spec["id"],
            kind="latest",
            n=len(dates),
            date=dates.max().date().isoformat() if len(dates) else None,
        )
    ]


KINDS: dict[str, Callable] = {"count": count, "mean": mean, "rate": rate, "latest": latest}


def adjust(records: list[dict], tests: dict) -> list[dict]:
    """The tests of one research question as one family: each test record gets its p
    adjusted by the declared method (Holm: step-down, controls the familywise error)."""
    method = tests.get("adjust", "holm")
    if method not in ADJUSTMENTS:
        raise AnalysisError(f"analysis.tests.adjust: unknown method {method!r} ({ADJUSTMENTS})")
    family = [r for r in records if r["kind"] == "test" and r.get("p") is not None]
    if not family:
        return records
    adjusted = multipletests([r["p"] for r in family], method=method)[1]
    for record, p in zip(family, adjusted, strict=True):
        record.update(p_adjusted=float(p), adjustment=method, family_size=len(family))
    return records


def run_analyses(
    frames: dict[str, pd.DataFrame],
    analyses: list[dict],
    study: str,
    groups: list[str],
    *,
    scales: dict[str, ItemScales] | None = None,
    tests: dict | None = None,
    alpha: float = ALPHA,
) -> list[dict]:
    """Every analysis of one research question, in the order the config lists them; its
    tests (if the study declares them) adjusted as one family."""
    options = Options(list(groups), scales or {}, tests, alpha)
    records: list[dict] = []
    for spec in analyses:
        if spec["kind"] == "change":
            records += change(records, spec, study)
        elif spec["kind"] in KINDS:
            with about(f"analysis {spec['id']}"):
                records += KINDS[spec["kind"]](frames, spec, study, options)
        else:
            raise AnalysisError(f"analysis {spec['id']}: unknown kind {spec['kind']!r}")
    return adjust(records, tests) if tests is not None else records


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
        "median",
        "sd",
        "min",
        "max",
        "sum",
        "test",
        "statistic",
        "p",
        "p_adjusted",
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
    layouts: dict[str, dict] | None = None,
    tests: dict | bool = False,
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """One research question of a config-defined study (`ekc.core.research_question`):
    `layouts` are the study's export layouts (for the answer scales of their items),
    `tests` the study's declared tests (false: descriptive)."""
    scales = {}
    for source, layout in (layouts or {}).items():
        try:
            declared = item_scales(source, layout)
        except ScaleError as err:
            raise AnalysisError(str(err)) from None
        if declared is not None:
            scales[source] = declared
    declared = None if not tests else ({} if tests is True else dict(tests))
    records = run_analyses(
        tables, analyses, study, groups, scales=scales, tests=declared, alpha=alpha
    )
    return {"results": records_table(records)}, records
