"""Interrupted runs: Ctrl-C (SIGINT) and a scheduler's SIGTERM to the whole process group.

After each interruption every results file that differs from a clean build must be one that
Snakemake knows is incomplete, so no half-written file is ever taken as done; the resumed
run must then give the clean build's results byte for byte.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from .conftest import SNAKEMAKE, WORKFLOW_FILES

pytestmark = pytest.mark.workflow
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1199145600"}  # as conftest.run_snakemake
TIMEOUT = 600
# Validation, cleaning, linkage and the row accounting (which writes the QC summaries): most
# of the DAG's width, without the slow PDFs.
TARGET = "results/qc/row_accounting.csv"
PARTS = (
    "results/qc/",
    "private/quarantine/",
    "private/qc/",
    "private/linkage/",
    "private/clean/",
    "private/analysis/",
    "results/linkage/",
    "results/stats/participant_flow.json",
)


def copy_built(built: Path, target: Path) -> Path:
    """The workflow exactly as the clean build had it (the repository may have moved on)."""
    for name in WORKFLOW_FILES:
        if (built / name).is_dir():
            shutil.copytree(built / name, target / name)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(built / name, target / name)
    return target


def start(workdir: Path, log: str, *args: str) -> subprocess.Popen:
    """Snakemake in its own process group, as a terminal or a scheduler runs it."""
    with open(workdir / log, "w") as out:
        return subprocess.Popen(
            [SNAKEMAKE, "--cores", "2", *args],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=ENV,
            start_new_session=True,
        )


def interrupt_when(proc: subprocess.Popen, workdir: Path, pattern: str, sig: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not any(p.is_file() for p in workdir.glob(pattern)):
        assert proc.poll() is None, f"the run ended before {pattern} appeared"
        assert time.monotonic() < deadline, f"{pattern} did not appear"
        time.sleep(0.05)
    os.killpg(proc.pid, sig)
    assert proc.wait(timeout=TIMEOUT) != 0  # stopped, not finished


def results(workdir: Path) -> dict[str, bytes]:
    """Every file the workflow wrote: results others see and the private row-level data."""
    return {
        str(p.relative_to(workdir)): p.read_bytes()
        for folder in ("results", "private")
        for p in sorted((workdir / folder).rglob("*"))
        if p.is_file()
    }


def incomplete(workdir: Path) -> set[str]:
    """Files Snakemake refuses to take as done (without the profile's --rerun-incomplete)."""
    dry = subprocess.run(
        [SNAKEMAKE, "--cores", "1", "-n", "--workflow-profile", "none", TARGET],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=ENV,
    )
    output = dry.stdout + dry.stderr
    if "IncompleteFilesException" not in output:
        return set()
    listed = output.split("Incomplete files:", 1)[1].strip().splitlines()
    return {line.strip() for line in listed if line.strip().startswith(("results/", "private/"))}


def assert_nothing_half_done_counts(workdir: Path, clean: dict[str, bytes]) -> set[str]:
    left = results(workdir)
    differ = {path for path, data in left.items() if clean.get(path) != data}
    marked = incomplete(workdir)
    # Validated exports are temporary (deleted once cleaned), so a clean build lacks them;
    # a finished one must at least be a whole parquet file.
    unmarked = differ - marked
    for path in unmarked:
        assert path.startswith("private/validated/"), f"{path} differs but counts as done"
        pd.read_parquet(workdir / path)
    return marked


def test_interrupted_runs_resume_to_the_clean_build(built_workflow, tmp_path):
    clean = {p: data for p, data in results(built_workflow).items() if p.startswith(PARTS)}
    workdir = copy_built(built_workflow, tmp_path / "interrupted")

    first = start(workdir, "run1.log", TARGET)
    interrupt_when(first, workdir, "private/*/*", signal.SIGINT)
    assert_nothing_half_done_counts(workdir, clean)

    second = start(workdir, "run2.log", "--rerun-incomplete", TARGET)
    interrupt_when(second, workdir, "private/clean/*", signal.SIGTERM)
    assert_nothing_half_done_counts(workdir, clean)

    third = start(workdir, "run3.log", "--rerun-incomplete", TARGET)
    assert third.wait(timeout=TIMEOUT) == 0, (workdir / "run3.log").read_text()[-3000:]
    resumed = results(workdir)
    assert sorted(resumed) == sorted(clean)
    kinds = {Path(p).suffix for p in resumed}
    assert {".csv", ".json", ".parquet"} <= kinds
    assert [p for p in clean if resumed[p] != clean[p]] == []
    assert incomplete(workdir) == set()
