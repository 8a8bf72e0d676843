"""ekc.core.stats.finish: record builders, the Holm family with its summaries, effect-size
records and the tests table."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from ekc.core.stats.finish import (
    count_record,
    effect_record,
    finish,
    holm_family,
    is_test,
    record_of_test,
    restated,
    summary_record,
    table_of_tests,
    verdict_over,
)
from ekc.core.stats.inference import pearson_chi2, student_t
from ekc.core.stats.records import record, record_id

STUDY = "s"


def _test(variable: str, p: float, **fields) -> dict:
    result = {"test": "student_t", "statistic": 1.0, "df": 10.0, "p": p, "verdict": "x"}
    return record_of_test(
        record_id(STUDY, "t1", variable), result=result, label=variable, n=12, **fields
    )


def _holm_by_hand(p: list[float]) -> list[float]:
    """Holm (1979): the i-th smallest of m p-values times (m - i), running maximum, at most 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    adjusted, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def test_holm_family_matches_statsmodels_and_the_definition():
    p = [0.012, 0.0004, 0.2, 0.012, 0.049, 0.8, 0.03]  # with a tie
    tests = [_test(f"v{i}", value) for i, value in enumerate(p)]
    holm_family(tests)
    # reference: statsmodels.stats.multitest.multipletests(p, method="holm")
    reference = multipletests(p, method="holm")[1]
    assert [t["p_holm"] for t in tests] == pytest.approx(list(reference), rel=1e-12)
    assert [t["p_holm"] for t in tests] == pytest.approx(_holm_by_hand(p), rel=1e-12)


def test_holm_family_reproduces_the_worked_example_of_the_holm_bonferroni_method():
    # Wikipedia, "Holm-Bonferroni method", section Example: p1 = .01, p2 = .04, p3 = .03,
    # p4 = .005 at alpha = .05; H4 and H1 are rejected, H3 and H2 are not.
    tests = [_test(f"h{i}", value) for i, value in enumerate((0.01, 0.04, 0.03, 0.005), 1)]
    holm_family(tests)
    assert [t["p_holm"] for t in tests] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert [t["p_holm"] < 0.05 for t in tests] == [True, False, False, True]


def test_a_test_without_p_stays_out_of_the_family():
    tests = [_test("a", 0.01), _test("b", 0.02), _test("c", 0.5)]
    del tests[2]["p"]  # not estimable: no p, so no adjusted p either
    holm_family(tests)
    assert [t.get("p_holm") for t in tests] == pytest.approx([0.02, 0.02, None])


def test_a_summary_takes_the_adjusted_p_of_the_component_that_decides_it():
    tests = [_test("a", 0.004), _test("b", 0.03), _test("c", 0.2), _test("d", 0.01)]
    components = [tests[1]["id"], tests[2]["id"]]
    summary = record(
        record_id(STUDY, "t1", "b_and_c"), label="b and c", n=None, components=components
    )
    nothing = record(record_id(STUDY, "t1", "none"), label="none", n=None, components=[])
    holm_family(tests, [summary, nothing], name="rq")
    assert summary["p_holm"] == min(tests[1]["p_holm"], tests[2]["p_holm"])
    assert summary["p_holm"] == pytest.approx(2 * 0.03)  # third smallest of four
    assert "p_holm" not in nothing
    assert {r["holm_family"] for r in [*tests, summary, nothing]} == {"rq"}


def test_a_summary_naming_an_unknown_component_is_an_error():
    summary = record(
        record_id(STUDY, "t1", "x"), label="x", n=None, components=["s:t1:missing:-:-:-"]
    )
    with pytest.raises(KeyError):
        holm_family([_test("a", 0.01)], [summary])


def test_p_holm_is_rounded_as_every_float_of_a_record():
    tests = [_test("a", 0.1), _test("b", 0.5), _test("c", 0.6)]
    holm_family(tests)
    assert 3 * 0.1 != 0.3  # binary floating point: 0.30000000000000004
    assert [t["p_holm"] for t in tests] == [0.3, 1.0, 1.0]


def test_record_builders_take_the_id_tokens():
    counted = count_record(
        record_id(STUDY, "3.1", "sex", "boy", "all"), count=3, base=12, label="boys"
    )
    assert counted["id"] == "s:3.1:sex:boy:all:-"
    assert (counted["table"], counted["group"], counted["moment"]) == ("3.1", "all", "-")
    assert (counted["n"], counted["count"], counted["pct"]) == (12, 3, 25.0)
    assert count_record(record_id(STUDY, "3.1", "x"), count=0, base=0, label="x")["pct"] is None
    summary = summary_record(
        record_id(STUDY, "3.3", "age"), values=pd.Series([1.0, 3.0, None]), label="a"
    )
    assert (summary["n"], summary["mean"], summary["min"], summary["max"]) == (2, 2.0, 1.0, 3.0)
    # table, group and moment come from the id; variable and category may be fields too
    same = record(record_id(STUDY, "6.1", "v", "c"), label="v", n=1, variable="v", category="c")
    assert same["id"] == "s:6.1:v:c:-:-" and same["variable"] == "v"
    with pytest.raises(ValueError):  # an id of another shape: its tokens are not known
        record("s:6.1:v", label="v", n=1)


def test_a_test_record_carries_its_published_statistic_token():
    t = record_of_test(
        record_id(STUDY, "t", "v"), result=student_t([1, 2, 3], [2, 3, 5]), label="t", n=6, extra=1
    )
    assert t["t"] == t["statistic"] and t["n"] == 6 and t["extra"] == 1
    chi2 = record_of_test(
        record_id(STUDY, "t", "w"), result=pearson_chi2([[3, 5], [6, 2]]), label="c"
    )
    assert chi2["chi2"] == chi2["statistic"] and chi2["n"] == 16
    with pytest.raises(KeyError):  # a new test needs its token in STATISTIC_TOKENS
        record_of_test(
            record_id(STUDY, "t", "u"), result={"test": "new", "statistic": 1.0}, label="u", n=1
        )


def test_an_effect_record_points_to_its_test():
    test = record_of_test(
        record_id(STUDY, "3.5", "v", "c", "g", "start"),
        result={"test": "pearson_chi2", "statistic": 2.0, "p": 0.1},
        label="v",
        n=40,
    )
    effect = {"effect": "cramers_v", "estimate": 0.2, "ci_low": 0.0, "ci_high": 0.5}
    record_ = effect_record(test, effect, table="3.5x", label="V")
    assert record_["id"] == "s:3.5x:v:c:g:start" and record_["test_id"] == test["id"]
    assert (record_["n"], record_["group"], record_["moment"]) == (40, "g", "start")
    renamed = effect_record(test, effect, table="t7x", variable="v_cramers_v", label="V")
    assert renamed["id"] == "s:t7x:v_cramers_v:c:g:start"
    assert not is_test(record_)


def test_the_tests_table_has_one_row_per_test_with_its_effect_size():
    split = _test("b", 0.02)
    inline = _test("a", 0.04, effect="hedges_g", estimate=0.5, ci_low=0.1, ci_high=0.9)
    interval = {"effect": "cramers_v", "estimate": 0.3, "ci_low": 0.1, "ci_high": 0.6}
    effect = effect_record(split, interval, table="t1x", label="V")
    holm_family([split, inline])
    columns = ["id", "test_id", "p", "p_holm", "effect", "estimate", "ci_low", "ci_high"]
    table = table_of_tests([split, inline], [effect], columns=columns)
    assert list(table["id"]) == [inline["id"], split["id"]]  # sorted by id
    assert list(table["test_id"]) == list(table["id"])
    assert list(table["effect"]) == ["hedges_g", "cramers_v"]
    assert list(table["p_holm"]) == pytest.approx([0.04, 0.04])
    named = table_of_tests(
        [split], [effect], columns=columns, effect_columns=("id", "estimate"), sort_by=None
    )
    assert (named.loc[0, "id"], named.loc[0, "test_id"]) == (effect["id"], split["id"])


def test_finish_adjusts_the_tests_and_lists_tests_and_summaries():
    tests = [_test("a", 0.01), _test("b", 0.04)]
    summary = record(
        record_id(STUDY, "t1", "ab"),
        label="a, b",
        n=None,
        test="set",
        p=0.01,
        components=[tests[0]["id"]],
    )
    other = record(record_id(STUDY, "t1", "count"), label="count", n=3, count=1)
    table = finish([*tests, summary, other], columns=["id", "p_holm"], name="rq")
    assert list(table["id"]) == sorted(r["id"] for r in [*tests, summary])
    assert summary["p_holm"] == tests[0]["p_holm"] == pytest.approx(0.02)
    assert "p_holm" not in other and "holm_family" not in other


def test_a_restated_figure_is_the_same_record_under_the_text_table():
    source = count_record(
        record_id(STUDY, "5.1", "plan", "yes", "g", "3m"), count=2, base=8, label="p"
    )
    text = restated(source, "text5")
    assert text["id"] == "s:text5:plan:yes:g:3m" and text["table"] == "text5"
    assert {k: v for k, v in text.items() if k not in ("id", "table")} == {
        k: v for k, v in source.items() if k not in ("id", "table")
    }


# --- one verdict over several tests, some of which could not be computed -------------------


def _part(variable: str, result: dict) -> dict:
    return record_of_test(record_id(STUDY, "t1", variable), result=result, label=variable)


SIGNIFICANT = student_t([1, 2, 3, 4], [7, 8, 9, 10])
NOT_SIGNIFICANT = student_t([1, 2, 3, 4], [2, 3, 4, 5])
CONSTANT = student_t([1, 1], [1, 1])  # no variance: not estimable


def test_a_verdict_over_tests_is_significant_when_a_computed_part_is():
    parts = [_part("a", SIGNIFICANT), _part("b", CONSTANT)]
    fields = verdict_over(parts, 0.05)
    assert (fields["verdict"], fields["status"]) == ("significant", "estimated")
    assert fields["p"] == parts[0]["p"]
    assert fields["components_not_estimable"] == [parts[1]["id"]]


def test_no_difference_over_tests_needs_every_part_computed():
    # 'the groups do not differ' cannot rest on a test that could not be computed
    parts = [_part("a", NOT_SIGNIFICANT), _part("b", CONSTANT)]
    fields = verdict_over(parts, 0.05)
    assert (fields["verdict"], fields["status"]) == ("not_estimable", "not_estimable")
    assert fields["reason"] == "no_variance"
    assert parts[1]["id"] in fields["reason_detail"]
    computed = verdict_over([_part("a", NOT_SIGNIFICANT)], 0.05)
    assert computed["verdict"] == "not_significant"


def test_a_summary_without_a_verdict_gets_no_adjusted_p():
    parts = [_part("a", NOT_SIGNIFICANT), _part("b", CONSTANT), _part("c", SIGNIFICANT)]
    summary = record(record_id(STUDY, "t2", "set"), label="set", n=None)
    summary.update(verdict_over(parts[:2], 0.05))
    holm_family(parts, [summary])
    assert "p_holm" not in parts[1] and "p_holm" not in summary
    # the family is the two tests with a p: the smaller p counts twice (three times if the
    # test without a p were counted), the larger once
    assert parts[2]["p_holm"] == pytest.approx(2 * parts[2]["p"], rel=1e-9)
    assert parts[0]["p_holm"] == pytest.approx(parts[0]["p"], rel=1e-9)


def test_every_core_test_has_its_published_statistic_token():
    """record_of_test names the statistic (t, F, V, U, …) of every test the core computes."""
    import re
    from pathlib import Path

    from ekc.core.stats.finish import STATISTIC_TOKENS

    source = Path(__file__).resolve().parents[1] / "src/ekc/core/stats/inference.py"
    names = set(re.findall(r'(?:_result|not_estimable)\(\s*"(\w+)"', source.read_text()))
    assert names and names <= set(STATISTIC_TOKENS), names - set(STATISTIC_TOKENS)
