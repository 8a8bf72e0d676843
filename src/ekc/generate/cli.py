"""Command line: regenerate the embedded raw exports.

python -m ekc.generate --out resources/raw
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ekc.generate.families import design_frame
from ekc.generate.frek import frek_frames, register_frame
from ekc.generate.writers import write_dutch_csv, write_excel

DEFAULT_SEED = 20070901


def generate(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every raw export into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    design = design_frame(rng)
    written = []

    register = out / "onderzoeksregister.csv"
    write_dutch_csv(register_frame(design), register)
    written.append(register)

    families, children = frek_frames(design, rng)
    frek = out / "frek.xlsx"
    write_excel({"gezinnen": families, "kinderen": children}, frek)
    written.append(frek)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("resources/raw"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate(args.out, args.seed):
        print(path)
    return 0
