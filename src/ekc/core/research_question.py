"""The seam every study's analyses go through: one research question, one rule.

A config's `research_questions:` entry either lists engine `analyses:` (run by
`ekc.engine.tabulate`) or names a hand-written `module:` with its `inputs:`. Either way the
module's `analyse(tables, study=, alpha=, **options)` returns `(tables, records)`: named
tables for `<output>/tables/<question>/<name>.csv` and the results records for
`<output>/stats/<question>.json`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ekc.core.stats.subject import about

ENGINE = "ekc.engine.tabulate"
# The one table an engine research question writes: its records, one row each.
ENGINE_TABLES = ("results",)


class ResearchQuestionError(RuntimeError):
    """A research question whose module does not keep the seam's contract."""


def module_name(entry: Mapping) -> str:
    return entry.get("module", ENGINE)


def source_file(module: str, src: Path = Path("src")) -> Path:
    """The file of a dotted module name: a package's __init__.py or a module's .py file."""
    path = src.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def module_file(entry: Mapping, src: Path = Path("src")) -> Path:
    """The source file of an entry's module (a rule declares it, so an edit reruns the rule)."""
    return source_file(module_name(entry), src)


def table_names(entry: Mapping) -> list[str]:
    return list(ENGINE_TABLES) if "analyses" in entry else list(entry.get("tables", []))


def input_paths(entry: Mapping, config: Mapping, private_dir: str, sources: list[str]) -> dict:
    """Files a research question reads. Engine questions read every prepared export; a
    module's `inputs` are row-level tables under the private folder, or `{config: key}` for
    a file the config names (an external reference, say)."""
    if "analyses" in entry:
        return {"sources": [f"{private_dir}/prepared/{source}.parquet" for source in sources]}
    return {
        name: config[where["config"]] if isinstance(where, Mapping) else f"{private_dir}/{where}"
        for name, where in entry["inputs"].items()
    }


def options(entry: Mapping, config: Mapping) -> dict:
    """Keyword options of the module: the engine gets the analyses, the compared groups, the
    export layouts (answer scales of checklist items) and the study's declared tests."""
    if "analyses" in entry:
        return {
            "analyses": list(entry["analyses"]),
            "groups": list(config["groups"]),
            "layouts": {
                name: dict(layout)
                for name, layout in config["sources"].items()
                if "columns" in layout
            },
            "tests": config["analysis"].get("tests", False),
        }
    return dict(entry.get("options", {}))


def read_table(path: str | Path) -> pd.DataFrame:
    """A prepared table (parquet) or a published reference (CSV, read as text)."""
    path = Path(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")


def read_inputs(paths: Mapping[str, str | list[str]]) -> dict[str, pd.DataFrame]:
    """Named inputs; a list (the engine's prepared exports) is named by file stem."""
    tables: dict[str, pd.DataFrame] = {}
    for name, path in paths.items():
        if isinstance(path, (list, tuple)):
            tables.update({Path(p).stem: read_table(p) for p in path})
        else:
            tables[name] = read_table(path)
    return tables


def run(
    entry: Mapping,
    tables: dict[str, pd.DataFrame],
    *,
    study: str,
    alpha: float,
    config: Mapping,
    name: str | None = None,
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Run one research question and check that it returns the tables its entry declares."""
    module = importlib.import_module(module_name(entry))
    with about(f"{study} research question {name}" if name else module.__name__):
        produced, records = module.analyse(
            tables, study=study, alpha=alpha, **options(entry, config)
        )
    declared = table_names(entry)
    if sorted(produced) != sorted(declared):
        raise ResearchQuestionError(
            f"{module.__name__} returned tables {sorted(produced)}, but its config entry "
            f"declares {sorted(declared)}: list the module's tables under `tables:`"
        )
    return produced, records
