"""Provenance manifest, reviewer's check and RO-Crate of a build (issue 7)."""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
import platform
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from ekc.core.provenance import (
    build_crate,
    build_manifest,
    created_timestamp,
    git_state,
    verify,
    write_manifest,
)

from .conftest import run_snakemake

MANIFEST = "results/provenance/manifest.json"
CRATE = "results/provenance/ro-crate.zip"
TARGETS = [MANIFEST, CRATE]
EPOCH_2008 = calendar.timegm((2008, 1, 1, 0, 0, 0))  # conftest's SOURCE_DATE_EPOCH
_BUILDS: dict[str, Path] = {}

pytestmark = pytest.mark.workflow


def provenance_build(built_workflow: Path, tmp_path_factory) -> Path:
    """The session's build, copied with Snakemake's records and file times, made once for
    both test modules."""
    if "build" not in _BUILDS:
        workdir = tmp_path_factory.mktemp("provenance") / "ekc"
        shutil.copytree(built_workflow, workdir, symlinks=True)
        run_snakemake(workdir, *TARGETS)
        _BUILDS["build"] = workdir
    return _BUILDS["build"]


def clone(workdir: Path, target: Path) -> Path:
    shutil.copytree(workdir, target, symlinks=True)
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def build(built_workflow, tmp_path_factory) -> Path:
    return provenance_build(built_workflow, tmp_path_factory)


@pytest.fixture(scope="module")
def manifest(build) -> dict:
    return json.loads((build / MANIFEST).read_text(encoding="utf-8"))


def _contains(big: object, small: object) -> bool:
    """Every key and value of `small` is in `big` (the effective config adds defaults)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(
            k in big and _contains(big[k], v) for k, v in small.items()
        )
    return big == small


def test_manifest_hashes_every_file_of_the_build(build, manifest):
    files = manifest["files"]
    on_disk = {
        p.relative_to(build).as_posix()
        for folder in ("results", "private")
        for p in (build / folder).rglob("*")
        if p.is_file() and not p.is_relative_to(build / "results/provenance")
    }
    hashed_outputs = {p for p, e in files.items() if e["role"] == "output" and e["sha256"]}
    assert hashed_outputs == on_disk
    for path, entry in files.items():
        if entry["sha256"] is None:
            continue
        data = (build / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert entry["size"] == len(data), path
    config = yaml.safe_load((build / "config/config.yaml").read_text(encoding="utf-8"))
    for source in config["sources"].values():
        assert files[source["file"]]["role"] == "input"
    for path in ("Snakefile", "workflow/rules/core/provenance.smk", "config/config.yaml"):
        assert files[path]["role"] == "workflow"
    temp = [p for p, e in files.items() if e.get("temp")]
    assert temp and all(p.startswith("private/validated/") for p in temp)
    assert not any((build / p).exists() for p in temp)
    assert all(files[p]["role"] == "log" for o in manifest["outputs"].values() for p in o["log"])


def test_manifest_records_code_software_config_and_time(build, manifest):
    assert manifest["created"] == "2008-01-01T00:00:00Z"
    # The temporary build is not a git checkout: unknown, not guessed.
    assert manifest["code"] == {
        "commit": None,
        "describe": None,
        "dirty": None,
        "pipeline_version": version("ekc-pipeline"),
    }
    assert manifest["software"]["python"] == platform.python_version()
    for name in ("snakemake", "pandas", "rocrate", "pyreadstat"):
        assert manifest["software"]["packages"][name] == version(name)
    config = yaml.safe_load((build / "config/config.yaml").read_text(encoding="utf-8"))
    assert _contains(manifest["config"], config)
    text = (build / MANIFEST).read_text(encoding="utf-8")
    assert text == json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_each_output_names_the_rule_inputs_and_log_snakemake_recorded(build, manifest):
    result = run_snakemake(build, "--detailed-summary", *TARGETS)
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    recorded = {row["output_file"]: row for row in rows}
    outputs = {p: o for p, o in manifest["outputs"].items() if not o["temp"]}
    assert set(outputs) <= set(recorded)
    for path, output in outputs.items():
        row = recorded[path]
        assert output["rule"] == row["rule"], path
        assert output["log"] == [f for f in row["log-file(s)"].split(",") if f], path
        assert set(output["inputs"]) == set(row["input-file(s)"].split(",")), path


def test_manifest_is_reproduced_byte_for_byte(build, manifest, tmp_path):
    """Rebuilt in-process from its own job list, the manifest is the same file."""
    jobs: dict[tuple, dict] = {}
    for path, output in manifest["outputs"].items():
        key = (output["rule"], tuple(output["inputs"]), tuple(output["log"]))
        job = jobs.setdefault(
            key,
            {"rule": key[0], "input": list(key[1]), "log": list(key[2]), "output": [], "temp": []},
        )
        job["output"].append(path)
        if output["temp"]:
            job["temp"].append(path)
    again = build_manifest(
        jobs=list(jobs.values()),
        workflow_files=[p for p, e in manifest["files"].items() if e["role"] == "workflow"],
        config=manifest["config"],
        manifest_path=MANIFEST,
        root=build,
        created=manifest["created"],
    )
    write_manifest(again, tmp_path / "manifest.json")
    assert (tmp_path / "manifest.json").read_bytes() == (build / MANIFEST).read_bytes()


def _verify_cli(manifest_path: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ekc.core.provenance", "verify", str(manifest_path)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_reviewers_check_passes_then_names_every_tampered_file(build, manifest, tmp_path):
    work = clone(build, tmp_path / "review")
    checked = sum(1 for e in manifest["files"].values() if e["sha256"])
    # Run from elsewhere: the manifest's recorded own path locates the working directory.
    fresh = _verify_cli(work / MANIFEST, cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert f"all {checked} files match" in fresh.stdout

    stats = sorted(p for p in manifest["files"] if p.startswith("results/stats/"))[0]
    table = sorted(p for p in manifest["files"] if p.startswith("results/tables/"))[0]
    with (work / stats).open("ab") as handle:
        handle.write(b" ")
    (work / table).unlink()
    tampered = _verify_cli(work / MANIFEST, cwd=tmp_path)
    assert tampered.returncode == 1
    named = dict(line.split(": ", 1) for line in tampered.stdout.splitlines())
    assert set(named) == {stats, table}
    assert named[table] == "missing"
    assert named[stats].startswith(f"changed (manifest {manifest['files'][stats]['sha256'][:12]}")
    assert f"2 of {checked} files differ" in tampered.stderr
    assert verify(work / MANIFEST) == sorted(named.items())


def test_ro_crate_is_a_workflow_run_crate_without_row_level_data(build, manifest, tmp_path):
    from rocrate.rocrate import ROCrate

    crate = ROCrate(build / CRATE)
    profiles = {e.id for e in crate.root_dataset["conformsTo"]}
    assert {
        "https://w3id.org/ro/wfrun/process/0.6",
        "https://w3id.org/ro/wfrun/workflow/0.6",
        "https://w3id.org/workflowhub/workflow-ro-crate/1.1",
    } <= profiles
    workflow = crate.mainEntity
    assert workflow.id == "Snakefile" and "ComputationalWorkflow" in workflow.type
    assert workflow["programmingLanguage"].id.endswith("#snakemake")
    assert workflow["programmingLanguage"]["version"] == version("snakemake")
    (action,) = crate.get_by_type("CreateAction")
    assert action["instrument"] is workflow
    assert action["endTime"] == crate.root_dataset["datePublished"] == manifest["created"]

    def described(path: str) -> str:
        return path if crate.get(path) is not None else "#file:" + path

    results = {e.id for e in action["result"]}
    objects = {e.id for e in action["object"]}
    files = manifest["files"]
    assert {described(p) for p in manifest["outputs"]} | {MANIFEST} == results
    assert {described(p) for p, e in files.items() if e["role"] == "input"} <= objects

    with zipfile.ZipFile(build / CRATE) as archive:
        members = set(archive.namelist())
        for name in members - {"ro-crate-metadata.json", MANIFEST}:
            assert hashlib.sha256(archive.read(name)).hexdigest() == files[name]["sha256"]
    assert {"Snakefile", "results/stats/conference.json", "src/ekc/core/provenance.py"} <= members
    assert any(m.startswith("results/report/summary_") for m in members)
    config = yaml.safe_load((build / "config/config.yaml").read_text(encoding="utf-8"))
    withheld = {s["file"] for s in config["sources"].values()}
    withheld |= {p for p in files if p.startswith(("private/analysis/", "private/clean/"))}
    withheld |= {p for p in files if p.endswith("_failures.csv") or "/quarantine/" in p}
    withheld.add("private/linkage/linkage_report.csv")
    assert not withheld & members
    for path in sorted(withheld):
        entity = crate.get("#file:" + path)
        assert entity["localPath"] == path and entity["sha256"] == files[path]["sha256"]

    # Same manifest, same bytes: the crate is reproducible outside Snakemake too.
    for name in ("a.zip", "b.zip"):
        build_crate(build / MANIFEST, tmp_path / name, root=build)
        assert (tmp_path / name).read_bytes() == (build / CRATE).read_bytes()


def test_created_comes_from_source_date_epoch():
    assert created_timestamp({"SOURCE_DATE_EPOCH": str(EPOCH_2008)}) == "2008-01-01T00:00:00Z"
    now = created_timestamp({})
    assert now.endswith("Z") and now[:4] >= "2026"


def test_git_state_sees_commit_and_uncommitted_changes(tmp_path):
    def git(*args):
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    assert git_state(tmp_path) == {"commit": None, "describe": None, "dirty": None}
    git("init", "-q")
    (tmp_path / "a.txt").write_text("a\n")
    git("add", "a.txt")
    git("commit", "-q", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert git_state(tmp_path) == {"commit": head, "describe": head[:12], "dirty": False}
    (tmp_path / "new_rule.smk").write_text("# never committed\n")
    assert git_state(tmp_path)["dirty"] is True
    (tmp_path / "new_rule.smk").unlink()
    (tmp_path / "a.txt").write_text("b\n")
    assert git_state(tmp_path) == {"commit": head, "describe": f"{head[:12]}-dirty", "dirty": True}
