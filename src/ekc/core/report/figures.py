"""Vector figures (matplotlib SVG), byte-identical across runs.

matplotlib stamps a date and random clip-path ids into SVGs; a fixed hash salt and no
date metadata make the output reproducible.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

ACCENT = "#1f4e79"
MUTED = "#5b6770"
LIGHT = "#eef3f7"


# The report's own sans-serif: matplotlib measures the labels with it, and the SVG keeps them
# as text that WeasyPrint sets in the same font (glyphs drawn as paths cost seconds per PDF).
FONT_DIR = Path(__file__).resolve().parents[4] / "resources" / "fonts"
# Noto Sans has no minus sign (U+2212, on negative axis ticks): Noto Sans Math sets it.
FIGURE_FONTS = ["Noto Sans", "Noto Sans Math"]


def _style() -> None:
    from matplotlib import font_manager

    for path in sorted(FONT_DIR.glob("NotoSans*.ttf")):  # the FIGURE_FONTS, every style
        font_manager.fontManager.addfont(str(path))
    plt.rcParams.update(
        {
            "svg.hashsalt": "ekc-pipeline",
            "svg.fonttype": "none",
            "font.family": FIGURE_FONTS,
            "font.size": 9,
        }
    )


def svg_data_uri(path: str | Path) -> str:
    """Embed an SVG in the HTML itself, so the rendered page depends on no file path."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


def save_svg(fig, path: str | Path) -> None:
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)


def flow_diagram(
    flow: dict[str, int],
    label: Callable[[str, int], str],
    path: str | Path,
    available: str = "available data",
) -> None:
    """Participant flow: registered -> conference / no conference -> sources and follow-up.

    `flow` maps step names (a participant flow) to counts; `label(step, count)` gives the
    box text in the report's language.
    """
    _style()
    fig, ax = plt.subplots(figsize=(7.4, 4.6))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.axis("off")

    def box(x, y, step, w=30, h=9, strong=False):
        patch = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.4,rounding_size=1.2",
            linewidth=1.0,
            edgecolor=ACCENT,
            facecolor=ACCENT if strong else LIGHT,
        )
        ax.add_patch(patch)
        ax.text(
            x,
            y,
            label(step, flow.get(step, 0)),
            ha="center",
            va="center",
            fontsize=8,
            color="white" if strong else "#1b1b1b",
            wrap=True,
        )

    def arrow(x1, y1, x2, y2):
        ax.annotate(
            "",
            xy=(x2, y2),
            xytext=(x1, y1),
            arrowprops={"arrowstyle": "-|>", "color": MUTED, "lw": 0.9},
        )

    box(50, 92, "registered", w=30, strong=True)
    for x, step in (
        (14, "conference"),
        (38, "no_conference"),
        (62, "retrospective"),
        (86, "prospective"),
    ):
        box(x, 70, step, w=21)
        arrow(50, 87.5, x, 75)
    for y, step in ((50, "active"), (34, "withdrawn_or_refused"), (18, "restgroep")):
        box(86, y, step, w=21)
        arrow(86, 65.5, 86, y + 4.5) if step == "active" else None
    ax.plot([86, 86], [45.5, 38.5], color=MUTED, lw=0.9)
    ax.text(38, 40, available, ha="center", va="center", fontsize=8.5, color=MUTED, style="italic")
    for x, y, step in (
        (14, 28, "with_registration_form"),
        (38, 28, "case_file_analysed"),
        (62, 28, "with_follow_up_form"),
    ):
        box(x, y, step, w=21)
    save_svg(fig, path)
