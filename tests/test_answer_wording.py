"""The answer paragraphs follow their primary analysis, in every language.

- flip: data whose effect reverses or vanishes give another verdict, and the answer text
  changes in nl, en and de to that verdict's wording;
- contradiction: a sentence about a question whose wording contradicts the verdict of its
  primary analysis is found (`ekc.core.report.answer_wording`), among them the wording the
  report had before the declared answers (6cf4635 / main).

The chain is the real one: the core's tests on small samples, `ekc.core.answers`, the shared
template partial `answers.html.j2` and the three catalogs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from ekc.core.answers import answers
from ekc.core.report.answer_wording import (
    VERDICT_MESSAGES,
    answer_blocks,
    plain,
    worded_verdicts,
    wording_problems,
)
from ekc.core.report.front_matter import front_matter
from ekc.core.report.render import load_translations, render_html
from ekc.core.stats.inference import paired_t
from ekc.core.stats.records import record

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources/locale"
LANGS = ("nl", "en", "de")
BEFORE = [7.0, 6.0, 8.0, 5.0, 9.0, 7.0, 6.0, 8.0, 7.5, 6.5]
AFTER = [4.0, 5.0, 5.0, 3.0, 6.0, 4.0, 5.0, 4.0, 5.5, 4.5]
KEY = "toy:t1:score:before_vs_after:all:-"
SPEC = {"scores": {"question": "q", "primary": KEY, "expected_direction": "decrease"}}
TEMPLATE = """{% from "answers.html.j2" import answer_block, verdict with context %}
{% call answer_block("scores") %}<p>{{ verdict(answers["scores"], _("Table")) }}</p>{% endcall %}
"""


def _records(before, after):
    return [
        record(
            KEY,
            label="score before against after",
            mean_before=sum(before) / len(before),
            mean_after=sum(after) / len(after),
            **paired_t(before, after, "greater"),
        )
    ]


def _render(records, lang, tmp_path):
    """The shared partial on its own: one answer block for one question."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "resources/templates/answers.html.j2", folder)
    (folder / "one.html.j2").write_text(TEMPLATE, encoding="utf-8")
    found = answers(SPEC, records)
    rendered = render_html(
        lang=lang,
        template_dir=folder,
        locale_dir=LOCALE,
        records=records,
        context={"answers": found, "front": front_matter({}), "study": "toy"},
        template="one.html.j2",
    )
    return rendered, found


def test_the_verdict_messages_are_the_templates_own():
    """The checker knows the wording the partial prints, message by message."""
    used = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT / "resources/templates"),
            [("answers.html.j2", "jinja2")],
            {"answers.html.j2": {"extensions": "jinja2.ext.i18n"}},
        )
        if isinstance(message, str)
    }
    for messages in VERDICT_MESSAGES.values():
        assert set(messages) <= used


@pytest.mark.parametrize("lang", LANGS)
def test_flipped_data_change_the_answer_in_every_language(lang, tmp_path):
    translations = load_translations(LOCALE, lang)
    as_measured, found = _render(_records(BEFORE, AFTER), lang, tmp_path)
    assert found["scores"]["verdict"] == "evidence"
    # the effect reverses: after and before swapped
    reversed_, flipped = _render(_records(AFTER, BEFORE), lang, tmp_path)
    assert flipped["scores"]["verdict"] == "no_evidence"
    # the effect vanishes: the same values in another order after
    vanished, gone = _render(_records(BEFORE, BEFORE[3:] + BEFORE[:3]), lang, tmp_path)
    assert gone["scores"]["verdict"] == "no_evidence"
    texts = [plain(t) for t in (as_measured, reversed_, vanished)]
    assert len(set(texts)) == 3
    assert worded_verdicts(texts[0], translations) == {"evidence"}
    assert worded_verdicts(texts[1], translations) == {"no_evidence"}
    assert worded_verdicts(texts[2], translations) == {"no_evidence"}
    for rendered, result in ((as_measured, found), (reversed_, flipped), (vanished, gone)):
        assert not wording_problems(answer_blocks(rendered), result, translations)


@pytest.mark.parametrize("lang", LANGS)
def test_a_sentence_that_contradicts_its_verdict_is_found(lang, tmp_path):
    translations = load_translations(LOCALE, lang)
    rendered, found = _render(_records(BEFORE, AFTER), lang, tmp_path)
    # the evidence paragraph, attributed to a question whose primary gives no evidence
    no_evidence = {"scores": {**found["scores"], "verdict": "no_evidence"}}
    problems = wording_problems(answer_blocks(rendered), no_evidence, translations)
    assert problems and "no_evidence" in problems[0]
    # and a paragraph that carries both wordings contradicts itself
    reversed_, _ = _render(_records(AFTER, BEFORE), lang, tmp_path)
    both = answer_blocks(rendered)[0][1] + " " + answer_blocks(reversed_)[0][1]
    problems = wording_problems([("scores", both)], found, translations)
    assert any("words no_evidence" in problem for problem in problems)


# The conclusions as the report printed them before the declared answers (main at 6cf4635 and
# at the start of this branch, resources/templates/closing.html.j2 and the catalogs): on the
# embedded data RQ2's first branch, RQ3's and RQ4's third. Their primary analyses give no
# evidence (RQ2, group x time interaction p = .165), evidence (RQ3, repeated-measures ANOVA
# p = .0095) and evidence (RQ4, conference against shadow interviews).
MAIN_CONCLUSIONS = {
    "safety": "Care concerns about the children decreased after the registration, but they "
    "decreased as much in families without a conference. The study therefore cannot "
    "attribute the decrease to the conference.",
    "support": "The questionnaires show no measurable change in the support parents "
    "experience from their surroundings; in the interviews, referrers saw support increase in "
    "%(pct)s of the conference cases.",
    "control": "Referrers' ratings of the family's control did not change between three and "
    "nine months; in the interviews, control moved towards the family in %(pct)s of the "
    "statements about conference cases.",
}
MAIN_VERDICTS = {
    "safety": {"verdict": "no_evidence"},
    "support": {"verdict": "evidence"},
    "control": {"verdict": "evidence"},
}


def test_mains_conclusion_wording_contradicts_the_verdicts():
    """main's three conclusion sentences, attributed to their questions, each fail: none
    carries the wording of its primary analysis' verdict (RQ2 says 'as much', a claim of no
    difference; RQ3 and RQ4 say 'no change' where the primary gives evidence)."""
    translations = load_translations(LOCALE, "en")
    blocks = [(q, text % {"pct": "50%"}) for q, text in MAIN_CONCLUSIONS.items()]
    problems = wording_problems(blocks, MAIN_VERDICTS, translations)
    assert [p.split(":")[0] for p in problems] == ["safety", "support", "control"]
