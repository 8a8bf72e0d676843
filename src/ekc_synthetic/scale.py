"""Scale option: a cohort of N families with the structure of the embedded data.

    python -m ekc_synthetic --families 100000 --out /tmp/cohort            # the config's formats
    python -m ekc_synthetic.scale --families 1000000 --formats csv --out /tmp/cohort

The first families are the embedded study itself (same case numbers, same rows). Every
further family is a copy of an embedded family drawn at random (seeded bootstrap) under a
new case number, with all of its records in every source: register, FREK (families,
children), FUFREK, ZAP-Kort (3 moments), CVC, NOSIK, VEO, PUL and SuccInt (2 informants).
So every export keeps its columns, types, value labels and cross-source consistency, and
validates like the embedded data. The interview workbook is written as embedded: it is a
qualitative sub-study of 10 cases whose numbering (SCH-nn, INT-nnn, AM-nn) cannot grow.

Formats: `native` writes each source in the format the config names (.csv, .xlsx, .sav).
`csv` writes every source as a semicolon CSV holding exactly the text cells the pipeline's
readers take from the native file, for cohorts where Excel is too slow or too small (a
sheet holds at most 1,048,576 rows); `csv_sources` gives the matching config `sources`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ekc_synthetic.writers import write_dutch_csv, write_excel, write_sav

REGISTER_FILE = "onderzoeksregister.csv"
REGISTER_KEY = "gezinsnummer"
# Written as embedded: its case numbering is fixed by the interview schema.
FIXED_FILES = {"interviews.xlsx"}
KEY_COLUMNS = ("gezinsnummer", "Gezinsnummer", "gezinsnr")
EXCEL_MAX_ROWS = 1_048_576
MAX_CASE_NUMBER = 9_999_999  # EKyy-nnnnnnn, the longest number FAMILY_KEY_PATTERN allows
FORMATS = ("native", "csv")
TEMPLATE, NEW_KEY = "_scale_template", "_scale_key"
_KEY = re.compile(r"^EK(\d{2})-(\d+)$")


def _key_column(frame: pd.DataFrame) -> str:
    return next(c for c in KEY_COLUMNS if c in frame.columns)


def new_families(register: pd.DataFrame, families: int, seed: int) -> pd.DataFrame:
    """The drawn families: template case number -> new case number, in registration order.

    New numbers continue each registration year's numbering after the embedded ones.
    """
    from ekc_synthetic.cli import instrument_rng

    keys = register[REGISTER_KEY].to_numpy(dtype=object)
    if families < len(keys):
        raise ValueError(f"a scaled cohort has at least the {len(keys)} embedded families")
    extra = families - len(keys)
    template = instrument_rng(seed, "scale").integers(0, len(keys), size=extra)
    dates = pd.to_datetime(register["aanmelddatum"], format="%d-%m-%Y").to_numpy()
    template = template[np.lexsort((np.arange(extra), dates[template]))]
    parsed = register[REGISTER_KEY].str.extract(_KEY)
    years = parsed[0].to_numpy(dtype=object)
    last = parsed.assign(n=parsed[1].astype(int)).groupby(0)["n"].max()
    year = pd.Series(years[template])
    number = year.groupby(year).cumcount().to_numpy() + year.map(last).to_numpy() + 1
    if extra and number.max() > MAX_CASE_NUMBER:
        raise ValueError(f"{families} families need case numbers beyond {MAX_CASE_NUMBER}")
    return pd.DataFrame(
        {
            TEMPLATE: keys[template],
            NEW_KEY: [f"EK{y}-{n:03d}" for y, n in zip(year, number, strict=True)],
        }
    )


def extend(frame: pd.DataFrame, drawn: pd.DataFrame) -> pd.DataFrame:
    """The embedded rows, then each drawn family's copy of its template's rows."""
    column = _key_column(frame)
    copies = drawn.merge(frame, left_on=TEMPLATE, right_on=column, how="inner", sort=False)
    copies[column] = copies[NEW_KEY]
    copies = copies[list(frame.columns)].astype(frame.dtypes.to_dict())
    return pd.concat([frame, copies], ignore_index=True)


def _read_native(path: Path) -> dict:
    """A generated export as typed frames plus what is needed to write it back the same."""
    if path.suffix == ".csv":
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        return {"frames": {None: frame}}
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
        return {"frames": {name: _dates_as_dates(frame) for name, frame in sheets.items()}}
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(path))
    return {
        "frames": {None: frame},
        "value_labels": meta.variable_value_labels,
        "variable_labels": meta.column_names_to_labels,
    }


def _dates_as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date cells come back from Excel as datetimes; the generator wrote dates (it shows in the
    workbook's number formats), so turn midnight datetimes back into dates."""

    def as_date(value: object) -> object:
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date()
        return value

    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, dt.datetime)).any():
            frame[column] = frame[column].map(as_date)
    return frame


def _write_native(path: Path, export: dict) -> None:
    frames = export["frames"]
    if path.suffix == ".csv":
        write_dutch_csv(frames[None], path)
    elif path.suffix == ".xlsx":
        too_long = [s for s, f in frames.items() if len(f) + 1 > EXCEL_MAX_ROWS]
        if too_long:
            raise ValueError(
                f"{path.name}: sheet(s) {too_long} exceed Excel's {EXCEL_MAX_ROWS} rows; "
                "use formats='csv'"
            )
        write_excel(frames, path)
    else:
        write_sav(
            frames[None],
            path,
            value_labels=export["value_labels"],
            variable_labels=export["variable_labels"],
        )


def _csv_name(path: Path, sheet: str | None) -> str:
    return f"{path.stem}_{sheet}.csv" if sheet else f"{path.stem}.csv"


def _read_text(path: Path) -> dict[str | None, pd.DataFrame]:
    """The text cells the pipeline's readers take from a native export, per sheet."""
    from ekc.core.readers import SOURCE_ROW, read_export

    if path.suffix != ".xlsx":
        return {None: read_export(path).frame.drop(columns=SOURCE_ROW)}
    from openpyxl import load_workbook

    sheets = load_workbook(path, read_only=True).sheetnames
    frames = {s: read_export(path, sheet=s).frame.drop(columns=SOURCE_ROW) for s in sheets}
    # A one-sheet workbook is named without its sheet, as the config names it.
    return frames if len(frames) > 1 else {None: frames[sheets[0]]}


def _write_text_csv(frame: pd.DataFrame, path: Path) -> None:
    """Semicolon CSV, UTF-8 with BOM, decimal point; empty cells stay empty."""
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=";", index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def csv_sources(sources: dict) -> dict:
    """Config `sources` for a cohort written with formats='csv': each source's file as written,
    every other option (batch, decimal_comma, columns) kept; a CSV file has no sheets."""
    out = {}
    for name, source in sources.items():
        path = Path(source["file"])
        out[name] = {key: value for key, value in source.items() if key != "sheet"}
        if path.suffix.lower() != ".csv":
            out[name]["file"] = str(path.with_name(_csv_name(path, source.get("sheet"))))
    return out


def write_cohort(
    out: Path,
    families: int,
    *,
    seed: int | None = None,
    formats: str = "native",
    base: Path | None = None,
) -> list[Path]:
    """Write a cohort of `families` families into `out`; returns the files written.

    `base` holds the embedded exports to grow from (default: a fresh generation with `seed`).
    """
    from ekc_synthetic.cli import DEFAULT_SEED, generate

    if formats not in FORMATS:
        raise ValueError(f"formats must be one of {FORMATS}, not {formats!r}")
    seed = DEFAULT_SEED if seed is None else seed
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if base is None:
            base = Path(tmp)
            generate(base, seed)
        files = sorted(p for p in base.iterdir() if p.suffix in {".csv", ".xlsx", ".sav"})
        register = pd.read_csv(
            base / REGISTER_FILE, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        drawn = new_families(register, families, seed)
        written = []
        for path in files:
            grow = path.name not in FIXED_FILES
            if formats == "native" or path.suffix == ".csv":
                export = _read_native(path)
                if grow:
                    export["frames"] = {s: extend(f, drawn) for s, f in export["frames"].items()}
                _write_native(out / path.name, export)
                written.append(out / path.name)
                continue
            for sheet, frame in _read_text(path).items():
                target = out / _csv_name(path, sheet)
                _write_text_csv(extend(frame, drawn) if grow else frame, target)
                written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    from ekc_synthetic.cli import DEFAULT_SEED

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, required=True)
    parser.add_argument("--formats", choices=FORMATS, default="native")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in write_cohort(args.out, args.families, seed=args.seed, formats=args.formats):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
