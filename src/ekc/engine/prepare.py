"""Prepare a validated export of a config-defined study for its analyses.

In order: codes become the tokens the study's results use (`recode`), periods and
durations are derived from dates (`derive`), case ids are pseudonymised (`pseudonymise:
true` in the layout), and
the columns of the linking source (e.g. the group of a family) are joined on its key.
Rows whose key the linking source does not know are kept, counted and listed as orphans:
nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ekc.core.pseudonym import pseudonym


@dataclass
class Prepared:
    frame: pd.DataFrame
    orphans: pd.DataFrame
    summary: dict


def recode(frame: pd.DataFrame, maps: dict[str, dict]) -> pd.DataFrame:
    """Codes to tokens; a code the map does not name keeps its value (validation has
    already restricted the codes). A map entry for `null` names the missing cells."""
    out = frame.copy()
    for column, mapping in maps.items():
        text = {str(code): token for code, token in mapping.items() if code is not None}
        missing = mapping.get(None, pd.NA)
        out[column] = (
            out[column]
            .map(
                lambda v, text=text, missing=missing: (
                    missing if pd.isna(v) else text.get(str(v), str(v))
                )
            )
            .astype("string")
        )
    return out


DAYS_PER = {"days": 1, "weeks": 7}


def derive_periods(frame: pd.DataFrame, derived: dict[str, dict]) -> pd.DataFrame:
    """`name: {from: date column, bins: {token: [first day, day after last]}}` (a period), or
    `name: {from: date column, to: later date column, unit: days | weeks}` (the time between
    them; missing where either date is)."""
    out = frame.copy()
    for name, spec in derived.items():
        dates = pd.to_datetime(out[spec["from"]])
        if "to" in spec:
            days = (pd.to_datetime(out[spec["to"]]) - dates).dt.days
            out[name] = (days / DAYS_PER[spec.get("unit", "days")]).astype("Float64")
            continue
        period = pd.Series(pd.NA, index=out.index, dtype="string")
        for token, (start, end) in spec["bins"].items():
            inside = (dates >= pd.Timestamp(str(start))) & (dates < pd.Timestamp(str(end)))
            period[inside] = str(token)
        out[name] = period
    return out


def pseudonymise(frame: pd.DataFrame, columns: list[str], key: bytes) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.array(
            [None if pd.isna(v) else pseudonym(str(v), key, prefix="P") for v in out[column]],
            dtype="string",
        )
    return out


def prepare(
    frame: pd.DataFrame,
    layout: dict,
    key: bytes,
    link: dict | None = None,
    link_frame: pd.DataFrame | None = None,
) -> Prepared:
    """`frame`: the validated export; `link`: the study's `link` section, `link_frame` the
    prepared linking source (None when this is the linking source itself)."""
    out = recode(frame, layout.get("recode", {}))
    out = derive_periods(out, layout.get("derive", {}))
    secret = [c for c, spec in layout["columns"].items() if spec.get("pseudonymise")]
    out = pseudonymise(out, secret, key)
    orphans = out.iloc[0:0]
    summary = {"rows": len(out), "linked": None, "orphans": 0}
    if link and link_frame is not None and link["key"] in out.columns:
        keyed = link_frame[[link["key"], *link["columns"]]].drop_duplicates(link["key"])
        out = out.drop(columns=[c for c in link["columns"] if c in out.columns])
        out = out.merge(keyed, on=link["key"], how="left", validate="many_to_one")
        known = out[link["key"]].isin(keyed[link["key"]])
        orphans = out.loc[~known, ["source_row", link["key"]]]
        summary.update(linked=int(known.sum()), orphans=int((~known).sum()))
    return Prepared(out.reset_index(drop=True), orphans.reset_index(drop=True), summary)
