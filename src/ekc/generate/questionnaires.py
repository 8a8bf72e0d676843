"""Generator module for the questionnaires exports (to be written)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def write(design: pd.DataFrame, rng: np.random.Generator, out: Path) -> list[Path]:
    return []


def check(raw_dir: Path) -> list[dict]:
    return []
