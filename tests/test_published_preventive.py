"""Published figures of the preventive-domain report (study token `pd`), transcribed as data.

Checks the file `resources/published/preventive/preventive_domain.csv` against its own id
scheme and against the seed text it was transcribed from (`shared/seeds/...`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ROOT

CSV = ROOT / "resources" / "published" / "preventive" / "preventive_domain.csv"
SEED_CANDIDATES = [
    ROOT.parent / "shared" / "seeds" / "preventive-domain-study.txt",
    ROOT / "shared" / "seeds" / "preventive-domain-study.txt",
]
COLUMNS = [
    "id",
    "table",
    "variable",
    "category",
    "group",
    "moment",
    "statistic",
    "value",
    "decimals",
    "label_nl",
    "source_line",
    "note",
]
TOKENS = ["variable", "category", "group", "moment", "statistic"]
TABLE_ORDER = ["3.1", "3.2", "4.1", "4.2", "4.3", "B.1", "text3", "text4", "text5"]
STATISTICS = {
    "n",
    "count",
    "pct",
    "mean",
    "sd",
    "min",
    "max",
    "median",
    "t",
    "F",
    "chi2",
    "df",
    "df1",
    "df2",
    "p",
    "verdict",
    "midpoint",
    "ratio",
    "pct_decrease",
    "pct_increase",
    "months_after_conference",
}
GROUPS = {"cjg", "bjz", "all", "cjg_vs_bjz", "-"}
MOMENTS = {
    "start",
    "3m",
    "6m",
    "after",
    "-",
    "may_oct_2010",
    "2010_2011",
    "2011_2012",
    "2011_2012_vs_2010_2011",
}
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
NUMBER = re.compile(r"^-?(?:\d+(?:\.\d+)?|\.\d+)$")
BOUND = re.compile(r"^[<>](?:\d+(?:\.\d+)?|\.\d+)$")
VERDICT = re.compile(r"^(?:n\.s\.|sig\.|p\s*[<>=]\s*\.\d+)$")
# A value that is not printed as such on its source line must say why in its note.
EXCEPTIONS = ("printed '-'", "printed '--'", "printed in words")
WORDS = re.compile(r"printed in words \(?'([^']+)'")
# Tables that print percentages without the counts behind them.
PCT_ONLY_TABLES = {"4.1"}
EXACT_STATISTICS = {"n", "count", "df", "df1", "df2"}


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def seed() -> list[str]:
    path = next((p for p in SEED_CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("seed text of the preventive-domain report not available")
    return path.read_text(encoding="utf-8").split("\n")


def _number(value: str) -> float:
    return float(value.lstrip("<>"))


def _key(row: pd.Series) -> tuple[str, ...]:
    return (row["table"], row["variable"], row["category"], row["group"], row["moment"])


def _by_statistic(published: pd.DataFrame, statistic: str) -> dict[tuple[str, ...], str]:
    rows = published[published["statistic"] == statistic]
    return {_key(r): r["value"] for _, r in rows.iterrows()}


# --- file and id scheme -----------------------------------------------------------------------


def test_file_is_utf8_with_lf_line_ends():
    data = CSV.read_bytes()
    data.decode("utf-8")
    assert b"\r" not in data
    assert data.endswith(b"\n")


def test_columns(published):
    assert list(published.columns) == COLUMNS
    assert len(published) > 0


def test_ids_are_unique(published):
    duplicated = published.loc[published["id"].duplicated(), "id"]
    assert duplicated.empty, duplicated.tolist()


def test_ids_join_the_tokens(published):
    joined = "pd:" + published[["table", *TOKENS]].agg(":".join, axis=1)
    wrong = published.loc[joined != published["id"], "id"]
    assert wrong.empty, wrong.tolist()


def test_tokens_are_lower_snake_case_or_dash(published):
    for column in ["variable", "category", "group", "moment"]:
        bad = published.loc[
            ~published[column].map(lambda t: t == "-" or bool(SNAKE.match(t))), column
        ]
        assert bad.empty, (column, sorted(set(bad)))
    assert (published["variable"] != "-").all()


def test_statistics_groups_moments_are_known(published):
    assert set(published["statistic"]) <= STATISTICS
    assert set(published["group"]) <= GROUPS
    assert set(published["moment"]) <= MOMENTS


def test_rows_are_in_table_order(published):
    assert set(published["table"]) <= set(TABLE_ORDER)
    ranks = published["table"].map(TABLE_ORDER.index)
    assert ranks.is_monotonic_increasing
    for table in ("text3", "text4"):
        lines = published.loc[published["table"] == table, "source_line"].astype(int)
        assert lines.is_monotonic_increasing, table


# --- values -----------------------------------------------------------------------------------


def test_every_value_is_a_number_a_bound_or_a_verdict(published):
    ok = published["value"].map(
        lambda v: bool(NUMBER.match(v) or BOUND.match(v) or VERDICT.match(v))
    )
    assert ok.all(), published.loc[~ok, ["id", "value"]].to_string()


def test_bounds_and_verdicts_only_where_they_belong(published):
    bounds = published[published["value"].str.match(r"^[<>]")]
    assert set(bounds["statistic"]) <= {"pct", "ratio", "p"}
    verdicts = published[published["value"].map(lambda v: bool(VERDICT.match(v)))]
    assert (verdicts["statistic"] == "verdict").all()
    exact = published[published["statistic"].isin(EXACT_STATISTICS)]
    assert exact["value"].str.fullmatch(r"\d+").all()


def test_decimals_match_the_printed_value(published):
    def printed_decimals(value: str) -> str:
        match = re.search(r"\.(\d+)$", value.lstrip("<>"))
        if NUMBER.match(value) or BOUND.match(value):
            return str(len(match.group(1))) if match else "0"
        match = re.search(r"\.(\d+)", value)  # a verdict such as 'p<.05'
        return str(len(match.group(1))) if match else ""

    expected = published["value"].map(printed_decimals)
    wrong = published[expected != published["decimals"]]
    assert wrong.empty, wrong[["id", "value", "decimals"]].to_string()


def test_percentages_lie_between_0_and_100(published):
    pct = published[published["statistic"] == "pct"]
    values = pct["value"].map(_number)
    assert ((values >= 0) & (values <= 100)).all()


# --- provenance in the seed text ---------------------------------------------------------------


def test_source_line_holds_the_value(published, seed):
    problems = []
    for _, row in published.iterrows():
        line = int(row["source_line"])
        if not 1 <= line <= len(seed):
            problems.append((row["id"], "line out of range"))
            continue
        text = seed[line - 1].replace(",", ".")
        value = re.escape(row["value"])
        found = re.search(rf"(?<![\d.]){value}(?![\d]|\.\d)", text)
        if found:
            continue
        if not any(marker in row["note"] for marker in EXCEPTIONS):
            problems.append((row["id"], row["value"], seed[line - 1]))
    assert not problems, "\n".join(map(str, problems))


def test_words_quoted_in_a_note_are_on_the_source_line(published, seed):
    problems = []
    for _, row in published.iterrows():
        match = WORDS.search(row["note"])
        if match and match.group(1).lower() not in seed[int(row["source_line"]) - 1].lower():
            problems.append((row["id"], match.group(1)))
    assert not problems, problems


def test_notes_explain_every_bound(published):
    bounds = published[published["value"].str.match(r"^[<>]")]
    assert bounds["note"].str.contains("printed in words").all()


def test_dash_cells_are_documented(published, seed):
    """A zero read from a printed '-' says so, and the line really has a dash."""
    dashed = published[published["note"].str.contains("printed '-'|printed '--'")]
    assert (dashed["value"] == "0").all()
    for _, row in dashed.iterrows():
        assert re.search(r"(?:^|\s)--?(?:\s|$)", seed[int(row["source_line"]) - 1]), row["id"]


# --- percentages and counts -------------------------------------------------------------------


def test_each_printed_percentage_has_its_count(published):
    counts = _by_statistic(published, "count")
    ns = _by_statistic(published, "n")
    pct = published[
        (published["statistic"] == "pct")
        & published["value"].map(lambda v: bool(NUMBER.match(v)))
        & ~published["note"].str.contains("printed in words")
        & ~published["table"].isin(PCT_ONLY_TABLES)
    ]
    assert not pct.empty
    for _, row in pct.iterrows():
        key = _key(row)
        assert key in counts, row["id"]
        if key in ns:
            share = 100 * int(counts[key]) / int(ns[key])
            assert round(share, int(row["decimals"])) == pytest.approx(float(row["value"])), row[
                "id"
            ]


def test_percentage_only_tables_add_up_to_their_total(published):
    for table in PCT_ONLY_TABLES:
        rows = published[(published["table"] == table) & (published["statistic"] == "pct")]
        for group, block in rows.groupby("group"):
            total = block.loc[block["category"] == "total", "value"].map(float)
            parts = block.loc[block["category"] != "total", "value"].map(float).sum()
            assert len(total) == 1
            assert parts == pytest.approx(total.iloc[0], abs=0.5), (table, group)


# --- internal consistency of the printed tables -------------------------------------------------


@pytest.mark.parametrize(
    ("table", "cell", "total"),
    [("4.2", "care_child", "care_points_child"), ("4.3", "care_parent", "care_points_parent")],
)
def test_care_tables_add_up(published, table, cell, total):
    rows = published[published["table"] == table]
    for (group, moment), block in rows.groupby(["group", "moment"]):
        cells = block[(block["variable"] == cell) & (block["statistic"] == "count")]
        printed_total = block[(block["variable"] == total) & (block["statistic"] == "count")]
        mean = block[(block["variable"] == total) & (block["statistic"] == "mean")]
        n = block[(block["variable"] == "sample") & (block["statistic"] == "n")]
        assert cells["value"].astype(int).sum() == int(printed_total["value"].iloc[0])
        expected = int(printed_total["value"].iloc[0]) / int(n["value"].iloc[0])
        decimals = int(mean["decimals"].iloc[0])
        assert round(expected + 1e-9, decimals) == pytest.approx(float(mean["value"].iloc[0])), (
            table,
            group,
            moment,
        )


def test_conference_counts_per_period(published):
    t31 = published[published["table"] == "3.1"].set_index("id")["value"].astype(int)
    t32 = published[published["table"] == "3.2"]
    for variable in ("conferences_registered", "conferences_held"):
        periods = [
            t31[f"pd:3.1:{variable}:-:cjg:{p}:count"]
            for p in ("may_oct_2010", "2010_2011", "2011_2012")
        ]
        assert sum(periods) == t31[f"pd:3.1:{variable}:total:cjg:-:count"]
        for period in ("2010_2011", "2011_2012"):
            block = t32[(t32["variable"] == variable) & (t32["moment"] == period)]
            municipal = block["value"].astype(int).sum()
            regional = t31[f"pd:3.1:{variable}:-:cjg:{period}:count"]
            if municipal != regional:  # a documented misprint: 64 against 63
                assert (variable, period) == ("conferences_registered", "2010_2011")
                assert (municipal, regional) == (64, 63)
                assert block["note"].str.contains("sums to 64").all()


def test_risk_factor_columns_stay_within_their_base(published):
    """Table B.1 answers per column never exceed the participants, except two documented cells."""
    base = {
        ("parent_report", "cjg", "start"): 9,
        ("parent_report", "bjz", "start"): 8,
        ("parent_report", "cjg", "6m"): 4,
        ("parent_report", "bjz", "6m"): 3,
        ("professional_report", "cjg", "start"): 9,
        ("professional_report", "bjz", "start"): 7,
    }
    rows = published[published["table"] == "B.1"].copy()
    rows["informant"] = rows["variable"].str.extract(r"_(parent_report|professional_report)$")[0]
    assert rows["informant"].notna().all()
    over = []
    for (variable, informant, group, moment), block in rows.groupby(
        ["variable", "informant", "group", "moment"]
    ):
        if block["value"].astype(int).sum() > base[(informant, group, moment)]:
            assert block["note"].str.contains("scrambled or misprinted").any(), variable
            over.append((variable, group, moment))
    assert sorted(over) == [
        ("satisfied_contact_children_parent_report", "bjz", "6m"),
        ("sufficient_family_income_parent_report", "cjg", "6m"),
    ]


def test_every_number_in_the_care_tables_is_transcribed(published, seed):
    """Each printed cell of Tables 4.2 and 4.3 (count lines between header and means) is a row."""
    for table, first, last in (("4.2", 4264, 4322), ("4.3", 4350, 4390)):
        rows = published[published["table"] == table]
        per_line = rows.groupby(rows["source_line"].astype(int)).size()
        for number in range(first, last + 1):
            cells = re.findall(r"(?:(?<=\s)|^)(?:\d+(?:,\d+)?|-)(?=\s|$)", seed[number - 1])
            if len(cells) >= 6:
                assert per_line.get(number, 0) == 6, (table, number)


def test_text_rows_are_in_results_chapters(published):
    lines = published["source_line"].astype(int)
    text3 = lines[published["table"] == "text3"]
    text4 = lines[published["table"] == "text4"]
    text5 = lines[published["table"] == "text5"]
    assert text3.between(2181, 3790).all()  # chapter 3 (implementation)
    assert text4.between(3790, 4888).all()  # chapter 4
    assert text5.between(4891, 6120).all()  # chapter 5 (conclusions per research question)


def test_csv_path_is_outside_the_fidelity_glob():
    """The fidelity table reads resources/published/*.csv; this file must not join it."""
    published_root = ROOT / "resources" / "published"
    assert CSV not in set(published_root.glob("*.csv"))
    assert Path(CSV).parent.name == "preventive"
