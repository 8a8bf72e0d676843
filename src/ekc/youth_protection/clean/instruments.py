"""Score every measurement instrument into tidy tables keyed by the pseudonymised family id.

The scoring itself lives in one module per instrument (`ekc.youth_protection.clean.zap`,
`.questionnaires`, `.succint`, `.interviews`); this module applies it to the validated
exports and replaces the case number (`family_key`) by its keyed hash (`family_id`) before
anything is written.
"""

from __future__ import annotations

import pandas as pd

from ekc.core.pseudonym import pseudonym
from ekc.youth_protection.clean import interviews as interview_scoring
from ekc.youth_protection.clean import questionnaires, succint, zap


def pseudonymise(frame: pd.DataFrame, key: bytes, column: str = "family_key") -> pd.DataFrame:
    """Replace a case-number column by `family_id` (first column); missing stays missing."""
    out = frame.copy()
    raw = out.pop(column)
    out.insert(0, "family_id", [None if pd.isna(k) else pseudonym(str(k), key) for k in raw])
    return out


def care_concerns(zap_exports: list[pd.DataFrame], key: bytes) -> pd.DataFrame:
    """ZAP-Kort at all moments: one row per family, moment and scale (chapter 6)."""
    scores = zap.care_concern_scores(pd.concat(zap_exports, ignore_index=True))
    return pseudonymise(scores, key).sort_values(["family_id", "moment", "scale"])


def case_file_resources(zap_nine_months: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Plan in the file, ambulatory help and placements, coded at 9 months (chapter 9)."""
    return pseudonymise(zap.resources(zap_nine_months), key).sort_values("family_id")


def parent_questionnaires(
    nosik: pd.DataFrame, veo: pd.DataFrame, pul: pd.DataFrame, norms: pd.DataFrame, key: bytes
) -> pd.DataFrame:
    """NOSIK, VEO and PUL scale scores with deviation scores and bands, long format."""
    scored = pd.concat(
        [
            questionnaires.score_nosik(nosik, norms),
            questionnaires.score_veo(veo, norms),
            questionnaires.score_pul(pul, norms),
        ],
        ignore_index=True,
    )
    return pseudonymise(scored, key).sort_values(["instrument", "scale", "family_id", "moment"])


def life_events(nosik: pd.DataFrame, key: bytes) -> pd.DataFrame:
    return pseudonymise(questionnaires.score_life_events(nosik), key).sort_values(
        ["family_id", "category"]
    )


def referrer_checklist(cvc: pd.DataFrame, key: bytes) -> pd.DataFrame:
    return pseudonymise(questionnaires.score_cvc(cvc), key).sort_values("family_id")


def succint_scores(referrers: pd.DataFrame, informants: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """SuccInt of both informants, one row per family, moment, informant and measure."""
    scored = pd.concat(
        [
            succint.score_succint(referrers, "referrer"),
            succint.score_succint(informants, "family_informant"),
        ],
        ignore_index=True,
    )
    return pseudonymise(scored, key).sort_values(["informant", "measure", "family_id", "moment"])


def interview_tables(
    cases: pd.DataFrame,
    children: pd.DataFrame,
    interviews: pd.DataFrame,
    statements: pd.DataFrame,
    key: bytes,
) -> dict[str, pd.DataFrame]:
    """Weighted interview scores plus the case and child sheets, with case numbers hashed.

    Cross-sheet problems (a statement of an unknown interview, a case without interviews)
    raise: the weights would be wrong without a word otherwise.
    """
    problems = interview_scoring.link_problems(cases, children, interviews, statements)
    if problems:
        raise ValueError("interviews.xlsx: sheets do not fit together:\n" + "\n".join(problems))
    scores = interview_scoring.interview_scores(cases, interviews, statements)
    # Respondent units are labelled with the case number: keep only a per-case ordinal.
    scores["eenheid"] = scores.groupby("family_key")["eenheid"].rank(method="dense").astype(int)
    case_table = pseudonymise(cases.drop(columns=["source_row"]), key, "gezinsnr")
    case_table["koppel_family_id"] = [
        None if pd.isna(k) else pseudonym(str(k), key) for k in case_table.pop("koppel_gezinsnr")
    ]
    case_table = case_table.drop(columns=["aanmelder_id"], errors="ignore")
    child_table = pseudonymise(children.drop(columns=["source_row"]), key, "gezinsnr")
    return {
        "scores": pseudonymise(scores, key).sort_values(["groep", "family_id", "eenheid", "scale"]),
        "cases": case_table.sort_values("family_id"),
        "children": child_table.sort_values(["family_id", "kindnr"]),
    }
