"""A pandera schema built from an export layout written in the study's config.

    columns:
      family_id: {type: text, pattern: "^F\\d{4}$", key: true}
      wave:      {type: text, values: [T1, T2, T3]}
      children:  {type: int, min: 0, max: 15, required: false}
    unique: [[family_id, wave]]

`type` is text, int, float or date (cells are parsed by `ekc.core.validation`, as for every
export); `required` (default true) forbids empty cells; `values` lists the allowed codes;
`min`/`max` bound numbers and dates; `unique` lists column sets that identify a row.

Privacy by allow-list: a column is identifying (its values never leave the private area)
unless the layout says `identifying: false`, or restricts it to a list of `values` (codes
cannot name a person; `identifying: true` overrides this).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ekc.core.validation import NON_IDENTIFYING

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
    return pa.DataFrameSchema(columns, checks=checks, name=name, strict=False)
