"""pandera models of the raw exports, one module per source.

Each model describes the export after its text cells are parsed (`ekc.validation`); the
`error=` texts are what a data manager reads in the failure report.
"""

from ekc.schemas.frek import FrekChildren, FrekFamilies, Fufrek
from ekc.schemas.register import Register

MODELS = {
    "register": Register,
    "frek_families": FrekFamilies,
    "frek_children": FrekChildren,
    "fufrek": Fufrek,
}
