"""Scheduled re-runs on new data: pick up new exports, rebuild what changed, log the run.

    python -m ekc.core.runs update            # in the project, or any folder below it

New exports are dropped into `incoming/<YYYY-MM-DD>/<file>`, where `<file>` has the file name
of a configured export (`incoming/2026-05-04/veo.sav` replaces `data/veo.sav`); they must be
regular files (no symlinks), and an export git tracks (the embedded demo data) is never
replaced. One `update`:

1. takes the project's lock (`.snakemake/ekc-build.lock`, which every `snakemake` build takes):
   while a build or another update runs it exits at once (code 3);
2. copies the working tree with its results and Snakemake's records to a staging folder in the
   private area (`private/.staging/`, owner-only; a folder left by a killed run is removed at
   the next start), and puts the newest export of each name over the configured file there;
3. checks that every new export can be read, then runs Snakemake in the staging folder: the
   exports are validated by the workflow's own rules and only what depends on a change is
   rebuilt (Snakemake's rerun triggers: input, mtime, params, code, software-env);
4. only when the build succeeds, copies the new exports and every rebuilt file back and moves
   the dated folders to `incoming/applied/`; a failed run leaves exports and results as they
   were and keeps its folder in `incoming/` for the next try;
5. appends one JSON line to `results/runs.jsonl` (a whole line or nothing): when, the new
   exports and every input whose checksum changed (before/after), the jobs Snakemake ran, the
   files it rewrote and those whose content changed, the outcome and, for a failure, why.

Snakemake runs supervised: SIGTERM, SIGINT or SIGHUP to the update reach it as SIGINT, and
with `--timeout` it is stopped the same way when the time is up; one that has not stopped
`--grace` seconds later is killed (SIGKILL). Nothing is published from a stopped run, the
staging folder is removed, the lock released, and the run log says how it ended.

See docs/scheduled-runs.md for cron and systemd timer set-ups.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ekc.core import paths
from ekc.core.build_lock import LOCK_FILE, BuildLocked, build_lock
from ekc.core.provenance import git_state, sha256
from ekc.core.pseudonym import UnsafePseudonymKey, check_key_file

RUN_LOG = Path("results/runs.jsonl")
RUN_LOG_DIR = Path("logs/runs")
# Failure lists of failed runs (row-level values), kept in the private area.
PRIVATE_RUN_DIR = Path("private/runs")
# Staging copies of running updates: in the private area, owner-only.
STAGING = Path("private/.staging")
MANIFEST = Path("results/provenance/manifest.json")
DEFAULT_CONFIG = Path("config/config.yaml")
INCOMING = Path("incoming")
APPLIED = "applied"
# Never copied to the staging folder: version control, environments, caches, the lock.
STAGING_SKIP = {".git", ".venv", "incoming", ".pytest_cache", ".ruff_cache", ".snakemake"}
# Snakemake's records of what it built, needed to rebuild only what changed.
SNAKEMAKE_RECORDS = (".snakemake/metadata", ".snakemake/incomplete")
BUILD_FOLDERS = ("results", "private", "logs")
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EXIT_FAILED = 1
EXIT_NO_PROJECT = 2
EXIT_LOCKED = 3
EXIT_STOPPED = 4
# Seconds Snakemake gets to stop after SIGINT before it is killed.
GRACE_SECONDS = 60
# Lines of Snakemake's output that say why a job failed (exception lines of the job scripts).
_JOB_LINE = re.compile(r"^\s*(?:local)?rule (\w+):\s*$", re.MULTILINE)
_ERROR_RULE = re.compile(r"Error in rule (\w+):")
_EXCEPTION = re.compile(r"^(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*(?:Error|Exception|Failed)): (\S.*)$")
# Snakemake's own wrappers around a job's failure; the job's exception says more.
_WRAPPERS = {"RuleException", "WorkflowError", "CalledProcessError"}


# Another build or update holds the project's lock.
RunLocked = BuildLocked
# The lock, as every build takes it (ekc.core.build_lock).
run_lock = build_lock


class NotAProject(RuntimeError):
    """The folder is not an ekc-pipeline project (no Snakefile and workflow/rules)."""


class RunFailed(RuntimeError):
    def __init__(self, stage: str, reason: str, failed_rules: list[str] | None = None):
        super().__init__(reason)
        self.stage = stage
        self.reason = reason
        self.failed_rules = failed_rules or []


@dataclass
class RunRecord:
    run_id: str
    started: str
    root: Path
    outcome: str = "failed"
    stage: str | None = None
    reason: str | None = None
    failed_rules: list[str] = field(default_factory=list)
    incoming: list[dict] = field(default_factory=list)
    inputs_changed: list[dict] = field(default_factory=list)
    jobs: dict[str, int] = field(default_factory=dict)
    rewritten: list[str] = field(default_factory=list)
    outputs_changed: list[dict] = field(default_factory=list)
    log: str | None = None
    stale_staging_removed: list[str] = field(default_factory=list)

    def as_json(self, finished: str, seconds: float) -> dict:
        code = git_state(self.root)
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": finished,
            "seconds": round(seconds, 1),
            "outcome": self.outcome,
            "stage": self.stage,
            "reason": self.reason,
            "failed_rules": self.failed_rules,
            "incoming": self.incoming,
            "inputs_changed": self.inputs_changed,
            "rebuilt": {"jobs": dict(sorted(self.jobs.items())), "files": self.rewritten},
            "outputs_changed": self.outputs_changed,
            "code": {"commit": code["commit"], "dirty": code["dirty"]},
            "log": self.log,
            "stale_staging_removed": self.stale_staging_removed,
        }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def configured_exports(root: Path, configfile: Path = DEFAULT_CONFIG) -> dict[str, str]:
    """File name -> configured path of every raw export (two sources may share one file)."""
    config = yaml.safe_load((root / configfile).read_text(encoding="utf-8"))
    exports: dict[str, str] = {}
    for source in config["sources"].values():
        path = source["file"]
        if Path(path).is_absolute() or ".." in Path(path).parts:
            raise RunFailed(
                "incoming",
                f"export {path} lies outside the working directory; scheduled runs only "
                "replace exports inside it (use a relative path, e.g. data/<file>)",
            )
        other = exports.setdefault(Path(path).name, path)
        if other != path:
            raise RunFailed(
                "incoming", f"two configured exports share the file name {Path(path).name}"
            )
    return exports


def find_incoming(incoming: Path, exports: dict[str, str]) -> tuple[dict[str, Path], list[Path]]:
    """The newest incoming file per export name, and the dated folders looked at."""
    if not incoming.is_dir():
        return {}, []
    problems, folders, newest = [], [], {}
    for folder in sorted(incoming.iterdir()):
        if folder.name == APPLIED or folder.name.startswith("."):
            continue
        if folder.is_symlink():
            problems.append(f"{folder.name}: a symlink, not a folder (copy the exports in)")
            continue
        if not folder.is_dir() or not DATED.match(folder.name):
            problems.append(f"{folder.name}: not a folder named YYYY-MM-DD")
            continue
        try:
            dt.date.fromisoformat(folder.name)
        except ValueError:
            problems.append(f"{folder.name}: not a valid date")
            continue
        folders.append(folder)
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_symlink():
                problems.append(
                    f"{folder.name}/{path.name}: a symlink; incoming exports must be the files "
                    "themselves (copy the export in)"
                )
            elif not paths.regular_file_inside(path, incoming):
                problems.append(f"{folder.name}/{path.name}: not a regular file")
            elif path.name not in exports:
                problems.append(
                    f"{folder.name}/{path.name}: no configured export has this name "
                    f"(expected one of: {', '.join(sorted(exports))})"
                )
            else:
                newest[path.name] = path  # folders are sorted by date: the newest wins
    if problems:
        raise RunFailed("incoming", "; ".join(problems))
    return newest, folders


def _copy_tree(root: Path, staging: Path) -> None:
    def skip(folder: str, names: list[str]) -> set[str]:
        skipped = {"__pycache__"} & set(names)
        if Path(folder) == root:
            skipped |= STAGING_SKIP & set(names)
        if Path(folder) == root / RUN_LOG.parent:
            skipped |= {RUN_LOG.name} & set(names)
        if Path(folder) == root / STAGING.parent:
            skipped |= {STAGING.name, PRIVATE_RUN_DIR.name} & set(names)
        return skipped

    # copy2 keeps modification times: Snakemake compares them to decide what is out of date.
    shutil.copytree(root, staging, ignore=skip, symlinks=True, dirs_exist_ok=True)
    os.chmod(staging, paths.PRIVATE_DIR_MODE)  # copytree gave it the project's mode
    for records in SNAKEMAKE_RECORDS:
        if (root / records).is_dir():
            shutil.copytree(root / records, staging / records, dirs_exist_ok=True)
    if (root / ".snakemake/conda").is_dir():
        # Conda environments are shared, not rebuilt for every staging copy.
        (staging / ".snakemake").mkdir(exist_ok=True)
        (staging / ".snakemake/conda").symlink_to(root / ".snakemake/conda")


def _check_readable(path: Path, exports_config: dict) -> None:
    """A new export must at least open; the full validation is the workflow's own rule."""
    from ekc.core.readers import ExportReadError, read_export

    for options in exports_config:
        read_options = {k: options[k] for k in ("sheet", "delimiter", "encoding") if k in options}
        try:
            read_export(path, **read_options)
        except ExportReadError as err:
            # Only the reader's message: it names the file and the problem, never cell values.
            raise RunFailed("validate", str(err).replace(str(path.parent) + os.sep, "")) from None


def _snapshot(base: Path) -> dict[str, tuple[int, int]]:
    state = {}
    for folder in BUILD_FOLDERS:
        for path in (base / folder).rglob("*"):
            if path.is_file():
                stat = path.stat()
                state[path.relative_to(base).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return state


def _hash_or_none(path: Path) -> str | None:
    return sha256(path) if path.is_file() else None


def _manifest(base: Path) -> dict:
    path = base / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def failure_reason(output: str, staging: Path | None = None) -> tuple[list[str], str]:
    """The rules that failed and the exception lines their jobs printed."""
    if staging is not None:
        output = output.replace(f"{staging}{os.sep}", "")
    rules = sorted(set(_ERROR_RULE.findall(output)))
    lines = []
    for line in output.splitlines():
        match = _EXCEPTION.match(line.strip())
        if match and match.group(1) not in _WRAPPERS and match.group(0) not in lines:
            lines.append(match.group(0))
    message = " | ".join(lines[-3:]) if lines else "see the run's Snakemake log"
    prefix = f"rule {', '.join(rules)} failed: " if rules else "Snakemake failed: "
    return rules, (prefix + message)[:2000]


def _snakemake() -> str:
    beside = Path(sys.executable).with_name("snakemake")
    return str(beside) if beside.exists() else (shutil.which("snakemake") or "snakemake")


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


class _StopRequest:
    """Why the update was asked to stop (a signal or its timeout), and the Snakemake to stop."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.process: subprocess.Popen | None = None

    def ask(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        if self.process is not None and self.process.poll() is None:
            # SIGINT, not SIGTERM: docs/snakemake-sigterm-deadlock.md
            _signal_group(self.process, signal.SIGINT)

    def check(self) -> None:
        if self.reason is not None:
            raise RunFailed("stopped", f"stopped ({self.reason}) before anything was published")


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@contextlib.contextmanager
def _stop_requests() -> Iterator[_StopRequest]:
    """While an update runs, SIGTERM, SIGINT and SIGHUP ask it to stop: it stops Snakemake,
    removes its staging folder, releases the lock and logs the run, instead of dying mid-way."""
    stop = _StopRequest()
    previous = {}
    try:
        for sig in _STOP_SIGNALS:
            previous[sig] = signal.signal(sig, lambda n, _: stop.ask(signal.Signals(n).name))
    except ValueError:
        pass  # not the main thread: no signal handlers (the timeout still applies)
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _supervise(
    process: subprocess.Popen, stop: _StopRequest, timeout: float | None, grace: float
) -> tuple[int, bool]:
    """Wait for Snakemake; on a stop request or at the timeout send SIGINT to its process group
    and, when it has not ended `grace` seconds later, SIGKILL. Returns (exit code, killed)."""
    stop.process = process
    started = time.monotonic()
    asked_at = None
    try:
        if stop.reason is not None:
            stop.ask(stop.reason)
        while True:
            try:
                return process.wait(timeout=0.2), False
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if stop.reason is None and timeout is not None and now - started > timeout:
                stop.ask(f"timeout after {timeout:g} s")
            if stop.reason is not None:
                asked_at = asked_at or now
                if now - asked_at > grace:
                    _signal_group(process, signal.SIGKILL)
                    return process.wait(), True
    finally:
        stop.process = None


def _run_snakemake(
    root: Path,
    staging: Path,
    cores: int,
    targets: list[str],
    extra: list[str],
    log: Path,
    stop: _StopRequest,
    timeout: float | None = None,
    grace: float = GRACE_SECONDS,
) -> tuple[int, str]:
    """Snakemake in the staging copy, in its own process group, its output in `log`."""
    env = dict(os.environ)
    if (root / ".git").exists():
        # The staging copy has no .git: let git (code version in the report and manifest)
        # compare it with the repository it came from, without touching the index.
        env |= {
            "GIT_DIR": str(root / ".git"),
            "GIT_WORK_TREE": str(staging),
            "GIT_OPTIONAL_LOCKS": "0",
        }
    if (staging / "src" / "ekc").is_dir():
        # Jobs import the package from the staging copy: the code Snakemake checked for changes
        # is the code that runs, even if the working tree is edited meanwhile.
        paths_ = [str(staging / "src"), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths_ if p)
    command = [_snakemake(), "--cores", str(cores), *extra, *targets]
    stop.check()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command,
            cwd=staging,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        returncode, killed = _supervise(process, stop, timeout, grace)
    output = log.read_text(encoding="utf-8", errors="replace")
    if stop.reason is not None:
        how = f"killed (SIGKILL) {grace:g} s after SIGINT" if killed else "stopped on SIGINT"
        raise RunFailed(
            "stopped",
            f"stopped ({stop.reason}): Snakemake {how}, exit code {returncode}; nothing was "
            "published, the staging folder was removed",
        )
    return returncode, output


def _copy_back(staging: Path, root: Path, targets: list[str]) -> None:
    """Put the new exports and every rebuilt file in place; unchanged files are left alone."""
    for target in targets:
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(staging / target, root / target)
    for folder in (*BUILD_FOLDERS, *SNAKEMAKE_RECORDS):
        for source in sorted((staging / folder).rglob("*")):
            if not source.is_file():
                continue
            dest = root / source.relative_to(staging)
            stat = source.stat()
            if dest.is_file():
                old = dest.stat()
                if (old.st_mtime_ns, old.st_size) == (stat.st_mtime_ns, stat.st_size):
                    continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
    # A job finished in staging is no longer incomplete here either.
    incomplete = root / ".snakemake/incomplete"
    if incomplete.is_dir():
        for marker in incomplete.rglob("*"):
            if marker.is_file() and not (staging / marker.relative_to(root)).exists():
                marker.unlink()


def _archive(folders: list[Path], incoming: Path) -> None:
    for folder in folders:
        dest = incoming / APPLIED / folder.name
        n = 1
        while dest.exists():
            n += 1
            dest = incoming / APPLIED / f"{folder.name}.{n}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(folder), str(dest))


def _keep_failure_logs(staging: Path, root: Path, before: dict, run_id: str) -> None:
    """Logs the failed run wrote go to logs/runs/<id>/; its failure lists (row-level values)
    to private/runs/<id>/. The logs of the intact results stay as they were."""
    for rel, state in _snapshot(staging).items():
        if before.get(rel) == state:
            continue
        if rel.startswith("logs/"):
            dest = root / RUN_LOG_DIR / run_id / rel
        elif rel.startswith("private/qc/failed/"):
            dest = root / PRIVATE_RUN_DIR / run_id / Path(rel).relative_to("private")
        else:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(staging / rel, dest)


def _drop_partial_line(fd: int, size: int) -> int:
    """A last line without its newline was cut off (a write interrupted before this code kept
    lines whole): it is removed, so the next line starts on its own. Returns the new size."""
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    end = size
    while end > 0:
        start = max(0, end - 4096)
        block = os.pread(fd, end - start, start)
        cut = block.rfind(b"\n")
        if cut >= 0:
            end = start + cut + 1
            break
        end = start
    os.ftruncate(fd, end)
    print(f"{RUN_LOG}: removed an incomplete last line ({size - end} bytes)", file=sys.stderr)
    return end


def append_run_log(root: Path, entry: dict) -> None:
    """Append one line to the run log: the whole line or nothing (a full disk truncates the
    file back), never interleaved with another writer's (a refused run writes without the
    build lock, so the file itself is locked)."""
    path = root / RUN_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode()
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = _drop_partial_line(fd, os.fstat(fd).st_size)
        try:
            written = 0
            while written < len(line):
                n = os.write(fd, line[written:])
                if n == 0:
                    raise OSError(errno.ENOSPC, "no space left for the run log")
                written += n
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def project_root(root: str | Path | None = None) -> Path:
    """The project `root` names, else the one around the current folder (NotAProject if none)."""
    if root is None:
        found = paths.find_project()
        if found is None:
            raise NotAProject(
                f"{Path.cwd()} is not inside an ekc-pipeline project (a folder with the "
                "Snakefile and workflow/rules/); run the command there or pass --root <project>"
            )
        return found
    root = Path(root).resolve()
    if not paths.is_project(root):
        raise NotAProject(
            f"{root} is not an ekc-pipeline project (no Snakefile and workflow/rules/); "
            "pass --root <project>"
        )
    return root


def clear_staging(root: Path) -> list[str]:
    """Remove staging folders of earlier updates (a killed run leaves its own); only called
    while holding the lock, when no other update can be using one."""
    parent = root / STAGING
    left = sorted(p.name for p in parent.iterdir()) if parent.is_dir() else []
    for name in left:
        shutil.rmtree(parent / name, ignore_errors=True)
    return left


def _staging_folder(root: Path, run_id: str) -> Path:
    paths.secure_private_area(root / STAGING.parent)
    (root / STAGING).mkdir(mode=paths.PRIVATE_DIR_MODE, exist_ok=True)
    os.chmod(root / STAGING, paths.PRIVATE_DIR_MODE)
    return Path(tempfile.mkdtemp(prefix=f"ekc-run-{run_id}-", dir=root / STAGING))


def _tracked_by_git(root: Path, rel: str) -> bool:
    if not (root / ".git").exists():
        return False
    try:
        found = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", rel],
            cwd=root,
            capture_output=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return found.returncode == 0


def _copy_export(source: Path, target: Path) -> None:
    """Copy an incoming export without following a symlink swapped in after the check."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise RunFailed("incoming", f"{source.name}: not a regular file")
        target.parent.mkdir(parents=True, exist_ok=True)
        # A new file, created under the update's umask (rewriting the old one kept its mode).
        target.unlink(missing_ok=True)
        with target.open("wb") as out:
            shutil.copyfileobj(handle, out)


def update(
    root: str | Path | None = None,
    *,
    incoming: Path | None = None,
    cores: int = 2,
    targets: list[str] | None = None,
    snakemake_args: list[str] | None = None,
    configfile: Path = DEFAULT_CONFIG,
    keep_staging: bool = False,
    timeout: float | None = None,
    grace: float = GRACE_SECONDS,
) -> dict:
    """One scheduled run; returns the run-log entry it appended (NotAProject, with nothing
    written, when `root` is not a project)."""
    root = project_root(root)
    incoming = (root / (incoming or INCOMING)).resolve()
    start = _now()
    clock = time.monotonic()
    run_id, n = start.strftime("%Y%m%dT%H%M%SZ"), 1
    while (root / RUN_LOG_DIR / f"{run_id}.log").exists():  # two runs within one second
        n += 1
        run_id = f"{start.strftime('%Y%m%dT%H%M%SZ')}-{n}"
    record = RunRecord(run_id=run_id, started=_iso(start), root=root)
    umask = os.umask(paths.UMASK)
    try:
        with _stop_requests() as stop, build_lock(root / LOCK_FILE):
            record.stale_staging_removed = clear_staging(root)
            _update(
                root,
                incoming,
                cores,
                targets or [],
                snakemake_args or [],
                configfile,
                keep_staging,
                record,
                stop,
                timeout,
                grace,
            )
    except RunLocked as err:
        record.outcome, record.stage, record.reason = "refused", "lock", str(err)
    except RunFailed as err:
        record.outcome = "stopped" if err.stage == "stopped" else "failed"
        record.stage, record.reason = err.stage, err.reason
        record.failed_rules = err.failed_rules
    except Exception as err:
        # Unexpected (disk full, permissions): still one line in the run log, then the traceback.
        record.outcome, record.stage = "failed", "internal"
        record.reason = f"{type(err).__name__}: {err}"
        append_run_log(root, record.as_json(_iso(_now()), time.monotonic() - clock))
        raise
    finally:
        os.umask(umask)
    entry = record.as_json(_iso(_now()), time.monotonic() - clock)
    append_run_log(root, entry)
    return entry


def _update(
    root: Path,
    incoming: Path,
    cores: int,
    targets: list[str],
    extra: list[str],
    configfile: Path,
    keep_staging: bool,
    record: RunRecord,
    stop: _StopRequest,
    timeout: float | None,
    grace: float,
) -> None:
    if not incoming.is_relative_to(root) or (root / INCOMING).is_symlink():
        raise RunFailed("incoming", f"{incoming} is not a folder inside the project")
    exports = configured_exports(root, configfile)
    newest, folders = find_incoming(incoming, exports)
    config = yaml.safe_load((root / configfile).read_text(encoding="utf-8"))
    key_file = config.get("pseudonymisation", {}).get("key_file")
    if key_file:
        # The staging copy is a project of its own: check against this one.
        try:
            check_key_file(key_file, [root])
        except UnsafePseudonymKey as err:
            raise RunFailed("key", str(err)) from None
    changed = {}
    for name, path in sorted(newest.items()):
        target = exports[name]
        before, after = _hash_or_none(root / target), sha256(path)
        record.incoming.append(
            {
                "file": path.relative_to(root).as_posix(),
                "target": target,
                "sha256_before": before,
                "sha256_after": after,
                "changed": before != after,
            }
        )
        if before != after:
            if _tracked_by_git(root, target):
                raise RunFailed(
                    "incoming",
                    f"{target} is tracked by git (embedded demo data) and is never replaced "
                    "by a real export. Keep real exports in a folder git ignores (e.g. data/), "
                    "point the config's sources at them and set a pseudonymisation key "
                    "(README: Real data).",
                )
            changed[target] = path
    staging = _staging_folder(root, record.run_id)
    try:
        _copy_tree(root, staging)
        applied = []
        for target, path in changed.items():
            options = [s for s in config["sources"].values() if s["file"] == target]
            _check_readable(path, options)
            # A fresh modification time marks the export as newer than what was built.
            _copy_export(path, staging / target)
            applied.append(target)
        stop.check()
        before = _snapshot(staging)
        if Path(configfile) != DEFAULT_CONFIG:
            extra = ["--configfile", str(configfile), *extra]
        log = root / RUN_LOG_DIR / f"{record.run_id}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        record.log = log.relative_to(root).as_posix()
        returncode, output = _run_snakemake(
            root, staging, cores, targets, extra, log, stop, timeout, grace
        )
        record.jobs = dict(Counter(_JOB_LINE.findall(output)))
        if returncode != 0:
            _keep_failure_logs(staging, root, before, record.run_id)
            rules, reason = failure_reason(output, staging)
            stage = "validate" if any(r.startswith("validate_") for r in rules) else "build"
            raise RunFailed(stage, reason, rules)
        after = _snapshot(staging)
        record.rewritten = sorted(
            p
            for p, state in after.items()
            if p.startswith(("results/", "private/")) and before.get(p) != state
        )
        old_manifest, new_manifest = _manifest(root), _manifest(staging)
        owners = new_manifest.get("outputs", {})
        for rel in record.rewritten:
            old, new = _hash_or_none(root / rel), sha256(staging / rel)
            if old != new:
                record.outputs_changed.append(
                    {
                        "path": rel,
                        "rule": owners.get(rel, {}).get("rule"),
                        "sha256_before": old,
                        "sha256_after": new,
                    }
                )
        candidates = {
            p
            for manifest in (old_manifest, new_manifest)
            for p, e in manifest.get("files", {}).items()
            if e["role"] in {"input", "workflow"}
        } | set(exports.values())
        for rel in sorted(candidates):
            old, new = _hash_or_none(root / rel), _hash_or_none(staging / rel)
            if old != new:
                record.inputs_changed.append(
                    {"path": rel, "sha256_before": old, "sha256_after": new}
                )
        # Past this point the run publishes; a stop request now waits for it to finish.
        _copy_back(staging, root, applied)
        _archive(folders, incoming)
        record.outcome = "success"
    finally:
        if keep_staging:
            print(f"staging folder kept: {staging}", file=sys.stderr)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ekc.core.runs",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("update", help="pick up new exports and rebuild what changed")
    run.add_argument(
        "--root", type=Path, help="the project (default: the one around the current folder)"
    )
    run.add_argument("--incoming", type=Path, default=INCOMING, help="relative to --root")
    run.add_argument("--cores", type=int, default=min(4, os.cpu_count() or 1))
    run.add_argument("--configfile", type=Path, default=DEFAULT_CONFIG)
    run.add_argument(
        "--target", action="append", default=[], help="build this file instead of the default"
    )
    run.add_argument("--keep-staging", action="store_true", help="keep the staging folder")
    run.add_argument(
        "--timeout",
        type=float,
        help="stop Snakemake (SIGINT) after this many seconds; nothing is published",
    )
    run.add_argument(
        "--grace",
        type=float,
        default=GRACE_SECONDS,
        help=f"seconds between SIGINT and SIGKILL (default {GRACE_SECONDS})",
    )
    run.add_argument(
        "snakemake_args", nargs="*", help="passed to Snakemake after '--', e.g. -- --quiet"
    )
    args = parser.parse_args(argv)
    try:
        entry = update(
            args.root,
            incoming=args.incoming,
            cores=args.cores,
            targets=args.target,
            snakemake_args=args.snakemake_args,
            configfile=args.configfile,
            keep_staging=args.keep_staging,
            timeout=args.timeout,
            grace=args.grace,
        )
    except NotAProject as err:
        print(f"not started: {err}", file=sys.stderr)
        return EXIT_NO_PROJECT
    if entry["outcome"] == "refused":
        print(entry["reason"], file=sys.stderr)
        return EXIT_LOCKED
    changed = [i["target"] for i in entry["incoming"] if i["changed"]]
    print(f"run {entry['run_id']}: {entry['outcome']}")
    print(f"new exports: {', '.join(changed) or 'none'}")
    jobs = entry["rebuilt"]["jobs"]
    print("jobs run: " + (", ".join(f"{r} x{n}" for r, n in jobs.items()) or "none"))
    if entry["outcome"] != "success":
        print(f"{entry['outcome']} ({entry['stage']}): {entry['reason']}", file=sys.stderr)
        print(f"previous results are unchanged; Snakemake log: {entry['log']}", file=sys.stderr)
        return EXIT_STOPPED if entry["outcome"] == "stopped" else EXIT_FAILED
    print(f"run log: {RUN_LOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
