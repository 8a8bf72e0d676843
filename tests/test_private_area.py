"""The workflow keeps row-level data private: owner-only files, a private area the reports and
the crate never read, and checks at start-up that refuse an unsafe key or a path that leads
out of the project (before any job runs)."""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import pytest

from .conftest import copy_build, run_snakemake

pytestmark = pytest.mark.workflow
# Rules whose outputs others see: they never read a file in the private area. (The manifest
# job hashes private files for the data manager's `verify`; the crate takes only its
# checksums, never the files.)
PUBLIC_RULES = {"report_pdf", "fidelity", "ro_crate"}


def test_every_file_of_a_build_is_its_owners_only(built_workflow):
    assert stat.S_IMODE((built_workflow / "private").stat().st_mode) == 0o700
    checked = 0
    for folder in ("results", "private", "logs"):
        for path in [built_workflow / folder, *(built_workflow / folder).rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, f"{path.relative_to(built_workflow)}: {oct(mode)}"
            checked += 1
    assert checked > 200


def test_reports_and_the_crate_never_read_the_private_area(built_workflow, tmp_path):
    workdir = copy_build(built_workflow, tmp_path / "w")
    plan = run_snakemake(workdir, "--dry-run", "--forceall").stdout
    jobs = re.findall(r"^\s*rule (\w+):\n((?:\s{4}.*\n)+)", plan, re.MULTILINE)
    seen = set()
    for rule, body in jobs:
        if rule not in PUBLIC_RULES:
            continue
        seen.add(rule)
        inputs = re.search(r"^\s+input: (.*)$", body, re.MULTILINE).group(1).split(", ")
        private = [path for path in inputs if path.startswith("private/")]
        assert private == [], f"{rule} reads {private[:3]}"
    assert seen == PUBLIC_RULES


def refusal(workdir: Path) -> str:
    result = run_snakemake(workdir, "--dry-run", check=False)
    assert result.returncode != 0
    return result.stdout + result.stderr


def test_a_key_file_in_the_repository_stops_the_build_before_any_job(built_workflow, tmp_path):
    workdir = copy_build(built_workflow, tmp_path / "w")
    key = workdir / "config/pseudonym.key"
    key.write_text("a-real-secret\n")
    key.chmod(0o600)
    config = workdir / "config/config.yaml"
    config.write_text(
        config.read_text().replace("~/.config/ekc/pseudonym.key", "config/pseudonym.key")
    )
    output = refusal(workdir)
    assert "UnsafePseudonymKey" in output and "config/pseudonym.key lies inside" in output


def test_the_demo_key_on_a_real_export_stops_the_build(built_workflow, tmp_path):
    workdir = copy_build(built_workflow, tmp_path / "w")
    (workdir / "resources/raw/pul.csv").write_bytes(
        (workdir / "resources/raw/pul.csv").read_bytes() + b"\n"
    )
    output = refusal(workdir)
    assert "resources/raw/pul.csv is not one of the embedded demo exports" in output
    assert "export EKC_PSEUDONYM_KEY=" in output


def test_a_path_out_of_the_project_stops_the_build(built_workflow, tmp_path):
    workdir = copy_build(built_workflow, tmp_path / "w")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy2(
        workdir / "resources/external/regular_ekc_population.csv", outside / "reference.csv"
    )
    config = workdir / "config/config.yaml"
    config.write_text(
        config.read_text().replace(
            "resources/external/regular_ekc_population.csv", "../outside/reference.csv"
        )
    )
    output = refusal(workdir)
    assert "external_reference: ../outside/reference.csv" in output and "data_dirs" in output
