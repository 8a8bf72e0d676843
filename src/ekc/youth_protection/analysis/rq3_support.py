"""Research question 3: do conferences increase social support for the parents? (chapter 7)

Published figures (tables 7.1-7.4 and the running text of chapter 7):
- VEO (experienced support in upbringing) and PUL social optimism: deviation-score bands at
  the start, 3 and 9 months (7.1, 7.3), VEO means (7.2), response, and the tests over the
  moments: chi-square moments x bands (Pearson, the bands as nominal) and a
  repeated-measures ANOVA of the VEO deviation (families with all three moments);
- SuccInt social support by referrers and family informants at 3 and 9 months (7.4), the
  paired t-test 3 vs 9 months per informant type and Student's t-test referrers vs family
  informants per moment;
- interview statements on support from family and network, weighted per case
  (section 2.6, `ekc.youth_protection.clean.interviews`): shares of referrers and
  family-side respondents in the EKc cases and of referrers in the shadow cases.

Table 7.1 counts every returned questionnaire: the one VEO at 3 months that is too
incomplete to score sits in its first band ('none'), as the report's recode without a
missing category evidently did (22 returned, 21 scored: tables 7.1 vs 7.2). The published
ids follow the report; tables `7.1x` / `7.3x` give the bands of the scored questionnaires.

Beyond the report (ids with an `x` table token): Hedges' g / g_av and Cramér's V with 95%
CIs, extra tests (paired t start -> 3 / 9 months, one-sided: more support expected; the
ANOVA of PUL social optimism; referrers vs informants per moment; EKc vs shadow referrers),
linear mixed models over the three moments, and Holm-adjusted p-values over every test of
this research question (`p_holm`). The attrition analysis
(`ekc.youth_protection.analysis.attrition`) is written by the same rule, with its own Holm family.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
from scipy import stats

from ekc.core.stats.describe import category_counts, numeric_summary, share
from ekc.core.stats.effects import cramers_v, hedges_g, hedges_g_paired
from ekc.core.stats.finish import (
    count_record,
    effect_record,
    finish,
    record_of_test,
    verdict_over,
)
from ekc.core.stats.inference import one_sample_t, paired_t, pearson_chi2, student_t, verdict
from ekc.core.stats.models import fit_random_intercept, rm_anova_oneway, rm_anova_test
from ekc.core.stats.records import ESTIMATED, NOT_ESTIMABLE, not_estimable, record, record_id
from ekc.youth_protection.analysis import attrition
from ekc.youth_protection.clean.interviews import FAMILY_ROLES, case_counts, weighted_shares
from ekc.youth_protection.clean.questionnaires import BANDS, CUT_POINTS
from ekc.youth_protection.schemas.interviews import CODES, PROFESSIONAL
from ekc.youth_protection.schemas.succint import SCALES as SUCCINT_SCALES

MOMENTS = ("start", "3m", "9m")
FOLLOW_UPS = ("3m", "9m")
PARENTS = "parents"
INFORMANTS = ("referrer", "family_informant")
HOLM_FAMILY = "rq3"
# Questionnaire scales of this chapter: (instrument, scale) -> (band table, variable token).
BAND_TABLES = {
    ("veo", "total"): ("7.1", "veo_deviation_band"),
    ("pul", "social_optimism"): ("7.3", "pul_social_optimism_band"),
}
DEVIATIONS = {
    ("veo", "total"): ("7.2", "veo_deviation"),
    ("pul", "social_optimism"): ("7.3x", "pul_social_optimism_deviation"),
}
SUPPORT = "social_support"
# SuccInt items rate change since the conference: 0 less, 1 unchanged, 2 more.
UNCHANGED_CODE = 1
SUPPORT_VARIABLE = "social_support_score"
# Interview theme 'steun' and its codes in the report's words.
THEME = "steun"
CODE_LABELS = dict(
    zip(CODES[THEME], ("increased", "unchanged", "decreased", "unknown"), strict=True)
)
INTERVIEW_GROUPS = {"EKc": "interview_ekc", "schaduw": "shadow"}
ROLE_SETS = {
    "referrer": (PROFESSIONAL,),
    "family": FAMILY_ROLES,
    "all": None,
}
# Interview figures the report prints (role set, group); the other combinations are extra.
PRINTED_SHARES = {
    ("referrer", "interview_ekc"),
    ("family", "interview_ekc"),
    ("referrer", "shadow"),
}
TEST_COLUMNS = ["id", "label", "test", "statistic", "df", "df2", "p", "alternative", "verdict"]
TEST_COLUMNS += ["p_holm", "n", "effect", "estimate", "ci_low", "ci_high", "status", "reason"]
LOG = logging.getLogger(__name__)


def _x(table: str) -> str:
    return table if table.endswith("x") else f"{table}x"


def _active_base(families: pd.DataFrame) -> int:
    """The report's response base: prospective families taking part actively (52)."""
    active = (families["arm"] == "prospective") & (families["participation"] == "active")
    return int(active.sum())


def _scale(questionnaires: pd.DataFrame, instrument: str, scale: str) -> pd.DataFrame:
    part = questionnaires[
        (questionnaires["instrument"] == instrument) & (questionnaires["scale"] == scale)
    ]
    return part.sort_values(["moment", "family_id"]).reset_index(drop=True)


# --- tables 7.1 and 7.3: bands ---------------------------------------------------------


def _limit_record(study: str, table: str, variable: str, k: int) -> dict:
    """Printed band limits of band k on the deviation scale (low is bad: negative limits).
    A cut point between two printed limits (1.285) prints as 1.28 | 1.29."""
    lower = math.ceil(round(CUT_POINTS[k - 1] * 100, 6)) / 100 if k else None
    upper = math.floor(round(CUT_POINTS[k] * 100, 6)) / 100 if k < len(CUT_POINTS) else None
    if k == 0:
        limits = {"band_gt": -CUT_POINTS[0]}
    elif upper is None:
        limits = {"band_lt": -CUT_POINTS[-1]}
    else:
        limits = {"band_from": -lower, "band_to": -upper}
    label = f"{variable}: printed limits of band {BANDS[k]}"
    return record(record_id(study, table, variable, BANDS[k]), label=label, n=None, **limits)


def band_tables(
    questionnaires: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list[dict]]:
    """Bands per moment as printed (returned questionnaires) and of the scored ones only;
    the chi-square of moments x bands (scored) with Cramér's V."""
    frames, records = [], []
    for (instrument, scale), (table, variable) in BAND_TABLES.items():
        part = _scale(questionnaires, instrument, scale)
        # the report's recode had no missing category: an unscorable questionnaire falls
        # in the first band
        printed = part.assign(band=part["band"].fillna(BANDS[0]), who=PARENTS)
        scored = part.dropna(subset=["deviation"]).assign(who=PARENTS)
        for basis, frame, tab in (("as_printed", printed, table), ("scored", scored, _x(table))):
            for moment in MOMENTS:
                rows = frame[frame["moment"] == moment]
                counts, recs = category_counts(
                    rows,
                    "band",
                    BANDS,
                    group_col="who",
                    groups=[PARENTS],
                    study=study,
                    table=tab,
                    label=f"{instrument} {scale} deviation band ({basis})",
                    token=variable,
                    moment=moment,
                )
                frames.append(
                    counts.assign(instrument=instrument, scale=scale, moment=moment, basis=basis)
                )
                records += recs
                records.append(
                    record(
                        record_id(study, tab, variable, "-", PARENTS, moment),
                        label=f"{instrument} {scale}: questionnaires in the column ({basis})",
                        n=len(rows),
                        n_unscorable=int(rows["deviation"].isna().sum()),
                    )
                )
        records += [_limit_record(study, table, variable, k) for k in range(len(BANDS))]
        crosstab = (
            pd.crosstab(scored["band"], scored["moment"])
            .reindex(index=list(BANDS), columns=list(MOMENTS), fill_value=0)
            .to_numpy()
        )
        test = record_of_test(
            record_id(study, "text7", variable, "over_moments", PARENTS),
            result=pearson_chi2(crosstab, alpha),
            label=f"{instrument} {scale} bands over the moments (scored; empty bands left out)",
        )
        records += [
            test,
            effect_record(
                test,
                cramers_v(crosstab),
                table="text7x",
                variable=f"{variable}_cramers_v",
                label=f"Cramér's V of the {instrument} {scale} bands over the moments",
            ),
        ]
    columns = ["instrument", "scale", "basis", "moment", "category", "count", "n", "pct"]
    return pd.concat(frames, ignore_index=True)[columns], records


# --- table 7.2 and the change over the moments -------------------------------------------


def repeated_anova(wide: pd.DataFrame, alpha: float) -> dict:
    """One-way repeated-measures ANOVA over the moments, families with every moment."""
    complete = wide.dropna()
    long = complete.reset_index().melt(id_vars="family_id", var_name="moment", value_name="y")
    result = rm_anova_test(rm_anova_oneway(long, "y", "family_id", "moment"), alpha)
    if result["status"] == ESTIMATED:
        f, df1, df2 = result["statistic"], result["df1"], result["df2"]
        result["eta2_partial"] = f * df1 / (f * df1 + df2)
    # the tested families' means, to print beside the test (not all respondents')
    for moment in complete.columns:
        result[f"mean_{moment}"] = float(complete[moment].mean()) if len(complete) else None
    return result


def deviation_scores(
    questionnaires: pd.DataFrame, families: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list[dict]]:
    """Means per moment (7.2), response (text 7), ANOVA and paired tests over the moments."""
    rows, records = [], []
    base = _active_base(families)
    for (instrument, scale), (table, variable) in DEVIATIONS.items():
        part = _scale(questionnaires, instrument, scale).dropna(subset=["deviation"])
        completed = f"{instrument}_completed"
        for moment in MOMENTS:
            summary = numeric_summary(part.loc[part["moment"] == moment, "deviation"])
            rows.append({"measure": variable, "group": PARENTS, "moment": moment, **summary})
            records += [
                record(
                    record_id(study, table, variable, "-", PARENTS, moment),
                    label=f"{instrument} {scale} deviation score",
                    **summary,
                ),
                count_record(
                    record_id(study, "text7", completed, "-", PARENTS, moment),
                    count=summary["n"],
                    base=base,
                    label=f"{instrument} scored, of the active prospective families",
                ),
            ]
        wide = part.pivot(index="family_id", columns="moment", values="deviation")
        wide = wide.reindex(columns=list(MOMENTS)).sort_index()
        anova = repeated_anova(wide, alpha)
        printed = instrument == "veo"  # the report prints a verdict for the VEO only
        tab = "text7" if printed else "text7x"
        records.append(
            record_of_test(
                record_id(study, tab, variable, "over_moments", PARENTS),
                result=anova,
                label=f"{instrument} {scale} deviation over the moments (complete cases)",
            )
        )
        for moment in FOLLOW_UPS:
            pairs = wide[["start", moment]].dropna()
            records.append(
                record_of_test(
                    record_id(study, "text7x", variable, f"start_vs_{moment}", PARENTS),
                    result=paired_t(pairs[moment], pairs["start"], "greater", alpha),
                    label=f"{instrument} {scale} deviation: {moment} minus start (paired)",
                    mean_before=float(pairs["start"].mean()) if len(pairs) else None,
                    mean_after=float(pairs[moment].mean()) if len(pairs) else None,
                    **hedges_g_paired(pairs["start"], pairs[moment]),
                )
            )
    return pd.DataFrame(rows), records


# --- linear mixed models -----------------------------------------------------------------

LMM_START_RATIO = 0.1
LMM_TERMS = {
    "Intercept": "intercept",
    "m3": "3m_vs_start",
    "m9": "9m_vs_start",
    "nc": "no_conference_vs_conference",
    "m3:nc": "no_conference_x_3m",
    "m9:nc": "no_conference_x_9m",
}


def mixed_model(
    questionnaires: pd.DataFrame,
    families: pd.DataFrame,
    instrument: str,
    scale: str,
    alpha: float,
) -> tuple[pd.DataFrame, dict]:
    """Deviation ~ moment (x group when both groups have follow-ups), random intercept per
    family, REML fitted with L-BFGS (deterministic). Moment effects one-sided (more support
    expected after the conference), other terms two-sided."""
    part = _scale(questionnaires, instrument, scale).dropna(subset=["deviation"])
    part = part.merge(families[["family_id", "group"]], on="family_id", how="left")
    followed = part.loc[part["moment"] != "start", "group"].unique()
    if len(followed) < 2:
        # only conference families were followed up: a group term cannot be estimated
        part = part[part["group"].isin(followed)]
        formula = "deviation ~ m3 + m9"
    else:
        formula = "deviation ~ m3 + m9 + nc + m3:nc + m9:nc"
    part = part.assign(
        m3=(part["moment"] == "3m").astype(float),
        m9=(part["moment"] == "9m").astype(float),
        nc=(part["group"] == "no_conference").astype(float),
    ).sort_values(["family_id", "moment"], ignore_index=True)
    # a fixed start (family variance 0.1 x residual variance, as a Cholesky factor): from
    # statsmodels' default start of 1 L-BFGS fails when the estimate lies on the boundary 0
    fit, status, messages = fit_random_intercept(
        formula,
        part,
        part["family_id"],
        reml=True,
        method="lbfgs",
        start_params=np.sqrt([LMM_START_RATIO]),
    )
    estimable = status["status"] == ESTIMATED
    terms = [name for name in LMM_TERMS if name == "Intercept" or name in formula.split()]
    ci = fit.conf_int(alpha=0.05) if estimable else None
    rows = []
    for name in terms:
        one_sided = name in ("m3", "m9")
        alternative = "greater" if one_sided else "two-sided"
        if not estimable:
            rows.append(
                {
                    "term": LMM_TERMS[name],
                    **dict.fromkeys(("estimate", "se", "ci_low", "ci_high", "z", "p")),
                    "alternative": alternative,
                    "verdict": NOT_ESTIMABLE,
                }
            )
            continue
        z = float(fit.tvalues[name])
        p = float(stats.norm.sf(z)) if one_sided else float(2 * stats.norm.sf(abs(z)))
        rows.append(
            {
                "term": LMM_TERMS[name],
                "estimate": float(fit.fe_params[name]),
                "se": float(fit.bse_fe[name]),
                "ci_low": float(ci.loc[name, 0]),
                "ci_high": float(ci.loc[name, 1]),
                "z": z,
                "p": p,
                "alternative": alternative,
                "verdict": verdict(p, alpha),
            }
        )
    info = {
        "formula": formula,
        "groups": ",".join(sorted(part["group"].dropna().unique())),
        "n_families": int(part["family_id"].nunique()),
        "n_observations": len(part),
        "family_variance": float(fit.cov_re.iloc[0, 0]) if estimable else None,
        "residual_variance": float(fit.scale) if estimable else None,
        "converged": bool(fit.converged) if fit is not None else None,
        # e.g. a family variance on the boundary 0: kept with the results, not only in a log
        "fit_warnings": messages,
        "status": status["status"],
        "reason": status.get("reason"),
        "reason_detail": status.get("reason_detail"),
    }
    return pd.DataFrame(rows), info


def mixed_models(
    questionnaires: pd.DataFrame, families: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list[dict]]:
    frames, records = [], []
    for (instrument, scale), (table, variable) in DEVIATIONS.items():
        terms, info = mixed_model(questionnaires, families, instrument, scale, alpha)
        variable_lmm = variable.replace("_deviation", "_lmm")
        LOG.info(
            "mixed model %s (%s): converged=%s, %s, fit warnings: %s",
            variable_lmm,
            info["formula"],
            info["converged"],
            info["reason"] or info["status"],
            info["fit_warnings"] or "none",
        )
        group = "conference" if info["groups"] == "conference" else "all"
        frames.append(terms.assign(model=variable_lmm, **info))
        for term in terms.to_dict("records"):
            fields = {
                "effect": "lmm_coefficient",
                "estimate": term["estimate"],
                "se": term["se"],
                "ci_low": term["ci_low"],
                "ci_high": term["ci_high"],
                "z": term["z"],
                "p": term["p"],
                "alternative": term["alternative"],
            }
            if term["term"] != "intercept" and info["status"] == ESTIMATED:
                # the intercept is the start level, not a test
                fields.update(test="mixedlm_wald_z", statistic=term["z"], verdict=term["verdict"])
            elif term["term"] != "intercept":
                fields.update(
                    not_estimable("mixedlm_wald_z", info["reason"], info["reason_detail"])
                )
            records.append(
                record(
                    record_id(study, _x(table), variable_lmm, term["term"], group),
                    label=f"{instrument} {scale} deviation, mixed model: {term['term']}",
                    n=info["n_observations"],
                    **{**{k: v for k, v in info.items() if v is not None}, **fields},
                )
            )
    columns = ["model", "term", "estimate", "se", "ci_low", "ci_high", "z", "p", "alternative"]
    return pd.concat(frames, ignore_index=True)[columns + list(info)], records


# --- table 7.4: SuccInt social support ---------------------------------------------------


def succint_support(
    succint: pd.DataFrame, families: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list[dict]]:
    scores = succint[succint["measure"] == SUPPORT].dropna(subset=["score"])
    scores = scores.sort_values(["informant", "moment", "family_id"])
    base = _active_base(families)
    rows, records = [], []
    for informant in INFORMANTS:
        for moment in FOLLOW_UPS:
            values = scores.loc[
                (scores["informant"] == informant) & (scores["moment"] == moment), "score"
            ]
            summary = numeric_summary(values)
            rows.append(
                {"measure": SUPPORT_VARIABLE, "group": informant, "moment": moment, **summary}
            )
            records += [
                record(
                    record_id(study, "7.4", SUPPORT_VARIABLE, "-", informant, moment),
                    label=f"SuccInt social support (max 16), {informant}",
                    **summary,
                ),
                count_record(
                    record_id(study, "text7", "succint_completed", "-", informant, moment),
                    count=summary["n"],
                    base=base,
                    label=f"SuccInt scored, {informant}, of the active prospective families",
                ),
            ]
    items, (low, high), _ = SUCCINT_SCALES[SUPPORT]
    unchanged = len(items) * UNCHANGED_CODE
    records.append(
        record(
            record_id(study, "text7", SUPPORT_VARIABLE),
            label="SuccInt social support: highest possible score",
            n=None,
            n_items=len(items),
            scale_min=len(items) * low,
            scale_max=len(items) * high,
            scale_unchanged=unchanged,
        )
    )
    # the SuccInt rates change since the conference: more support than at the conference is
    # the mean against 'unchanged', one-sided (more support expected)
    for informant in INFORMANTS:
        for moment in FOLLOW_UPS:
            values = scores.loc[
                (scores["informant"] == informant) & (scores["moment"] == moment), "score"
            ]
            records.append(
                record_of_test(
                    record_id(study, "text7x", SUPPORT_VARIABLE, "vs_unchanged", informant, moment),
                    result=one_sample_t(values, unchanged, "greater", alpha),
                    label=f"SuccInt social support at {moment}, {informant}: mean against "
                    "'unchanged since the conference' (one-sided: more support)",
                    mean=float(values.mean()) if len(values) else None,
                    scale_unchanged=unchanged,
                )
            )
    wide = scores.pivot_table(
        index="family_id", columns=["informant", "moment"], values="score", aggfunc="first"
    )
    for informant in INFORMANTS:
        pairs = wide[informant].reindex(columns=list(FOLLOW_UPS)).dropna()
        # both follow-ups measure change since the conference: no direction between them
        test = record_of_test(
            record_id(study, "text7", SUPPORT_VARIABLE, "3m_vs_9m", informant),
            result=paired_t(pairs["9m"], pairs["3m"], "two-sided", alpha),
            label=f"SuccInt social support, {informant}: 9 minus 3 months (paired)",
            mean_before=float(pairs["3m"].mean()) if len(pairs) else None,
            mean_after=float(pairs["9m"].mean()) if len(pairs) else None,
        )
        records += [
            test,
            effect_record(
                test,
                hedges_g_paired(pairs["3m"], pairs["9m"]),
                table="text7x",
                variable=f"{SUPPORT_VARIABLE}_hedges_g_av",
                label=f"g_av of the SuccInt social support, {informant}: 9 minus 3 months",
            ),
        ]
    comparison = "referrer_vs_family_informant"
    per_moment = []
    for moment in FOLLOW_UPS:
        a = scores.loc[(scores["informant"] == "referrer") & (scores["moment"] == moment)]
        b = scores.loc[(scores["informant"] == "family_informant") & (scores["moment"] == moment)]
        per_moment.append(
            record_of_test(
                record_id(study, "text7x", SUPPORT_VARIABLE, "-", comparison, moment),
                result=student_t(a["score"], b["score"], "two-sided", alpha),
                label=f"SuccInt social support: referrers minus family informants at {moment}",
                **hedges_g(a["score"], b["score"]),
            )
        )
    records += per_moment
    # the report names no moment: the printed 'not significant' must hold at both
    records.append(
        record(
            record_id(study, "text7", SUPPORT_VARIABLE, "-", comparison),
            label="SuccInt social support: referrers vs family informants at 3 and at 9 months",
            n=sum(r["n"] for r in per_moment),
            test="student_t_each_moment",
            alternative="two-sided",
            **verdict_over(per_moment, alpha),
        )
    )
    return pd.DataFrame(rows), records


# --- interviews: support from family and network -----------------------------------------


def interview_support(
    scores: pd.DataFrame,
    cases: pd.DataFrame,
    families: pd.DataFrame,
    study: str,
    alpha: float,
) -> tuple[pd.DataFrame, list[dict]]:
    """Weighted shares per code (section 2.6), unweighted unit counts, the attendance of the
    interviewed conferences, and (extra) EKc vs shadow referrers."""
    frames, records = [], []
    for groep, group in INTERVIEW_GROUPS.items():
        for role_set, roles in ROLE_SETS.items():
            shares = weighted_shares(scores, THEME, groep, roles)
            every_role = scores["rol"].unique()  # case_counts needs the roles spelled out
            counts = case_counts(scores, THEME, groep, roles or every_role)
            units = int(shares["n_units"].sum())
            frames.append(shares.assign(group=group, roles=role_set, n=units))
            table = "text7" if (role_set, group) in PRINTED_SHARES else "text7x"
            for row in shares.itertuples(index=False):
                records.append(
                    record(
                        record_id(
                            study,
                            table,
                            f"support_change_{role_set}",
                            CODE_LABELS[row.code],
                            group,
                            "9m",
                        ),
                        label=f"interviews: support from family and network {row.code}, "
                        f"{role_set} respondents (pct weighted per case, count unweighted)",
                        n=units,
                        count=int(counts[row.code]),
                        pct=row.pct,
                        weighted_n=row.weighted_n,
                        pct_unweighted=share(counts[row.code], units),
                    )
                )
    ekc = cases.loc[cases["groep"] == "EKc", "family_id"]
    attendees = numeric_summary(families.loc[families["family_id"].isin(ekc), "attendees"])
    records.append(
        record(
            record_id(study, "text7", "n_attendees_per_conference", "-", "interview_ekc"),
            label="attendees per conference, interviewed EKc cases",
            **attendees,
        )
    )
    known = [c for c in CODES[THEME] if CODE_LABELS[c] != "unknown"]
    crosstab = np.array(
        [case_counts(scores, THEME, groep, (PROFESSIONAL,))[known] for groep in INTERVIEW_GROUPS]
    )
    records.append(
        record_of_test(
            record_id(
                study, "text7x", "support_change_referrer", "-", "interview_ekc_vs_shadow", "9m"
            ),
            result=pearson_chi2(crosstab, alpha),
            label="interviews: referrers' support codes, EKc vs shadow cases (unweighted "
            "cases, 'onbekend' left out; small expected counts)",
            **cramers_v(crosstab),
        )
    )
    columns = ["group", "roles", "code", "n", "n_units", "weighted_n", "pct"]
    return pd.concat(frames, ignore_index=True)[columns], records


# --- all together --------------------------------------------------------------------------


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    families = tables["families"]
    questionnaires = tables["questionnaires"]
    bands, records = band_tables(questionnaires, study, alpha)
    scores, recs = deviation_scores(questionnaires, families, study, alpha)
    records += recs
    lmm, recs = mixed_models(questionnaires, families, study, alpha)
    records += recs
    support, recs = succint_support(tables["succint"], families, study, alpha)
    records += recs
    interviews, recs = interview_support(
        tables["interview_scores"], tables["interview_cases"], families, study, alpha
    )
    records += recs
    # this research question's own family; attrition is a family of its own
    tests = finish(records, columns=TEST_COLUMNS, name=HOLM_FAMILY)
    attrition_tables, attrition_records = attrition.analyse(tables, study, alpha)
    out = {
        "bands": bands,
        "scores": pd.concat([scores, support], ignore_index=True),
        "interviews": interviews,
        "tests": tests,
        "lmm": lmm,
        **attrition_tables,
    }
    return out, records + attrition_records
