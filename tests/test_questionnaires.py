"""CVC and the parents' questionnaires: published figures, scoring rules, export validation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ekc.core.readers import read_export
from ekc.core.report.numbers import round_half_up
from ekc.youth_protection.clean import questionnaires as cq
from ekc.youth_protection.schemas import validate as validate_export
from ekc.youth_protection.schemas.questionnaires import (
    CVC_CHILD_ITEMS,
    CVC_FAMILY_ITEMS,
    LIFE_EVENT_ITEMS,
    MODELS,
    PUL_ITEMS,
    VEO_ITEMS,
)
from ekc_synthetic import questionnaires as gq
from ekc_synthetic.cli import DEFAULT_SEED, instrument_rng
from ekc_synthetic.families import design_frame

from .conftest import ROOT

RAW = ROOT / "resources" / "raw"
PUBLISHED = ROOT / "resources" / "published"
EXPORTS = {
    "cvc": "cvc.sav",
    "nosik_aanvang": "nosik_aanvang.sav",
    "veo": "veo.sav",
    "pul": "pul.csv",
}
COUNT_STATISTICS = {"n", "count", "df", "df1", "df2"}


def _published() -> pd.DataFrame:
    files = sorted(PUBLISHED.glob("youth_protection_*.csv"))
    if not files:
        pytest.skip("no published figures transcribed yet")
    frame = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    return frame.set_index("id")


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    if not (RAW / "pul.csv").exists():
        pytest.skip("embedded raw exports not generated")
    return {r["id"]: r for r in gq.check(RAW)}


def _number(text: str) -> float | None:
    try:
        return float(text.replace("\u2013", "-").replace(",", "."))
    except ValueError:
        return None


def _matches(value: object, published: str, statistic: str, decimals: str) -> bool:
    """Counts exactly, percentages after rounding, other statistics within half a unit of
    the last printed decimal; '<7' and the like as inequalities; text as text."""
    if published[:1] in "<>" and not isinstance(value, str):
        bound = _number(published[1:])
        return float(value) < bound if published[0] == "<" else float(value) > bound
    number = _number(published)
    if number is None or isinstance(value, str):
        return str(value) == published
    if statistic in COUNT_STATISTICS:
        return math.isclose(float(value), number)
    places = int(decimals) if decimals.isdigit() else 2
    if statistic == "pct":
        return math.isclose(round_half_up(float(value), places), number)
    return abs(float(value) - number) <= 0.5 * 10**-places + 1e-9


# --------------------------------------------------------------------------------------
# (a) published figures


def test_check_records_are_well_formed(records):
    for rec in records.values():
        assert rec["method"].startswith("generator check: ")
        assert isinstance(rec["note"], str)
        assert rec["id"].startswith("yp:")


def test_check_values_equal_published(records):
    published = _published()
    compared = 0
    failures = []
    for id_, rec in records.items():
        if id_ not in published.index:
            continue
        row = published.loc[id_]
        ok = _matches(rec["value"], row["value"], row["statistic"], row["decimals"])
        compared += 1
        if id_ in gq.PUBLISHED_DEVIATIONS:
            # a documented contradiction: it must really differ and carry its explanation
            assert not ok, f"{id_} now matches: drop it from PUBLISHED_DEVIATIONS"
            assert rec["note"], f"{id_} deviates without a note"
        elif not ok:
            failures.append(f"{id_}: published {row['value']}, reproduced {rec['value']}")
    assert compared > 0
    assert not failures, "\n".join(failures)


def test_every_published_figure_of_these_tables_is_checked(records):
    published = _published()
    tables = published["table"].isin(gq.OWN_TABLES)
    text = published["table"].str.startswith("text") & published["variable"].str.startswith(
        gq.OWN_TEXT_VARIABLES
    )
    own = published.index[tables | text]
    missing = sorted(set(own) - set(records))
    assert not missing, f"published figures without a check record: {missing}"


def test_documented_deviations_have_records(records):
    published = _published()
    for id_ in gq.PUBLISHED_DEVIATIONS:
        if id_ in published.index:
            assert id_ in records


# --------------------------------------------------------------------------------------
# (b) scoring rules on hand-computed examples


def test_reverse_keyed_items_are_turned_around():
    items = pd.DataFrame({"a": [1, 4], "b": [5, 2]})
    scored = cq.scale_score(items, low=1, high=5, reverse=["b"])
    # row 1: 1 + (6 - 5) = 2; row 2: 4 + (6 - 2) = 8
    assert scored["raw"].tolist() == [2.0, 8.0]
    assert scored["n_missing"].tolist() == [0, 0]


def test_missing_items_are_prorated_up_to_twenty_percent():
    items = pd.DataFrame(
        {
            "i1": [4, 4, None],
            "i2": [3, None, None],
            "i3": [2, 2, 2],
            "i4": [1, 1, 1],
            "i5": [4, 4, 4],
        },
        dtype="Float64",
    )
    scored = cq.scale_score(items, low=1, high=4)
    assert scored["raw"].iloc[0] == 14.0
    # one of five missing (20%): mean of 4, 2, 1, 4 = 2.75, times 5 items
    assert scored["raw"].iloc[1] == pytest.approx(13.75)
    # two of five missing (40%): not scored
    assert pd.isna(scored["raw"].iloc[2])
    assert scored["n_missing"].tolist() == [0, 1, 2]


def test_twenty_item_scale_allows_four_missing():
    row = {f"v{i}": 3.0 for i in range(20)}
    four = pd.DataFrame([{**row, **{f"v{i}": None for i in range(4)}}], dtype="Float64")
    five = pd.DataFrame([{**row, **{f"v{i}": None for i in range(5)}}], dtype="Float64")
    assert cq.scale_score(four, low=1, high=5)["raw"].iloc[0] == 60.0
    assert pd.isna(cq.scale_score(five, low=1, high=5)["raw"].iloc[0])


def test_bands_at_the_cut_points():
    dev = pd.Series([-1.0, 0.799, 0.80, 1.284, 1.285, 1.644, 1.645, 1.96, 1.961, np.nan])
    bands = cq.band(dev, high_is_bad=True).tolist()
    assert bands[:9] == [
        "none",
        "none",
        "moderate",
        "moderate",
        "considerable",
        "considerable",
        "serious",
        "serious",
        "very_serious",
    ]
    assert pd.isna(bands[9])
    # low is bad: the sign turns
    flipped = cq.band(-dev, high_is_bad=False).tolist()
    assert flipped[:9] == bands[:9]
    assert cq.band(pd.Series([2.5]), high_is_bad=False).tolist() == ["none"]


def test_deviation_and_band_with_respondent_norms():
    norms = pd.DataFrame(
        {
            "instrument": ["veo"] * 3,
            "scale": ["total"] * 3,
            "respondent": ["moeder", "vader", "anders"],
            "n_items": [20] * 3,
            "mean": [70.0, 60.0, 65.0],
            "sd": [10.0, 8.0, 9.0],
        }
    )
    rows = []
    for key, who, value in (("EK06-001", 1, 3), ("EK06-002", 2, 2)):
        row = {"gezinsnr": key, "meetmoment": 0, "respondent": who}
        # reverse-keyed items answered 6 - value so that every scored item equals `value`
        row.update({c: (6 - value if c in gq.VEO_REVERSED else value) for c in VEO_ITEMS})
        rows.append(row)
    scores = cq.score_veo(pd.DataFrame(rows), norms)
    # mother: raw 60, (60 - 70) / 10 = -1.0 -> moderate; father: raw 40, -2.5 -> very serious
    assert scores["raw"].tolist() == [60.0, 40.0]
    assert scores["deviation"].tolist() == [-1.0, -2.5]
    assert scores["band"].tolist() == ["moderate", "very_serious"]
    assert scores["respondent"].tolist() == ["moeder", "vader"]
    assert scores["moment"].tolist() == ["start", "start"]


def test_life_events_blanks_and_categories():
    base = {c: 0.0 for c in LIFE_EVENT_ITEMS}
    one = dict(base, gb_gezin_01=1.0, gb_gezin_02=1.0, gb_overig_03=1.0, gb_werk_01=None)
    many_blank = dict(base, **{c: None for c in LIFE_EVENT_ITEMS[:6]})
    frame = pd.DataFrame([one, many_blank]).assign(gezinsnr=["EK06-001", "EK06-002"])
    tidy = cq.score_life_events(frame).set_index(["family_key", "category"])["count"]
    assert tidy[("EK06-001", "family")] == 2
    assert tidy[("EK06-001", "work")] == 0  # one blank of 28: counted as 'no'
    assert tidy[("EK06-001", "other")] == 1
    assert tidy[("EK06-001", "n_categories")] == 2
    # six blanks of 28 (> 20%): part B not scored
    assert tidy.loc["EK06-002"].isna().all()


def test_cvc_counts_and_skipped_page():
    filled = {c: 0.0 for c in CVC_CHILD_ITEMS + CVC_FAMILY_ITEMS}
    filled.update(rk_01=1.0, rk_04=1.0, rg_02=1.0)
    skipped = {c: None for c in CVC_CHILD_ITEMS + CVC_FAMILY_ITEMS}
    frame = pd.DataFrame([filled, skipped]).assign(
        gezinsnr=["EK06-001", "EK06-002"], acute_crisis=[1, 0], kans_uhp=[4, 9]
    )
    scored = cq.score_cvc(frame)
    assert scored["n_reasons_child"].tolist()[0] == 2
    assert scored["n_reasons_family"].tolist()[0] == 1
    assert scored["n_reasons_child"].isna().tolist() == [False, True]
    assert scored["acute_crisis"].tolist() == ["ja", "nee"]
    assert scored["placement_chance"].tolist() == ["76-100%", "onbekend"]


def test_norm_files_match_generator():
    norms = cq.load_norms()
    assert set(norms["source"]) == {"illustrative"}
    for (instrument, scale), groups in gq.NORMS.items():
        for respondent, (mean, sd) in groups.items():
            row = norms[
                (norms["instrument"] == instrument)
                & (norms["scale"] == scale)
                & (norms["respondent"] == respondent)
            ]
            assert len(row) == 1, (instrument, scale, respondent)
            assert row["mean"].iloc[0] == mean and row["sd"].iloc[0] == sd
            assert row["n_items"].iloc[0] == gq.N_ITEMS[(instrument, scale)]


# --------------------------------------------------------------------------------------
# (c) the embedded exports validate, and the pipeline's scoring agrees with the check


def _validated(name: str):
    export = read_export(RAW / EXPORTS[name])
    # Empty CSV cells may come back as NaN instead of None from the CSV reader under
    # pandas 3; normalise so that an empty item is 'missing', not a parse failure.
    export.frame = export.frame.astype(object).where(export.frame.notna(), None)
    return validate_export(
        export, MODELS[name], source=name, decimal_comma=EXPORTS[name].endswith(".csv")
    )


@pytest.mark.parametrize("name", list(EXPORTS))
def test_embedded_export_validates(name):
    if not (RAW / EXPORTS[name]).exists():
        pytest.skip("embedded raw exports not generated")
    result = _validated(name)
    assert result.ok, result.summary()
    assert len(result.valid) == result.rows_in


def test_pipeline_scores_reproduce_the_check(records):
    norms = cq.load_norms()
    veo = cq.score_veo(_validated("veo").valid, norms)
    start = veo[veo["moment"] == "start"]["deviation"]
    assert start.mean() == pytest.approx(
        records["yp:text3:veo_deviation:-:parents:start:mean"]["value"]
    )
    pul = cq.score_pul(_validated("pul").valid, norms)
    bands = pul[(pul["scale"] == "autonomy") & (pul["moment"] == "9m")]["band"]
    assert (bands == "none").sum() == records["yp:8.3:pul_autonomy_band:none:parents:9m:count"][
        "value"
    ]
    nosik = cq.score_nosik(_validated("nosik_aanvang").valid, norms)
    assert nosik["deviation"].notna().sum() == 35
    assert nosik["n_missing"].max() > 5  # the booklet with part A left largely empty


def test_missing_items_present_in_the_data():
    if not (RAW / "veo.sav").exists():
        pytest.skip("embedded raw exports not generated")
    veo = _validated("veo").valid
    missing = veo[VEO_ITEMS].isna().sum(axis=1)
    assert ((missing > 0) & (missing <= 4)).sum() >= 3
    assert (missing > 4).sum() == 1
    pul = _validated("pul").valid
    assert pul[PUL_ITEMS].isna().any(axis=1).sum() >= 2


def test_who_responded_when():
    if not (RAW / "veo.sav").exists():
        pytest.skip("embedded raw exports not generated")
    design = design_frame(instrument_rng(DEFAULT_SEED, "design")).set_index("family_key")
    for name in ("veo", "pul"):
        frame = _validated(name).valid
        info = design.loc[frame["gezinsnr"].astype(str)]
        assert (info["participation"] == "active").all()
        follow = frame["meetmoment"].to_numpy() > 0
        assert info["conference"].to_numpy()[follow].all()
        nine = frame["meetmoment"].to_numpy() == 2
        assert not info["restgroep"].to_numpy()[nine].any()
        dates = pd.to_datetime(info["conference_date"]).to_numpy()
        filled = frame["invuldatum"].to_numpy()
        assert (filled[follow] > dates[follow]).all()
        assert (
            filled[~follow & info["conference"].to_numpy()]
            < dates[~follow & info["conference"].to_numpy()]
        ).all()
    counts = _validated("pul").valid.groupby("meetmoment").size().to_dict()
    assert counts == {0: 35, 1: 17, 2: 15}
