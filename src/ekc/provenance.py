"""What a peer reviewer needs to trace a figure: checksums, code version, package versions."""

from __future__ import annotations

import hashlib
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

MAIN_PACKAGES = [
    "snakemake",
    "pandas",
    "pandera",
    "scipy",
    "statsmodels",
    "jinja2",
    "weasyprint",
    "babel",
    "matplotlib",
    "pyreadstat",
    "openpyxl",
]


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_version(root: str | Path = ".") -> str:
    """`git describe`, with '-dirty' when the tree has uncommitted changes."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"


def package_versions(names: list[str] = MAIN_PACKAGES) -> list[dict[str, str]]:
    result = []
    for name in names:
        try:
            result.append({"name": name, "version": version(name)})
        except PackageNotFoundError:
            result.append({"name": name, "version": "not installed"})
    return result
