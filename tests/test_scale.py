"""The generator's scale option: a larger cohort with the structure of the embedded data."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest
import yaml

from ekc.core.readers import SOURCE_ROW, read_export
from ekc.youth_protection.schemas import MODELS
from ekc.youth_protection.schemas import validate as validate_export
from ekc.youth_protection.schemas.fields import FAMILY_KEY_PATTERN
from ekc_synthetic.cli import main
from ekc_synthetic.scale import csv_sources, write_cohort

from .conftest import ROOT

RAW = ROOT / "resources" / "raw"
SOURCES = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["sources"]
EMBEDDED_FAMILIES = 113
FAMILIES = 200


def validated(directory, sources, name):
    source = sources[name]
    options = {"sheet": source["sheet"]} if "sheet" in source else {}
    export = read_export(directory / source["file"].split("/")[-1], **options)
    return export, validate_export(
        export, MODELS[name], source=name, decimal_comma=source.get("decimal_comma", False)
    )


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    out = tmp_path_factory.mktemp("cohort")
    assert main(["--families", str(FAMILIES), "--out", str(out)]) == 0
    return out


def test_same_files_as_the_embedded_data(cohort):
    assert sorted(p.name for p in cohort.iterdir()) == sorted(p.name for p in RAW.iterdir())


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_has_the_embedded_columns_and_validates(cohort, name):
    embedded, _ = validated(RAW, SOURCES, name)
    export, result = validated(cohort, SOURCES, name)
    assert list(export.frame.columns) == list(embedded.frame.columns)
    assert result.failures.empty, result.summary()
    assert len(result.valid) == len(export.frame)
    # The embedded study comes first, unchanged.
    head = export.frame.drop(columns=SOURCE_ROW).head(len(embedded.frame))
    pd.testing.assert_frame_equal(head, embedded.frame.drop(columns=SOURCE_ROW))


def family_signatures(directory) -> dict[str, tuple]:
    """Per family: all of its records in every family-keyed source, without the case number."""
    names = sorted(n for n in SOURCES if not n.startswith("interview"))
    records: dict[str, dict[str, list]] = {}
    for name in names:
        export, _ = validated(directory, SOURCES, name)
        frame = export.frame.drop(columns=SOURCE_ROW)
        key = next(c for c in ("gezinsnummer", "Gezinsnummer", "gezinsnr") if c in frame)
        rows = frame.drop(columns=key).astype(str).itertuples(index=False, name=None)
        grouped = records.setdefault(name, {})
        for family, row in zip(frame[key], rows, strict=True):
            grouped.setdefault(family, []).append(row)
    return {
        family: tuple(tuple(sorted(records[n].get(family, []))) for n in names)
        for family in records["register"]
    }


def test_new_families_copy_an_embedded_family_in_every_source(cohort):
    signatures = family_signatures(cohort)
    keys = list(signatures)
    assert len(keys) == FAMILIES and len(set(keys)) == FAMILIES
    assert pd.Series(keys).str.match(FAMILY_KEY_PATTERN).all()
    embedded = family_signatures(RAW)
    assert all(signatures[k] == embedded[k] for k in embedded)
    new = [k for k in keys if k not in embedded]
    assert len(new) == FAMILIES - EMBEDDED_FAMILIES
    # Each new family is one embedded family under a new number, in every source at once.
    assert {signatures[k] for k in new} <= set(embedded.values())


def test_the_embedded_size_reproduces_the_embedded_files_byte_for_byte(tmp_path):
    for path in write_cohort(tmp_path, EMBEDDED_FAMILIES, base=RAW):
        assert filecmp.cmp(path, RAW / path.name, shallow=False), path.name


def test_csv_variant_validates_to_the_same_data(tmp_path, cohort):
    write_cohort(tmp_path, FAMILIES, formats="csv", base=RAW)
    sources = csv_sources(SOURCES)
    for name in sorted(SOURCES):
        # Only the file changes (and a CSV file has no sheet): batches and options stay.
        assert sources[name] == {
            **{k: v for k, v in SOURCES[name].items() if k != "sheet"},
            "file": sources[name]["file"],
        }
        assert sources[name]["file"].endswith(".csv")
        _, native = validated(cohort, SOURCES, name)
        _, text = validated(tmp_path, sources, name)
        assert text.failures.empty, text.summary()
        pd.testing.assert_frame_equal(
            text.valid.drop(columns=SOURCE_ROW), native.valid.drop(columns=SOURCE_ROW)
        )


def test_fewer_families_than_the_study_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least"):
        write_cohort(tmp_path, 50, base=RAW)
