"""Research question 4 (chapter 8): does control ('regie') over the children's safety and the
parents' functioning shift from the professionals to the family's own network?

Published figures: the SuccInt control scale per informant and moment (table 8.1), the
referrers' burden and capacity marks and their view of the change in the balance (8.2), the
PUL autonomy bands at the start, 3 and 9 months (8.3), the response text and the interview
statements on control, weighted per case (section 2.6).

Tests (section 2.6; the report prints only verdicts for chapter 8):
- control scale 3 vs 9 months: paired t-test, one-sided (RQ4 expects control to move towards
  the family), over the families whose informant of that type scored both moments;
- burden and capacity marks 3 vs 9 months: paired t-test, two-sided (no direction stated);
- referrers vs family informants: the printed verdict names no moment, so the informant main
  effect of a two-way analysis of variance (informant x moment); per moment a Student t-test
  as an extra;
- nominal outcomes (change in the balance, PUL bands over the moments, interview codes):
  Pearson chi-square without Yates; interview codes on the case-weighted counts.
Beyond the report: Hedges' g / g_av and Cramer's V with 95% CI, Holm over all tests of the
rule, and a linear mixed model of the PUL autonomy deviation over the three moments (the
control scale has two moments only). Ids: extra tests in table `<t>x`, effect sizes in
`<t>es`, model coefficients in `8.3lmm`.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd

from ekc.core.stats.describe import category_counts, numeric_summary, share
from ekc.core.stats.effects import cramers_v, hedges_g, hedges_g_paired
from ekc.core.stats.finish import count_record, effect_record, finish, record_of_test
from ekc.core.stats.inference import (
    anova_two_way_main_effect,
    one_sided_proportions,
    paired_t,
    pearson_chi2,
    student_t,
    verdict,
)
from ekc.core.stats.models import fit_random_intercept, rm_anova_oneway, rm_anova_test
from ekc.core.stats.records import ESTIMATED, not_estimable, record, record_id
from ekc.youth_protection.clean.interviews import FAMILY_ROLES, weighted_shares
from ekc.youth_protection.clean.questionnaires import BANDS, CUT_POINTS
from ekc.youth_protection.schemas.interviews import PROFESSIONAL
from ekc.youth_protection.schemas.succint import SCALES as SUCCINT_SCALES

INFORMANTS = ("referrer", "family_informant")
FOLLOW_UPS = ("3m", "9m")
PUL_MOMENTS = ("start", "3m", "9m")
MARKS = ("burden_mark", "capacity_mark")
BALANCE = (
    "less_favourable",
    "unchanged",
    "somewhat_more_favourable",
    "much_more_favourable",
    "no_view",
)
# The report words the code 'meer bij hulpverlener' by group: less control with the family
# (EKc cases), more with the professional (shadow cases).
CONTROL_LABELS = {
    "EKc": {
        "meer bij familie": "more_with_family",
        "gelijk": "unchanged",
        "meer bij hulpverlener": "less_with_family",
        "onbekend": "unknown",
    },
    "schaduw": {
        "meer bij familie": "more_with_family",
        "gelijk": "unchanged",
        "meer bij hulpverlener": "more_with_professional",
        "onbekend": "unknown",
    },
}
INTERVIEW_GROUPS = {"EKc": "interview_ekc", "schaduw": "shadow"}
ALL_ROLES = (PROFESSIONAL, *FAMILY_ROLES)
ROLE_SETS = {"all": ALL_ROLES, "family_network": FAMILY_ROLES, "referrer": (PROFESSIONAL,)}
TEST_COLUMNS = ["id", "label", "test", "n", "statistic", "df", "df2", "p", "p_holm"]
TEST_COLUMNS += ["alternative", "verdict", "effect", "estimate", "ci_low", "ci_high"]
TEST_COLUMNS += ["status", "reason"]
LOG = logging.getLogger(__name__)


# --- shared helpers (also used by ekc.youth_protection.analysis.other_findings) -----------


def response_base(families: pd.DataFrame) -> int:
    """The report's response base: active prospective families (52)."""
    return int(((families["arm"] == "prospective") & (families["participation"] == "active")).sum())


def effect(test: dict, result: dict, label: str) -> dict:
    """An effect size's record: the test's table token with the suffix 'es'."""
    return effect_record(test, result, table=f"{test['table']}es", label=label)


def mixed_model(
    frame: pd.DataFrame,
    formula: str,
    terms: dict[str, str],
    *,
    study: str,
    table: str,
    variable: str,
    group: str,
    label: str,
    alpha: float,
) -> tuple[pd.DataFrame, list[dict]]:
    """Linear mixed model with a random intercept per family, fitted by REML with L-BFGS
    (deterministic: no random starts). `terms` maps model term names to id tokens; every term
    but the intercept is a test record."""
    fit, status, messages = fit_random_intercept(
        formula, frame, frame["family_id"], reml=True, method="lbfgs"
    )
    # the boundary / convergence notes go to the job's log, the status to the records
    LOG.info(
        "mixed model %s (%s): converged=%s, %s, fit warnings: %s",
        table,
        formula,
        fit.converged if fit is not None else None,
        status.get("reason", status["status"]),
        messages or "none",
    )
    estimable = status["status"] == ESTIMATED
    ci = fit.conf_int(alpha=0.05) if estimable else None
    n_families = int(frame["family_id"].nunique())
    n_obs = int(len(frame))
    rows, records = [], []
    for term, token in terms.items():
        fields = dict.fromkeys(("estimate", "se", "ci_low", "ci_high", "z", "p"))
        if estimable:
            fields = {
                "estimate": float(fit.fe_params[term]),
                "se": float(fit.bse_fe[term]),
                "ci_low": float(ci.loc[term, 0]),
                "ci_high": float(ci.loc[term, 1]),
                "z": float(fit.tvalues[term]),
                "p": float(fit.pvalues[term]),
            }
        rows.append({"term": token, **fields, "n_families": n_families, "n_observations": n_obs})
        test = {}
        if term != "Intercept" and estimable:
            test = {
                "test": "mixedlm_wald_z",
                "statistic": fields["z"],
                "alternative": "two-sided",
                "verdict": verdict(fields["p"], alpha),
            }
        elif term != "Intercept":
            test = not_estimable(
                "mixedlm_wald_z", status["reason"], status["reason_detail"], alternative="two-sided"
            )
        records.append(
            record(
                record_id(study, table, variable, token, group),
                label=f"{label}: {token}",
                n=n_obs,
                n_families=n_families,
                n_observations=n_obs,
                effect="lmm_coefficient",
                formula=formula,
                random_intercept_var=float(fit.cov_re.iloc[0, 0]) if estimable else None,
                converged=bool(fit.converged) if fit is not None else None,
                **{**status, **fields, **test},
            )
        )
    frame = pd.DataFrame(rows).assign(model=table, formula=formula)
    return frame.assign(status=status["status"], reason=status.get("reason")), records


# --- table 8.1 and 8.2: SuccInt ------------------------------------------------------------


def _scores(succint: pd.DataFrame, measure: str, informant: str, moment: str) -> pd.Series:
    part = succint[
        (succint["measure"] == measure)
        & (succint["informant"] == informant)
        & (succint["moment"] == moment)
    ]
    return part.set_index("family_id")["score"].dropna().sort_index()


def succint_figures(
    succint: pd.DataFrame, base: int, study: str, alpha: float
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    rows, records = [], []
    for informant in INFORMANTS:
        for moment in FOLLOW_UPS:
            summary = numeric_summary(_scores(succint, "control", informant, moment))
            rows.append(
                {"variable": "control_score", "informant": informant, "moment": moment, **summary}
            )
            records.append(
                record(
                    record_id(study, "8.1", "control_score", "-", informant, moment),
                    label="SuccInt control scale (prorated sum)",
                    **summary,
                )
            )
            # the response text counts the questionnaires with a scored scale
            records.append(
                count_record(
                    record_id(study, "text8", "succint_completed", "-", informant, moment),
                    count=summary["n"],
                    base=base,
                    label="SuccInt with scored scales, per cent of the active prospective families",
                )
            )
    items, (low, high), _ = SUCCINT_SCALES["control"]
    records.append(
        record(
            record_id(study, "text8", "control_score"),
            label="SuccInt control: range of the scale (statements agreed with since the "
            "conference; higher: control lies more with the family)",
            n=None,
            n_items=len(items),
            scale_min=len(items) * low,
            scale_max=len(items) * high,
        )
    )
    referrer = succint[succint["informant"] == "referrer"]
    for moment in FOLLOW_UPS:
        returned = referrer.loc[referrer["moment"] == moment, "family_id"].nunique()
        records.append(
            record(
                record_id(study, "8.2", "-", "-", "referrer", moment),
                label="referrers' questionnaires returned",
                n=int(returned),
            )
        )
        for mark in MARKS:
            summary = numeric_summary(_scores(succint, mark, "referrer", moment))
            rows.append({"variable": mark, "informant": "referrer", "moment": moment, **summary})
            records.append(
                record(
                    record_id(study, "8.2", mark, "-", "referrer", moment),
                    label=f"{mark} (1-10)",
                    **summary,
                )
            )
    balance = referrer[referrer["measure"] == "capacity_burden_ratio_change"].assign(_g="referrer")
    frames = []
    for moment in FOLLOW_UPS:
        frame, recs = category_counts(
            balance[balance["moment"] == moment],
            "category",
            BALANCE,
            group_col="_g",
            groups=["referrer"],
            study=study,
            table="8.2",
            label="change in the balance of capacity and burden since the conference",
            token="capacity_burden_ratio_change",
            moment=moment,
        )
        frames.append(frame.assign(moment=moment))
        records += recs

    # 3 vs 9 months, paired over the families scored at both moments
    sides = {"control": "greater", "burden_mark": "two-sided", "capacity_mark": "two-sided"}
    for measure, alternative in sides.items():
        for informant in INFORMANTS if measure == "control" else ("referrer",):
            a = _scores(succint, measure, informant, "3m")
            b = _scores(succint, measure, informant, "9m")
            both = a.index.intersection(b.index)
            variable = "control_score" if measure == "control" else measure
            test = record_of_test(
                record_id(study, "text8", variable, "3m_vs_9m", informant),
                result=paired_t(b[both], a[both], alternative, alpha),
                label=f"{variable}: 9 months minus 3 months, paired",
                mean_before=float(a[both].mean()) if len(both) else None,
                mean_after=float(b[both].mean()) if len(both) else None,
            )
            records += [
                test,
                effect(test, hedges_g_paired(a[both], b[both]), "g_av, 9 minus 3 months"),
            ]

    # referrers vs family informants on the control scale
    control = succint[(succint["measure"] == "control") & succint["score"].notna()]
    test = record_of_test(
        record_id(study, "text8", "control_score", "-", "referrer_vs_family_informant"),
        result=anova_two_way_main_effect(
            control["score"], control["informant"], control["moment"], alpha
        ),
        label="control scale: informant main effect, two-way ANOVA informant x moment",
    )
    pooled = hedges_g(
        control.loc[control["informant"] == "referrer", "score"],
        control.loc[control["informant"] == "family_informant", "score"],
    )
    records += [
        test,
        effect(test, pooled, "g, referrers minus family informants, both moments pooled"),
    ]
    for moment in FOLLOW_UPS:
        a = _scores(succint, "control", "referrer", moment)
        b = _scores(succint, "control", "family_informant", moment)
        test = record_of_test(
            record_id(
                study, "text8x", "control_score", "-", "referrer_vs_family_informant", moment
            ),
            result=student_t(a, b, alpha=alpha),
            label="control scale: referrers minus family informants (Student t)",
        )
        records += [test, effect(test, hedges_g(a, b), "g, referrers minus family informants")]

    crosstab = (
        pd.crosstab(balance["category"], balance["moment"])
        .reindex(index=list(BALANCE), columns=list(FOLLOW_UPS), fill_value=0)
        .to_numpy()
    )
    test = record_of_test(
        record_id(study, "text8", "capacity_burden_ratio_change", "3m_vs_9m", "referrer"),
        result=pearson_chi2(crosstab, alpha),
        label="change in the balance: categories (as printed) by moment",
    )
    records += [test, effect(test, cramers_v(crosstab), "Cramer's V")]
    tables = {
        "scores": pd.DataFrame(rows),
        "capacity_burden": pd.concat(frames, ignore_index=True),
    }
    return tables, records


# --- table 8.3: PUL autonomy ---------------------------------------------------------------


def band_limits(study: str) -> list[dict]:
    """The printed two-decimal limits of the PUL bands (low is bad, so minus the problem score),
    from the pipeline's cut points: the band edges of
    `ekc.youth_protection.clean.questionnaires.band`."""

    def inside_from(cut: float) -> float:  # first two-decimal value at or above the cut
        return -math.ceil(round(cut * 100, 6)) / 100

    def inside_to(cut: float, inclusive: bool) -> float:  # last two-decimal value in the band
        hundredths = round(cut * 100, 6)
        last = math.floor(hundredths) if inclusive else math.ceil(hundredths) - 1
        return -last / 100

    c = CUT_POINTS
    limits = {
        "none": {"band_gt": -c[0]},
        "moderate": {"band_from": inside_from(c[0]), "band_to": inside_to(c[1], False)},
        "considerable": {"band_from": inside_from(c[1]), "band_to": inside_to(c[2], False)},
        "serious": {"band_from": inside_from(c[2]), "band_to": inside_to(c[3], True)},
        "very_serious": {"band_lt": -c[3]},
    }
    label = "printed deviation-score limits of the band (PUL: low is bad)"
    return [
        record(record_id(study, "8.3", "pul_autonomy_band", band), label=label, n=None, **fields)
        for band, fields in limits.items()
    ]


def pul_figures(questionnaires: pd.DataFrame, base: int, study: str, alpha: float):
    """Table 8.3, the PUL response text, the chi-square over the moments and the models."""
    pul = questionnaires[
        (questionnaires["instrument"] == "pul") & (questionnaires["scale"] == "autonomy")
    ].assign(moment=lambda d: d["moment"].astype(str), _g="parents")
    frames, records = [], band_limits(study)
    for moment in PUL_MOMENTS:
        part = pul[pul["moment"] == moment]
        frame, recs = category_counts(
            part,
            "band",
            BANDS,
            group_col="_g",
            groups=["parents"],
            study=study,
            table="8.3",
            label="PUL autonomy band",
            token="pul_autonomy_band",
            moment=moment,
        )
        summary = numeric_summary(part["deviation"])
        frames.append(
            frame.assign(moment=moment, deviation_mean=summary["mean"], deviation_sd=summary["sd"])
        )
        records += recs
        records += [
            record(
                record_id(study, "8.3", "pul_autonomy_band", "-", "parents", moment),
                label="parents with a scored PUL autonomy scale",
                n=len(part),
            ),
            count_record(
                record_id(study, "text8", "pul_completed", "-", "parents", moment),
                count=len(part),
                base=base,
                label="PUL returned, per cent of the active prospective families",
            ),
            record(
                record_id(study, "8.3x", "pul_autonomy_deviation", "-", "parents", moment),
                label="PUL autonomy deviation score",
                **summary,
            ),
        ]
    # as for table 7.3: bands by moment, the moments taken as independent samples
    crosstab = (
        pd.crosstab(pul["band"], pul["moment"])
        .reindex(index=list(BANDS), columns=list(PUL_MOMENTS), fill_value=0)
        .to_numpy()
    )
    test = record_of_test(
        record_id(study, "text8", "pul_autonomy_band", "over_moments", "parents"),
        result=pearson_chi2(crosstab, alpha),
        label="PUL autonomy bands by moment (empty bands dropped)",
    )
    records += [test, effect(test, cramers_v(crosstab), "Cramer's V")]

    wide = pul.pivot(index="family_id", columns="moment", values="deviation")
    wide = wide.reindex(columns=list(PUL_MOMENTS))
    complete = wide.dropna().reset_index()
    complete = complete.melt(id_vars="family_id", var_name="moment", value_name="deviation")
    records.append(
        record_of_test(
            record_id(study, "8.3x", "pul_autonomy_deviation", "over_moments", "parents"),
            result=rm_anova_test(
                rm_anova_oneway(complete, "deviation", "family_id", "moment"), alpha
            ),
            label="PUL autonomy deviation over the three moments, repeated-measures ANOVA "
            "(families with all three)",
        )
    )
    long = pul[["family_id", "moment", "deviation"]].dropna()
    long = long.assign(
        moment_3m=(long["moment"] == "3m").astype(float),
        moment_9m=(long["moment"] == "9m").astype(float),
    )
    # no group term: no family without a conference returned a follow-up PUL
    lmm, recs = mixed_model(
        long,
        "deviation ~ moment_3m + moment_9m",
        {"Intercept": "intercept", "moment_3m": "moment_3m", "moment_9m": "moment_9m"},
        study=study,
        table="8.3lmm",
        variable="pul_autonomy_deviation",
        group="parents",
        label="PUL autonomy deviation, mixed model (start = reference)",
        alpha=alpha,
    )
    records += recs
    tables = {"pul_autonomy": pd.concat(frames, ignore_index=True)}
    return tables, records, lmm


# --- interviews (section 8.4) ---------------------------------------------------------------


def weighted_counts(scores: pd.DataFrame, scale: str, groep: str, roles, code: str) -> list:
    """Case-weighted [with code, other] among the units with these roles."""
    shares = weighted_shares(scores, scale, groep, roles).set_index("code")["weighted_n"]
    return [float(shares[code]), float(shares.drop(code).sum())]


def respondents(scores: pd.DataFrame, scale: str, *sides: tuple[str, tuple[str, ...]]) -> int:
    """The respondent units (unweighted) behind case-weighted counts of (group, roles) sides:
    the n of a test on those counts, whose weighted total is its `weighted_n`."""
    return sum(int(weighted_shares(scores, scale, g, r)["n_units"].sum()) for g, r in sides)


def interview_shares(
    scores: pd.DataFrame, scale: str, labels: dict[str, dict[str, str]]
) -> pd.DataFrame:
    frames = []
    for groep in INTERVIEW_GROUPS:
        for roles_name, roles in ROLE_SETS.items():
            shares = weighted_shares(scores, scale, groep, roles)
            frames.append(
                shares.assign(
                    group=INTERVIEW_GROUPS[groep],
                    roles=roles_name,
                    category=shares["code"].map(labels[groep]),
                )
            )
    columns = ["group", "roles", "code", "category", "n_units", "weighted_n", "pct"]
    return pd.concat(frames, ignore_index=True)[columns]


def interview_figures(scores: pd.DataFrame, study: str, alpha: float):
    records = []
    table = interview_shares(scores, "regie", CONTROL_LABELS)
    units = scores[scores["scale"] == "regie"].groupby("groep").size()
    groep_of = {group: groep for groep, group in INTERVIEW_GROUPS.items()}
    # count = respondent units (unweighted): the shadow 'not one of the interviewed' is a count
    for row in table[table["roles"] == "all"].itertuples(index=False):
        records.append(
            record(
                record_id(study, "text8", "control_shift", row.category, row.group, "9m"),
                label=f"interviews: control {row.code!r}, weighted share of all respondents",
                n=int(units[groep_of[row.group]]),
                count=int(row.n_units),
                weighted_n=row.weighted_n,
                pct=row.pct,
            )
        )

    family = weighted_counts(scores, "regie", "EKc", FAMILY_ROLES, "meer bij familie")
    referrer = weighted_counts(scores, "regie", "EKc", (PROFESSIONAL,), "meer bij familie")
    crosstab = np.array([family, referrer])
    test = record_of_test(
        record_id(
            study, "text8", "control_shift", "more_with_family", "family_network_vs_referrer", "9m"
        ),
        result=pearson_chi2(crosstab, alpha),
        label="interviews, EKc cases: control more with the family, family/network vs referrers "
        "(case-weighted counts)",
        n=respondents(scores, "regie", ("EKc", FAMILY_ROLES), ("EKc", (PROFESSIONAL,))),
        weighted_n=float(crosstab.sum()),
        share_family_network=share(family[0], sum(family)),
        share_referrer=share(referrer[0], sum(referrer)),
    )
    records += [test, effect(test, cramers_v(crosstab), "Cramer's V")]

    ekc = weighted_counts(scores, "regie", "EKc", ALL_ROLES, "meer bij familie")
    shadow = weighted_counts(scores, "regie", "schaduw", ALL_ROLES, "meer bij familie")
    test = record_of_test(
        record_id(
            study, "text8x", "control_shift", "more_with_family", "interview_ekc_vs_shadow", "9m"
        ),
        result=one_sided_proportions([ekc[0], shadow[0]], [sum(ekc), sum(shadow)], "larger", alpha),
        label="interviews: control more with the family, EKc vs shadow cases (case-weighted "
        "counts, one-sided: more after a conference)",
        n=respondents(scores, "regie", ("EKc", ALL_ROLES), ("schaduw", ALL_ROLES)),
        weighted_n=sum(ekc) + sum(shadow),
    )
    records += [test, effect(test, cramers_v(np.array([ekc, shadow])), "Cramer's V")]
    return {"interviews": table}, records


# --- the rule ---------------------------------------------------------------------------------


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Needs tables families, succint, questionnaires and interview_scores."""
    base = response_base(tables["families"])
    out, records = succint_figures(tables["succint"], base, study, alpha)
    pul_tables, recs, pul_lmm = pul_figures(tables["questionnaires"], base, study, alpha)
    out.update(pul_tables)
    records += recs
    interview_tables, recs = interview_figures(tables["interview_scores"], study, alpha)
    out.update(interview_tables)
    records += recs
    out["tests"] = finish(records, columns=TEST_COLUMNS)
    out["mixed_model"] = pul_lmm
    return out, records
