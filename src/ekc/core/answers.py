"""Declared answers: each research question names the analysis that answers it.

A research question's config entry may carry an `answer:` block:

    answer:
      question: rq2            # key of the question's text in the catalogs / study texts
      primary: <record id>     # the test that answers it, valid for the design
      secondary: [<record id>, ...]   # further records its answer paragraph prints
      expected_direction: decrease | increase | difference | none
      change: {before: <field>, after: <field>}   # optional, see `change_of`

`answers(spec, records)` turns every block into a verdict from its primary record alone:
`evidence` (p below alpha, in the expected direction), `no_evidence` (p at or above alpha,
or significant against the expected direction) or `not_estimable` (the record could not be
computed, or has no p: never a verdict from a missing p). A question the design answers by
description (who was referred, how conferences went; a study without tests) declares
`expected_direction: none`: its verdict is `descriptive`, whatever its primary holds. The
numbers of an answer are copied from the records it lists, so a report printing them prints
results, not text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ekc.core.stats.inference import ALPHA
from ekc.core.stats.records import NOT_ESTIMABLE, clean_value

EVIDENCE, NO_EVIDENCE, DESCRIPTIVE = "evidence", "no_evidence", "descriptive"
VERDICTS = (EVIDENCE, NO_EVIDENCE, NOT_ESTIMABLE, DESCRIPTIVE)
DIRECTIONS = ("decrease", "increase", "difference", "none")
# Fields of the primary record an answer carries (the numbers its paragraph may print).
COPIED = (
    "test",
    "statistic",
    "df",
    "df2",
    "p",
    "p_holm",
    "alternative",
    "n",
    "n1",
    "n2",
    "n_subjects",
    "estimate",
    "ci_low",
    "ci_high",
    "status",
    "reason",
)
# The confidence level of every interval the stats routines return.
CI_LEVEL = 95


class AnswerError(ValueError):
    """An answer block that names a record no results file has, or is malformed."""


def declared(research_questions: Mapping[str, Mapping]) -> dict[str, dict]:
    """The answer blocks of a config's research questions, by question name."""
    return {
        name: dict(entry["answer"])
        for name, entry in research_questions.items()
        if isinstance(entry, Mapping) and "answer" in entry
    }


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def change_of(block: Mapping, primary: Mapping, by_id: Mapping[str, Mapping]) -> float | None:
    """The signed change the primary analysis estimates (positive: an increase).

    `change:` in the block says where it is: `{field: f}` (the field's value, e.g. a
    model coefficient), `{before: f, after: g}` (after − before within the primary record,
    e.g. the tested sample's means), or `{from: id, to: id, field: f}` (two records). Without
    it: the primary's `estimate`, else `mean_after − mean_before`; None when neither exists.
    """
    spec = block.get("change")
    if spec is None:
        if _number(primary.get("estimate")) is not None:
            return _number(primary["estimate"])
        spec = {"before": "mean_before", "after": "mean_after"}
    if "from" in spec:
        field = spec.get("field", "mean")
        start, end = (_number(_record(by_id, spec[k]).get(field)) for k in ("from", "to"))
    elif "before" in spec:
        start, end = _number(primary.get(spec["before"])), _number(primary.get(spec["after"]))
    else:
        value = _number(primary.get(spec["field"]))
        return None if value is None else value
    return None if start is None or end is None else end - start


def _record(by_id: Mapping[str, Mapping], record_id: str) -> Mapping:
    try:
        return by_id[record_id]
    except KeyError:
        raise AnswerError(f"the answer names {record_id!r}, which no results file has") from None


def _p(record: Mapping) -> float | None:
    if record.get("status") == NOT_ESTIMABLE or record.get("verdict") == NOT_ESTIMABLE:
        return None
    return _number(record.get("p"))


def _direction_matches(expected: str, change: float | None) -> bool | None:
    if expected in ("difference", "none") or change is None or change == 0:
        return None
    return (change < 0) == (expected == "decrease")


def answer(name: str, block: Mapping, by_id: Mapping[str, Mapping], alpha: float = ALPHA) -> dict:
    """One question's answer from its primary record (see the module's docstring)."""
    for key in ("question", "primary", "expected_direction"):
        if key not in block:
            raise AnswerError(f"the answer of {name!r} has no {key!r}")
    expected = block["expected_direction"]
    if expected not in DIRECTIONS:
        raise AnswerError(f"{name}: expected_direction must be one of {DIRECTIONS}")
    primary = _record(by_id, block["primary"])
    secondary = list(block.get("secondary", []))
    for record_id in secondary:
        _record(by_id, record_id)
    change = change_of(block, primary, by_id)
    p = _p(primary)
    matches = _direction_matches(expected, change)
    if expected == "none":
        verdict = DESCRIPTIVE
    elif p is None:
        verdict = NOT_ESTIMABLE
    elif p < alpha and matches is None and expected != "difference":
        # "evidence of a decrease" needs the direction: a declaration that cannot show it
        # must not be worded as either answer.
        raise AnswerError(
            f"{name}: the primary record is significant but the direction of the change "
            f"cannot be read from it; say where with `change:` in the answer block"
        )
    elif p < alpha and matches is not False:
        verdict = EVIDENCE
    else:
        verdict = NO_EVIDENCE
    spec = block.get("change") or {}
    change_records = [spec[k] for k in ("from", "to") if k in spec]
    result = {
        "name": name,
        "question": block["question"],
        "verdict": verdict,
        "significant": None if p is None or expected == "none" else p < alpha,
        "alpha": alpha,
        "expected_direction": expected,
        "change": clean_value(change),
        "direction_matches": matches,
        "primary": block["primary"],
        "secondary": secondary,
        "records": sorted({block["primary"], *secondary, *change_records}),
        **{field: clean_value(primary.get(field)) for field in COPIED},
    }
    if result["ci_low"] is not None and result["ci_high"] is not None:
        result["ci_level"] = CI_LEVEL
    return result


def answers(
    spec: Mapping[str, Mapping], records: Iterable[Mapping], alpha: float = ALPHA
) -> dict[str, dict]:
    """Every declared answer, by question name. `spec` is the config's `research_questions`
    (entries without an `answer:` block are left out) or a mapping of answer blocks."""
    blocks = {
        name: entry.get("answer", entry)
        for name, entry in spec.items()
        if "answer" in entry or "primary" in entry
    }
    by_id = {r["id"]: r for r in records}
    return {name: answer(name, block, by_id, alpha) for name, block in sorted(blocks.items())}


def write_json(data: Any, path: str | Path) -> None:
    """Deterministic JSON: sorted keys, fixed indentation, one trailing newline."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")
