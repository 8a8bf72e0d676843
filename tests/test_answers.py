"""Declared answers, the original's conclusions checked, and the front matter (the shared
core of issues 19 and 20): verdicts follow the primary record, computed here with the
core's own tests on small samples, and flip when the data flip."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from ekc.core.answers import AnswerError, answers, declared, write_json
from ekc.core.conclusions import (
    COLUMNS,
    ConclusionsError,
    check_conclusions,
    read_conclusions,
)
from ekc.core.report.front_matter import front_matter, full_commit
from ekc.core.stats.inference import paired_t, student_t
from ekc.core.stats.records import not_estimable, record, record_id

BEFORE = [7.0, 6.0, 8.0, 5.0, 9.0, 7.0, 6.0, 8.0]
AFTER = [4.0, 5.0, 5.0, 3.0, 6.0, 4.0, 5.0, 4.0]


def _paired(before, after, key="toy:t1:score:before_vs_after:all:-"):
    """A paired test as an analysis writes it: x − y, one-sided (fewer later expected)."""
    result = paired_t(before, after, "greater")
    return record(
        key,
        label="score, before against after",
        mean_before=sum(before) / len(before),
        mean_after=sum(after) / len(after),
        **result,
    )


def _study(before=BEFORE, after=AFTER):
    test = _paired(before, after)
    mean = record(record_id("toy", "t1", "score", "-", "all", "after"), label="mean", n=8)
    mean["mean"] = sum(after) / len(after)
    return [test, mean]


SPEC = {
    "scores": {
        "module": "whatever",
        "answer": {
            "question": "rq_scores",
            "primary": "toy:t1:score:before_vs_after:all:-",
            "secondary": ["toy:t1:score:-:all:after"],
            "expected_direction": "decrease",
        },
    },
    "no_answer": {"module": "whatever"},
}


def test_only_questions_with_an_answer_block_are_answered():
    assert list(declared(SPEC)) == ["scores"]
    assert list(answers(SPEC, _study())) == ["scores"]


def test_a_significant_decrease_is_evidence_with_the_primarys_numbers():
    found = answers(SPEC, _study())["scores"]
    primary = _study()[0]
    assert primary["verdict"] == "significant"
    assert found["verdict"] == "evidence" and found["direction_matches"] is True
    for field in ("statistic", "df", "p", "n", "alternative", "test"):
        assert found[field] == pytest.approx(primary[field]) or found[field] == primary[field]
    assert found["change"] == pytest.approx(primary["mean_after"] - primary["mean_before"])
    assert found["records"] == sorted(
        ["toy:t1:score:before_vs_after:all:-", "toy:t1:score:-:all:after"]
    )


def test_flipped_data_reverse_the_verdict():
    """The same samples swapped: the decrease becomes an increase, which is no evidence of
    the expected decrease; identical samples with noise: no evidence either."""
    flipped = answers(SPEC, _study(AFTER, BEFORE))["scores"]
    assert flipped["verdict"] == "no_evidence"
    assert flipped["direction_matches"] is False
    noise = [
        b + d for b, d in zip(BEFORE, [0.5, -0.5, 0.25, -0.25, 0.5, -0.5, 0.1, -0.1], strict=True)
    ]
    vanished = answers(SPEC, _study(BEFORE, noise))["scores"]
    assert vanished["verdict"] == "no_evidence" and vanished["significant"] is False


def test_significant_against_the_expected_direction_is_no_evidence():
    two_sided = _study()
    two_sided[0].update(paired_t(AFTER, BEFORE, "two-sided"))  # significant, an increase
    two_sided[0]["mean_before"], two_sided[0]["mean_after"] = 5.0, 7.0
    found = answers(SPEC, two_sided)["scores"]
    assert found["significant"] is True and found["direction_matches"] is False
    assert found["verdict"] == "no_evidence"


def test_a_significant_result_without_a_readable_direction_is_no_verdict():
    # "evidence of a decrease" needs the direction; without it the build stops
    records = _study()
    del records[0]["mean_before"], records[0]["mean_after"]
    with pytest.raises(AnswerError, match="direction of the change cannot be read"):
        answers(SPEC, records)


@pytest.mark.parametrize("p", [None, float("nan")])
def test_a_missing_p_is_never_a_verdict(p):
    records = _study()
    records[0]["p"] = p
    assert answers(SPEC, records)["scores"]["verdict"] == "not_estimable"


def test_a_test_that_could_not_be_computed_is_not_estimable():
    records = _study()
    records[0].update(not_estimable("paired_t", "too_few_observations", n=1))
    found = answers(SPEC, records)["scores"]
    assert found["verdict"] == "not_estimable" and found["reason"] == "too_few_observations"


def test_a_difference_has_no_direction_and_a_model_term_gives_its_estimate():
    a, b = [1.0, 2.0, 3.0, 2.0, 1.5], [4.0, 5.0, 6.0, 5.5, 4.5]
    test = record("toy:t2:x:-:a_vs_b:-", label="x", **student_t(a, b), estimate=-3.0)
    spec = {"x": {"question": "q", "primary": test["id"], "expected_direction": "difference"}}
    found = answers(spec, [test])["x"]
    assert found["verdict"] == "evidence" and found["direction_matches"] is None
    assert found["change"] == -3.0
    spec["x"]["expected_direction"] = "increase"
    assert answers(spec, [test])["x"]["verdict"] == "no_evidence"


def test_change_from_two_records():
    first = record("toy:t3:m:-:all:before", label="m", n=5, mean=2.0)
    second = record("toy:t3:m:-:all:after", label="m", n=5, mean=3.0)
    test = record("toy:t3:m:-:all:-", label="t", **student_t([1, 2, 3, 1], [4, 5, 6, 5]))
    spec = {
        "m": {
            "question": "q",
            "primary": test["id"],
            "expected_direction": "increase",
            "change": {"from": first["id"], "to": second["id"], "field": "mean"},
        }
    }
    found = answers(spec, [first, second, test])["m"]
    assert found["change"] == 1.0 and found["verdict"] == "evidence"
    assert first["id"] in found["records"] and second["id"] in found["records"]


def test_a_descriptive_question_has_no_test_verdict():
    figure = record("toy:t4:share:-:all:-", label="share", n=10, count=4, pct=40.0)
    spec = {"d": {"question": "q", "primary": figure["id"], "expected_direction": "none"}}
    found = answers(spec, [figure])["d"]
    assert found["verdict"] == "descriptive" and found["significant"] is None


def test_an_answer_naming_an_unknown_record_is_an_error():
    spec = {
        "x": {"question": "q", "primary": "toy:nothing:-:-:-:-", "expected_direction": "increase"}
    }
    with pytest.raises(AnswerError, match="no results file"):
        answers(spec, _study())
    bad = {"x": {"question": "q", "primary": _study()[0]["id"], "expected_direction": "up"}}
    with pytest.raises(AnswerError, match="expected_direction"):
        answers(bad, _study())


def test_answers_file_is_deterministic(tmp_path):
    found = answers(SPEC, _study())
    write_json(found, tmp_path / "a.json")
    write_json(json.loads((tmp_path / "a.json").read_text()), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert list(json.loads((tmp_path / "a.json").read_text())["scores"]) == sorted(found["scores"])


# --- the original's conclusions ------------------------------------------------------------


def _row(**fields):
    base = dict.fromkeys(COLUMNS, "")
    base.update(kind="conclusion", source="10.3", original="effect")
    base.update({f"text_{lang}": f"text {lang}" for lang in ("nl", "en", "de")})
    base.update(fields)
    return base


def _write(path: Path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# attribution: where these come from\n")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_conclusions_are_checked_against_answers_and_records():
    records = _study()
    found = answers(SPEC, records)
    rows = [
        _row(id="c1", check="scores", expect="evidence"),
        _row(id="c2", check="scores", expect="no_evidence", original="no_effect"),
        _row(id="c3", check=records[0]["id"], expect="evidence"),
        _row(id="c4", check="", expect="", original="descriptive"),
        _row(id="c5", check=records[1]["id"], expect="", original="descriptive"),
        _row(
            id="r1",
            kind="recommendation",
            source="pipeline",
            original="recommend",
            check="scores",
            expect="evidence",
        ),
    ]
    checked = {c["id"]: c for c in check_conclusions(rows, found, records)}
    assert checked["c1"]["verdict"] == "supported"
    assert checked["c1"]["records"] == [found["scores"]["primary"]]
    assert checked["c2"]["verdict"] == "not_supported"
    assert checked["c3"]["verdict"] == "supported" and checked["c3"]["records"] == [
        records[0]["id"]
    ]
    assert (checked["c4"]["verdict"], checked["c4"]["reason"]) == ("not_testable", "no_check")
    assert (checked["c5"]["verdict"], checked["c5"]["reason"]) == ("not_testable", "descriptive")
    assert checked["r1"]["verdict"] == "supported"
    # the data flip: the conclusion that there is an effect is no longer supported
    flipped = _study(AFTER, BEFORE)
    again = {c["id"]: c for c in check_conclusions(rows, answers(SPEC, flipped), flipped)}
    assert again["c1"]["verdict"] == "not_supported" and again["c2"]["verdict"] == "supported"


def test_a_conclusion_whose_test_could_not_be_computed_is_not_testable():
    records = _study()
    records[0].update(not_estimable("paired_t", "too_few_observations", n=1))
    rows = [_row(id="c1", check="scores", expect="evidence")]
    (checked,) = check_conclusions(rows, answers(SPEC, records), records)
    assert (checked["verdict"], checked["reason"]) == ("not_testable", "check_not_estimable")


def test_a_check_that_names_nothing_is_an_error_not_untestable():
    rows = [_row(id="c1", check="typo", expect="evidence")]
    with pytest.raises(ConclusionsError, match="typo"):
        check_conclusions(rows, {}, _study())
    rows = [_row(id="c1", check=_study()[0]["id"], expect="")]
    with pytest.raises(ConclusionsError, match="expects"):
        check_conclusions(rows, {}, _study())


def test_the_conclusions_file_layout_is_checked(tmp_path):
    good = _write(tmp_path / "good.csv", [_row(id="c1", check="scores", expect="evidence")])
    assert read_conclusions(good)[0]["id"] == "c1"
    for name, row in {
        "kind": _row(id="c1", kind="finding"),
        "original": _row(id="c1", original="maybe"),
        "expect": _row(id="c1", expect="evidence"),
        "language": _row(id="c1", text_de=" "),
    }.items():
        with pytest.raises(ConclusionsError):
            read_conclusions(_write(tmp_path / f"{name}.csv", [row]))
    twice = _write(tmp_path / "twice.csv", [_row(id="c1"), _row(id="c1")])
    with pytest.raises(ConclusionsError, match="twice"):
        read_conclusions(twice)


# --- front matter ----------------------------------------------------------------------------


def test_front_matter_from_the_report_block():
    block = {
        "synthetic_data": True,
        "original_study": {"title": "A study", "year": 2008, "publisher": "P"},
        "pipeline_citation": {"doi": "", "repository": "https://example.org/repo"},
    }
    found = front_matter(block)
    assert found["synthetic_data"] is True
    assert found["original_study"]["year"] == "2008" and found["original_study"]["authors"] == ""
    assert found["pipeline"]["repository"] == "https://example.org/repo"
    assert front_matter({})["synthetic_data"] is False
    with pytest.raises(ValueError, match="unknown"):
        front_matter({"original_study": {"isbn": "x"}})


def test_the_pipeline_is_cited_by_its_full_commit():
    root = Path(__file__).resolve().parents[1]
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    commit = full_commit(root)
    assert commit.removesuffix("-dirty") == head and len(head) == 40


def test_outside_a_checkout_the_commit_is_unknown(tmp_path):
    assert full_commit(tmp_path).startswith("unknown")


# --- the transcription of the youth-protection report's chapter 10 ---------------------------

YP_CONCLUSIONS = Path(__file__).resolve().parents[1] / (
    "resources/published/youth_protection/conclusions.csv"
)
# Every part of chapter 10 that concludes or recommends: the answers to the four questions
# (10.3), the other findings a-f (10.4), the conclusions (10.5), validity (10.6), and the
# eight numbered recommendations (10.7).
CHAPTER_10 = [
    *(f"10.3, question {q}" for q in range(1, 5)),
    *(f"10.4 {letter}" for letter in "abcdef"),
    "10.5",
    "10.6",
    *(f"10.7, professionals {i}" for i in range(1, 5)),
    *(f"10.7, Eigen Kracht Centrale {i}" for i in range(1, 3)),
    *(f"10.7, research {i}" for i in range(1, 3)),
]


def test_the_transcription_covers_chapter_10():
    rows = read_conclusions(YP_CONCLUSIONS)
    sources = {row["source"] for row in rows}
    assert set(CHAPTER_10) <= sources
    assert sources - set(CHAPTER_10) == {"pipeline"}
    recommendations = [
        r for r in rows if r["kind"] == "recommendation" and r["source"] != "pipeline"
    ]
    assert len(recommendations) == 8
    # the pipeline's own recommendations are marked and each tied to a result
    for row in rows:
        if row["source"] == "pipeline":
            assert row["kind"] == "recommendation" and row["check"]
