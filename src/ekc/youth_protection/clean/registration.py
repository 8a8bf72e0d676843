"""Family and child tables from the case register and the FREK registration form."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ekc.core.pseudonym import pseudonym
from ekc.youth_protection.schemas.frek import PROBLEMS

PROBLEM_CODES = dict(
    zip(
        PROBLEMS,
        [
            "behaviour_child",
            "death_illness_parents",
            "psychiatric_parents",
            "addiction_parents",
            "domestic_violence",
            "various",
            "parenting",
            "relationship_parents",
            "neglect",
            "financial",
            "housing",
        ],
        strict=True,
    )
)
SEX = {"jongen": "boy", "meisje": "girl"}
ETHNICITY = {"autochtoon": "native_dutch", "allochtoon": "migrant"}
RESIDENCE = {
    "thuis": "home",
    "netwerkgezin": "kinship_foster",
    "bestandgezin": "nonkin_foster",
    "groep": "residential_group",
    "anders": "other",
}
AGENCY = {
    "Bureau Jeugdzorg": "youth_care_agency",
    "Raad voor de Kinderbescherming": "child_protection_board",
    "Andere instantie": "other_agency",
    "Combinatie van instanties": "combination",
}
PLAN_STATUS = {"ja": "plan", "nee": "no_plan", "onbekend": "plan_unknown"}
PARTICIPATION = {"actief": "active", "geen toestemming": "refused", "ingetrokken": "withdrawn"}
DOSSIER = {
    "geanalyseerd": "analysed",
    "niet gepland (restgroep)": "restgroep",
    "niet toegankelijk": "not_accessible",
    "niet te achterhalen": "not_traceable",
    "gearchiveerd": "archived",
    "overgedragen": "transferred",
}
HELP_DURATION = {
    "geen": "none",
    "0-1 jaar": "0_1",
    "1-2 jaar": "1_2",
    "2-5 jaar": "2_5",
    "5-10 jaar": "5_10",
    "> 10 jaar": "over_10",
}
# Bands of table 4.1 in hours, lower bound inclusive: [1,3) [3,5) [5,8] and 20-24; a
# duration outside every band is reported as such, never forced into one.
DURATION_BANDS = [(1, 3, "1_3"), (3, 5, "3_5"), (5, 8.0001, "5_8"), (20, 24.0001, "20_24")]
PRIVATE_BANDS = [(0, 1, "0_1"), (1, 3, "1_3"), (3, 5, "3_5"), (5, 8.0001, "5_8")]
EXECUTED = {"ja, geheel": "fully", "niet volledig": "partly", "nee, geheel niet": "not_at_all"}
YES_NO = {"ja": "yes", "nee": "no"}
# Age bands of table 3.1; upper bounds inclusive, in whole years at registration.
AGE_BANDS = [(0, 4, "0_4"), (5, 12, "5_12"), (13, 18, "13_18"), (19, 25, "19_25")]
UNKNOWN = "unknown"


def _mapped(series: pd.Series, mapping: dict[str, str]) -> pd.Series:
    return series.map(mapping).astype(object).where(series.notna(), UNKNOWN).astype(str)


def age_group(years: pd.Series) -> pd.Series:
    """Band of table 3.1; a birth date after registration is an unborn child."""
    result = pd.Series(UNKNOWN, index=years.index, dtype=object)
    result[years < 0] = "unborn"
    for low, high, label in AGE_BANDS:
        result[(years >= low) & (years <= high)] = label
    result[years > AGE_BANDS[-1][1]] = "over_25"
    return result.astype(str)


def hour_band(hours: pd.Series, bands: list[tuple[float, float, str]]) -> pd.Series:
    result = pd.Series(UNKNOWN, index=hours.index, dtype=object)
    result[hours.notna()] = "outside_bands"
    for low, high, label in bands:
        result[(hours >= low) & (hours < high)] = label
    return result.astype(str)


YOUTH_PROTECTION = {
    "geen": "none",
    "raadsmelding": "council_report",
    "vots": "provisional_supervision_order",
    "ots": "supervision_order",
}


def families_table(register: pd.DataFrame, frek: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """One row per registered family; the register decides the design, FREK adds content."""
    fam = pd.DataFrame(
        {
            "family_key": register["gezinsnummer"].astype(str),
            "arm": register["cohort"].map(
                {"retrospectief": "retrospective", "prospectief": "prospective"}
            ),
            "region": register["regio"].astype(str),
            "registration_date": register["aanmelddatum"],
            "conference": register["conferentie"] == "ja",
            "restgroep": register["restgroep"] == "ja",
            "participation": register["deelname"].map(PARTICIPATION).fillna("not_applicable"),
            "dossier": register["dossieronderzoek"].map(DOSSIER),
            "youth_protection": register["maatregel"].map(YOUTH_PROTECTION).fillna(UNKNOWN),
        }
    )
    fam["plan_status"] = register["plan"].map(PLAN_STATUS).fillna("no_conference")
    fam["group"] = np.where(fam["conference"], "conference", "no_conference")

    f = pd.DataFrame(
        {
            "family_key": frek["Gezinsnummer"].astype(str),
            "referrer_agency": _mapped(frek["Aanmelder instantie"], AGENCY),
            "n_children": frek["Aantal kinderen"].astype("Int64"),
            "frek_conference": frek["Conferentie gehouden"] == "ja",
            "conference_date": frek["Datum conferentie"],
            "help_duration": _mapped(frek["Duur hulpverlening"], HELP_DURATION),
            "duration_hours": frek["Duur conferentie (uur)"].astype("Float64"),
            "private_hours": frek["Duur besloten tijd (uur)"].astype("Float64"),
            "attendees": frek["Aantal aanwezigen"].astype("Int64"),
            "referrer_present": _mapped(frek["Aanmelder aanwezig"], YES_NO),
        }
    )
    f["duration_band"] = hour_band(f["duration_hours"], DURATION_BANDS)
    f["private_band"] = hour_band(f["private_hours"], PRIVATE_BANDS)
    flags = (
        frek[PROBLEMS]
        .astype("Int64")
        .rename(columns={p: f"problem_{c}" for p, c in PROBLEM_CODES.items()})
    )
    f = pd.concat([f, flags.set_axis(f.index)], axis=1)
    f["n_problems"] = flags.sum(axis=1).astype("Int64").values
    fam = fam.merge(f, on="family_key", how="left", validate="one_to_one", indicator="_frek")
    fam["has_frek"] = fam.pop("_frek") == "both"
    for column in ("help_duration", "duration_band", "private_band", "referrer_present"):
        fam[column] = fam[column].fillna(UNKNOWN)
    fam.insert(0, "family_id", [pseudonym(k, key) for k in fam.pop("family_key")])
    return fam.sort_values("family_id").reset_index(drop=True)


def children_table(children: pd.DataFrame, families: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """One row per child record on a FREK, with age at registration and the family's group."""
    kids = pd.DataFrame(
        {
            "family_key": children["Gezinsnummer"].astype(str),
            "family_id": [pseudonym(k, key) for k in children["Gezinsnummer"].astype(str)],
            "child_no": children["Kindnummer"].astype("Int64"),
            "sex": _mapped(children["Geslacht"], SEX),
            "ethnicity": _mapped(children["Etniciteit"], ETHNICITY),
            "residence": _mapped(children["Verblijfplaats"], RESIDENCE),
            "birth_date": children["Geboortedatum"],
        }
    )
    kids = kids.merge(
        families[["family_id", "group", "arm", "registration_date"]],
        on="family_id",
        how="left",
        validate="many_to_one",
    )
    days = (kids["registration_date"] - kids["birth_date"]).dt.days
    kids["age_years"] = np.floor(days / 365.25)
    kids["age_group"] = age_group(kids["age_years"])
    kids["child_id"] = [
        pseudonym(f"{k}-{n}", key, prefix="C")
        for k, n in zip(kids["family_key"], kids["child_no"], strict=True)
    ]
    keep = [
        "child_id",
        "family_id",
        "group",
        "arm",
        "sex",
        "age_years",
        "age_group",
        "ethnicity",
        "residence",
    ]
    return kids[keep].sort_values("child_id").reset_index(drop=True)


def fufrek_table(fufrek: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """The three-month follow-up: was the plan carried out, and was it evaluated?"""
    table = pd.DataFrame(
        {
            "family_id": [pseudonym(k, key) for k in fufrek["Gezinsnummer"].astype(str)],
            "follow_up_date": fufrek["Datum follow-up"],
            "plan_executed": _mapped(fufrek["Plan uitgevoerd"], EXECUTED),
            "evaluation_referrer_family": _mapped(
                fufrek["Evaluatie door aanmelder en familie"], YES_NO
            ),
            "evaluation_family": _mapped(fufrek["Evaluatie door familie"], YES_NO),
        }
    )
    return table.sort_values("family_id").reset_index(drop=True)


def dataset_info(register: pd.DataFrame, families: pd.DataFrame, children: pd.DataFrame) -> dict:
    """The data's as-of date (the latest registration or conference) and their size."""
    return {
        "as_of": max(register["aanmelddatum"].max(), families["conference_date"].max())
        .date()
        .isoformat(),
        "n_families": int(len(families)),
        "n_children": int(len(children)),
    }
