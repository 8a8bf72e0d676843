"""The summary report of a config-defined study, in any of its languages.

The config's `report_sections` say what the report holds; the study's texts file holds the
words (one entry per language); the results records hold every number. A table names the
analysis whose records it shows, the id part that gives its rows and the parts that give
its columns:

    - caption: care_child_caption
      analysis: care_child
      rows: category
      columns: [group, moment]
      cell: count          # count, pct, count_pct, mean, mean_n or n
      compare: true        # a column with the p of the group comparison per moment

Texts may name facts ({n_parents}) that the config's `facts` define by results id and
statistic; they are formatted for the language here, never written in a text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ekc.core.report import numbers

ID_PARTS = ("table", "variable", "category", "group", "moment")


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

    def statistic(self, record: dict, statistic: str, decimals: int | None = None) -> str:
        value = record.get(statistic)
        if value is None or value != value:  # missing or NaN
            return "–"
        if statistic in {"count", "n"}:
            return numbers.integer(int(value), self.lang)
        if statistic == "pct":
            if decimals is None:
                return numbers.percent(value, self.lang)
            return numbers.number(value, self.lang, decimals)
        if statistic == "p":
            return numbers.p_cell(value, self.lang, self.p_style)
        return numbers.number(value, self.lang, 1 if decimals is None else decimals)

    def cell(self, record: dict | None, kind: str) -> str:
        if record is None:
            return "–"
        if kind in {"n", "mean_n"} and record.get("suppressed_n"):
            return "–"
        if kind == "count_pct":
            return f"{self.statistic(record, 'count')} ({self.statistic(record, 'pct')})"
        if kind == "mean_n":
            return f"{self.statistic(record, 'mean')} (n = {self.statistic(record, 'n')})"
        return self.statistic(record, kind)

    def p(self, record: dict | None) -> str:
        if record is None or record.get("p") is None:
            return "–"
        return numbers.p_cell(record["p"], self.lang, self.p_style)


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

    def fact(self, name: str, fmt: Formatter) -> str:
        spec = self.facts.get(name)
        if spec is None:
            raise ReportSpecError(f"fact {name!r} is used in a text but not defined in `facts`")
        record = self.by_id.get(f"{self.study}:{spec['id']}")
        if record is None:
            raise ReportSpecError(f"fact {name!r}: no results record {spec['id']!r}")
        if spec["statistic"] == "p":
            return fmt.p(record)
        return fmt.statistic(record, spec["statistic"], spec.get("decimals"))

    def paragraph(self, key: str, fmt: Formatter) -> str:
        template = self.text(key, fmt.lang)
        names = _placeholders(template)
        return template.format(**{name: self.fact(name, fmt) for name in names})


def _placeholders(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _ordered(values: set[str], order: list[str]) -> list[str]:
    rank = {token: i for i, token in enumerate(order)}
    return sorted(values, key=lambda v: (rank.get(v, len(order)), v))


def build_table(study: Study, spec: dict, fmt: Formatter, order: list[str]) -> dict[str, Any]:
    """Header, rows and cells of one table, formatted for the language."""
    where = spec.get("where") or {}
    wanted = spec["analysis"] if isinstance(spec["analysis"], list) else [spec["analysis"]]
    records = [
        r
        for r in study.records
        if r.get("analysis") in wanted
        and all(r[part] in map(str, values) for part, values in where.items())
    ]
    if not records:
        raise ReportSpecError(f"table {spec['caption']!r}: no records of {spec['analysis']!r}")
    values = [r for r in records if r["kind"] != "test"]
    tests = [r for r in records if r["kind"] == "test"]
    row_part, column_parts = spec["rows"], spec["columns"]
    categories = study.analyses.get(wanted[0], {}).get("categories") or []
    row_order = [str(c) for c in spec.get("row_order") or categories] + order
    rows = _ordered({r[row_part] for r in values}, row_order)
    columns = sorted(
        {tuple(r[p] for p in column_parts) for r in values},
        key=lambda key: tuple((order.index(k) if k in order else len(order), k) for k in key),
    )
    cell = {(r[row_part], tuple(r[p] for p in column_parts)): r for r in values}
    test_moments = _ordered({r["moment"] for r in tests}, order) if spec.get("compare") else []
    test_cell = {(r[row_part], r["moment"]): r for r in tests}
    header = [study.label(spec.get("row_header", row_part), fmt.lang)]
    header += [" · ".join(study.label(k, fmt.lang) for k in key) for key in columns]
    header += [f"p · {study.label(m, fmt.lang)}" if m != "-" else "p" for m in test_moments]
    body = []
    for row in rows:
        cells = [fmt.cell(cell.get((row, key)), spec.get("cell", "count")) for key in columns]
        cells += [fmt.p(test_cell.get((row, m))) for m in test_moments]
        body.append({"label": study.label(row, fmt.lang), "cells": cells})
    ids = sorted({":".join(r["id"].split(":")[:3]) for r in records})
    return {
        "caption": study.text(spec["caption"], fmt.lang),
        "header": header,
        "rows": body,
        "analysis": ", ".join(wanted),
        "record_ids": ids,
        "note": study.text(spec["note"], fmt.lang) if spec.get("note") else "",
        # small cells hidden by disclosure control (ekc.core.disclosure): the table says so
        "suppressed": any(r.get("suppressed") or r.get("suppressed_n") for r in records),
    }


def build_sections(
    study: Study, sections: list[dict], fmt: Formatter, order: list[str]
) -> list[dict]:
    built = []
    for number, section in enumerate(sections, start=1):
        tables = [build_table(study, t, fmt, order) for t in section.get("tables", [])]
        rq = section.get("research_question")
        built.append(
            {
                "anchor": f"s{number}",
                "title": study.text(section["title"], fmt.lang),
                "paragraphs": [study.paragraph(k, fmt) for k in section.get("text", [])],
                "tables": tables,
                "rule": study.rules.get(rq, "") if rq else "",
                "research_question": rq or "",
            }
        )
    return built
