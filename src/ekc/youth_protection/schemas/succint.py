"""SuccInt ('Succes van de Interventie'): the referrer's and the family informant's questionnaire.

Filled in 3 and 9 months after the conference for the prospective families with a
conference (chapter 2; tables 6.4-6.6, 7.4, 8.1 and 8.2 of the youth-protection report).
The layout is defined here once: the generator writes it, the models validate it and
`ekc.youth_protection.clean.succint` scores it.

Exports (long: one row per family and moment, keyed by `gezinsnr` + `meetmoment`):
- `succint_aanmelder.sav`: the referrer (gezinsvoogd / aanmelder); the three scales, the new
  living place and, for referrers only, the marks for burden and capacity and the change in
  their balance;
- `succint_gezinsinformant.sav`: the family informant chosen at the conference; the three
  scales and the new living place.

Item set (the report prints only the scale maxima: 20 for safety and well-being, 16 for
social support; the control scale's maximum is not printed). The item counts follow from the
published means and sds, which are not whole-number sums for the printed n's: they are
reached only when a respondent with one missing item gets a prorated score, and the
fractions that occur (and the parity of the sums of squares) rule out, for example, 5
safety items 0-4 or 4 support items 0-4. Chosen: 10 safety items 0-2 (ninths), 8 support
items 0-2 (sevenths), 8 control statements 0/1 (sevenths). See docs/instruments/succint.md.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.youth_protection.schemas.fields import family_key, public_field

# --------------------------------------------------------------------------------------
# Layout shared by generator, models and scoring

MOMENT_LABELS = {1: "3 maanden", 2: "9 maanden"}
FIRST_DATE = pd.Timestamp("2006-01-01")
LAST_DATE = pd.Timestamp("2008-12-31")

# Safety and well-being of the child(ren), compared with the time of the conference:
# 10 items scored 0-2 (max 20; 10 = unchanged). vw_04 and vw_05 ask about concerns, so
# 'more' is worse: reverse-keyed.
SAFETY_ITEMS = [f"vw_{i:02d}" for i in range(1, 11)]
SAFETY_RANGE = (0, 2)
SAFETY_REVERSED = ["vw_04", "vw_05"]
SAFETY_TEXTS = [
    "Fysieke veiligheid van het kind/de kinderen thuis",
    "Basale verzorging (eten, kleding, hygiene)",
    "Medische zorg voor het kind/de kinderen",
    "Zorgen over lichamelijk geweld tegen het kind",
    "Zorgen over seksueel misbruik of verwaarlozing",
    "Vertrouwen in de continuiteit van de dagelijkse zorg",
    "Vaste dagelijkse structuur (eten, slapen, school)",
    "Schoolgang of dagbesteding van het kind",
    "Emotioneel welzijn van het kind",
    "Welzijn van het kind/de kinderen in het algemeen",
]
SAFETY_LABELS = {0: "slechter", 1: "gelijk gebleven", 2: "beter"}
SAFETY_LABELS_REVERSED = {0: "minder", 1: "gelijk gebleven", 2: "meer"}

# Social support for the family since the conference: 8 items scored 0-2 (max 16; 8 =
# unchanged); ss_07 asks about quarrels: reverse-keyed.
SUPPORT_ITEMS = [f"ss_{i:02d}" for i in range(1, 9)]
SUPPORT_RANGE = (0, 2)
SUPPORT_REVERSED = ["ss_07"]
SUPPORT_TEXTS = [
    "Aantal mensen uit familie en netwerk dat het gezin steunt",
    "Praktische hulp uit het netwerk (oppas, vervoer, huishouden)",
    "Emotionele steun voor de ouder(s)",
    "Steun voor het kind/de kinderen",
    "Contact tussen de ouder(s) en de familie",
    "Samenhang binnen familie en netwerk",
    "Ruzies en conflicten binnen familie en netwerk",
    "Familie en netwerk nemen verantwoordelijkheid voor het kind",
]
SUPPORT_LABELS = {0: "minder", 1: "gelijk gebleven", 2: "meer"}

# Control ('regie') since the conference: 8 statements, nee (0) / ja (1), max 8; a higher
# score means control lies more with the family and its network. rs_08 (the professionals
# take the important decisions) is reverse-keyed.
CONTROL_ITEMS = [f"rs_{i:02d}" for i in range(1, 9)]
CONTROL_RANGE = (0, 1)
CONTROL_REVERSED = ["rs_08"]
CONTROL_TEXTS = [
    "Het gezin vraagt sneller om hulp als dat nodig is",
    "De hoeveelheid professionele hulp in het gezin is afgenomen",
    "Familie en netwerk nemen zelf beslissingen over de zorg voor het kind",
    "Familie en netwerk zien zelf toe op de veiligheid van het kind",
    "Het gezin spreekt zelf de familie aan als afspraken niet worden nagekomen",
    "Het gezin voert zelf de regie over de uitvoering van het plan",
    "Het netwerk vangt het gezin op bij tegenslag zonder tussenkomst van hulpverleners",
    "De hulpverlening neemt de belangrijke beslissingen over het kind",
]
CONTROL_LABELS = {0: "nee", 1: "ja"}

SCALES = {
    "safety_wellbeing": (SAFETY_ITEMS, SAFETY_RANGE, SAFETY_REVERSED),
    "social_support": (SUPPORT_ITEMS, SUPPORT_RANGE, SUPPORT_REVERSED),
    "control": (CONTROL_ITEMS, CONTROL_RANGE, CONTROL_REVERSED),
}
# At most this many missing items for a scale to be scored (prorated); otherwise missing.
MAX_MISSING_ITEMS = 1

# New living place of the child since the conference: yes/no, then its judgement.
LIVING_PLACE_LABELS = {0: "nee, woonplek is niet veranderd", 1: "ja"}
LIVING_PLACE_JUDGEMENT_LABELS = {
    1: "ongunstiger",
    2: "niet gunstiger of ongunstiger",
    3: "wel wat gunstiger",
    4: "veel gunstiger",
    9: "ik heb geen zicht op de nieuwe woonplek",
}

# Referrers only: marks 1-10 for the family's burden and capacity, and the change in their
# balance since the conference.
MARK_RANGE = (1, 10)
BALANCE_LABELS = {
    1: "ongunstiger",
    2: "gelijk gebleven",
    3: "wel wat gunstiger",
    4: "veel gunstiger",
    9: "geen zicht op",
}
FUNCTION_LABELS = {1: "gezinsvoogd", 2: "hulpverlener Bureau Jeugdzorg", 3: "anders"}
RELATION_LABELS = {
    1: "grootouder",
    2: "oom of tante",
    3: "ander familielid",
    4: "vriend(in), kennis of buur",
    5: "anders",
}

ITEMS = SAFETY_ITEMS + SUPPORT_ITEMS + CONTROL_ITEMS
REFERRER_COLUMNS = [
    "gezinsnr",
    "meetmoment",
    "invuldatum",
    "functie",
    *ITEMS,
    "woonplek",
    "woonplek_oordeel",
    "rc_draaglast",
    "rc_draagkracht",
    "verh_dkdl",
]
INFORMANT_COLUMNS = [
    "gezinsnr",
    "meetmoment",
    "invuldatum",
    "relatie",
    *ITEMS,
    "woonplek",
    "woonplek_oordeel",
]


# --------------------------------------------------------------------------------------
# Models


def _model(name: str, doc: str, fields: dict[str, object], checks: dict[str, object]) -> type:
    annotations = {}
    namespace: dict[str, object] = {"__doc__": doc, "__module__": __name__}
    for attr, (dtype, field) in fields.items():
        annotations[attr] = Series[dtype]
        namespace[attr] = field
    namespace["__annotations__"] = annotations
    namespace.update(checks)
    return type(name, (pa.DataFrameModel,), namespace)


def _items(names: list[str], low: int, high: int) -> dict[str, tuple]:
    return {
        n: (pd.Int64Dtype, public_field(alias=n, ge=low, le=high, nullable=True)) for n in names
    }


def _code(alias: str, codes: dict[int, str], *, nullable: bool = True) -> tuple:
    return (pd.Int64Dtype, public_field(alias=alias, isin=list(codes), nullable=nullable))


@pa.dataframe_check(error="the questionnaire is empty: no scale item and no living place answered")
def _not_empty(cls, df: pd.DataFrame) -> Series[bool]:
    return df[ITEMS + ["woonplek"]].notna().any(axis=1)


@pa.dataframe_check(error="the fill-in date lies outside the study period (2006-2008)")
def _date_in_study(cls, df: pd.DataFrame) -> Series[bool]:
    return df["invuldatum"].isna() | df["invuldatum"].between(FIRST_DATE, LAST_DATE)


@pa.dataframe_check(error="a family has more than one questionnaire for the same moment")
def _one_per_moment(cls, df: pd.DataFrame) -> Series[bool]:
    return ~df.duplicated(["gezinsnr", "meetmoment"], keep=False)


@pa.dataframe_check(
    error="woonplek_oordeel must be filled in when woonplek = 1 (ja) and empty when woonplek "
    "= 0 (niet veranderd)"
)
def _living_place_routing(cls, df: pd.DataFrame) -> Series[bool]:
    changed = df["woonplek"] == 1
    judged = df["woonplek_oordeel"].notna()
    unchanged = df["woonplek"] == 0
    return (
        (changed & judged).fillna(False)
        | (unchanged & ~judged).fillna(False)
        | (df["woonplek"].isna() & ~judged)
    )


_COMMON_FIELDS = {
    "family": (str, family_key("gezinsnr", unique=False)),
    "moment": _code("meetmoment", MOMENT_LABELS, nullable=False),
    "filled_in": (pa.DateTime, public_field(alias="invuldatum", nullable=False)),
}
_ITEM_FIELDS = {
    **_items(SAFETY_ITEMS, *SAFETY_RANGE),
    **_items(SUPPORT_ITEMS, *SUPPORT_RANGE),
    **_items(CONTROL_ITEMS, *CONTROL_RANGE),
    "living_place": _code("woonplek", LIVING_PLACE_LABELS),
    "living_place_judgement": _code("woonplek_oordeel", LIVING_PLACE_JUDGEMENT_LABELS),
}
_CHECKS = {
    "not_empty": _not_empty,
    "date_in_study": _date_in_study,
    "one_per_moment": _one_per_moment,
    "living_place_routing": _living_place_routing,
}

SuccintAanmelder = _model(
    "SuccintAanmelder",
    "SuccInt filled in by the referrer at 3 (meetmoment 1) and 9 months (2) after the "
    "conference: scales, new living place, marks for burden and capacity, their balance.",
    {
        **_COMMON_FIELDS,
        "function": _code("functie", FUNCTION_LABELS),
        **_ITEM_FIELDS,
        "burden_mark": (
            pd.Int64Dtype,
            public_field(alias="rc_draaglast", ge=MARK_RANGE[0], le=MARK_RANGE[1], nullable=True),
        ),
        "capacity_mark": (
            pd.Int64Dtype,
            public_field(alias="rc_draagkracht", ge=MARK_RANGE[0], le=MARK_RANGE[1], nullable=True),
        ),
        "balance_change": _code("verh_dkdl", BALANCE_LABELS),
    },
    _CHECKS,
)

SuccintGezinsinformant = _model(
    "SuccintGezinsinformant",
    "SuccInt filled in by the family informant at 3 (meetmoment 1) and 9 months (2) after "
    "the conference: scales and new living place.",
    {
        **_COMMON_FIELDS,
        "relation": _code("relatie", RELATION_LABELS),
        **_ITEM_FIELDS,
    },
    _CHECKS,
)

MODELS = {
    "succint_aanmelder": SuccintAanmelder,
    "succint_gezinsinformant": SuccintGezinsinformant,
}
