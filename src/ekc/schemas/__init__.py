"""pandera models of the raw exports, one module per source.

Each model describes the export after its text cells are parsed (`ekc.validation`); the
`error=` texts are what a data manager reads in the failure report. `MODELS` maps a
config source name to its model.
"""

from ekc.schemas import questionnaires, succint
from ekc.schemas.frek import FrekChildren, FrekFamilies, Fufrek
from ekc.schemas.interviews import (
    InterviewCases,
    InterviewChildren,
    Interviews,
    InterviewStatements,
)
from ekc.schemas.register import Register
from ekc.schemas.zap import ZapKort3mnd, ZapKort9mnd, ZapKortAanvang

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


def schema_for(source: str, options: dict):
    """The model of a source: its layout in the config when the study defines one there,
    otherwise the pandera model of that name above."""
    if "columns" in options:
        from ekc.study.schema import export_schema

        return export_schema(source, options)
    return MODELS[source]
