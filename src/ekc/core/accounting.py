"""Row accounting: every row of every export has one fate, and the fates add up.

Per export, rows in = kept + quarantined + unexpected + orphaned:
- validation reads the rows and sets the failing ones aside (quarantined);
- the study's linkage receives the rest and keeps them, or reports them as orphaned (their
  family is not known) or unexpected (a form the design does not expect).
The counts come from the two steps independently; a row that is neither kept nor reported
is `unaccounted`, and an export with unaccounted rows stops the build.
"""

from __future__ import annotations

import pandas as pd

ACCOUNT_COLUMNS = [
    "source",
    "file",
    "rows_in",
    "kept",
    "quarantined",
    "unexpected",
    "orphaned",
    "unaccounted",
]


class RowsUnaccounted(RuntimeError):
    """Rows of an export that are neither kept nor reported."""


def row_accounts(validation: list[dict], linkage: list[dict]) -> pd.DataFrame:
    """One row per export: `validation` holds each export's counts from validation
    (rows_in, kept, quarantined), `linkage` each export's fates in the linkage (rows, and
    kept, orphaned, unexpected; a study engine's summary gives rows, linked, orphans)."""
    linked = {entry["source"]: entry for entry in linkage}
    records = []
    for counts in sorted(validation, key=lambda c: c["source"]):
        entry = linked.get(counts["source"])
        if entry is None:  # an export the linkage never saw: its rows are unaccounted
            entry = {"rows": 0, "kept": 0, "orphaned": 0, "unexpected": 0}
        orphaned = int(entry.get("orphaned", entry.get("orphans", 0)))
        unexpected = int(entry.get("unexpected", 0))
        kept = int(entry.get("kept", entry["rows"] - orphaned - unexpected))
        accounted = kept + counts["quarantined"] + unexpected + orphaned
        records.append(
            {
                "source": counts["source"],
                "file": counts["file"],
                "rows_in": counts["rows_in"],
                "kept": kept,
                "quarantined": counts["quarantined"],
                "unexpected": unexpected,
                "orphaned": orphaned,
                "unaccounted": counts["rows_in"] - accounted,
            }
        )
    return pd.DataFrame(records, columns=ACCOUNT_COLUMNS)


def accounting_section(account: dict) -> str:
    """The row accounting of one export, for its QC summary."""
    balance = (
        "every row is accounted for"
        if account["unaccounted"] == 0
        else f"{account['unaccounted']} row(s) NOT accounted for"
    )
    return (
        "\n## Row accounting\n\n"
        f"Rows in: {account['rows_in']} = kept {account['kept']} + quarantined "
        f"{account['quarantined']} + unexpected {account['unexpected']} + orphaned "
        f"{account['orphaned']}: {balance}\n"
        "(unexpected and orphaned rows are listed, by row, in the linkage report in the "
        "private area)\n"
    )


def check_balanced(accounts: pd.DataFrame) -> None:
    lost = accounts[accounts["unaccounted"] != 0]
    if not lost.empty:
        names = ", ".join(
            f"{r.source} ({r.file}: {r.unaccounted} of {r.rows_in} rows)"
            for r in lost.itertuples(index=False)
        )
        raise RowsUnaccounted(
            f"rows neither kept nor reported: {names}. The rows in = kept + quarantined + "
            "unexpected + orphaned check failed; see results/qc/row_accounting.csv"
        )
