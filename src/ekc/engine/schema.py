"""A pandera schema built from an export layout written in the study's config.

    columns:
      family_id: {type: text, pattern: "^F\\d{4}$", key: true}
      wave:      {type: text, values: [T1, T2, T3]}
      children:  {type: int, min: 0, max: 15, required: false}
    unique: [[family_id, wave]]

`type` is text, int, float or date (cells are parsed by `ekc.core.validation`, as for every
export); `required` (default true) forbids empty cells; `values` lists the allowed codes;
`min`/`max` bound numbers and dates; `unique` lists column sets that identify a row;
`items` gives the answer scale of each item of a checklist (`ekc.engine.scales`), and an
answer outside its item's scale fails the row. `rules` relate the cells of a row:

    rules:
      - {when: {status: [held]}, required: [conference_date]}
      - {when: {status: [planned, stopped]}, empty: [conference_date, reason]}
      - {not_before: {conference_date: registered_on}}

Privacy by allow-list: a column is identifying (its values never leave the private area)
unless the layout says `identifying: false`, or restricts it to a list of `values` (codes
cannot name a person; `identifying: true` overrides this).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ekc.core.validation import NON_IDENTIFYING
from ekc.engine.scales import answer_checks

DTYPES = {"text": "string", "int": "Int64", "float": "Float64", "date": "datetime64[ns]"}


def _bound(value: object, kind: str) -> object:
    return pd.Timestamp(str(value)) if kind == "date" else value


def column_checks(spec: dict) -> list[pa.Check]:
    kind = spec.get("type", "text")
    checks = []
    if "values" in spec:
        values = spec["values"]
        checks.append(pa.Check.isin(values, error=f"must be one of {', '.join(map(str, values))}"))
    if "min" in spec:
        low = _bound(spec["min"], kind)
        checks.append(pa.Check.ge(low, error=f"must be at least {spec['min']}"))
    if "max" in spec:
        high = _bound(spec["max"], kind)
        checks.append(pa.Check.le(high, error=f"must be at most {spec['max']}"))
    if "pattern" in spec:
        checks.append(pa.Check.str_matches(spec["pattern"], error=f"must match {spec['pattern']}"))
    return checks


def identifying(spec: dict) -> bool:
    return spec.get("identifying", "values" not in spec)


def export_schema(name: str, layout: dict) -> pa.DataFrameSchema:
    """The schema of one export from its layout in the config."""
    columns = {}
    for column, spec in layout["columns"].items():
        kind = spec.get("type", "text")
        if kind not in DTYPES:
            raise ValueError(f"{name}.{column}: unknown type {kind!r} (one of {sorted(DTYPES)})")
        columns[column] = pa.Column(
            DTYPES[kind],
            checks=column_checks(spec),
            nullable=not spec.get("required", True),
            unique=bool(spec.get("key", False)),
            coerce=False,
            metadata=None if identifying(spec) else dict(NON_IDENTIFYING),
        )
    unique = layout.get("unique") or []
    checks = [
        pa.Check(
            lambda frame, cols=tuple(cols): ~frame.duplicated(list(cols), keep=False),
            name=f"unique_{'_'.join(cols)}",
            error=f"the combination {', '.join(cols)} must identify one row",
        )
        for cols in unique
    ]
    checks += answer_checks(name, layout)
    checks += [row_rule(name, layout, rule) for rule in layout.get("rules") or []]
    return pa.DataFrameSchema(columns, checks=checks, name=name, strict=False)


def _codes(values: list) -> str:
    texts = [str(v) for v in values]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} or {texts[-1]}"


def row_rule(name: str, layout: dict, rule: dict) -> pa.Check:
    """One rule across the cells of a row, as a row-wise check with a message a data manager
    can act on."""
    named = [*(rule.get("when") or {}), *rule.get("required", []), *rule.get("empty", [])]
    named += [c for pair in (rule.get("not_before") or {}).items() for c in pair]
    unknown = [c for c in named if c not in layout["columns"]]
    if unknown:
        raise ValueError(f"{name}.rules: {unknown} are not columns of {name}")
    when = {column: [str(v) for v in values] for column, values in (rule.get("when") or {}).items()}
    condition = " and ".join(f"{c} is {_codes(v)}" for c, v in when.items())
    if "not_before" in rule:
        ((later, earlier),) = rule["not_before"].items()
        message = f"{later} must not lie before {earlier}"
    elif "required" in rule:
        message = f"{_codes(rule['required'])} must be filled"
    else:
        message = f"{_codes(rule['empty'])} must be empty"
    message = f"where {condition}, {message}" if condition else message
    if rule.get("why"):
        message += f" ({rule['why']})"

    def holds(frame: pd.DataFrame) -> pd.Series:
        applies = pd.Series(True, index=frame.index)
        for column, values in when.items():
            applies &= frame[column].astype("string").isin(values).fillna(False)
        if "not_before" in rule:
            ok = ~(frame[later] < frame[earlier]).fillna(False)
        elif "required" in rule:
            ok = frame[rule["required"]].notna().all(axis=1)
        else:
            ok = frame[rule["empty"]].isna().all(axis=1)
        return ~applies | ok

    return pa.Check(holds, name=f"rule_{'_'.join(named)}", error=message)
