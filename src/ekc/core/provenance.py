"""What a peer reviewer needs to trace a figure: checksums, code version, package versions.

Besides the helpers of the report's provenance appendix, this module writes the build's
manifest (`results/provenance/manifest.json`), packages the build as an RO-Crate and checks a
manifest against the files on disk:

    python -m ekc.core.provenance verify results/provenance/manifest.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path
from urllib.parse import quote

MAIN_PACKAGES = [
    "snakemake",
    "pandas",
    "pandera",
    "scipy",
    "statsmodels",
    "jinja2",
    "weasyprint",
    "babel",
    "matplotlib",
    "pyreadstat",
    "openpyxl",
]
MANIFEST_FORMAT = "ekc-provenance-manifest/1"
# Outputs an RO-Crate may carry: aggregate figures, tables and the report. Every other output
# (row-level tables, quarantined rows, failure lists) is described by its checksum only.
CRATE_RESULTS = (
    "{out}/stats/*",
    "{out}/tables/*",
    "{out}/fidelity/*",
    "{out}/report/*",
    "{out}/linkage/participant_flow.*",
    "{out}/linkage/dataset_info.json",
    "{out}/linkage/flow.csv",
    "{out}/linkage/*.json",
    "{out}/qc/*_summary.md",
    "{out}/qc/validation/*",
    "{out}/qc/row_accounting.csv",
    "{logs}/*",
)
# With disclosure control on (config: report.disclosure), only the report, whose count tables
# went through small-cell suppression, leaves as a file: results files and logs hold counts
# below the threshold and are described by their checksum only.
CRATE_RESULTS_DISCLOSED = ("{out}/report/*.pdf", "{out}/report/*.html")
# Workflow Run Crate 0.6 goes with RO-Crate 1.3 and Workflow RO-Crate 1.1 (rocrate's default).
CRATE_PROFILES = {
    "https://w3id.org/ro/wfrun/process/0.6": ("Process Run Crate", "0.6"),
    "https://w3id.org/ro/wfrun/workflow/0.6": ("Workflow Run Crate", "0.6"),
}
LINKED_ENTITIES = {
    "https://snakemake.readthedocs.io": {"@type": "WebSite", "name": "Snakemake documentation"},
    "https://doi.org/10.1093/bioinformatics/bts480": {
        "@type": "ScholarlyArticle",
        "name": "Snakemake: a scalable bioinformatics workflow engine",
    },
    "http://schema.org/CompletedActionStatus": {
        "@type": "ActionStatusType",
        "name": "Completed",
    },
}
# Zip entries need a date; 1980-01-01 is the earliest a zip can store.
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_version(root: str | Path = ".") -> str:
    """`git describe`, with '-dirty' when the tree has uncommitted changes."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"


def package_versions(names: list[str] = MAIN_PACKAGES) -> list[dict[str, str]]:
    result = []
    for name in names:
        try:
            result.append({"name": name, "version": version(name)})
        except PackageNotFoundError:
            result.append({"name": name, "version": "not installed"})
    return result


def _git(root: str | Path, *args: str) -> str | None:
    # Optional locks off: a status check must never rewrite the repository's index.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        out = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, env=env
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def git_state(root: str | Path = ".") -> dict[str, object]:
    """The commit the code comes from and whether the tree differs from it.

    `dirty` counts untracked files that are not ignored too: a new rule file that was never
    committed changes the results as much as an edited one. Outside a git checkout every
    field is None.
    """
    commit = _git(root, "rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "describe": None, "dirty": None}
    status = _git(root, "status", "--porcelain")
    return {
        "commit": commit.strip(),
        "describe": code_version(root),
        "dirty": None if status is None else bool(status.strip()),
    }


def software() -> dict[str, object]:
    """Python and every installed distribution with its version."""
    packages = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if name:
            packages[name] = dist.version
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "packages": dict(sorted(packages.items(), key=lambda item: item[0].lower())),
    }


def created_timestamp(environ: dict[str, str] | None = None) -> str:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the current time; UTC, ISO 8601."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _file_entry(path: Path, role: str) -> dict[str, object]:
    if not path.is_file():
        return {"role": role, "sha256": None, "size": None, "missing": True}
    return {"role": role, "sha256": sha256(path), "size": path.stat().st_size}


_JOBS: dict[int, list[dict]] = {}


def workflow_jobs(workflow, skip_rules: set[str], skip_targets: set[str]) -> list[dict]:
    """Every job the default target of a Snakemake workflow needs: rule, output, temp, input, log.

    Resolved from the rule definitions as Snakemake's DAG is, from the requested files
    backwards, so the answer depends only on the workflow and its config, never on timing.
    Called from the provenance rules' input and params functions; computed once per workflow.
    """
    if id(workflow) in _JOBS:
        return _JOBS[id(workflow)]
    from snakemake.exceptions import WorkflowError
    from snakemake.io import is_flagged

    skip_rules = set(skip_rules) | {workflow.default_target}
    candidates = [r for r in workflow.rules if r.name not in skip_rules]
    default = workflow.get_rule(workflow.default_target)
    requested = [str(f) for f in default.input if isinstance(f, str)]  # not input functions
    pending = sorted(f for f in requested if f not in skip_targets)
    seen: set[str] = set()
    jobs: dict[tuple[str, str], dict] = {}
    while pending:
        target = pending.pop()
        if target in seen:
            continue
        seen.add(target)
        producers = [r for r in candidates if any(o.match(target) for o in r.output)]
        if not producers:
            continue  # a source file
        if len(producers) > 1:
            names = ", ".join(r.name for r in producers)
            raise WorkflowError(f"provenance: {target} is made by more than one rule ({names})")
        rule = producers[0]
        wildcards = rule.get_wildcards(target)
        output, _ = rule.expand_output(wildcards)
        inputs = rule.expand_input(wildcards)[0]
        jobs[(rule.name, str(output[0]))] = {
            "rule": rule.name,
            "output": [str(f) for f in output],
            "temp": sorted(str(f) for f in output if is_flagged(f, "temp")),
            "input": sorted({str(f) for f in inputs}),
            "log": [str(f) for f in rule.expand_log(wildcards)],
        }
        seen.update(str(f) for f in output)
        pending.extend(str(f) for f in inputs if str(f) not in seen)
    _JOBS[id(workflow)] = [jobs[key] for key in sorted(jobs)]
    return _JOBS[id(workflow)]


def manifest_inputs(jobs: list[dict], workflow_files: list[str]) -> list[str]:
    """Every file the manifest hashes that exists once the build is done: outputs, sources and
    workflow files. Temporary outputs are gone by then and must not be requested again."""
    temp = {f for job in jobs for f in job["temp"]}
    files = {f for job in jobs for f in job["output"] + job["input"]} - temp
    return sorted(files | set(workflow_files))


def build_outputs(jobs: list[dict]) -> list[str]:
    """Every output of a build that stays once it is done (temporary ones are removed)."""
    return sorted({f for job in jobs for f in job["output"] if f not in job["temp"]})


def build_manifest(
    *,
    jobs: list[dict],
    workflow_files: list[str],
    config: dict,
    manifest_path: str,
    root: str | Path = ".",
    created: str | None = None,
) -> dict:
    """The manifest of a finished build.

    `jobs` lists every job of the build (rule, output, temp, input, log), as the provenance rule
    resolves it from the workflow. Paths stay as the workflow names them (relative to its
    working directory). Temporary outputs are listed with their rule but without a checksum:
    Snakemake has removed them by the time the manifest is written.
    """
    root = Path(root)
    produced = {f for job in jobs for f in job["output"]}
    files: dict[str, dict] = {}
    outputs: dict[str, dict] = {}
    for job in jobs:
        for path in job["output"]:
            temp = path in job["temp"]
            outputs[path] = {
                "rule": job["rule"],
                "inputs": sorted(job["input"]),
                "log": list(job["log"]),
                "temp": temp,
            }
            if temp:
                files[path] = {"role": "output", "sha256": None, "size": None, "temp": True}
            else:
                files[path] = _file_entry(root / path, "output")
        for path in job["log"]:
            files[path] = _file_entry(root / path, "log")
        for path in job["input"]:
            if path not in produced:
                files[path] = _file_entry(root / path, "input")
    for path in workflow_files:
        files.setdefault(path, _file_entry(root / path, "workflow"))
    import ekc

    code = git_state(root)
    code["pipeline_version"] = ekc.__version__
    return {
        "format": MANIFEST_FORMAT,
        "created": created or created_timestamp(),
        "manifest": manifest_path,
        "code": code,
        "software": software(),
        "config": _json_keys(config),
        "files": dict(sorted(files.items())),
        "outputs": dict(sorted(outputs.items())),
    }


def _json_keys(value):
    """JSON object keys are strings: a YAML `null:` or `1:` key becomes "null" / "1"."""
    if isinstance(value, dict):
        return {("null" if k is None else str(k)): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value


def write_manifest(manifest: dict, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")


def manifest_root(manifest_path: str | Path, manifest: dict) -> Path:
    """The working directory a manifest's paths are relative to: the manifest records its own
    path, so `results/provenance/manifest.json` lies two folders below the root."""
    path = Path(manifest_path).resolve()
    own = Path(manifest.get("manifest", ""))
    if own.parts and path.parts[-len(own.parts) :] == own.parts:
        return path.parents[len(own.parts) - 1]
    return Path.cwd()


def verify(manifest_path: str | Path, root: str | Path | None = None) -> list[tuple[str, str]]:
    """Recompute every checksum of a manifest; one (path, problem) per file that differs."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    if manifest.get("format") != MANIFEST_FORMAT:
        return [(str(manifest_path), f"not a manifest of format {MANIFEST_FORMAT}")]
    base = Path(root) if root is not None else manifest_root(manifest_path, manifest)
    problems = []
    for path, entry in sorted(manifest["files"].items()):
        expected = entry.get("sha256")
        if expected is None:
            continue  # temporary output, removed by Snakemake after use
        target = base / path
        if not target.is_file():
            problems.append((path, "missing"))
            continue
        found = sha256(target)
        if found != expected:
            problems.append((path, f"changed (manifest {expected[:12]}, file {found[:12]})"))
    return problems + _recorded_inputs(manifest, base)


# A job's log line naming a file it read and that file's checksum (ekc.core.joblog.read_files).
_READ_LINE = re.compile(r"^INFO input (\S+) sha256 ([0-9a-f]{64})$")


def _recorded_inputs(manifest: dict, base: Path) -> list[tuple[str, str]]:
    """Jobs that record what they read (the reports) must have read the files the manifest
    lists: the same checksums, and every results file among their inputs. Otherwise the
    report shows figures of other results than the build's (an update during a build)."""
    files = manifest["files"]
    inputs_of_log: dict[str, set[str]] = {}
    for output in manifest["outputs"].values():
        for log in output["log"]:
            inputs_of_log.setdefault(log, set()).update(output["inputs"])
    problems = []
    for log, inputs in sorted(inputs_of_log.items()):
        if not (base / log).is_file():
            continue
        lines = (base / log).read_text(encoding="utf-8", errors="replace").splitlines()
        recorded = dict(m.groups() for line in lines if (m := _READ_LINE.match(line)))
        if not recorded:
            continue
        for path, digest in sorted(recorded.items()):
            listed = files.get(path, {}).get("sha256")
            if listed != digest:
                problems.append(
                    (
                        log,
                        f"the job read {path} {digest[:12]}, the manifest lists "
                        f"{(listed or 'no such file')[:12]}: its outputs come from other inputs",
                    )
                )
        for path in sorted(inputs - recorded.keys()):
            if fnmatch.fnmatch(path, "*/stats/*.json"):
                problems.append((log, f"the job does not record reading {path}"))
    return problems


# --- RO-Crate --------------------------------------------------------------------------------


def _relative_inside(path: str) -> bool:
    """A path that stays inside the folder it is joined to (no root, no `..`)."""
    return not Path(path).is_absolute() and ".." not in Path(path).parts


def disclosure_enabled(config: dict) -> bool:
    """Small-cell suppression is on unless the config turns it off (as common.smk)."""
    return bool(config.get("report", {}).get("disclosure", {}).get("enabled", True))


def _in_crate(
    path: str,
    entry: dict,
    raw_files: set[str],
    private: str = "private",
    disclosed=False,
    folders: dict | None = None,
) -> bool:
    """Whether a file travels in the crate or is described by its checksum only. Never a
    raw export, anything in the private area, or a path that would leave the crate's folder.
    `folders` are the study's output and log folders (`out`, `logs`)."""
    if path in raw_files or path.startswith("resources/raw/") or not _relative_inside(path):
        return False
    if Path(path).is_relative_to(private):
        return False
    if entry["role"] in {"input", "workflow"}:
        return True
    folders = folders or {"out": "results", "logs": "logs"}
    patterns = CRATE_RESULTS_DISCLOSED if disclosed else CRATE_RESULTS
    return any(fnmatch.fnmatch(path, pattern.format(**folders)) for pattern in patterns)


def _media_type(path: str) -> str:
    types = {
        ".json": "application/json",
        ".csv": "text/csv",
        ".md": "text/markdown",
        ".pdf": "application/pdf",
        ".html": "text/html",
        ".svg": "image/svg+xml",
        ".py": "text/x-python",
        ".parquet": "application/vnd.apache.parquet",
        ".yaml": "application/yaml",
        ".sav": "application/x-spss-sav",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".log": "text/plain",
    }
    return types.get(Path(path).suffix, "application/octet-stream")


def _describe(path: str, entry: dict, outputs: dict, log_rules: dict) -> str:
    """One sentence on what a file of the build is, from the manifest alone."""
    if path in outputs:
        return f"Output of rule {outputs[path]['rule']}."
    if entry["role"] == "log":
        return f"Log of the job of rule {log_rules[path]}." if path in log_rules else "Job log."
    if path.startswith("src/"):
        return "Module of the ekc package that a job of the run imported."
    if entry["role"] == "workflow":
        return "Part of the workflow's definition (rules, scripts, configuration, profiles)."
    return "Input file of the run."


def build_crate(manifest_path: str | Path, out_zip: str | Path, root: str | Path = ".") -> None:
    """Package a build as a Workflow Run Crate (one zip, byte-reproducible).

    The crate carries the workflow, its code and configuration, the aggregate results and the
    manifest. Raw exports and row-level outputs are listed as `#`-identified File entities with
    their checksum, size and `localPath`, but not included: a crate can be handed to a
    reviewer without personal data.
    """
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    root = Path(root)
    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files, outputs, config = manifest["files"], manifest["outputs"], manifest["config"]
    raw_files = {source["file"] for source in config.get("sources", {}).values()}
    private = config.get("private_dir", "private")
    disclosed = disclosure_enabled(config)
    folders = {"out": config.get("output_dir", "results"), "logs": config.get("log_dir", "logs")}

    crate = ROCrate()
    crate.name = f"ekc-pipeline build ({config.get('study', 'study')})"
    crate.description = (
        "Results of the ekc-pipeline workflow with the workflow, code, configuration and "
        "manifest that produced them. Raw exports and row-level tables are withheld "
        "(checksums only)."
    )
    crate.datePublished = manifest["created"]
    crate.license = crate.add(
        ContextEntity(
            crate,
            "https://spdx.org/licenses/MIT",
            properties={
                "@type": "CreativeWork",
                "name": "MIT License",
                "identifier": "MIT",
                "description": "The licence of the workflow and its code (LICENSE).",
            },
        )
    )
    snakemake_version = manifest["software"]["packages"].get("snakemake")
    workflow = crate.add_workflow(
        root / "Snakefile",
        "Snakefile",
        main=True,
        lang="snakemake",
        lang_version=snakemake_version,
        properties={
            "name": "ekc-pipeline",
            "version": manifest["code"]["pipeline_version"],
            "description": "The workflow's main Snakefile: it includes the rules of every "
            "study (workflow/rules/) and builds every result of the run.",
            "encodingFormat": "text/x-snakemake",
            "sha256": files["Snakefile"]["sha256"],
            "contentSize": str(files["Snakefile"]["size"]),
        },
    )
    # Entities the workflow's language and the run point at, described in the crate too.
    for identifier, properties in LINKED_ENTITIES.items():
        crate.add(ContextEntity(crate, identifier, properties=properties))
    for profile_id, (name, profile_version) in CRATE_PROFILES.items():
        profile = crate.add(
            ContextEntity(
                crate,
                profile_id,
                # RO-Crate 1.3: what the root conformsTo must be a Profile entity
                properties={
                    "@type": ["CreativeWork", "Profile"],
                    "name": name,
                    "version": profile_version,
                },
            )
        )
        crate.root_dataset.append_to("conformsTo", profile)

    entities = {"Snakefile": workflow}
    log_rules = {log: job["rule"] for job in outputs.values() for log in job.get("log", [])}
    for path, entry in files.items():
        if path == "Snakefile" or not entry.get("sha256"):
            # temporary files, removed during the run: the manifest lists them, without a
            # size or checksum to describe them by
            continue
        properties = {
            "name": path,
            "description": _describe(path, entry, outputs, log_rules),
            "encodingFormat": _media_type(path),
            "sha256": entry["sha256"],
            "contentSize": str(entry["size"]),
        }
        if entry["role"] == "log":
            properties["about"] = {"@id": "#run"}  # engine traces point at their run
        if entry.get("sha256") and _in_crate(path, entry, raw_files, private, disclosed, folders):
            entities[path] = crate.add_file(root / path, path, properties=properties)
            continue
        if entry.get("temp"):
            reason = "temporary file, removed after use"
        elif not _relative_inside(path):
            reason = "withheld: outside the project"
        elif path in raw_files or Path(path).is_relative_to(private):
            reason = "withheld: raw export or row-level data"
        elif disclosed:
            reason = "withheld: disclosure control (counts below the threshold)"
        else:
            reason = "withheld: raw export or row-level data"
        properties |= {"@type": "File", "localPath": path}
        properties["description"] += f" ({reason})."
        identifier = "#file:" + quote(path)
        entities[path] = crate.add(ContextEntity(crate, identifier, properties=properties))

    own = manifest["manifest"]
    if not _relative_inside(own):
        raise ValueError(f"manifest path {own} would leave the crate's folder")
    entities[own] = crate.add_file(
        manifest_path,
        own,
        properties={
            "name": "Provenance manifest",
            "encodingFormat": "application/json",
            "sha256": sha256(manifest_path),
            "contentSize": str(manifest_path.stat().st_size),
            "description": "Checksums of every input and output; per output its rule, inputs "
            "and log. Check with: python -m ekc.core.provenance verify " + own,
        },
    )
    action = crate.add_action(
        workflow,
        identifier="#run",
        object=[
            entities[p]
            for p, e in files.items()
            if e["role"] == "input" or (e["role"] == "workflow" and p.startswith("config/"))
        ],
        result=[entities[p] for p in files if p in outputs and p in entities] + [entities[own]],
        properties={
            "name": "Snakemake run of the ekc-pipeline workflow",
            "description": "The run that built this crate's results from its inputs; every "
            "output's rule, inputs and log are in the provenance manifest.",
            # ISO 8601 with a numeric offset, the form the run-crate profiles check for
            "endTime": manifest["created"].replace("Z", "+00:00"),
            "actionStatus": {"@id": "http://schema.org/CompletedActionStatus"},
        },
    )
    crate.root_dataset["mentions"] = action  # one value, not a one-item list (RO-Crate 1.3)
    with tempfile.TemporaryDirectory() as tmp:
        crate.write(tmp)
        _write_zip(Path(tmp), Path(out_zip), manifest["created"])


def _write_zip(folder: Path, out_zip: Path, created: str) -> None:
    """Zip a folder with sorted entries, fixed dates and modes: same input, same bytes."""
    moment = max(dt.datetime.fromisoformat(created.replace("Z", "+00:00")), ZIP_EPOCH)
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_zip, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


# --- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ekc.core.provenance", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="recompute every checksum of a manifest")
    check.add_argument("manifest", type=Path)
    check.add_argument(
        "--root",
        type=Path,
        help="working directory the manifest's paths are relative to "
        "(default: found from the manifest's own recorded path)",
    )
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        print(f"{args.manifest}: no such manifest", file=sys.stderr)
        return 2
    problems = verify(args.manifest, args.root)
    files = json.loads(args.manifest.read_text(encoding="utf-8"))["files"]
    checked = sum(1 for entry in files.values() if entry.get("sha256"))
    for path, problem in problems:
        print(f"{path}: {problem}")
    if problems:
        print(f"{len(problems)} of {checked} files differ from {args.manifest}", file=sys.stderr)
        return 1
    print(f"all {checked} files match {args.manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
