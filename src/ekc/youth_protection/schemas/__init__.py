"""pandera models of the raw exports, one module per source.

Each model describes the export after its text cells are parsed (`ekc.core.validation`); the
`error=` texts are what a data manager reads in the failure report. `MODELS` maps a
config source name to its model; `value_labels` gives a model's codebook, `IDENTIFIERS`
the study's identifying columns and `export_lineage` the unit, form and date of each kept row
(the validation job reads all four, `models:` in the config).
"""

from ekc.youth_protection.lineage import export_lineage
from ekc.youth_protection.schemas import questionnaires, succint
from ekc.youth_protection.schemas.fields import IDENTIFIERS
from ekc.youth_protection.schemas.frek import FrekChildren, FrekFamilies, Fufrek
from ekc.youth_protection.schemas.interviews import (
    InterviewCases,
    InterviewChildren,
    Interviews,
    InterviewStatements,
)
from ekc.youth_protection.schemas.register import Register
from ekc.youth_protection.schemas.zap import ZapKort3mnd, ZapKort9mnd, ZapKortAanvang

__all__ = ["IDENTIFIERS", "MODELS", "export_lineage", "validate", "value_labels"]

MODELS = {
    "register": Register,
    "frek_families": FrekFamilies,
    "frek_children": FrekChildren,
    "fufrek": Fufrek,
    "zap_kort_aanvang": ZapKortAanvang,
    "zap_kort_3mnd": ZapKort3mnd,
    "zap_kort_9mnd": ZapKort9mnd,
    **questionnaires.MODELS,
    **succint.MODELS,
    "interview_cases": InterviewCases,
    "interview_children": InterviewChildren,
    "interviews": Interviews,
    "interview_statements": InterviewStatements,
}


def validate(export, model, *, source: str, identifiers=IDENTIFIERS, **options):
    """`ekc.core.validation.validate_export` with this study's codebook and identifiers (the
    id rule is the config's: `IDENTIFIERS.with_id_rule(...)`)."""
    from ekc.core.validation import validate_export

    return validate_export(
        export,
        model,
        source=source,
        codebook=value_labels(model),
        identifiers=identifiers,
        **options,
    )


def value_labels(model) -> dict[str, dict]:
    """The value labels a model's coded columns must carry in the export (may be empty)."""
    from ekc.youth_protection.schemas.codebook import VALUE_LABELS

    return VALUE_LABELS.get(model, {})
