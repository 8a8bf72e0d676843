"""Scheduled re-runs: new exports from incoming/, only dependent jobs rebuilt, lock, failures."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from ekc.core import runs
from ekc.core.provenance import verify

from .conftest import SNAKEMAKE, TEST_KEY, rewrite_veo, run_snakemake
from .test_provenance_manifest import MANIFEST, TARGETS, clone, digest

VEO = "resources/raw/veo.sav"
REPORTS = "results/report"
pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def build(keyed_build) -> Path:
    # The exports these tests drop in are not the embedded ones: the build uses the tests' key.
    return keyed_build


@pytest.fixture(autouse=True)
def reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1199145600")
    monkeypatch.setenv("EKC_PSEUDONYM_KEY", TEST_KEY)


write_veo = rewrite_veo


def results_state(workdir: Path) -> dict[str, tuple[str, int]]:
    """Checksum and modification time of every file a build writes, results and private
    row-level data (the records of the runs themselves aside: run log, failure lists, staging
    copies)."""
    records = (workdir / runs.RUN_LOG, workdir / runs.PRIVATE_RUN_DIR, workdir / runs.STAGING)
    return {
        p.relative_to(workdir).as_posix(): (digest(p), p.stat().st_mtime_ns)
        for folder in ("results", "private")
        for p in (workdir / folder).rglob("*")
        if p.is_file() and not any(p.is_relative_to(record) for record in records)
    }


def downstream_jobs(manifest: dict, changed: str) -> tuple[Counter, set[str]]:
    """Jobs that must rerun when `changed` changes, from the manifest's record of the DAG.

    A job reruns when one of its inputs changes; a job whose temporary input is gone also
    reruns the job that makes that input (Snakemake deletes temporary files after use).
    The two provenance rules depend on every file, so they always rerun.
    """
    jobs: dict[tuple, dict] = {}
    for path, output in manifest["outputs"].items():
        key = (output["rule"], tuple(output["inputs"]), tuple(output["log"]))
        jobs.setdefault(key, {"inputs": set(output["inputs"]), "outputs": set(), "temp": set()})
        jobs[key]["outputs"].add(path)
        if output["temp"]:
            jobs[key]["temp"].add(path)
    temp = {p for job in jobs.values() for p in job["temp"]}
    affected, dirty = set(), {changed}
    while True:
        grown = {k for k, job in jobs.items() if job["inputs"] & dirty} - affected
        needed = {p for k in affected | grown for p in jobs[k]["inputs"] & temp}
        grown |= {k for k, job in jobs.items() if job["outputs"] & needed} - affected
        if not grown:
            break
        affected |= grown
        dirty |= {p for k in grown for p in jobs[k]["outputs"]}
    counts = Counter(key[0] for key in affected)
    counts.update({"provenance_manifest": 1, "ro_crate": 1})
    outputs = {p for k in affected for p in jobs[k]["outputs"] - jobs[k]["temp"]}
    return counts, outputs | set(TARGETS)


def planned_jobs(workdir: Path) -> Counter:
    output = run_snakemake(workdir, "--dry-run", *TARGETS).stdout
    return Counter(re.findall(r"^\s*(?:local)?rule (\w+):\s*$", output, re.MULTILINE))


@pytest.fixture(scope="module")
def veo_update(build, tmp_path_factory) -> SimpleNamespace:
    """One update with a changed VEO export, started as cron starts it (`python -m
    ekc.core.runs update`); while its Snakemake builds in the staging copy, a `snakemake`
    build of the project is started. One update serves the two tests that read this: each
    costs a rebuild of every job after the VEO."""
    work = clone(build, tmp_path_factory.mktemp("veo_update") / "work")
    seen = SimpleNamespace(work=work, before=json.loads((work / MANIFEST).read_text()))
    seen.state = results_state(work)
    seen.export = work / "incoming/2026-05-04/veo.sav"
    seen.old = write_veo(work / VEO, seen.export, row=0, item="veo_01", value=1.0)
    seen.new_hash = digest(seen.export)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1199145600", "EKC_PSEUDONYM_KEY": TEST_KEY}
    updating = subprocess.Popen(
        [sys.executable, "-m", "ekc.core.runs", "update", "--root", str(work), "--cores", "2"]
        + [arg for target in TARGETS for arg in ("--target", target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        # Once its Snakemake builds in the staging copy, the update has work for a while.
        wait_until(lambda: any("Building DAG" in p.read_text() for p in run_logs(work)), updating)
        seen.state_during = results_state(work)
        seen.second = run_snakemake(work, check=False, env={"EKC_PSEUDONYM_KEY": TEST_KEY})
        seen.state_after_second = results_state(work)
        _, seen.err = updating.communicate(timeout=BOUND)
    finally:
        if updating.poll() is None:
            updating.kill()
    seen.returncode = updating.returncode
    seen.entries = [json.loads(line) for line in (work / runs.RUN_LOG).read_text().splitlines()]
    return seen


def test_new_export_rebuilds_only_the_jobs_that_depend_on_it(build, veo_update, tmp_path):
    work, before, state = veo_update.work, veo_update.before, veo_update.state
    export, old, new_hash = veo_update.export, veo_update.old, veo_update.new_hash
    assert old != 1.0
    expected_jobs, expected_outputs = downstream_jobs(before, VEO)
    # Snakemake's own plan for the same change agrees with the DAG record.
    planned = clone(build, tmp_path / "planned")
    (planned / VEO).write_bytes((work / VEO).read_bytes())  # the export the update applied
    assert digest(planned / VEO) == new_hash
    assert planned_jobs(planned) == expected_jobs
    assert expected_jobs["validate_questionnaires"] == 1
    assert "clean_registration" not in expected_jobs

    assert veo_update.returncode == 0, veo_update.err
    assert len(veo_update.entries) == 1  # one line per update in the run log
    entry = veo_update.entries[0]
    assert entry["outcome"] == "success", entry["reason"]
    assert entry["incoming"] == [
        {
            "file": "incoming/2026-05-04/veo.sav",
            "target": VEO,
            "sha256_before": before["files"][VEO]["sha256"],
            "sha256_after": new_hash,
            "changed": True,
        }
    ]
    assert entry["inputs_changed"] == [
        {"path": VEO, "sha256_before": before["files"][VEO]["sha256"], "sha256_after": new_hash}
    ]
    assert Counter(entry["rebuilt"]["jobs"]) == expected_jobs
    after_state = results_state(work)
    rewritten = {p for p in after_state if state.get(p, (None, None))[1] != after_state[p][1]}
    assert rewritten == expected_outputs == set(entry["rebuilt"]["files"])
    assert digest(work / VEO) == new_hash and not export.parent.exists()

    # The manifest: the export's checksum and those of (some) rebuilt outputs changed, nothing
    # outside the dependent jobs did.
    after = json.loads((work / MANIFEST).read_text())
    changed = {
        p for p in before["files"] if before["files"][p]["sha256"] != after["files"][p]["sha256"]
    }
    assert VEO in changed
    # A rebuilt job rewrites its log too (rows read and written): only those logs may change.
    logs = {p for p in changed if after["files"][p]["role"] == "log"}
    rebuilt_logs = {
        log for p in expected_outputs for log in after["outputs"].get(p, {}).get("log", [])
    }
    assert logs <= rebuilt_logs
    changed -= logs
    assert changed - {VEO} <= expected_outputs
    assert {"private/clean/questionnaires.parquet", "private/analysis/questionnaires.parquet"} <= (
        changed
    )
    assert {c["path"] for c in entry["outputs_changed"]} == (changed - {VEO}) | set(TARGETS)

    # The rewritten answer moves exactly one VEO total by exactly the difference.
    keys = ["family_id", "moment", "respondent", "instrument", "scale"]
    scores = [
        pd.read_parquet(base / "private/clean/questionnaires.parquet").set_index(keys)["raw"]
        for base in (build, work)
    ]
    diff = (scores[1] - scores[0]).loc[lambda d: d.abs() > 1e-9]
    assert len(diff) == 1 and diff.index[0][3] == "veo"
    assert diff.iloc[0] == pytest.approx(1.0 - old)

    # The working tree is consistent afterwards: nothing left to do, the manifest checks out.
    assert "Nothing to be done" in run_snakemake(work, "--dry-run", *TARGETS).stdout
    assert verify(work / MANIFEST) == []
    assert_owner_only(work)


def assert_owner_only(work: Path) -> None:
    """Every file a build or update wrote is its owner's only; the staging copy is gone."""
    for folder in ("results", "private", "logs", "resources/raw"):
        for path in [work / folder, *(work / folder).rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            if folder == "resources/raw" and path.name != "veo.sav":
                continue  # the embedded exports as the repository has them
            assert mode & 0o077 == 0, f"{path.relative_to(work)}: {oct(mode)}"
    assert stat.S_IMODE((work / "private").stat().st_mode) == 0o700
    assert list((work / runs.STAGING).iterdir()) == []


def test_a_build_and_an_update_never_run_together(build, veo_update, tmp_path):
    """Before, an update during a build published new results files while the build rendered
    PDFs from the old ones; both exited 0 and verify passed."""
    work = clone(build, tmp_path / "work")
    export = work / "incoming/2026-05-07/veo.sav"
    write_veo(work / VEO, export, row=2, item="veo_04", value=2.0)
    raw = digest(work / VEO)
    # A build with work to do for seconds: one report, rendered again.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1199145600", "PYTHONUNBUFFERED": "1"}
    with open(tmp_path / "build.log", "w") as out:
        building = subprocess.Popen(
            [SNAKEMAKE, "--cores", "2", "--forcerun", "report_pdf", f"{REPORTS}/summary_en.pdf"],
            cwd=work,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        log = tmp_path / "build.log"
        wait_until(lambda: re.search(r"^\s*(?:local)?rule \w+:", log.read_text(), re.M), building)
        refused = runs.update(work, cores=2, targets=TARGETS)
        assert refused["outcome"] == "refused" and "snakemake build" in refused["reason"]
        assert building.wait(timeout=BOUND) == 0, (tmp_path / "build.log").read_text()[-3000:]
    finally:
        if building.poll() is None:
            building.kill()
    assert digest(work / VEO) == raw and export.is_file()  # nothing of the update applied
    assert verify(work / MANIFEST) == []

    # The other way round: a build started while an update runs refuses to start (the
    # update of `veo_update`, during which that build was started).
    second, work = veo_update.second, veo_update.work
    assert second.returncode != 0
    assert "another run is in progress" in second.stdout + second.stderr
    assert "ekc.core.runs update" in second.stdout + second.stderr
    assert veo_update.state_after_second == veo_update.state_during
    assert veo_update.returncode == 0, veo_update.err
    applied = veo_update.export.parents[1] / "applied/2026-05-04/veo.sav"
    assert digest(work / VEO) == digest(applied)
    assert verify(work / MANIFEST) == []
    assert "Nothing to be done" in run_snakemake(work, "--dry-run").stdout


BOUND = 1500


def run_logs(work: Path) -> list[Path]:
    folder = work / runs.RUN_LOG_DIR
    return sorted(folder.glob("*.log")) if folder.is_dir() else []


def wait_until(condition, process: subprocess.Popen, bound: float = BOUND) -> None:
    """Until `condition` holds, while `process` runs."""
    deadline = time.monotonic() + bound
    while not condition():
        assert process.poll() is None, f"the process ended first (exit {process.returncode})"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_second_run_is_refused_while_one_holds_the_lock(build, tmp_path):
    work = clone(build, tmp_path / "work")
    state = results_state(work)
    with runs.run_lock(work / runs.LOCK_FILE):
        second = subprocess.run(
            [sys.executable, "-m", "ekc.core.runs", "update", "--root", str(work)],
            capture_output=True,
            text=True,
        )
    assert second.returncode == runs.EXIT_LOCKED
    assert "another run is in progress" in second.stderr
    assert f"pid {os.getpid()}" in second.stderr
    entry = json.loads((work / runs.RUN_LOG).read_text().splitlines()[-1])
    assert entry["outcome"] == "refused" and entry["stage"] == "lock"
    assert results_state(work) == state
    # Released with its holder: no stale lock.
    with runs.run_lock(work / runs.LOCK_FILE):
        pass


def test_a_failing_export_leaves_exports_and_results_intact(build, tmp_path):
    work = clone(build, tmp_path / "work")
    state = results_state(work)
    raw = digest(work / VEO)
    # An answer outside the scale 1-5: a valid SPSS file that breaks the VEO model.
    export = work / "incoming/2026-05-05/veo.sav"
    write_veo(work / VEO, export, row=3, item="veo_03", value=9.0)

    entry = runs.update(work, cores=2, targets=TARGETS)

    assert entry["outcome"] == "failed" and entry["stage"] == "validate"
    assert entry["failed_rules"] == ["validate_questionnaires"]
    assert "veo.sav breaks" in entry["reason"] and "validation rule" in entry["reason"]
    assert entry["rebuilt"]["jobs"]["validate_questionnaires"] == 1
    assert results_state(work) == state
    assert digest(work / VEO) == raw and export.is_file()
    assert verify(work / MANIFEST) == []
    # The failure list holds row-level values: kept in the private area, not with the logs.
    kept = work / runs.PRIVATE_RUN_DIR / entry["run_id"] / "qc/failed/veo_failures.csv"
    assert "veo_03" in kept.read_text()
    assert not list((work / runs.RUN_LOG_DIR).rglob("*failures.csv"))
    assert (work / entry["log"]).is_file()

    # An export that does not even open stops before Snakemake runs.
    export.write_bytes(b"not an SPSS file")
    entry = runs.update(work, cores=2, targets=TARGETS)
    assert entry["outcome"] == "failed" and entry["stage"] == "validate"
    assert "veo.sav" in entry["reason"] and entry["log"] is None
    assert results_state(work) == state and digest(work / VEO) == raw
    outcomes = [json.loads(line)["outcome"] for line in (work / runs.RUN_LOG).open()]
    assert outcomes == ["failed", "failed"]


def test_unknown_incoming_files_are_named_and_nothing_runs(tmp_path):
    root = tmp_path / "tree"
    (root / "workflow/rules").mkdir(parents=True)
    (root / "Snakefile").write_text("")
    (root / "config").mkdir(parents=True)
    (root / "config/config.yaml").write_text("sources:\n  veo:\n    file: resources/raw/veo.sav\n")
    (root / "incoming/2026-05-06").mkdir(parents=True)
    (root / "incoming/2026-05-06/VEO_export.sav").write_bytes(b"x")
    (root / "incoming/latest").mkdir()
    entry = runs.update(root)
    assert entry["outcome"] == "failed" and entry["stage"] == "incoming"
    assert "2026-05-06/VEO_export.sav: no configured export has this name" in entry["reason"]
    assert "latest: not a folder named YYYY-MM-DD" in entry["reason"]
    assert entry["log"] is None
