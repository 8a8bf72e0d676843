"""Which fonts a PDF embeds, compared with the fonts the project ships in resources/fonts."""

from __future__ import annotations

import re
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"


def shipped_families() -> set[str]:
    """Family names of the shipped fonts, spelled as WeasyPrint names them in a PDF."""
    return {TTFont(path)["name"].getDebugName(1).replace(" ", "-") for path in FONTS.glob("*.ttf")}


def embedded_families(path: Path) -> set[str]:
    """Families of every font the PDF embeds, in page text and in figures (form XObjects)."""
    names: set[str] = set()

    def collect(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
        for ref in (resources.get("/XObject") or {}).values():
            collect(ref.get_object().get("/Resources"))

    for page in PdfReader(path).pages:
        collect(page.get("/Resources"))
    # "Noto-Sans-Bold-Italic" -> "Noto-Sans": the style is not part of the family.
    return {re.sub(r"(-(Regular|Bold|Italic|Oblique))+$", "", name) for name in names}
