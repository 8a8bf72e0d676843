"""End to end: the workflow builds three PDFs from the embedded data, in a temporary copy."""

from __future__ import annotations

import collections
import functools
import json
import re

import pytest
import yaml
from pypdf import PdfReader

from ekc.core.report import numbers
from ekc.core.stats.records import results_files
from ekc_synthetic.writers import write_excel

from .conftest import KEYED, ROOT, copy_build, copy_workflow, run_snakemake
from .pdf_fonts import embedded_families, shipped_families

LANGS = ["nl", "en", "de"]
pytestmark = pytest.mark.workflow


@functools.cache
def _pages(path: str) -> tuple[list[str], int]:
    """Each page's text (extracted once: seconds a report) and the number of pages before
    the provenance appendix (the PDF's last bookmark)."""
    reader = PdfReader(path)
    last = [o for o in reader.outline if not isinstance(o, list)][-1]
    return [page.extract_text() for page in reader.pages], reader.get_destination_page_number(last)


def pdf_text(path) -> str:
    return "\n".join(_pages(str(path))[0])


def body_text(path) -> str:
    """Text of the pages before the provenance appendix."""
    pages, end = _pages(str(path))
    return "\n".join(pages[:end])


def number_tokens(text: str, lang: str) -> collections.Counter:
    """Every number in the text, in one canonical form (point decimal, ASCII minus).

    Table numbers ('Tabel 3.1') are labels, not locale numbers; the provenance appendix
    (checksums, versions) is the same text in every language and is compared separately.
    Test reports ('t(106) = -2.12, p = .036') are in APA notation in every language.
    """
    text = re.sub(r"\b(Table|Tabel|Tabelle)\s\d+\.\d+(?:\u2013\s*\d+\.\d+)?", " ", text, flags=re.I)
    # so are the sections of the original report ('§ 10.3')
    text = re.sub(r"§\s*\d+(?:\.\d+)*", " ", text)
    text = re.sub(r"\b\d+\.\d+\.\d+\b", " ", text)  # version numbers
    # page numbers (footers, contents): the languages may run to different lengths
    text = re.sub(r"\b\d+ / \d+\b|\.{4,} ?\d+", " ", text)
    text = text.replace("\u2212", "-").replace("\u00a0", " ")
    # the original's conclusions checked: record ids (also where a line breaks them) are
    # labels, the same in every language
    text = re.sub(r"\S*[:_]\S*", " ", text)
    # an italic symbol may come out of the PDF with a space after it ('p  < .001')
    tests = r"(?:χ²|\b[tFzUVW])(?:\([\d., ]*\))?\s*=\s*-?\d*\.?\d+|\bp\s*[=<]\s*\.\d+"
    canon = [t for report in re.findall(tests, text) for t in re.findall(r"-?\d*\.?\d+", report)]
    text = re.sub(tests, " ", text)
    if lang in {"nl", "de"}:
        pattern = r"-?\d+(?:\.\d{3})*(?:,\d+)?|-?,\d+"
        canon += [t.replace(".", "").replace(",", ".") for t in re.findall(pattern, text)]
    else:
        pattern = r"-?\d+(?:,\d{3})*(?:\.\d+)?|-?\.\d+"
        canon += [t.replace(",", "") for t in re.findall(pattern, text)]
    return collections.Counter(canon)


def test_three_pdfs_exist(built_workflow):
    for lang in LANGS:
        pdf = built_workflow / "results" / "report" / f"summary_{lang}.pdf"
        assert pdf.stat().st_size > 10_000


def test_every_character_is_set_in_the_shipped_fonts(built_workflow):
    """A character missing from the shipped fonts (resources/fonts) would be drawn in a font
    of the machine: the PDF would then differ between machines."""
    shipped = shipped_families()
    assert {"Noto-Serif", "Noto-Sans", "Noto-Sans-Math"} <= shipped
    for lang in LANGS:
        used = embedded_families(built_workflow / f"results/report/summary_{lang}.pdf")
        assert used, lang
        assert used <= shipped, (lang, sorted(used - shipped))


def test_same_numbers_in_all_three_languages(built_workflow):
    """The same numbers, compared as sets: how often a number shows depends on the layout
    (a table that breaks over a page repeats its header with its n's; page numbers), and the
    languages' texts differ in length, so they break differently."""
    tokens = {
        lang: number_tokens(body_text(built_workflow / f"results/report/summary_{lang}.pdf"), lang)
        for lang in LANGS
    }
    assert sum(tokens["en"].values()) > 100
    assert set(tokens["nl"]) == set(tokens["en"]) == set(tokens["de"])


def test_provenance_appendix_is_identical_in_all_languages(built_workflow):
    appendices = set()
    for lang in LANGS:
        text = pdf_text(built_workflow / f"results/report/summary_{lang}.pdf")
        appendices.add(tuple(re.findall(r"\b[0-9a-f]{64}\b", text)))
    assert len(appendices) == 1 and len(next(iter(appendices))) >= 2


def test_pdf_numbers_equal_the_results_file(built_workflow):
    records = {
        r["id"]: r
        for r in json.loads((built_workflow / "results/stats/target_group.json").read_text())
    }
    test = records["yp:text3:n_problems:-:conference_vs_no_conference:start"]
    mean = records["yp:3.3:n_problems:-:conference:start"]["mean"]
    for lang in LANGS:
        # no-break spaces as spaces; an italic symbol may come out with a space after it
        text = pdf_text(built_workflow / f"results/report/summary_{lang}.pdf")
        text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
        assert numbers.number(mean, lang) in text
        assert numbers.statistic(test["statistic"], lang) in text  # APA notation: −2.12
        assert numbers.p_value(test["p"], lang) in text
    en = pdf_text(built_workflow / "results/report/summary_en.pdf")
    nl = pdf_text(built_workflow / "results/report/summary_nl.pdf")
    assert numbers.number(mean, "en") in en and "," not in numbers.number(mean, "en")
    assert numbers.number(mean, "nl") in nl and "," in numbers.number(mean, "nl")


def test_second_run_has_nothing_to_do(built_workflow, tmp_path):
    result = run_snakemake(copy_build(built_workflow, tmp_path / "w"), "-n")
    assert "Nothing to be done" in result.stdout + result.stderr


def test_malformed_frek_stops_the_run_and_leaves_no_partial_results(tmp_path):
    import pandas as pd

    workdir = copy_workflow(tmp_path / "bad")
    frek = workdir / "resources/raw/frek.xlsx"
    families = pd.read_excel(frek, sheet_name="gezinnen", dtype=object)
    children = pd.read_excel(frek, sheet_name="kinderen", dtype=object)
    families["Aantal kinderen"] = families["Aantal kinderen"].astype(object)
    families.loc[2, "Aantal kinderen"] = "drie"
    families.loc[5, "Gezinsnummer"] = families.loc[1, "Gezinsnummer"]
    children.loc[0, "Geslacht"] = "onbekend geslacht"
    write_excel({"gezinnen": families, "kinderen": children}, frek)

    result = run_snakemake(workdir, check=False, env=KEYED)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "frek.xlsx" in output
    assert "frek.xlsx, row 4, column 'Aantal kinderen': '<removed>' is not a valid int" in output
    assert "drie" not in output  # no code of the layout: never quoted
    assert "parse_int" in output or "not a valid int" in output
    assert "row 7, column 'Gezinsnummer'" in output
    assert "duplicate key" in output
    assert not (workdir / "private/validated/frek_families.parquet").exists()
    # Nothing that depends on the broken export was built (other exports may have been
    # validated and scored by jobs already running when the run stopped).
    for downstream in (
        "private/clean/families.parquet",
        "private/clean/children.parquet",
        "private/analysis",
        "results/stats/target_group.json",
        "results/stats/participant_flow.json",
        "results/report",
    ):
        assert not (workdir / downstream).exists(), downstream
    # The full failure lists are row-level: in the private area, not beside the logs.
    kept = workdir / "private/qc/failed/frek_families_failures.csv"
    assert "Aantal kinderen" in kept.read_text()
    assert not list((workdir / "logs").rglob("*failures*"))
    # The children's sheet is validated in the same job (batch): its failure is reported in
    # the same run, not only after the families' sheet has been repaired.
    assert "frek.xlsx, row 2, column 'Geslacht': value not among the allowed categories" in output
    assert "Geslacht" in (workdir / "private/qc/failed/frek_children_failures.csv").read_text()


def test_missing_column_is_named(tmp_path):
    import pandas as pd

    workdir = copy_workflow(tmp_path / "bad")
    frek = workdir / "resources/raw/frek.xlsx"
    families = pd.read_excel(frek, sheet_name="gezinnen", dtype=object).drop(columns="Regio")
    children = pd.read_excel(frek, sheet_name="kinderen", dtype=object)
    write_excel({"gezinnen": families, "kinderen": children}, frek)
    result = run_snakemake(
        workdir, "private/validated/frek_families.parquet", check=False, env=KEYED
    )
    assert result.returncode != 0
    assert "column 'Regio' is missing" in result.stdout + result.stderr


def test_snakemake_report_lists_every_category(built_workflow, tmp_path):
    workdir = copy_build(built_workflow, tmp_path / "w")
    run_snakemake(workdir, "--report", "report.html")
    html = (workdir / "report.html").read_text(encoding="utf-8", errors="replace")
    for category in (
        "Validation",
        "Linkage",
        "RQ1 target group",
        "Conference and outcome",
        "Fidelity",
        "Summary report",
    ):
        assert category in html


def test_every_number_in_the_report_comes_from_a_results_file(built_workflow):
    """Each number printed in the body is a value of some results record (formatted with the
    report's rounding), a number inside a translated label (age bands, '3 months'), a page
    number or part of the data's as-of date: templates hold no numbers of their own."""
    from babel.messages.pofile import read_po

    allowed = set()
    for path in results_files(built_workflow / "results/stats"):
        for record in json.loads(path.read_text()):
            for value in record.values():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue
                for places in range(4):
                    allowed.add(f"{numbers.round_half_up(value, places):.{places}f}")
                    allowed.add(f"{numbers.round_half_up(abs(value), places):.{places}f}")
                allowed.add(str(int(round(value))))
    with (ROOT / "resources/locale/en/LC_MESSAGES/messages.po").open("rb") as handle:
        for message in read_po(handle):
            allowed.update(re.findall(r"\d+", message.string or message.id or ""))
    # the original's conclusions checked: their sections (10.3 ...) and record ids are labels
    checked = json.loads((built_workflow / "results/stats/conclusions.json").read_text())
    for row in checked:
        for label in [row["source"], *row["records"]]:
            allowed.update(re.findall(r"\d+(?:\.\d+)?", label))
    # the citation of the original study (config: report.original_study) on the cover
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    allowed.update(re.findall(r"\d+", json.dumps(config["report"]["original_study"])))
    info = json.loads((built_workflow / "results/linkage/dataset_info.json").read_text())
    allowed.update(re.findall(r"\d+", info["as_of"]))
    pdf = built_workflow / "results/report/summary_en.pdf"
    allowed.update(str(n) for n in range(1, len(PdfReader(pdf).pages) + 1))
    allowed.add("0.001")  # the floor of 'p < .001' (ekc.core.report.numbers.p_value)

    def canonical(token: str) -> str:
        token = token.lstrip("-")
        return "0" + token if token.startswith(".") else token

    tokens = number_tokens(body_text(pdf), "en")
    unexplained = {t for t in tokens if canonical(t) not in allowed and t not in allowed}
    assert not unexplained, sorted(unexplained)[:20]


def test_every_job_writes_a_log_of_what_it_read_and_wrote(built_workflow):
    logs = sorted((built_workflow / "logs").rglob("*.log"))
    assert len(logs) >= 20
    for log in logs:
        text = log.read_text(encoding="utf-8")
        assert text.startswith("INFO job "), log
        assert "read " in text or "wrote " in text, log
        assert str(built_workflow) not in text, f"{log} names an absolute path"
