"""One lock for every build and every scheduled update of a project.

`snakemake` (the workflow takes it as it starts, `workflow/rules/core/common.smk`) and
`python -m ekc.core.runs update` take the same exclusive lock, `.snakemake/ekc-build.lock`
(beside Snakemake's own records, not among the results), so an
update never publishes results into a build that is running, nor a build into an update.
It is an OS file lock: the kernel drops it when its process ends, however it ends, so a
killed run never leaves a stale lock behind. Because every build of the project holds it,
Snakemake's own lock files found while holding it were left by a killed run and are removed
(no `snakemake --unlock` needed).

Also here: SIGTERM handled like Ctrl-C. Snakemake 9.27.1's own SIGTERM handler can deadlock
(docs/snakemake-sigterm-deadlock.md); SIGINT takes Snakemake's path that cancels the running
jobs and exits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import signal
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = Path(".snakemake/ekc-build.lock")
SNAKEMAKE_LOCKS = Path(".snakemake/locks")
# Locks this process holds (path -> descriptor): the Snakefile may be read twice in a process.
_HELD: dict[Path, int] = {}


class BuildLocked(RuntimeError):
    """Another build or update of the project holds the lock."""


def _acquire(path: Path, holder: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        other = os.read(fd, 200).decode(errors="replace").strip() or "unknown process"
        os.close(fd)
        raise BuildLocked(
            f"another run is in progress ({other}; lock {path}); not starting a second one. "
            "Wait for it to finish: a build and an update of one project never run together."
        ) from None
    os.ftruncate(fd, 0)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    os.write(fd, f"pid {os.getpid()}, {holder}, started {started}\n".encode())
    return fd


def _release(fd: int) -> None:
    os.ftruncate(fd, 0)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextlib.contextmanager
def build_lock(path: str | Path, holder: str = "ekc.core.runs update") -> Iterator[None]:
    """Hold the project's lock for the block (BuildLocked if another run holds it)."""
    path = Path(path).resolve()
    if path in _HELD:
        yield
        return
    fd = _acquire(path, holder)
    _HELD[path] = fd
    try:
        yield
    finally:
        del _HELD[path]
        _release(fd)


def hold_build_lock(path: str | Path, holder: str = "snakemake build") -> None:
    """Take the project's lock until this process ends (a Snakemake build)."""
    path = Path(path).resolve()
    if path not in _HELD:
        _HELD[path] = _acquire(path, holder)


def clear_stale_snakemake_locks(root: str | Path) -> list[str]:
    """Remove Snakemake's lock files; only called while holding the build lock, when no other
    build of this project can be running, so any found were left by a killed run."""
    locks = Path(root) / SNAKEMAKE_LOCKS
    removed = []
    if locks.is_dir():
        for lock in sorted(locks.glob("*.lock")):
            lock.unlink(missing_ok=True)
            removed.append(lock.name)
    return removed


def _forward_as_sigint(signum, frame) -> None:
    os.kill(os.getpid(), signal.SIGINT)


def sigterm_as_sigint() -> None:
    """SIGTERM is sent on as SIGINT, to whichever handler SIGINT has at that moment (Python's
    KeyboardInterrupt, or asyncio's, which cancels its running task cleanly)."""
    signal.signal(signal.SIGTERM, _forward_as_sigint)
