"""Same inputs, same bytes: two builds from scratch in two folders write identical files.

Where SLURM runs, the second build is the one through SLURM
(`test_slurm.py::test_the_workflow_builds_the_same_files_on_slurm`, which compares every
file with the local build's): another whole build here would prove nothing more. Where it
cannot run, the second build is made here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import build_files, copy_workflow, run_snakemake
from .slurm_cluster import not_installable


@pytest.mark.workflow
def test_two_builds_are_byte_identical(built_workflow, tmp_path):
    if not_installable() is None:
        pytest.skip("the SLURM build is the second build (test_slurm.py)")
    second = copy_workflow(tmp_path / "second")
    run_snakemake(second)
    first_files, second_files = build_files(built_workflow), build_files(second)
    assert sorted(first_files) == sorted(second_files)
    kinds = {Path(name).suffix for name in first_files}
    assert {".csv", ".json", ".parquet", ".pdf", ".svg"} <= kinds
    assert [name for name in first_files if first_files[name] != second_files[name]] == []
