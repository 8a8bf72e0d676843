#!/usr/bin/env python3
"""Set up the pinned environment on first use, then build the report or run the tests.

    python3 run.py report   # build every result and the three PDFs on the embedded data
    python3 run.py test     # run the full test suite (in parallel: pytest-xdist)
    python3 run.py slurm    # build them on a SLURM cluster (profiles/slurm)

Only the standard library is used here, because this runs before anything is installed.
The virtual environment lives in `.venv/` and is rebuilt when `requirements.lock` or
`pyproject.toml` change (a hash of both is kept in `.venv/ekc-lock.sha256`).

The SLURM executor plugin (the `slurm` extra, pinned in `requirements-slurm.lock`) is
installed apart, in `.venv/slurm-plugin/`, and put on PYTHONPATH only by the commands that
use it (`slurm`, `test`): Snakemake imports every executor plugin it can find at each start,
and this one probes sacct, squeue and scontrol when imported, which costs a local run
seconds, or minutes where a SLURM client is installed but its controller is not reachable.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "ekc-lock.sha256"
PINNED = [ROOT / "requirements.lock", ROOT / "pyproject.toml"]
SLURM_LOCK = ROOT / "requirements-slurm.lock"
SLURM_PLUGIN = VENV / "slurm-plugin"


def _lock_hash(paths: list[Path] = PINNED) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def ensure_environment() -> None:
    if ctypes.util.find_library("pango-1.0") is None:
        sys.exit(
            "WeasyPrint needs the Pango library, which this machine lacks.\n"
            "Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        )
    wanted = _lock_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "install", "--quiet", "-r", "requirements.lock"])
    _run([*pip, "install", "--quiet", "--no-deps", "-e", "."])
    STAMP.write_text(wanted + "\n")


def ensure_slurm_plugin(python: Path = BIN / "python", target: Path = SLURM_PLUGIN) -> Path:
    """The SLURM executor plugin in its own folder (`target`), installed from its lock on
    first use and again when the lock changes; its dependencies are in the main lock."""
    stamp = target / "ekc-lock.sha256"
    wanted = _lock_hash([SLURM_LOCK])
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return target
    shutil.rmtree(target, ignore_errors=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    _run([*pip, "--no-deps", "--target", str(target), "-r", str(SLURM_LOCK)])
    stamp.write_text(wanted + "\n")
    return target


def with_slurm_plugin(env: dict[str, str], plugin: Path) -> dict[str, str]:
    """`env` with the plugin importable (SLURM jobs inherit it: sbatch --export=ALL)."""
    paths = [str(plugin), *filter(None, [env.get("PYTHONPATH")])]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}


def readable(extra: list[str]) -> list[str]:
    """Progress a person can follow: a progress bar per rule at a terminal, a short summary
    elsewhere (snakemake-logger-plugin-rich), unless the command chose its own logging.
    Snakemake's full log still goes to .snakemake/log/, and the last line names the file."""
    if any(arg.startswith(("--logger", "--quiet", "-q")) for arg in extra):
        return extra
    return [*extra, "--logger", "rich"]


def parallel(extra: list[str]) -> list[str]:
    """The suite spread over pytest-xdist workers, a test module at a time per worker (the
    order and the builds the workers share: tests/conftest.py), unless the command chose
    (`-n 0` runs in one process, for `-s` or a debugger). Two workers at least: much of a
    workflow test's time is spent waiting (SLURM, one-core stretches of a build)."""
    if any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in extra):
        return []
    if "no:xdist" in extra:
        return []
    workers = min(4, max(2, os.cpu_count() or 1))
    return ["-n", str(workers), "--dist", "loadfile", "--no-loadscope-reorder"]


def main(argv: list[str]) -> int:
    if sys.version_info[:2] < (3, 11):  # noqa: UP036 - this file runs before the venv exists
        sys.exit("ekc-pipeline needs Python 3.11 or newer (Snakemake 9 does).")
    if not argv or argv[0] not in {"report", "test", "setup", "slurm"}:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    ensure_environment()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if command == "setup":
        return 0
    if command == "report":
        cores = str(min(4, os.cpu_count() or 1))
        cmd = [str(BIN / "snakemake"), "--cores", cores, *readable(extra)]
    elif command == "slurm":
        env = with_slurm_plugin(env, ensure_slurm_plugin())
        cmd = [str(BIN / "snakemake"), "--profile", "profiles/slurm", *readable(extra)]
    else:
        # the suite's SLURM tests use the plugin; its local runs must not see it
        env["EKC_SLURM_PLUGIN"] = str(ensure_slurm_plugin())
        cmd = [str(BIN / "python"), "-m", "pytest", *parallel(extra), *extra]
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
