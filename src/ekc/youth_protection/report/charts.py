"""The report's data figures (matplotlib SVG), drawn from results records only.

Each function takes the records (by id), the study id and a `text` callable that translates
a label key into the report's language, so axis labels and legends follow the language.
SVGs are byte-identical across runs (`ekc.core.report.figures`: fixed hash salt, no date).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt

from ekc.core.report.figures import ACCENT, MUTED, _style, save_svg

MOMENTS = ("start", "3m", "9m")
BANDS = ("none", "moderate", "considerable", "serious", "very_serious")
BAND_COLOURS = ("#dfe8f0", "#a9c4dc", "#6b9bc3", "#2f6a9e", "#123a5e")
GROUP_STYLE = {"conference": (ACCENT, "-", "o"), "no_conference": (MUTED, "--", "s")}
DOMAINS = (
    ("6.1", "care_concerns_child_functioning"),
    ("6.2", "care_concerns_family"),
    ("6.3", "care_concerns_environment"),
)
SUCCINT_SCALES = (
    ("6.4", "safety_wellbeing_score"),
    ("7.4", "social_support_score"),
    ("8.1", "control_score"),
)
INFORMANTS = ("referrer", "family_informant")

Records = Mapping[str, dict]
Text = Callable[[str], str]


def _value(records: Records, record_id: str, field: str) -> float | None:
    record = records.get(record_id)
    return None if record is None else record.get(field)


def _decimal(lang: str):
    comma = lang in ("nl", "de")
    return lambda value, _pos=None: f"{value:g}".replace(".", ",") if comma else f"{value:g}"


def care_concerns(records: Records, study: str, text: Text, lang: str, path: str | Path) -> None:
    """Mean care concerns per domain at start, 3 and 9 months, conference vs no conference."""
    _style()
    fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.6), sharey=True)
    for ax, (table, variable) in zip(axes, DOMAINS, strict=True):
        for group, (colour, line, marker) in GROUP_STYLE.items():
            means = [
                _value(records, f"{study}:{table}:{variable}:-:{group}:{m}", "mean")
                for m in MOMENTS
            ]
            points = [(i, v) for i, v in enumerate(means) if v is not None]
            if points:
                ax.plot(
                    *zip(*points, strict=True),
                    color=colour,
                    linestyle=line,
                    marker=marker,
                    label=text(group),
                )
        ax.set_title(text(variable), fontsize=8.5)
        ax.set_xticks(range(len(MOMENTS)), [text(m) for m in MOMENTS])
        ax.yaxis.set_major_formatter(_decimal(lang))
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(text("mean number of care concerns"))
    axes[0].set_ylim(bottom=0)
    axes[-1].legend(frameon=False, fontsize=7.5)
    fig.tight_layout()
    save_svg(fig, path)


def bands_over_moments(
    records: Records,
    study: str,
    panels: list[tuple[str, str]],
    text: Text,
    lang: str,
    path: str | Path,
) -> None:
    """Stacked percentages of deviation-score bands per moment, one panel per scale."""
    _style()
    fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 2.8), sharey=True)
    axes = list(axes) if len(panels) > 1 else [axes]
    for ax, (table, variable) in zip(axes, panels, strict=True):
        bottoms = [0.0] * len(MOMENTS)
        for band, colour in zip(BANDS, BAND_COLOURS, strict=True):
            heights = []
            for moment in MOMENTS:
                count = _value(
                    records, f"{study}:{table}:{variable}:{band}:parents:{moment}", "count"
                )
                n = _value(records, f"{study}:{table}:{variable}:-:parents:{moment}", "n")
                heights.append(100.0 * count / n if count is not None and n else 0.0)
            ax.bar(
                range(len(MOMENTS)),
                heights,
                bottom=bottoms,
                color=colour,
                width=0.65,
                label=text(band),
                edgecolor="white",
                linewidth=0.4,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        ax.set_title(text(variable), fontsize=8.5)
        ax.set_xticks(range(len(MOMENTS)), [text(m) for m in MOMENTS])
        ax.set_ylim(0, 100)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(text("percentage of parents"))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles[::-1],
        labels[::-1],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=7.5,
        title=text("problem level"),
        title_fontsize=7.5,
    )
    fig.tight_layout()
    save_svg(fig, path)


def succint_scores(records: Records, study: str, text: Text, lang: str, path: str | Path) -> None:
    """Mean SuccInt scale scores of referrers and family informants at 3 and 9 months."""
    _style()
    fig, axes = plt.subplots(1, len(SUCCINT_SCALES), figsize=(7.2, 2.6))
    width = 0.38
    for ax, (table, variable) in zip(axes, SUCCINT_SCALES, strict=True):
        for offset, (informant, colour) in zip(
            (-width / 2, width / 2), zip(INFORMANTS, (ACCENT, "#9bb7d0"), strict=True), strict=True
        ):
            means = [
                _value(records, f"{study}:{table}:{variable}:-:{informant}:{m}", "mean") or 0.0
                for m in ("3m", "9m")
            ]
            ax.bar(
                [i + offset for i in range(2)],
                means,
                width=width,
                color=colour,
                label=text(informant),
            )
        ax.set_title(text(variable), fontsize=8.5)
        ax.set_xticks(range(2), [text("3m"), text("9m")])
        ax.yaxis.set_major_formatter(_decimal(lang))
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(text("mean score"))
    axes[-1].legend(frameon=False, fontsize=7.5)
    fig.tight_layout()
    save_svg(fig, path)
