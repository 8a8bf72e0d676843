"""Quarantine mode: failing rows are set aside, counted and kept; the rest flows on."""

from __future__ import annotations

import pandas as pd
import pytest

from ekc_synthetic.writers import write_excel

from .conftest import KEYED, copy_workflow, run_snakemake


@pytest.mark.workflow
def test_quarantine_mode_sets_rows_aside_and_completes(tmp_path):
    workdir = copy_workflow(tmp_path / "q")
    config = workdir / "config/config.yaml"
    config.write_text(config.read_text().replace("mode: strict", "mode: quarantine"))
    frek = workdir / "resources/raw/frek.xlsx"
    families = pd.read_excel(frek, sheet_name="gezinnen", dtype=object)
    children = pd.read_excel(frek, sheet_name="kinderen", dtype=object)
    families["Aantal kinderen"] = families["Aantal kinderen"].astype(object)
    families.loc[3, "Aantal kinderen"] = "vier"
    families.loc[10, "Regio"] = "Utrecht"
    write_excel({"gezinnen": families, "kinderen": children}, frek)

    run_snakemake(
        workdir,
        "private/analysis/families.parquet",
        "results/qc/frek_families_summary.md",
        env=KEYED,
    )

    quarantined = pd.read_csv(workdir / "private/quarantine/frek_families.csv", dtype=str)
    assert sorted(quarantined["source_row"].astype(int)) == [5, 12]
    summary = (workdir / "results/qc/frek_families_summary.md").read_text()
    kept = int(summary.split("Rows kept: ")[1].split()[0])
    assert kept + len(quarantined) == len(families)
    failures = pd.read_csv(workdir / "private/qc/frek_families_failures.csv", dtype=str)
    assert set(failures["column"]) == {"Aantal kinderen", "Regio"}
    assert f"Rows read: {len(families)}" in summary
    assert "Rows set aside (quarantine): 2" in summary
    linked = pd.read_parquet(workdir / "private/analysis/families.parquet")
    assert len(linked) == 113  # the register still holds every family
    assert int(linked["has_frek"].sum()) == kept
