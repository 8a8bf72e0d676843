"""Interviews (bureau WESP): published figures, the weighting of section 2.6, the models."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ekc.core.readers import read_export
from ekc.core.report.numbers import round_half_up
from ekc.youth_protection.clean.interviews import (
    FAMILY_ROLES,
    case_counts,
    case_weights,
    interview_scores,
    link_problems,
    unit_opinions,
    weighted_shares,
)
from ekc.youth_protection.schemas import validate as validate_export
from ekc.youth_protection.schemas.interviews import (
    PROFESSIONAL,
    InterviewCases,
    InterviewChildren,
    Interviews,
    InterviewStatements,
)
from ekc_synthetic import interviews as generator
from ekc_synthetic.writers import write_excel

from .conftest import ROOT

RAW = ROOT / "resources" / "raw"
PUBLISHED = ROOT / "resources" / "published"
WORKBOOK = RAW / "interviews.xlsx"
SHEETS = {
    "casussen": InterviewCases,
    "kinderen": InterviewChildren,
    "interviews": Interviews,
    "uitspraken": InterviewStatements,
}
EXACT = {"n", "count", "min", "max", "df", "df1", "df2"}
# Published ids about the interviews that no data can give: a count of situations listed
# in the text (7.4) and a researchers' observation on the decision process (9.4).
NOT_FROM_DATA = {
    "yp:text7:n_risk_situations:-:interview_ekc:-:count",
    "yp:text9:decision_clear:-:interview_ekc:9m:pct",
}


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
    for sheet, model in SHEETS.items():
        outcome = validate_export(read_export(WORKBOOK, sheet=sheet), model, source=sheet)
        assert outcome.ok, outcome.summary()
        result[sheet] = outcome.valid
    return result


@pytest.fixture(scope="module")
def scores(valid) -> pd.DataFrame:
    return interview_scores(valid["casussen"], valid["interviews"], valid["uitspraken"])


def _matches(value: object, row: pd.Series) -> bool:
    try:
        printed = float(row["value"])
    except ValueError:
        return value == row["value"]  # verdicts ('n.s.') and '>50'
    if not isinstance(value, float):
        return False
    if row["statistic"] in EXACT:
        return value == printed
    if row["statistic"] == "pct":  # a percentage is right when it rounds to the printed one
        return round_half_up(value, int(row["decimals"] or 0)) == printed
    decimals = int(row["decimals"] or 0)
    return abs(value - printed) <= 0.5 * 10**-decimals + 1e-9


# (a) the generator's check against the published figures -------------------------------


def test_every_check_id_is_published_once(records, published):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert sorted(set(ids) - set(published.index)) == []


def test_check_values_equal_published_values(records, published):
    deviating = {r["id"] for r in records if not _matches(r["value"], published.loc[r["id"]])}
    assert deviating == generator.KNOWN_DEVIATIONS
    for r in records:
        if r["id"] in deviating:
            assert r["note"], r["id"]
        assert r["method"].startswith("generator check: ")


def test_all_interview_figures_are_covered(records, published):
    def in_scope(row: pd.Series) -> bool:
        if row["table"] in {"3.10", "3.11", "4.2"}:
            return row["group"] in {"interview_ekc", "shadow"}
        if row["table"] in {"text6", "text7", "text8", "text9"}:
            return any(g in row["group"] for g in ("interview", "shadow", "family_network"))
        return False

    wanted = {i for i, row in published.iterrows() if in_scope(row)} - NOT_FROM_DATA
    assert wanted <= {r["id"] for r in records}


def test_interview_counts_follow_chapter_2(valid):
    interviews = valid["interviews"].merge(valid["casussen"][["gezinsnr", "groep"]])
    roles = interviews.groupby(["groep", "rol"]).size()
    assert roles["EKc"].to_dict() == {
        PROFESSIONAL: 10,
        "ouder": 6,
        "kind": 7,
        "gezinsinformant": 11,
    }
    assert roles["schaduw"].to_dict() == {
        PROFESSIONAL: 11,
        "ouder": 4,
        "kind": 1,
        "gezinsinformant": 2,
    }
    cases = valid["casussen"]
    ekc = cases[cases["groep"] == "EKc"]["gezinsnr"]
    with_professional = interviews[interviews["rol"] == PROFESSIONAL]["gezinsnr"]
    assert ekc.isin(with_professional).sum() == 9  # one referrer declined
    assert with_professional.value_counts().max() == 2  # one case handed over


def test_ekc_cases_are_interviewed_design_families(valid):
    from ekc_synthetic.cli import DEFAULT_SEED, instrument_rng
    from ekc_synthetic.families import design_frame

    design = design_frame(instrument_rng(DEFAULT_SEED, "design"))
    chosen = design[design["interviewed"]]
    cases = valid["casussen"]
    ekc = set(cases.loc[cases["groep"] == "EKc", "gezinsnr"])
    assert ekc == set(chosen["family_key"])
    assert (chosen["status"] == "plan").all() and (chosen["participation"] == "active").all()
    assert not chosen["restgroep"].any()
    assert (cases["kind_leeftijd_besluit"] >= 8).all()
    shadow = cases[cases["groep"] == "schaduw"]
    assert set(shadow["koppel_gezinsnr"]) <= ekc
    assert not set(shadow["gezinsnr"]) & set(design["family_key"])


# (b) the weighting and the shares ------------------------------------------------------


def _case_frames(sizes: dict[str, list[str]], group: str = "EKc"):
    cases = pd.DataFrame({"gezinsnr": list(sizes), "groep": group})
    rows = []
    for key, roles in sizes.items():
        for j, role in enumerate(roles):
            rows.append(
                {
                    "interviewnr": f"INT-{len(rows) + 1:03d}",
                    "gezinsnr": key,
                    "rol": role,
                    "datum_interview": pd.Timestamp("2007-05-01") + pd.Timedelta(days=j),
                }
            )
    return cases, pd.DataFrame(rows)


def test_weight_of_the_report_example():
    # a case with five interviews counts 4.6 / 5 = 0.92 per interview (section 2.6)
    cases, interviews = _case_frames(
        {"EK06-001": [PROFESSIONAL, "ouder", "kind", "gezinsinformant", "gezinsinformant"]}
    )
    weights = case_weights(interviews, cases, mean_per_case=4.6)
    assert weights["gewicht"].round(10).tolist() == [0.92] * 5


def test_two_professionals_of_one_case_are_one_unit():
    cases, interviews = _case_frames(
        {
            "EK06-001": [PROFESSIONAL, PROFESSIONAL, "ouder", "kind", "gezinsinformant"],
            "EK06-002": [PROFESSIONAL, "ouder"],
        }
    )
    weights = case_weights(interviews, cases).set_index("eenheid")
    # case 1: 4 units (not 5), case 2: 2 units; mean 3 per case
    assert weights.loc[f"EK06-001:{PROFESSIONAL}", "n_interviews"] == 2
    assert weights.groupby("gezinsnr")["n_eenheden"].first().to_dict() == {
        "EK06-001": 4,
        "EK06-002": 2,
    }
    assert math.isclose(weights.loc[f"EK06-001:{PROFESSIONAL}", "gewicht"], 3 / 4)
    assert math.isclose(weights.loc[f"EK06-002:{PROFESSIONAL}", "gewicht"], 3 / 2)
    # every case weighs the same in total, and the weights add up to the number of units
    totals = weights.groupby("gezinsnr")["gewicht"].sum()
    assert totals.round(10).nunique() == 1
    assert math.isclose(weights["gewicht"].sum(), 6)


def _statements(codes: dict[str, list[str]], theme: str = "regie") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"interviewnr": number, "thema": theme, "code": code}
            for number, code_list in codes.items()
            for code in code_list
        ]
    )


def test_merged_professionals_take_the_latest_known_opinion():
    cases, interviews = _case_frames({"EK06-001": [PROFESSIONAL, PROFESSIONAL, "ouder"]})
    # INT-001 (earlier) knows, INT-002 (later) does not: the known code is kept
    statements = _statements(
        {"INT-001": ["meer bij familie"], "INT-002": ["onbekend"], "INT-003": ["gelijk"]}
    )
    opinions = unit_opinions(statements, interviews, cases).set_index("eenheid")
    assert opinions.loc[f"EK06-001:{PROFESSIONAL}", "code"] == "meer bij familie"
    # both know: the later interview (the current guardian) decides
    statements = _statements(
        {"INT-001": ["meer bij familie"], "INT-002": ["gelijk"], "INT-003": ["gelijk"]}
    )
    opinions = unit_opinions(statements, interviews, cases).set_index("eenheid")
    assert opinions.loc[f"EK06-001:{PROFESSIONAL}", "code"] == "gelijk"


def test_weighted_shares_by_hand():
    # case A: professional + 3 family (4 units, weight m/4); case B: professional + 1 (m/2)
    cases, interviews = _case_frames(
        {
            "EK06-001": [PROFESSIONAL, "ouder", "kind", "gezinsinformant"],
            "EK06-002": [PROFESSIONAL, "ouder"],
        }
    )
    statements = _statements(
        {
            "INT-001": ["toegenomen"],
            "INT-002": ["toegenomen"],
            "INT-003": ["afgenomen"],
            "INT-004": ["onbekend"],
            "INT-005": ["gelijk"],
            "INT-006": ["afgenomen"],
        },
        theme="steun",
    )
    scores = interview_scores(cases, interviews, statements)
    everyone = weighted_shares(scores, "steun", "EKc").set_index("code")
    # per case shares: A = (1/2 up, 1/4 down, 1/4 unknown), B = (1/2 same, 1/2 down)
    assert math.isclose(everyone.loc["toegenomen", "pct"], 25.0)
    assert math.isclose(everyone.loc["afgenomen", "pct"], 37.5)
    assert math.isclose(everyone.loc["gelijk", "pct"], 25.0)
    assert math.isclose(everyone.loc["onbekend", "pct"], 12.5)  # unknown stays in the base
    assert math.isclose(everyone["weighted_n"].sum(), 6.0)
    family = weighted_shares(scores, "steun", "EKc", FAMILY_ROLES).set_index("code")
    # family units: A's three at m/4 = 0.75 each, B's one at m/2 = 1.5 (m = 3)
    assert math.isclose(family.loc["toegenomen", "pct"], 100 * 0.75 / 3.75)
    assert math.isclose(family.loc["afgenomen", "pct"], 100 * 2.25 / 3.75)
    counts = case_counts(scores, "steun", "EKc")
    assert counts.to_dict() == {"toegenomen": 1, "gelijk": 1, "afgenomen": 0, "onbekend": 0}
    direction = scores.set_index("eenheid")["direction"]
    assert direction["INT-003"] == -1 and direction[f"EK06-002:{PROFESSIONAL}"] == 0
    assert pd.isna(direction["INT-004"])


def test_shares_do_not_depend_on_the_constant(valid):
    default = interview_scores(valid["casussen"], valid["interviews"], valid["uitspraken"])
    printed = interview_scores(
        valid["casussen"], valid["interviews"], valid["uitspraken"], mean_per_case=4.6
    )
    for theme in ("veiligheid", "steun", "regie", "contact"):
        a = weighted_shares(default, theme, "EKc", FAMILY_ROLES)["pct"]
        b = weighted_shares(printed, theme, "EKc", FAMILY_ROLES)["pct"]
        assert a.round(9).tolist() == b.round(9).tolist()


def test_scoring_of_the_embedded_export_agrees_with_the_check(scores, records):
    by_id = {r["id"]: r["value"] for r in records}
    safety = weighted_shares(scores, "veiligheid", "EKc", FAMILY_ROLES).set_index("code")
    assert math.isclose(
        safety.loc["verslechterd", "pct"],
        by_id["yp:text6:safety_change_family:worse:interview_ekc:9m:pct"],
    )
    control = weighted_shares(scores, "regie", "EKc").set_index("code")
    assert math.isclose(
        control.loc["meer bij familie", "pct"],
        by_id["yp:text8:control_shift:more_with_family:interview_ekc:9m:pct"],
    )
    shadow = weighted_shares(scores, "steun", "schaduw", [PROFESSIONAL]).set_index("code")
    assert math.isclose(
        shadow.loc["afgenomen", "pct"],
        by_id["yp:text7:support_change_referrer:decreased:shadow:9m:pct"],
    )
    referrers = case_counts(scores, "veiligheid", "EKc")
    assert (
        referrers["verbeterd"]
        == by_id["yp:text6:safety_change_referrer:safer:interview_ekc:9m:count"]
    )
    # every case weighs the same within its group
    totals = scores[scores["scale"] == "regie"].groupby(["groep", "family_key"])["weight"].sum()
    for group in ("EKc", "schaduw"):
        assert totals[group].round(9).nunique() == 1


def test_workbook_links(valid):
    assert (
        link_problems(
            valid["casussen"], valid["kinderen"], valid["interviews"], valid["uitspraken"]
        )
        == []
    )
    stray = valid["interviews"].copy()
    stray.loc[0, "gezinsnr"] = "SCH-99"
    problems = link_problems(valid["casussen"], valid["kinderen"], stray, valid["uitspraken"])
    assert any("SCH-99" in p for p in problems)
    fewer = valid["uitspraken"].iloc[1:]
    problems = link_problems(valid["casussen"], valid["kinderen"], valid["interviews"], fewer)
    assert any("every theme" in p for p in problems)


# (c) the export models ----------------------------------------------------------------


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_embedded_sheets_validate(sheet, valid):
    expected = {"casussen": 21, "kinderen": 13, "interviews": 52, "uitspraken": 208}
    assert len(valid[sheet]) == expected[sheet]


def _rewrite(tmp_path, change) -> dict:
    sheets = pd.read_excel(WORKBOOK, sheet_name=None, dtype=object)
    change(sheets)
    path = tmp_path / "interviews.xlsx"
    write_excel(sheets, path)
    return {s: validate_export(read_export(path, sheet=s), m, source=s) for s, m in SHEETS.items()}


def test_broken_rows_are_quarantined(tmp_path):
    def change(sheets):
        cases, kids = sheets["casussen"], sheets["kinderen"]
        interviews, statements = sheets["interviews"], sheets["uitspraken"]
        ekc = cases.index[cases["groep"] == "EKc"]
        cases.loc[ekc[0], "koppel_gezinsnr"] = cases.loc[ekc[1], "gezinsnr"]
        cases.loc[ekc[2], "kind_leeftijd_interview"] = (
            cases.loc[ekc[2], "kind_leeftijd_besluit"] + 2
        )
        kids.loc[kids.index[kids["hoofdpersoon"] == "nee"][0], "hoofdpersoon"] = "ja"
        family = interviews.index[interviews["rol"] != PROFESSIONAL]
        interviews.loc[family[0], "aanmelder_id"] = "AM-01"
        regie = statements.index[statements["thema"] == "regie"]
        statements.loc[regie[0], "code"] = "verbeterd"
        known = statements.index[statements["code"] != "onbekend"]
        statements.loc[known[5], "bron"] = None

    result = _rewrite(tmp_path, change)
    rules = {s: " | ".join(r.failures["rule"]) for s, r in result.items()}
    assert "names the EKc case it was matched to" in rules["casussen"]
    assert "nine months later" in rules["casussen"]
    assert len(result["casussen"].quarantined) == 2
    assert "exactly one child" in rules["kinderen"]
    assert "referrer id is filled in exactly" in rules["interviews"]
    assert "not one of the codes of its theme" in rules["uitspraken"]
    assert "source (stelling/citaat/context)" in rules["uitspraken"]
    assert len(result["uitspraken"].quarantined) == 2


def test_missing_items_are_few_and_explicit(valid):
    statements = valid["uitspraken"]
    unknown = statements["code"] == "onbekend"
    assert 0 < unknown.sum() <= 20
    assert statements.loc[unknown, "bron"].isna().all()
    cases = valid["casussen"]
    assert cases["jeugdbescherming"].isna().sum() == 2  # EKc cases, unknown measure
    assert valid["kinderen"]["etniciteit"].isna().sum() == 1
