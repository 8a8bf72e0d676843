"""Command line: regenerate the embedded raw exports.

    python -m ekc_synthetic --out resources/raw
    python -m ekc_synthetic --families 100000 --out /tmp/cohort   # a larger cohort (scale.py)
    python -m ekc_synthetic --study pd --out resources/studies/pd/raw  # preventive-domain study

Each instrument module exposes `write(design, rng, out) -> list[Path]` and
`check(raw_dir) -> list[dict]`. `check` recomputes published figures straight from the
written files, independently of the pipeline's readers and scoring
({"id": <published id>, "value": ..., "method": ...}); tests/test_generator.py holds every
such figure against its published value. Nothing the workflow runs imports this package.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
from pathlib import Path

import numpy as np

from ekc_synthetic.families import design_frame

DEFAULT_SEED = 20070901
DEFAULT_OUT = {"yp": Path("resources/raw"), "pd": Path("resources/studies/pd/raw")}
INSTRUMENTS = ["frek", "zap", "questionnaires", "succint", "interviews"]


def _module(name: str):
    return importlib.import_module(f"ekc_synthetic.{name}")


def instrument_rng(seed: int, name: str) -> np.random.Generator:
    """One independent stream per instrument, so changing one leaves the others' data alone."""
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def generate(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every raw export into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    design = design_frame(instrument_rng(seed, "design"))
    written: list[Path] = []
    for name in INSTRUMENTS:
        written += _module(name).write(design.copy(), instrument_rng(seed, name), out)
    return written


def check(raw_dir: Path) -> list[dict]:
    """The generator's own recomputation of published figures from the written files."""
    records: list[dict] = []
    for name in INSTRUMENTS:
        records += _module(name).check(raw_dir)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--study",
        choices=sorted(DEFAULT_OUT, reverse=True),
        default="yp",
        help="yp: youth-protection study (default); pd: preventive-domain study "
        "(ekc_synthetic.preventive)",
    )
    parser.add_argument(
        "--out", type=Path, help="output folder (yp: resources/raw; pd: resources/studies/pd/raw)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--families",
        type=int,
        help="write a cohort of this many families instead (ekc_synthetic.scale; >= 113)",
    )
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else DEFAULT_OUT[args.study]
    if args.study == "pd":
        if args.families is not None:
            parser.error("--families applies to the youth-protection study (--study yp) only")
        from ekc_synthetic.preventive import write as write_preventive

        written = write_preventive(out, args.seed)
    elif args.families is not None:
        from ekc_synthetic.scale import write_cohort

        written = write_cohort(out, args.families, seed=args.seed)
    else:
        written = generate(out, args.seed)
    for path in written:
        print(path)
    return 0
