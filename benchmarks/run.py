"""Benchmarks of the workflow on this machine: one command, results in benchmarks/results.*.

    python benchmarks/run.py            # full: cold, no-op, incremental, 10k/100k/1M, floor
    python benchmarks/run.py --quick    # fewer repeats, 10,000 families only

Every run happens in a private copy of the workflow under --workdir (default /tmp/bench-ekc),
never in the repository. Jobs import the copy's `src/` (PYTHONPATH), so the code measured is
the snapshot taken at the start even while the repository changes.

How it measures
- wall time of each Snakemake invocation (perf_counter around the process), and the peak of
  the summed RSS of Snakemake and all its jobs, sampled every 0.1 s with psutil;
- per job: a `sitecustomize` hook (put on PYTHONPATH) records, when the job's Python process
  exits, its rule, wildcards, wall time since process creation, CPU time and exact peak RSS
  (getrusage). The rules declare no `benchmark:` directive, so this wrapper takes its place;
- the floor: for each rule, the time to start Python and import what its job imports (the
  Snakemake script preamble plus the script's own imports), median of several starts; the
  floor of a run is the sum over its jobs divided by the cores. Every wall time is also
  reported as a ratio to that floor.
Medians are over the repeats of each scenario.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import WORKFLOW_FILES  # noqa: E402

SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
CORES = 2
RUN_TIMEOUT = 15 * 60  # seconds: no single benchmark run longer than this
EPOCH = "1199145600"  # SOURCE_DATE_EPOCH, as in the tests
# The questionnaire export changed for the incremental rerun, and the cell toggled in it.
CHANGED_EXPORT = "resources/raw/pul.csv"
CHANGED_COLUMN = "pul_01"
STAGES = {
    "clean_registration": "clean",
    "clean_case_files": "clean",
    "clean_questionnaires": "clean",
    "clean_succint": "clean",
    "clean_interviews": "clean",
    "link": "link",
    "row_accounting": "link",
    "fidelity": "report",
    "report_pdf": "report",
}
STAGE_ORDER = ["validate", "clean", "link", "analyses", "report"]
# Names of the exports' row-level files: rows per source, to set memory beside data size.
SCALE_SIZES = [10_000, 100_000, 1_000_000]
# Excel holds at most 1,048,576 rows a sheet: FREK children pass that near 690,000 families.
CSV_FROM = 500_000

HOOK = '''\
"""Benchmark hook: record each Snakemake job's wall time, CPU time and peak RSS at exit."""
import atexit
import json
import os
import resource
import sys
import time

_OUT = os.environ.get("EKC_BENCH_JOBS")


def _record():
    end = time.time()
    job = getattr(sys.modules.get("__main__"), "snakemake", None)
    rule = getattr(job, "rule", None)
    if rule is None:
        if not (sys.argv and sys.argv[0].endswith("snakemake")):
            return
        rule, wildcards = "(snakemake)", {}
    else:
        wildcards = {k: str(v) for k, v in job.wildcards.items()}
    import psutil

    start = psutil.Process().create_time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    record = {
        "rule": rule,
        "wildcards": wildcards,
        "start": start,
        "end": end,
        "wall_s": end - start,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "max_rss_mb": usage.ru_maxrss / 1024,
    }
    with open(os.path.join(_OUT, f"{os.getpid()}.json"), "w") as handle:
        json.dump(record, handle)


if _OUT:
    atexit.register(_record)
'''


# ---------------------------------------------------------------------------- running


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_mb = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self.stop.wait(self.interval)


def snakemake(workdir: Path, bench: Path, *args: str, label: str) -> dict:
    """Run Snakemake in a copy with the hook; wall time, tree peak RSS and per-job records."""
    jobs_dir = bench / "jobs" / label
    shutil.rmtree(jobs_dir, ignore_errors=True)
    jobs_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "PYTHONPATH": f"{bench / 'hook'}{os.pathsep}{workdir / 'src'}",
        "SOURCE_DATE_EPOCH": EPOCH,
        "EKC_BENCH_JOBS": str(jobs_dir),
        # Generated cohorts and toggled exports are not the embedded data: the demo key is
        # refused for them (ekc.core.pseudonym.resolve_key).
        "EKC_PSEUDONYM_KEY": os.environ.get("EKC_PSEUDONYM_KEY", "ekc-benchmark-key-not-secret"),
    }
    log = bench / "logs" / f"{label}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    waited = wait_for_quiet()
    load_before = os.getloadavg()[0]
    cpu_before = _busy_cpu_s()
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [SNAKEMAKE, "--cores", str(CORES), *args],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            returncode = proc.wait(timeout=RUN_TIMEOUT)
            status = "ok" if returncode == 0 else f"failed (exit {returncode})"
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            status = f"timeout after {RUN_TIMEOUT} s"
        wall = time.perf_counter() - start
        busy = _busy_cpu_s() - cpu_before
        sampler.stop.set()
        sampler.join()
    records = [json.loads(p.read_text()) for p in sorted(jobs_dir.glob("*.json"))]
    main = [r for r in records if r["rule"] == "(snakemake)"]
    jobs = sorted((r for r in records if r["rule"] != "(snakemake)"), key=lambda r: r["start"])
    own = sum(r["cpu_s"] for r in records)
    return {
        "label": label,
        "status": status,
        "wall_s": wall,
        "own_cpu_s": own,
        # CPU the rest of the machine used meanwhile, as a share of all cores' time: a shared
        # machine slows the wall time down; CPU times are much less affected.
        "others_cpu_share": max(0.0, busy - own) / (wall * (os.cpu_count() or 1)),
        "load_before": load_before,
        "waited_for_quiet_s": waited,
        "peak_tree_rss_mb": sampler.peak_mb,
        "snakemake_process": main[0] if main else None,
        "jobs": jobs,
        "log": str(log),
        "nothing_to_be_done": "Nothing to be done" in log.read_text(),
    }


QUIET = {"load": None, "max_wait_s": 0.0}


def wait_for_quiet() -> float:
    """Wait (bounded) until the 1-minute load average is below --quiet-load."""
    if QUIET["load"] is None:
        return 0.0
    start = time.perf_counter()
    while os.getloadavg()[0] >= QUIET["load"] and time.perf_counter() - start < QUIET["max_wait_s"]:
        time.sleep(5)
    return time.perf_counter() - start


def _busy_cpu_s() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


TREE = {"root": ROOT}  # the workflow tree measured (--tree)


def fresh_copy(target: Path) -> Path:
    """A private copy of the workflow (the files tests.conftest.copy_workflow copies)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in WORKFLOW_FILES:
        source = TREE["root"] / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


# ---------------------------------------------------------------------------- the floor


def rule_scripts(workdir: Path) -> dict[str, Path]:
    """rule name -> script file, from the workflow's rule files."""
    scripts = {}
    for smk in sorted((workdir / "workflow" / "rules").glob("**/*.smk")):
        text = smk.read_text()
        for block in re.split(r"(?m)^(?=\s*rule(?: \w+)?:)", text):
            # Rules made in a loop (`rule:` with `name: f"validate_{batch}"`) are keyed by the
            # fixed start of their name, "validate_"; rule_floor matches them by that prefix.
            name = re.match(r"\s*rule (\w+):", block) or re.search(
                r"(?m)^\s+name:\s*\n\s+f?\"(\w+?)\{", block
            )
            script = re.search(r"(?m)^\s+script:\s*\n\s+\"([^\"]+)\"", block)
            if name and script:
                scripts[name.group(1)] = (smk.parent / script.group(1)).resolve()
    return scripts


def rule_floor(per_rule: dict, rule: str) -> dict:
    """The floor entry of a rule: by its name, or by the fixed start of a looped rule's name."""
    if rule in per_rule:
        return per_rule[rule]
    prefixes = [name for name in per_rule if name.endswith("_") and rule.startswith(name)]
    return per_rule[max(prefixes, key=len)] if prefixes else {}


def import_lines(script: Path) -> str:
    """The script's top-level import statements, as source."""
    source = script.read_text()
    tree = ast.parse(source)
    lines = [
        ast.get_source_segment(source, node)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    return "\n".join(lines)


# What Snakemake's script preamble imports before the script's first line runs.
PREAMBLE = (
    "import sys, pickle\n"
    "import snakemake.script, snakemake.io\n"
    "from snakemake.logging import logger\n"
    "from snakemake.iocontainers import Snakemake\n"
)


def start_time(code: str, workdir: Path, repeats: int) -> tuple[float, float]:
    """Median wall and CPU time of a fresh Python running `code`."""
    env = {**os.environ, "PYTHONPATH": str(workdir / "src")}
    wait_for_quiet()
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def measure_floor(workdir: Path, repeats: int) -> dict:
    per_rule = {}
    for rule, script in sorted(rule_scripts(workdir).items()):
        wall, cpu = start_time(PREAMBLE + import_lines(script), workdir, repeats)
        per_rule[rule] = {
            "script": str(script.relative_to(workdir)),
            "floor_s": wall,
            "floor_cpu_s": cpu,
        }
    floor = {"per_rule": per_rule}
    for name, code in (
        ("python_start", "pass"),
        ("preamble", PREAMBLE),
        ("snakemake_import", "import snakemake.cli"),
    ):
        floor[f"{name}_s"], floor[f"{name}_cpu_s"] = start_time(code, workdir, repeats)
    return floor


def run_floor(run: dict, floor: dict, field: str = "floor_s") -> float:
    """Sum over the run's jobs of their rule's import floor (`field`)."""
    per_rule = floor["per_rule"]
    default = floor["preamble_s" if field == "floor_s" else "preamble_cpu_s"]
    return sum(rule_floor(per_rule, j["rule"]).get(field, default) for j in run["jobs"])


# ---------------------------------------------------------------------------- summaries


def stage_of(rule: str) -> str:
    # validation rules are named after their batch of exports (validate_<batch>)
    return "validate" if rule.startswith("validate_") else STAGES.get(rule, "analyses")


def stage_summary(jobs: list[dict]) -> dict:
    """Per stage: jobs, summed job wall time, elapsed span, CPU time and largest peak RSS."""
    out = {}
    for stage in STAGE_ORDER:
        part = [j for j in jobs if stage_of(j["rule"]) == stage]
        if not part:
            continue
        out[stage] = {
            "jobs": len(part),
            "job_wall_s": sum(j["wall_s"] for j in part),
            "span_s": max(j["end"] for j in part) - min(j["start"] for j in part),
            "cpu_s": sum(j["cpu_s"] for j in part),
            "max_rss_mb": max(j["max_rss_mb"] for j in part),
        }
    return out


def job_key(job: dict) -> str:
    wildcards = ",".join(f"{v}" for v in job["wildcards"].values())
    return f"{job['rule']}[{wildcards}]" if wildcards else job["rule"]


def median_of(runs: list[dict], floor: dict) -> dict:
    ok = [r for r in runs if r["status"] == "ok"]
    use = ok or runs
    jobs_by_key: dict[str, list[dict]] = {}
    for run in use:
        for job in run["jobs"]:
            jobs_by_key.setdefault(job_key(job), []).append(job)
    # Wall floor: the imports of all jobs spread over the cores. CPU floor: their CPU time,
    # set beside the jobs' own CPU time (insensitive to other load on the machine).
    floor_s = statistics.median(run_floor(r, floor) / CORES for r in use)
    floor_cpu = statistics.median(run_floor(r, floor, "floor_cpu_s") for r in use)
    jobs_cpu = statistics.median(sum(j["cpu_s"] for j in r["jobs"]) for r in use)
    wall = statistics.median(r["wall_s"] for r in use)
    smk = [r["snakemake_process"] for r in use if r["snakemake_process"]]
    return {
        "runs": len(runs),
        "ok_runs": len(ok),
        "status": sorted({r["status"] for r in runs}),
        "wall_s": wall,
        "wall_all_s": [round(r["wall_s"], 3) for r in runs],
        "own_cpu_s": statistics.median(r["own_cpu_s"] for r in use),
        "others_cpu_share": statistics.median(r["others_cpu_share"] for r in use),
        "load_before": statistics.median(r["load_before"] for r in use),
        "peak_tree_rss_mb": statistics.median(r["peak_tree_rss_mb"] for r in use),
        "jobs": statistics.median(len(r["jobs"]) for r in use),
        "floor_s": floor_s,
        "ratio_to_floor": wall / floor_s if floor_s else None,
        "jobs_cpu_s": jobs_cpu,
        "floor_cpu_s": floor_cpu,
        "cpu_ratio_to_floor": jobs_cpu / floor_cpu if floor_cpu else None,
        "snakemake_process": {
            "wall_s": statistics.median(s["wall_s"] for s in smk),
            "cpu_s": statistics.median(s["cpu_s"] for s in smk),
            "max_rss_mb": statistics.median(s["max_rss_mb"] for s in smk),
        }
        if smk
        else None,
        "per_job": {
            key: {
                "wall_s": statistics.median(j["wall_s"] for j in js),
                "cpu_s": statistics.median(j["cpu_s"] for j in js),
                "max_rss_mb": statistics.median(j["max_rss_mb"] for j in js),
            }
            for key, js in sorted(jobs_by_key.items())
        },
        "stages": _median_stages([stage_summary(r["jobs"]) for r in use]),
    }


def _median_stages(summaries: list[dict]) -> dict:
    stages = {}
    for stage in STAGE_ORDER:
        rows = [s[stage] for s in summaries if stage in s]
        if rows:
            stages[stage] = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    return stages


# ---------------------------------------------------------------------------- scenarios


def toggle_export(workdir: Path) -> str:
    """Change one answer in the questionnaire export (a valid value either way)."""
    path = workdir / CHANGED_EXPORT
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    header = lines[0].lstrip("\ufeff").split(";")
    column = header.index(CHANGED_COLUMN)
    cells = lines[1].split(";")
    cells[column] = "1" if cells[column] != "1" else "2"
    lines[1] = ";".join(cells)
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return f"{CHANGED_EXPORT}: row 2, {CHANGED_COLUMN} -> {cells[column]}"


def analysis_targets(workdir: Path) -> list[str]:
    """The results files of the default study: one per research question and rule_stats."""
    import yaml

    config = yaml.safe_load((workdir / "config" / "config.yaml").read_text())
    out = config.get("output_dir", "results")
    names = [*config["research_questions"], *config.get("rule_stats", {})]
    return [f"{out}/stats/{name}.json" for name in names]


def cohort_size(raw: Path) -> dict:
    files = [p for p in raw.iterdir() if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def scale_scenario(bench: Path, families: int, repeats: int, until: str = "analyses") -> dict:
    from ekc_synthetic.scale import csv_sources, write_cohort

    workdir = fresh_copy(bench / f"scale-{families}")
    formats = "csv" if families >= CSV_FROM else "native"
    raw = workdir / "resources" / "raw"
    for path in raw.iterdir():
        path.unlink()
    start = time.perf_counter()
    write_cohort(raw, families, formats=formats)
    generation_s = time.perf_counter() - start
    # until="link": validation, cleaning and linkage only (the analysis dataset).
    args = analysis_targets(workdir) if until == "analyses" else ["link"]
    if formats == "csv":
        # Excel sheets and SPSS files as CSV: the config override points the sources there.
        config = yaml.safe_load((workdir / "config" / "config.yaml").read_text())
        config["sources"] = csv_sources(config["sources"])
        (workdir / "config" / "scale_csv.yaml").write_text(yaml.safe_dump(config))
        args += ["--configfile", "config/scale_csv.yaml", "--replace-workflow-config"]
    runs = []
    for i in range(repeats):
        for name in ("results", "logs", ".snakemake"):
            shutil.rmtree(workdir / name, ignore_errors=True)
        runs.append(snakemake(workdir, bench, *args, label=f"scale-{families}-{i}"))
        print(f"  {families} families run {i}: {runs[-1]['wall_s']:.1f} s {runs[-1]['status']}")
    return {
        "families": families,
        "formats": formats,
        "generation_s": generation_s,
        "data": cohort_size(raw),
        "until": until,
        "targets": [a for a in args if not a.startswith("-") and not a.endswith(".yaml")],
        "raw_runs": runs,
    }


def environment() -> dict:
    import pandas
    import snakemake as smk

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": platform.machine(),
        "cpu": _cpu_name(),
        "logical_cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "snakemake": smk.__version__,
        "pandas": pandas.__version__,
        "cores_used": CORES,
    }


def tree_commit(tree: Path) -> str:
    """The commit measured, with "+changes" when the tree differs from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(tree), *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "HEAD") or "unknown"
    return commit + ("+changes" if git("status", "--porcelain") else "")


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# ---------------------------------------------------------------------------- report


TARGETS = {
    "cold_build": ("cold build < 30 s on 2 cores", 30.0),
    "noop_rerun": ("no-op rerun < 3 s", 3.0),
}


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _embedded_lines(results: dict) -> list[str]:
    floor = results["floor"]
    lines = [
        "## Workflow on the embedded data",
        "",
        "| scenario | runs | wall (s) | target | floor (s) | wall / floor | jobs | jobs' CPU (s) "
        "| CPU floor (s) | jobs' CPU / CPU floor | others' CPU | peak RSS, all processes (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, title in (
        ("cold_build", "cold full build"),
        ("noop_rerun", "no-op rerun"),
        ("incremental", "incremental (one questionnaire export changed)"),
    ):
        s = results[key]
        target = TARGETS.get(key)
        verdict = "-"
        if target:
            verdict = f"< {target[1]:g} s: " + ("met" if s["wall_s"] < target[1] else "MISSED")
        floor_s = s["floor_s"] if s["jobs"] else floor["snakemake_import_s"]
        lines.append(
            f"| {title} | {s['runs']} | {_fmt(s['wall_s'], 2)} | {verdict} | "
            f"{_fmt(floor_s, 2)} | {_fmt(s['wall_s'] / floor_s if floor_s else None, 1)} | "
            f"{s['jobs']:g} | {_fmt(s['jobs_cpu_s'], 1)} | {_fmt(s['floor_cpu_s'], 1)} | "
            f"{_fmt(s['cpu_ratio_to_floor'], 1)} | {s['others_cpu_share']:.0%} | "
            f"{_fmt(s['peak_tree_rss_mb'], 0)} |"
        )
    noop = results["noop_rerun"]
    lines += [
        "",
        "All wall times of each scenario: "
        + "; ".join(
            f"{key.replace('_', ' ')} {', '.join(f'{w:.1f}' for w in results[key]['wall_all_s'])}"
            for key in ("cold_build", "noop_rerun", "incremental")
        )
        + " s.",
        "",
        "The no-op run starts no job; its floor is starting Python and importing Snakemake's "
        f"command line ({_fmt(floor['snakemake_import_s'], 2)} s wall, "
        f"{_fmt(floor['snakemake_import_cpu_s'], 2)} s CPU); Snakemake's process used "
        f"{_fmt((noop['snakemake_process'] or {}).get('cpu_s'), 2)} s CPU.",
        "",
        f"Incremental change: {results['incremental'].get('change', '-')}; rules rerun: "
        f"{', '.join(results['incremental'].get('rules_rerun', []))}.",
        "",
        "### Where the cold build's time goes (median per job)",
        "",
        "| job | wall (s) | CPU (s) | peak RSS (MB) | import floor: wall (s) | CPU (s) |",
        "|---|---|---|---|---|---|",
    ]
    cold = results["cold_build"]
    for key, job in sorted(cold["per_job"].items(), key=lambda kv: -kv[1]["cpu_s"]):
        rule_floor_entry = rule_floor(floor["per_rule"], key.split("[")[0])
        lines.append(
            f"| {key} | {_fmt(job['wall_s'], 2)} | {_fmt(job['cpu_s'], 2)} | "
            f"{_fmt(job['max_rss_mb'], 0)} | {_fmt(rule_floor_entry.get('floor_s'), 2)} | "
            f"{_fmt(rule_floor_entry.get('floor_cpu_s'), 2)} |"
        )
    if cold.get("snakemake_process"):
        smk = cold["snakemake_process"]
        lines += [
            "",
            f"Snakemake's own process: {_fmt(smk['wall_s'], 2)} s wall, "
            f"{_fmt(smk['cpu_s'], 2)} s CPU, {_fmt(smk['max_rss_mb'], 0)} MB peak.",
        ]
    return lines


def write_markdown(results: dict, path: Path) -> None:
    env = results["environment"]
    floor = results["floor"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {env['date']} on {env['cpu']} ({env['logical_cpus']} logical CPUs, "
        f"{env['memory_gb']} GB), Python {env['python']}, Snakemake {env['snakemake']}, "
        f"pandas {env['pandas']}; `--cores {CORES}`; mode: {results['mode']}; commit "
        f"`{results.get('commit', 'unknown')[:12]}`; written by "
        "`python benchmarks/run.py` (method in README.md).",
        "",
        "- *wall*: median over the repeats. *floor*: starting Python and importing what each "
        "job imports, summed over the jobs and divided by the cores; *wall / floor* is the "
        "multiple of that.",
        "- *jobs' CPU / CPU floor*: the CPU time of the jobs against the CPU time of their "
        "imports alone; unlike wall times it hardly changes when the machine is busy.",
        "- *others' CPU*: CPU time other processes used during the run, as a share of all "
        "cores' time. Where it is high the machine was shared and wall times are inflated.",
        "",
        "",
    ]
    if "cold_build" in results:
        lines += _embedded_lines(results)
    lines += [
        "",
        "### Import floor per rule (median start of Python plus the job's imports)",
        "",
        f"Python alone: {_fmt(floor['python_start_s'], 3)} s; with Snakemake's script "
        f"preamble: {_fmt(floor['preamble_s'], 3)} s wall, {_fmt(floor['preamble_cpu_s'], 3)} "
        "s CPU.",
        "",
        "| rule | wall (s) | CPU (s) |",
        "|---|---|---|",
    ]
    for rule, info in sorted(floor["per_rule"].items(), key=lambda kv: -kv[1]["floor_cpu_s"]):
        lines.append(f"| {rule} | {_fmt(info['floor_s'], 3)} | {_fmt(info['floor_cpu_s'], 3)} |")

    if results["scale"]:
        lines += _scale_lines(results)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _scale_lines(results: dict) -> list[str]:
    lines = [
        "",
        "## Generated cohorts: validation, cleaning, linkage and all analyses",
        "",
        "Targets: 100,000 families < 2 min and < 4 GB peak; 1,000,000 completes with memory "
        "growing no faster than the data. Targets are the results files of ANALYSIS_STATS "
        "(no fidelity table, no PDFs). *peak RSS, all processes*: summed RSS of Snakemake and "
        "its running jobs, sampled every 0.1 s; *largest job*: exact peak RSS of one job.",
        "",
        "| families | formats | data (MB) | generation (s) | status | wall (s) | wall / floor "
        "| jobs' CPU (s) | jobs' CPU / CPU floor | others' CPU | peak RSS, all processes (MB) "
        "| largest job (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale in results["scale"]:
        s = scale["summary"]
        largest = max((j["max_rss_mb"] for j in s["per_job"].values()), default=None)
        lines.append(
            f"| {scale['families']:,} | {scale['formats']} | "
            f"{_fmt(scale['data']['bytes'] / 2**20, 1)} | {_fmt(scale['generation_s'], 1)} | "
            f"{', '.join(s['status'])} | {_fmt(s['wall_s'], 1)} | "
            f"{_fmt(s['ratio_to_floor'], 1)} | {_fmt(s['jobs_cpu_s'], 0)} | "
            f"{_fmt(s['cpu_ratio_to_floor'], 1)} | {s['others_cpu_share']:.0%} | "
            f"{_fmt(s['peak_tree_rss_mb'], 0)} | {_fmt(largest, 0)} |"
        )
    lines += [
        "",
        "All wall times of each cohort: "
        + "; ".join(
            f"{scale['families']:,} families "
            + ", ".join(f"{w:.1f}" for w in scale["summary"]["wall_all_s"])
            for scale in results["scale"]
        )
        + " s.",
    ]
    lines += [
        "",
        "### Per stage (job wall = sum over the stage's jobs; span = first start to last end)",
        "",
        "| families | stage | jobs | job wall (s) | span (s) | CPU (s) | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for scale in results["scale"]:
        stages = scale["summary"]["stages"]
        # in pipeline order, also when rendered again from results.json (keys sorted there)
        for stage, s in sorted(stages.items(), key=lambda kv: STAGE_ORDER.index(kv[0])):
            lines.append(
                f"| {scale['families']:,} | {stage} | {s['jobs']:g} | {_fmt(s['job_wall_s'])} | "
                f"{_fmt(s['span_s'])} | {_fmt(s['cpu_s'])} | {_fmt(s['max_rss_mb'], 0)} |"
            )
    growth = results.get("growth")
    if growth:
        lines += [
            "",
            "### Growth with size (ratio between consecutive cohorts that completed)",
            "",
            # Rows grow with the families; file bytes also depend on the format (the CSV
            # variant from CSV_FROM on is larger per family than compressed .xlsx and .sav).
            "| from -> to | families (rows) | file bytes | wall | jobs' CPU "
            "| peak RSS, all processes | largest job RSS |",
            "|---|---|---|---|---|---|---|",
        ]
        for g in growth:
            lines.append(
                f"| {g['from']:,} -> {g['to']:,} | x{_fmt(g['to'] / g['from'], 1)} "
                f"| x{_fmt(g['data'], 1)} | x{_fmt(g['wall'], 1)} "
                f"| x{_fmt(g['cpu'], 1)} | x{_fmt(g['peak_rss'], 1)} | "
                f"x{_fmt(g['largest_job_rss'], 1)} |"
            )
    lines += [
        "",
        "### Most expensive jobs per cohort (by CPU)",
        "",
        "| families | job | wall (s) | CPU (s) | peak RSS (MB) |",
        "|---|---|---|---|---|",
    ]
    for scale in results["scale"]:
        jobs = sorted(scale["summary"]["per_job"].items(), key=lambda kv: -kv[1]["cpu_s"])
        for key, job in jobs[:10]:
            lines.append(
                f"| {scale['families']:,} | {key} | {_fmt(job['wall_s'])} | "
                f"{_fmt(job['cpu_s'])} | {_fmt(job['max_rss_mb'], 0)} |"
            )
    return lines


def growth_table(scales: list[dict]) -> list[dict]:
    rows = []
    for a, b in zip(scales, scales[1:], strict=False):
        sa, sb = a["summary"], b["summary"]
        if "ok" not in sa["status"] or "ok" not in sb["status"]:
            continue
        rows.append(
            {
                "from": a["families"],
                "to": b["families"],
                "data": b["data"]["bytes"] / a["data"]["bytes"],
                "wall": sb["wall_s"] / sa["wall_s"],
                "cpu": sb["jobs_cpu_s"] / sa["jobs_cpu_s"],
                "peak_rss": sb["peak_tree_rss_mb"] / sa["peak_tree_rss_mb"],
                "largest_job_rss": max(j["max_rss_mb"] for j in sb["per_job"].values())
                / max(j["max_rss_mb"] for j in sa["per_job"].values()),
            }
        )
    return rows


# ---------------------------------------------------------------------------- main


def embedded_scenarios(bench: Path, repeats: int, results: dict) -> None:
    """Cold build in fresh copies, then no-op and incremental reruns in the last copy."""
    cold_runs = []
    for i in range(repeats):
        workdir = fresh_copy(bench / f"cold-{i}")
        cold_runs.append(snakemake(workdir, bench, label=f"cold-{i}"))
        print(f"cold build {i}: {cold_runs[-1]['wall_s']:.1f} s {cold_runs[-1]['status']}")
    results["cold_build"] = median_of(cold_runs, results["floor"])

    noop_runs = [snakemake(workdir, bench, label=f"noop-{i}") for i in range(repeats)]
    for run in noop_runs:
        if not run["nothing_to_be_done"]:
            run["status"] = "not a no-op: jobs ran"
    results["noop_rerun"] = median_of(noop_runs, results["floor"])
    print(f"no-op rerun: {results['noop_rerun']['wall_s']:.2f} s")

    incremental_runs = []
    for i in range(repeats):
        change = toggle_export(workdir)
        incremental_runs.append(snakemake(workdir, bench, label=f"incremental-{i}"))
    results["incremental"] = median_of(incremental_runs, results["floor"])
    results["incremental"]["change"] = change
    results["incremental"]["rules_rerun"] = sorted(
        {j["rule"] for r in incremental_runs for j in r["jobs"]}
    )
    print(f"incremental rerun: {results['incremental']['wall_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 10,000 only")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-ekc"))
    parser.add_argument("--repeats", type=int, help="repeats of cold/no-op/incremental")
    parser.add_argument("--sizes", type=int, nargs="*", help="cohort sizes (families)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks")
    parser.add_argument(
        "--quiet-load",
        type=float,
        help="before each run, wait until the 1-min load average is below this (shared machines)",
    )
    parser.add_argument("--max-wait", type=float, default=300, help="longest wait per run (s)")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=["embedded", "scale"],
        default=["embedded", "scale"],
        help="embedded: cold, no-op, incremental; scale: the generated cohorts",
    )
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="workflow tree to measure (default: this one)"
    )
    parser.add_argument(
        "--scale-until",
        choices=["analyses", "link"],
        default="analyses",
        help="cohorts: run every analysis (default) or stop after the linkage",
    )
    args = parser.parse_args(argv)
    TREE["root"] = args.tree.resolve()
    QUIET.update(load=args.quiet_load, max_wait_s=args.max_wait)
    repeats = args.repeats or (2 if args.quick else 5)
    sizes = args.sizes if args.sizes is not None else ([10_000] if args.quick else SCALE_SIZES)
    bench = args.workdir.resolve()
    if bench == ROOT or ROOT in bench.parents:
        parser.error("--workdir must be outside the repository")
    bench.mkdir(parents=True, exist_ok=True)
    (bench / "hook").mkdir(exist_ok=True)
    (bench / "hook" / "sitecustomize.py").write_text(HOOK)

    results: dict = {
        "mode": "quick" if args.quick else "full",
        "tree": str(TREE["root"]),
        "commit": tree_commit(TREE["root"]),
        "environment": environment(),
    }
    print("floor: timing Python start and imports per rule")
    floor_copy = fresh_copy(bench / "floor")
    results["floor"] = measure_floor(floor_copy, 3 if args.quick else 7)

    if "embedded" in args.scenarios:
        embedded_scenarios(bench, repeats, results)
    results["scale"] = []
    for families in sizes if "scale" in args.scenarios else []:
        print(f"cohort of {families:,} families")
        # the target sizes get a median of 3; 1,000,000 takes 5 min a run and has no time target
        scale_repeats = 1 if families > 100_000 or args.quick else 3
        scale = scale_scenario(bench, families, scale_repeats, args.scale_until)
        scale["summary"] = median_of(scale.pop("raw_runs"), results["floor"])
        results["scale"].append(scale)
    results["growth"] = growth_table(results["scale"])

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    write_markdown(results, args.out / "results.md")
    print(f"wrote {args.out / 'results.md'} and {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
