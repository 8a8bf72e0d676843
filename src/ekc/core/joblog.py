"""Every job's log: what it read, what it wrote, and the warnings on the way.

Snakemake keeps a job's log beside its outputs; a data manager reads it to see which files a
job used and how many rows went in and out. No timestamps and no absolute paths, so a rerun
writes the same log (the provenance manifest hashes it).
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

LOG = logging.getLogger("ekc")


def start(log_file: str | Path, job: str) -> logging.Logger:
    """Send this job's messages and Python warnings (model fits, pandas) to its log file.
    Libraries log only their warnings (WeasyPrint's progress lines name absolute paths)."""
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=log_file, level=logging.WARNING, format="%(levelname)s %(message)s", force=True
    )
    LOG.setLevel(logging.INFO)
    warnings.showwarning = _log_warning
    LOG.info("job %s", job)
    return LOG


def _log_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # The warning's text and kind, not the file it was raised in (a path differs per copy).
    LOG.warning("%s: %s", category.__name__, message)


def _shape(frame: pd.DataFrame) -> str:
    return f"{len(frame)} rows, {len(frame.columns)} columns"


def read(tables: Mapping[str, pd.DataFrame], paths: Mapping[str, object] | None = None) -> None:
    for name, frame in tables.items():
        where = f" ({paths[name]})" if paths and name in paths else ""
        LOG.info("read %s%s: %s", name, where, _shape(frame))


def wrote(path: str | Path, what: pd.DataFrame | list | str) -> None:
    if isinstance(what, pd.DataFrame):
        LOG.info("wrote %s: %s", path, _shape(what))
    elif isinstance(what, list):
        LOG.info("wrote %s: %d records", path, len(what))
    else:
        LOG.info("wrote %s: %s", path, what)


def read_files(paths: Iterable[str | Path]) -> None:
    """Record each file the job reads with its checksum (`input <path> sha256 <hex>`):
    `python -m ekc.core.provenance verify` checks them against the manifest, so a report
    built from other results files than the manifest lists does not pass as whole."""
    for path in paths:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        LOG.info("input %s sha256 %s", path, digest)


def read_parquet(path: str | Path) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    LOG.info("read %s: %s", path, _shape(frame))
    return frame


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    frame.to_parquet(path, index=False)
    wrote(path, frame)
