"""The build's RO-Crate is valid, checked by roc-validator (rocrate-validator) offline, at
the RECOMMENDED level: against RO-Crate 1.3 and the Process and Workflow Run Crate profiles.

The crate declares Workflow Run Crate 0.6 (the version that goes with RO-Crate 1.3); the
validator ships the 0.5 shapes of these profiles, which inherit RO-Crate 1.1 and Workflow
RO-Crate 1.0. So the run-crate profiles are checked without their parents
(`--disable-profile-inheritance`), and RO-Crate 1.3 on its own.

The validator fetches the JSON-LD contexts a crate names; here it gets them from its HTTP
cache, filled from `tests/resources/jsonld/` (sources and licences in its README).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests
import urllib3
from requests_cache import CachedSession

from .conftest import ROOT

pytestmark = pytest.mark.workflow

JSONLD = ROOT / "tests" / "resources" / "jsonld"
DOCUMENTS = {"https://w3id.org/ro/crate/1.3/context": JSONLD / "ro-crate-1.3-context.jsonld"}
# roc-validator, each SPARQL query of its shapes parsed once (same report, 26 s -> 7 s).
VALIDATOR = [sys.executable, str(ROOT / "tests" / "roc_validator.py")]


def offline_cache(folder: Path) -> Path:
    """An HTTP cache, as roc-validator keeps it, holding the vendored JSON-LD documents."""
    cache = folder / "http-cache"
    session = CachedSession(cache_name=str(cache), backend="sqlite")
    for url, path in DOCUMENTS.items():
        body = path.read_bytes()
        response = requests.Response()
        response.status_code, response.url, response._content = 200, url, body
        response.headers["Content-Type"] = "application/ld+json"
        response.encoding = "utf-8"
        response.request = requests.Request("GET", url).prepare()
        response.raw = urllib3.HTTPResponse(
            body=io.BytesIO(body), status=200, headers=dict(response.headers),
            request_url=url, preload_content=False,
        )  # fmt: skip
        session.cache.save_response(response)
    session.close()
    return cache


# Recommendations a build cannot meet without inventing what Snakemake does not record
# (the rule of snakemake-report-plugin-rocrate), each with its reason.
SKIPPED = {
    "ro-crate-1.3": {
        "ro-crate-1.3_56.1": "publisher: a build knows no publishing person or organisation",
        "ro-crate-1.3_97.1": "Bioschemas ComputationalWorkflow conformance needs a creator, "
        "date and publisher of the workflow that a build does not record",
    },
    "process-run-crate": {
        "process-run-crate-0.5_3.2": "url of the workflow: it has no published location",
        "process-run-crate-0.5_5.1": "the workflow is a file of the crate, so its id is a "
        "relative path, as Workflow RO-Crate requires, not an absolute URI",
        "process-run-crate-0.5_8.6": "agent: the run's person is not recorded",
        "process-run-crate-0.5_8.7": "the 0.5 shape compares actionStatus with a string; the "
        "crate gives the IRI http://schema.org/CompletedActionStatus, as the profile says",
    },
    "workflow-run-crate": {},
}
ALONE = {"process-run-crate", "workflow-run-crate"}  # 0.5 shapes: parents are RO-Crate 1.1


def validate(crate: Path, profile: str, tmp: Path, severity: str = "recommended") -> dict:
    report = tmp / f"{profile}.json"
    options = ["--disable-profile-inheritance"] if profile in ALONE else []
    if severity == "required":
        options += ["--fail-fast"]  # the first failure is the answer; 3 s instead of 26 s
    if SKIPPED.get(profile):
        options += ["--skip-checks", ",".join(SKIPPED[profile])]
    done = subprocess.run(
        [
            *VALIDATOR, "validate", "--offline", "--cache-path", str(offline_cache(tmp)),
            "--profile-identifier", profile, "--requirement-severity", severity,
            "--output-format", "json", "--output-file", str(report), "--no-paging",
            *options, str(crate),
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(report.read_text())
    result["console"] = done.stdout + done.stderr
    return result


@pytest.fixture(scope="module")
def crate(built_workflow, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crate")
    with zipfile.ZipFile(built_workflow / "results/provenance/ro-crate.zip") as archive:
        archive.extractall(folder)
    return folder


def issues(result: dict) -> list[str]:
    return [
        f"{i['severity']} {i['check']['identifier']}: {i['message'][:200]}"
        for i in result["issues"]
    ]


@pytest.mark.parametrize("profile", sorted(SKIPPED))
def test_the_crate_is_valid_at_the_recommended_level(crate, tmp_path, profile, summary_line):
    result = validate(crate, profile, tmp_path)
    assert "not available in the HTTP cache" not in result["console"], result["console"][-2000:]
    assert result["passed"], "\n".join(issues(result))
    stats = result["statistics"]
    summary_line(
        f"roc-validator {profile} (RECOMMENDED): passed, profiles {stats['profiles']}, "
        f"{stats['total_passed_checks']} of {stats['total_checks']} checks passed, "
        f"{len(SKIPPED[profile])} skipped by the test"
    )


def test_the_validator_finds_a_broken_crate(crate, tmp_path):
    """The check above can fail: a root without its conformsTo profiles' entities is refused
    (a REQUIRED check, so the run stops at the first failure; the valid crate passes it)."""
    broken = shutil.copytree(crate, tmp_path / "broken")
    metadata = json.loads((crate / "ro-crate-metadata.json").read_text())
    metadata["@graph"] = [e for e in metadata["@graph"] if "Profile" not in str(e.get("@type"))]
    (broken / "ro-crate-metadata.json").write_text(json.dumps(metadata))
    result = validate(broken, "ro-crate-1.3", tmp_path, severity="required")
    assert not result["passed"]
    assert any("conformsTo" in line or "Profile" in line for line in issues(result)), issues(result)
