"""The report's figures in all three languages: no label runs into another, legends sit
beside the data and never on it, every bar carries its n, the flow chart keeps its text in
its boxes and draws the study's two independent splits, and the colours stay apart in
greyscale and for colour-blind readers. Measured on matplotlib's text extents, the boxes
the SVG's text elements are set in."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from ekc.core.report import figures, palette
from ekc.core.report.render import load_translations
from ekc.youth_protection.report import charts
from ekc.youth_protection.report.build import BAND_PANELS

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("nl", "en", "de")
STUDY = "yp"
# The embedded study's participant flow (chapter 2 of the published report).
FLOW = {
    "registered": 113,
    "retrospective": 50,
    "prospective": 63,
    "conference": 90,
    "no_conference": 23,
    "active": 52,
    "withdrawn_or_refused": 11,
    "restgroep": 15,
    "with_follow_up_form": 68,
    "with_registration_form": 108,
    "case_file_analysed": 79,
}


def chart_records() -> dict[str, dict]:
    """Records shaped like the analysis rules' (means, band counts, n) with two-digit
    values, so labels are as wide as in the real report."""
    records = {}
    for k, (table, variable) in enumerate(charts.DOMAINS):
        for g, group in enumerate(("conference", "no_conference")):
            for m, moment in enumerate(charts.MOMENTS):
                rid = f"{STUDY}:{table}:{variable}:-:{group}:{moment}"
                records[rid] = {"id": rid, "mean": 3.4 - 0.6 * m + 0.3 * g - 0.4 * k, "n": 61}
    for table, variable in BAND_PANELS:
        for m, moment in enumerate(charts.MOMENTS):
            n = 36 - 9 * m
            rid = f"{STUDY}:{table}:{variable}:-:parents:{moment}"
            records[rid] = {"id": rid, "n": n}
            counts = [n - 4 * 4 + 0, 4, 4, 4, 4] if n > 16 else [n - 4, 1, 1, 1, 1]
            for band, count in zip(charts.BANDS, counts, strict=True):
                rid = f"{STUDY}:{table}:{variable}:{band}:parents:{moment}"
                records[rid] = {"id": rid, "count": count, "n": n}
    for s, (table, variable) in enumerate(charts.SUCCINT_SCALES):
        for i, informant in enumerate(charts.INFORMANTS):
            for m, moment in enumerate(("3m", "9m")):
                rid = f"{STUDY}:{table}:{variable}:-:{informant}:{moment}"
                records[rid] = {"id": rid, "mean": 12.5 - 3 * s + i + m, "n": 35 - 17 * i - 8 * m}
    return records


def texts(lang: str):
    translations = load_translations(ROOT / "resources" / "locale", lang)
    return translations, (lambda key: translations.pgettext("chart", key))


def drawn_charts(lang: str):
    _, text = texts(lang)
    records = chart_records()
    return {
        "care_concerns": charts.draw_care_concerns(records, STUDY, text, lang),
        "bands": charts.draw_bands_over_moments(records, STUDY, BAND_PANELS, text, lang),
        "succint": charts.draw_succint_scores(records, STUDY, text, lang),
    }


def draw_flow(lang: str):
    translations, _ = texts(lang)
    return figures.draw_flow_diagram(
        FLOW,
        lambda step, n: f"{translations.pgettext('flow', step)}\nn = {n}",
        available=translations.pgettext("flow", "available data"),
        headings={
            "design": translations.pgettext("flow", "by study design"),
            "analysis": translations.pgettext("flow", "by analysis group"),
        },
    )


@pytest.fixture(scope="module", params=LANGS)
def lang_charts(request):
    drawn = drawn_charts(request.param)
    yield request.param, drawn
    for fig in drawn.values():
        plt.close(fig)


def test_no_label_runs_into_another(lang_charts):
    lang, drawn = lang_charts
    for name, fig in drawn.items():
        assert figures.text_collisions(fig) == [], f"{lang} {name}"


def test_tick_labels_keep_apart_the_old_way_did_not():
    """The check itself: the problem-level panels laid out as before (labels as they come)
    run '3 maanden' into '9 maanden'; fitted, they keep apart."""
    _, text = texts("nl")
    figures._style()
    fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.8), sharey=True)
    for ax, (_, variable) in zip(axes, BAND_PANELS, strict=True):
        ax.bar(range(3), [100, 100, 100], width=0.65)
        ax.set_title(text(variable), fontsize=8.5)
        ax.set_xticks(range(3), [text(m) for m in charts.MOMENTS])
    axes[0].set_ylabel(text("percentage of parents"))
    fig.tight_layout()
    assert figures.text_collisions(fig)
    for ax in axes:
        figures.fit_tick_labels(ax)
    assert figures.text_collisions(fig) == []
    plt.close(fig)


def test_legends_never_cover_the_data(lang_charts):
    lang, drawn = lang_charts
    for name, fig in drawn.items():
        fig.draw_without_rendering()
        legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        assert legends, f"{lang} {name}: no legend"
        for legend in legends:
            box = legend.get_window_extent()
            for ax in fig.axes:
                assert not box.overlaps(ax.get_window_extent()), f"{lang} {name}"


def test_every_bar_carries_its_n(lang_charts):
    lang, drawn = lang_charts
    records = chart_records()
    for name, ids in (
        (
            "bands",
            [f"{STUDY}:{t}:{v}:-:parents:{m}" for t, v in BAND_PANELS for m in charts.MOMENTS],
        ),
        (
            "succint",
            [
                f"{STUDY}:{t}:{v}:-:{i}:{m}"
                for t, v in charts.SUCCINT_SCALES
                for i in charts.INFORMANTS
                for m in ("3m", "9m")
            ],
        ),
    ):
        shown = [t.get_text() for t in figures.visible_texts(drawn[name])]
        ns = sorted(int(m) for t in shown for m in re.findall(r"^n = (\d+)$", t))
        assert ns == sorted(records[i]["n"] for i in ids), f"{lang} {name}"


@pytest.mark.parametrize("lang", LANGS)
def test_flow_chart_text_stays_in_its_boxes(lang):
    fig, boxes = draw_flow(lang)
    assert set(boxes) == set(FLOW)
    for step, (text, box) in boxes.items():
        inside = text.get_window_extent()
        assert box.x0 <= inside.x0 and inside.x1 <= box.x1, f"{lang} {step}: too wide"
        assert box.y0 <= inside.y0 and inside.y1 <= box.y1, f"{lang} {step}: too high"
    assert figures.text_collisions(fig) == []
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_flow_chart_draws_two_independent_splits(lang):
    """Design (retrospective / prospective) and analysis group (conference / none) each
    split all registered families, under headings of their own; participation and the
    late-added restgroep sit side by side under the prospective families, not in a chain."""
    fig, boxes = draw_flow(lang)
    translations, _ = texts(lang)
    shown = {t.get_text() for t in figures.visible_texts(fig)}
    for heading in ("by study design", "by analysis group"):
        assert translations.pgettext("flow", heading) in shown
    centre = {step: box.intervalx.mean() for step, (_, box) in boxes.items()}
    middle = {step: box.intervaly.mean() for step, (_, box) in boxes.items()}
    split_row = ("retrospective", "prospective", "conference", "no_conference")
    assert len({round(middle[s]) for s in split_row}) == 1
    assert centre["retrospective"] < centre["prospective"] < centre["conference"]
    assert len({round(middle[s]) for s in ("active", "withdrawn_or_refused", "restgroep")}) == 1
    assert middle["active"] < middle["prospective"]
    plt.close(fig)


def test_the_participant_flow_csv_has_every_step_the_chart_draws(tmp_path):
    flow = pd.DataFrame({"step": list(FLOW), "of": "all", "n": list(FLOW.values())})
    figures.flow_diagram(
        dict(zip(flow["step"], flow["n"], strict=True)),
        lambda s, n: f"{s}\nn = {n}",
        tmp_path / "f.svg",
    )
    svg = (tmp_path / "f.svg").read_text(encoding="utf-8")
    for step, n in FLOW.items():
        assert f"n = {n}" in svg, step


def test_group_colours_stay_apart_for_colour_blind_readers():
    for deficiency in (None, *palette.CVD_MATRICES):
        for pair in (palette.GROUP_COLOURS, palette.INFORMANT_COLOURS):
            first, second = pair.values()
            assert palette.difference(first, second, deficiency) > 40, deficiency
    # in greyscale the informants differ in lightness; the groups by line style and marker
    a, b = palette.INFORMANT_COLOURS.values()
    assert abs(palette.lightness(a) - palette.lightness(b)) > 20
    styles = {style[1:] for style in charts.GROUP_STYLE.values()}
    assert len(styles) == len(charts.GROUP_STYLE)


def test_problem_levels_stay_in_order_in_greyscale():
    levels = [palette.lightness(colour) for colour in palette.BAND_COLOURS]
    steps = [a - b for a, b in zip(levels, levels[1:], strict=False)]
    assert min(steps) > 12, levels  # lighter to darker, in clear steps
    for deficiency in palette.CVD_MATRICES:
        for first, second in zip(palette.BAND_COLOURS, palette.BAND_COLOURS[1:], strict=False):
            assert palette.difference(first, second, deficiency) > 15, deficiency
    assert len(set(palette.BAND_HATCHES[2:])) == 3  # the darker levels also by hatching


def test_lightness_and_simulation_match_published_values():
    """Independent references: CIE L* of pure grey and white, and Machado et al.'s
    deuteranopia matrix maps white to white (rows sum to 1)."""
    assert palette.lightness("#ffffff") == pytest.approx(100, abs=0.01)
    assert palette.lightness("#777777") == pytest.approx(50.03, abs=0.05)
    assert palette.lightness("#000000") == pytest.approx(0, abs=0.01)
    for matrix in palette.CVD_MATRICES.values():
        for row in matrix:
            assert sum(row) == pytest.approx(1, abs=0.001)
