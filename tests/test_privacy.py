"""No name, birth date, address or raw case number reaches what others see: results, logs,
the crate. One build serves every test here, on exports as a data manager's may arrive
(`field_build`): their own key, quarantine mode, folders of their own, and identifiers
where they do not belong: in a column the layout marks as identifying, in columns no
layout lists, and typed into the wrong columns of listed ones (issue 23)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from .conftest import KEYED, copy_workflow, run_snakemake
from .faults import csv_lines, sheet, write_lines, write_sheet

pytestmark = pytest.mark.workflow

# The folders the field build writes to instead of results/, logs/ and private/.
FOLDERS = {"output_dir": "out", "log_dir": "out_logs", "private_dir": "out_private"}
SHARED = (FOLDERS["output_dir"], FOLDERS["log_dir"])  # what others see
PRIVATE = FOLDERS["private_dir"]

# In the children's names column (a direct identifier the layout lists, never read) and in
# their birth dates (read, never passed on).
CHILD_NAME = "Jansen-Pietersma"
CHILD_BIRTH_DATE = pd.Timestamp("1993-07-14")
PLANTED = {
    "name": "Wilhelmina Pietersma-de Vries",
    "birth_date": "14-07-1981",
    "street": "Lindengracht 221-3",
    "postcode": "1015 KJ",
    "email": "w.pietersma@example.nl",
}
NEEDLES = [
    *PLANTED.values(),
    "Pietersma",
    "1981-07-14",
    "14071981",
    "Lindengracht",
    "example.nl",
    CHILD_NAME,
    "1993-07-14",
    "14-07-1993",
    "14.07.1993",
]


def _scan(data: bytes, where: str, needles: list[str]) -> None:
    for needle in needles:
        assert needle.encode() not in data, f"{needle!r} found in {where}"


def plant(rawdir: Path) -> dict[str, int]:
    """Write the exports with identifiers planted; returns the rows read per changed export."""
    # Unlisted columns: the whole follow-up export is set aside, the columns never copied.
    fufrek = sheet("fufrek")
    fufrek.insert(1, "Naam moeder", PLANTED["name"])
    fufrek.insert(2, "Geb. datum moeder", PLANTED["birth_date"])
    fufrek["Straat"] = PLANTED["street"]
    fufrek["Postcode"] = PLANTED["postcode"]
    fufrek["E-mail"] = PLANTED["email"]
    write_sheet(rawdir, "fufrek", fufrek)
    # A names column and a real birth date; and in the wrong columns a name, an e-mail
    # address, an address.
    kids = sheet("frek_children")
    kids.insert(2, "Naam", [f"{CHILD_NAME} {i}" for i in range(len(kids))])
    kids.loc[kids.index[kids["Geboortedatum"].notna()][0], "Geboortedatum"] = CHILD_BIRTH_DATE
    kids.loc[3, "Geslacht"] = PLANTED["name"]
    kids.loc[5, "Etniciteit"] = PLANTED["email"]
    kids.loc[7, "Verblijfplaats"] = f"{PLANTED['street']}, {PLANTED['postcode']}"
    write_sheet(rawdir, "frek_children", kids)
    # A birth date and another family's case number where codes belong.
    lines = csv_lines("register")
    header = lines[0].split(";")
    cells = lines[20].split(";")
    cells[header.index("maatregel")] = PLANTED["birth_date"]
    lines[20] = ";".join(cells)
    cells = lines[30].split(";")
    cells[header.index("regio")] = lines[31].split(";")[0]
    lines[30] = ";".join(cells)
    write_lines(rawdir / "onderzoeksregister.csv", lines)
    pul = csv_lines("pul")
    cells = pul[5].split(";")
    cells[2] = PLANTED["name"]  # respondent
    pul[5] = ";".join(cells)
    write_lines(rawdir / "pul.csv", pul)
    return {"fufrek": len(fufrek)}


@pytest.fixture(scope="module")
def field_build(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    workdir = copy_workflow(tmp_path_factory.mktemp("field") / "ekc")
    config = workdir / "config/config.yaml"
    config.write_text(config.read_text().replace("mode: strict", "mode: quarantine"))
    rows = plant(workdir / "resources/raw")
    folders = [f"{key}={value}" for key, value in FOLDERS.items()]
    run_snakemake(workdir, "--config", *folders, env=KEYED)  # a key of its own
    return workdir, rows


def test_nothing_identifying_reaches_results_logs_or_the_crate(field_build):
    workdir, _ = field_build
    case_numbers = [line.split(";")[0] for line in csv_lines("register")[1:]]
    needles = NEEDLES + case_numbers
    scanned = 0
    for folder in SHARED:
        for path in (workdir / folder).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if path.suffix == ".parquet":  # compressed: scan the decoded cells as well
                    data += pd.read_parquet(path).astype(str).to_csv().encode()
                _scan(data, str(path), needles)
                scanned += 1
    crate = workdir / SHARED[0] / "provenance/ro-crate.zip"
    with zipfile.ZipFile(crate) as archive:
        entries = archive.namelist()
        for name in entries:
            _scan(archive.read(name), f"{crate}:{name}", needles)
    assert scanned > 50 and len(entries) > 20
    assert any(name.endswith("qc/fufrek_summary.md") for name in entries)


def test_failing_rows_are_set_aside_and_named_without_their_values(field_build):
    workdir, rows = field_build
    out = workdir / SHARED[0]
    accounts = pd.read_csv(out / "qc/row_accounting.csv").set_index("source")
    assert accounts.loc["fufrek", "quarantined"] == rows["fufrek"]
    assert accounts.loc["frek_children", "quarantined"] == 3
    assert accounts.loc["register", "quarantined"] == 2
    summary = (out / "qc/frek_children_summary.md").read_text()
    assert "frek.xlsx, row 5, column 'Geslacht': value not among the allowed categories" in summary
    assert "Columns with direct identifiers, not read: Naam" in summary
    # The private area keeps the rows, but no column outside the layout and no planted value.
    quarantine = workdir / PRIVATE / "quarantine"
    assert "Naam moeder" not in (quarantine / "fufrek.csv").read_text()
    for path in quarantine.glob("*.csv"):
        _scan(path.read_bytes(), str(path), [*PLANTED.values(), CHILD_NAME])


def test_the_study_builds_into_the_folders_its_config_names_only(field_build):
    """output_dir, log_dir and private_dir hold for every rule of the youth-protection
    study: nothing is written to the default folders, everything to the configured ones."""
    workdir, _ = field_build
    for default in ("results", "logs", "private"):
        assert not (workdir / default).exists(), default
    out, logs = (workdir / folder for folder in SHARED)
    for lang in ("nl", "en", "de"):
        assert (out / "report" / f"summary_{lang}.pdf").stat().st_size > 10_000
    assert len(list((out / "stats").glob("*.json"))) > 10
    assert (workdir / PRIVATE / "analysis" / "families.parquet").exists()
    assert (logs / "link.log").read_text().strip()
    assert (workdir / PRIVATE / "quarantine").is_dir()
