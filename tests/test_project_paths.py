"""Where a build may read and write: configured paths inside the project or an allowed data
folder, the private area owner-only, incoming exports regular files; and what the crate
carries and how `provenance verify` catches a report built from other results."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import zipfile
from pathlib import Path

import pytest

from ekc.core import joblog, paths
from ekc.core.provenance import MANIFEST_FORMAT, build_crate, verify

# --------------------------------------------------------------------------------------
# Configured paths


def config_with(**paths_) -> dict:
    return {
        "sources": {"veo": {"file": paths_.pop("file", "data/veo.sav")}},
        "fidelity": {"published": ["resources/published/*.csv"], "not_in_data": "x.csv"},
        **paths_,
    }


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("external_reference", "../outside/regular_ekc_population.csv"),
        ("file", "/etc/passwd"),
        ("private_dir", "../private"),
        ("output_dir", "results/../../elsewhere"),
    ],
)
def test_paths_outside_the_project_are_refused(tmp_path, key, value):
    root = tmp_path / "project"
    root.mkdir()
    with pytest.raises(paths.ConfiguredPathError) as refused:
        paths.check_configured_paths(config_with(**{key: value}), root)
    assert value in str(refused.value) and "data_dirs" in str(refused.value)


def test_a_symlink_out_of_the_project_is_refused(tmp_path):
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (tmp_path / "secret.sav").write_bytes(b"x")
    (root / "data/veo.sav").symlink_to(tmp_path / "secret.sav")
    with pytest.raises(paths.ConfiguredPathError, match="sources.veo.file"):
        paths.check_configured_paths(config_with(), root)


def test_an_allowed_data_folder_may_hold_the_exports(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    data = tmp_path / "srv-data"
    data.mkdir()
    config = config_with(file=str(data / "veo.sav"), data_dirs=[str(data)])
    paths.check_configured_paths(config, root)
    paths.check_configured_paths(config_with(external_reference="resources/x.csv"), root)


def test_find_project_from_a_subfolder_or_none(tmp_path):
    root = tmp_path / "project"
    (root / "workflow/rules").mkdir(parents=True)
    (root / "Snakefile").write_text("")
    (root / "results/report").mkdir(parents=True)
    assert paths.find_project(root / "results/report") == root.resolve()
    assert paths.find_project(tmp_path) is None


# --------------------------------------------------------------------------------------
# The private area


def test_private_area_is_owner_only_whatever_was_there(tmp_path):
    private = tmp_path / "private"
    (private / "analysis").mkdir(parents=True)
    (private / "analysis/families.parquet").write_bytes(b"rows")
    os.chmod(private, 0o755)
    os.chmod(private / "analysis", 0o755)
    os.chmod(private / "analysis/families.parquet", 0o644)
    paths.secure_private_area(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert stat.S_IMODE((private / "analysis").stat().st_mode) == 0o700
    assert stat.S_IMODE((private / "analysis/families.parquet").stat().st_mode) == 0o600
    fresh = paths.secure_private_area(tmp_path / "new/private")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


def test_regular_files_only(tmp_path):
    incoming = tmp_path / "incoming"
    (incoming / "2026-05-04").mkdir(parents=True)
    export = incoming / "2026-05-04/veo.sav"
    export.write_bytes(b"x")
    assert paths.regular_file_inside(export, incoming)
    (tmp_path / "outside.sav").write_bytes(b"x")
    link = incoming / "2026-05-04/cvc.sav"
    link.symlink_to(tmp_path / "outside.sav")
    assert not paths.regular_file_inside(link, incoming)
    assert not paths.regular_file_inside(tmp_path / "outside.sav", incoming)
    os.mkfifo(incoming / "2026-05-04/pul.csv")
    assert not paths.regular_file_inside(incoming / "2026-05-04/pul.csv", incoming)


# --------------------------------------------------------------------------------------
# The crate: nothing from the private area, nothing outside its folder, disclosure control


def _write(root: Path, rel: str, data: bytes) -> dict:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def fake_build(tmp_path: Path, disclosure: bool) -> tuple[Path, Path]:
    """A finished build as a manifest describes it, with an external reference that lies
    outside the project."""
    root = tmp_path / "project"
    files = {
        "Snakefile": {"role": "workflow", **_write(root, "Snakefile", b"rule all: pass\n")},
        "config/config.yaml": {"role": "workflow", **_write(root, "config/config.yaml", b"a\n")},
        "../outside/reference.csv": {
            "role": "input",
            **_write(tmp_path, "outside/reference.csv", b"published,3\n"),
        },
        "results/stats/safety.json": {
            "role": "output",
            **_write(root, "results/stats/safety.json", b'[{"count": 3}]'),
        },
        "results/report/summary_en.pdf": {
            "role": "output",
            **_write(root, "results/report/summary_en.pdf", b"%PDF-1.7 suppressed"),
        },
        "private/analysis/families.parquet": {
            "role": "output",
            **_write(root, "private/analysis/families.parquet", b"row-level"),
        },
        "logs/rq_safety.log": {"role": "log", **_write(root, "logs/rq_safety.log", b"3 rows\n")},
    }
    outputs = {
        path: {"rule": "r", "inputs": [], "log": [], "temp": False}
        for path, entry in files.items()
        if entry["role"] == "output"
    }
    manifest = {
        "format": MANIFEST_FORMAT,
        "created": "2008-01-01T00:00:00Z",
        "manifest": "results/provenance/manifest.json",
        "code": {"commit": None, "describe": None, "dirty": None, "pipeline_version": "0"},
        "software": {"python": "3", "implementation": "CPython", "packages": {}},
        "config": {
            "study": "yp",
            "sources": {},
            "external_reference": "../outside/reference.csv",
            "report": {"disclosure": {"enabled": disclosure, "min_count": 5}},
        },
        "files": files,
        "outputs": outputs,
    }
    path = root / "results/provenance/manifest.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(manifest))
    return root, path


@pytest.mark.parametrize("disclosure", [False, True])
def test_crate_stays_in_its_folder_and_leaves_private_data_out(tmp_path, disclosure):
    root, manifest = fake_build(tmp_path, disclosure)
    before = sorted(p for p in tmp_path.rglob("*"))
    crate = tmp_path / "crate.zip"
    build_crate(manifest, crate, root)
    # The builder wrote the crate and nothing else, anywhere (no ../outside/ beside its
    # temporary folder either).
    assert sorted(p for p in tmp_path.rglob("*")) == sorted([*before, crate])
    with zipfile.ZipFile(crate) as archive:
        members = set(archive.namelist())
        metadata = json.loads(archive.read("ro-crate-metadata.json"))
    assert not any(".." in name or name.startswith("/") for name in members)
    assert not any(name.startswith("private/") for name in members)
    described = {e.get("localPath"): e for e in metadata["@graph"] if e.get("localPath")}
    assert "withheld" in described["private/analysis/families.parquet"]["description"]
    assert "outside the project" in described["../outside/reference.csv"]["description"]
    assert "results/report/summary_en.pdf" in members
    if disclosure:
        # Only the suppressed report leaves; results files and logs hold small counts.
        assert not {"results/stats/safety.json", "logs/rq_safety.log"} & members
        reason = described["results/stats/safety.json"]["description"]
        assert "disclosure control" in reason
    else:
        assert {"results/stats/safety.json", "logs/rq_safety.log"} <= members


def recorded_reads(paths_: list[str]) -> str:
    """The lines joblog.read_files writes to a job's log."""
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(f"{record.levelname} {record.getMessage()}")
    joblog.LOG.addHandler(handler)
    level = joblog.LOG.level
    joblog.LOG.setLevel(logging.INFO)
    try:
        joblog.read_files(paths_)
    finally:
        joblog.LOG.removeHandler(handler)
        joblog.LOG.setLevel(level)
    return "".join(line + "\n" for line in lines)


def test_verify_catches_a_report_built_from_other_results(tmp_path, monkeypatch):
    """An update publishing new results while a build renders its report: every checksum
    matches the files on disk, yet the report shows the old figures."""
    root = tmp_path / "project"
    old = _write(root, "results/stats/safety.json", b'[{"count": 7}]')
    monkeypatch.chdir(root)
    log_text = "INFO job report_pdf (en)\n" + recorded_reads(["results/stats/safety.json"])
    assert f"INFO input results/stats/safety.json sha256 {old['sha256']}" in log_text
    new = _write(root, "results/stats/safety.json", b'[{"count": 8}]')  # the update's
    pdf = _write(root, "results/report/summary_en.pdf", b"%PDF old figures")
    log_entry = _write(root, "logs/report/en.log", log_text.encode())
    manifest = {
        "format": MANIFEST_FORMAT,
        "manifest": "results/provenance/manifest.json",
        "files": {
            "results/stats/safety.json": {"role": "output", **new},
            "results/report/summary_en.pdf": {"role": "output", **pdf},
            "logs/report/en.log": {"role": "log", **log_entry},
        },
        "outputs": {
            "results/report/summary_en.pdf": {
                "rule": "report_pdf",
                "inputs": ["results/stats/safety.json", "results/stats/support.json"],
                "log": ["logs/report/en.log"],
                "temp": False,
            }
        },
    }
    path = root / "results/provenance/manifest.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(manifest))
    problems = verify(path)
    assert [where for where, _ in problems] == ["logs/report/en.log"] * 2
    assert problems[0][1].startswith("the job read results/stats/safety.json")
    assert problems[1][1] == "the job does not record reading results/stats/support.json"
    # Built from the results the manifest lists: it passes.
    manifest["files"]["results/stats/safety.json"] |= old
    manifest["outputs"]["results/report/summary_en.pdf"]["inputs"].pop()
    _write(root, "results/stats/safety.json", b'[{"count": 7}]')
    path.write_text(json.dumps(manifest))
    assert verify(path) == []


def test_the_crate_ships_the_results_of_a_study_with_its_own_output_folder():
    """The preventive study writes to results/pd and logs/pd: its aggregate results travel in
    the crate as the default study's do, and its private rows never."""
    from ekc.core.provenance import _in_crate

    folders = {"out": "results/pd", "logs": "logs/pd"}
    output = {"role": "output"}
    for path in (
        "results/pd/stats/care_use.json",
        "results/pd/tables/care_use/results.csv",
        "results/pd/report/summary_en.pdf",
        "results/pd/fidelity/published_vs_reproduced.csv",
        "logs/pd/rq_care_use.log",
    ):
        assert _in_crate(path, output, set(), "private/pd", False, folders), path
    assert not _in_crate("private/pd/prepared/gezinnen.parquet", output, set(), "private/pd",
                         False, folders)  # fmt: skip
    assert not _in_crate("results/pd/stats/care_use.json", output, set(), "private/pd", True,
                         folders)  # fmt: skip
