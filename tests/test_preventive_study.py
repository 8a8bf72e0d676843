"""The preventive-domain study builds from its config through the shared workflow, and its
fidelity table accounts for every published figure of its report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT, copy_workflow, run_snakemake
from tests.pdf_fonts import embedded_families, shipped_families

CONFIG = "config/preventive.yaml"
PUBLISHED = ROOT / "resources" / "published" / "preventive" / "preventive_domain.csv"


@pytest.fixture(scope="module")
def pd_build(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("preventive") / "ekc")
    run_snakemake(workdir, "--configfile", CONFIG)
    return workdir / "results" / "pd"


def _records(results: Path) -> dict[str, dict]:
    records = {}
    for path in sorted((results / "stats").glob("*.json")):
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


def test_rerun_gives_identical_results(pd_build):
    """Same inputs, same bytes: the research-question rules and the fidelity table rerun."""
    workdir = pd_build.parents[1]
    outputs = [
        *sorted((pd_build / "stats").glob("*.json")),
        *sorted((pd_build / "tables").glob("*.csv")),
        pd_build / "fidelity" / "published_vs_reproduced.csv",
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


def test_the_preventive_build_accounts_for_every_row(pd_build):
    table = pd.read_csv(pd_build / "qc/row_accounting.csv")
    parts = table["kept"] + table["quarantined"] + table["unexpected"] + table["orphaned"]
    assert (table["rows_in"] == parts).all() and (table["unaccounted"] == 0).all()
    config = yaml.safe_load((ROOT / CONFIG).read_text(encoding="utf-8"))
    assert list(table["source"]) == sorted(config["sources"])
    flow = pd.read_csv(pd_build / "linkage/flow.csv").set_index("source")
    assert table.set_index("source")["orphaned"].to_dict() == flow["orphans"].to_dict()
