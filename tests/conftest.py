"""Shared fixtures: the embedded data validated and cleaned once, and built workflow copies.

Builds shared by the whole run (`built_workflow`, `keyed_build`) are made once, also when
`python3 run.py test` spreads the suite over several pytest-xdist workers: the first worker
that needs one builds it under a file lock (`shared_build`), the others wait for it and use
the same folder. So a shared build is read-only for tests: a test that runs Snakemake in it
(a dry run too: every Snakemake run takes the project's build lock) or changes a file works
on its own copy, `copy_build(built_workflow, tmp_path / "w")`, which keeps Snakemake's
records and the file times (nothing is out of date in the copy).

Run order: modules with workflow tests go first, the SLURM run first of all (it mostly waits
for the scheduler), so that the longest files do not trail at the end of a parallel run
(`pytest_collection_modifyitems`). A worker's own output is not shown: a test that reports a
measured figure passes it to `summary_line`, printed in the run's closing summary.
"""

from __future__ import annotations

import contextlib
import fcntl
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


# Beside a shared build's folder once it is finished (`shared_build`).
SHARED_BUILT = "built"


def copy_build(build: Path, target: Path) -> Path:
    """A private copy of a finished build (a shared one is read-only), with Snakemake's
    records and the file times, so that the copy is as up to date as the build."""
    shutil.copytree(build, target, symlinks=True)
    return target


# What a build writes: results others see, private row-level data, job logs.
BUILD_FOLDERS = ("results", "private", "logs")


def build_files(workdir: Path) -> dict[str, bytes]:
    """Every file a build wrote, by its path below `workdir`."""
    return {
        p.relative_to(workdir).as_posix(): p.read_bytes()
        for folder in BUILD_FOLDERS
        for p in sorted((workdir / folder).rglob("*"))
        if p.is_file()
    }


def run_snakemake(
    workdir: Path, *args: str, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Snakemake in `workdir`; `env` adds to the environment (KEYED for changed exports).
    Never in a finished shared build (read-only: other workers read it meanwhile)."""
    if (Path(workdir).parent / SHARED_BUILT).exists():
        raise AssertionError(f"{workdir} is a shared build: run Snakemake in a copy_build of it")
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


# Modules run before all others: the SLURM run spends most of its time waiting for the
# scheduler, so in a parallel run the other workers get on with the rest meanwhile.
RUN_FIRST = ("test_slurm.py",)


def pytest_collection_modifyitems(config, items):
    """Every test is either `workflow` (runs Snakemake) or `unit` (builds nothing):
    `pytest -m unit` is the fast loop. A unit test that starts Snakemake fails
    (`_no_snakemake_in_unit_tests`), so the split cannot drift.

    Then modules with workflow tests are moved before the others (RUN_FIRST first of all),
    each module's tests kept together and in order: with pytest-xdist (`--dist loadfile`,
    run.py) the long modules start early and the quick ones fill in at the end."""
    for item in items:
        if WORKFLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.workflow)
        if item.get_closest_marker("workflow") is None:
            item.add_marker(pytest.mark.unit)
    has_workflow = {item.path for item in items if item.get_closest_marker("workflow")}

    def rank(item) -> int:
        if item.path.name in RUN_FIRST:
            return 0
        return 1 if item.path in has_workflow else 2

    items.sort(key=rank)  # stable: the order within each rank stays pytest's


@pytest.fixture
def summary_line(record_property):
    """`summary_line(text)`: a measured figure printed in the run's closing summary (from
    pytest-xdist workers too, whose own output is not shown)."""
    return lambda text: record_property("summary", text)


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.line(line)


def _run_root(tmp_path_factory) -> Path:
    """The folder shared by every worker of this run (pytest-xdist gives each worker a
    folder of its own below it), or this run's folder without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def _file_lock(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_build(tmp_path_factory, name: str, make) -> Path:
    """`make(workdir)` run once per test run for all workers, in `<run folder>/name/ekc`;
    returns that folder (read-only for tests: see the module docstring). A build that failed
    fails every test that needs it, with the first failure's message, without a retry."""
    folder = _run_root(tmp_path_factory) / name
    workdir, done, failed = folder / "ekc", folder / SHARED_BUILT, folder / "failed.txt"
    folder.mkdir(exist_ok=True)
    with _file_lock(folder / "lock"):
        if failed.exists():
            raise AssertionError(f"{name} failed in another worker:\n{failed.read_text()}")
        if not done.exists():
            shutil.rmtree(workdir, ignore_errors=True)
            try:
                make(workdir)
            except Exception as error:
                failed.write_text(str(error))
                raise
            done.touch()
    return workdir


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
    """The workflow built once on the embedded data (the slow part of the suite); shared by
    every worker, so read-only: a test that runs Snakemake in it uses `copy_build`."""

    def make(workdir: Path) -> None:
        run_snakemake(copy_workflow(workdir))

    return shared_build(tmp_path_factory, "build", make)


@pytest.fixture(scope="session")
def pd_build(tmp_path_factory) -> Path:
    """The preventive-domain study built once on its embedded data, shared by every worker
    (read-only, as `built_workflow`): its results folder."""

    def make(workdir: Path) -> None:
        run_snakemake(copy_workflow(workdir), "--configfile", "config/preventive.yaml")

    return shared_build(tmp_path_factory, "preventive", make) / "results" / "pd"


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
    kept in `keyed_run.log`. Tests whose exports are not the embedded ones start here.
    Shared by every worker, so read-only: tests work on a `copy_build` of it."""

    def make(workdir: Path) -> None:
        copy_build(built_workflow, workdir)
        export, row, item, value = KEYED_CHANGE
        old = rewrite_veo(workdir / export, workdir / export, row, item, value)
        assert old != value
        result = run_snakemake(workdir, env=KEYED)
        (workdir / "keyed_run.log").write_text(result.stdout + result.stderr)

    return shared_build(tmp_path_factory, "keyed", make)


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
