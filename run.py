#!/usr/bin/env python3
"""Set up the pinned environment on first use, then build the report or run the tests.

    python3 run.py report   # build every result and the three PDFs on the embedded data
    python3 run.py test     # run the full test suite

Only the standard library is used here, because this runs before anything is installed.
The virtual environment lives in `.venv/` and is rebuilt when `requirements.lock` or
`pyproject.toml` change (a hash of both is kept in `.venv/ekc-lock.sha256`).
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "ekc-lock.sha256"
PINNED = [ROOT / "requirements.lock", ROOT / "pyproject.toml"]


def _lock_hash() -> str:
    digest = hashlib.sha256()
    for path in PINNED:
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


def main(argv: list[str]) -> int:
    if sys.version_info[:2] < (3, 11):  # noqa: UP036 - this file runs before the venv exists
        sys.exit("ekc-pipeline needs Python 3.11 or newer (Snakemake 9 does).")
    if not argv or argv[0] not in {"report", "test", "setup"}:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    ensure_environment()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if command == "setup":
        return 0
    if command == "report":
        cores = str(min(4, os.cpu_count() or 1))
        cmd = [str(BIN / "snakemake"), "--cores", cores, *extra]
    else:
        cmd = [str(BIN / "python"), "-m", "pytest", *extra]
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
