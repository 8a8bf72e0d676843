"""Unit tests of the config-defined study's building blocks (ekc.engine)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from ekc.engine.prepare import derive_periods, prepare, recode
from ekc.engine.report import Formatter, ReportSpecError, Study, build_table
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


def _texts(labels: dict | None = None) -> dict:
    """A texts file with one caption and English labels only."""
    return {
        "texts": {"cap": {"en": "Caption"}},
        "labels": {token: {"en": text} for token, text in (labels or {}).items()},
    }


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
    records = _by_id(run_analyses(_frames(), [spec], "s", ["x", "y"], tests={"adjust": "holm"}))
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


def test_latest_is_the_latest_date_over_its_columns_ignoring_empty_ones():
    frames = {
        "register": pd.DataFrame(
            {
                "registered": pd.to_datetime(["2011-03-01", "2012-09-29", "2010-05-04"]),
                "held": pd.to_datetime(["2011-04-20", None, None]),
            }
        )
    }
    spec = {"id": "as_of", "kind": "latest", "source": "register", "table": "meta",
            "variable": "data_as_of", "value": ["registered", "held"]}  # fmt: skip
    (record,) = run_analyses(frames, [spec], "s", ["x", "y"])
    assert record["id"] == "s:meta:data_as_of:-:-:-"
    assert (record["date"], record["n"]) == ("2012-09-29", 4)
    frames["register"].loc[2, "held"] = pd.Timestamp("2012-11-24")
    (record,) = run_analyses(frames, [spec], "s", ["x", "y"])
    assert record["date"] == "2012-11-24"


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
    assert study.paragraph("line", Formatter("nl")) == "2,25 en .031"
    assert study.paragraph("line", Formatter("en")) == "2.25 and .031"
    study.texts["texts"]["other"] = {"en": "{missing}"}
    with pytest.raises(ReportSpecError, match="fact 'missing'"):
        study.paragraph("other", Formatter("en"))


def test_a_text_refers_to_a_table_by_its_number():
    study = Study(
        study="s",
        groups=["x"],
        records=[],
        facts={},
        texts={
            "texts": {
                "line": {
                    "nl": "Zie tabel {table:b_caption}.",
                    "en": "See table {table:b_caption}.",
                },
                "bad": {"en": "See table {table:nowhere}."},
            },
            "labels": {},
        },
    )
    tables = {"a_caption": 1, "b_caption": 2}
    assert study.paragraph("line", Formatter("nl"), tables=tables) == "Zie tabel 2."
    assert study.paragraph("line", Formatter("en"), tables=tables) == "See table 2."
    with pytest.raises(ReportSpecError, match="nowhere"):
        study.paragraph("bad", Formatter("en"), tables=tables)


# --- answer scales, descriptive studies and declared tests ---------------------------------------

CHECKLIST = {
    "columns": {
        "unit": {"type": "text"},
        "item": {"type": "text", "values": ["support", "move"]},
        "answer": {"type": "text", "values": ["eens", "oneens", "wel", "niet"]},
    },
    "recode": {"answer": {"eens": "agree", "oneens": "disagree", "wel": "occurred",
                          "niet": "not_occurred"}},
    "items": {
        "column": "item",
        "answer": "answer",
        "scales": {"agreement": {"answers": ["agree", "disagree"], "meaning": "agree"},
                   "occurrence": {"answers": ["occurred", "not_occurred"], "meaning": "occurred"}},
        "scale_of": {"support": "agreement", "move": "occurrence"},
    },
}  # fmt: skip


def _checklist() -> pd.DataFrame:
    """Units u1-u5 (arm x: u1-u3) answering two items, each on its own scale."""
    rows = [
        ("u1", "x", "support", "agree"), ("u1", "x", "move", "occurred"),
        ("u2", "x", "support", "disagree"), ("u2", "x", "move", "not_occurred"),
        ("u3", "x", "support", "agree"), ("u3", "x", "move", "not_occurred"),
        ("u4", "y", "support", "disagree"), ("u4", "y", "move", "occurred"),
        ("u5", "y", "support", "disagree"), ("u5", "y", "move", "occurred"),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["unit", "arm", "item", "answer"]).astype("string")


def _scaled(**extra) -> tuple[dict, dict]:
    from ekc.engine.scales import item_scales

    spec = {"id": "c", "kind": "count", "source": "checklist", "table": "t",
            "variable": "{item}", "category": "{answer}", "group": "{arm}", **extra}  # fmt: skip
    return spec, {"checklist": item_scales("checklist", CHECKLIST)}


def test_a_checklist_count_completes_each_item_with_its_own_scale_only():
    spec, scales = _scaled()
    records = _by_id(run_analyses({"checklist": _checklist()}, [spec], "s", ["x", "y"],
                                  scales=scales))  # fmt: skip
    # An item answered occurred / not occurred gets no 'agree' cell, not even a zero.
    assert "s:t:move:agree:x:-" not in records and "s:t:support:occurred:x:-" not in records
    assert records["s:t:support:agree:y:-"]["count"] == 0  # a zero on its own scale
    move = records["s:t:move:occurred:x:-"]
    assert (move["count"], move["n"]) == (1, 3)
    assert (move["scale"], move["shown_answer"]) == ("occurrence", "occurred")
    assert move["scale_answers"] == ["occurred", "not_occurred"]


def test_checklist_counts_refuse_foreign_categories_and_a_missing_item():
    spec, scales = _scaled(categories=["agree", "disagree", "occurred", "not_occurred"])
    with pytest.raises(AnalysisError, match="come from each item's scale"):
        run_analyses({"checklist": _checklist()}, [spec], "s", ["x", "y"], scales=scales)
    spec, scales = _scaled(variable="answers")
    with pytest.raises(AnalysisError, match=r"name \{item\} in the variable"):
        run_analyses({"checklist": _checklist()}, [spec], "s", ["x", "y"], scales=scales)


def test_validation_refuses_an_answer_from_another_items_scale():
    schema = export_schema("checklist", CHECKLIST)
    frame = pd.DataFrame(
        {"unit": ["u1", "u1", "u2"], "item": ["support", "move", "move"],
         "answer": ["eens", "wel", "eens"]}
    ).astype("string")  # fmt: skip
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        schema.validate(frame, lazy=True)
    failed = caught.value.failure_cases
    assert set(failed["index"].dropna().astype(int)) == {2}
    assert failed["check"].astype(str).str.contains("occurrence scale").any()
    bad = {**CHECKLIST, "items": {**CHECKLIST["items"], "scale_of": {"support": "agreement"}}}
    with pytest.raises(ValueError, match="without one: \\['move'\\]"):
        export_schema("checklist", bad)


def test_a_descriptive_study_refuses_tests_in_analyses_and_tables():
    spec = {"id": "a", "kind": "count", "source": "events", "table": "t", "variable": "k",
            "category": "{kind}", "group": "{arm}", "compare": "arm"}  # fmt: skip
    with pytest.raises(AnalysisError, match="declares no tests"):
        run_analyses(_frames(), [spec], "s", ["x", "y"])
    records = run_analyses(_frames(), [{**spec, "compare": None}], "s", ["x", "y"])
    assert not [r for r in records if r["kind"] == "test"]
    study = Study(study="s", groups=["x", "y"], records=records, texts=_texts())
    table = {"caption": "cap", "analysis": "a", "rows": "category", "columns": ["group"],
             "cell": "count_pct"}  # fmt: skip
    built = build_table(study, table, Formatter("en"), [])
    assert built["header"] == ["category", "x", "y"] and built["tests"] is None
    # Every percentage carries its base.
    assert built["rows"][0]["cells"][0] == "2/4 (50%)"
    with pytest.raises(ReportSpecError, match="declares no tests"):
        build_table(study, {**table, "compare": True}, Formatter("en"), [])


def test_declared_tests_are_holm_adjusted_within_the_research_question():
    from scipy.stats import fisher_exact

    spec = {"id": "a", "kind": "count", "source": "events", "table": "t", "variable": "k",
            "category": "{kind}", "group": "{arm}", "categories": ["p", "q", "r"],
            "compare": "arm"}  # fmt: skip
    records = run_analyses(_frames(), [spec], "s", ["x", "y"], tests={"adjust": "holm"})
    tests = sorted((r for r in records if r["kind"] == "test"), key=lambda r: r["p"])
    # x: p 2, q 1, r 1 of 4; y: p 1, q 2, r 1 of 4
    raw = {"p": [[2, 2], [1, 3]], "q": [[1, 3], [2, 2]], "r": [[1, 3], [1, 3]]}
    assert {r["category"]: r["p"] for r in tests} == pytest.approx(
        {c: fisher_exact(t).pvalue for c, t in raw.items()}
    )
    m = len(tests)
    holm, running = [], 0.0
    for i, r in enumerate(tests):  # step-down: (m - i) * p, kept monotone, capped at 1
        running = max(running, min(1.0, (m - i) * r["p"]))
        holm.append(running)
    assert [r["p_adjusted"] for r in tests] == pytest.approx(holm)
    assert {r["family_size"] for r in tests} == {m} and {r["n_smaller_group"] for r in tests} == {4}
    study = Study(study="s", groups=["x", "y"], records=records, texts=_texts(), tests={})
    table = {"caption": "cap", "analysis": "a", "rows": "category", "columns": ["group"],
             "cell": "count", "compare": True}  # fmt: skip
    built = build_table(study, table, Formatter("en"), [])
    assert built["header"][-1] == "p (Holm)"
    assert built["tests"] == {"adjustment": "holm", "family_size": "3", "n_smaller_group": "4"}


def test_a_checklist_table_shows_each_items_meaning_and_fails_on_a_foreign_answer():
    spec, scales = _scaled()
    records = run_analyses({"checklist": _checklist()}, [spec], "s", ["x", "y"], scales=scales)
    texts = _texts(labels={"move": "Moved house", "occurred": "occurred", "support": "Support",
                           "agree": "agree"})  # fmt: skip
    study = Study(study="s", groups=["x", "y"], records=records, texts=texts)
    table = {"caption": "cap", "analysis": "c", "rows": "variable", "columns": ["group"],
             "cell": "count_pct", "answer": "meaning"}  # fmt: skip
    built = build_table(study, table, Formatter("en"), [], number=4)
    rows = {r["label"]: r["cells"] for r in built["rows"]}
    assert rows == {"Moved house: occurred": ["1/3 (33%)", "2/2 (100%)"],
                    "Support: agree": ["2/3 (67%)", "0/2 (0%)"]}  # fmt: skip
    assert built["number"] == 4
    # The old way, one answer for every item, prints zeros for the events: a spec error now.
    old = {**table, "where": {"category": ["agree"]}}
    del old["answer"]
    with pytest.raises(ReportSpecError, match="'move' would show the answer 'agree'"):
        build_table(study, old, Formatter("en"), [])


def test_row_rules_and_durations_of_an_export():
    layout = {
        "columns": {
            "status": {"type": "text", "values": ["held", "stopped"]},
            "registered": {"type": "date"},
            "held_on": {"type": "date", "required": False},
        },
        "rules": [
            {"when": {"status": ["held"]}, "required": ["held_on"]},
            {"when": {"status": ["stopped"]}, "empty": ["held_on"]},
            {"not_before": {"held_on": "registered"}},
        ],
    }
    frame = pd.DataFrame(
        {"status": ["held", "held", "stopped", "held"],
         "registered": pd.to_datetime(["2011-01-03", "2011-02-01", "2011-03-01", "2011-04-01"]),
         "held_on": pd.to_datetime(["2011-02-14", None, "2011-03-08", "2011-03-25"])}
    ).astype({"status": "string"})  # fmt: skip
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        export_schema("register", layout).validate(frame, lazy=True)
    failed = caught.value.failure_cases
    by_row = failed.groupby(failed["index"].astype(int))["check"].first().astype(str).to_dict()
    assert set(by_row) == {1, 2, 3}
    assert "where status is held, held_on must be filled" in by_row[1]
    assert "where status is stopped, held_on must be empty" in by_row[2]
    assert "held_on must not lie before registered" in by_row[3]
    weeks = {"weeks": {"from": "registered", "to": "held_on", "unit": "weeks"}}
    derived = derive_periods(frame, weeks)["weeks"]
    assert derived[0] == pytest.approx(6.0) and pd.isna(derived[1])


def test_a_fact_names_a_percentage_with_its_base_and_the_originals_figure():
    records = [{"id": "s:t:v:-:x:-", "count": 4, "n": 9, "pct": 44.44}]
    study = Study(
        study="s", groups=["x", "y"], records=records,
        texts={"texts": {"line": {"en": "{share}; the original: {printed} percent"}},
               "labels": {}},
        facts={"share": {"id": "t:v:-:x:-", "statistic": "pct"},
               "printed": {"published": "t:v:-:x:-:pct", "decimals": 1}},
        published={"s:t:v:-:x:-:pct": "47.8"},
    )  # fmt: skip
    assert study.paragraph("line", Formatter("en")) == "44% (4/9); the original: 47.8 percent"


def _answer_study(p: float | None) -> tuple:
    """A study whose question is answered by one test of arms x and y, with p as given."""
    from ekc.core.answers import answers

    test = {"id": "s:t:kids:-:x_vs_y:-", "kind": "test", "test": "mann_whitney_u", "p": p,
            "alternative": "two-sided", "n": 10, "table": "t", "variable": "kids",
            "category": "-", "group": "x_vs_y", "moment": "-"}  # fmt: skip
    if p is None:
        test.update(status="not_estimable", reason="empty_group")
    means = [{"id": f"s:t:kids:-:{arm}:-", "kind": "mean", "mean": mean, "n": 5, "table": "t",
              "variable": "kids", "category": "-", "group": arm, "moment": "-"}
             for arm, mean in (("x", 2.0), ("y", 3.4))]  # fmt: skip
    block = {"question": "question_kids", "primary": test["id"],
             "secondary": [m["id"] for m in means], "expected_direction": "difference"}  # fmt: skip
    words = {
        "question_kids": {"en": "Do the arms differ?", "nl": "Verschillen de armen?",
                          "de": "Unterscheiden sich die Arme?"},
        "answer_kids_evidence": {"en": "X {kx}, Y {ky}: they differ.",
                                 "nl": "X {kx}, Y {ky}: ze verschillen.",
                                 "de": "X {kx}, Y {ky}: sie unterscheiden sich."},
        "answer_kids_no_evidence": {"en": "X {kx}, Y {ky}: a difference is not shown.",
                                    "nl": "X {kx}, Y {ky}: een verschil is niet aangetoond.",
                                    "de": "X {kx}, Y {ky}: ein Unterschied ist nicht belegt."},
        "answer_kids_stray": {"en": "{kx} and {other}", "nl": "-", "de": "-"},
        "measure_kids": {"en": "children", "nl": "kinderen", "de": "Kindern"},
    }  # fmt: skip
    facts = {"kx": {"id": "t:kids:-:x:-", "statistic": "mean"},
             "ky": {"id": "t:kids:-:y:-", "statistic": "mean"},
             "other": {"id": "t:other:-:x:-", "statistic": "mean"}}  # fmt: skip
    records = [test, *means, {**means[0], "id": "s:t:other:-:x:-", "variable": "other"}]
    found = answers({"kids": block}, records)
    study = Study("s", ["x", "y"], records, {"texts": words, "labels": {}}, facts=facts,
                  answers=found)  # fmt: skip
    return study, found


def test_an_answer_paragraph_follows_its_verdict_in_every_language():
    from pathlib import Path

    from ekc.core.report.render import load_translations
    from ekc.engine.summary import answer_paragraphs

    locale = Path(__file__).resolve().parents[1] / "resources" / "locale"
    shown = {}
    for p in (0.004, 0.4):
        study, found = _answer_study(p)
        for lang in ("en", "nl", "de"):
            fmt = Formatter(lang, translations=load_translations(locale, lang))
            (paragraph,) = answer_paragraphs(study, found, ["kids"], fmt)
            shown[p, lang] = paragraph
            assert paragraph["records"] == sorted(found["kids"]["records"])
    # the data flip the verdict, and with it the study's words, in every language; a tested
    # verdict is worded by answers.html.j2 about the study's measure (tests/test_answer_wording)
    for lang in ("en", "nl", "de"):
        evidence, none = shown[0.004, lang], shown[0.4, lang]
        assert (evidence["verdict"], none["verdict"]) == ("evidence", "no_evidence")
        assert evidence["text"] != none["text"]
        assert evidence["verdict_text"] == none["verdict_text"] == ""
        assert evidence["measure"] == {"en": "children", "nl": "kinderen", "de": "Kindern"}[lang]
    assert shown[0.4, "en"]["text"] == "X 2.0, Y 3.4: a difference is not shown."
    assert shown[0.004, "de"]["text"] == "X 2,0, Y 3,4: sie unterscheiden sich."


def test_an_answer_without_words_for_its_verdict_or_with_a_stray_figure_fails():
    from ekc.engine.summary import answer_paragraphs

    study, found = _answer_study(None)  # the test could not be computed
    assert found["kids"]["verdict"] == "not_estimable"
    with pytest.raises(ReportSpecError, match="answer_kids_not_estimable"):
        answer_paragraphs(study, found, ["kids"], Formatter("en"))
    with pytest.raises(ReportSpecError, match="does not declare"):
        answer_paragraphs(study, found, ["other"], Formatter("en"))
    # a figure of a record the answer does not list may not be printed in its paragraph
    study, _ = _answer_study(0.4)
    with pytest.raises(ReportSpecError, match="fact 'other' is not a figure of the records"):
        study.paragraph("answer_kids_stray", Formatter("en"), allowed={"s:t:kids:-:x:-"})


def test_conclusion_rows_show_what_the_original_said_and_what_the_data_give():
    from ekc.core.conclusions import check_conclusions
    from ekc.engine.summary import conclusion_rows

    study, found = _answer_study(0.4)
    rows = [
        {"id": "differ", "kind": "conclusion", "source": "5.1 (L4941)", "text_en": "They differ.",
         "original": "effect", "check": "kids", "expect": "evidence"},
        {"id": "x_mean", "kind": "conclusion", "source": "5.2", "text_en": "X has few.",
         "original": "descriptive", "check": "s:t:kids:-:x:-", "expect": ""},
        {"id": "more", "kind": "recommendation", "source": "pipeline", "text_en": "Count more.",
         "original": "recommend", "check": "", "expect": ""},
    ]  # fmt: skip
    study.conclusions = check_conclusions(rows, found, study.records)
    study.transcribed = rows
    shown = conclusion_rows(study, study.conclusions, rows, "conclusion", Formatter("en"))
    assert [(r["id"], r["original"], r["verdict"]) for r in shown] == [
        ("differ", "effect", "not_supported"),
        ("x_mean", "descriptive", "not_testable (descriptive)"),
    ]
    assert [f["figure"] for f in shown[1]["figures"]] == ["2.0 (n = 5)"]
    assert shown[0]["source"] == "5.1"  # our conversion's line number is not for readers
    # a conclusion checked against an answer rests on the answer's primary test alone
    assert shown[0]["figures"] == [{"id": "s:t:kids:-:x_vs_y:-", "figure": "p = .400"}]
    (recommendation,) = conclusion_rows(study, study.conclusions, rows, "recommendation",
                                        Formatter("en"))  # fmt: skip
    assert recommendation["by_pipeline"] and recommendation["figures"] == []
    # a transcribed row the rule did not check is an error, never a silent gap
    with pytest.raises(ReportSpecError, match="not checked"):
        conclusion_rows(study, study.conclusions[:1], rows, "conclusion", Formatter("en"))


def test_the_summary_tokens_are_listed_for_the_catalogs():
    # pybabel extracts from the templates only: what ekc.engine.summary translates by token
    # (a described answer, verdicts of conclusions, reasons, the original's claims) is listed
    from pathlib import Path

    from ekc.core import answers, conclusions

    templates = Path(__file__).resolve().parents[1] / "resources/templates"
    labels = (templates / "labels.j2").read_text() + (templates / "answers.html.j2").read_text()
    tokens = {
        "answer": (answers.DESCRIPTIVE,),
        "checked": (conclusions.SUPPORTED, conclusions.NOT_SUPPORTED, conclusions.NOT_TESTABLE),
        "checked_reason": (conclusions.NO_CHECK, conclusions.NO_TEST,
                           conclusions.NOT_ESTIMABLE_CHECK),
        "original": conclusions.ORIGINALS,
        "source": (conclusions.PIPELINE,),
    }  # fmt: skip
    for context, values in tokens.items():
        for token in values:
            assert f'pgettext("{context}", "{token}")' in labels, (context, token)
