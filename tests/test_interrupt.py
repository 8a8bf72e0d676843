"""Interrupted builds: Ctrl-C (SIGINT), a scheduler's SIGTERM to the process group or to
Snakemake alone, and SIGKILL, each at a different stage of a rebuild.

After each interruption the run ends within a bound (no hang: Snakemake 9.27.1 can deadlock
on its own SIGTERM handler, docs/snakemake-sigterm-deadlock.md), and a plain `snakemake`
plans a job for every output that is missing or differs from a clean build: nothing
half-done passes as done (before, the rerun said "Nothing to be done" while results were
missing), no `--unlock` is needed after SIGKILL. The rerun then ends in the clean build's
files, byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from .conftest import SNAKEMAKE, build_files
from .test_provenance_manifest import MANIFEST

pytestmark = pytest.mark.workflow
# As conftest.run_snakemake; unbuffered, so the log shows each job as it starts.
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1199145600", "PYTHONUNBUFFERED": "1"}
# Generous bounds for a loaded machine; a run that passes one is stopped, not waited on.
START_TIMEOUT = 900
STOP_TIMEOUT = 120
BUILD_TIMEOUT = 1500


def start(workdir: Path, log: str, *args: str) -> subprocess.Popen:
    """A build of the default target with the workstation profile, in its own process group,
    as a terminal or a scheduler runs it: with Ctrl-C's default action, also when the suite
    itself was started where SIGINT is ignored (a shell's background job), which a child
    would inherit."""
    with open(workdir / log, "w") as out:
        return subprocess.Popen(
            [SNAKEMAKE, "--cores", "2", *args],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=ENV,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )


def stop_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=STOP_TIMEOUT)


def wait_for(proc: subprocess.Popen, workdir: Path, log: str, pattern: str) -> None:
    """Until Snakemake's output shows `pattern` (a job started or finished)."""
    deadline = time.monotonic() + START_TIMEOUT
    found = re.compile(pattern, re.MULTILINE)
    while not found.search((workdir / log).read_text(errors="replace")):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_group(proc)
            tail = (workdir / log).read_text(errors="replace")[-3000:]
            pytest.fail(f"{pattern!r} never showed (exit {proc.returncode}):\n{tail}")
        time.sleep(0.05)


def interrupt(proc: subprocess.Popen, workdir: Path, log: str, sig: int, group: bool) -> None:
    """Send `sig` to the process group (terminal, scheduler) or to Snakemake alone (a
    supervisor that signals its child); the run must end within STOP_TIMEOUT."""
    if group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    try:
        code = proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop_group(proc)
        tail = (workdir / log).read_text(errors="replace")[-3000:]
        pytest.fail(f"Snakemake did not stop within {STOP_TIMEOUT} s of {sig!r}:\n{tail}")
    assert code != 0, "stopped, not finished"
    stop_group(proc)  # job processes a signal to Snakemake alone may have left behind


def planned_rules(workdir: Path) -> set[str]:
    dry = subprocess.run(
        [SNAKEMAKE, "--cores", "1", "--dry-run"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=START_TIMEOUT,
    )
    output = dry.stdout + dry.stderr
    assert dry.returncode == 0, output[-3000:]
    return set(re.findall(r"^\s*(?:local)?rule (\w+):\s*$", output, re.MULTILINE))


def assert_nothing_half_done_passes(workdir: Path, clean: dict[str, bytes], owner: dict) -> None:
    """Every output missing or different from the clean build is rebuilt by the next run."""
    left = build_files(workdir)
    wrong = {p for p in clean if left.get(p) != clean[p]}
    # A validated export is temporary (the clean build has none): rebuilt or removed later.
    wrong |= {p for p in left if p not in clean and not p.startswith("private/validated/")}
    planned = planned_rules(workdir)
    for path in sorted(wrong):
        rule = owner.get(path)
        assert rule is not None, f"{path} belongs to no job"
        assert rule in planned, f"{path} is missing or differs, but {rule} is not planned"


def rerun_to_the_end(workdir: Path, log: str, clean: dict[str, bytes]) -> None:
    proc = start(workdir, log)
    try:
        code = proc.wait(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop_group(proc)
        pytest.fail(f"the rerun did not finish in {BUILD_TIMEOUT} s")
    assert code == 0, (workdir / log).read_text(errors="replace")[-3000:]
    resumed = build_files(workdir)
    # A validated export is temporary: one whose cleaning was not needed any more (the run
    # stopped between the two, and the cleaning's outputs were whole) stays, as a whole file.
    for path in set(resumed) - set(clean):
        assert path.startswith("private/validated/"), f"{path} is not in the clean build"
        pd.read_parquet(workdir / path)
        del resumed[path]
    assert sorted(resumed) == sorted(clean)
    assert [p for p in clean if resumed[p] != clean[p]] == []
    assert planned_rules(workdir) == set()  # nothing left to do


def owners(clean_build: Path) -> dict[str, str]:
    """The rule behind every output and log, from the clean build's manifest (which leaves
    out the two provenance rules' own files)."""
    manifest = json.loads((clean_build / MANIFEST).read_text())
    owner = {
        MANIFEST: "provenance_manifest",
        "logs/provenance/manifest.log": "provenance_manifest",
        "results/provenance/ro-crate.zip": "ro_crate",
        "logs/provenance/ro_crate.log": "ro_crate",
    }
    for path, entry in manifest["outputs"].items():
        owner[path] = entry["rule"]
        for log in entry["log"]:
            owner[log] = entry["rule"]
    return owner


@pytest.fixture(scope="module")
def clean(built_workflow) -> tuple[dict[str, bytes], dict[str, str]]:
    return build_files(built_workflow), owners(built_workflow)


def test_interrupted_at_every_stage_a_rebuild_leaves_nothing_half_done(
    built_workflow, clean, tmp_path
):
    """One rebuild interrupted four times, each run going on from where the last stopped."""
    files_clean, owner = clean
    workdir = tmp_path / "w"
    shutil.copytree(built_workflow, workdir, symlinks=True)
    # Ctrl-C in the validation: a forced rule reruns with everything after it (a touched
    # input with the same content would not do, Snakemake compares checksums).
    first = start(workdir, "run1.log", "--forcerun", "validate_succint")
    wait_for(first, workdir, "run1.log", r"^\s*(?:local)?rule validate_succint:")
    interrupt(first, workdir, "run1.log", signal.SIGINT, group=True)
    assert_nothing_half_done_passes(workdir, files_clean, owner)

    # A scheduler's SIGTERM to the process group in the linkage.
    second = start(workdir, "run2.log", "--forcerun", "link")
    wait_for(second, workdir, "run2.log", r"^\s*(?:local)?rule link:")
    interrupt(second, workdir, "run2.log", signal.SIGTERM, group=True)
    assert_nothing_half_done_passes(workdir, files_clean, owner)

    # SIGTERM to Snakemake alone while it finishes a job: the moment 9.27.1's own handler
    # deadlocks on its scheduler lock. Handled like Ctrl-C, the run stops. (A plain run: the
    # linkage and every job after it are still to do.)
    third = start(workdir, "run3.log")
    wait_for(third, workdir, "run3.log", r"^Finished jobid: \d+ \(Rule: rq_safety\)")
    interrupt(third, workdir, "run3.log", signal.SIGTERM, group=False)
    assert_nothing_half_done_passes(workdir, files_clean, owner)

    # SIGKILL in the reports leaves Snakemake's lock and incomplete markers behind: no
    # --unlock needed. (Forced: the results files the reports read may all be done by now,
    # each the same as before, and Snakemake does not rerun a job for an input rewritten
    # with the same content.)
    fourth = start(workdir, "run4.log", "--forcerun", "report_pdf")
    wait_for(fourth, workdir, "run4.log", r"^\s*(?:local)?rule report_pdf:")
    time.sleep(1)  # the PDF job is under way
    interrupt(fourth, workdir, "run4.log", signal.SIGKILL, group=True)
    assert_nothing_half_done_passes(workdir, files_clean, owner)

    rerun_to_the_end(workdir, "run5.log", files_clean)
