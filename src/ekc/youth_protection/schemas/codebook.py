"""The agreed meaning of the coded variables: code -> value label, per export model.

An SPSS export carries its own value labels. When a label differs from the codebook the
codes were probably recoded (1 = 'vader' where the study has 1 = 'moeder'), so the rows
with that code cannot be trusted; `ekc.core.validation` sets them aside. For text exports the
codebook only explains a failure ('3 maanden' is the label of code 1, not a code).
Only variables whose codes the scoring or the analysis interprets are listed.
"""

from __future__ import annotations

from ekc.youth_protection.schemas import questionnaires as q
from ekc.youth_protection.schemas import succint as s
from ekc.youth_protection.schemas import zap

# ZAP-Kort (the generator keeps its own copy; tests/test_fault_corpus.py checks they agree).
ZAP_MOMENT_LABELS = {0: "aanvang", 1: "3 maanden", 2: "9 maanden"}
ZP_INFO_LABELS = {
    1: "voldoende informatie, zorgpunten gescoord",
    2: "onvoldoende informatie in dossier",
    3: "geen rapportage over deze periode in dossier",
}
PRESENT_LABELS = {0: "niet aanwezig", 1: "aanwezig"}
PLAN_IN_FILE_LABELS = {
    1: "plan aanwezig",
    2: "geen plan, wel brief / aankondiging",
    3: "geen informatie over Eigen Kracht",
}
AMBULATORY_LABELS = {
    0: "geen ambulante hulp",
    1: "Families First",
    2: "licht ambulant gezin",
    3: "Intensief Ambulant Gezin (IAG)",
    4: "individuele therapie kind",
    5: "licht ambulant kind",
    6: "andere hulp",
}
PLACEMENT_LABELS = {
    0: "geen uithuisplaatsing",
    1: "netwerkplaatsing",
    2: "pleegzorg",
    3: "crisisopvang kind",
    4: "residentieel 24-uurs opvang/behandeling",
    5: "deeltijd residentieel 24-uurs opvang",
    6: "dagbehandeling",
    7: "anders",
}
PLACEMENT_TIMING_LABELS = {
    1: "voor de (aanmelding voor de) conferentie",
    2: "op de datum van de conferentie",
    3: "na de (aanmelding voor de) conferentie",
    9: "onbekend",
}
PLACEMENT_RUNNING_LABELS = {0: "beëindigd", 1: "loopt nog"}

# Parents' questionnaires: the direction of the answer scales matters (reverse-keyed items).
AGREE6_LABELS = {
    1: "helemaal mee oneens",
    2: "mee oneens",
    3: "een beetje mee oneens",
    4: "een beetje mee eens",
    5: "mee eens",
    6: "helemaal mee eens",
}
AGREE5_LABELS = {
    1: "helemaal niet waar",
    2: "niet waar",
    3: "soms waar",
    4: "waar",
    5: "helemaal waar",
}
TICKED_LABELS = {0: "niet aangekruist", 1: "aangekruist"}
NO_YES_LABELS = {0: "nee", 1: "ja"}

_ZAP = {
    "meetmoment": ZAP_MOMENT_LABELS,
    "zp_info": ZP_INFO_LABELS,
    **dict.fromkeys(zap.ITEM_COLUMNS, PRESENT_LABELS),
}
_SUCCINT = {
    "meetmoment": s.MOMENT_LABELS,
    **{
        c: s.SAFETY_LABELS_REVERSED if c in s.SAFETY_REVERSED else s.SAFETY_LABELS
        for c in s.SAFETY_ITEMS
    },
    **dict.fromkeys(s.SUPPORT_ITEMS, s.SUPPORT_LABELS),
    **dict.fromkeys(s.CONTROL_ITEMS, s.CONTROL_LABELS),
    "woonplek": s.LIVING_PLACE_LABELS,
    "woonplek_oordeel": s.LIVING_PLACE_JUDGEMENT_LABELS,
}

VALUE_LABELS: dict[type, dict[str, dict[int, str]]] = {
    zap.ZapKortAanvang: _ZAP,
    zap.ZapKort3mnd: _ZAP,
    zap.ZapKort9mnd: {
        **_ZAP,
        "plan_dossier": PLAN_IN_FILE_LABELS,
        "amb_hulp": AMBULATORY_LABELS,
        "uhp_soort": PLACEMENT_LABELS,
        "uhp_moment": PLACEMENT_TIMING_LABELS,
        "uhp_lopend": PLACEMENT_RUNNING_LABELS,
    },
    q.Cvc: {
        **dict.fromkeys(q.CVC_CHILD_ITEMS + q.CVC_FAMILY_ITEMS, TICKED_LABELS),
        "acute_crisis": NO_YES_LABELS,
        "kans_uhp": q.CVC_PLACEMENT_LABELS,
    },
    q.NosikAanvang: {
        "respondent": q.RESPONDENT_LABELS,
        **dict.fromkeys(q.NOSIK_ITEMS, AGREE6_LABELS),
        **dict.fromkeys(q.LIFE_EVENT_ITEMS, NO_YES_LABELS),
    },
    q.Veo: {
        "meetmoment": q.MOMENT_LABELS,
        "respondent": q.RESPONDENT_LABELS,
        **dict.fromkeys(q.VEO_ITEMS, AGREE5_LABELS),
    },
    q.Pul: {"meetmoment": q.MOMENT_LABELS},
    s.SuccintAanmelder: {
        **_SUCCINT,
        "functie": s.FUNCTION_LABELS,
        "verh_dkdl": s.BALANCE_LABELS,
    },
    s.SuccintGezinsinformant: {**_SUCCINT, "relatie": s.RELATION_LABELS},
}
