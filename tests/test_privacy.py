"""No name, birth date or raw case number reaches results/ or the logs."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ekc_synthetic.writers import write_excel

from .conftest import KEYED, run_snakemake

PLANTED_NAME = "Jansen-Pietersma"
PLANTED_BIRTH_DATE = pd.Timestamp("1993-07-14")


@pytest.mark.workflow
def test_planted_identifiers_never_reach_any_output(built_workflow, tmp_path):
    # Start from the finished build: Snakemake reruns every job that depends on the changed
    # export, and no other job can see the planted values.
    workdir = tmp_path / "p"
    shutil.copytree(built_workflow, workdir, symlinks=True)
    frek = workdir / "resources/raw/frek.xlsx"
    families = pd.read_excel(frek, sheet_name="gezinnen", dtype=object)
    children = pd.read_excel(frek, sheet_name="kinderen", dtype=object)
    children.insert(2, "Naam", [f"{PLANTED_NAME} {i}" for i in range(len(children))])
    row = children.index[children["Geboortedatum"].notna()][0]
    children.loc[row, "Geboortedatum"] = PLANTED_BIRTH_DATE
    write_excel({"gezinnen": families, "kinderen": children}, frek)
    case_numbers = set(families["Gezinsnummer"])

    run_snakemake(workdir, env=KEYED)  # not the embedded data: a key of its own

    needles = [PLANTED_NAME, "1993-07-14", "14-07-1993", "14.07.1993", *sorted(case_numbers)]
    scanned = 0
    for folder in ("results", "logs"):
        for path in (workdir / folder).rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if path.suffix == ".parquet":  # compressed: scan the decoded cells as well
                data += pd.read_parquet(path).astype(str).to_csv().encode()
            scanned += 1
            for needle in needles:
                assert needle.encode() not in data, f"{needle!r} found in {path}"
    assert scanned > 20
    summary = (workdir / "results/qc/frek_children_summary.md").read_text()
    assert "Columns with direct identifiers, not read: Naam" in summary
