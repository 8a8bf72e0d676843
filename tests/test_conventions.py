"""The Snakemake ecosystem's conventions: licence, citation, catalog metadata, a config
README, snakefmt-clean rule files and a conda environment rebuilt when the lock changes."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_licence_file_is_the_licence_pyproject_names():
    assert PYPROJECT["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_citation_file_names_the_pipeline_and_leaves_the_doi_to_the_authors():
    text = (ROOT / "CITATION.cff").read_text()
    citation = yaml.safe_load(text)
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "software"
    assert citation["license"] == "MIT"
    assert citation["version"] == PYPROJECT["version"]
    assert citation["authors"] and citation["title"].startswith("ekc-pipeline")
    assert re.search(r"^# doi: ", text, re.M)  # a DOI that does not exist yet is invalid


def test_the_catalog_metadata_declares_usage():
    catalog = yaml.safe_load((ROOT / ".snakemake-workflow-catalog.yml").read_text())
    usage = catalog["usage"]
    assert usage["software-stack-deployment"]["conda"] is True
    assert usage["report"] is True
    assert usage["mandatory-flags"]["desc"]


def schema_keys(schema: dict, prefix: str = "") -> set[str]:
    """Every key the config schema knows, dotted, down to the sources' options."""
    keys = set()
    for name, node in schema.get("properties", {}).items():
        keys.add(prefix + name)
        if node.get("type") == "object" and "properties" in node:
            keys |= schema_keys(node, f"{prefix}{name}.")
    return keys


def test_the_config_readme_explains_every_key_of_the_schema():
    """A row per key (an object: rows for its keys), or the key named in its parent's row
    (`link`: `source`, `key`, `columns`)."""
    schema = yaml.safe_load((ROOT / "schemas/config.schema.yaml").read_text())
    readme = (ROOT / "config/README.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z_.<>]+)`[^|]*\|(.*)$", readme, re.M))

    def documented(key: str) -> bool:
        parent, _, child = key.rpartition(".")
        if key in rows or any(row.startswith(key + ".") for row in rows):
            return True
        return parent in rows and f"`{child}`" in rows[parent]

    missing = sorted(key for key in schema_keys(schema) if not documented(key))
    assert not missing, f"config/README.md has no row for: {missing}"


def test_the_conda_environment_changes_when_the_lock_does():
    """Snakemake rebuilds a conda environment when its file changes, not when the lock the
    file installs does: the environment file carries the lock's hash."""
    lock = hashlib.sha256((ROOT / "requirements.lock").read_bytes()).hexdigest()
    env = (ROOT / "workflow/envs/ekc.yaml").read_text()
    recorded = re.search(r"^# requirements\.lock sha256: ([0-9a-f]{64})$", env, re.M)
    assert recorded, "workflow/envs/ekc.yaml records no hash of requirements.lock"
    assert recorded.group(1) == lock, (
        "requirements.lock changed: put its new hash in workflow/envs/ekc.yaml "
        f"(# requirements.lock sha256: {lock})"
    )


def test_rule_files_are_formatted_with_snakefmt():
    snakefmt = shutil.which("snakefmt", path=str(Path(sys.executable).parent))
    if snakefmt is None:
        pytest.fail("snakefmt is not installed: it is pinned in requirements.lock")
    files = ["Snakefile", *sorted(str(p) for p in (ROOT / "workflow").rglob("*.smk"))]
    done = subprocess.run(
        [snakefmt, "--check", "--diff", *files], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, f"run `snakefmt Snakefile workflow/`:\n{done.stdout[-3000:]}"
