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
from matplotlib.text import Text  # noqa: E402

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
            # the SVG renderer measures text at 72 dpi: lay figures out at the same scale
            "figure.dpi": 72,
        }
    )


def svg_data_uri(path: str | Path) -> str:
    """Embed an SVG in the HTML itself, so the rendered page depends on no file path."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


def save_svg(fig, path: str | Path) -> None:
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)


def wrap_to_width(text: Text, max_width: float) -> None:
    """Break `text` at spaces so that no line is wider than `max_width` display units;
    a single word wider than that stays whole (the layout test then names it)."""
    lines = []
    for paragraph in text.get_text().split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            text.set_text(candidate)
            if line and text.get_window_extent().width > max_width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    text.set_text("\n".join(lines))


def fit_in_width(text: Text, max_width: float, smallest: float = 6.5) -> None:
    """Wrap `text` to `max_width`; where one word is still wider, set it smaller (down to
    `smallest` pt) rather than let it run out of its box."""
    original = text.get_text()
    while True:
        text.set_text(original)
        wrap_to_width(text, max_width)
        if text.get_window_extent().width <= max_width or text.get_fontsize() <= smallest:
            return
        text.set_fontsize(text.get_fontsize() - 0.25)


def fit_tick_labels(ax, share: float = 0.92) -> None:
    """Wrap each x tick label to its share of the axis, so neighbours never run together
    ('3 maanden9 maanden'). The labels are set anew: a label's text set directly is
    overwritten by the tick formatter at the next draw."""
    ax.figure.draw_without_rendering()
    ticks = ax.get_xticklabels()
    if not ticks:
        return
    slot = ax.get_window_extent().width / len(ticks) * share
    wrapped = []
    for label in ticks:
        wrap_to_width(label, slot)
        wrapped.append(label.get_text())
    ax.set_xticks(ax.get_xticks(), wrapped)


def visible_texts(fig) -> list[Text]:
    """Every piece of text the figure draws (titles, ticks, labels, legends, annotations)."""
    fig.draw_without_rendering()
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is not None
    ]


def text_collisions(fig, gap: float = 3.0) -> list[tuple[str, str]]:
    """Pairs of texts that overlap or come closer than `gap` points, so that they read as
    one ('3 maanden9 maanden'); measured on matplotlib's text extents (72 dpi: points)."""
    boxes = [(t.get_text(), t.get_window_extent()) for t in visible_texts(fig)]
    found = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            apart_x = max(a.x0, b.x0) - min(a.x1, b.x1)
            apart_y = max(a.y0, b.y0) - min(a.y1, b.y1)
            if apart_x < gap and apart_y < 0:
                found.append((text_a, text_b))
    return found


def _box_extent(ax, x: float, y: float, w: float, h: float):
    from matplotlib.transforms import Bbox

    return Bbox(ax.transData.transform([(x - w / 2, y - h / 2), (x + w / 2, y + h / 2)]))


# The study's real structure (chapter 2): the 113 registered families are divided twice,
# independently: by design (retrospective / prospective) and by analysis group (conference /
# no conference). Participation splits the prospective families; the late-added restgroep is
# a part of them that overlaps that split (dashed), not a further step.
FLOW_BOXES = {
    # step: (x, y, widest box, row)
    "registered": (50, 93, 34, 0),
    "retrospective": (12, 66, 19, 1),
    "prospective": (40, 66, 19, 1),
    "conference": (70, 66, 19, 1),
    "no_conference": (90, 66, 19, 1),
    "restgroep": (12, 41, 21, 2),
    "active": (32, 41, 17, 2),
    "withdrawn_or_refused": (50, 41, 17, 2),
    "with_follow_up_form": (70, 41, 19, 2),
    "with_registration_form": (30, 9, 26, 3),
    "case_file_analysed": (70, 9, 26, 3),
}
FLOW_SPLITS = {"design": (26, 80), "analysis": (80, 80)}
FLOW_EDGES = [
    ("design", "retrospective"),
    ("design", "prospective"),
    ("analysis", "conference"),
    ("analysis", "no_conference"),
    ("prospective", "active"),
    ("prospective", "withdrawn_or_refused"),
    ("conference", "with_follow_up_form"),
]
FLOW_PAD = 1.6  # space between a box and its text, in axis units


def flow_diagram(
    flow: dict[str, int],
    label: Callable[[str, int], str],
    path: str | Path,
    available: str = "available data",
    headings: dict[str, str] | None = None,
) -> None:
    """Participant flow: the registered families, split by design and by analysis group,
    with the prospective families' participation and the data available.

    `flow` maps step names (a participant flow) to counts; `label(step, count)` gives the
    box text in the report's language; `headings` names the two splits ('design',
    'analysis').
    """
    fig, _boxes = draw_flow_diagram(flow, label, available, headings)
    save_svg(fig, path)


def draw_flow_diagram(
    flow: dict[str, int],
    label: Callable[[str, int], str],
    available: str = "available data",
    headings: dict[str, str] | None = None,
):
    """The flow chart's figure and, per step, its text and the extent of its box."""
    headings = {"design": "by study design", "analysis": "by analysis group", **(headings or {})}
    _style()
    fig = plt.figure(figsize=(7.4, 5.4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.axis("off")
    units_per_px = 100 / ax.get_window_extent().width

    texts = {}
    for step, (x, y, widest, _row) in FLOW_BOXES.items():
        strong = step == "registered"
        texts[step] = ax.text(
            x,
            y,
            label(step, flow.get(step, 0)),
            ha="center",
            va="center",
            fontsize=8,
            color="white" if strong else "#1b1b1b",
            zorder=3,
        )
        fit_in_width(texts[step], (widest - 2 * FLOW_PAD) / units_per_px)
    # every box of a row as high as its tallest text; as wide as its text needs
    sizes = {}
    row_height: dict[int, float] = {}
    for step, (_x, _y, widest, row) in FLOW_BOXES.items():
        extent = texts[step].get_window_extent()
        width = min(widest, extent.width * units_per_px + 2 * FLOW_PAD)
        height = extent.height * 100 / ax.get_window_extent().height + 2 * FLOW_PAD
        sizes[step] = max(width, 0.8 * widest)
        row_height[row] = max(row_height.get(row, 0.0), height)
    boxes = {}
    for step, (x, y, _widest, row) in FLOW_BOXES.items():
        w, h = sizes[step], row_height[row]
        strong, overlapping = step == "registered", step == "restgroep"
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=1.2",
                linewidth=1.0,
                linestyle="--" if overlapping else "-",
                edgecolor=ACCENT,
                facecolor=ACCENT if strong else ("white" if overlapping else LIGHT),
                zorder=2,
            )
        )
        boxes[step] = (texts[step], _box_extent(ax, x, y, w, h), (x, y, w, h))

    def top(step):
        x, y, _w, h = boxes[step][2]
        return x, y + h / 2

    def bottom(step):
        x, y, _w, h = boxes[step][2]
        return x, y - h / 2

    def arrow(start, end, dashed=False):
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "color": MUTED,
                "lw": 0.9,
                "linestyle": "--" if dashed else "-",
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )

    split_texts = {}
    for split, (x, y) in FLOW_SPLITS.items():
        split_texts[split] = ax.text(
            x, y, headings[split], ha="center", va="center", fontsize=8, color=MUTED, style="italic"
        )
        ax.plot(
            [bottom("registered")[0], x], [bottom("registered")[1], y + 2.5], color=MUTED, lw=0.9
        )
    for parent, child in FLOW_EDGES:
        start = (
            (FLOW_SPLITS[parent][0], FLOW_SPLITS[parent][1] - 2.5)
            if parent in FLOW_SPLITS
            else bottom(parent)
        )
        arrow(start, top(child))
    prospective_x, prospective_y, prospective_w, _ = boxes["prospective"][2]
    arrow((prospective_x - prospective_w / 2, prospective_y), top("restgroep"), dashed=True)
    ax.plot([2, 98], [24, 24], color="#c9d2da", lw=0.8)
    ax.text(50, 20, available, ha="center", va="center", fontsize=8, color=MUTED, style="italic")
    return fig, {step: (text, extent) for step, (text, extent, _) in boxes.items()}
