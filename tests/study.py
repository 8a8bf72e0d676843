"""The youth-protection study in-process, from raw exports to the linked analysis tables,
the way the workflow's adapters call the package: validation with the config's id rule and
date orders, the cleaning steps, the lineage of every export row and the linkage. For tests
that need the fate of rows across exports without building the workflow."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ekc.core.ids import IdRule
from ekc.core.pseudonym import DEMO_KEY
from ekc.core.readers import read_export
from ekc.core.validation import ValidationResult
from ekc.youth_protection import link
from ekc.youth_protection.clean.instruments import (
    care_concerns,
    case_file_resources,
    interview_tables,
    life_events,
    parent_questionnaires,
    referrer_checklist,
    succint_scores,
)
from ekc.youth_protection.clean.questionnaires import load_norms
from ekc.youth_protection.clean.registration import children_table, families_table, fufrek_table
from ekc.youth_protection.lineage import lineage
from ekc.youth_protection.schemas import IDENTIFIERS, MODELS
from ekc.youth_protection.schemas import validate as validate_export

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
IDS = IDENTIFIERS.with_id_rule(IdRule.from_config(CONFIG["id_normalisation"]))
KEY = DEMO_KEY.encode()
READ_OPTIONS = ("sheet", "delimiter", "encoding")


def validate(source: str, path: Path | None = None) -> ValidationResult:
    options = CONFIG["sources"][source]
    path = path or ROOT / options["file"]
    export = read_export(path, **{k: options[k] for k in READ_OPTIONS if k in options})
    return validate_export(
        export,
        MODELS[source],
        source=source,
        decimal_comma=options.get("decimal_comma", False),
        date_order=options.get("date_order", "dmy"),
        identifiers=IDS,
    )


@dataclass
class Linked:
    results: dict[str, ValidationResult]
    tables: dict[str, pd.DataFrame]
    report: pd.DataFrame
    flow: pd.DataFrame
    accounts: dict[str, dict]


def run(results: dict[str, ValidationResult], *, include_unexpected: bool = False) -> Linked:
    """Clean and link validated exports (`results`: every source's validation)."""
    v = {source: result.valid for source, result in results.items()}
    families = families_table(v["register"], v["frek_families"], KEY)
    children = children_table(v["frek_children"], families, KEY)
    fufrek = fufrek_table(v["fufrek"], KEY)
    zap = [v["zap_kort_aanvang"], v["zap_kort_3mnd"], v["zap_kort_9mnd"]]
    norms = load_norms(ROOT / CONFIG["norms"])
    instruments = {
        "care_concerns": care_concerns(zap, KEY),
        "case_file_resources": case_file_resources(v["zap_kort_9mnd"], KEY),
        "questionnaires": parent_questionnaires(v["nosik_aanvang"], v["veo"], v["pul"], norms, KEY),
        "life_events": life_events(v["nosik_aanvang"], KEY),
        "cvc": referrer_checklist(v["cvc"], KEY),
        "succint": succint_scores(v["succint_aanmelder"], v["succint_gezinsinformant"], KEY),
    }
    interviews = interview_tables(
        v["interview_cases"],
        v["interview_children"],
        v["interviews"],
        v["interview_statements"],
        KEY,
    )
    tables, report, flow, accounts = link.analysis_dataset(
        families,
        children,
        fufrek,
        instruments,
        interviews["cases"],
        {"interview_scores": interviews["scores"], "interview_children": interviews["children"]},
        lineage(v, KEY),
        include_unexpected=include_unexpected,
    )
    return Linked(results, tables, report, flow, {a["source"]: a for a in accounts})


def embedded() -> dict[str, ValidationResult]:
    return {source: validate(source) for source in MODELS}
