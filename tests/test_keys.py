"""The pseudonymisation key: never inside the project or what the crate ships, never the demo
key on data other than the embedded exports, and a new key rebuilds everything it touched."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ekc.core.pseudonym import (
    DEMO_KEY,
    EMBEDDED_CHECKSUMS,
    MissingPseudonymKey,
    UnsafePseudonymKey,
    embedded_checksums,
    job_key,
    resolve_key,
)

from .conftest import ROOT, TEST_KEY

CONFIG = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
SETTINGS = {"key_env": "EKC_TEST_KEY", "allow_demo_key": True}
RAW = sorted({source["file"] for source in CONFIG["sources"].values()})


@pytest.fixture(autouse=True)
def no_key_in_environment(monkeypatch):
    monkeypatch.delenv("EKC_TEST_KEY", raising=False)


def project(tmp_path: Path) -> Path:
    """A project holding the embedded exports and their checksum list."""
    root = tmp_path / "project"
    for path in [*RAW, EMBEDDED_CHECKSUMS]:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, root / path)
    return root


def test_every_embedded_export_is_listed_with_its_checksum():
    import hashlib

    listed = {
        line.split()[1]: line.split()[0]
        for line in (ROOT / EMBEDDED_CHECKSUMS).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    shipped = [
        *sorted((ROOT / "resources/raw").iterdir()),
        *sorted((ROOT / "resources/studies/pd/raw").iterdir()),
        *sorted((ROOT / "tests/fixtures/toy_study/raw").iterdir()),
    ]
    assert len(shipped) == 25
    for path in shipped:
        rel = path.relative_to(ROOT).as_posix()
        assert listed.get(rel) == hashlib.sha256(path.read_bytes()).hexdigest(), (
            f"{rel}: regenerate {EMBEDDED_CHECKSUMS} (its first lines say how)"
        )


def test_demo_key_is_accepted_for_the_embedded_exports(tmp_path):
    root = project(tmp_path)
    key = resolve_key(SETTINGS, root=root, raw_files=RAW)
    assert key.is_demo and key.secret == DEMO_KEY.encode()


@pytest.mark.parametrize("change", ["one byte", "another file"])
def test_demo_key_is_refused_for_other_data_with_a_way_out(tmp_path, change):
    root = project(tmp_path)
    veo = root / "resources/raw/veo.sav"
    if change == "one byte":
        data = bytearray(veo.read_bytes())
        data[-1] ^= 1
        veo.write_bytes(bytes(data))
    else:
        veo.write_bytes((ROOT / "resources/raw/cvc.sav").read_bytes() + b"real rows")
    with pytest.raises(UnsafePseudonymKey) as refused:
        resolve_key(SETTINGS, root=root, raw_files=RAW)
    message = str(refused.value)
    assert "resources/raw/veo.sav is not one of the embedded demo exports" in message
    assert "export EKC_TEST_KEY=" in message and "pseudonymisation.key_file" in message


def test_the_demo_key_set_by_hand_is_refused_for_other_data(tmp_path, monkeypatch):
    root = project(tmp_path)
    (root / "resources/raw/pul.csv").write_text("echte;data\n")
    monkeypatch.setenv("EKC_TEST_KEY", DEMO_KEY)
    with pytest.raises(UnsafePseudonymKey, match="pul.csv is not one of the embedded"):
        resolve_key(SETTINGS, root=root, raw_files=RAW)


def test_own_key_is_accepted_for_any_data(tmp_path, monkeypatch):
    root = project(tmp_path)
    (root / "resources/raw/pul.csv").write_text("echte;data\n")
    monkeypatch.setenv("EKC_TEST_KEY", TEST_KEY)
    key = resolve_key(SETTINGS, root=root, raw_files=RAW)
    assert key.secret == TEST_KEY.encode() and not key.is_demo


def test_no_key_without_the_demo_fallback_says_how_to_set_one(tmp_path):
    with pytest.raises(MissingPseudonymKey, match="export EKC_TEST_KEY="):
        resolve_key({"key_env": "EKC_TEST_KEY"}, root=project(tmp_path), raw_files=RAW)


@pytest.mark.parametrize(
    "where", ["config/pseudonym.key", "resources/pseudonym.key", "results/pseudonym.key"]
)
def test_key_file_inside_the_project_is_refused(tmp_path, where):
    root = project(tmp_path)
    key_file = root / where
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text("a-real-secret\n")
    key_file.chmod(0o600)
    settings = {**SETTINGS, "key_file": str(key_file)}
    with pytest.raises(UnsafePseudonymKey, match="lies inside .* Move it outside the project"):
        resolve_key(settings, root=root, raw_files=RAW)


def test_key_file_under_a_shipped_folder_outside_the_project_is_refused(tmp_path):
    root = project(tmp_path)
    shipped = tmp_path / "shared-results"
    (shipped / "keys").mkdir(parents=True)
    key_file = shipped / "keys/pseudonym.key"
    key_file.write_text("a-real-secret\n")
    key_file.chmod(0o600)
    settings = {**SETTINGS, "key_file": str(key_file)}
    with pytest.raises(UnsafePseudonymKey, match="lies inside"):
        resolve_key(settings, root=root, shipped=[shipped], raw_files=RAW)


def test_key_file_outside_the_project_is_used_and_must_be_private(tmp_path):
    root = project(tmp_path)
    (root / "resources/raw/pul.csv").write_text("echte;data\n")
    key_file = tmp_path / "home/.config/ekc/pseudonym.key"
    key_file.parent.mkdir(parents=True)
    key_file.write_text("a-real-secret\n")
    key_file.chmod(0o644)
    settings = {**SETTINGS, "key_file": str(key_file)}
    with pytest.raises(UnsafePseudonymKey, match="chmod 600"):
        resolve_key(settings, root=root, raw_files=RAW)
    key_file.chmod(0o600)
    assert resolve_key(settings, root=root, raw_files=RAW).secret == b"a-real-secret"


def test_fingerprint_names_the_key_without_revealing_it(monkeypatch, tmp_path):
    root = project(tmp_path)
    demo = resolve_key(SETTINGS, root=root, raw_files=RAW)
    monkeypatch.setenv("EKC_TEST_KEY", TEST_KEY)
    own = resolve_key(SETTINGS, root=root, raw_files=RAW)
    assert re.fullmatch(r"[0-9a-f]{16}", own.fingerprint)
    assert own.fingerprint != demo.fingerprint
    assert TEST_KEY not in own.fingerprint and TEST_KEY not in repr(own)
    # A job gets the key only if it is the one the workflow started with.
    assert job_key({**SETTINGS, "key_fingerprint": own.fingerprint}) == TEST_KEY.encode()
    with pytest.raises(UnsafePseudonymKey, match="not the one the workflow started with"):
        job_key({**SETTINGS, "key_fingerprint": demo.fingerprint})


def test_embedded_checksums_ignore_comments(tmp_path):
    listing = tmp_path / "sums"
    listing.write_text("# comment\n" + "a" * 64 + "  x.csv\n\n")
    assert embedded_checksums(listing) == {"a" * 64}


# --------------------------------------------------------------------------------------
# End to end: the key is a parameter of every job that pseudonymises


PSEUDONYMISING = {
    "validate_registration",
    "validate_case_files",
    "validate_questionnaires",
    "validate_succint",
    "validate_interviews",
    "clean_registration",
    "clean_case_files",
    "clean_questionnaires",
    "clean_succint",
    "clean_interviews",
}


@pytest.mark.workflow
def test_a_new_key_and_one_changed_export_rebuild_everything_pseudonymised(
    built_workflow, keyed_build
):
    """The data manager's switch from the demo key to their own while one export changes
    (conftest.keyed_build): before, only the jobs of that export reran and 0 of the
    questionnaire rows linked to a family pseudonymised with the other key."""
    output = (keyed_build / "keyed_run.log").read_text()
    ran = set(re.findall(r"^\s*(?:local)?rule (\w+):\s*$", output, re.MULTILINE))
    assert PSEUDONYMISING | {"link"} <= ran
    reasons = "\n".join(re.findall(r"reason: .*", output))
    assert "Params have changed" in reasons

    families = pd.read_parquet(keyed_build / "private/analysis/families.parquet")
    scores = pd.read_parquet(keyed_build / "private/analysis/questionnaires.parquet")
    before = pd.read_parquet(built_workflow / "private/analysis/questionnaires.parquet")
    assert len(scores) == len(before) > 200
    assert scores["family_id"].isin(families["family_id"]).all()
    assert not scores["family_id"].isin(before["family_id"]).any()  # all new pseudonyms
    flow = "results/stats/participant_flow.json"
    assert json.loads((keyed_build / flow).read_text()) == json.loads(
        (built_workflow / flow).read_text()
    )
