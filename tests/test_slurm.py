"""The embedded workflow on a real single-node SLURM cluster, through `profiles/slurm`.

The cluster (munge, slurmctld, slurmd; `tests/slurm_cluster.py`) is started for this module
and stopped after it, also when a test fails. Where Debian's SLURM packages cannot be
installed, the tests are skipped and say why.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import SNAKEMAKE, build_files, copy_workflow, run_snakemake, with_slurm_plugin
from .slurm_cluster import MIN_JOB_AGE, ClusterUnavailable, running_cluster

pytestmark = pytest.mark.workflow

NODE_CPUS = 2
NODE_MB = 4000  # the node's memory; no job asks for more (--resources mem_mb)
# The first status check after a submission (s): MinJobAge must be at least 3x this, or
# squeue forgets finished jobs before the plugin asks (the profile's rule, README).
FIRST_STATUS_CHECK_S = 10
RUN_TIMEOUT_S = 480
# The embedded workflow's 26 jobs, grouped (profiles/slurm: group-components).
MAX_SUBMISSIONS = 5


@pytest.fixture(scope="module")
def cluster():
    folder = Path(tempfile.mkdtemp(prefix="ekc-slurm-"))  # short: socket paths are limited
    try:
        with running_cluster(folder, cpus=NODE_CPUS, memory_mb=NODE_MB) as running:
            yield running
    except ClusterUnavailable as error:
        if "apt-get" in str(error) or "not installed" in str(error):
            pytest.skip(f"no SLURM cluster here: {error}")
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_profile_plans_every_job_and_keeps_its_resources_beside_the_sites(tmp_path):
    """The README's command: account and partition on the command line replace the profile's
    default-resources, which holds nothing else; every job still has its memory and runtime.
    (A plan of every job, --forceall: the same in a fresh copy as in a built one.)"""
    result = run_snakemake(
        copy_workflow(tmp_path / "ekc"),
        "--profile", "profiles/slurm", "-n", "--forceall",
        "--default-resources", "slurm_account=ekc", "slurm_partition=main",
        env=with_slurm_plugin(dict(os.environ)),
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert "This was a dry-run" in output
    lines = [line for line in output.splitlines() if line.strip().startswith("resources:")]
    assert all("slurm_account=ekc, slurm_partition=main" in line for line in lines), lines
    declared = [line for line in lines if "runtime=20" in line and "mem_mb=" in line]
    planned = re.findall(r"^\s*rule (\w+):", output, re.M)
    assert len(declared) == len(planned) - 1 >= 25  # every job but `all`


def slurm_jobs(cluster) -> list[tuple[str, str, str]]:
    """(id, name, state) of every job slurmctld still knows (finished ones for MinJobAge)."""
    done = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%i|%j|%T"],
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return [tuple(line.split("|")) for line in done.stdout.split()]


def run_bounded(command: list[str], cwd: Path, env: dict, timeout: float):
    """Run Snakemake in its own session; past `timeout` kill the whole session (Snakemake
    can hang on SIGTERM) and fail with what it printed."""
    log = cwd / "snakemake-slurm.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            pytest.fail(f"SLURM run exceeded {timeout:.0f} s:\n" + log.read_text()[-4000:])
    return returncode, log.read_text()


def test_the_cluster_refuses_a_job_above_its_node_memory(cluster, tmp_path):
    """What the memory cap protects against: a request above the node's memory never runs."""
    refused = subprocess.run(
        ["sbatch", f"--mem={NODE_MB + 1}", "--wrap", "true"],
        cwd=tmp_path, env=cluster.env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "Memory specification can not be satisfied" in refused.stderr


# The provenance records name the software a build ran with: a SLURM build's name the SLURM
# plugins too (they are on its path). The crate holds the manifest; its log, the crate's size.
SLURM_PLUGINS = {"snakemake-executor-plugin-slurm", "snakemake-executor-plugin-slurm-jobstep"}
MANIFEST = "results/provenance/manifest.json"
CRATE = "results/provenance/ro-crate.zip"
CRATE_LOG = "logs/provenance/ro_crate.log"
PROVENANCE = {MANIFEST, CRATE, CRATE_LOG}


def assert_same_provenance_but_the_plugins(local: dict, on_slurm: dict) -> None:
    """The provenance records of the two builds differ only where the SLURM build names its
    plugins: in the manifest's software list, and so in the manifest's size and checksum."""
    manifest, slurm_manifest = json.loads(local[MANIFEST]), json.loads(on_slurm[MANIFEST])
    packages = slurm_manifest["software"]["packages"]
    assert set(packages) >= SLURM_PLUGINS
    assert not set(manifest["software"]["packages"]) & SLURM_PLUGINS
    for plugin in SLURM_PLUGINS:
        del packages[plugin]
    assert slurm_manifest == manifest

    crate, slurm_crate = (zipfile.ZipFile(io.BytesIO(files[CRATE])) for files in (local, on_slurm))
    assert slurm_crate.namelist() == crate.namelist()
    differ = [e for e in crate.namelist() if crate.read(e) != slurm_crate.read(e)]
    assert differ == [MANIFEST, "ro-crate-metadata.json"], differ
    graphs = []
    for archive in (crate, slurm_crate):
        graph = {e["@id"]: e for e in json.loads(archive.read("ro-crate-metadata.json"))["@graph"]}
        del graph[MANIFEST]["contentSize"], graph[MANIFEST]["sha256"]
        graphs.append(graph)
    assert graphs[0] == graphs[1]
    size = re.compile(rb"ro-crate.zip: \d+ bytes")
    assert size.sub(b"", local[CRATE_LOG]) == size.sub(b"", on_slurm[CRATE_LOG])


def test_the_workflow_builds_the_same_files_on_slurm(cluster, tmp_path, request, summary_line):
    """The embedded workflow from scratch through the profile: every submission completes,
    grouped, and every file it writes (results, private data, logs; PDFs too) equals the
    local build's byte for byte (`built_workflow`, asked for only after the SLURM run, so
    that in a parallel run this run does not wait for that build to start). Two builds
    from scratch in two folders, in another order: where SLURM runs, this is the suite's
    check that a build is deterministic (test_determinism)."""
    workdir = copy_workflow(tmp_path / "ekc")
    before = {job_id for job_id, _, _ in slurm_jobs(cluster)}
    env = with_slurm_plugin({**cluster.env, "SOURCE_DATE_EPOCH": "1199145600"})
    assert FIRST_STATUS_CHECK_S * 3 <= MIN_JOB_AGE
    command = [
        SNAKEMAKE,
        "--profile", "profiles/slurm",
        "--resources", f"mem_mb={NODE_MB}",
        "--cores", str(NODE_CPUS),
        "--slurm-init-seconds-before-status-checks", str(FIRST_STATUS_CHECK_S),
    ]  # fmt: skip
    start = time.monotonic()
    returncode, output = run_bounded(command, workdir, env, RUN_TIMEOUT_S)
    wall = time.monotonic() - start
    assert returncode == 0, output[-6000:] + "\n" + cluster.log_tail()
    jobs = [job for job in slurm_jobs(cluster) if job[0] not in before]
    assert jobs, output[-3000:]
    assert all(state == "COMPLETED" for _, _, state in jobs), jobs
    assert len(jobs) <= MAX_SUBMISSIONS, jobs
    local = build_files(request.getfixturevalue("built_workflow"))
    on_slurm = build_files(workdir)
    assert sorted(on_slurm) == sorted(local)
    assert {Path(name).suffix for name in local} >= {".csv", ".json", ".parquet", ".pdf", ".svg"}
    assert [n for n in local if n not in PROVENANCE and on_slurm[n] != local[n]] == []
    assert_same_provenance_but_the_plugins(local, on_slurm)
    summary_line(
        f"SLURM run: {len(jobs)} submissions for 26 jobs, wall {wall:.0f} s, "
        f"all {len(local)} files equal to the local build's"
    )
