"""No name, birth date or raw case number reaches results/ or the logs."""

from __future__ import annotations

import pandas as pd
import pytest

from ekc_synthetic.writers import write_excel

from .conftest import KEYED, copy_build, run_snakemake

PLANTED_NAME = "Jansen-Pietersma"
PLANTED_BIRTH_DATE = pd.Timestamp("1993-07-14")


@pytest.mark.workflow
def test_planted_identifiers_never_reach_any_output(keyed_build, tmp_path):
    # Start from a finished build with the tests' key (conftest.keyed_build): Snakemake reruns
    # every job that depends on the changed export, and no other job can see the planted
    # values.
    workdir = copy_build(keyed_build, tmp_path / "p")
    frek = workdir / "resources/raw/frek.xlsx"
    families = pd.read_excel(frek, sheet_name="gezinnen", dtype=object)
    children = pd.read_excel(frek, sheet_name="kinderen", dtype=object)
    children.insert(2, "Naam", [f"{PLANTED_NAME} {i}" for i in range(len(children))])
    row = children.index[children["Geboortedatum"].notna()][0]
    children.loc[row, "Geboortedatum"] = PLANTED_BIRTH_DATE
    write_excel({"gezinnen": families, "kinderen": children}, frek)
    case_numbers = set(families["Gezinsnummer"])

    run_snakemake(workdir, env=KEYED)  # not the embedded data: a key of its own

    needles = [PLANTED_NAME, "1993-07-14", "14-07-1993", "14.07.1993", *sorted(case_numbers)]
    scanned = 0
    for folder in ("results", "logs"):
        for path in (workdir / folder).rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if path.suffix == ".parquet":  # compressed: scan the decoded cells as well
                data += pd.read_parquet(path).astype(str).to_csv().encode()
            scanned += 1
            for needle in needles:
                assert needle.encode() not in data, f"{needle!r} found in {path}"
    assert scanned > 20
    summary = (workdir / "results/qc/frek_children_summary.md").read_text()
    assert "Columns with direct identifiers, not read: Naam" in summary


# Planted in a quarantine-mode build: in columns no layout lists, and typed into the wrong
# columns of listed ones (issue 23).
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
]


def _scan(data: bytes, where: str, needles: list[str]) -> None:
    for needle in needles:
        assert needle.encode() not in data, f"{needle!r} found in {where}"


@pytest.mark.workflow
def test_leak_scan_of_a_quarantine_build_with_planted_identifiers(tmp_path):
    import zipfile

    from .conftest import copy_workflow
    from .faults import csv_lines, sheet, write_lines, write_sheet

    workdir = copy_workflow(tmp_path / "leak")
    config = workdir / "config/config.yaml"
    config.write_text(config.read_text().replace("mode: strict", "mode: quarantine"))
    rawdir = workdir / "resources/raw"
    # Unlisted columns: the whole follow-up export is set aside, the columns never copied.
    fufrek = sheet("fufrek")
    fufrek.insert(1, "Naam moeder", PLANTED["name"])
    fufrek.insert(2, "Geb. datum moeder", PLANTED["birth_date"])
    fufrek["Straat"] = PLANTED["street"]
    fufrek["Postcode"] = PLANTED["postcode"]
    fufrek["E-mail"] = PLANTED["email"]
    write_sheet(rawdir, "fufrek", fufrek)
    # Wrong columns: a name, a birth date, an address, an e-mail address and another
    # family's case number where codes belong.
    kids = sheet("frek_children")
    kids.loc[3, "Geslacht"] = PLANTED["name"]
    kids.loc[5, "Etniciteit"] = PLANTED["email"]
    kids.loc[7, "Verblijfplaats"] = f"{PLANTED['street']}, {PLANTED['postcode']}"
    write_sheet(rawdir, "frek_children", kids)
    lines = csv_lines("register")
    header = lines[0].split(";")
    cells = lines[20].split(";")
    cells[header.index("maatregel")] = PLANTED["birth_date"]
    lines[20] = ";".join(cells)
    cells = lines[30].split(";")
    cells[header.index("regio")] = lines[31].split(";")[0]  # another family's case number
    lines[30] = ";".join(cells)
    write_lines(rawdir / "onderzoeksregister.csv", lines)
    pul = csv_lines("pul")
    cells = pul[5].split(";")
    cells[2] = PLANTED["name"]  # respondent
    pul[5] = ";".join(cells)
    write_lines(rawdir / "pul.csv", pul)

    run_snakemake(workdir, env=KEYED)  # not the embedded data: a key of its own

    case_numbers = [line.split(";")[0] for line in csv_lines("register")[1:]]
    needles = NEEDLES + case_numbers
    crate = workdir / "results/provenance/ro-crate.zip"
    scanned = 0
    for folder in ("results", "logs"):
        for path in (workdir / folder).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if path.suffix == ".parquet":
                    data += pd.read_parquet(path).astype(str).to_csv().encode()
                _scan(data, str(path), needles)
                scanned += 1
    with zipfile.ZipFile(crate) as archive:
        entries = archive.namelist()
        for name in entries:
            _scan(archive.read(name), f"{crate}:{name}", needles)
    assert scanned > 50 and len(entries) > 20
    assert any(name.endswith("qc/fufrek_summary.md") for name in entries)
    # The failing rows are set aside and named, without their values.
    accounts = pd.read_csv(workdir / "results/qc/row_accounting.csv").set_index("source")
    assert accounts.loc["fufrek", "quarantined"] == len(fufrek)
    assert accounts.loc["frek_children", "quarantined"] == 3
    assert accounts.loc["register", "quarantined"] == 2
    summary = (workdir / "results/qc/frek_children_summary.md").read_text()
    assert "frek.xlsx, row 5, column 'Geslacht': value not among the allowed categories" in summary
    # The private area keeps the rows, but no column outside the layout and no planted value.
    quarantine = workdir / "private/quarantine/fufrek.csv"
    assert "Naam moeder" not in quarantine.read_text()
    for path in (workdir / "private/quarantine").glob("*.csv"):
        _scan(path.read_bytes(), str(path), list(PLANTED.values()))
