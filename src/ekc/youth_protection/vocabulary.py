"""The youth-protection study's vocabulary: its instruments and the category orders of the
tables that cleaning and the analyses fill and the report lays out (one place for each).

Kept apart from the analysis modules so that the report job can read them without importing
scipy and statsmodels.
"""

# Table 3.1: the children of the families
N_CHILDREN_CATEGORIES = ["1", "2", "3", "4", "unknown"]
CHILD_VARIABLES = {
    "sex": ["boy", "girl", "unknown"],
    "age_group": ["unborn", "0_4", "5_12", "13_18", "19_25", "unknown"],
    "ethnicity": ["native_dutch", "migrant", "unknown"],
    "residence": [
        "home",
        "kinship_foster",
        "nonkin_foster",
        "residential_group",
        "other",
        "unknown",
    ],
}

# Table 4.1: the conference; published token -> (column in the family table, categories)
DURATION = ["1_3h", "3_5h", "5_8h", "20_24h", "unknown"]
PRIVATE = ["0_1h", "1_3h", "3_5h", "5_8h", "unknown"]
PRESENT = ["yes", "no", "unknown"]
CONFERENCE_VARIABLES = {
    "conference_duration": ("duration_band", DURATION),
    "private_time_duration": ("private_band", PRIVATE),
    "referrer_present": ("referrer_present", PRESENT),
}

# Table 5.1: the outcome of the conference after three months
OUTCOME_VARIABLES = {
    "plan_executed": ["fully", "not_fully", "not_at_all", "not_filled_in"],
    "evaluation_referrer_family": ["yes", "no", "not_filled_in"],
    "evaluation_family": ["yes", "no", "not_filled_in"],
}

# ZAP-Kort (chapter 9): ambulatory help and out-of-home placements; the SPSS codes are the
# positions in these lists (ekc.youth_protection.clean.zap).
AMBULATORY_HELP_TYPES = [
    "none",
    "families_first",
    "light_ambulatory_family",
    "intensive_ambulatory_family",
    "individual_therapy_child",
    "light_ambulatory_child",
    "other_help",
]
PLACEMENT_TYPES = [
    "none",
    "network_placement",
    "foster_care",
    "crisis_care_child",
    "residential_24h",
    "part_time_residential_24h",
    "day_treatment",
    "other",
]

# The study's instruments and their moments, for the methods appendix (names not translated).
INSTRUMENTS = [
    {"key": "frek", "name": "FREK", "moments": ["start"]},
    {"key": "fufrek", "name": "FUFREK", "moments": ["3m"]},
    {"key": "zap_kort", "name": "ZAP-Kort", "moments": ["start", "3m", "9m"]},
    {"key": "cvc", "name": "CVC", "moments": ["start"]},
    {"key": "nosik", "name": "NOSIK", "moments": ["start"]},
    {"key": "veo", "name": "VEO", "moments": ["start", "3m", "9m"]},
    {"key": "pul", "name": "PUL", "moments": ["start", "3m", "9m"]},
    {"key": "succint", "name": "SuccInt", "moments": ["3m", "9m"]},
    {"key": "interviews", "name": "Interviews", "moments": ["9m"]},
]
