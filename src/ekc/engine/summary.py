"""The summary, conclusions and recommendations of a config-defined study's report.

They are generated, not written: the summary from the declared answers of its research
questions (`answers.json`, ekc.core.answers), the conclusions and recommendations from the
original's, transcribed as data and checked one by one (`conclusions.json`,
ekc.core.conclusions). A report section asks for them in the config:

    - title: summary_title
      answers: [care_use, risk_factors]     # one paragraph per declared answer, in order
    - title: conclusions_title
      conclusions: conclusion               # or: recommendation

An answer paragraph is the question (the study text its block names), the verdict and the
study's own words for that verdict, `answer_<name>_<verdict>`: a study that has not written
a text for the verdict its data give fails the build, so the words cannot outlive the
result. A tested verdict is worded by the shared partial `answers.html.j2` (graded: never
"no difference" for no evidence), about the study's noun phrase `measure_<name>`; a
descriptive one by the catalog (context `answer`): described, not tested, never "no
effect". Every figure in the study's words is a fact whose record the answer lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ekc.core.answers import DESCRIPTIVE
from ekc.engine.report import Formatter, ReportSpecError, Study

# '(L4941)': a line of our text conversion of the original, for maintainers; readers of the
# report get the original's section only.
CONVERSION_LINE = re.compile(r"\s*\(L\d+\)")

# A change between two moments beside a conclusion (catalog message; the shipped fonts have
# no arrow).
CHANGE = "%(before)s to %(after)s (n = %(n_before)s and %(n_after)s)"


def figure(record: Mapping, fmt: Formatter, analysis: Mapping | None = None) -> str:
    """A record's main figure: a count with its base, a mean with its n, a change between two
    moments, a test's p, or a date. A count that is its own base (no `base`, no categories:
    a total) is printed alone, not as 'n/n (100%)'."""
    kind = record.get("kind")
    analysis = analysis or {}
    if kind == "test":
        return f"p = {fmt.p(dict(record))}"
    if kind == "change":
        statistic = record.get("statistic_compared", "mean")
        decimals = 0 if statistic == "count" else None
        before = fmt.statistic(dict(record), "before", decimals)
        after = fmt.statistic(dict(record), "after", decimals)
        n_before = fmt.statistic(dict(record), "n")
        n_after = fmt.statistic({"n": record.get("n_after")}, "n")
        words = fmt.translations.gettext(CHANGE)
        return words % {"before": before, "after": after, "n_before": n_before, "n_after": n_after}
    if kind == "latest":
        return str(record.get("date") or "–")
    if record.get("count") is not None and kind == "count":
        own_base = "base" not in analysis and "{" not in str(analysis.get("category", "-"))
        if own_base and record.get("count") == record.get("n"):
            return fmt.statistic(dict(record), "count")
        return fmt.cell(dict(record), "count_pct")
    if record.get("mean") is not None:
        return fmt.cell(dict(record), "mean_n")
    return fmt.cell(dict(record), "n")


def answer_paragraphs(
    study: Study,
    answers: Mapping[str, Mapping],
    names: list[str],
    fmt: Formatter,
    tables: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """One paragraph per named answer (see the module's docstring)."""
    paragraphs = []
    for name in names:
        if name not in answers:
            raise ReportSpecError(
                f"the summary asks for the answer of {name!r}, which the research question "
                "does not declare (research_questions.<name>.answer)"
            )
        answer = answers[name]
        verdict = answer["verdict"]
        key = f"answer_{name}_{verdict}"
        if key not in study.texts["texts"]:
            raise ReportSpecError(
                f"the answer of {name!r} is {verdict!r}, and the texts file has no {key!r}: "
                "write the words for the verdict the data give"
            )
        listed = {*answer["records"]}
        descriptive = verdict == DESCRIPTIVE
        paragraphs.append(
            {
                "name": name,
                "question": study.text(answer["question"], fmt.lang),
                "verdict": verdict,
                # a described answer's wording; a tested one is worded by answers.html.j2
                "verdict_text": fmt.translations.pgettext("answer", verdict) if descriptive else "",
                "measure": "" if descriptive else study.text(f"measure_{name}", fmt.lang),
                "text": study.paragraph(key, fmt, allowed=listed, tables=tables),
                "records": sorted(listed),
            }
        )
    return paragraphs


def conclusion_rows(
    study: Study,
    checked: list[Mapping],
    transcribed: list[Mapping],
    kind: str,
    fmt: Formatter,
) -> list[dict[str, Any]]:
    """The original's conclusions (or recommendations) in our words, each with what the
    original said, what these data give and the figures behind it."""
    words = {row["id"]: row for row in transcribed}
    missing = sorted({row["id"] for row in transcribed} - {row["id"] for row in checked})
    if missing:
        raise ReportSpecError(f"conclusions not checked (conclusions.json): {missing}")
    translate = fmt.translations.pgettext
    rows = []
    for row in checked:
        if row["kind"] != kind:
            continue
        verdict = translate("checked", row["verdict"])
        if row.get("reason"):
            verdict = f"{verdict} ({translate('checked_reason', row['reason'])})"
        figures = []
        for record_id in row["records"]:
            record = study.by_id.get(record_id)
            if record is None:
                raise ReportSpecError(f"conclusion {row['id']!r}: no record {record_id!r}")
            analysis = study.analyses.get(record.get("analysis", ""), {})
            figures.append({"id": record_id, "figure": figure(record, fmt, analysis)})
        source = CONVERSION_LINE.sub("", row["source"])
        rows.append(
            {
                "id": row["id"],
                "text": words[row["id"]][f"text_{fmt.lang}"],
                "source": translate("source", "pipeline") if source == "pipeline" else source,
                "by_pipeline": source == "pipeline",
                "original": translate("original", row["original"]),
                "verdict": verdict,
                "figures": figures,
            }
        )
    return rows
