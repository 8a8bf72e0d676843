"""The embedded workflow on a real single-node SLURM cluster, through `profiles/slurm`, and
the suite's check that two builds from scratch give the same bytes.

The cluster (munge, slurmctld, slurmd; `tests/slurm_cluster.py`) is started for this module
and stopped after it, also when a test fails. Where Debian's SLURM packages cannot be
installed, the SLURM tests are skipped and say why, and the second build of the
determinism check is made locally instead.
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
from types import SimpleNamespace

import pytest

from .conftest import SNAKEMAKE, build_files, copy_workflow, run_snakemake, with_slurm_plugin
from .slurm_cluster import MIN_JOB_AGE, ClusterUnavailable, running_cluster
from .test_provenance_manifest import CRATE, MANIFEST

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


@pytest.fixture(scope="module")
def second_build(request, tmp_path_factory) -> SimpleNamespace:
    """The embedded workflow built from scratch a second time, in a folder of its own:
    through the profile on the cluster where one runs here (`slurm`: what the run printed
    and the submissions SLURM saw), else locally (`slurm` is None; `skipped` says why).
    `built_workflow` is asked for only after this build, so that in a parallel run this
    one does not wait for that one to start."""
    workdir = copy_workflow(tmp_path_factory.mktemp("second") / "ekc")
    try:
        cluster = request.getfixturevalue("cluster")
    except pytest.skip.Exception as skipped:
        run_snakemake(workdir)
        return SimpleNamespace(workdir=workdir, slurm=None, skipped=str(skipped))
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
    run = SimpleNamespace(
        returncode=returncode,
        output=output,
        wall=time.monotonic() - start,
        jobs=[job for job in slurm_jobs(cluster) if job[0] not in before],
        cluster_log=cluster.log_tail(),
    )
    return SimpleNamespace(workdir=workdir, slurm=run, skipped=None)


def test_the_workflow_builds_on_slurm_in_a_few_submissions(second_build, summary_line):
    """The embedded workflow from scratch through the profile: every submission completes,
    its jobs grouped."""
    run = second_build.slurm
    if run is None:
        pytest.skip(second_build.skipped)
    assert run.returncode == 0, run.output[-6000:] + "\n" + run.cluster_log
    assert run.jobs, run.output[-3000:]
    assert all(state == "COMPLETED" for _, _, state in run.jobs), run.jobs
    assert len(run.jobs) <= MAX_SUBMISSIONS, run.jobs
    summary_line(f"SLURM run: {len(run.jobs)} submissions for 26 jobs, wall {run.wall:.0f} s")


def test_two_builds_from_scratch_are_byte_identical(second_build, built_workflow, summary_line):
    """Same inputs, same bytes: every file the second build writes (results, private data,
    logs; PDFs too) equals the suite's build's, made in another folder and, through SLURM,
    in another order. A SLURM build's provenance records also name the SLURM plugins."""
    if second_build.slurm is not None:
        assert second_build.slurm.returncode == 0, "the SLURM build failed (test above)"
    local, second = build_files(built_workflow), build_files(second_build.workdir)
    assert sorted(second) == sorted(local)
    assert {Path(name).suffix for name in local} >= {".csv", ".json", ".parquet", ".pdf", ".svg"}
    aside = PROVENANCE if second_build.slurm else set()
    assert [name for name in local if name not in aside and second[name] != local[name]] == []
    if second_build.slurm:
        assert_same_provenance_but_the_plugins(local, second)
    how = "through SLURM" if second_build.slurm else "locally"
    summary_line(f"second build {how}: all {len(local)} files equal to the first build's")
