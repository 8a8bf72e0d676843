"""Memory requests for schedulers grow with a job's inputs and with each retry."""

import pytest

from ekc.core.job_memory import HEADROOM, MB_PER_INPUT_MB, MIN_MB, job_memory_mb, size_mb


@pytest.mark.parametrize("stage", sorted(MB_PER_INPUT_MB))
def test_small_inputs_ask_for_the_minimum_and_retries_double_it(stage):
    assert job_memory_mb(stage, 1.0) == MIN_MB
    assert job_memory_mb(stage, 1.0, attempt=2) == 2 * MIN_MB
    assert job_memory_mb(stage, 1.0, attempt=3) == 4 * MIN_MB


GROWING = sorted(stage for stage, factor in MB_PER_INPUT_MB.items() if factor)


@pytest.mark.parametrize("stage", GROWING)
def test_large_inputs_ask_for_more_in_proportion(stage):
    small, large = job_memory_mb(stage, 1_000), job_memory_mb(stage, 2_000)
    assert MIN_MB < small < large
    assert large - small == pytest.approx(HEADROOM * MB_PER_INPUT_MB[stage] * 1_000, abs=1)


@pytest.mark.parametrize(
    ("stage", "input_mb", "peak_mb"),
    # benchmarks/results.json of 2026-12-04, 1,000,000 families: the job with the largest
    # ratio of peak memory to input size in each stage (input sizes measured in its copy)
    [
        ("validate", 70.9, 1_436),
        ("clean", 8.2, 1_955),
        ("link", 165.2, 5_522),
        ("analysis", 80.0, 3_652),
    ],
)
def test_the_first_try_covers_what_the_benchmark_measured(stage, input_mb, peak_mb):
    assert job_memory_mb(stage, input_mb) >= 1.2 * peak_mb


@pytest.mark.parametrize("stage", sorted(MB_PER_INPUT_MB))
def test_retries_grow_only_up_to_the_configured_maximum(stage):
    """A retry never asks for more than the node has (it would be refused at submission)."""
    tries = [job_memory_mb(stage, 1.0, attempt=n, max_mb=5_000) for n in (1, 2, 3, 4)]
    assert tries == [MIN_MB, 2 * MIN_MB, 5_000, 5_000]
    assert job_memory_mb(stage, 1.0, max_mb=1_500) == 1_500


def test_reports_fidelity_and_provenance_ask_for_the_same_whatever_their_inputs():
    """No per-rule exception: report jobs go through the same rule, with no growth term."""
    assert job_memory_mb("report", 0.1) == job_memory_mb("report", 5_000) == MIN_MB
    assert job_memory_mb("report", 5_000, attempt=2, max_mb=3_000) == 3_000


def test_unknown_stage_is_an_error():
    with pytest.raises(KeyError):
        job_memory_mb("reporting", 10.0)


def test_a_file_named_twice_is_counted_once(tmp_path):
    workbook, export = tmp_path / "frek.xlsx", tmp_path / "register.csv"
    workbook.write_bytes(b"x" * 2**20)
    export.write_bytes(b"y" * 2**19)
    assert size_mb([workbook, workbook, export]) == 1.5
    assert size_mb([]) == 0


# What every job asks for, first try and two retries, under the SLURM profile's cap
# (profiles/slurm: resources mem_mb 16000): the table of README "Memory requests". Input
# sizes: the largest job of each stage on the embedded data (113 families) and on a
# generated cohort of 100,000 families (2026-12-06); at 1,000,000 families the jobs
# benchmarks/results.json measured (the largest peak per input MB of each stage).
MEMORY_TABLE = [
    (113, "validate", 0.18, [2000, 4000, 8000]),
    (113, "clean", 0.21, [2000, 4000, 8000]),
    (113, "link", 0.12, [2000, 4000, 8000]),
    (113, "analysis", 0.27, [2000, 4000, 8000]),
    (100_000, "validate", 59.24, [2000, 4000, 8000]),
    (100_000, "clean", 4.83, [2000, 4000, 8000]),
    (100_000, "link", 14.03, [2000, 4000, 8000]),
    (100_000, "analysis", 10.71, [2000, 4000, 8000]),
    (1_000_000, "validate", 70.9, [2000, 4000, 8000]),
    (1_000_000, "clean", 8.2, [2455, 4910, 9820]),
    (1_000_000, "link", 165.2, [7015, 14029, 16000]),
    (1_000_000, "analysis", 80.0, [4600, 9200, 16000]),
    (1_000_000, "report", 750.0, [2000, 4000, 8000]),
]


@pytest.mark.parametrize(("families", "stage", "input_mb", "tries"), MEMORY_TABLE)
def test_what_each_size_asks_for(families, stage, input_mb, tries):
    assert [job_memory_mb(stage, input_mb, n, max_mb=16_000) for n in (1, 2, 3)] == tries


def test_without_a_cap_retries_double_without_end():
    assert job_memory_mb("link", 165.2, attempt=3) == 28_058
