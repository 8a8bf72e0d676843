"""The report's wording follows the data: flip a test's outcome and the conclusion flips,
in all three languages."""

import copy
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from ekc.core.report.render import Results, load_translations
from ekc.youth_protection.report.build import ReportInputs, render_report

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("nl", "en", "de")
DECREASE = (
    "Care concerns about the children decreased after the registration, but they decreased as "
    "much in families without a conference. The study therefore cannot attribute the decrease "
    "to the conference."
)
NO_DECREASE = (
    "The case files show no significant decrease of care concerns about the children in the "
    "nine months after the registration."
)
FELL = (
    "Care concerns in the case files fell significantly, from %(a)s at the start to %(b)s at "
    "nine months."
)
UNCHANGED = (
    "Care concerns in the case files did not change significantly between the start and nine "
    "months (%(a)s and %(b)s)."
)


def plain(text: str) -> str:
    inline = re.sub(r"</?i>", "", text)  # italic symbols: <i>p</i> = .036 reads p = .036
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


@pytest.fixture(scope="module")
def report_inputs(built_workflow, tmp_path_factory):
    results = built_workflow / "results"
    records = []
    for path in sorted((results / "stats").glob("*.json")):
        records += json.loads(path.read_text(encoding="utf-8"))
    inputs = ReportInputs(
        study="yp",
        info=json.loads((results / "linkage/dataset_info.json").read_text(encoding="utf-8")),
        flow=pd.read_csv(results / "linkage/participant_flow.csv"),
        template=ROOT / "resources/templates/summary.html.j2",
        locale_dir=ROOT / "resources/locale",
        glossary=ROOT / "resources/glossary.csv",
        raw_files=[],
        tables=[],
        figure_dir=tmp_path_factory.mktemp("figures"),
    )
    return records, inputs


def sentence(lang: str, msgid: str, **values) -> str:
    text = load_translations(ROOT / "resources/locale", lang).gettext(msgid)
    return plain(text % values if values else text)


def flipped(records: list[dict], record_id: str, verdict: str) -> list[dict]:
    out = copy.deepcopy(records)
    next(r for r in out if r["id"] == record_id)["verdict"] = verdict
    return out


def test_the_embedded_data_give_a_significant_decrease(report_inputs):
    records, _ = report_inputs
    test = Results(records, "en")["yp:text6:care_concerns_total:start_vs_9m:all:-"]
    assert Results(records, "en").outcome(test["id"], test["mean_before"], test["mean_after"]) == (
        "significant_decrease"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_conclusion_and_summary_flip_with_the_test(report_inputs, lang):
    records, inputs = report_inputs
    test_id = "yp:text6:care_concerns_total:start_vs_9m:all:-"
    test = next(r for r in records if r["id"] == test_id)
    results = Results(records, lang)
    means = {"a": results.num(test["mean_before"]), "b": results.num(test["mean_after"])}

    as_published = plain(render_report(records, lang, inputs))
    assert sentence(lang, DECREASE) in as_published
    assert sentence(lang, FELL, **means) in as_published
    assert sentence(lang, NO_DECREASE) not in as_published

    changed = plain(render_report(flipped(records, test_id, "not_significant"), lang, inputs))
    assert sentence(lang, NO_DECREASE) in changed
    assert sentence(lang, UNCHANGED, **means) in changed
    assert sentence(lang, DECREASE) not in changed
    assert sentence(lang, FELL, **means) not in changed


def test_a_group_difference_changes_the_conclusion(report_inputs):
    records, inputs = report_inputs
    group_test = "yp:text6:care_concerns_total:-:conference_vs_no_conference:9m"
    changed = flipped(records, group_test, "significant")
    record = next(r for r in changed if r["id"] == group_test)
    record["mean_conference"], record["mean_no_conference"] = 2.0, 4.0
    text = plain(render_report(changed, "en", inputs))
    assert "nine months on families with a conference had fewer concerns" in text
    assert DECREASE not in text


def test_disclosure_control_hides_small_cells_and_says_so(report_inputs):
    import dataclasses

    records, inputs = report_inputs
    public = dataclasses.replace(inputs, disclosure={"enabled": True, "min_count": 5})
    note = sentence(
        "en",
        "Cells based on fewer than %(k)s cases are not shown (–), nor the "
        "cells from which they could be recomputed.",
        k="5",
    )
    as_is = plain(render_report(records, "en", inputs))
    hidden = plain(render_report(records, "en", public))
    assert note not in as_is and note in hidden
    # table 3.1: four-child families without a conference number 2 (< 5): hidden in public
    assert "4 children 2 (2%)" in as_is
    assert "4 children 2 (2%)" not in hidden


ORIGINAL_TABLES = ["3.1", "3.2", "3.3", "4.1", "5.1", "6.1–6.3", "6.4", "7.1", "7.3", "7.4",
                   "8.1", "8.3", "9.3"]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "table", "figure"), [("nl", "tabel", "figuur"), ("en", "table", "figure"), ("de", "Tabelle", "Abbildung")]
)  # fmt: skip
def test_tables_and_figures_are_numbered_and_referred_to(report_inputs, lang, table, figure):
    """Issue 21: tables and figures 1 … n per report (none without a number, none borrowed
    from the original), the original's number kept as a note, and every reference in the
    text points at a table or figure that is there."""
    records, inputs = report_inputs
    page = render_report(records, lang, inputs)
    captions = re.findall(r'<span class="label">(\w+) (\d+)</span>', page)
    for word in (table, figure):
        numbers = [int(n) for kind, n in captions if kind.lower() == word.lower()]
        assert numbers == list(range(1, len(numbers) + 1)), (word, numbers)
        pairs = re.findall(rf"\b{word}(?:s|len|n)? (\d+)(?: (?:and|en|und) (\d+))?", plain(page), re.I)
        referred = [int(n) for pair in pairs for n in pair if n]
        assert referred and max(referred) <= len(numbers), (word, referred)
        # the caption and at least one sentence of the text name each of them
        assert all(referred.count(n) >= 2 for n in numbers), (word, referred)
    assert len([k for k, _ in captions if k.lower() == table.lower()]) == 15
    notes = re.findall(r'<span class="original">\((.*?)\)</span>', page)
    assert [re.search(r"\d+\.\d+(?:–\d+\.\d+)?", note).group() for note in notes] == ORIGINAL_TABLES
