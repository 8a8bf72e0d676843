"""Small-cell suppression: hand-worked tables, and an audit that no hidden cell can be
recomputed from what the table still shows (linear programming over the published totals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from ekc.core.disclosure import DEFAULT_MIN_COUNT, NOTE, suppress_records, suppress_small_cells


def table(rows: dict[str, list[int]], columns=("A", "B")) -> pd.DataFrame:
    return pd.DataFrame(rows, index=list(columns)).T


def hidden_cells(result) -> set[tuple[str, str]]:
    stacked = result.hidden.stack()
    return set(stacked[stacked].index)


COUNTS = table({"cat1": [12, 7], "cat2": [3, 10], "cat3": [20, 0]})


def test_nothing_small_nothing_hidden():
    counts = table({"cat1": [12, 7], "cat2": [5, 10]})
    result = suppress_small_cells(counts)
    assert hidden_cells(result) == set() and result.note is None
    pd.testing.assert_frame_equal(result.counts, counts.astype("Int64"))


def test_column_totals_only():
    # Column A (n = 35) would give 3 as 35 - 12 - 20: its smallest other cell, 12, goes too.
    result = suppress_small_cells(COUNTS)
    assert hidden_cells(result) == {("cat1", "A"), ("cat2", "A")}
    assert hidden_cells(result) >= {("cat2", "A")} and int(result.primary.sum().sum()) == 1
    assert result.counts.loc["cat3", "A"] == 20 and result.counts.loc["cat1", "B"] == 7
    assert result.note == NOTE and result.hidden_totals == ()


def test_row_and_column_totals():
    # Row cat2 (13) would give 3 back: hide its other cell, 10; column A then needs 12
    # hidden, and column B (with 10 hidden) its smallest non-zero other cell, 7. Then every
    # published line has two hidden cells: a11 + a12 = 19, a21 + a22 = 13, a11 + a21 = 15,
    # a12 + a22 = 17 leave one degree of freedom (the 3 could be anything from 1 to 12).
    result = suppress_small_cells(COUNTS, row_totals=True, column_totals=True)
    assert hidden_cells(result) == {("cat1", "A"), ("cat1", "B"), ("cat2", "A"), ("cat2", "B")}


def test_percentages_follow_their_counts():
    pct = COUNTS / COUNTS.sum() * 100
    result = suppress_small_cells(COUNTS, pct)
    assert result.percentages.isna().equals(result.hidden)
    assert result.percentages.loc["cat3", "A"] == pytest.approx(20 / 35 * 100)


def test_zero_is_shown_and_never_used_as_a_complement():
    # Column A: 3 and a zero; hiding the zero would not help (zeros are shown), so the
    # column's n must not be printed instead.
    counts = table({"cat1": [3, 8], "cat2": [0, 9]})
    result = suppress_small_cells(counts)
    assert hidden_cells(result) == {("cat1", "A")}
    assert result.counts.loc["cat2", "A"] == 0
    assert result.hidden_totals == (("column", "A"),)


def test_min_count_is_configurable():
    assert DEFAULT_MIN_COUNT == 5
    counts = table({"cat1": [12, 7], "cat2": [30, 10]})
    assert hidden_cells(suppress_small_cells(counts)) == set()
    # k = 10: 7 is small; column B's other cell (10) goes with it.
    assert hidden_cells(suppress_small_cells(counts, min_count=10)) == {
        ("cat1", "B"),
        ("cat2", "B"),
    }
    with pytest.raises(ValueError, match="at least 1"):
        suppress_small_cells(counts, min_count=0)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        suppress_small_cells(table({"cat1": [-1, 2]}))
    with pytest.raises(KeyError, match="unknown columns"):
        suppress_small_cells(COUNTS, column_totals=["C"])


def published_bounds(counts, result, rows: bool, columns: list) -> dict:
    """Smallest and largest value each hidden cell can take given what is printed: the
    totals, the shown cells, and that a hidden cell is not zero (zeros are shown)."""
    cells = sorted(hidden_cells(result))
    position = {cell: i for i, cell in enumerate(cells)}
    equations, totals = [], []
    lines = [("row", r) for r in counts.index if rows and ("row", r) not in result.hidden_totals]
    lines += [("column", c) for c in columns]
    for axis, label in lines:
        members = [
            (r, c)
            for r in counts.index
            for c in counts.columns
            if (r if axis == "row" else c) == label
        ]
        row = np.zeros(len(cells))
        shown = 0
        for cell in members:
            if cell in position:
                row[position[cell]] = 1
            else:
                shown += int(counts.loc[cell])
        if row.any():
            equations.append(row)
            totals.append(sum(int(counts.loc[cell]) for cell in members) - shown)
    bounds = {}
    for cell, i in position.items():
        goal = np.zeros(len(cells))
        goal[i] = 1
        low = linprog(goal, A_eq=equations, b_eq=totals, bounds=(1, None)).fun
        top = linprog(-goal, A_eq=equations, b_eq=totals, bounds=(1, None))
        high = np.inf if top.status == 3 else -top.fun  # unbounded: in no printed total
        bounds[cell] = (low, high)
    return bounds


@pytest.mark.parametrize("rows", [False, True])
def test_no_hidden_cell_can_be_recomputed(rows):
    rng = np.random.default_rng(20070401)
    for _ in range(25):
        shape = (int(rng.integers(2, 6)), int(rng.integers(2, 5)))
        values = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30], size=shape)
        counts = pd.DataFrame(
            values,
            index=[f"r{i}" for i in range(shape[0])],
            columns=[f"c{j}" for j in range(shape[1])],
        )
        result = suppress_small_cells(counts, row_totals=rows, column_totals=True)
        published = [c for c in counts.columns if ("column", c) not in result.hidden_totals]
        for cell, (low, high) in published_bounds(counts, result, rows, published).items():
            assert low <= counts.loc[cell] <= high
            assert high - low >= 1, (counts, cell)


def test_totals_combined_across_lines_are_audited():
    # Hiding so that no line has exactly one hidden cell is not enough here: r2/c0 (1)
    # could be solved from several row and column totals together; the audit hides more.
    counts = pd.DataFrame(
        [[2, 15, 6, 15], [3, 6, 2, 6], [1, 9, 15, 6], [9, 2, 6, 4], [0, 2, 6, 3]],
        index=[f"r{i}" for i in range(5)],
        columns=[f"c{j}" for j in range(4)],
    )
    result = suppress_small_cells(counts, row_totals=True, column_totals=True)
    assert result.hidden_totals == ()
    bounds = published_bounds(counts, result, True, list(counts.columns))
    assert bounds[("r2", "c0")][1] - bounds[("r2", "c0")][0] >= 1
    assert all(high - low >= 1 for low, high in bounds.values())


def test_records_of_a_report_table():
    def rec(variable, category, group, count, n):
        return {
            "id": f"yp:t:{variable}:{category}:{group}:-",
            "table": "t",
            "variable": variable,
            "category": category,
            "group": group,
            "moment": "-",
            "label": variable,
            "n": n,
            "count": count,
            "pct": 100 * count / n,
        }

    records = [
        # conference: 37 + 3 = n (a published total): 3 is hidden, and 37 with it.
        rec("sex", "boy", "conference", 37, 40),
        rec("sex", "girl", "conference", 3, 40),
        # no conference: 2 of its 20 are of unknown sex (not listed), so n is no total of
        # these rows and 12/6 stay.
        rec("sex", "boy", "no_conference", 12, 20),
        rec("sex", "girl", "no_conference", 6, 20),
        # a small cell in a group whose rows do not add up to n: hidden, no complement.
        rec("residence", "home", "no_conference", 15, 20),
        rec("residence", "group", "no_conference", 2, 20),
        rec("residence", "home", "conference", 40, 40),
        rec("residence", "group", "conference", 0, 40),
        {"id": "yp:t:sex:-:test:-", "table": "t", "test": "pearson_chi2", "p": 0.5, "n": 58},
    ]
    out, note = suppress_records(records)
    hidden = {r["id"] for r in out if r.get("suppressed")}
    assert hidden == {
        "yp:t:sex:boy:conference:-",
        "yp:t:sex:girl:conference:-",
        "yp:t:residence:group:no_conference:-",
    }
    for r in out:
        if r["id"] in hidden:
            assert r["count"] is None and r["pct"] is None and r["n"] is not None
    assert note == NOTE
    assert records[1]["count"] == 3  # the input is not changed
    assert out[-1] == records[-1]
    assert suppress_records(records[2:4]) == (records[2:4], None)
