"""Unit tests of the config-defined study's building blocks (ekc.engine)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from ekc.engine.prepare import derive_periods, prepare, recode
from ekc.engine.report import Formatter, ReportSpecError, Study
from ekc.engine.schema import export_schema
from ekc.engine.tabulate import AnalysisError, run_analyses, template_fields

KEY = b"unit-test-key"


def _frames() -> dict[str, pd.DataFrame]:
    units = pd.DataFrame(
        {"unit": ["u1", "u2", "u3", "u4", "u5"], "arm": ["x", "x", "x", "y", "y"]}
    ).astype("string")
    events = pd.DataFrame(
        {
            "unit": ["u1", "u1", "u2", "u3", "u4", "u4", "u4", "u5"],
            "arm": ["x", "x", "x", "x", "y", "y", "y", "y"],
            "kind": ["p", "q", "p", "r", "p", "q", "q", "r"],
            "wave": ["w1", "w1", "w1", "w2", "w1", "w1", "w2", "w2"],
        }
    ).astype("string")
    return {"units": units, "events": events}


def _by_id(records):
    return {r["id"]: r for r in records}


def test_template_fields_in_order_of_appearance():
    spec = {"variable": "v_{who}", "category": "{kind}", "group": "{arm}", "moment": "{kind}"}
    assert template_fields(spec) == ["who", "kind", "arm"]


def test_count_with_zero_cells_combined_categories_and_pooled_group():
    spec = {
        "id": "kinds", "kind": "count", "source": "events", "table": "t", "variable": "kind",
        "category": "{kind}", "group": "{arm}", "moment": "{wave}",
        "categories": ["p", "q", "r"], "combine": {"p_or_q": ["p", "q"]},
        "totals": {"group": "all"},
    }  # fmt: skip
    records = _by_id(run_analyses(_frames(), [spec], "s", ["x", "y"]))
    x_w1 = {c: records[f"s:t:kind:{c}:x:w1"] for c in ("p", "q", "r", "p_or_q")}
    assert [x_w1[c]["count"] for c in ("p", "q", "r", "p_or_q")] == [2, 1, 0, 3]
    # The base of a combined category is the cell's rows, not counted twice.
    assert {r["n"] for r in x_w1.values()} == {3}
    assert x_w1["p_or_q"]["pct"] == pytest.approx(100.0)
    assert records["s:t:kind:q:all:w1"]["count"] == 2
    assert records["s:t:kind:q:all:w1"]["n"] == 5


def test_count_of_distinct_units_against_a_base_with_fisher_test():
    spec = {
        "id": "any_q", "kind": "count", "source": "events", "unit": "unit",
        "filter": {"kind": ["q"]}, "table": "t", "variable": "q", "category": "yes",
        "group": "{arm}", "base": {"source": "units", "unit": "unit"}, "compare": "arm",
    }  # fmt: skip
    records = _by_id(run_analyses(_frames(), [spec], "s", ["x", "y"]))
    assert (records["s:t:q:yes:x:-"]["count"], records["s:t:q:yes:x:-"]["n"]) == (1, 3)
    assert (records["s:t:q:yes:y:-"]["count"], records["s:t:q:yes:y:-"]["n"]) == (1, 2)
    from scipy.stats import fisher_exact

    expected = fisher_exact([[1, 2], [1, 1]]).pvalue
    assert records["s:t:q:yes:x_vs_y:-"]["p"] == pytest.approx(expected)


def test_mean_of_a_row_sum_treats_a_missing_part_as_missing():
    frame = pd.DataFrame({"a": [1, 2, None], "b": [3, None, 5], "arm": ["x", "x", "x"]})
    spec = {"id": "m", "kind": "mean", "source": "f", "table": "t", "variable": "ab",
            "group": "{arm}", "value": ["a", "b"]}  # fmt: skip
    (record,) = run_analyses({"f": frame.astype({"arm": "string"})}, [spec], "s", ["x", "y"])
    assert (record["n"], record["mean"], record["sum"]) == (1, 4.0, 4.0)


def test_rate_and_change_between_moments():
    specs = [
        {"id": "per_unit", "kind": "rate", "source": "events", "table": "t",
         "variable": "events", "group": "{arm}", "moment": "{wave}",
         "base": {"source": "events", "unit": "unit"}},
        {"id": "drop", "kind": "change", "of": "per_unit", "statistic": "mean",
         "along": "moment", "from": "w1", "to": "w2", "put": "category"},
    ]  # fmt: skip
    records = _by_id(run_analyses(_frames(), specs, "s", ["x", "y"]))
    assert records["s:t:events:-:y:w1"]["mean"] == pytest.approx(2 / 1)
    assert records["s:t:events:-:y:w2"]["mean"] == pytest.approx(2 / 2)
    change = records["s:t:events:w1_vs_w2:y:-"]
    assert change["pct_decrease"] == pytest.approx(100 * (2 - 1) / 2)
    assert change["ratio"] == pytest.approx(1 / 2)


def test_config_mistakes_name_the_analysis_and_what_is_wrong():
    with pytest.raises(AnalysisError, match="analysis a: unknown source 'nope'"):
        run_analyses(_frames(), [{"id": "a", "kind": "count", "source": "nope"}], "s", ["x", "y"])
    bad_column = {"id": "b", "kind": "count", "source": "events", "category": "{colour}"}
    with pytest.raises(AnalysisError, match=r"analysis b: columns \['colour'\]"):
        run_analyses(_frames(), [bad_column], "s", ["x", "y"])
    with pytest.raises(AnalysisError, match="unknown kind"):
        run_analyses(_frames(), [{"id": "c", "kind": "median", "source": "events"}], "s", [])


def test_recode_names_missing_cells_and_derive_bins_dates():
    frame = pd.DataFrame({"code": ["1", None, "2"], "day": pd.to_datetime(
        ["2010-05-03", "2010-10-01", "2011-09-30"])})  # fmt: skip
    coded = recode(frame, {"code": {1: "one", 2: "two", None: "unknown"}})
    assert coded["code"].tolist() == ["one", "unknown", "two"]
    bins = {"period": {"from": "day", "bins": {"early": ["2010-05-01", "2010-10-01"],
                                              "late": ["2010-10-01", "2011-10-01"]}}}  # fmt: skip
    assert derive_periods(frame, bins)["period"].tolist() == ["early", "late", "late"]


def test_prepare_links_pseudonymises_and_keeps_orphans():
    layout = {"columns": {"unit": {"type": "text", "pseudonymise": True}}}
    units = prepare(_frames()["units"], layout, KEY).frame
    events = _frames()["events"].drop(columns="arm")
    events.loc[len(events)] = ["u9", "p", "w1"]
    events["source_row"] = range(2, len(events) + 2)
    link = {"source": "units", "key": "unit", "columns": ["arm"]}
    result = prepare(events, layout, KEY, link, units)
    assert len(result.frame) == len(events)  # nothing dropped
    assert result.summary == {"rows": 9, "linked": 8, "orphans": 1}
    assert result.orphans["source_row"].tolist() == [10]
    assert not result.frame["unit"].str.startswith("u").any()
    assert result.frame["arm"].isna().sum() == 1


def test_export_schema_checks_codes_ranges_patterns_and_combined_keys():
    layout = {
        "columns": {
            "id": {"type": "text", "pattern": r"^F\d$"},
            "wave": {"type": "text", "values": ["T1", "T2"]},
            "n": {"type": "int", "min": 0, "max": 5, "required": False},
        },
        "unique": [["id", "wave"]],
    }
    schema = export_schema("demo", layout)
    good = pd.DataFrame({"id": ["F1", "F1"], "wave": ["T1", "T2"], "n": [1, None]})
    schema.validate(good.astype({"id": "string", "wave": "string", "n": "Int64"}))
    bad = pd.DataFrame({"id": ["F1", "G2", "F1"], "wave": ["T1", "T3", "T1"], "n": [9, 1, 1]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        schema.validate(bad.astype({"id": "string", "wave": "string", "n": "Int64"}), lazy=True)
    failed = caught.value.failure_cases
    assert {"id", "wave", "n"} <= set(failed["column"].dropna())
    assert failed["check"].astype(str).str.contains("id, wave must identify one row").any()


def test_report_facts_are_formatted_per_language_and_unknown_ones_fail():
    records = [{"id": "s:t:v:-:x:-", "mean": 2.25, "pct": 47.83, "p": 0.0312, "n": 9}]
    study = Study(
        study="s", groups=["x", "y"], records=records,
        texts={"texts": {"line": {"nl": "{m} en {p}", "en": "{m} and {p}"}}, "labels": {}},
        facts={"m": {"id": "t:v:-:x:-", "statistic": "mean", "decimals": 2},
               "p": {"id": "t:v:-:x:-", "statistic": "p"}},
    )  # fmt: skip
    assert study.paragraph("line", Formatter("nl")) == "2,25 en ,031"
    assert study.paragraph("line", Formatter("en")) == "2.25 and .031"
    study.texts["texts"]["other"] = {"en": "{missing}"}
    with pytest.raises(ReportSpecError, match="fact 'missing'"):
        study.paragraph("other", Formatter("en"))
