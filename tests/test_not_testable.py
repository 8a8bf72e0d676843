"""A test the data cannot give is carried through the analyses into the report (issue 18,
phase 2): the analysis writes a not-estimable record with its reason instead of stopping or
finding "no difference", the Holm family leaves it out, and the report prints "not
testable: <reason>" in Dutch, English and German and draws no conclusion from it.

Each test flips the embedded data in-process (a group emptied, families measured once, a
column of answers made constant); the committed data stay as they are. One test per class
of issue 18 that the analyses and the reports carry:
- a missing or impossible result becomes a verdict (rq2: an empty comparison group);
- inputs that should be refused are used: Holm counted missing p-values (attrition);
- models that cannot be identified report success (rq4: every family measured once);
- printed p against verdict: the configured alpha reaches the printed p;
- conventions: Wilcoxon's V, small expected counts in the table note, and the study
  engine's Fisher test on an empty margin.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import html
import json
import re
import warnings

import pandas as pd
import pytest
import yaml
from statsmodels.stats.multitest import multipletests

from ekc.core.answers import answers
from ekc.core.report.answer_wording import answer_blocks, worded_verdicts, wording_problems
from ekc.core.report.render import Results, load_translations
from ekc.core.stats.records import REASONS, read_records, results_files
from ekc.engine.report import Formatter, Study, build_sections, load_texts
from ekc.youth_protection.analysis import attrition, rq2_safety, rq4_control
from ekc.youth_protection.report.build import ReportInputs, answer_inputs, render_report

from .conftest import ROOT

LANGS = ("nl", "en", "de")
LOCALE = ROOT / "resources" / "locale"
TABLES = [
    "families",
    "care_concerns",
    "succint",
    "interview_scores",
    "questionnaires",
    "measurements",
]
GROUPS_AT_9M = "yp:text6:care_concerns_total:-:conference_vs_no_conference:9m"
# what the report says when it reads a missing test as no effect
NO_EFFECT_AT_9M = (
    "At %(moment)s, families with and without a conference did not differ significantly in "
    "care concerns (%(a)s versus %(b)s; %(test)s)."
)


def plain(text: str) -> str:
    inline = re.sub(r"</?i>", "", text)  # italic symbols: <i>p</i> = .036 reads p = .036
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def not_testable(lang: str, reason: str) -> str:
    """The words the report must print, from the catalog (not from the code under test)."""
    catalog = load_translations(LOCALE, lang)
    because = catalog.pgettext("reason", reason)
    assert because != reason, f"{lang}: no catalog entry for the reason {reason!r}"
    return catalog.gettext("not testable: %(reason)s") % {"reason": because}


def translated(lang: str, msgid: str) -> str:
    return plain(load_translations(LOCALE, lang).gettext(msgid))


@pytest.fixture(scope="module")
def tables(built_workflow):
    folder = built_workflow / "private" / "analysis"
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}


@pytest.fixture(scope="module")
def published_records(built_workflow) -> dict[str, list[dict]]:
    """The built results, per results file."""
    stats = built_workflow / "results" / "stats"
    return {path.stem: read_records(path) for path in results_files(stats)}


@pytest.fixture(scope="module")
def report_inputs(built_workflow, tmp_path_factory) -> ReportInputs:
    results = built_workflow / "results"
    return ReportInputs(
        study="yp",
        info=json.loads((results / "linkage/dataset_info.json").read_text(encoding="utf-8")),
        flow=pd.read_csv(results / "linkage/participant_flow.csv"),
        template=ROOT / "resources/templates/summary.html.j2",
        locale_dir=LOCALE,
        glossary=ROOT / "resources/glossary.csv",
        raw_files=[],
        tables=[],
        figure_dir=tmp_path_factory.mktemp("figures"),
        **answer_inputs(yaml.safe_load((ROOT / "config/config.yaml").read_text()), ROOT),
    )


def with_file(published: dict[str, list[dict]], name: str, records: list[dict]) -> list[dict]:
    """A copy of all results records, one results file replaced by a new run of its rule."""
    kept = [r for stem, part in published.items() if stem != name for r in part]
    return copy.deepcopy(kept + records)


@pytest.fixture(scope="module")
def as_built_report(published_records, report_inputs):
    """`as_built_report(lang)`: the report of the built results as HTML, rendered once per
    language for this module."""
    return functools.cache(
        lambda lang: render_report(with_file(published_records, "", []), lang, report_inputs)
    )


def test_every_reason_has_words_in_every_language():
    for lang in LANGS:
        for reason in REASONS:
            assert not_testable(lang, reason)


# --- a missing or impossible result never becomes a verdict ---------------------------------


@pytest.fixture(scope="module")
def no_comparison_group_at_9m(tables):
    """rq2 with no case file of a family without a conference scored at nine months."""
    families, concerns = tables["families"], tables["care_concerns"]
    without = families.loc[families["group"] == "no_conference", "family_id"]
    dropped = (concerns["moment"] == "9m") & concerns["family_id"].isin(set(without))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rq2_safety.analyse({**tables, "care_concerns": concerns[~dropped]}, study="yp")


def test_an_empty_comparison_group_is_a_record_with_its_reason(no_comparison_group_at_9m):
    out, records = no_comparison_group_at_9m
    test = {r["id"]: r for r in records}[GROUPS_AT_9M]
    assert (test["status"], test["reason"], test["verdict"]) == (
        "not_estimable",
        "empty_group",
        "not_estimable",
    )
    assert test["statistic"] is None and test["p"] is None
    assert test["group_sizes"][1] == 0 and test["mean_no_conference"] is None
    row = out["tests"].set_index("id").loc[GROUPS_AT_9M]
    assert (row["status"], row["reason"]) == ("not_estimable", "empty_group")


def test_the_holm_family_leaves_the_missing_test_out(no_comparison_group_at_9m):
    _, records = no_comparison_group_at_9m
    tests = [r for r in records if r.get("test") and "components" not in r]
    with_p = [r for r in tests if r["p"] is not None]
    missing = {r["id"]: r for r in tests if r["p"] is None}
    assert GROUPS_AT_9M in missing
    assert all(r["status"] == "not_estimable" and "p_holm" not in r for r in missing.values())
    # the mixed model loses its no-conference families at 9 months: moment x group is then
    # collinear, and the model's tests are records too, without a p
    model = {i: r for i, r in missing.items() if "care_concerns_total_lmm" in i}
    assert len(model) == 5 and {r["reason"] for r in model.values()} == {"collinear_fixed_effects"}
    expected = multipletests([r["p"] for r in with_p], method="holm")[1]
    assert [r["p_holm"] for r in with_p] == pytest.approx(list(expected), rel=1e-9)


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_says_not_testable_and_concludes_nothing_from_it(
    no_comparison_group_at_9m, published_records, report_inputs, as_built_report, lang
):
    records = with_file(published_records, "safety", no_comparison_group_at_9m[1])
    rendered = render_report(records, lang, report_inputs)
    text = plain(rendered)
    assert not_testable(lang, "empty_group") in text
    catalog = load_translations(LOCALE, lang)
    # RQ2's primary analysis, the group x time interaction, cannot be estimated without the
    # comparison group at nine months: its answer says so, in the summary, the chapter and
    # the conclusions, and words no verdict
    spec = report_inputs.answer_spec
    found = answers(spec, records)
    assert found["safety"]["verdict"] == "not_estimable"
    safety = [t for q, t in answer_blocks(rendered) if q == "safety"]
    assert len(safety) >= 3
    assert all(worded_verdicts(t, catalog) == {"not_estimable"} for t in safety)
    assert not wording_problems(answer_blocks(rendered), found, catalog)
    at_9m = catalog.pgettext("moment_in_text", "9m")
    no_difference_at_9m = translated(lang, NO_EFFECT_AT_9M).split("%(a)s")[0] % {"moment": at_9m}
    assert len(no_difference_at_9m) > 40 and no_difference_at_9m not in text
    # the published data still give the answer their primary analysis supports
    as_built = with_file(published_records, "", [])
    assert answers(spec, as_built)["safety"]["verdict"] == "no_evidence"
    assert not_testable(lang, "empty_group") not in plain(as_built_report(lang))


def test_an_outcome_that_could_not_be_tested_is_not_no_difference(no_comparison_group_at_9m):
    results = Results(no_comparison_group_at_9m[1], "en")
    assert results.outcome(GROUPS_AT_9M, 3.0, 2.0) == "not_testable"


# --- Holm counted missing p-values (attrition passed raw p-values) ---------------------------


@pytest.fixture(scope="module")
def everyone_answered_the_veo_at_3m(tables):
    measurements = tables["measurements"].copy()
    veo_3m = (measurements["instrument"] == "veo") & (measurements["moment"] == "3m")
    measurements.loc[veo_3m, "responded"] = True
    return attrition.analyse({**tables, "measurements": measurements}, study="yp")


def test_attrition_records_a_comparison_without_non_responders(everyone_answered_the_veo_at_3m):
    # was: no record at all (the comparison was skipped below two families)
    out, records = everyone_answered_the_veo_at_3m
    tests = {r["id"]: r for r in records if r.get("test")}
    veo = tests["yp:attrition:veo:total:responded_vs_not_responded:3m"]
    assert (veo["status"], veo["reason"], veo["n2"]) == ("not_estimable", "empty_group", 0)
    assert "p_holm" not in veo and veo["holm_family"] == "attrition"
    with_p = [r for r in tests.values() if r["p"] is not None]
    expected = multipletests([r["p"] for r in with_p], method="holm")[1]
    assert [r["p_holm"] for r in with_p] == pytest.approx(list(expected), rel=1e-9)
    row = out["attrition"].set_index(["instrument", "moment"]).loc[("veo", "3m")]
    assert (row["status"], row["reason"]) == ("not_estimable", "empty_group")
    assert pd.isna(row["p"]) and pd.isna(row["p_holm"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_attrition_table_prints_not_testable(
    everyone_answered_the_veo_at_3m, published_records, report_inputs, lang
):
    _, new = everyone_answered_the_veo_at_3m
    ids = {r["id"] for r in new}
    support = [r for r in published_records["support"] if r["id"] not in ids] + new
    text = plain(
        render_report(with_file(published_records, "support", support), lang, report_inputs)
    )
    assert text.count(not_testable(lang, "empty_group")) >= 1


# --- models that cannot be identified --------------------------------------------------------


@pytest.fixture(scope="module")
def each_family_measured_once(tables):
    """rq4 with one PUL autonomy score per family (its first)."""
    questionnaires = tables["questionnaires"]
    autonomy = questionnaires[
        (questionnaires["instrument"] == "pul") & (questionnaires["scale"] == "autonomy")
    ].dropna(subset=["deviation"])
    first = autonomy.sort_values(["family_id", "moment"]).groupby("family_id").head(1)
    once = pd.concat([questionnaires.drop(autonomy.index), first], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rq4_control.analyse({**tables, "questionnaires": once}, study="yp")


def test_a_mixed_model_the_data_cannot_identify_becomes_records(each_family_measured_once):
    # was: NotEstimable stopped the rule (and before phase 1: converged=True with variances
    # at their start values)
    out, records = each_family_measured_once
    model = [r for r in records if r["table"] == "8.3lmm"]
    assert model and all(r["status"] == "not_estimable" for r in model)
    assert {r["reason"] for r in model} == {"no_repeated_measures"}
    tests = [r for r in model if r.get("test")]
    assert len(tests) == 2
    assert all(r["verdict"] == "not_estimable" and "p_holm" not in r for r in tests)
    assert all(r["estimate"] is None for r in model)
    assert set(out["mixed_model"]["status"]) == {"not_estimable"}
    over = {r["id"]: r for r in records}["yp:8.3x:pul_autonomy_deviation:over_moments:parents:-"]
    assert (over["status"], over["reason"]) == ("not_estimable", "too_few_observations")
    # the other tests of the rule are still computed and adjusted
    assert {r["id"]: r for r in records}["yp:text8:control_score:3m_vs_9m:referrer:-"]["p_holm"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_prints_the_model_as_not_testable(each_family_measured_once, lang):
    catalog = load_translations(LOCALE, lang)
    results = Results(each_family_measured_once[1], lang, translations=catalog)
    text = results.test("yp:8.3lmm:pul_autonomy_deviation:moment_9m:parents:-")
    assert text == not_testable(lang, "no_repeated_measures")


# --- the printed p agrees with the verdict at the configured alpha ----------------------------


def test_the_report_prints_p_at_the_configured_alpha(published_records, report_inputs):
    # At alpha .10 a p of .0996 is significant; three decimals would print it as .100.
    records = with_file(published_records, "", [])
    test = next(r for r in records if r["id"] == GROUPS_AT_9M)
    test.update(p=0.0996, verdict="significant")
    lenient = dataclasses.replace(report_inputs, alpha=0.1)
    # (tags become spaces in `plain`: the statistic and its sidedness and n are set apart)
    text = re.sub(r" ,", ",", plain(render_report(records, "en", lenient)))
    assert "F(1, 52) = 1.10, p < .1, two-sided, n = 54" in text and "p = .100" not in text
    nl = re.sub(r" ,", ",", plain(Results(records, "nl", alpha=0.1).test(GROUPS_AT_9M)))
    assert "p < .1, " in nl
    engine = Formatter("en", alpha=0.1)
    assert engine.p({"p": 0.0996, "verdict": "significant"}) == "< .1"


def test_the_report_rules_pass_the_configured_alpha():
    for rule in ("youth_protection/report.smk", "engine/report.smk"):
        text = (ROOT / "workflow" / "rules" / rule).read_text(encoding="utf-8")
        assert "alpha=ALPHA" in text, rule


# --- conventions: Wilcoxon's V, small expected counts, the engine's Fisher test --------------


def test_wilcoxon_stores_v_and_the_report_prints_it(published_records):
    records = with_file(published_records, "", [])
    test = next(
        r for r in records if r["id"] == "yp:text6:new_living_place_rating:3m_vs_9m:referrer:-"
    )
    assert test["V"] == test["statistic"] and "W" not in test
    assert plain(Results(records, "en").test(test["id"])).strip().startswith("V = 5.50, p = ")


@pytest.mark.parametrize("lang", LANGS)
def test_a_chi_square_table_notes_small_expected_counts(
    published_records, report_inputs, as_built_report, lang
):
    note = translated(
        lang,
        "More than a fifth of the expected counts are below 5, or one is below 1: the "
        "chi-square p is approximate.",
    )
    records = with_file(published_records, "", [])
    chi2 = {
        "yp:text7:pul_social_optimism_band:over_moments:parents:-",  # table 7.3
        "yp:text8:pul_autonomy_band:over_moments:parents:-",  # table 8.3
    }
    bands = [r for r in records if r["id"] in chi2]
    assert len(bands) == 2 and all(r["small_expected"] for r in bands)
    assert plain(as_built_report(lang)).count(note) == 2
    for record in bands:
        record["small_expected"] = False
    assert note not in plain(render_report(records, lang, report_inputs))


def test_the_engine_report_prints_a_fisher_test_on_an_empty_margin_as_not_testable():
    from ekc.core.research_question import run

    from .test_toy_study import FIXTURE, _toy_tables

    config = yaml.safe_load((FIXTURE / "config.yaml").read_text(encoding="utf-8"))
    tables = _toy_tables(config)
    checklist = tables["checklist"]
    checklist.loc[checklist["item"] == "garden", "answer"] = "yes"  # nobody without a garden
    entry = config["research_questions"]["neighbourhood"]
    records = run(entry, tables, study="toy", alpha=0.05, config=config)[1]
    tests = {r["id"]: r for r in records if r["kind"] == "test"}
    garden = tests["toy:t3:garden:yes:a_vs_b:-"]
    assert (garden["status"], garden["reason"]) == ("not_estimable", "empty_margin")
    assert "p_adjusted" not in garden
    assert {r.get("family_size") for r in tests.values() if r is not garden} == {2}
    texts = load_texts([FIXTURE / "texts.yaml"], list(LANGS))
    analyses = {a["id"]: a for a in entry["analyses"]}
    study = Study("toy", ["a", "b"], records, texts, analyses=analyses, tests={"adjust": "holm"})
    order = [*config["groups"], *config["moments"], *texts["order"]]
    section = next(
        s for s in config["report_sections"] if s.get("research_question") == "neighbourhood"
    )
    for lang in LANGS:
        fmt = Formatter(lang, translations=load_translations(LOCALE, lang))
        table = build_sections(study, [{**section, "text": []}], fmt, order)[0]["tables"][0]
        cells = {row["label"].split(":")[0]: row["cells"][-1] for row in table["rows"]}
        garden_label = texts["labels"]["garden"][lang]
        assert cells[garden_label] == not_testable(lang, "empty_margin")
        assert table["tests"]["family_size"] == "2"


def test_the_reasons_are_listed_for_the_catalogs():
    # pybabel extracts from the templates only: the reasons the code translates are listed
    labels = (ROOT / "resources/templates/labels.j2").read_text(encoding="utf-8")
    for reason in REASONS:
        assert f'pgettext("reason", "{reason}")' in labels
    assert '_("not testable: %(reason)s")' in labels
