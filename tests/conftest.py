"""Shared fixtures: the embedded data validated and cleaned once, and a built workflow copy."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
WORKFLOW_FILES = ["Snakefile", "workflow", "config", "schemas", "resources", "src", "profiles"]
# A build of exports other than the embedded ones needs a key of its own: the demo key is
# refused for them (ekc.core.pseudonym.resolve_key). Tests that change an export use this one.
TEST_KEY = "ekc-pipeline-tests-key-not-secret"
KEYED = {"EKC_PSEUDONYM_KEY": TEST_KEY}


def copy_workflow(target: Path) -> Path:
    """A private copy of the workflow, so tests never touch the repository's results/."""
    target.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def run_snakemake(
    workdir: Path, *args: str, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Snakemake in `workdir`; `env` adds to the environment (KEYED for changed exports)."""
    result = subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1199145600", **(env or {})},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake failed:\n{result.stdout}\n{result.stderr}")
    return result


def slurm_plugin() -> Path:
    """The folder holding the SLURM executor plugin (run.py installs it apart from the venv,
    so that local runs never import it): the one `python3 run.py test` names, else this
    venv's, installed on first use."""
    if os.environ.get("EKC_SLURM_PLUGIN"):
        return Path(os.environ["EKC_SLURM_PLUGIN"])
    spec = importlib.util.spec_from_file_location("ekc_run", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    return run.ensure_slurm_plugin(Path(sys.executable), Path(sys.prefix) / "slurm-plugin")


def with_slurm_plugin(env: dict) -> dict:
    plugin = str(slurm_plugin())
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, [plugin, env.get("PYTHONPATH")]))}


# Fixtures that build a workflow: a test using one is a workflow test, whatever its marks.
WORKFLOW_FIXTURES = {"built_workflow", "keyed_build", "toy_build", "pd_build"}


def pytest_collection_modifyitems(config, items):
    """Every test is either `workflow` (runs Snakemake) or `unit` (builds nothing):
    `pytest -m unit` is the fast loop. A unit test that starts Snakemake fails
    (`_no_snakemake_in_unit_tests`), so the split cannot drift."""
    for item in items:
        if WORKFLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.workflow)
        if item.get_closest_marker("workflow") is None:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(autouse=True)
def _no_snakemake_in_unit_tests(request, monkeypatch):
    if request.node.get_closest_marker("unit") is None:
        return
    popen = subprocess.Popen

    class Guarded(popen):
        def __init__(self, args, *rest, **kwargs):
            words = [args] if isinstance(args, (str, Path)) else list(args)
            if any("snakemake" in Path(str(word)).name for word in words[:3]):
                raise AssertionError(
                    f"{request.node.nodeid} runs Snakemake: mark it `workflow` "
                    "(pytestmark = pytest.mark.workflow)"
                )
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Guarded)


@pytest.fixture(scope="session")
def built_workflow(tmp_path_factory) -> Path:
    """The workflow built once on the embedded data (the slow part of the suite)."""
    workdir = copy_workflow(tmp_path_factory.mktemp("build") / "ekc")
    run_snakemake(workdir)
    return workdir


@pytest.fixture(scope="session")
def pd_build(tmp_path_factory) -> Path:
    """The preventive-domain study built once on its embedded data: its results folder."""
    workdir = copy_workflow(tmp_path_factory.mktemp("preventive") / "ekc")
    run_snakemake(workdir, "--configfile", "config/preventive.yaml")
    return workdir / "results" / "pd"


# The export and answer the keyed build changes (row, item, new value).
KEYED_CHANGE = ("resources/raw/veo.sav", 5, "veo_02", 4.0)


def rewrite_veo(source: Path, target: Path, row: int, item: str, value: float) -> float:
    """The VEO export with one answer rewritten, value labels kept; returns the old answer."""
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(source))
    old = frame.loc[row, item]
    frame.loc[row, item] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(
        frame,
        str(target),
        column_labels=meta.column_labels,
        variable_value_labels=meta.variable_value_labels,
    )
    _, written = pyreadstat.read_sav(str(target), metadataonly=True)
    assert written.variable_value_labels == meta.variable_value_labels
    return old


@pytest.fixture(scope="session")
def keyed_build(built_workflow, tmp_path_factory) -> Path:
    """The embedded build after a data manager's switch from the demo key to a key of their
    own together with one changed export (one VEO answer): Snakemake's output of that run is
    kept in `keyed_run.log`. Tests whose exports are not the embedded ones start here."""
    workdir = tmp_path_factory.mktemp("keyed") / "ekc"
    shutil.copytree(built_workflow, workdir, symlinks=True)
    export, row, item, value = KEYED_CHANGE
    old = rewrite_veo(workdir / export, workdir / export, row, item, value)
    assert old != value
    result = run_snakemake(workdir, env=KEYED)
    (workdir / "keyed_run.log").write_text(result.stdout + result.stderr)
    return workdir


@pytest.fixture(scope="session")
def clean_tables():
    """Validated and cleaned family and child tables of the embedded data, in-process."""
    from ekc.core.pseudonym import DEMO_KEY
    from ekc.core.readers import read_export
    from ekc.youth_protection.clean.registration import children_table, families_table
    from ekc.youth_protection.schemas import MODELS
    from ekc.youth_protection.schemas import validate as validate_export

    raw = ROOT / "resources" / "raw"

    def valid(source, path, **options):
        result = validate_export(read_export(path, **options), MODELS[source], source=source)
        assert result.ok, result.summary()
        return result.valid

    register = valid("register", raw / "onderzoeksregister.csv")
    frek = valid("frek_families", raw / "frek.xlsx", sheet="gezinnen")
    kids = valid("frek_children", raw / "frek.xlsx", sheet="kinderen")
    key = DEMO_KEY.encode()
    families = families_table(register, frek, key)
    return families, children_table(kids, families, key)
