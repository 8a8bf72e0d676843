"""The fidelity table: every published figure beside its reproduced value."""

import pandas as pd
import pytest
import yaml

from ekc.core.fidelity import compare
from ekc.youth_protection.external import read_reference

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]

CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fidelity(built_workflow):
    path = built_workflow / "results/fidelity/published_vs_reproduced.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_every_published_figure_has_a_row(fidelity):
    published = pd.concat(
        pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted((ROOT / "resources/published").glob("*.csv"))
    )
    assert sorted(fidelity["id"]) == sorted(published["id"])


def test_no_unexplained_mismatch(fidelity):
    mismatches = fidelity[fidelity["status"] == "mismatch"]
    assert mismatches.empty, mismatches[["id", "published", "reproduced"]].to_string()


def test_explained_rows_say_why(fidelity):
    explained = fidelity[fidelity["status"] == "explained"]
    assert (explained["note"].str.len() > 10).all()


def test_external_rows_are_exactly_the_reference_figures(fidelity):
    reference = read_reference(ROOT / "resources/external/regular_ekc_population.csv")
    external = fidelity[fidelity["status"] == "external"]
    assert sorted(external["id"]) == sorted(reference["id"])
    assert (external["source"] == "external reference").all()


def test_conference_chapters_are_fully_reproduced(fidelity):
    chapters = fidelity[fidelity["table"].isin(["4.1", "4.2", "5.1", "text4", "text5"])]
    assert set(chapters["status"]) <= {"match", "explained", "external"}
    own = chapters[chapters["status"] != "external"]
    assert own["source"].str.startswith("rule ").all()


@pytest.mark.parametrize(
    ("published", "decimals", "statistic", "reproduced", "status"),
    [
        ("12.7", "1", "mean", 12.70114943, "match"),
        ("12.7", "1", "mean", 12.75, "mismatch"),  # rounds half up to 12.8
        ("76", "0", "pct", 75.5, "match"),
        ("90", "0", "n", 89, "mismatch"),
        ("<.001", "3", "p", 0.0004, "match"),
        (">50", "0", "pct", 52.8, "match"),
        (">50", "0", "pct", 49.0, "mismatch"),
        ("n.s.", "", "verdict", "n.s.", "match"),
        ("n.s.", "", "verdict", "sig.", "mismatch"),
        (".036", "3", "p", 0.0364, "match"),
    ],
)
def test_compare_follows_the_printed_rounding(published, decimals, statistic, reproduced, status):
    assert compare(published, decimals, statistic, reproduced)[0] == status


def test_no_figure_is_left_pending(fidelity):
    """Every published figure is reproduced, explained, external or shown not to be in any
    export (with the reason): nothing is left pending."""
    assert set(fidelity["status"]) <= {"match", "explained", "external", "not_in_data"}
    not_in_data = fidelity[fidelity["status"] == "not_in_data"]
    assert len(not_in_data) <= 9 and (not_in_data["note"].str.len() > 20).all()


def test_every_reproduced_figure_comes_from_a_research_question_rule(fidelity):
    """The generator is outside the production path: every reproduced figure was computed by
    a rule of the workflow (a research question's, or the linkage's participant flow)."""
    own = fidelity[~fidelity["status"].isin(["external", "not_in_data"])]
    rules = own["source"].str.removeprefix("rule ")
    assert (own["source"].str.startswith("rule ")).all()
    assert set(rules) <= {"link"} | {f"rq_{name}" for name in CONFIG["research_questions"]}
