"""The report's data figures (matplotlib SVG), drawn from results records only.

Each function takes the records (by id), the study id and a `text` callable that translates
a label key into the report's language, so axis labels and legends follow the language.
SVGs are byte-identical across runs (`ekc.core.report.figures`: fixed hash salt, no date).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from ekc.core.report import numbers, palette
from ekc.core.report.figures import _style, fit_tick_labels, save_svg

MOMENTS = ("start", "3m", "9m")
BANDS = ("none", "moderate", "considerable", "serious", "very_serious")
GROUP_STYLE = {
    "conference": (palette.GROUP_COLOURS["conference"], "-", "o"),
    "no_conference": (palette.GROUP_COLOURS["no_conference"], "--", "s"),
}
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


def _fit_ticks(fig, axes) -> None:
    """Tick labels wrapped to their slot, then the layout again (wrapped labels are taller)."""
    fig.tight_layout()
    for ax in axes:
        fit_tick_labels(ax)
    fig.tight_layout()


def _legend_below(fig, handles, labels, ncol: int, title: str | None = None) -> None:
    """The legend in a row under the panels, never on the data."""
    fig.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=ncol,
        frameon=False,
        fontsize=7.5,
        title=title,
        title_fontsize=7.5,
    )


def _n_label(n: float | None, lang: str) -> str:
    return "" if n is None else f"n = {numbers.integer(int(n), lang)}"


def draw_care_concerns(records: Records, study: str, text: Text, lang: str):
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
        ax.set_xlim(-0.4, len(MOMENTS) - 0.6)
        ax.yaxis.set_major_formatter(_decimal(lang))
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(text("mean number of care concerns"))
    axes[0].set_ylim(bottom=0)
    _fit_ticks(fig, axes)
    _legend_below(fig, *axes[0].get_legend_handles_labels(), ncol=2)
    return fig


def care_concerns(records: Records, study: str, text: Text, lang: str, path: str | Path) -> None:
    save_svg(draw_care_concerns(records, study, text, lang), path)


def draw_bands_over_moments(
    records: Records, study: str, panels: list[tuple[str, str]], text: Text, lang: str
):
    """Stacked percentages of deviation-score bands per moment, one panel per scale, with
    each bar's number of parents on top."""
    _style()
    fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 2.9), sharey=True)
    axes = list(axes) if len(panels) > 1 else [axes]
    for ax, (table, variable) in zip(axes, panels, strict=True):
        bottoms = [0.0] * len(MOMENTS)
        ns = [_value(records, f"{study}:{table}:{variable}:-:parents:{m}", "n") for m in MOMENTS]
        for band, colour, hatch in zip(
            BANDS, palette.BAND_COLOURS, palette.BAND_HATCHES, strict=True
        ):
            heights = []
            for moment, n in zip(MOMENTS, ns, strict=True):
                count = _value(
                    records, f"{study}:{table}:{variable}:{band}:parents:{moment}", "count"
                )
                heights.append(100.0 * count / n if count is not None and n else 0.0)
            ax.bar(
                range(len(MOMENTS)),
                heights,
                bottom=bottoms,
                color=colour,
                width=0.65,
                label=text(band),
                edgecolor="white",
                hatch=hatch,
                linewidth=0.4,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for i, n in enumerate(ns):
            ax.text(i, 101.5, _n_label(n, lang), ha="center", va="bottom", fontsize=7)
        ax.set_title(text(variable), fontsize=8.5, pad=18)
        ax.set_xticks(range(len(MOMENTS)), [text(m) for m in MOMENTS])
        ax.set_ylim(0, 100)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(text("percentage of parents"))
    _fit_ticks(fig, axes)
    _legend_below(
        fig, *axes[0].get_legend_handles_labels(), ncol=len(BANDS), title=text("problem level")
    )
    return fig


def bands_over_moments(
    records: Records,
    study: str,
    panels: list[tuple[str, str]],
    text: Text,
    lang: str,
    path: str | Path,
) -> None:
    save_svg(draw_bands_over_moments(records, study, panels, text, lang), path)


def draw_succint_scores(records: Records, study: str, text: Text, lang: str):
    """Mean SuccInt scale scores of referrers and family informants at 3 and 9 months, with
    each bar's number of questionnaires on it."""
    _style()
    fig, axes = plt.subplots(1, len(SUCCINT_SCALES), figsize=(7.2, 2.7))
    width = 0.38
    for ax, (table, variable) in zip(axes, SUCCINT_SCALES, strict=True):
        for offset, informant in zip((-width / 2, width / 2), INFORMANTS, strict=True):
            ids = [f"{study}:{table}:{variable}:-:{informant}:{m}" for m in ("3m", "9m")]
            means = [_value(records, i, "mean") or 0.0 for i in ids]
            positions = [i + offset for i in range(2)]
            ax.bar(
                positions,
                means,
                width=width,
                color=palette.INFORMANT_COLOURS[informant],
                hatch=palette.INFORMANT_HATCHES[informant],
                edgecolor="white",
                linewidth=0.4,
                label=text(informant),
            )
            for x, mean, record_id in zip(positions, means, ids, strict=True):
                n = _value(records, record_id, "n")
                ax.text(
                    x,
                    mean,
                    f"{_n_label(n, lang)}",
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    rotation=90,
                )
        ax.set_title(text(variable), fontsize=8.5)
        ax.set_xticks(range(2), [text("3m"), text("9m")])
        ax.yaxis.set_major_formatter(_decimal(lang))
        # whole-number ticks: the axis prints no number that is not on the scale's own steps
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(text("mean score"))
    _fit_ticks(fig, axes)
    _legend_below(fig, *axes[0].get_legend_handles_labels(), ncol=2)
    return fig


def succint_scores(records: Records, study: str, text: Text, lang: str, path: str | Path) -> None:
    save_svg(draw_succint_scores(records, study, text, lang), path)
