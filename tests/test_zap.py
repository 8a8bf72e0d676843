"""ZAP-Kort case-file coding: published figures, scoring rules and the export models."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ekc.core.readers import read_export
from ekc.core.report.numbers import round_half_up
from ekc.youth_protection.clean.zap import (
    care_concern_scores,
    care_concern_wide,
    domain_score,
    resources,
)
from ekc.youth_protection.schemas import validate as validate_export
from ekc.youth_protection.schemas.zap import (
    DOMAIN_ITEMS,
    ITEM_COLUMNS,
    ZapKort3mnd,
    ZapKort9mnd,
    ZapKortAanvang,
)
from ekc_synthetic import zap as generator
from ekc_synthetic.writers import write_sav

from .conftest import ROOT

RAW = ROOT / "resources" / "raw"
PUBLISHED = ROOT / "resources" / "published"
EXPORTS = {
    "zap_kort_aanvang.sav": ZapKortAanvang,
    "zap_kort_3mnd.sav": ZapKort3mnd,
    "zap_kort_9mnd.sav": ZapKort9mnd,
}
EXACT = {"n", "count", "min", "max", "df", "df1", "df2"}


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    files = sorted(PUBLISHED.glob("youth_protection_ch*.csv"))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    return pd.concat(frames).set_index("id")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return generator.check(RAW)


@pytest.fixture(scope="module")
def valid() -> dict[str, pd.DataFrame]:
    result = {}
    for name, model in EXPORTS.items():
        outcome = validate_export(read_export(RAW / name), model, source=name)
        assert outcome.ok, outcome.summary()
        result[name] = outcome.valid
    return result


def _matches(value: object, row: pd.Series) -> bool:
    try:
        printed = float(row["value"])
    except ValueError:
        return value == row["value"]  # verdicts ('n.s.', 'p<.001') and '<2'
    if not isinstance(value, float):
        return False
    if row["statistic"] in EXACT:
        return value == printed
    if row["statistic"] == "pct":  # a percentage is right when it rounds to the printed one
        return round_half_up(value, int(row["decimals"] or 0)) == printed
    decimals = int(row["decimals"] or 0)
    return abs(value - printed) <= 0.5 * 10**-decimals + 1e-9


# (a) the generator's check against the published figures -------------------------------


def test_every_check_id_is_published(records, published):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert sorted(set(ids) - set(published.index)) == []


def test_check_values_equal_published_values(records, published):
    deviating = {r["id"] for r in records if not _matches(r["value"], published.loc[r["id"]])}
    # every figure is reproduced except the documented contradictions, and those carry a note
    assert deviating == generator.KNOWN_DEVIATIONS
    for r in records:
        if r["id"] in deviating:
            assert r["note"], r["id"]
        assert r["method"].startswith("generator check: ")


def test_tables_6_1_to_6_3_and_3_4_are_covered(records, published):
    wanted = {
        i
        for i in published.index
        if i.startswith(("yp:6.1:", "yp:6.2:", "yp:6.3:", "yp:3.4:", "yp:9."))
    }
    assert wanted <= {r["id"] for r in records}


def test_impossible_sd_is_the_nearest_reachable_one(records, published):
    (id_,) = generator.SD_CONTRADICTION
    value = next(r["value"] for r in records if r["id"] == id_)
    assert abs(value - float(published.loc[id_, "value"])) < 0.011


# (b) scoring --------------------------------------------------------------------------


def _coded(rows: list[dict]) -> pd.DataFrame:
    # items not named in a row are unticked boxes (0)
    frame = pd.DataFrame([{**dict.fromkeys(ITEM_COLUMNS, 0), **row} for row in rows])
    frame[ITEM_COLUMNS] = frame[ITEM_COLUMNS].astype("Int64")
    for column in ("meetmoment", "zp_info"):
        frame[column] = frame[column].astype("Int64")
    return frame


def test_domain_score_counts_ticks_and_treats_empty_as_zero():
    items = pd.DataFrame(
        {"a": [1, 1, pd.NA, pd.NA], "b": [0, pd.NA, 1, pd.NA], "c": [1, 1, 0, pd.NA]},
        dtype="Int64",
    )
    assert domain_score(items).fillna(-1).tolist() == [2, 2, 1, -1]


def test_care_concern_scores_by_hand():
    full = {"gezinsnr": "EK05-001", "meetmoment": 0, "zp_info": 1}
    full |= {"zp_k01": 1, "zp_k03": 1, "zp_k12": 1, "zp_g02": 1, "zp_o01": 1, "zp_o02": 1}
    empty_item = {"gezinsnr": "EK05-002", "meetmoment": 0, "zp_info": 1}
    empty_item |= {"zp_k02": 1, "zp_g01": pd.NA, "zp_g05": 1}
    uncoded_domain = {"gezinsnr": "EK05-003", "meetmoment": 0, "zp_info": 1, "zp_k04": 1}
    uncoded_domain |= {c: pd.NA for c in DOMAIN_ITEMS["environment"]}
    unscorable = {"gezinsnr": "EK05-004", "meetmoment": 0, "zp_info": 2}
    unscorable |= {c: pd.NA for c in ITEM_COLUMNS}
    frame = _coded([full, empty_item, uncoded_domain, unscorable])
    wide = care_concern_wide(care_concern_scores(frame)).set_index("family_key")
    assert wide.loc[
        "EK05-001", ["child_functioning", "family", "environment", "total"]
    ].tolist() == [
        3,
        1,
        2,
        6,
    ]
    assert wide.loc["EK05-002", ["child_functioning", "family", "total"]].tolist() == [1, 1, 2]
    assert wide.loc["EK05-003", "child_functioning"] == 1
    assert pd.isna(wide.loc["EK05-003", "environment"])
    assert pd.isna(wide.loc["EK05-003", "total"])
    assert wide.loc["EK05-004"].drop("moment").isna().all()
    scores = care_concern_scores(frame)
    status = scores.drop_duplicates("family_key").set_index("family_key")["status"]
    assert status["EK05-004"] == "insufficient_information"
    missing = scores.set_index(["family_key", "scale"])["n_items_missing"]
    assert missing[("EK05-002", "family")] == 1
    assert missing[("EK05-003", "total")] == 8


def test_resources_by_hand():
    frame = pd.DataFrame(
        {
            "gezinsnr": ["EK05-001", "EK05-002", "EK05-003"],
            "plan_dossier": [1, 2, 3],
            "amb_hulp": [0, 3, 1],
            "uhp_soort": [0, 1, 4],
            "uhp_moment": [pd.NA, 3, 1],
            "uhp_lopend": [pd.NA, 1, 0],
            "uhp_duur_mnd": [pd.NA, pd.NA, 5],
        }
    ).astype(
        {
            c: "Int64"
            for c in [
                "plan_dossier",
                "amb_hulp",
                "uhp_soort",
                "uhp_moment",
                "uhp_lopend",
                "uhp_duur_mnd",
            ]
        }
    )
    out = resources(frame).set_index("family_key")
    assert out["placed"].tolist() == [False, True, True]
    assert out["placed_at_or_after"].tolist() == [False, True, False]
    assert out.loc["EK05-002", "ambulatory_help"] == "intensive_ambulatory_family"
    assert out.loc["EK05-003", "placement"] == "residential_24h"
    assert out.loc["EK05-003", "placement_months"] == 5
    assert out["any_ambulatory_help"].tolist() == [False, True, True]


def test_scoring_of_the_embedded_export_agrees_with_the_check(valid, records):
    frames = [valid[name] for name in EXPORTS]
    scores = pd.concat([care_concern_scores(f) for f in frames])
    by_id = {r["id"]: r["value"] for r in records}
    start = scores[(scores["moment"] == "start") & scores["raw_score"].notna()]
    total = start[start["scale"] == "total"]["raw_score"].astype(float)
    assert len(total) == by_id["yp:3.4:care_concerns_total:-:all:start:n"]
    assert math.isclose(total.mean(), by_id["yp:3.4:care_concerns_total:-:all:start:mean"])
    assert math.isclose(total.std(), by_id["yp:3.4:care_concerns_total:-:all:start:sd"])
    nine = resources(valid["zap_kort_9mnd.sav"])
    assert int(nine["placed_at_or_after"].sum()) == 16  # 14 + 2 children of table 9.4


def test_generator_items_match_the_model():
    generated = {d: [name for name, _, _ in items] for d, items in generator.ITEMS.items()}
    assert generated == DOMAIN_ITEMS


# (c) the export models ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXPORTS))
def test_embedded_export_validates(name, valid):
    assert len(valid[name]) == 79


def _rewrite(tmp_path, name: str, change) -> object:
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(RAW / name))
    frame = change(frame.copy())
    path = tmp_path / name
    write_sav(frame, path, value_labels=meta.variable_value_labels)
    return validate_export(read_export(path), EXPORTS[name], source=name)


def test_item_out_of_range_and_items_in_unscored_file_fail(tmp_path):
    def change(frame):
        scored = frame.index[frame["zp_info"] == 1]
        unscored = frame.index[frame["zp_info"] != 1]
        frame.loc[scored[0], "zp_k01"] = 2
        frame.loc[unscored[0], "zp_g01"] = 1
        return frame

    result = _rewrite(tmp_path, "zap_kort_3mnd.sav", change)
    assert not result.ok
    assert "zp_k01" in set(result.failures["column"])
    assert result.failures["rule"].str.contains("could not be scored").any()
    assert len(result.quarantined) == 2


def test_duration_of_an_ongoing_placement_fails(tmp_path):
    def change(frame):
        ongoing = frame.index[frame["uhp_lopend"] == 1]
        frame.loc[ongoing[0], "uhp_duur_mnd"] = 6
        frame.loc[frame.index[frame["uhp_soort"] == 0][0], "uhp_moment"] = 3
        return frame

    result = _rewrite(tmp_path, "zap_kort_9mnd.sav", change)
    rules = set(result.failures["rule"])
    assert any("duration is filled in exactly for the ended" in r for r in rules)
    assert any("timing of a placement" in r for r in rules)


def test_coding_before_the_period_fails(tmp_path):
    def change(frame):
        frame.loc[0, "codeerdatum"] = frame.loc[0, "peildatum"] - pd.Timedelta(days=10)
        return frame

    result = _rewrite(tmp_path, "zap_kort_aanvang.sav", change)
    assert any("must not precede the start" in r for r in result.failures["rule"])
    assert len(result.quarantined) == 1


def test_sysmis_items_are_few(valid):
    for name, frame in valid.items():
        scored = frame[frame["zp_info"] == 1]
        empty = int(scored[ITEM_COLUMNS].isna().sum().sum())
        assert 0 < empty <= 5, name
    assert np.all(valid["zap_kort_aanvang.sav"]["zp_info"].value_counts().sort_index() == [76, 3])
