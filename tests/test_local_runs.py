"""Local runs: readable output, and nothing paid for SLURM: the executor plugin is installed
apart (run.py) and Snakemake never imports it unless a command submits to SLURM.

On a machine with a SLURM client and no reachable controller, each of the plugin's import
probes (sacct, squeue, scontrol) waits for a time-out; here fake tools that sleep stand in
for them and note every call.
"""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import pytest

from .conftest import ROOT, copy_build, run_snakemake, with_slurm_plugin

pytestmark = pytest.mark.workflow

TOOLS = ["sacct", "squeue", "scontrol", "sinfo", "sacctmgr", "sshare", "sbatch", "srun"]
SLOW_S = 120  # what one fake call costs: a local run that made any would take this long


def slow_slurm_client(folder, seconds: int) -> tuple[dict, object]:
    """An environment whose SLURM tools sleep `seconds` and note their calls in a file."""
    folder.mkdir()
    calls = folder / "calls.txt"
    for tool in TOOLS:
        fake = folder / tool
        fake.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\nsleep {seconds}\nexit 1\n')
        fake.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}, calls


def test_a_local_noop_run_calls_no_slurm_tool(built_workflow, tmp_path, summary_line):
    workdir = copy_build(built_workflow, tmp_path / "w")
    env, calls = slow_slurm_client(tmp_path / "bin", SLOW_S)
    start = time.monotonic()
    result = run_snakemake(workdir, env=env)
    wall = time.monotonic() - start
    assert "Nothing to be done" in result.stdout + result.stderr
    assert not calls.exists(), calls.read_text()
    assert wall < SLOW_S
    summary_line(f"no-op local run with a slow fake SLURM client on PATH: {wall:.1f} s")


def test_with_the_plugin_importable_the_same_run_calls_them(built_workflow, tmp_path):
    """The check above can fail: where the plugin is importable, Snakemake's start probes
    the SLURM tools."""
    workdir = copy_build(built_workflow, tmp_path / "w")
    env, calls = slow_slurm_client(tmp_path / "bin", 1)
    run_snakemake(workdir, "-n", env=with_slurm_plugin(env))
    assert calls.exists()
    assert {line.split()[0] for line in calls.read_text().splitlines()} & {"sacct", "scontrol"}


def test_the_report_command_prints_progress_and_names_the_full_log(built_workflow, tmp_path):
    """`python3 run.py report` adds the rich logger: a short summary without a terminal (a
    progress bar per rule with one), and the last lines name the file with the full log."""
    spec = importlib.util.spec_from_file_location("ekc_run", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    args = run.readable(["--forcerun", "fidelity"])
    assert args[-2:] == ["--logger", "rich"]
    assert run.readable(["--quiet", "rules"]) == ["--quiet", "rules"]

    result = run_snakemake(copy_build(built_workflow, tmp_path / "w"), *args)
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) < 80
    assert max(map(len, lines)) < 300
    named = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Complete Log")]
    assert named, lines[-5:]
    full_log = Path(named[0]).read_text()
    assert "rule fidelity:" in full_log and "Finished jobid" in full_log
