"""Which of the package's modules a job script runs, so that a rule can declare them as inputs.

Snakemake reruns a job when its script changes but not when a module the script imports does.
Listing those modules by hand goes stale; this follows the script's imports instead, through
every package module it reaches (imports inside functions included, since they run too).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path


def _module_file(name: str, src: Path) -> Path | None:
    path = src.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_FROM = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]*)", re.M)
# comments inside a parenthesised import list would be read as names
_COMMENT = re.compile(r"#[^\n]*")


@cache  # a workflow asks for many scripts that share most modules
def _imported_names(path: Path, package: str) -> frozenset[str]:
    """Modules named by import statements at any indentation (a regular expression, not the
    ast: parsing every module made each Snakemake start a quarter of a second slower)."""
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for module, imported in _FROM.findall(text):
        names.add(module)
        # `from ekc.youth_protection.analysis import conference` imports a module, not a name
        for alias in imported.strip("()").split(","):
            if alias.split():
                names.add(f"{module}.{alias.split()[0]}")
    for imported in _IMPORT.findall(text):
        names.update(alias.split()[0] for alias in imported.split(",") if alias.split())
    return frozenset(n for n in names if n == package or n.startswith(package + "."))


def imported_modules(script: Path, src: Path = Path("src"), package: str = "ekc") -> list[str]:
    """The package's module files `script` imports, directly or through other package modules,
    with the `__init__.py` of every package on the way; sorted, as paths relative to `src`'s
    parent (the workflow's working directory)."""
    found: set[Path] = set()
    todo = [Path(script)]
    while todo:
        for name in _imported_names(todo.pop().resolve(), package):
            parts = name.split(".")
            for depth in range(1, len(parts) + 1):
                module = _module_file(".".join(parts[:depth]), src)
                if module is not None and module not in found:
                    found.add(module)
                    todo.append(module)
    return sorted(str(path) for path in found)
