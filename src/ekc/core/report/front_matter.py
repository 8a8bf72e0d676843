"""What every study's report says about itself: synthetic data, the original study, the
pipeline's citation (config `report:` block: `synthetic_data`, `original_study`,
`pipeline_citation`).

`front_matter` returns the fields; the shared partial `front_matter.html.j2` words them for
the cover, the running footer, the summary and the provenance appendix in each language.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ekc
from ekc.core.provenance import git_state

ORIGINAL_FIELDS = ("authors", "title", "year", "publisher", "url")
UNKNOWN_COMMIT = "unknown (not a git checkout)"


def full_commit(root: str | Path = ".") -> str:
    """The full commit hash of the code the report was built from, '-dirty' when the tree
    differs from it, as the provenance manifest records it (a short hash can become
    ambiguous; a citation must not)."""
    state = git_state(root)
    if state["commit"] is None:
        return UNKNOWN_COMMIT
    return f"{state['commit']}-dirty" if state["dirty"] else str(state["commit"])


def front_matter(report: Mapping[str, Any], root: str | Path = ".") -> dict[str, Any]:
    """The fields of the front matter from a config's `report:` block."""
    original = dict(report.get("original_study") or {})
    unknown = sorted(set(original) - set(ORIGINAL_FIELDS))
    if unknown:
        raise ValueError(f"report.original_study: unknown fields {unknown}")
    citation = dict(report.get("pipeline_citation") or {})
    return {
        "synthetic_data": bool(report.get("synthetic_data", False)),
        "original_study": {field: str(original.get(field) or "") for field in ORIGINAL_FIELDS},
        "pipeline": {
            "name": "ekc-pipeline",
            "version": ekc.__version__,
            "commit": full_commit(root),
            "repository": str(citation.get("repository") or ""),
            "doi": str(citation.get("doi") or ""),
        },
    }
