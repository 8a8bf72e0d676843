"""Same inputs, same bytes: two builds in two directories give identical results files."""

from __future__ import annotations

import pytest

from .conftest import copy_workflow, run_snakemake


@pytest.mark.workflow
def test_two_builds_are_byte_identical(built_workflow, tmp_path):
    second = copy_workflow(tmp_path / "second")
    run_snakemake(second)

    def written(root):
        return sorted(
            p.relative_to(root)
            for folder in ("results", "private", "logs")
            for p in (root / folder).rglob("*")
            if p.is_file()
        )

    first_files, second_files = written(built_workflow), written(second)
    assert first_files == second_files
    kinds = {p.suffix for p in first_files}
    assert {".csv", ".json", ".parquet", ".pdf", ".svg"} <= kinds
    different = [
        str(p)
        for p in first_files
        if (built_workflow / p).read_bytes() != (second / p).read_bytes()
    ]
    assert different == []
