"""Small-cell suppression for the count/percentage tables of the report.

With about a hundred families, a cell of two or three families in a region can point to a
family that people around it recognise. So a table shows no count below `min_count`
(primary suppression), and no cell from which a hidden one could be recomputed: where a
line (row or column) has a published total and exactly one hidden cell, the difference
would give it away, so the smallest other cell of that line is hidden as well
(complementary suppression), until no line with a published total has exactly one hidden
cell. Percentages are hidden with their counts (count = pct x n).

Default k = 5: the most common small-cell threshold for published frequency tables; with the
study's groups of 30-70 families a larger k would blank most category rows. Zero cells are
shown: they identify no one. A hidden zero would not protect a small cell either (zeros
are shown, so a hidden cell is known to be non-zero), hence a line whose only hidden cell
has no other non-zero cell to hide with cannot be protected by cells: its total is listed
in `hidden_totals` and must not be printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

DEFAULT_MIN_COUNT = 5
# gettext msgid of the table note (the template translates it with k = min_count).
NOTE = (
    "Cells based on fewer than %(k)s cases are not shown (–), nor the cells from which they "
    "could be recomputed."
)


@dataclass(frozen=True)
class Suppressed:
    counts: pd.DataFrame  # Int64, <NA> where hidden
    percentages: pd.DataFrame | None
    hidden: pd.DataFrame  # bool: hidden cells (primary and complementary)
    primary: pd.DataFrame  # bool: cells below min_count
    hidden_totals: tuple[tuple[str, object], ...]  # ("row"/"column", label) not to print
    note: str | None  # NOTE when anything is hidden, else None


def _lines(frame: pd.DataFrame, totals: bool | Iterable, axis: str) -> list[tuple[str, object]]:
    labels = frame.index if axis == "row" else frame.columns
    chosen = labels if totals is True else [] if totals is False else list(totals)
    unknown = [label for label in chosen if label not in labels]
    if unknown:
        raise KeyError(f"{axis} totals for unknown {axis}s: {unknown}")
    return [(axis, label) for label in chosen]


def _line_cells(frame: pd.DataFrame, axis: str, label: object) -> pd.Series:
    return frame.loc[label] if axis == "row" else frame[label]


def _complete_lines(
    values: pd.DataFrame, hidden: pd.DataFrame, lines: list, hidden_totals: list
) -> None:
    """No published line with exactly one hidden cell: hide its smallest other cell too."""
    changed = True
    while changed:
        changed = False
        for axis, label in list(lines):
            cells = _line_cells(hidden, axis, label)
            if int(cells.sum()) != 1:
                continue
            line = _line_cells(values, axis, label)
            others = line[~cells & (line > 0)]
            if others.empty:
                hidden_totals.append((axis, label))
                lines.remove((axis, label))
                continue
            # The smallest other cell (first in table order on a tie) costs the least.
            pick = others.index[int(others.astype("int64").to_numpy().argmin())]
            if axis == "row":
                hidden.loc[label, pick] = True
            else:
                hidden.loc[pick, label] = True
            changed = True


def _exposed(values: pd.DataFrame, hidden: pd.DataFrame, lines: list) -> list[tuple]:
    """Hidden cells that the printed cells and totals pin down to one value.

    What a reader knows: every published total, every shown cell, and that a hidden cell is
    at least 1 (zeros are shown). Each hidden cell's range is found by linear programming.
    """
    from scipy.optimize import linprog

    cells = [(r, c) for r in values.index for c in values.columns if hidden.loc[r, c]]
    if not cells:
        return []
    position = {cell: i for i, cell in enumerate(cells)}
    equations, totals = [], []
    for axis, label in lines:
        row = [0.0] * len(cells)
        rest = 0
        for other, value in _line_cells(values, axis, label).items():
            cell = (label, other) if axis == "row" else (other, label)
            if cell in position:
                row[position[cell]] = 1.0
            else:
                rest += int(value)
        if any(row):
            equations.append(row)
            totals.append(int(_line_cells(values, axis, label).sum()) - rest)
    if not equations:
        return []
    exposed = []
    for cell, i in position.items():
        goal = [0.0] * len(cells)
        goal[i] = 1.0
        low = linprog(goal, A_eq=equations, b_eq=totals, bounds=(1, None)).fun
        goal[i] = -1.0
        top = linprog(goal, A_eq=equations, b_eq=totals, bounds=(1, None))
        high = float("inf") if top.status == 3 else -top.fun  # 3: in no published line
        if high - low < 0.5:  # the bounds are whole numbers (two-way tables)
            exposed.append(cell)
    return exposed


def suppress_small_cells(
    counts: pd.DataFrame,
    percentages: pd.DataFrame | None = None,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    row_totals: bool | Iterable = False,
    column_totals: bool | Iterable = True,
) -> Suppressed:
    """Hide small counts and the cells that would reveal them.

    `counts`: categories x groups (any labels), whole non-negative numbers. `row_totals` /
    `column_totals`: True, False or the labels of the rows/columns whose total the table
    publishes (a group's n in the header is a column total when its categories add up to it).
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count}")
    values = counts.astype("Int64")
    if values.isna().any().any() or (values < 0).any().any():
        raise ValueError("counts must be whole non-negative numbers without gaps")
    if percentages is not None and (
        list(percentages.index) != list(counts.index)
        or list(percentages.columns) != list(counts.columns)
    ):
        raise ValueError("percentages must have the rows and columns of counts")

    primary = ((values > 0) & (values < min_count)).astype(bool)
    hidden = primary.copy()
    lines = _lines(values, row_totals, "row") + _lines(values, column_totals, "column")
    hidden_totals: list[tuple[str, object]] = []
    while True:
        _complete_lines(values, hidden, lines, hidden_totals)
        exposed = _exposed(values, hidden, lines)
        if not exposed:
            break
        # Lines alone can leave a pattern that combined totals still solve: widen it.
        row, column = exposed[0]
        through = [line for line in lines if line in (("row", row), ("column", column))]
        candidates = [
            (int(values.loc[r, c]), r_i, c_i, r, c)
            for r_i, r in enumerate(values.index)
            for c_i, c in enumerate(values.columns)
            if not hidden.loc[r, c]
            and values.loc[r, c] > 0
            and (("row", r) in through or ("column", c) in through)
        ]
        if candidates:
            *_, r, c = min(candidates)
            hidden.loc[r, c] = True
        else:
            for line in through:
                hidden_totals.append(line)
                lines.remove(line)

    shown = values.mask(hidden)
    pct = None if percentages is None else percentages.astype("Float64").mask(hidden)
    note = NOTE if hidden.any().any() or hidden_totals else None
    return Suppressed(shown, pct, hidden, primary, tuple(hidden_totals), note)


def suppress_records(
    records: list[dict], *, min_count: int = DEFAULT_MIN_COUNT
) -> tuple[list[dict], str | None]:
    """The same on results records (`count`, `pct`, `n` per category and group).

    Records of one (table, variable, moment) form a table of categories x groups. A group's
    n (printed in the table header) is a published total when its categories add up to it.
    Returns copies, hidden ones with count and pct None and `suppressed: True` (and
    `suppressed_n: True` where the group's n must not be printed either), and the note key
    (None if nothing was hidden). Records without a count pass unchanged.
    """
    out = [dict(r) for r in records]
    counted = [r for r in out if r.get("count") is not None and "category" in r]
    frame = pd.DataFrame(counted)
    if frame.empty:
        return out, None
    any_hidden = False
    for _, block in frame.groupby(["table", "variable", "moment"], sort=False):
        table = block.pivot(index="category", columns="group", values="count").fillna(0)
        n = block.groupby("group")["n"].first()
        published = [g for g in table.columns if int(table[g].sum()) == int(n[g])]
        result = suppress_small_cells(
            table.astype("int64"), min_count=min_count, column_totals=published
        )
        any_hidden |= result.note is not None
        for rec in (r for r in counted if r["id"] in set(block["id"])):
            if result.hidden.loc[rec["category"], rec["group"]]:
                rec.update(count=None, pct=None, suppressed=True)
        # A group whose n alone would reveal its hidden cell: the caller must not print n.
        hidden_groups = {label for axis, label in result.hidden_totals if axis == "column"}
        for rec in (r for r in counted if r["id"] in set(block["id"])):
            if rec["group"] in hidden_groups:
                rec["suppressed_n"] = True
    return out, NOTE if any_hidden else None
