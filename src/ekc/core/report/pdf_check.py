"""Checks a reviewer can run on a built report PDF: is it tagged for screen readers, and
does every page lay its text out cleanly?

    python -m ekc.core.report.pdf_check results/report/summary_de.pdf --lang de --png out/

`structure_problems` reads the PDF's structure with pypdf: what PDF/A-3a level A and the
machine-checkable part of PDF/UA-1 ask (marked content, structure tree, document language,
title shown, alt text on every figure, headings, an outline). `layout_problems` renders every
page to PNG with poppler's pdftoppm and reads each word's box with pdftotext -bbox: no two
words overlap, no word leaves the page's margins, no ink in the page's outer strip.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

POINTS_PER_MM = 72 / 25.4
# No text within this distance of the paper's edge (the running header and page number
# sit in the page margin, 24 and 22 mm from the edges).
EDGE_MM = 8.0
# Two words collide when their boxes share more than this width (points) and more than
# this share of the lower word's height: pdftotext's boxes span the font's whole ascent and
# descent, so lines of a tightly set heading overlap a little without touching.
OVERLAP_PT = 1.0
OVERLAP_HEIGHT = 0.4
FILE_LIKE = re.compile(r"\.(svg|png|jpe?g|pdf)\b|^data:|^[\w-]+$", re.IGNORECASE)


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _true(value) -> bool:
    return value is not None and bool(value) and str(value).lower() == "true"


def _structure_elements(root) -> list[DictionaryObject]:
    """Every structure element below the StructTreeRoot, in document order (depth first,
    cycles ignored)."""
    found, seen, stack = [], set(), [root]
    while stack:
        node = _resolve(stack.pop())
        if isinstance(node, ArrayObject):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            stack.append(node["/K"])
    return found


def structure_problems(path: str | Path, lang: str) -> list[str]:
    """What keeps the PDF from being read by a screen reader, as sentences; [] if none."""
    reader = PdfReader(str(path))
    catalog = reader.trailer["/Root"]
    problems = []
    mark_info = _resolve(catalog.get("/MarkInfo")) or {}
    if not _true(mark_info.get("/Marked")):
        problems.append("MarkInfo /Marked is not true: the content is not marked")
    if str(catalog.get("/Lang", "")) != lang:
        problems.append(f"document language {catalog.get('/Lang')!r}, expected {lang!r}")
    viewer = _resolve(catalog.get("/ViewerPreferences")) or {}
    if not _true(viewer.get("/DisplayDocTitle")):
        problems.append("ViewerPreferences /DisplayDocTitle is not true")
    if not (reader.metadata and (reader.metadata.title or "").strip()):
        problems.append("no document title")
    xmp = reader.xmp_metadata
    xmp_text = xmp.stream.get_data().decode("utf-8", "replace") if xmp else ""
    if 'pdfaid:part="3"' not in xmp_text or 'pdfaid:conformance="A"' not in xmp_text:
        problems.append("XMP metadata does not declare PDF/A-3a")
    if "/StructTreeRoot" not in catalog:
        return [*problems, "no StructTreeRoot: the PDF is not tagged"]
    elements = _structure_elements(_resolve(catalog["/StructTreeRoot"]).get("/K"))
    kinds = [str(e["/S"]) for e in elements]
    if not any(kind in ("/H1", "/H2", "/H3") for kind in kinds):
        problems.append("no heading in the structure tree")
    figures = [e for e in elements if e["/S"] == "/Figure"]
    for number, figure in enumerate(figures, 1):
        alt = str(figure.get("/Alt", "")).strip()
        if not alt:
            problems.append(f"figure {number} has no alt text")
        elif FILE_LIKE.search(alt) or len(alt.split()) < 5:
            problems.append(f"figure {number}: alt text {alt[:60]!r} does not describe it")
    header_ids = {str(e["/ID"]) for e in elements if e["/S"] == "/TH" and "/ID" in e}
    cells = [e for e in elements if e["/S"] == "/TD"]
    unlinked = [
        cell
        for cell in cells
        if not {str(h) for h in (_resolve(cell.get("/A")) or {}).get("/Headers", [])} & header_ids
    ]
    if header_ids and unlinked:
        problems.append(f"{len(unlinked)} of {len(cells)} table cells name no header cell")
    if not reader.outline:
        problems.append("no outline (bookmarks)")
    for number, page in enumerate(reader.pages, 1):
        if "/StructParents" not in page:
            problems.append(f"page {number} is not linked into the structure tree")
        loose = _unmarked_text(page, reader)
        if loose:
            problems.append(f"page {number}: {loose} text operators outside marked content")
    return problems


def _unmarked_text(page, reader) -> int:
    """Text-showing operators outside every BDC/BMC … EMC sequence: content a screen
    reader can neither read as structure nor skip as an artifact (PDF/UA-1 7.1)."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None:
        return 0
    depth, loose = 0, 0
    for _operands, operator in ContentStream(contents, reader).operations:
        if operator in (b"BDC", b"BMC"):
            depth += 1
        elif operator == b"EMC":
            depth -= 1
        elif operator in (b"Tj", b"TJ", b"'", b'"') and depth <= 0:
            loose += 1
    return loose


def figure_alt_texts(path: str | Path) -> list[str]:
    reader = PdfReader(str(path))
    root = _resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    return [
        str(e.get("/Alt", "")) for e in _structure_elements(root.get("/K")) if e["/S"] == "/Figure"
    ]


def poppler_missing() -> list[str]:
    return [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]


def word_boxes(path: str | Path) -> list[tuple[float, float, list[tuple[str, tuple]]]]:
    """Per page: width, height and each word with its box (x0, y0, x1, y1), in points."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ElementTree.fromstring(xhtml).iterfind(".//x:page", namespace):
        words = [
            (
                word.text or "",
                tuple(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
            )
            for word in page.iterfind("x:word", namespace)
        ]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def _collide(a: tuple, b: tuple) -> bool:
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    lower = min(a[3] - a[1], b[3] - b[1])
    return across > OVERLAP_PT and down > OVERLAP_HEIGHT * lower


def _ink_in_edge(png: Path, edge_px: int) -> bool:
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        for box in (
            (0, 0, width, edge_px),
            (0, height - edge_px, width, height),
            (0, 0, edge_px, height),
            (width - edge_px, 0, width, height),
        ):
            if grey.crop(box).getextrema()[0] < 200:
                return True
    return False


def layout_problems(path: str | Path, png_dir: str | Path | None = None) -> list[str]:
    """Overlapping words, words outside the margins and ink at the paper's edge, per page;
    every page is rendered to `png_dir` (a temporary folder if None) for a reviewer."""
    problems = []
    edge = EDGE_MM * POINTS_PER_MM
    for number, (width, height, words) in enumerate(word_boxes(path), 1):
        for text, (x0, y0, x1, y1) in words:
            if x0 < edge or y0 < edge or x1 > width - edge or y1 > height - edge:
                problems.append(f"p. {number}: {text!r} lies outside the page margins")
        # words sorted by top edge: only near neighbours can overlap
        ordered = sorted(words, key=lambda w: w[1][1])
        for i, (text_a, a) in enumerate(ordered):
            for text_b, b in ordered[i + 1 :]:
                if b[1] >= a[3]:
                    break
                if _collide(a, b):
                    problems.append(f"p. {number}: {text_a!r} overlaps {text_b!r}")
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(png_dir) if png_dir else Path(scratch)
        target.mkdir(parents=True, exist_ok=True)
        prefix = target / Path(path).stem
        dpi = 40
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix)], check=True)
        pngs = sorted(target.glob(f"{Path(path).stem}-*.png"))
        if not pngs:
            problems.append("pdftoppm rendered no page")
        edge_px = max(1, int(EDGE_MM / 25.4 * dpi) - 1)
        for png in pngs:
            if _ink_in_edge(png, edge_px):
                problems.append(f"{png.name}: ink within {EDGE_MM} mm of the paper's edge")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="+")
    parser.add_argument("--lang", help="expected document language (default: from the name)")
    parser.add_argument("--png", help="folder for the rendered pages")
    args = parser.parse_args(argv)
    failed = 0
    for pdf in args.pdf:
        lang = args.lang or Path(pdf).stem.rsplit("_", 1)[-1]
        problems = structure_problems(pdf, lang) + layout_problems(pdf, args.png)
        print(f"{pdf}: {'ok' if not problems else f'{len(problems)} problems'}")
        for problem in problems:
            print(f"  {problem}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
