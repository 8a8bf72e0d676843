"""A third, minimal study defined only in a config and fixtures runs through the workflow.

The toy study (tests/fixtures/toy_study) has two arms of households and a visit at two
waves. Nothing in the shared code knows it: this is the proof that a study is a
configuration, not a copy of the code.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from ekc.core.stats.records import read_records, results_files
from tests.conftest import KEYED, ROOT, copy_workflow, run_snakemake

FIXTURE = ROOT / "tests" / "fixtures" / "toy_study"
CONFIG = "tests/fixtures/toy_study/config.yaml"
# Code every config-defined study runs through; no study may be named in it.
SHARED = [
    *sorted((ROOT / "src" / "ekc" / "engine").glob("*.py")),
    *sorted((ROOT / "src" / "ekc" / "core").glob("**/*.py")),
    *sorted((ROOT / "workflow" / "rules" / "core").glob("*.smk")),
    *sorted((ROOT / "workflow" / "rules" / "engine").glob("*.smk")),
    *(
        ROOT / "workflow" / "scripts" / f"{name}.py"
        for name in (
            "prepare_export",
            "linkage_flow",
            "research_question",
            "study_report",
            "validate_export",
            "fidelity",
        )
    ),
    ROOT / "Snakefile",
    ROOT / "resources" / "templates" / "study.html.j2",
]
# A branch on a study would compare with its token or name its groups or columns.
STUDY_WORDS = re.compile(
    r"""["'](pd|yp|toy)["']|\b(cjg|bjz|households|visits|arm|gezin_id|groep|gezinsnummer)\b"""
)


@pytest.fixture(scope="module")
def toy_build(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("toy") / "ekc")
    shutil.copytree(FIXTURE, workdir / "tests" / "fixtures" / "toy_study")
    run_snakemake(workdir, "--configfile", CONFIG)
    return workdir


def _records(workdir: Path) -> dict[str, dict]:
    out = {}
    for path in results_files(workdir / "results" / "toy" / "stats"):
        out.update({r["id"]: r for r in read_records(path)})
    return out


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURE / "raw" / f"{name}.csv", sep=";", dtype=str)


def test_shared_code_names_no_study():
    for path in SHARED:
        text = path.read_text(encoding="utf-8")
        found = sorted({"".join(match) for match in STUDY_WORDS.findall(text)})
        assert not found, f"{path.relative_to(ROOT)} names a study: {found}"


def test_one_rule_per_research_question_and_own_output_dir(toy_build):
    stats_dir = toy_build / "results" / "toy" / "stats"
    assert sorted(p.name for p in stats_dir.glob("*.json")) == [
        "answers.json",  # the declared answers and the conclusions checked (rule answers)
        "conclusions.json",
        "households.json",
        "mood.json",
        "neighbourhood.json",
    ]
    logs = sorted(p.name for p in (toy_build / "logs" / "toy").glob("rq_*.log"))
    assert logs == ["rq_households.log", "rq_mood.log", "rq_neighbourhood.log"]
    # The default study's results are untouched by the toy study's build.
    assert not (toy_build / "results" / "stats").exists()


def test_means_and_tests_equal_an_independent_computation(toy_build):
    records = _records(toy_build)
    households = _raw("households").assign(kids=lambda f: f["kids"].astype(int))
    for arm, part in households.groupby("arm"):
        record = records[f"toy:t1:kids:-:{arm}:-"]
        assert record["n"] == len(part)
        assert record["mean"] == pytest.approx(part["kids"].mean())
        assert record["sd"] == pytest.approx(part["kids"].std())
    assert records["toy:t1:kids:-:all:-"]["mean"] == pytest.approx(households["kids"].mean())
    a, b = (households.loc[households["arm"] == arm, "kids"] for arm in ("a", "b"))
    expected = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert records["toy:t1:kids:-:a_vs_b:-"]["p"] == pytest.approx(expected.pvalue)
    # An empty income is missing, not zero.
    assert records["toy:t1:income:-:a:-"]["n"] == 2


def test_counts_link_visits_to_arms_and_keep_the_orphan(toy_build):
    records = _records(toy_build)
    visits = _raw("visits").merge(_raw("households")[["hh", "arm"]], on="hh", how="left")
    linked = visits.dropna(subset=["arm"])
    wave = {"1": "before", "2": "after"}
    for (arm, w, mood), part in linked.groupby(["arm", "wave", "mood"]):
        cell = linked[(linked["arm"] == arm) & (linked["wave"] == w)]
        record = records[f"toy:t2:mood:{mood}:{arm}:{wave[w]}"]
        assert (record["count"], record["n"]) == (len(part), len(cell))
        assert record["pct"] == pytest.approx(100 * len(part) / len(cell))
    # A category that does not occur in a cell is a zero, not a gap.
    assert records["toy:t2:mood:low:b:after"]["count"] == 0
    fisher = stats.fisher_exact([[2, 1], [2, 1]])
    assert records["toy:t2:mood:low:a_vs_b:before"]["p"] == pytest.approx(fisher.pvalue)
    flow = pd.read_csv(toy_build / "results" / "toy" / "linkage" / "flow.csv").set_index("source")
    assert flow.loc["visits", "rows"] == len(visits)
    assert flow.loc["visits", "orphans"] == visits["arm"].isna().sum() == 1
    orphans = pd.read_csv(toy_build / "private" / "toy" / "linkage" / "visits_orphans.csv")
    assert len(orphans) == 1 and not orphans["hh"].str.startswith("H").any()  # pseudonymised
    assert records["toy:t2:visits:-:a:-"]["mean"] == pytest.approx(5 / 3)
    assert records["toy:t2:high_mood:before_vs_after:b:-"]["ratio"] == pytest.approx(2.0)


def test_checklist_items_keep_their_own_scale_and_tests_are_holm_adjusted(toy_build):
    records = _records(toy_build)
    answers = {"ja": "yes", "nee": "no", "eens": "agree", "oneens": "disagree",
               "wel": "occurred", "niet": "not_occurred"}  # fmt: skip
    meaning = {"garden": "yes", "helpful_neighbours": "agree", "burglary": "occurred"}
    checklist = _raw("checklist").merge(_raw("households")[["hh", "arm"]], on="hh")
    checklist["answer"] = checklist["answer"].map(answers)
    fisher = {}
    for item, shown in meaning.items():
        part = checklist[checklist["item"] == item]
        cells = {}
        for arm in ("a", "b"):
            answered = part[part["arm"] == arm]
            record = records[f"toy:t3:{item}:{shown}:{arm}:-"]
            said = int((answered["answer"] == shown).sum())
            assert (record["count"], record["n"]) == (said, len(answered))
            assert record["shown_answer"] == shown
            cells[arm] = [said, len(answered) - said]
        fisher[item] = stats.fisher_exact([cells["a"], cells["b"]]).pvalue
        # No cell for an answer from another item's scale.
        foreign = {"yes", "agree", "occurred"} - {shown}
        assert not [a for a in foreign if f"toy:t3:{item}:{a}:a:-" in records]
    tests = {item: records[f"toy:t3:{item}:{shown}:a_vs_b:-"] for item, shown in meaning.items()}
    assert {i: r["p"] for i, r in tests.items()} == pytest.approx(fisher)
    # Holm over the three tests of the research question, computed by hand.
    order = sorted(fisher, key=fisher.get)
    running, holm = 0.0, {}
    for rank, item in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * fisher[item]))
        holm[item] = running
    assert {i: r["p_adjusted"] for i, r in tests.items()} == pytest.approx(holm)
    en = (toy_build / "results" / "toy" / "report" / "summary_en.html").read_text()
    assert "Burglary: occurred" in en and "1/3 (33%)" in en
    assert "<i>p</i> (Holm)" in en and "family of 3 tests" in en


def _toy_tables(config: dict) -> dict[str, pd.DataFrame]:
    """The toy exports recoded and linked to their arm in-process, as the prepare rule does."""
    from ekc.engine.prepare import recode

    arms = _raw("households")[["hh", "arm"]]
    tables = {}
    for name, layout in config["sources"].items():
        frame = recode(_raw(name), layout.get("recode", {}))
        tables[name] = frame if name == "households" else frame.merge(arms, on="hh", how="left")
    return tables


def test_the_toy_study_declared_descriptive_tests_nothing_and_prints_no_p():
    import copy

    import yaml

    from ekc.core.answers import AnswerError, answers
    from ekc.core.research_question import run
    from ekc.engine.report import Formatter, Study, build_sections, load_texts
    from ekc.engine.tabulate import AnalysisError

    config = yaml.safe_load((FIXTURE / "config.yaml").read_text(encoding="utf-8"))
    config["analysis"]["tests"] = False
    tables = _toy_tables(config)
    with pytest.raises(AnalysisError, match="declares no tests"):
        run(config["research_questions"]["mood"], tables, study="toy", alpha=0.05, config=config)
    descriptive = copy.deepcopy(config)
    for entry in descriptive["research_questions"].values():
        for analysis in entry["analyses"]:
            analysis.pop("compare", None)
    for section in descriptive["report_sections"]:
        for table in section.get("tables", []):
            table.pop("compare", None)
    records = []
    for entry in descriptive["research_questions"].values():
        records += run(entry, tables, study="toy", alpha=0.05, config=descriptive)[1]
    assert records and not [r for r in records if r["kind"] == "test"]
    texts = load_texts([FIXTURE / "texts.yaml"], ["en"])
    analyses = {
        a["id"]: a for q in descriptive["research_questions"].values() for a in q["analyses"]
    }
    # An answer declared on a test cannot stand in a descriptive study: its record is gone.
    with pytest.raises(AnswerError, match="no results file has"):
        answers(descriptive["research_questions"], records)
    descriptive_only = {"mood": descriptive["research_questions"]["mood"]}
    found = answers(descriptive_only, records)
    study = Study(
        "toy", ["a", "b"], records, texts, facts=config["facts"], analyses=analyses,
        tests=None, answers=found,
    )  # fmt: skip
    order = [*descriptive["groups"], *descriptive["moments"], *texts["order"]]
    shown = [
        {**s, "text": [], **({"answers": ["mood"]} if "answers" in s else {})}
        for s in descriptive["report_sections"]
        if "conclusions" not in s
    ]
    sections = build_sections(study, shown, Formatter("en"), order)
    (mood,) = sections[0]["answers"]
    assert mood["verdict"] == "descriptive" and "visits per household in arm A" in mood["text"]
    tables_built = [t for s in sections for t in s["tables"]]
    assert [t["number"] for t in tables_built] == [1, 2, 3]
    assert not [h for t in tables_built for h in t["header"] if h.startswith("p")]
    assert all(t["tests"] is None for t in tables_built)
    mood = tables_built[1]["rows"][0]["cells"]  # low mood, arm a before: 2 of 3
    assert mood[0] == "2/3 (67%)"


def test_declared_answers_and_the_conclusions_follow_the_toy_data(toy_build):
    """The toy study declares an answer per question (two on tests, one descriptive) and
    transcribes conclusions: verdicts follow an independent computation of the tests, every
    transcribed row is checked, and the report words each answer by its verdict."""
    import json

    stats_dir = toy_build / "results" / "toy" / "stats"
    found = json.loads((stats_dir / "answers.json").read_text(encoding="utf-8"))
    households = _raw("households").assign(kids=lambda f: f["kids"].astype(int))
    a, b = (households.loc[households["arm"] == arm, "kids"] for arm in ("a", "b"))
    p_kids = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic").pvalue
    checklist = _raw("checklist").merge(_raw("households")[["hh", "arm"]], on="hh")
    burglary = checklist[checklist["item"] == "burglary"]
    cells = [[int((part["answer"] == "wel").sum()), int((part["answer"] != "wel").sum())]
             for _, part in burglary.groupby("arm")]  # fmt: skip
    p_burglary = stats.fisher_exact(cells).pvalue
    expected = {
        "households": "evidence" if p_kids < 0.05 else "no_evidence",
        "neighbourhood": "evidence" if p_burglary < 0.05 else "no_evidence",
        "mood": "descriptive",
    }
    assert {name: answer["verdict"] for name, answer in found.items()} == expected
    assert found["households"]["p"] == pytest.approx(p_kids)
    assert found["mood"]["p"] is None
    checked = json.loads((stats_dir / "conclusions.json").read_text(encoding="utf-8"))
    transcribed = pd.read_csv(FIXTURE / "conclusions.csv", dtype=str, keep_default_na=False)
    assert [row["id"] for row in checked] == list(transcribed["id"])
    verdicts = {row["id"]: (row["verdict"], row["reason"]) for row in checked}
    supported = {"evidence": "supported", "no_evidence": "not_supported"}
    assert verdicts["arms_differ_in_children"] == (supported[expected["households"]], None)
    no_difference = "supported" if expected["neighbourhood"] == "no_evidence" else "not_supported"
    assert verdicts["burglary_alike"] == (no_difference, None)
    assert verdicts["visits_described"] == ("not_testable", "descriptive")
    assert verdicts["weather_mild"] == ("not_testable", "no_check")
    en = (toy_build / "results" / "toy" / "report" / "summary_en.html").read_text()
    nl = (toy_build / "results" / "toy" / "report" / "summary_nl.html").read_text()
    assert "Do the arms differ in children?" in en and "Verschillen de armen in kinderen?" in nl
    words = {"evidence": "the arms differ.", "no_evidence": "a difference is not shown."}
    assert words[expected["households"]] in en
    assert words["evidence" if expected["households"] == "no_evidence" else "no_evidence"] not in en
    assert "Described, not tested" in en and "Beschreven, niet getoetst" in nl
    for text in transcribed["text_en"]:
        assert text in en
    # the tested verdicts are worded as the shared partial words them, in every language
    from ekc.core.report.answer_wording import answer_blocks, plain, wording_problems
    from ekc.core.report.render import load_translations

    locale = ROOT / "resources" / "locale"
    for lang in ("nl", "en", "de"):
        page = (toy_build / "results" / "toy" / "report" / f"summary_{lang}.html").read_text()
        blocks = answer_blocks(page)
        assert sorted(q for q, _ in blocks) == sorted(expected)
        assert not wording_problems(blocks, found, load_translations(locale, lang))
    worded = {"evidence": "give evidence of a difference in the number of children",
              "no_evidence": "no evidence of a difference in the number of children"}  # fmt: skip
    assert worded[expected["households"]] in plain(en)
    cover = re.sub(r"\s+\.", ".", plain(en))  # tags (<cite>) leave a space before the stop
    assert "Synthetic data: not real results" in cover
    assert "Nobody (2000). A toy report. Toy Press." in cover


def test_fidelity_statuses(toy_build):
    table = pd.read_csv(
        toy_build / "results" / "toy" / "fidelity" / "published_vs_reproduced.csv", dtype=str
    ).set_index("id")
    status = table["status"].to_dict()
    assert status["toy:t1:kids:-:b:-:mean"] == "match"
    assert status["toy:t2:mood:low:b:before:pct"] == "match"
    assert status["toy:t2:mood:low:a:after:count"] == "explained"
    assert status["toy:t2:high_mood:before_vs_after:a:-:ratio"] == "mismatch"
    assert status["toy:t9:weather:-:all:-:count"] == "not_in_data"
    assert len(table) == len(pd.read_csv(FIXTURE / "published.csv"))


def test_report_in_three_languages_with_numbers_from_the_results(toy_build):
    report = toy_build / "results" / "toy" / "report"
    for lang in ("nl", "en", "de"):
        assert (report / f"summary_{lang}.pdf").read_bytes().startswith(b"%PDF")
    nl = (report / "summary_nl.html").read_text(encoding="utf-8")
    en = (report / "summary_en.html").read_text(encoding="utf-8")
    assert "gemiddeld 2,0 kinderen, in arm B 2,3" in nl
    assert "2.0 children on average, in arm B 2.3" in en
    assert "rq_mood" in en and "toy:t2:mood" in en


@pytest.mark.workflow
def test_a_broken_toy_export_is_reported_with_file_row_column_and_rule(tmp_path):
    workdir = copy_workflow(tmp_path / "ekc")
    target = workdir / "tests" / "fixtures" / "toy_study"
    shutil.copytree(FIXTURE, target)
    raw = target / "raw" / "visits.csv"
    raw.write_text(raw.read_text().replace("H02;2;low", "H02;3;sad"), encoding="utf-8")
    result = run_snakemake(workdir, "--configfile", CONFIG, check=False, env=KEYED)
    assert result.returncode != 0
    failures = pd.read_csv(workdir / "private/toy/qc/failed/visits_failures.csv")
    assert set(failures["column"]) == {"wave", "mood"}
    assert set(failures["source_row"].astype(str)) == {"5"}
    # 'sad' is no code of the layout: the list in the private area withholds it as well
    assert set(failures["value"]) == {"3", "<removed>"}
