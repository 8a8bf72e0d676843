"""Rows in = kept + quarantined + unexpected + orphaned, per export, in every build."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ekc.core.accounting import RowsUnaccounted, check_balanced, row_accounts

from .conftest import KEYED, ROOT, copy_workflow, run_snakemake


def validation(source: str, rows_in: int, quarantined: int) -> dict:
    return {
        "source": source,
        "file": f"raw/{source}.csv",
        "rows_in": rows_in,
        "kept": rows_in - quarantined,
        "quarantined": quarantined,
    }


def test_accounts_add_validation_and_linkage_counts():
    accounts = row_accounts(
        [validation("visits", 10, 2), validation("households", 5, 0)],
        [
            # the linkage of a study defined in its config (ekc.engine.prepare's summary)
            {"source": "households", "rows": 5, "linked": None, "orphans": 0},
            {"source": "visits", "rows": 8, "linked": 7, "orphans": 1},
        ],
    ).set_index("source")
    assert accounts.loc["visits", ["kept", "quarantined", "orphaned", "unaccounted"]].tolist() == [
        7,
        2,
        1,
        0,
    ]
    assert accounts.loc["households", "kept"] == 5
    check_balanced(accounts.reset_index())


def test_rows_neither_kept_nor_reported_stop_the_build():
    accounts = row_accounts(
        [validation("veo", 73, 1), validation("pul", 67, 0)],
        [
            # the linkage received 72 rows but accounts for 70 of them
            {"source": "veo", "rows": 72, "kept": 69, "orphaned": 1, "unexpected": 0},
        ],
    )
    assert accounts.set_index("source")["unaccounted"].to_dict() == {"pul": 67, "veo": 2}
    with pytest.raises(RowsUnaccounted, match=r"pul \(raw/pul.csv: 67 of 67 rows\)"):
        check_balanced(accounts)


def balanced(table: pd.DataFrame) -> bool:
    parts = table["kept"] + table["quarantined"] + table["unexpected"] + table["orphaned"]
    return bool((table["rows_in"] == parts).all() and (table["unaccounted"] == 0).all())


@pytest.mark.workflow
def test_the_embedded_build_accounts_for_every_row(built_workflow):
    table = pd.read_csv(built_workflow / "results/qc/row_accounting.csv")
    config_sources = pd.read_csv(built_workflow / "results/qc/row_accounting.csv")["source"]
    assert len(table) == 17 and list(table["source"]) == sorted(config_sources)
    assert balanced(table) and (table["kept"] == table["rows_in"]).all()
    for account in table.itertuples(index=False):
        summary = (built_workflow / f"results/qc/{account.source}_summary.md").read_text()
        assert summary.startswith(f"# Validation of {account.source}")
        assert (
            f"Rows in: {account.rows_in} = kept {account.rows_in} + quarantined 0 + "
            "unexpected 0 + orphaned 0: every row is accounted for"
        ) in summary


@pytest.mark.workflow
def test_a_faulty_copy_of_the_toy_study_is_accounted_row_by_row(tmp_path):
    """A study defined in its config alone, in quarantine mode: a visit that fails
    validation, one of an unknown household and an id written another way."""
    fixture = ROOT / "tests/fixtures/toy_study"
    workdir = copy_workflow(tmp_path / "toy")
    shutil.copytree(fixture, workdir / "tests/fixtures/toy_study")
    config = workdir / "tests/fixtures/toy_study/config.yaml"
    config.write_text(config.read_text().replace("mode: strict", "mode: quarantine"))
    visits = workdir / "tests/fixtures/toy_study/raw/visits.csv"
    lines = visits.read_text().splitlines()
    lines += ["H99;1;low", "H01;3;high", "h 02;3;low"]  # unknown, wrong wave, rewritten id
    lines[2] = lines[2].replace("H01", "h01")  # the id rule writes it H01 again
    visits.write_text("\n".join(lines) + "\n")

    run_snakemake(
        workdir,
        "results/toy/qc/row_accounting.csv",
        "--configfile",
        "tests/fixtures/toy_study/config.yaml",
        env=KEYED,  # a changed export: the demo key is refused
    )

    table = pd.read_csv(workdir / "results/toy/qc/row_accounting.csv").set_index("source")
    rows = len(lines) - 1
    assert table.loc["visits", ["rows_in", "quarantined", "orphaned"]].tolist() == [rows, 2, 2]
    assert balanced(table.reset_index())
    summary = (workdir / "results/toy/qc/visits_summary.md").read_text()
    assert f"Rows in: {rows} = kept {rows - 4} + quarantined 2 + unexpected 0 + orphaned 2" in (
        summary
    )
    assert "Case ids rewritten by the study's id rule" in summary
