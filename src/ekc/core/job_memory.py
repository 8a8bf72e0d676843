"""Memory a job asks a scheduler for (`mem_mb`), from the size of its inputs.

A job's peak memory grows with the rows it holds; the size of its input files is the only
measure of that Snakemake has before the job starts. The factor per stage is the largest
ratio of peak memory (above a bare process) to input size that `benchmarks/run.py` measured
at 1,000,000 families (benchmarks/README.md). Compressed inputs need far more per MB than
text exports: cleaning reads validated parquet files, validation reads the exports. A job
that still runs out of memory gets twice as much on each retry (`--retries`; the SLURM
profile retries twice).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

MIN_MB = 2000  # what every job asks for at least: the embedded data need far less
PROCESS_MB = 200  # a job's Python with pandas, pandera, scipy and statsmodels imported
MB_PER_INPUT_MB = {"validate": 18, "clean": 220, "link": 33, "analysis": 44}
# Above the largest measured ratio: other data grow unevenly, and some schedulers count the
# job's page cache too.
HEADROOM = 1.25


def job_memory_mb(stage: str, input_mb: float, attempt: int = 1) -> int:
    """MB of memory for a job of `stage` reading `input_mb` MB, on its `attempt`-th try."""
    need = PROCESS_MB + HEADROOM * MB_PER_INPUT_MB[stage] * input_mb
    return math.ceil(max(MIN_MB, need) * 2 ** (attempt - 1))


def size_mb(paths: Iterable[str]) -> float:
    """MB on disk of the files, each counted once: a batch names one workbook once per sheet
    (Snakemake's `input.size_mb` would count it for each)."""
    return sum(os.path.getsize(path) for path in set(map(str, paths))) / 2**20
