# Provenance of a build (issue 7): a manifest with the checksum of every input and output and,
# per output, the rule, inputs and log that made it; and the run packaged as an RO-Crate.
import glob
from pathlib import Path

from ekc.core.provenance import build_outputs, manifest_inputs, workflow_jobs

PROVENANCE_MANIFEST = f"{OUT}/provenance/manifest.json"
PROVENANCE_CRATE = f"{OUT}/provenance/ro-crate.zip"
PROVENANCE_RULES = {"provenance_manifest", "ro_crate"}
# The workflow's own definition, hashed beside the data (edits to it show up in the manifest).
PROVENANCE_WORKFLOW_FILES = sorted(
    path
    for path in [
        "Snakefile",
        *glob.glob("workflow/**/*", recursive=True),
        *glob.glob("config/**/*", recursive=True),
        *glob.glob("schemas/**/*", recursive=True),
        *glob.glob("profiles/**/*", recursive=True),
    ]
    if Path(path).is_file() and "__pycache__" not in path
)
# Outputs of the provenance rules themselves, left out of what they describe.
PROVENANCE_SKIP = (PROVENANCE_RULES, {PROVENANCE_MANIFEST, PROVENANCE_CRATE})


rule provenance_manifest:
    input:
        files=lambda wildcards: manifest_inputs(
            workflow_jobs(workflow, *PROVENANCE_SKIP), PROVENANCE_WORKFLOW_FILES
        ),
        code=script_code("provenance_manifest.py"),
    output:
        manifest=report(
            PROVENANCE_MANIFEST,
            caption="../../report/provenance.rst",
            category="Provenance",
        ),
    log:
        f"{LOGS}/provenance/manifest.log",
    group:
        "report"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("report"),
        runtime=RUNTIME_MIN,
    params:
        jobs=lambda wildcards: workflow_jobs(workflow, *PROVENANCE_SKIP),
        workflow_files=PROVENANCE_WORKFLOW_FILES,
    script:
        "../../scripts/provenance_manifest.py"


# The crate never reads the private area (it lists those files by their manifest checksums).
rule ro_crate:
    input:
        manifest=PROVENANCE_MANIFEST,
        files=lambda wildcards: [
            path
            for path in manifest_inputs(
                workflow_jobs(workflow, *PROVENANCE_SKIP), PROVENANCE_WORKFLOW_FILES
            )
            if not Path(path).is_relative_to(PRIVATE)
        ],
        code=script_code("ro_crate.py"),
    output:
        crate=PROVENANCE_CRATE,
    log:
        f"{LOGS}/provenance/ro_crate.log",
    group:
        "report"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("report"),
        runtime=RUNTIME_MIN,
    script:
        "../../scripts/ro_crate.py"
