"""Fidelity table: every published figure beside the value the embedded data give.

A published figure's id is `<record id>:<statistic>`. The reproduced value comes from the
results record an analysis rule wrote; the `source` column names that rule.

Agreement rules (the published rounding decides):
- counts, n and df: equal;
- percentages and other rounded figures: the reproduced value rounded half-up to the printed
  number of decimals equals the printed value;
- a printed '<x' or '>x' (p < .001, <1%, 'more than half'): the reproduced value is
  below / above x;
- verdicts: the same significance at alpha.
A disagreement is 'explained' when the published figure's note gives the reason (published
figures that contradict each other, or that no sample can have); otherwise it is a 'mismatch'.
Figures that no export holds (`resources/not_in_data.csv`, with the reason) are
'not_in_data'. Figures of an external comparison population (published aggregates, records marked
`source: external`) are 'external': inputs of the analysis, not reproductions.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ekc.core.report.numbers import round_half_up

COLUMNS = [
    "id",
    "table",
    "statistic",
    "label_nl",
    "published",
    "reproduced",
    "difference",
    "status",
    "source",
    "note",
]
TEST_STATISTICS = {"t", "F", "chi2"}
EXACT = {"n", "count", "df", "df1", "df2"}


def read_published(paths: Iterable[str | Path]) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    published = pd.concat(frames, ignore_index=True)
    duplicated = published["id"][published["id"].duplicated()]
    if not duplicated.empty:
        raise ValueError(f"duplicate published ids: {sorted(duplicated)[:5]}")
    return published


def _record_value(record: dict, statistic: str):
    if statistic in TEST_STATISTICS:
        return record.get("statistic")
    if statistic == "n" and record.get("n") is None:
        return record.get("count")
    if statistic == "df1":
        return record.get("df1", record.get("df"))
    if statistic == "verdict":
        # a test that could not be computed reproduces no verdict (not 'sig.', not 'n.s.')
        return {"significant": "sig.", "not_significant": "n.s."}.get(record.get("verdict"))
    return record.get(statistic)


def _number(text: str) -> float | None:
    text = text.strip().replace("%", "").replace(",", ".")
    if text.startswith("."):
        text = "0" + text
    if text.startswith("-."):
        text = "-0" + text[1:]
    try:
        return float(text)
    except ValueError:
        return None


def compare(published: str, decimals: str, statistic: str, reproduced) -> tuple[str, object]:
    """Return (status, difference) for one figure."""
    if reproduced is None or (isinstance(reproduced, float) and math.isnan(reproduced)):
        return "not_reproduced", None
    if statistic == "verdict":
        printed = published.strip().lower().replace(" ", "")
        significant = not printed.startswith("n.s")
        return ("match" if significant == (reproduced != "n.s.") else "mismatch"), None
    if isinstance(reproduced, str):
        return ("match" if reproduced.strip() == published.strip() else "mismatch"), None
    if published.strip()[:1] in "<>":
        bound = _number(published.strip()[1:])
        if bound is None:
            return "mismatch", None
        below = published.strip().startswith("<")
        holds = reproduced < bound if below else reproduced > bound
        return ("match" if holds else "mismatch"), None
    value = _number(published)
    if value is None:
        return "mismatch", None
    places = int(decimals) if decimals.strip().isdigit() else 0
    if statistic in EXACT:
        difference = float(reproduced) - value
        return ("match" if abs(difference) < 1e-9 else "mismatch"), difference
    rounded = round_half_up(float(reproduced), places)
    difference = float(reproduced) - value
    if statistic == "p" and value == 0 and places:
        return ("match" if reproduced < 0.5 * 10**-places else "mismatch"), difference
    return ("match" if math.isclose(rounded, value, abs_tol=1e-9) else "mismatch"), difference


def read_not_in_data(path: str | Path) -> dict[str, str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    return dict(zip(frame["id"], frame["reason"], strict=True))


def fidelity_table(
    published: pd.DataFrame,
    records: Iterable[dict],
    records_source: dict[str, str],
    not_in_data: dict[str, str] | None = None,
) -> pd.DataFrame:
    """records_source maps a record id to the rule that wrote it; not_in_data maps a
    published id to the reason no export holds it."""
    not_in_data = not_in_data or {}
    by_id = {r["id"]: r for r in records}
    rows = []
    for fig in published.itertuples(index=False):
        record_id, statistic = fig.id.rsplit(":", 1)
        reproduced, source, note = None, "", fig.note
        if record_id in by_id and _record_value(by_id[record_id], statistic) is not None:
            reproduced = _record_value(by_id[record_id], statistic)
            source = f"rule {records_source.get(record_id, '?')}"
        status, difference = compare(fig.value, fig.decimals, statistic, reproduced)
        if status == "mismatch" and note:
            status = "explained"
        if by_id.get(record_id, {}).get("source") == "external":
            status, source = "external", "external reference"
        if status == "not_reproduced" and fig.id in not_in_data:
            status = "not_in_data"
            note = "; ".join(t for t in (note, not_in_data[fig.id]) if t)
        rows.append(
            {
                "id": fig.id,
                "table": fig.table,
                "statistic": statistic,
                "label_nl": fig.label_nl,
                "published": fig.value,
                "reproduced": reproduced,
                "difference": difference,
                "status": status,
                "source": source or "none",
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def write_fidelity(frame: pd.DataFrame, path: str | Path) -> None:
    out = frame.copy()

    def missing(v) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    out["reproduced"] = [
        "" if missing(v) else (f"{v:.6g}" if isinstance(v, float) else str(v))
        for v in out["reproduced"]
    ]
    out["difference"] = ["" if missing(v) else f"{v:.6g}" for v in out["difference"]]
    from ekc.core.spreadsheet import spreadsheet_safe

    spreadsheet_safe(out).to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def summary_markdown(table: pd.DataFrame) -> str:
    """Counts per status, overall and per published table."""
    counts = table["status"].value_counts().sort_index()
    lines = ["# Fidelity: published figures reproduced from the embedded data", ""]
    lines += [f"- {status}: {n}" for status, n in counts.items()]
    lines += ["", "Per table:", ""]
    per_table = table.groupby(["table", "status"]).size().unstack(fill_value=0)
    lines.append(per_table.to_markdown())
    return "\n".join(lines) + "\n"
