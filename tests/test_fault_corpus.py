"""The fault corpus: every faulty export gets a specific message and exact quarantine.

Most faults run in-process through the package API (reader, pandera models, codebook);
cross-source faults go through the linkage functions; three run the workflow end to end.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ekc.core.pseudonym import load_key, pseudonym
from ekc.core.readers import SOURCE_ROW, ExportReadError, read_export
from ekc.core.validation import mask_identifiers
from ekc.youth_protection import link
from ekc.youth_protection.clean.registration import children_table, fufrek_table
from ekc.youth_protection.schemas import IDENTIFIERS, MODELS
from ekc.youth_protection.schemas import validate as validate_export
from ekc.youth_protection.schemas.codebook import VALUE_LABELS

from .conftest import KEYED, TEST_KEY, copy_workflow, run_snakemake
from .faults import ALL, CONFIG, FAULTS, Fault, csv_lines, raw, sav, sheet, write_sheet

READ_OPTIONS = ("sheet", "delimiter", "encoding")


def read(fault: Fault, path):
    options = fault.config_options()
    return read_export(path, **{k: options[k] for k in READ_OPTIONS if k in options})


def validate(fault: Fault, export):
    decimal_comma = fault.config_options().get("decimal_comma", False)
    return validate_export(
        export, MODELS[fault.source], source=fault.source, decimal_comma=decimal_comma
    )


def test_the_corpus_is_broad():
    formats = {raw(f.source).suffix for f in FAULTS}
    assert len({f.name for f in FAULTS}) == len(FAULTS) >= 30
    assert formats == {".csv", ".xlsx", ".sav"}
    assert len({f.source for f in FAULTS}) >= 10


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_is_named_and_quarantined_exactly(fault: Fault, tmp_path):
    path = fault.build(tmp_path)
    if fault.read_error:
        with pytest.raises(ExportReadError) as caught:
            read(fault, path)
        message = str(caught.value)
        assert message.startswith(str(path)), message  # names the file first
        for phrase in fault.read_error:
            assert phrase in message, message
        return

    result = validate(fault, read(fault, path))
    summary = result.summary()
    for phrase in fault.messages:
        assert phrase in summary, summary
    failures = result.failures
    assert set(failures["file"]) <= {str(path)}
    if fault.failures is not None:
        found = {(r.source_row, r.column, r.rule) for r in failures.itertuples(index=False)}
        assert found == fault.failures, failures.to_string()
    for rec in failures.itertuples(index=False):
        assert rec.message and rec.rule  # every failure says which rule, and why
        assert f"{path.name}, row {rec.source_row}" in summary or len(failures) > 20

    # Every row is accounted for; the healthy rows flow on, in file order.
    all_rows = list(read(fault, path).frame[SOURCE_ROW])
    assert len(result.valid) + len(result.quarantined) == result.rows_in == len(all_rows)
    set_aside = all_rows if fault.quarantined == ALL else sorted(fault.quarantined)
    assert sorted(result.quarantined[SOURCE_ROW]) == set_aside
    assert list(result.valid[SOURCE_ROW]) == [r for r in all_rows if r not in set(set_aside)]
    assert result.ok == (fault.failures == frozenset())

    if fault.same_as_clean:
        clean = validated(fault.source, raw(fault.source))
        pd.testing.assert_frame_equal(
            result.valid.drop(columns=SOURCE_ROW), clean.drop(columns=SOURCE_ROW)
        )


def test_quarantined_rows_are_written_without_identifiers(tmp_path):
    """What quarantine mode writes for a failing register row: pseudonym, no raw case number."""
    fault = next(f for f in FAULTS if f.name == "register_id_in_lower_case")
    result = validate(fault, read(fault, fault.build(tmp_path)))
    key = b"test-key"
    written = mask_identifiers(result.quarantined, key, identifiers=IDENTIFIERS)
    assert list(written["gezinsnummer"]) == [pseudonym("ek05-004", key)]
    assert "ek05-004" not in written.to_csv() + mask_identifiers(
        result.failures, key, "value", "column", IDENTIFIERS
    ).to_csv(index=False)


def test_a_birth_date_quoted_in_a_message_is_masked(tmp_path):
    kids = sheet("frek_children")
    kids.loc[4, "Geboortedatum"] = "31-13-1996"
    path = write_sheet(tmp_path, "frek_children", kids)
    fault = Fault("birth_date", "frek_children", lambda folder: path)
    failures = validate(fault, read(fault, path)).failures
    assert "31-13-1996" in failures.to_csv()  # in memory, for the data manager's own file
    written = mask_identifiers(failures, b"test-key", "value", "column", IDENTIFIERS)
    assert "31-13-1996" not in written.to_csv()
    assert list(written["message"]) == [
        "'<removed>' is an impossible date (no such day in the calendar)"
    ]


@pytest.mark.parametrize("source", sorted(s for s in MODELS if raw(s).suffix == ".sav"))
def test_embedded_spss_labels_agree_with_the_codebook(source):
    """The generator keeps its own label tables: they must not drift from the codebook."""
    _, labels = sav(source)
    codebook = VALUE_LABELS[MODELS[source]]
    assert set(codebook) <= set(labels)
    for column, codes in codebook.items():
        assert labels[column] == codes, column


# --------------------------------------------------------------------------------------
# Cross-source faults, caught by the linkage


@pytest.fixture(scope="module")
def key() -> bytes:
    settings = CONFIG["pseudonymisation"]
    return load_key(settings["key_env"], settings.get("key_file"), settings["allow_demo_key"])


def validated(source: str, path) -> pd.DataFrame:
    """A mutated export that passes validation (the fault is only visible across sources)."""
    fault = Fault("cross_source", source, lambda folder: path)
    result = validate(fault, read(fault, path))
    assert result.ok, result.summary()
    return result.valid


def test_child_without_family_is_an_orphan(clean_tables, tmp_path, key):
    families, _ = clean_tables
    kids = sheet("frek_children")
    stray = kids.iloc[[0]].assign(Gezinsnummer="EK07-999", Kindnummer=1)
    path = write_sheet(tmp_path, "frek_children", pd.concat([kids, stray], ignore_index=True))
    children = children_table(validated("frek_children", path), families, key)

    no_follow_up = pd.DataFrame(columns=["family_id", "follow_up_date"])
    report = link.linkage_report(families, children, no_follow_up)
    orphans = report[report["issue"] == "orphan"]
    assert list(zip(orphans["source"], orphans["family_id"], strict=True)) == [
        ("frek_children", pseudonym("EK07-999", key))
    ]
    assert "EK07-999" not in report.to_csv()
    # The other children still link to their families.
    assert children["family_id"].isin(families["family_id"]).sum() == len(kids)


def test_follow_up_without_a_conference_is_inconsistent(clean_tables, tmp_path, key):
    families, children = clean_tables
    lines = csv_lines("register")
    no_conference = [line.split(";")[0] for line in lines[1:] if line.split(";")[4] == "nee"]
    forms = sheet("fufrek")
    extra = forms.iloc[[0]].assign(Gezinsnummer=no_conference[0])
    path = write_sheet(tmp_path, "fufrek", pd.concat([forms, extra], ignore_index=True))
    fufrek = fufrek_table(validated("fufrek", path), key)

    report = link.linkage_report(families, children, fufrek)
    inconsistent = report[report["issue"] == "inconsistent"]
    assert list(inconsistent["family_id"]) == [pseudonym(no_conference[0], key)]
    assert set(inconsistent["detail"]) == {"follow-up form for a family without a conference"}


def test_follow_up_measurement_without_baseline_is_reported(clean_tables):
    families, _ = clean_tables
    fid = families.loc[families["dossier"] == "analysed", "family_id"].iloc[0]
    measurements = pd.DataFrame(
        {
            "family_id": [fid] * 3,
            "instrument": ["zap_kort"] * 3,
            "moment": ["start", "3m", "9m"],
            "expected": [True] * 3,
            "responded": [False, True, True],
            "scored": [False, True, True],
        }
    )
    issues = pd.DataFrame(link.follow_up_without_baseline(measurements))
    assert list(issues["issue"]) == ["no_baseline"] * 2
    assert list(issues["detail"].str.contains("zap_kort 3m|zap_kort 9m")) == [True, True]


# --------------------------------------------------------------------------------------
# End to end: the workflow says which file is missing, stops at an unreadable export, and
# in quarantine mode sets exactly the failing rows aside while the rest is linked.


@pytest.mark.workflow
def test_a_whole_source_missing_is_named_by_snakemake(tmp_path):
    workdir = copy_workflow(tmp_path / "missing")
    (workdir / "resources/raw/cvc.sav").unlink()
    result = run_snakemake(workdir, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "MissingInputException" in output and "resources/raw/cvc.sav" in output
    assert not (workdir / "results").exists()  # nothing ran


@pytest.mark.workflow
def test_an_unreadable_export_stops_the_run_with_its_reason(tmp_path):
    workdir = copy_workflow(tmp_path / "latin1")
    fault = next(f for f in FAULTS if f.name == "register_latin1_with_name_column")
    fault.build(workdir / "resources/raw")
    result = run_snakemake(workdir, "private/clean/families.parquet", check=False, env=KEYED)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "onderzoeksregister.csv, row 6: not valid UTF-8" in output
    assert "set `encoding` for this source" in output
    assert not (workdir / "private/clean/families.parquet").exists()
    assert "Ren" not in output  # the name never reaches the log


@pytest.mark.workflow
def test_quarantine_mode_end_to_end(tmp_path):
    key = TEST_KEY.encode()  # changed exports: the build uses a key of its own
    workdir = copy_workflow(tmp_path / "q")
    config = workdir / "config/config.yaml"
    config.write_text(config.read_text().replace("mode: strict", "mode: quarantine"))
    rawdir = workdir / "resources/raw"
    by_name = {f.name: f for f in FAULTS}
    # One register row with a wrong category: its family leaves the master list.
    by_name["register_category_in_lower_case"].build(rawdir)
    lost = csv_lines("register")[7].split(";")[0]
    # VEO with recoded respondents: the mother/father rows are set aside, the rest stays.
    by_name["veo_respondent_labels_swapped"].build(rawdir)
    # A child of an unregistered family on the FREK.
    kids = sheet("frek_children")
    stray = kids.iloc[[0]].assign(Gezinsnummer="EK07-999", Kindnummer=1)
    write_sheet(rawdir, "frek_children", pd.concat([kids, stray], ignore_index=True))

    # Up to the cleaned registration tables (the link rule is tested in-process above).
    run_snakemake(workdir, "private/clean/families.parquet", "results/qc/veo_summary.md", env=KEYED)

    register_q = pd.read_csv(workdir / "private/quarantine/register.csv", dtype=str)
    assert list(register_q["source_row"]) == ["8"]
    assert list(register_q["gezinsnummer"]) == [pseudonym(lost, key)]
    veo_q = pd.read_csv(workdir / "private/quarantine/veo.csv", dtype=str)
    veo_fault = by_name["veo_respondent_labels_swapped"]
    assert sorted(veo_q["source_row"].astype(int)) == sorted(veo_fault.quarantined)
    summary = (workdir / "results/qc/veo_summary.md").read_text()
    assert f"Rows set aside (quarantine): {len(veo_fault.quarantined)}" in summary
    assert "labelled 'vader' in this file but 'moeder'" in summary
    assert (workdir / "private/quarantine/frek_children.csv").read_text().count("\n") == 1

    clean = workdir / "private/clean"
    families = pd.read_parquet(clean / "families.parquet")
    assert len(families) == len(csv_lines("register")) - 2  # header and the set-aside row
    assert pseudonym(lost, key) not in set(families["family_id"])
    children = pd.read_parquet(clean / "children.parquet")
    report = link.linkage_report(families, children, pd.read_parquet(clean / "fufrek.parquet"))
    orphans = report[report["issue"] == "orphan"]
    # The stray child, and the records of the family whose register row was set aside.
    assert set(orphans["family_id"]) == {pseudonym("EK07-999", key), pseudonym(lost, key)}
    assert set(orphans.loc[orphans["family_id"] == pseudonym("EK07-999", key), "source"]) == {
        "frek_children"
    }
    for text in (lost, "EK07-999"):
        assert text not in report.to_csv()
