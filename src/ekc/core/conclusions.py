"""The original study's conclusions and recommendations, checked one by one against the data.

They are transcribed as data (`resources/published/<study>/conclusions.csv`, our own words in
three languages, attributed to the section of the original report) with columns
`id, kind, source, text_nl, text_en, text_de, original, check, expect`:
- `kind`: conclusion | recommendation (a recommendation by the pipeline's authors has
  `source: pipeline`);
- `original`: what the original concluded: effect | no_effect | descriptive | recommend;
- `check`: the name of a declared answer (`ekc.core.answers`), or a record id, or empty when
  these data cannot test it;
- `expect`: evidence | no_evidence, what the row needs the check to show to be supported;
  empty with a check that names a figure (not a test): the row rests on that figure but no
  test can support it (a descriptive finding, a recommendation tied to a result).

`check_conclusions` gives each row a verdict `supported` | `not_supported` | `not_testable`,
with its reason and the records behind it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from ekc.core.answers import DESCRIPTIVE, EVIDENCE, NO_EVIDENCE
from ekc.core.stats.records import NOT_ESTIMABLE

COLUMNS = ("id", "kind", "source", "text_nl", "text_en", "text_de", "original", "check", "expect")
KINDS = ("conclusion", "recommendation")
ORIGINALS = ("effect", "no_effect", "descriptive", "recommend")
EXPECTS = (EVIDENCE, NO_EVIDENCE, "")
SUPPORTED, NOT_SUPPORTED, NOT_TESTABLE = "supported", "not_supported", "not_testable"
PIPELINE = "pipeline"
# Why a row could not be checked (the report translates these tokens).
NO_CHECK = "no_check"  # these data hold nothing that tests it
NOT_ESTIMABLE_CHECK = "check_not_estimable"  # its analysis could not be computed
NO_TEST = "descriptive"  # it rests on a figure (or a descriptive answer), not a test


class ConclusionsError(ValueError):
    """A conclusions file that breaks its layout, or names a check nothing computes."""


def read_conclusions(path: str | Path) -> list[dict[str, str]]:
    """The rows of a conclusions file, checked against the layout above; lines starting with
    '#' before the header are comments (the file's attribution)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        lines = list(handle)
        while lines and lines[0].startswith("#"):
            lines.pop(0)
        reader = csv.DictReader(lines)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ConclusionsError(f"{path}: the columns must be {', '.join(COLUMNS)}")
        rows = [dict(row) for row in reader]
    seen = set()
    for number, row in enumerate(rows, start=2):
        where = f"{path}, row {number}"
        if row["id"] in seen:
            raise ConclusionsError(f"{where}: id {row['id']!r} appears twice")
        seen.add(row["id"])
        if row["kind"] not in KINDS:
            raise ConclusionsError(f"{where}: kind must be one of {KINDS}")
        if row["original"] not in ORIGINALS:
            raise ConclusionsError(f"{where}: original must be one of {ORIGINALS}")
        if row["expect"] not in EXPECTS:
            raise ConclusionsError(f"{where}: expect must be evidence, no_evidence or empty")
        if row["expect"] and not row["check"]:
            raise ConclusionsError(f"{where}: an expect needs a check")
        if not all(row[f"text_{lang}"].strip() for lang in ("nl", "en", "de")):
            raise ConclusionsError(f"{where}: a text in every language (nl, en, de)")
    return rows


def _record_verdict(record: Mapping) -> str | None:
    """evidence / no_evidence of a test record; None when it is a figure, not a test."""
    verdict = record.get("verdict")
    if record.get("status") == NOT_ESTIMABLE or verdict == NOT_ESTIMABLE:
        return NOT_ESTIMABLE
    if verdict == "significant":
        return EVIDENCE
    if verdict == "not_significant":
        return NO_EVIDENCE
    return None


def check_conclusions(
    rows: Iterable[Mapping[str, str]],
    answers: Mapping[str, Mapping],
    records: Iterable[Mapping],
) -> list[dict]:
    """Each row with its verdict, the evidence found (`found`), the reason when not testable,
    and the record ids behind it. A check that names neither an answer nor a record is an
    error, never `not_testable`: a typo must not pass for a conclusion the data cannot test."""
    by_id = {r["id"]: r for r in records}
    checked = []
    for row in rows:
        check, expect = row["check"], row["expect"]
        found, reason, behind = None, None, []
        if not check:
            reason = NO_CHECK
        elif check in answers:
            found = answers[check]["verdict"]
            behind = [answers[check]["primary"]]  # the verdict rests on it alone
            if found == DESCRIPTIVE:
                found, reason = None, NO_TEST
        elif check in by_id:
            found = _record_verdict(by_id[check])
            behind = [check]
            if found is None:
                reason = NO_TEST
        else:
            raise ConclusionsError(
                f"conclusion {row['id']!r} checks {check!r}: no answer or record has that name"
            )
        if check and not expect and reason != NO_TEST:
            raise ConclusionsError(
                f"conclusion {row['id']!r} checks the test {check!r} without saying what it "
                "expects (expect: evidence or no_evidence)"
            )
        if found == NOT_ESTIMABLE:
            found, reason = None, NOT_ESTIMABLE_CHECK
        if reason:
            verdict = NOT_TESTABLE
        elif found == expect:
            verdict = SUPPORTED
        else:
            verdict = NOT_SUPPORTED
        checked.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "source": row["source"],
                "original": row["original"],
                "check": check,
                "expect": expect,
                "found": found,
                "verdict": verdict,
                "reason": reason,
                "records": behind,
            }
        )
    return checked
