"""The fault corpus: every faulty export gets a specific message and exact quarantine.

Most faults run in-process through the package API (reader, pandera models, codebook);
cross-source faults go through the linkage functions; three run the workflow end to end.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ekc.core.ids import IdRule
from ekc.core.pseudonym import load_key, pseudonym
from ekc.core.readers import SOURCE_ROW, ExportReadError, read_export
from ekc.core.validation import mask_identifiers
from ekc.youth_protection import link
from ekc.youth_protection.schemas import IDENTIFIERS, MODELS
from ekc.youth_protection.schemas import validate as validate_export
from ekc.youth_protection.schemas.codebook import VALUE_LABELS

from . import study
from .conftest import KEYED, TEST_KEY, copy_workflow, run_snakemake
from .faults import (
    ALL,
    CONFIG,
    FAULTS,
    LINKAGE_FAULTS,
    NO_CONFERENCE,
    Fault,
    csv_lines,
    raw,
    sav,
    sheet,
    write_sheet,
)

READ_OPTIONS = ("sheet", "delimiter", "encoding", "max_megabytes")
# The study's identifiers with the id rule its config declares, as the workflow uses them.
STUDY_IDENTIFIERS = IDENTIFIERS.with_id_rule(IdRule.from_config(CONFIG["id_normalisation"]))


def read(fault: Fault, path):
    options = fault.config_options()
    return read_export(path, **{k: options[k] for k in READ_OPTIONS if k in options})


def validate(fault: Fault, export):
    options = fault.config_options()
    return validate_export(
        export,
        MODELS[fault.source],
        source=fault.source,
        decimal_comma=options.get("decimal_comma", False),
        date_order=options.get("date_order", "dmy"),
        identifiers=STUDY_IDENTIFIERS,
    )


MODELS_COLUMNS = {source: list(model.to_schema().columns) for source, model in MODELS.items()}


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
    for text in fault.absent:
        assert text not in summary, text
    assert result.fatal == fault.fatal
    failures = result.failures
    assert set(failures["file"]) <= {str(path)}
    if fault.failures is not None:
        found = {(r.source_row, r.column, r.rule) for r in failures.itertuples(index=False)}
        assert found == fault.failures, failures.to_string()
    for rec in failures.itertuples(index=False):
        assert rec.message and rec.rule  # every failure says which rule, and why
        # a data row by number; the whole file or its header by name (not 'row header')
        row = str(rec.source_row)
        where = {"file": "the whole file", "header": "header row"}.get(row, f"row {row}")
        assert f"{path.name}, {where}" in summary or len(failures) > 20

    # Every row is accounted for; the healthy rows flow on, in file order.
    all_rows = list(read(fault, path).frame[SOURCE_ROW])
    assert len(result.valid) + len(result.quarantined) == result.rows_in == len(all_rows)
    # What the private area keeps: the layout's columns only, no withheld value.
    private = result.for_private_area(b"test-key", STUDY_IDENTIFIERS)
    assert set(private.quarantined.columns) <= {SOURCE_ROW, *MODELS_COLUMNS[fault.source]}
    written = private.quarantined.to_csv() + private.failures.to_csv()
    for text in (t for t in fault.absent if t != "Utrecht"):
        assert text not in written, text
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
    """What quarantine mode writes for a failing register row: pseudonym, no raw case number,
    the layout's columns only."""
    fault = next(f for f in FAULTS if f.name == "register_category_in_lower_case")
    result = validate(fault, read(fault, fault.build(tmp_path)))
    key = b"test-key"
    private = result.for_private_area(key, STUDY_IDENTIFIERS)
    lost = csv_lines("register")[7].split(";")[0]
    assert list(private.quarantined["gezinsnummer"]) == [pseudonym(lost, key)]
    assert list(private.quarantined["regio"]) == ["amsterdam"]  # allow-listed: as it is
    assert lost not in private.quarantined.to_csv() + private.failures.to_csv(index=False)


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


@pytest.fixture(scope="module")
def embedded_results():
    return study.embedded()


@pytest.mark.parametrize("fault", LINKAGE_FAULTS, ids=lambda f: f.name)
def test_linkage_fault_is_reported_row_by_row(fault, embedded_results, tmp_path, key):
    """Every row that does not link, or that the design does not expect, is a row of the
    linkage report (export and row), is counted, and stays out of the analysis tables; the
    rows of every export add up."""
    results = dict(embedded_results)
    for source, path in fault.build(tmp_path).items():
        results[source] = study.validate(source, path)
        assert results[source].ok, results[source].summary()
    linked = study.run(results)
    report = linked.report
    reported = report[report["issue"].isin(["orphan", "unexpected"])]
    found = {(r.issue, r.source, int(r.source_row)) for r in reported.itertuples(index=False)}
    assert found == fault.issues, reported.to_string()
    for source, (kept, orphaned, unexpected) in fault.accounts.items():
        account = linked.accounts[source]
        assert (account["kept"], account["orphaned"], account["unexpected"]) == (
            kept,
            orphaned,
            unexpected,
        )
    for source, result in results.items():
        account = linked.accounts[source]
        assert account["dropped"] == 0 and account["rows"] == len(result.valid)
        assert result.rows_in == (
            account["kept"] + len(result.quarantined) + account["unexpected"] + account["orphaned"]
        )
    for raw_id in ("EK07-999", "EK04-001", *NO_CONFERENCE):
        assert raw_id not in report.to_csv()


def test_unexpected_forms_stay_out_of_the_analyses_unless_the_config_keeps_them(
    embedded_results, tmp_path, key
):
    fault = next(f for f in LINKAGE_FAULTS if f.name == "succint_for_a_family_without_conference")
    results = dict(embedded_results)
    for source, path in fault.build(tmp_path).items():
        results[source] = study.validate(source, path)
    family = pseudonym(NO_CONFERENCE[0], key)

    def responded(linked):
        m = linked.tables["measurements"]
        return m[(m["family_id"] == family) & m["responded"]]["instrument"].tolist()

    excluded = study.run(results)
    assert "succint_referrer" not in responded(excluded)
    assert family not in set(excluded.tables["succint"]["family_id"])
    kept = study.run(results, include_unexpected=True)
    assert responded(kept).count("succint_referrer") == 2
    assert kept.accounts["succint_aanmelder"]["unexpected"] == 0
    assert set(kept.report.loc[kept.report["issue"] == "unexpected", "detail"]) == {
        "succint_referrer form of a family without a conference (kept: unexpected_forms: include)"
    }


def test_the_embedded_exports_link_row_for_row(embedded_results):
    linked = study.run(embedded_results)
    assert not linked.report["issue"].isin(["orphan", "unexpected"]).any()
    for source, result in embedded_results.items():
        assert result.ok
        account = linked.accounts[source]
        assert (account["rows"], account["kept"]) == (result.rows_in, result.rows_in), source


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

    # Up to the row accounting, which runs after the linkage.
    run_snakemake(workdir, "results/qc/row_accounting.csv", env=KEYED)

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

    families = pd.read_parquet(workdir / "private/analysis/families.parquet")
    assert len(families) == len(csv_lines("register")) - 2  # header and the set-aside row
    assert pseudonym(lost, key) not in set(families["family_id"])
    report = pd.read_csv(workdir / "private/linkage/linkage_report.csv", dtype=str)
    orphans = report[report["issue"] == "orphan"]
    # The stray child, and every record of the family whose register row was set aside,
    # each with the export and the row a data manager sees.
    assert set(orphans["family_id"]) == {pseudonym("EK07-999", key), pseudonym(lost, key)}
    stray = orphans[orphans["family_id"] == pseudonym("EK07-999", key)]
    assert list(zip(stray["source"], stray["source_row"], strict=True)) == [
        ("frek_children", str(len(kids) + 2))
    ]
    # Rows in = kept + quarantined + unexpected + orphaned, per export, in the results file
    # and in each QC summary.
    accounts = pd.read_csv(workdir / "results/qc/row_accounting.csv").set_index("source")
    assert (accounts["unaccounted"] == 0).all()
    assert (
        accounts["rows_in"]
        == accounts["kept"]
        + accounts["quarantined"]
        + accounts["unexpected"]
        + accounts["orphaned"]
    ).all()
    assert accounts.loc["register", ["quarantined", "orphaned"]].tolist() == [1, 0]
    assert (
        accounts.loc["frek_children", "orphaned"]
        == 1 + (sheet("frek_children")["Gezinsnummer"] == lost).sum()
    )
    assert accounts.loc["veo", "quarantined"] == len(veo_fault.quarantined)
    orphaned_by_source = orphans.groupby("source").size()
    for source, n in orphaned_by_source.items():
        assert accounts.loc[source, "orphaned"] == n, source
    assert (
        "Rows in: {} = kept {} + quarantined {} + unexpected 0 + orphaned {}: every row is "
        "accounted for".format(*accounts.loc["veo", ["rows_in", "kept", "quarantined", "orphaned"]])
        in summary
    )
    for text in (lost, "EK07-999"):
        assert text not in report.to_csv()
