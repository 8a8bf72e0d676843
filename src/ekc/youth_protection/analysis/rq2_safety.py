"""Research question 2: do conferences reduce concerns about the children's safety and
well-being? (chapter 6: tables 6.1-6.6 and the figures and tests in its text)

Sources, all linked analysis tables: `care_concerns` (ZAP-Kort domain counts at the start,
3 and 9 months), `families` (group, arm, participation), `succint` (referrers' and family
informants' safety scale and new living place) and `interview_scores` (weighted interview
statements of section 6.4).

The study's tests, as chapter 6 and section 2.6 give them:
- total care concerns, start against 3 and against 9 months: paired t-tests over the
  families scored at both moments, one-sided (fewer concerns expected); 3 against 9 months
  two-sided (no direction is expected between two moments after the conference);
- conference against no conference at each moment: one-way analysis of variance, F(1, n-2),
  as printed for 3 months (p = .021 is the F test's p). F has no direction; where the
  hypothesis has one (after the conference: fewer concerns) the one-sided p of the
  equivalent Student t-test is added as `p_one_sided`;
- SuccInt safety, 3 against 9 months: paired t-test per informant type, two-sided; referrers
  against family informants: Student t-test per moment, two-sided. One printed verdict
  covers both moments, so a summary record carries it;
- new living place, 3 against 9 months: Wilcoxon signed-rank test on the judgements
  (less favourable ... much more favourable) of the families judged at both moments. The
  same families answered twice; a chi-square treating the moments as independent samples
  finds a difference for referrers in the embedded data, against the printed verdict;
- new living place, referrers against family informants: Pearson chi-square per moment over
  the categories of tables 6.5/6.6;
- interviews, EKc against shadow cases: Pearson chi-square (no Yates) on the referrers'
  cases, safety improved or not; expected counts are below 5, so Fisher's exact p is added.

Beyond the report, in separate records: effect sizes with 95% CIs (table `text6x`, one per
test it belongs to), a repeated-measures ANOVA over the three moments and a linear mixed
model of the total over all available measurements (table `rq2`), and Holm-adjusted p-values
over all tests of this rule (`p_holm` in each test record).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ekc.core.stats.describe import category_counts, numeric_summary, share
from ekc.core.stats.effects import cramers_v, hedges_g, hedges_g_paired, power_two_sample_t
from ekc.core.stats.finish import (
    count_record,
    effect_record,
    holm_family,
    is_test,
    record_of_test,
    records_table,
    table_of_tests,
    verdict_over,
)
from ekc.core.stats.inference import (
    anova_oneway,
    fisher_exact,
    one_sample_t,
    paired_t,
    pearson_chi2,
    student_t,
    verdict,
    wilcoxon_signed_rank,
)
from ekc.core.stats.models import fit_random_intercept, rm_anova_oneway, rm_anova_test
from ekc.core.stats.records import (
    ESTIMATED,
    NOT_ESTIMABLE,
    not_estimable,
    record,
    record_id,
)
from ekc.youth_protection.clean.interviews import FAMILY_ROLES, case_counts, weighted_shares
from ekc.youth_protection.schemas.interviews import CODES
from ekc.youth_protection.schemas.succint import SCALES

GROUPS = ("conference", "no_conference")
MOMENTS = ("start", "3m", "9m")
DOMAIN_TABLES = {"child_functioning": "6.1", "family": "6.2", "environment": "6.3"}
INFORMANTS = ("referrer", "family_informant")
FOLLOW_UPS = ("3m", "9m")
LIVING_TABLES = {"referrer": "6.5", "family_informant": "6.6"}
LIVING_CATEGORIES = [
    "not_applicable_unchanged",
    "less_favourable",
    "neither",
    "somewhat_more_favourable",
    "much_more_favourable",
    "no_view",
]
# The judgements that can be ordered; 'no view' and 'not applicable' have no place on it.
LIVING_ORDER = {
    "less_favourable": 1,
    "neither": 2,
    "somewhat_more_favourable": 3,
    "much_more_favourable": 4,
}
SAFETY = "veiligheid"
# SuccInt items rate change since the conference: 0 worse, 1 unchanged, 2 better.
UNCHANGED_CODE = 1
IMPROVED, UNKNOWN = CODES[SAFETY][0], CODES[SAFETY][3]
REFERRER_TOKENS = dict(
    zip(CODES[SAFETY], ["safer", "unchanged", "less_safe", "unknown"], strict=True)
)
FAMILY_TOKENS = dict(zip(CODES[SAFETY], ["improved", "unchanged", "worse", "unknown"], strict=True))
INTERVIEW_GROUPS = {"EKc": "interview_ekc", "schaduw": "shadow"}
LMM_TERMS = {
    "Intercept": "intercept",
    "C(moment)[T.3m]": "moment_3m",
    "C(moment)[T.9m]": "moment_9m",
    "C(group)[T.conference]": "conference",
    "C(moment)[T.3m]:C(group)[T.conference]": "conference_x_moment_3m",
    "C(moment)[T.9m]:C(group)[T.conference]": "conference_x_moment_9m",
}
TEST_COLUMNS = ["id", "label", "test", "n", "statistic", "df", "df2", "p", "p_one_sided"]
TEST_COLUMNS += ["alternative", "verdict", "p_holm", "status", "reason"]
EFFECT_COLUMNS = ["id", "test_id", "label", "effect", "estimate", "ci_low", "ci_high", "n"]
LOG = logging.getLogger(__name__)


def _test(
    study: str,
    table: str,
    variable: str,
    category: str,
    group: str,
    moment: str,
    result: dict,
    **fields,
) -> dict:
    """A test's record; this chapter's records repeat their variable and category tokens."""
    key = record_id(study, table, variable, category, group, moment)
    return record_of_test(key, result=result, variable=variable, category=category, **fields)


def _effect(test: dict, interval: dict) -> dict:
    """An effect size in its own record: the test's id with the table token suffixed 'x'."""
    label = f"effect size: {test['label']}"
    return effect_record(test, interval, table=f"{test['table']}x", label=label)


# ---------------------------------------------------------------------------------------
# care concerns (tables 6.1-6.3, text of 6.3)


def care_concerns_wide(care_concerns: pd.DataFrame, families: pd.DataFrame) -> pd.DataFrame:
    """One row per family and moment with a scored file; one column per scale, plus group."""
    scored = care_concerns[care_concerns["raw_score"].notna()]
    wide = scored.pivot(index=["family_id", "moment"], columns="scale", values="raw_score")
    wide = wide.astype(float).reset_index()
    wide.columns.name = None
    return wide.merge(families[["family_id", "group"]], on="family_id", how="inner")


def care_concern_descriptives(wide: pd.DataFrame, study: str) -> tuple[pd.DataFrame, list]:
    """Tables 6.1-6.3 (n, mean, sd, range per group and moment); the total beyond them."""
    rows, records = [], []
    for scale in [*DOMAIN_TABLES, "total"]:
        table = DOMAIN_TABLES.get(scale, "rq2")
        variable = f"care_concerns_{scale}"
        for moment in MOMENTS:
            at = wide[wide["moment"] == moment]
            for group in (*GROUPS, "all"):
                part = at if group == "all" else at[at["group"] == group]
                summary = numeric_summary(part[scale])
                rows.append(
                    {"table": table, "scale": scale, "group": group, "moment": moment, **summary}
                )
                records.append(
                    record(
                        record_id(study, table, variable, "-", group, moment),
                        label=f"care concerns ({scale.replace('_', ' ')}) per family",
                        variable=variable,
                        **summary,
                    )
                )
    return pd.DataFrame(rows), records


def care_concern_tests(wide: pd.DataFrame, study: str, alpha: float) -> tuple[list, list]:
    """Change of the total over time and the group comparisons of the text of 6.3."""
    total = wide.pivot(index="family_id", columns="moment", values="total")
    tests, effects = [], []
    for before, after, alternative in (
        ("start", "3m", "greater"),
        ("start", "9m", "greater"),
        ("3m", "9m", "two-sided"),
    ):
        pair = total[[before, after]].dropna()
        direction = "fewer at the later moment" if alternative == "greater" else "two-sided"
        test = _test(
            study,
            "text6",
            "care_concerns_total",
            f"{before}_vs_{after}",
            "all",
            "-",
            paired_t(pair[before], pair[after], alternative, alpha),
            label=f"total care concerns, {before} against {after}, paired ({direction})",
            mean_before=float(pair[before].mean()),
            mean_after=float(pair[after].mean()),
        )
        tests.append(test)
        effects.append(_effect(test, hedges_g_paired(pair[before], pair[after])))
    for moment in MOMENTS:
        at = wide[wide["moment"] == moment].dropna(subset=["total"])
        conf = at.loc[at["group"] == "conference", "total"]
        none = at.loc[at["group"] == "no_conference", "total"]
        fields = {}
        if moment != "start":  # after the conference the hypothesis has a direction
            fields["p_one_sided"] = student_t(conf, none, alternative="less", alpha=alpha)["p"]
        test = _test(
            study,
            "text6",
            "care_concerns_total",
            "-",
            "conference_vs_no_conference",
            moment,
            anova_oneway(conf, none, alpha=alpha),
            label=f"total care concerns at {moment}: conference against no conference (ANOVA)",
            mean_conference=conf.mean() if len(conf) else None,
            mean_no_conference=none.mean() if len(none) else None,
            **fields,
        )
        tests.append(test)
        effects.append(_effect(test, hedges_g(conf, none)))
    complete = total[list(MOMENTS)].dropna()
    long = complete.stack().rename("total").reset_index()
    row = rm_anova_oneway(long, "total", "family_id", "moment")
    tests.append(
        _test(
            study,
            "rq2",
            "care_concerns_total",
            "start_vs_3m_vs_9m",
            "all",
            "-",
            rm_anova_test(row, alpha, test="rm_anova"),
            label="total care concerns over start, 3 and 9 months: repeated-measures ANOVA "
            "(families scored at all three moments)",
        )
    )
    return tests, effects


def _fitted(value: float, digits: int = 4) -> float:
    """The REML likelihood is flat near its top (starts a little apart end about 1e-4 apart
    in the variance): digits beyond these are optimiser noise, and would make the results
    file differ between platforms."""
    return float(f"{float(value):.{digits}g}")


def mixed_model(wide: pd.DataFrame, study: str, alpha: float) -> tuple[pd.DataFrame, list]:
    """Total care concerns ~ moment x group, random intercept per family, all measurements.
    The optimiser starts from the data (`RandomInterceptMixedLM.data_start`): from
    statsmodels' default start L-BFGS steps onto a singular zero variance on these data. A
    model the data cannot identify or fit is written as not estimable, term by term."""
    data = wide.dropna(subset=["total"]).sort_values(["family_id", "moment"]).copy()
    data["moment"] = pd.Categorical(data["moment"], categories=list(MOMENTS))
    data["group"] = pd.Categorical(data["group"], categories=["no_conference", "conference"])
    families = data["family_id"].astype(object).to_numpy()
    formula = "total ~ C(moment) * C(group)"
    fit, status, messages = fit_random_intercept(formula, data, families, method="lbfgs", reml=True)
    LOG.info(
        "mixed model care_concerns_total_lmm (%s): converged=%s, %s, fit warnings: %s",
        formula,
        fit.converged if fit is not None else None,
        status.get("reason", status["status"]),
        messages or "none",
    )
    n_families, n_obs = int(pd.Series(families).nunique()), len(data)
    estimable = status["status"] != NOT_ESTIMABLE
    ci = fit.conf_int() if estimable else None
    rows, records = [], []
    for name, term in LMM_TERMS.items():
        row = {
            "term": term,
            "estimate": _fitted(fit.fe_params[name]) if estimable else None,
            "se": _fitted(fit.bse_fe[name]) if estimable else None,
            "ci_low": _fitted(ci.loc[name, 0]) if estimable else None,
            "ci_high": _fitted(ci.loc[name, 1]) if estimable else None,
            "n_families": n_families,
            "n_observations": n_obs,
        }
        test = {}
        if term != "intercept" and estimable:  # the intercept's test answers no question
            p = _fitted(fit.pvalues[name])
            z = _fitted(fit.tvalues[name])
            row.update(z=z, p=p)
            test = {
                "test": "mixedlm_wald_z",
                "status": ESTIMATED,
                "statistic": z,
                "z": z,
                "p": p,
                "alternative": "two-sided",
                "verdict": verdict(p, alpha),
            }
        elif term != "intercept":
            row.update(z=None, p=None)
            test = not_estimable(
                "mixedlm_wald_z", status["reason"], status["reason_detail"], z=None
            )
            test["alternative"] = "two-sided"
        rows.append(row)
        records.append(
            record(
                record_id(study, "rq2", "care_concerns_total_lmm", term, "all"),
                label=f"mixed model of total care concerns (moment x group): {term}",
                variable="care_concerns_total_lmm",
                category=term,
                n=n_obs,
                effect="lmm_coefficient",
                **{k: v for k, v in row.items() if k not in ("term", "z", "p")},
                **test,
            )
        )
    records.append(
        record(
            record_id(study, "rq2", "care_concerns_total_lmm", "model", "all"),
            label="mixed model of total care concerns: random intercept per family, REML, L-BFGS",
            variable="care_concerns_total_lmm",
            category="model",
            n=n_obs,
            n_families=n_families,
            n_observations=n_obs,
            random_intercept_variance=_fitted(fit.cov_re.iloc[0, 0]) if estimable else None,
            residual_variance=_fitted(fit.scale) if estimable else None,
            log_likelihood=_fitted(fit.llf, 7) if estimable else None,
            converged=bool(fit.converged) if fit is not None else None,
            method="lbfgs",
            **status,
        )
    )
    return pd.DataFrame(rows), records


# ---------------------------------------------------------------------------------------
# SuccInt: safety and well-being (table 6.4), response, new living place (6.5, 6.6)


def safety_descriptives(succint: pd.DataFrame, study: str) -> tuple[pd.DataFrame, list]:
    safety = succint[(succint["measure"] == "safety_wellbeing") & succint["score"].notna()]
    rows, records = [], []
    for informant in INFORMANTS:
        for moment in FOLLOW_UPS:
            part = safety[(safety["informant"] == informant) & (safety["moment"] == moment)]
            summary = numeric_summary(part["score"])
            rows.append({"informant": informant, "moment": moment, **summary})
            records.append(
                record(
                    record_id(study, "6.4", "safety_wellbeing_score", "-", informant, moment),
                    label="SuccInt safety and well-being (0-20, 10 = unchanged)",
                    variable="safety_wellbeing_score",
                    **summary,
                )
            )
    columns, (low, high), _ = SCALES["safety_wellbeing"]
    records.append(
        record(
            record_id(study, "text6", "safety_wellbeing_score"),
            label="highest possible safety and well-being score (items x highest code)",
            variable="safety_wellbeing_score",
            n=len(columns),
            scale_min=len(columns) * low,
            scale_max=len(columns) * high,
            scale_unchanged=len(columns) * UNCHANGED_CODE,
        )
    )
    return pd.DataFrame(rows), records


def response(
    families: pd.DataFrame, care_concerns: pd.DataFrame, succint: pd.DataFrame, study: str
) -> tuple[pd.DataFrame, list]:
    """Case files analysed, and the SuccInt response on the report's base (active
    prospective families)."""
    rows, records = [], []
    # a hash lookup: `isin` on Arrow strings makes a Python object of every family id first
    registered = pd.Index(families["family_id"].unique())
    analysed = care_concerns.loc[registered.get_indexer(care_concerns["family_id"]) >= 0]
    count, n = int(analysed["family_id"].nunique()), len(families)
    rows.append(_response_row("case_file_analysis", "all", "-", count, n))
    records.append(
        count_record(
            record_id(study, "text6", "case_file_analysis", "-", "all"),
            count=count,
            base=n,
            label="families whose case file was analysed (ZAP-Kort), of all registered",
        )
    )
    active = families[(families["arm"] == "prospective") & (families["participation"] == "active")]
    base = len(active)
    rows.append(_response_row("prospective_conferences_held", "prospective", "-", base, base))
    records.append(
        record(
            record_id(study, "text6", "prospective_conferences_held", "-", "prospective"),
            label="active prospective families, the report's base of the SuccInt response "
            "(it calls them conferences held; not all of them had one)",
            n=base,
            count=base,
            with_conference=int(active["conference"].astype(bool).sum()),
        )
    )
    safety = succint[(succint["measure"] == "safety_wellbeing") & succint["score"].notna()]
    for informant in INFORMANTS:
        for moment in FOLLOW_UPS:
            scored = safety[(safety["informant"] == informant) & (safety["moment"] == moment)]
            count = int(scored["family_id"].nunique())
            rows.append(_response_row("succint_completed", informant, moment, count, base))
            records.append(
                count_record(
                    record_id(study, "text6", "succint_completed", "-", informant, moment),
                    count=count,
                    base=base,
                    label="SuccInt questionnaires with a safety score, of the active "
                    "prospective families",
                )
            )
    return pd.DataFrame(rows), records


def _response_row(figure: str, group: str, moment: str, count: int, n: int) -> dict:
    return {"figure": figure, "group": group, "moment": moment, "count": count, "n": n} | {
        "pct": share(count, n)
    }


def safety_tests(succint: pd.DataFrame, study: str, alpha: float) -> tuple[list, list, list]:
    """Returns the tests, the summary records of printed verdicts that cover several tests
    (with the ids of their parts), and the effect sizes."""
    safety = succint[(succint["measure"] == "safety_wellbeing") & succint["score"].notna()]
    wide = safety.pivot_table(
        index="family_id", columns=["informant", "moment"], values="score", aggfunc="first"
    )
    tests, effects = [], []
    for informant in INFORMANTS:
        pair = wide[informant][list(FOLLOW_UPS)].dropna()
        test = _test(
            study,
            "text6",
            "safety_wellbeing_score",
            "3m_vs_9m",
            informant,
            "-",
            paired_t(pair["3m"], pair["9m"], alpha=alpha),
            label=f"SuccInt safety, 3 against 9 months, {informant.replace('_', ' ')}s, paired",
            mean_before=float(pair["3m"].mean()) if len(pair) else None,
            mean_after=float(pair["9m"].mean()) if len(pair) else None,
        )
        tests.append(test)
        effects.append(_effect(test, hedges_g_paired(pair["3m"], pair["9m"])))
    tests += change_since_conference(safety, study, alpha)
    parts = []
    for moment in FOLLOW_UPS:
        at = safety[safety["moment"] == moment]
        referrer = at.loc[at["informant"] == "referrer", "score"]
        relative = at.loc[at["informant"] == "family_informant", "score"]
        test = _test(
            study,
            "text6",
            "safety_wellbeing_score",
            "-",
            "referrer_vs_family_informant",
            moment,
            student_t(referrer, relative, alpha=alpha),
            label=f"SuccInt safety at {moment}: referrers against family informants",
            n=len(referrer) + len(relative),
        )
        tests.append(test)
        parts.append(test)
        effects.append(_effect(test, hedges_g(referrer, relative)))
    summary = _summary(
        study,
        "safety_wellbeing_score",
        "referrer_vs_family_informant",
        "SuccInt safety: referrers against family informants, at 3 and at 9 months",
        parts,
        alpha,
    )
    return tests, [summary], effects


def change_since_conference(safety: pd.DataFrame, study: str, alpha: float) -> list[dict]:
    """The SuccInt rates change since the conference (10 = unchanged on 0-20): whether the
    children are safer than at the conference is the mean against that value, one-sided
    (safer expected), per informant and moment. Comparing 3 with 9 months asks instead
    whether the change went on, which the original's test answered."""
    columns, _, _ = SCALES["safety_wellbeing"]
    unchanged = len(columns) * UNCHANGED_CODE
    tests = []
    for informant in INFORMANTS:
        for moment in FOLLOW_UPS:
            part = safety[(safety["informant"] == informant) & (safety["moment"] == moment)]
            tests.append(
                _test(
                    study,
                    "rq2",
                    "safety_wellbeing_score",
                    "vs_unchanged",
                    informant,
                    moment,
                    one_sample_t(part["score"], unchanged, "greater", alpha),
                    label=f"SuccInt safety at {moment}, {informant.replace('_', ' ')}s: "
                    "mean against 'unchanged since the conference' (one-sided: safer)",
                    mean=float(part["score"].mean()) if len(part) else None,
                    scale_unchanged=unchanged,
                )
            )
    return tests


def _summary(
    study: str, variable: str, group: str, label: str, parts: list[dict], alpha: float
) -> dict:
    """One printed verdict over several tests (`verdict_over`)."""
    return record(
        record_id(study, "text6", variable, "-", group),
        label=f"{label} (verdict over {len(parts)} tests)",
        variable=variable,
        category="-",
        n=sum(part["n"] for part in parts),
        test="+".join(sorted({part["test"] for part in parts})),
        alternative="two-sided",
        **verdict_over(parts, alpha),
    )


def living_place(succint: pd.DataFrame, study: str) -> tuple[pd.DataFrame, list]:
    """Tables 6.5 and 6.6: one category per returned questionnaire, column percentages."""
    places = succint[(succint["measure"] == "new_living_place") & succint["category"].notna()]
    frames, records = [], []
    for informant in INFORMANTS:
        table = LIVING_TABLES[informant]
        for moment in FOLLOW_UPS:
            part = places[(places["informant"] == informant) & (places["moment"] == moment)]
            records.append(
                record(
                    record_id(study, table, "new_living_place_rating", "-", informant, moment),
                    label="questionnaires with the living-place question answered",
                    variable="new_living_place_rating",
                    n=len(part),
                )
            )
            frame, recs = category_counts(
                part,
                "category",
                LIVING_CATEGORIES,
                group_col="informant",
                groups=[informant],
                study=study,
                table=table,
                label="judgement of the new living place since the conference",
                token="new_living_place_rating",
                moment=moment,
            )
            frames.append(frame.assign(moment=moment))
            records += recs
    return pd.concat(frames, ignore_index=True), records


def living_place_tests(succint: pd.DataFrame, study: str, alpha: float) -> tuple[list, list]:
    places = succint[(succint["measure"] == "new_living_place") & succint["category"].notna()]
    tests, effects = [], []
    for informant in INFORMANTS:
        mine = places[places["informant"] == informant]
        wide = mine.pivot(index="family_id", columns="moment", values="category")
        judged = wide.reindex(columns=list(FOLLOW_UPS)).apply(lambda c: c.map(LIVING_ORDER))
        pair = judged.dropna()
        tests.append(
            _test(
                study,
                "text6",
                "new_living_place_rating",
                "3m_vs_9m",
                informant,
                "-",
                wilcoxon_signed_rank(pair["3m"], pair["9m"], "two-sided", alpha),
                label=f"new living place, 3 against 9 months, {informant.replace('_', ' ')}s: "
                "judgements of the families judged at both moments (Wilcoxon signed-rank, "
                "V of 3 minus 9 months)",
            )
        )
    for moment in FOLLOW_UPS:
        at = places[places["moment"] == moment]
        crosstab = pd.crosstab(at["category"], at["informant"]).reindex(
            index=LIVING_CATEGORIES, columns=list(INFORMANTS), fill_value=0
        )
        test = _test(
            study,
            "text6",
            "new_living_place_rating",
            "-",
            "referrer_vs_family_informant",
            moment,
            pearson_chi2(crosstab.to_numpy(), alpha),
            label=f"new living place at {moment}: referrers against family informants "
            "(categories of tables 6.5/6.6, empty ones left out)",
        )
        tests.append(test)
        effects.append(_effect(test, cramers_v(crosstab.to_numpy())))
    return tests, effects


# ---------------------------------------------------------------------------------------
# interviews nine months after the decision (section 6.4)


def interview_figures(
    scores: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list, list, list]:
    rows, records = [], []
    improved = {}
    for groep, group in INTERVIEW_GROUPS.items():
        counts = case_counts(scores, SAFETY, groep)
        improved[group] = (int(counts[IMPROVED]), int(counts.drop([IMPROVED, UNKNOWN]).sum()))
        for code, count in counts.items():
            category = REFERRER_TOKENS[code]
            rows.append(
                {"figure": "safety_change_referrer", "category": category, "group": group}
                | {"count": int(count), "n": int(counts.sum()), "pct": None}
            )
            records.append(
                record(
                    record_id(study, "text6", "safety_change_referrer", category, group, "9m"),
                    label="cases by the referrer's view of the child's safety since the "
                    "decision (unweighted)",
                    n=int(counts.sum()),
                    count=int(count),
                )
            )
    shares = weighted_shares(scores, SAFETY, "EKc", FAMILY_ROLES)
    units = int(shares["n_units"].sum())
    for row in shares.itertuples(index=False):
        category = FAMILY_TOKENS[row.code]
        rows.append(
            {"figure": "safety_change_family", "category": category, "group": "interview_ekc"}
            | {"count": int(row.n_units), "n": units, "pct": float(row.pct)}
        )
        records.append(
            record(
                record_id(study, "text6", "safety_change_family", category, "interview_ekc", "9m"),
                label="family members (parents, children, family informants) by their view "
                "of the child's safety, weighted per case (section 2.6)",
                n=units,
                count=int(row.n_units),
                weighted_n=float(row.weighted_n),
                pct=float(row.pct),
            )
        )
    table = np.array([improved["interview_ekc"], improved["shadow"]])
    test = _test(
        study,
        "text6",
        "safety_change_referrer",
        "-",
        "interview_ekc_vs_shadow",
        "9m",
        pearson_chi2(table, alpha),
        label="referrers' view of safety, improved or not: EKc against shadow cases",
        fisher_p=fisher_exact(table, alpha=alpha)["p"],
        # one-sided: more improvement expected in the EKc cases
        p_one_sided=fisher_exact(table, "greater", alpha)["p"],
    )
    return pd.DataFrame(rows), records, [test], [_effect(test, cramers_v(table))]


# ---------------------------------------------------------------------------------------


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Tables needed: families, care_concerns, succint, interview_scores."""
    families = tables["families"]
    wide = care_concerns_wide(tables["care_concerns"], families)
    concerns, concern_records = care_concern_descriptives(wide, study)
    concern_tests, concern_effects = care_concern_tests(wide, study, alpha)
    lmm, lmm_records = mixed_model(wide, study, alpha)
    safety, safety_records = safety_descriptives(tables["succint"], study)
    responses, response_records = response(
        families, tables["care_concerns"], tables["succint"], study
    )
    s_tests, summaries, s_effects = safety_tests(tables["succint"], study, alpha)
    places, place_records = living_place(tables["succint"], study)
    p_tests, p_effects = living_place_tests(tables["succint"], study, alpha)
    interviews, interview_records, i_tests, i_effects = interview_figures(
        tables["interview_scores"], study, alpha
    )

    # Holm over every test of this research question, the model's Wald tests included
    lmm_tests = [r for r in lmm_records if is_test(r)]
    tests = concern_tests + s_tests + p_tests + i_tests
    holm_family(tests + lmm_tests, summaries)
    by_id = {r["id"]: r for r in lmm_tests}
    effects = concern_effects + s_effects + p_effects + i_effects

    out = {
        "care_concerns": concerns,
        "safety_wellbeing": safety,
        "new_living_place": places,
        "response": responses,
        "interviews": interviews,
        "tests": table_of_tests(tests + summaries, columns=TEST_COLUMNS, sort_by=None),
        "effects": records_table(effects, EFFECT_COLUMNS),
        "lmm": lmm.assign(
            p_holm=[
                by_id.get(record_id(study, "rq2", "care_concerns_total_lmm", t, "all"), {}).get(
                    "p_holm"
                )
                for t in lmm["term"]
            ]
        ),
    }
    records = concern_records + safety_records + response_records + place_records
    records += interview_records + tests + summaries + effects + lmm_records
    records += power_records(wide, study, alpha)
    return out, records


# Cohen's conventional medium standardised difference: what a study of this size could detect.
MEDIUM_EFFECT = 0.5


def power_records(wide: pd.DataFrame, study: str, alpha: float) -> list[dict]:
    """Power of the comparison of the groups' care concerns at 3 and 9 months for a medium
    difference, with the numbers of families the study has there (validity section)."""
    records = []
    for moment in FOLLOW_UPS:
        at = wide[wide["moment"] == moment].dropna(subset=["total"])
        n1 = int((at["group"] == "conference").sum())
        n2 = int((at["group"] == "no_conference").sum())
        power = power_two_sample_t(MEDIUM_EFFECT, n1, n2, alpha)
        records.append(
            record(
                record_id(
                    study,
                    "rq2",
                    "power",
                    "medium_difference",
                    "conference_vs_no_conference",
                    moment,
                ),
                label=f"power to detect a medium difference (d = {MEDIUM_EFFECT}) in care "
                f"concerns between the groups at {moment}, two-sided t-test",
                n=n1 + n2,
                **power,
                pct=None if power["power"] is None else 100.0 * power["power"],
            )
        )
    return records
