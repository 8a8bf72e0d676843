"""Memory a job asks a scheduler for (`mem_mb`), from the size of its inputs.

One rule for every job: a job's peak memory grows with the rows it holds, and the size of
its input files is the only measure of that Snakemake has before the job starts. The factor
per stage is the largest ratio of peak memory (above a bare process) to input size that
`benchmarks/run.py` measured at 1,000,000 families (benchmarks/README.md). Compressed inputs
need far more per MB than text exports: cleaning reads validated parquet files, validation
reads the exports. Reports, the fidelity table and provenance read results files and hash
the rest in chunks, so their memory does not grow with the data (factor 0).

A job that fails is resubmitted (`--retries`) with twice the memory of its previous try,
because a scheduler that kills a job for its memory says so only in its own logs. No request
exceeds the configured maximum per job (Snakemake's `--resources mem_mb=N`, set in
profiles/slurm to the memory of the partition's nodes), so a retry never asks for memory no
node has: it would be refused at submission, or wait for ever.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

MIN_MB = 2000  # what every job asks for at least: the embedded data need far less
PROCESS_MB = 200  # a job's Python with pandas, pandera, scipy and statsmodels imported
MB_PER_INPUT_MB = {
    "validate": 18,
    "clean": 220,
    "link": 33,
    "analysis": 44,
    "report": 0,
}
# Above the largest measured ratio: other data grow unevenly, and some schedulers count the
# job's page cache too.
HEADROOM = 1.25


def job_memory_mb(stage: str, input_mb: float, attempt: int = 1, max_mb: int | None = None) -> int:
    """MB of memory for a job of `stage` reading `input_mb` MB, on its `attempt`-th try,
    never more than `max_mb` (when given)."""
    need = max(MIN_MB, PROCESS_MB + HEADROOM * MB_PER_INPUT_MB[stage] * input_mb)
    request = math.ceil(need * 2 ** (attempt - 1))
    return request if max_mb is None else min(int(max_mb), request)


def size_mb(paths: Iterable[str]) -> float:
    """MB on disk of the files, each counted once: a batch names one workbook once per sheet
    (Snakemake's `input.size_mb` would count it for each)."""
    return sum(os.path.getsize(path) for path in set(map(str, paths))) / 2**20
