"""The preventive-domain study builds from its config through the shared workflow, and its
fidelity table accounts for every published figure of its report."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ekc.core.stats.records import results_files
from tests.conftest import ROOT, copy_build, run_snakemake
from tests.pdf_fonts import embedded_families, shipped_families

CONFIG = "config/preventive.yaml"
PUBLISHED = ROOT / "resources" / "published" / "preventive" / "preventive_domain.csv"


def _records(results: Path) -> dict[str, dict]:
    records = {}
    for path in results_files(results / "stats"):
        records.update({r["id"]: r for r in json.loads(path.read_text(encoding="utf-8"))})
    return records


def test_every_research_question_has_its_rule_and_results(pd_build):
    config = yaml.safe_load((ROOT / CONFIG).read_text(encoding="utf-8"))
    for question in config["research_questions"]:
        assert (pd_build / "stats" / f"{question}.json").exists()
        assert (pd_build.parents[1] / "logs" / "pd" / f"rq_{question}.log").exists()


def test_fidelity_covers_every_published_figure_without_mismatch(pd_build):
    published = pd.read_csv(PUBLISHED, dtype=str, keep_default_na=False)
    table = pd.read_csv(
        pd_build / "fidelity" / "published_vs_reproduced.csv", dtype=str, keep_default_na=False
    )
    assert list(table["id"]) == list(published["id"])
    counts = table["status"].value_counts().to_dict()
    assert set(counts) <= {"match", "explained", "not_in_data"}, counts
    # Most figures are reproduced by a rule; the explained ones all carry their reason.
    assert counts["match"] >= 699
    explained = table[table["status"] == "explained"]
    assert (explained["note"].str.len() > 0).all()
    assert (table.loc[table["status"] != "not_in_data", "source"].str.startswith("rule")).all()


def test_tables_equal_an_independent_count_of_the_raw_exports(pd_build):
    raw = ROOT / "resources" / "studies" / "pd" / "raw"
    read = lambda name: pd.read_csv(raw / f"{name}.csv", sep=";", dtype=str)  # noqa: E731
    families = read("gezinnen")[["gezin_id", "groep"]]
    care = read("zorggebruik").merge(families, on="gezin_id")
    asked = read("metingen").query("informant == 'ouder' and zorgvragen == '1'")
    asked = asked.merge(families, on="gezin_id")
    records = _records(pd_build)
    moment = {"T1": "start", "T2": "3m", "T3": "6m"}
    for (group, wave), part in care[care["zorg_voor"] == "kind"].groupby(["groep", "meting"]):
        n = len(asked[(asked["groep"] == group) & (asked["meting"] == wave)])
        record = records[f"pd:4.2:care_points_child:-:{group}:{moment[wave]}"]
        assert (record["count"], record["n"]) == (len(part), n)
        assert record["mean"] == pytest.approx(len(part) / n)
        for care_type, rows in part.groupby("zorgvorm"):
            typed = records[f"pd:4.2:care_child:{care_type}:{group}:{moment[wave]}"]
            assert typed["count"] == rows["gezin_id"].nunique()


def test_report_in_three_languages_states_the_computed_figures(pd_build):
    records = _records(pd_build)
    participants = records["pd:text4:participants:parent:cjg:start"]
    for lang, words in {
        "nl": f"deden er {participants['count']} mee",
        "en": f"{participants['count']} took part",
        "de": f"nahmen {participants['count']} teil",
    }.items():
        html = (pd_build / "report" / f"summary_{lang}.html").read_text(encoding="utf-8")
        assert words in html
        pdf = pd_build / "report" / f"summary_{lang}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert embedded_families(pdf) <= shipped_families(), lang
    nl = (pd_build / "report" / "summary_nl.html").read_text(encoding="utf-8")
    en = (pd_build / "report" / "summary_en.html").read_text(encoding="utf-8")
    cjg_children = records["pd:text4:n_children:-:cjg:start"]["mean"]
    assert f"{cjg_children:.1f}".replace(".", ",") in nl
    assert f"{cjg_children:.1f}" in en
    assert "rq_care_use" in en and "pd:4.2:care_child" in en


def test_case_ids_are_pseudonymised(pd_build):
    prepared = sorted((pd_build.parents[1] / "private" / "pd" / "prepared").glob("*.parquet"))
    assert prepared
    for path in prepared:
        frame = pd.read_parquet(path)
        if "gezin_id" in frame.columns:
            assert not frame["gezin_id"].str.startswith("PD-").any(), path.name


def test_rerun_gives_identical_results(pd_build, tmp_path):
    """Same inputs, same bytes: the research-question rules and the fidelity table rerun (in
    a copy: the suite's build is shared)."""
    workdir = copy_build(pd_build.parents[1], tmp_path / "w")
    results = workdir / pd_build.relative_to(pd_build.parents[1])
    outputs = [
        *sorted((results / "stats").glob("*.json")),
        *sorted((results / "tables").glob("*.csv")),
        results / "fidelity" / "published_vs_reproduced.csv",
    ]
    before = {path: path.read_bytes() for path in outputs}
    written = {path: path.stat().st_mtime_ns for path in outputs}
    config = yaml.safe_load((ROOT / CONFIG).read_text(encoding="utf-8"))
    rules = [f"rq_{q}" for q in config["research_questions"]]
    targets = [str(path.relative_to(workdir)) for path in outputs]
    run_snakemake(workdir, *targets, "--configfile", CONFIG, "--forcerun", *rules, "fidelity")
    assert all(path.stat().st_mtime_ns > written[path] for path in outputs), "nothing reran"
    changed = [path.name for path in outputs if path.read_bytes() != before[path]]
    assert not changed


def _html_tables(page: str) -> dict[str, list[list[str]]]:
    """Caption (without its number) -> rows of cells (header row first), from a report."""
    tables = {}
    captioned = r"<figcaption>(.*?)</figcaption>\s*<table[^>]*>(.*?)</table>"
    for caption, body in re.findall(captioned, page, re.S):
        rows = [
            [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]
            for cells in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
                          for row in re.findall(r"<tr>(.*?)</tr>", body, re.S))
        ]  # fmt: skip
        title = re.sub(r'<span class="label">[^<]*</span>', "", caption)
        tables[htmllib.unescape(title).strip()] = rows
    return tables


def test_risk_factor_tables_show_each_items_own_answer_with_its_base(pd_build):
    """Items answered occurred / not occurred were shown as '0 (0%)' agreeing, with p = 1.000
    (6cf4635): each item now shows the answer of its own scale, out of those who answered,
    parents and professionals in tables of their own, and no p."""
    raw = ROOT / "resources" / "studies" / "pd" / "raw"
    families = pd.read_csv(raw / "gezinnen.csv", sep=";", dtype=str, encoding="utf-8-sig")
    answers = pd.read_csv(raw / "risicofactoren.csv", sep=";", dtype=str, encoding="utf-8-sig")
    answers = answers.merge(families[["gezin_id", "groep"]], on="gezin_id")
    # Which answer carries each item's meaning: what the original's Table B.1 asks.
    occurrence = {"stressful_events", "worries_children_by_parent", "children_police_contact",
                  "worries_children_by_environment", "less_attention_own_problems"}  # fmt: skip
    texts = yaml.safe_load((ROOT / "resources/studies/pd/texts.yaml").read_text())["texts"]
    labels = yaml.safe_load((ROOT / "resources/studies/pd/labels.yaml").read_text())["labels"]
    tables = _html_tables((pd_build / "report" / "summary_en.html").read_text(encoding="utf-8"))

    def expected(given: pd.DataFrame, item: str, columns: list[tuple[str, str]]) -> list[str]:
        code = "wel" if item in occurrence else "eens"
        cells = []
        for group, moment in columns:
            cell = given[(given["item"] == item) & (given["groep"] == group)
                         & (given["meting"] == moment)]  # fmt: skip
            said = int((cell["antwoord"] == code).sum())
            cells.append(f"{said}/{len(cell)} ({int(100 * said / len(cell) + 0.5)}%)")
        return cells

    def row(rows: list[list[str]], label: str) -> list[str]:
        return next(r[1:] for r in rows if r[0] == label or r[0].startswith(f"{label}: "))

    everything = [r for rows in tables.values() for r in rows]
    # Table B.1: 2 of 9 CJG parents say their children had contact with the police (T1).
    police = row(everything, labels["children_police_contact_parent_report"]["en"])
    assert re.match(r"\d+", police[0]).group() == "2", police
    assert police[0] == "2/9 (22%)"
    parents = answers[answers["informant"] == "ouder"]
    columns = [("cjg", "T1"), ("cjg", "T3"), ("bjz", "T1"), ("bjz", "T3")]
    for item in sorted(parents["item"].unique()):
        label = labels[f"{item}_parent_report"]["en"]
        assert row(everything, label)[:4] == expected(parents, item, columns), label
    professionals = answers[answers["informant"] == "hulpverlener"]
    header, *rows = tables[texts["risk_professional_caption"]["en"]]
    assert not [h for h in header if h.startswith("p")]
    for item in sorted(professionals["item"].unique()):
        label = labels[f"{item}_professional_report"]["en"]
        cells = expected(professionals, item, [("cjg", "T1"), ("bjz", "T1")])
        assert row(rows, label) == cells, label
    header = tables[texts["risk_parent_caption"]["en"]][0]
    assert not [h for h in header if h.startswith("p")]


def test_the_preventive_build_accounts_for_every_row(pd_build):
    table = pd.read_csv(pd_build / "qc/row_accounting.csv")
    parts = table["kept"] + table["quarantined"] + table["unexpected"] + table["orphaned"]
    assert (table["rows_in"] == parts).all() and (table["unaccounted"] == 0).all()
    config = yaml.safe_load((ROOT / CONFIG).read_text(encoding="utf-8"))
    assert list(table["source"]) == sorted(config["sources"])
    flow = pd.read_csv(pd_build / "linkage/flow.csv").set_index("source")
    assert table.set_index("source")["orphaned"].to_dict() == flow["orphans"].to_dict()


def test_summary_answers_every_question_descriptively_with_figures_of_its_records(pd_build):
    """The study declares no tests: each research question's answer is descriptive, never a
    verdict of (no) effect, and every number in its paragraph is a field of a record the
    answer lists (answers.json)."""
    from ekc.core.report.answer_wording import answer_blocks
    from ekc.engine.report import Formatter

    config = yaml.safe_load((ROOT / CONFIG).read_text(encoding="utf-8"))
    declared = {name for name, q in config["research_questions"].items() if "answer" in q}
    answers = json.loads((pd_build / "stats" / "answers.json").read_text(encoding="utf-8"))
    assert set(answers) == declared == set(config["research_questions"])
    assert {a["verdict"] for a in answers.values()} == {"descriptive"}
    records = _records(pd_build)
    fmt = Formatter("en")
    fields = ("count", "n", "pct", "mean", "before", "after", "n_after")
    html = (pd_build / "report" / "summary_en.html").read_text(encoding="utf-8")
    paragraphs = dict(answer_blocks(html))
    assert set(paragraphs) == declared
    for name, text in paragraphs.items():
        allowed = set()
        for record_id in answers[name]["records"]:
            for field in fields:
                if records[record_id].get(field) is not None:
                    allowed.add(fmt.statistic(records[record_id], field).rstrip("%"))
        printed = set(re.findall(r"\d+(?:\.\d+)?", text))
        assert printed and printed <= allowed, (name, printed - allowed)
    assert "Described, not tested" in html and "no evidence" not in html


def test_every_transcribed_conclusion_is_checked_and_printed(pd_build):
    """Every conclusion and recommendation of the original (resources/published/preventive/
    conclusions.csv) is in conclusions.json and in the report in each language; the effect
    claims the study cannot test come out not testable, never not supported."""
    transcribed = pd.read_csv(ROOT / "resources/published/preventive/conclusions.csv",
                              dtype=str, keep_default_na=False)  # fmt: skip
    checked = json.loads((pd_build / "stats" / "conclusions.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in checked] == list(transcribed["id"])
    by_id = {row["id"]: row for row in checked}
    effects = transcribed[transcribed["original"] == "effect"]["id"]
    assert len(effects) >= 3
    for row_id in effects:
        found = (by_id[row_id]["verdict"], by_id[row_id]["reason"])
        assert found == ("not_testable", "descriptive"), row_id
        assert by_id[row_id]["records"], row_id
    assert not [row for row in checked if row["verdict"] == "not_supported"]
    pipeline = transcribed[transcribed["source"] == "pipeline"]
    assert len(pipeline) and (pipeline["check"] != "").all()
    for lang in ("nl", "en", "de"):
        page = htmllib.unescape(
            (pd_build / "report" / f"summary_{lang}.html").read_text(encoding="utf-8")
        )
        missing = [t for t in transcribed[f"text_{lang}"] if t not in page]
        assert not missing, (lang, missing[:2])


@pytest.mark.parametrize(("lang", "word"), [("nl", "tabel"), ("en", "table"), ("de", "Tabelle")])
def test_tables_are_numbered_in_order_and_every_reference_resolves(pd_build, lang, word):
    """Issue 21: tables 1 … n in the order shown, the text refers to them by number."""
    page = (pd_build / "report" / f"summary_{lang}.html").read_text(encoding="utf-8")
    body = page.split('id="linkage"')[0]
    labels = [int(n) for n in re.findall(r'<span class="label">\w+ (\d+)</span>', body)]
    assert labels == list(range(1, len(labels) + 1)) and len(labels) > 10
    texts = " ".join(re.findall(r"<p>(.*?)</p>", body, re.S))
    references = [int(n) for n in re.findall(rf"\b{word} (\d+)\b", texts, re.I)]
    assert references and set(references) <= set(labels)
