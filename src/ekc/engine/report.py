"""The summary report of a config-defined study, in any of its languages.

The config's `report_sections` say what the report holds; the study's texts file holds the
words (one entry per language); the results records hold every number. A table names the
analysis whose records it shows, the id part that gives its rows and the parts that give
its columns:

    - caption: care_child_caption
      analysis: care_child
      rows: category
      columns: [group, moment]
      cell: count          # count, pct, count_pct, mean, mean_n, median_range or n
      compare: true        # a column with the p of the group comparison per moment
      answer: meaning      # checklist items: each row shows the answer of its own scale
                           # that carries the item's meaning (ekc.engine.scales)
      decimals: {income: 0}  # decimals of a row's means (default one)

A percentage is never printed without its base: `count_pct` reads "4/9 (44%)", `pct`
"44% (n = 9)". A table over checklist items that asks for an answer an item's scale does
not have (`where: {category: [agree]}` over an item answered occurred / not occurred) is a
spec error, so the build fails instead of printing zeros. Tables are numbered in order.
`compare: true` needs tests declared by the study (`analysis.tests`); the p printed is then
the one adjusted within the research question's family, and the table carries a caveat on
the family and the size of the smaller group.

Texts may name facts ({n_parents}) that the config's `facts` define by results id and
statistic, or by the id of a figure the original printed (`published:`); they are formatted
for the language here, never written in a text. A text refers to a table by its caption key,
{table:weeks_caption}, and prints its number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel.support import NullTranslations

from ekc.core.report import numbers
from ekc.core.report.render import is_not_estimable, not_testable
from ekc.core.stats.inference import ALPHA

ID_PARTS = ("table", "variable", "category", "group", "moment")
# How a table's p column names the adjustment of its tests (a method's proper name).
ADJUSTMENT_NAMES = {"holm": "Holm"}


class ReportSpecError(ValueError):
    """The config or the texts file asks for something the results do not hold."""


def load_texts(paths: list[Path], languages: list[str]) -> dict[str, Any]:
    """The study's texts files merged (texts, labels, order), checked: every entry has
    every language."""
    texts: dict[str, Any] = {"texts": {}, "labels": {}, "order": []}
    for path in paths:
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section in ("texts", "labels"):
            for key, entry in (part.get(section) or {}).items():
                missing = [lang for lang in languages if not (entry or {}).get(lang)]
                if missing:
                    raise ReportSpecError(f"{path}: {section}.{key} lacks {', '.join(missing)}")
                texts[section][key] = entry
        texts["order"] += part.get("order") or []
    return texts


@dataclass
class Formatter:
    lang: str
    p_style: str = "apa"
    alpha: float = ALPHA  # the study's `analysis: alpha`: a printed p agrees with the verdict
    # the report's catalog (the reasons a test could not be computed are translated there)
    translations: NullTranslations = field(default_factory=NullTranslations)

    def statistic(self, record: dict, statistic: str, decimals: int | None = None) -> str:
        value = record.get(statistic)
        if value is None or value != value:  # missing or NaN
            return "–"
        if statistic in {"count", "n", "n_after", "family_size", "n_smaller_group"}:
            return numbers.integer(int(value), self.lang)
        if statistic == "pct":
            if decimals is None:
                return numbers.percent(value, self.lang)
            return numbers.number(value, self.lang, decimals)
        if statistic == "p":
            return numbers.p_cell(value, self.lang, self.p_style, self.alpha)
        return numbers.number(value, self.lang, 1 if decimals is None else decimals)

    def cell(self, record: dict | None, kind: str, decimals: int | None = None) -> str:
        """One table cell; `decimals` for its means (default one)."""
        if record is None:
            return "–"
        if kind in {"n", "mean_n"} and record.get("suppressed_n"):
            return "–"
        if kind == "count_pct":
            count, n = self.statistic(record, "count"), self.statistic(record, "n")
            return f"{count}/{n} ({self.statistic(record, 'pct')})"
        if kind == "pct":
            return f"{self.statistic(record, 'pct')} (n = {self.statistic(record, 'n')})"
        if kind == "mean_n":
            mean = self.statistic(record, "mean", decimals)
            return f"{mean} (n = {self.statistic(record, 'n')})"
        if kind == "median_range":
            low = self.statistic(record, "min", decimals)
            high = self.statistic(record, "max", decimals)
            median = self.statistic(record, "median", decimals)
            return f"{median} ({low}–{high}; n = {self.statistic(record, 'n')})"
        return self.statistic(record, kind, decimals)

    def p(self, record: dict | None) -> str:
        """The p of a test: adjusted within its family when the study adjusts; 'not
        testable: <reason>' for a test that could not be computed."""
        if record is None:
            return "–"
        if is_not_estimable(record) or record.get("p") is None:
            return not_testable(record.get("reason"), self.translations)
        key = "p_adjusted" if record.get("p_adjusted") is not None else "p"
        return numbers.p_cell(record[key], self.lang, self.p_style, self.alpha)


@dataclass
class Study:
    """What the report needs from the config, the texts and the results."""

    study: str
    groups: list[str]
    records: list[dict]
    texts: dict[str, Any]
    facts: dict[str, dict] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    analyses: dict[str, dict] = field(default_factory=dict)
    # the study's declared tests (analysis.tests); None: descriptive, no p in any table
    tests: dict | None = None
    # figures the original printed, by published id (the fidelity table's `published`)
    published: dict[str, str] = field(default_factory=dict)
    # declared answers by question (answers.json), the original's conclusions checked
    # (conclusions.json) and as transcribed (the conclusions CSV's rows, with their words)
    answers: dict[str, dict] = field(default_factory=dict)
    conclusions: list[dict] = field(default_factory=list)
    transcribed: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {r["id"]: r for r in self.records}

    def text(self, key: str, lang: str) -> str:
        try:
            return self.texts["texts"][key][lang]
        except KeyError:
            raise ReportSpecError(f"the texts file has no entry {key!r} in {lang!r}") from None

    def label(self, token: str, lang: str) -> str:
        entry = (self.texts.get("labels") or {}).get(token)
        return entry[lang] if entry else token

    def fact(self, name: str, fmt: Formatter, allowed: set[str] | None = None) -> str:
        """A fact formatted; with `allowed`, only a figure of one of those records."""
        spec = self.facts.get(name)
        if spec is None:
            raise ReportSpecError(f"fact {name!r} is used in a text but not defined in `facts`")
        if allowed is not None and f"{self.study}:{spec.get('id')}" not in allowed:
            raise ReportSpecError(
                f"fact {name!r} is not a figure of the records this text may print "
                f"({', '.join(sorted(allowed))})"
            )
        if "published" in spec:
            return self._published(name, spec, fmt)
        record = self.by_id.get(f"{self.study}:{spec['id']}")
        if record is None:
            raise ReportSpecError(f"fact {name!r}: no results record {spec['id']!r}")
        if spec["statistic"] == "p":
            return fmt.p(record)
        text = fmt.statistic(record, spec["statistic"], spec.get("decimals"))
        if spec["statistic"] == "pct":  # never a percentage without its base
            text += f" ({fmt.statistic(record, 'count')}/{fmt.statistic(record, 'n')})"
        return text

    def _published(self, name: str, spec: dict, fmt: Formatter) -> str:
        """A figure as the original printed it, to set beside the one the data give."""
        published_id = f"{self.study}:{spec['published']}"
        value = self.published.get(published_id)
        if value is None:
            raise ReportSpecError(f"fact {name!r}: the original prints no figure {published_id!r}")
        try:
            number = float(value)
        except ValueError:
            raise ReportSpecError(f"fact {name!r}: {value!r} is not a number") from None
        statistic = published_id.rsplit(":", 1)[1]
        return fmt.statistic({statistic: number}, statistic, spec.get("decimals"))

    def as_of(self, record_id: str | None, fmt: Formatter) -> str:
        """The data's as-of date (the record of a `latest` analysis), for the language."""
        if not record_id:
            return ""
        record = self.by_id.get(record_id)
        if record is None or not record.get("date"):
            raise ReportSpecError(f"report.as_of: no dated record {record_id!r}")
        return numbers.date(dt.date.fromisoformat(record["date"]), fmt.lang)

    def paragraph(
        self,
        key: str,
        fmt: Formatter,
        allowed: set[str] | None = None,
        tables: dict[str, int] | None = None,
    ) -> str:
        """A text with its facts filled in (only from `allowed` records, when given) and its
        table references ({table:caption_key}) replaced by the tables' numbers."""
        template = _table_references(self.text(key, fmt.lang), tables or {}, key)
        names = _placeholders(template)
        return template.format(**{name: self.fact(name, fmt, allowed) for name in names})


TABLE_REFERENCE = re.compile(r"\{table:(\w+)\}")


def _table_references(template: str, tables: dict[str, int], key: str) -> str:
    def number(match: re.Match) -> str:
        if match.group(1) not in tables:
            raise ReportSpecError(
                f"text {key!r} refers to a table {match.group(1)!r} the report lacks"
            )
        return str(tables[match.group(1)])

    return TABLE_REFERENCE.sub(number, template)


def _placeholders(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _ordered(values: set[str], order: list[str]) -> list[str]:
    rank = {token: i for i, token in enumerate(order)}
    return sorted(values, key=lambda v: (rank.get(v, len(order)), v))


def _check_answers_on_scales(caption: str, selected: list[dict], row_part: str, where: dict):
    """A checklist table may only show answers its items' scales have."""
    asked = [str(c) for c in where.get("category", [])]
    others = {part: values for part, values in where.items() if part != "category"}
    for r in selected:
        answers = r.get("scale_answers")
        if answers is None or not all(r[p] in map(str, v) for p, v in others.items()):
            continue
        shown = asked or [r["category"]]
        off = [c for c in shown if c not in answers]
        if off:
            raise ReportSpecError(
                f"table {caption!r}: row {r[row_part]!r} would show the answer {off[0]!r}, "
                f"which its item's scale {r['scale']!r} ({', '.join(answers)}) does not have; "
                "show each item's own answer with `answer: meaning`"
            )


def build_table(
    study: Study, spec: dict, fmt: Formatter, order: list[str], number: int = 0
) -> dict[str, Any]:
    """Header, rows and cells of one table, formatted for the language."""
    where = spec.get("where") or {}
    wanted = spec["analysis"] if isinstance(spec["analysis"], list) else [spec["analysis"]]
    row_part, column_parts = spec["rows"], spec["columns"]
    selected = [r for r in study.records if r.get("analysis") in wanted]
    _check_answers_on_scales(spec["caption"], selected, row_part, where)
    records = [
        r for r in selected if all(r[part] in map(str, values) for part, values in where.items())
    ]
    if spec.get("answer") == "meaning":
        if not any("shown_answer" in r for r in records):
            raise ReportSpecError(
                f"table {spec['caption']!r}: `answer: meaning` needs the answers of checklist "
                "items (`items` in the export's layout)"
            )
        records = [
            r for r in records if r["kind"] == "test" or r.get("shown_answer") == r["category"]
        ]
    if not records:
        raise ReportSpecError(f"table {spec['caption']!r}: no records of {spec['analysis']!r}")
    values = [r for r in records if r["kind"] != "test"]
    tests = [r for r in records if r["kind"] == "test"]
    if spec.get("compare") and study.tests is None:
        raise ReportSpecError(
            f"table {spec['caption']!r}: `compare: true` asks for p-values, but the study "
            "declares no tests (analysis.tests)"
        )
    categories = study.analyses.get(wanted[0], {}).get("categories") or []
    row_order = [str(c) for c in spec.get("row_order") or categories] + order
    rows = _ordered({r[row_part] for r in values}, row_order)
    columns = sorted(
        {tuple(r[p] for p in column_parts) for r in values},
        key=lambda key: tuple((order.index(k) if k in order else len(order), k) for k in key),
    )
    cell = {(r[row_part], tuple(r[p] for p in column_parts)): r for r in values}
    shown = {r[row_part]: r["shown_answer"] for r in values if "shown_answer" in r}
    test_moments = _ordered({r["moment"] for r in tests}, order) if spec.get("compare") else []
    test_cell = {(r[row_part], r["moment"]): r for r in tests}
    header = [study.label(spec.get("row_header", row_part), fmt.lang)]
    header += [" · ".join(study.label(k, fmt.lang) for k in key) for key in columns]
    adjustment = next((r["adjustment"] for r in tests if r.get("adjustment")), None)
    p_head = f"p ({ADJUSTMENT_NAMES[adjustment]})" if adjustment else "p"
    header += [
        f"{p_head} · {study.label(m, fmt.lang)}" if m != "-" else p_head for m in test_moments
    ]
    decimals = spec.get("decimals") or {}
    body = []
    for row in rows:
        kind, places = spec.get("cell", "count"), decimals.get(row)
        cells = [fmt.cell(cell.get((row, key)), kind, places) for key in columns]
        cells += [fmt.p(test_cell.get((row, m))) for m in test_moments]
        label = study.label(row, fmt.lang)
        if spec.get("answer") == "meaning":
            label = f"{label}: {study.label(shown[row], fmt.lang)}"
        body.append({"label": label, "cells": cells})
    ids = sorted({":".join(r["id"].split(":")[:3]) for r in records})
    printed_tests = [r for r in tests if r["moment"] in test_moments]
    return {
        "number": number,
        "caption": study.text(spec["caption"], fmt.lang),
        "header": header,
        "rows": body,
        "analysis": ", ".join(wanted),
        "record_ids": ids,
        "note": study.paragraph(spec["note"], fmt) if spec.get("note") else "",
        # small cells hidden by disclosure control (ekc.core.disclosure): the table says so
        "suppressed": any(r.get("suppressed") or r.get("suppressed_n") for r in records),
        # the p-values' family and the smaller group they rest on (the table's caveat)
        "tests": _caveat(printed_tests, fmt) if printed_tests else None,
    }


def _caveat(tests: list[dict], fmt: Formatter) -> dict:
    # a test that could not be computed has no p and is in no family: the caveat is about
    # the p-values printed
    tested = [r for r in tests if r.get("p") is not None] or tests
    smallest = min((r.get("n_smaller_group") or r["n"]) for r in tested)
    adjusted = next((r for r in tested if r.get("family_size") is not None), tested[0])
    return {
        "adjustment": adjusted.get("adjustment"),
        "family_size": fmt.statistic(adjusted, "family_size"),
        "n_smaller_group": fmt.statistic({"n": smallest}, "n"),
    }


def build_sections(
    study: Study, sections: list[dict], fmt: Formatter, order: list[str]
) -> list[dict]:
    from ekc.engine.summary import answer_paragraphs, conclusion_rows  # it builds on Study

    # the conclusions first: their tables come before a section's own in the report
    conclusions = [
        conclusion_rows(study, study.conclusions, study.transcribed, section["conclusions"], fmt)
        if "conclusions" in section
        else []
        for section in sections
    ]
    # tables are numbered in the order they are shown (a section's conclusion tables, the
    # original's and the pipeline's, then its own); a text may refer to any of them
    table_numbers: dict[str, int] = {}
    shown = 0
    for section, rows in zip(sections, conclusions, strict=True):
        shown += len({row["by_pipeline"] for row in rows})
        for spec in section.get("tables", []):
            shown += 1
            table_numbers[spec["caption"]] = shown
    built = []
    numbered = 0
    for number, (section, rows) in enumerate(zip(sections, conclusions, strict=True), start=1):
        tables = []
        for spec in section.get("tables", []):
            numbered += 1
            tables.append(build_table(study, spec, fmt, order, numbered))
        rq = section.get("research_question")
        built.append(
            {
                "anchor": f"s{number}",
                "title": study.text(section["title"], fmt.lang),
                "paragraphs": [
                    study.paragraph(k, fmt, tables=table_numbers) for k in section.get("text", [])
                ],
                "tables": tables,
                "rule": study.rules.get(rq, "") if rq else "",
                "research_question": rq or "",
                # generated from the declared answers and the original's conclusions
                "answers": answer_paragraphs(
                    study, study.answers, section["answers"], fmt, table_numbers
                )
                if "answers" in section
                else [],
                "conclusions": rows,
                "conclusions_kind": section.get("conclusions", ""),
            }
        )
    return built
