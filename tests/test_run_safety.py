"""`python -m ekc.core.runs update` without Snakemake: where it runs, what it refuses, its
private staging folder, how it stops a build it supervises, and its run log's whole lines.

A stand-in build tool takes Snakemake's place (runs._snakemake), so these tests start no
workflow; the workflow side is in test_scheduled_runs.py.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyreadstat

from ekc.core import runs
from ekc.core.build_lock import build_lock

DRIVER = textwrap.dedent(
    """
    import sys
    from ekc.core import runs
    runs._snakemake = lambda: sys.argv[1]
    sys.exit(runs.main(["update", *sys.argv[2:]]))
    """
)
# Stands in for Snakemake: records where it runs and what reaches it, then waits.
TOOL = textwrap.dedent(
    """
    import os, signal, stat, sys, time
    from pathlib import Path
    here = Path.cwd()
    Path("results").mkdir(exist_ok=True)
    Path("results/written.txt").write_text("x")
    modes = {
        "staging": oct(stat.S_IMODE(here.stat().st_mode)),
        "staging_parent": oct(stat.S_IMODE(here.parent.stat().st_mode)),
        "private": oct(stat.S_IMODE(here.parents[1].stat().st_mode)),
        "written": oct(stat.S_IMODE(Path("results/written.txt").stat().st_mode)),
    }
    report = Path(os.environ["TOOL_REPORT"])
    def stopped(signum, frame):
        with report.open("a") as out:
            out.write(signal.Signals(signum).name + "\\n")
        sys.exit(130)
    signal.signal(signal.SIGINT, signal.SIG_IGN if os.environ.get("TOOL_STUBBORN") else stopped)
    report.write_text(f"pid {os.getpid()} {here} {modes}\\n")
    if os.environ.get("TOOL_QUICK"):
        sys.exit(0)
    time.sleep(600)
    """
)


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "workflow/rules").mkdir(parents=True)
    (root / "Snakefile").write_text("")
    (root / "config").mkdir()
    (root / "config/config.yaml").write_text("sources:\n  veo:\n    file: data/veo.sav\n")
    (root / "data").mkdir()
    (root / "data/veo.sav").write_bytes(b"embedded")
    return root


def last_entry(root: Path) -> dict:
    return json.loads((root / runs.RUN_LOG).read_text().splitlines()[-1])


def start_update(tmp_path: Path, root: Path, *args: str, **env: str) -> tuple:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    tool = tmp_path / "build_tool"
    tool.write_text(f"#!{sys.executable}\n{TOOL}")
    tool.chmod(0o755)
    report = tmp_path / "tool.txt"
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(tool), "--root", str(root), *args],
        env={**os.environ, "TOOL_REPORT": str(report), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not report.is_file() or "pid" not in report.read_text():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the build tool never started"
        time.sleep(0.05)
    return proc, report


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers; it has ended all the same.
    status = Path(f"/proc/{pid}/stat")
    return not status.exists() or status.read_text().split()[2] == "Z"


def test_sigterm_reaches_the_build_as_sigint_and_nothing_stays_behind(tmp_path):
    root = project(tmp_path)
    proc, report = start_update(tmp_path, root)
    pid, staging, modes = report.read_text().split(" ", 3)[1:]
    # Staging in the private area, owner-only; what the build writes is its owner's only.
    assert Path(staging).parent == root / runs.STAGING
    assert ast.literal_eval(modes) == {
        "staging": "0o700",
        "staging_parent": "0o700",
        "private": "0o700",
        "written": "0o600",
    }
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == runs.EXIT_STOPPED, err
    assert report.read_text().splitlines()[-1] == "SIGINT"
    entry = last_entry(root)
    assert entry["outcome"] == "stopped" and "SIGTERM" in entry["reason"]
    assert "stopped on SIGINT" in entry["reason"] and "stopped (stopped)" in err
    assert list((root / runs.STAGING).iterdir()) == []
    with build_lock(root / runs.LOCK_FILE):  # released
        pass


def test_a_build_that_ignores_sigint_is_killed_after_the_grace_period(tmp_path):
    root = project(tmp_path)
    proc, report = start_update(tmp_path, root, "--timeout", "1", "--grace", "2", TOOL_STUBBORN="1")
    pid = int(report.read_text().split()[1])
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == runs.EXIT_STOPPED, err
    entry = last_entry(root)
    assert entry["outcome"] == "stopped"
    assert (
        "timeout after 1 s" in entry["reason"]
        and "killed (SIGKILL) 2 s after SIGINT" in (entry["reason"])
    )
    assert gone(pid)
    assert list((root / runs.STAGING).iterdir()) == []


def test_a_staging_folder_left_by_a_killed_run_is_removed_at_the_next_start(tmp_path):
    root = project(tmp_path)
    proc, report = start_update(tmp_path, root)
    tool_pid = int(report.read_text().split()[1])
    proc.kill()  # SIGKILL: no handler runs, the staging folder stays
    proc.wait(timeout=60)
    os.kill(tool_pid, signal.SIGKILL)
    (left,) = (root / runs.STAGING).iterdir()
    assert (left / "results/written.txt").is_file()
    (root / "incoming/not-a-date").mkdir(parents=True)  # the next run fails early
    entry = runs.update(root)
    assert entry["outcome"] == "failed" and entry["stage"] == "incoming"
    assert entry["stale_staging_removed"] == [left.name]
    assert not left.exists()


def test_runs_from_a_subfolder_and_refuses_outside_a_project(tmp_path):
    root = project(tmp_path)
    (root / "incoming/not-a-date").mkdir(parents=True)
    below = root / "docs"
    below.mkdir()
    found = subprocess.run(
        [sys.executable, "-m", "ekc.core.runs", "update"],
        cwd=below,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert found.returncode == runs.EXIT_FAILED
    assert last_entry(root)["stage"] == "incoming"
    assert sorted(p.name for p in below.iterdir()) == []

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for args in ([], ["--root", str(elsewhere)]):
        refused = subprocess.run(
            [sys.executable, "-m", "ekc.core.runs", "update", *args],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refused.returncode == runs.EXIT_NO_PROJECT
        assert "not started:" in refused.stderr and "Traceback" not in refused.stderr
        assert "is not" in refused.stderr and "ekc-pipeline project" in refused.stderr
        assert list(elsewhere.iterdir()) == []  # no runs.jsonl, no lock


def test_symlinked_incoming_exports_are_refused(tmp_path):
    root = project(tmp_path)
    outside = tmp_path / "someone-elses.sav"
    outside.write_bytes(b"not for this study")
    (root / "incoming/2026-05-04").mkdir(parents=True)
    (root / "incoming/2026-05-04/veo.sav").symlink_to(outside)
    entry = runs.update(root)
    assert entry["outcome"] == "failed" and entry["stage"] == "incoming"
    assert "2026-05-04/veo.sav: a symlink" in entry["reason"]
    (root / "incoming/2026-05-04/veo.sav").unlink()
    (root / "incoming/2026-05-04").rmdir()
    (root / "incoming/2026-05-05").symlink_to(tmp_path, target_is_directory=True)
    entry = runs.update(root)
    assert "2026-05-05: a symlink, not a folder" in entry["reason"]
    assert (root / "data/veo.sav").read_bytes() == b"embedded"


def test_an_export_git_tracks_is_never_replaced(tmp_path):
    root = project(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "data/veo.sav"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "embedded"], cwd=root, check=True)
    (root / "incoming/2026-05-04").mkdir(parents=True)
    (root / "incoming/2026-05-04/veo.sav").write_bytes(b"real export")
    entry = runs.update(root)
    assert entry["outcome"] == "failed" and entry["stage"] == "incoming"
    assert "data/veo.sav is tracked by git" in entry["reason"]
    assert "README: Real data" in entry["reason"]
    assert (root / "data/veo.sav").read_bytes() == b"embedded"
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


# --------------------------------------------------------------------------------------
# The run log: a whole line or nothing


FULL_DISK = textwrap.dedent(
    """
    import json, resource, signal, sys
    from pathlib import Path
    from ekc.core import runs
    root = Path(sys.argv[1])
    size = (root / runs.RUN_LOG).stat().st_size
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a dead process
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 40, size + 40))
    try:
        runs.append_run_log(root, {"run_id": "full", "reason": "x" * 500})
    except OSError as err:
        print(err.errno)
    """
)


def test_a_full_disk_leaves_whole_lines_only(tmp_path):
    root = tmp_path
    runs.append_run_log(root, {"run_id": "first", "outcome": "success"})
    before = (root / runs.RUN_LOG).read_bytes()
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK)
    done = subprocess.run(
        [sys.executable, str(script), str(root)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "27", done.stderr  # EFBIG: the write could not finish
    assert (root / runs.RUN_LOG).read_bytes() == before
    runs.append_run_log(root, {"run_id": "next", "outcome": "success"})
    ids = [json.loads(line)["run_id"] for line in (root / runs.RUN_LOG).open()]
    assert ids == ["first", "next"]


def test_a_cut_off_last_line_is_removed_before_the_next_one(tmp_path, capsys):
    root = tmp_path
    runs.append_run_log(root, {"run_id": "first"})
    with (root / runs.RUN_LOG).open("a") as log:
        log.write('{"run_id": "cut off by an older vers')
    runs.append_run_log(root, {"run_id": "next"})
    ids = [json.loads(line)["run_id"] for line in (root / runs.RUN_LOG).open()]
    assert ids == ["first", "next"]
    assert "removed an incomplete last line" in capsys.readouterr().err
    assert stat.S_IMODE((root / runs.RUN_LOG).stat().st_mode) == 0o600


def test_a_key_file_inside_the_project_stops_an_update_before_it_stages(tmp_path):
    root = project(tmp_path)
    key = root / "config/pseudonym.key"
    key.write_text("a-real-secret\n")
    key.chmod(0o600)
    config = root / "config/config.yaml"
    config.write_text(
        config.read_text() + f"pseudonymisation:\n  key_env: EKC_X\n  key_file: {key}\n"
    )
    entry = runs.update(root)
    assert entry["outcome"] == "failed" and entry["stage"] == "key"
    assert "lies inside" in entry["reason"] and entry["log"] is None
    assert not (root / runs.STAGING).exists() or list((root / runs.STAGING).iterdir()) == []


def test_a_new_export_is_published_owner_only(tmp_path):
    root = project(tmp_path)
    (root / "data/veo.sav").chmod(0o644)
    (root / "incoming/2026-05-04").mkdir(parents=True)
    export = root / "incoming/2026-05-04/veo.sav"
    pyreadstat.write_sav(pd.DataFrame({"veo_01": [1.0, 2.0]}), str(export))  # must open
    export.chmod(0o644)
    new = export.read_bytes()
    proc, report = start_update(tmp_path, root, TOOL_QUICK="1")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert last_entry(root)["outcome"] == "success"
    assert (root / "data/veo.sav").read_bytes() == new
    assert stat.S_IMODE((root / "data/veo.sav").stat().st_mode) == 0o600
    assert stat.S_IMODE((root / "results/written.txt").stat().st_mode) == 0o600
    assert list((root / runs.STAGING).iterdir()) == []
