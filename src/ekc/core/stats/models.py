"""Models of the analyses, computed over all families at once.

- `RandomInterceptMixedLM`: statsmodels' MixedLM restricted to its default random-effects
  structure (one random intercept per group, no variance components, no penalties). The fit
  (REML / ML, the optimisers, start values, convergence checks, warnings, standard errors
  from the Hessian) is statsmodels' own; only the per-group terms of the likelihood, its
  gradient, the Hessian, the GLS fixed effects and the scale are summed over the groups with
  array operations instead of a Python loop over the groups. With a random intercept the
  marginal covariance of group g (n_g rows) is V_g = I + psi 1 1' (in units of the residual
  variance), so V_g^-1 x = x - 1 (1'x) / (n_g + 1/psi): every group term is a function of
  per-group sums. Same estimates; the cost of an evaluation no longer grows with a Python
  loop over 100,000 families. Up to `LOOP_MAX_GROUPS` groups (the embedded study has 113
  families) statsmodels' own loop runs: it costs little there, and it keeps the published
  results bit for bit. The sums agree with the loop's to about 1e-14 (relative), but where
  the REML likelihood is flat (a family variance on the boundary 0) L-BFGS stops at a point
  that depends on the last bits of the likelihood, so the arithmetic is kept where it can be.
  Fitting (`fit`) adds what lme4 checks and statsmodels does not:
  - a model that cannot be identified raises `records.NotEstimable`: fewer than two groups,
    or as many groups as observations (every family measured once: family and residual
    variance cannot be told apart; lme4 stops for the same two reasons), or collinear
    fixed effects;
  - without a start, the optimiser starts from the data (between/within-family variance
    ratio of the OLS residuals) instead of statsmodels' ratio 1, from which L-BFGS can step
    onto a singular matrix (LinAlgError) when the family variance is small;
  - a fit that fails (LinAlgError, no convergence) or ends below the likelihood of a zero
    family variance is repeated from a start next to that boundary, so a family variance
    of 0 is reported as lme4 reports it (a boundary fit, lme4's "singular fit");
    singular equations from every start raise NotEstimable(singular_model).
  Standard errors are statsmodels' (the inverse Hessian of the REML or ML log-likelihood at
  the estimates, all parameters); lme4 conditions on the variance estimates. The two agree
  for balanced data (tests/test_stats_reference.py: lme4's sleepstudy and Dyestuff fits)
  and differ by about 1% in unbalanced data.
- `fit_random_intercept`: the fit, for an analysis: a model that cannot be identified or
  solved comes back as a not-estimable status with its reason (an analysis writes it into
  its records; it never stops the rule), a fit that did not converge likewise (`fit_status`).
- `rm_anova_oneway`: the one-way repeated-measures ANOVA of statsmodels' AnovaRM (one
  within-subject factor, balanced data), without its dense subject-dummy design matrix
  (rows x subjects, quadratic in the cohort size): the same full and reduced models'
  residual sums of squares, from subject and level means. Subjects with a missing value at
  any level are left out (listwise); too few subjects or no residual variance make the
  result not estimable; `rm_anova_test` turns its row into a test record's fields.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.mixed_linear_model import (
    MixedLM,
    MixedLMParams,
    _warn_cov_sing,
)
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

from ekc.core.stats.inference import verdict
from ekc.core.stats.records import (
    ESTIMATED,
    NOT_ESTIMABLE,
    REASONS,
    NotEstimable,
    not_estimable,
)

LOOP_MAX_GROUPS = 1000
START_RATIO_BOUNDS = (0.1, 10.0)  # data-based start of the family/residual variance ratio
BOUNDARY_START_RATIO = 1e-3  # a start next to a family variance of 0
BOUNDARY_TOLERANCE = 1e-6  # log-likelihood units


class RandomInterceptMixedLM(MixedLM):
    """MixedLM with a random intercept per group, its group loops vectorised.

    Build it as MixedLM: `RandomInterceptMixedLM.from_formula(formula, data, groups=...)`.
    """

    def __init__(self, endog, exog, groups, exog_re=None, exog_vc=None, **kwargs):
        if exog_re is not None or (exog_vc is not None and len(exog_vc.names) > 0):
            raise ValueError("RandomInterceptMixedLM fits the default random intercept only")
        super().__init__(endog, exog, groups, **kwargs)
        self._vectorised = self.n_groups > LOOP_MAX_GROUPS
        # The rows of each group, groups in statsmodels' order (sorted labels).
        rows = [np.asarray(self.row_indices[g], dtype=np.intp) for g in self.group_labels]
        sizes = np.array([len(r) for r in rows], dtype=np.intp)
        self._order = np.concatenate(rows)
        self._starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        self._sizes = sizes.astype(float)
        self._group_exog = self._group_sum(self.exog)  # 1'X_g, one row per group
        self._group_endog = self._group_sum(self.endog)
        self._xtx = self.exog.T @ self.exog
        self._xty = self.exog.T @ self.endog

    # --- fitting: identification, start values, boundary ---------------------------------

    def check_identifiable(self) -> None:
        """Raise NotEstimable when no data could identify the model (lme4's checks)."""
        if self.n_groups < 2:
            raise NotEstimable("too_few_groups", f"{self.n_groups} group(s)")
        if self.n_groups >= self.n_totobs:
            raise NotEstimable(
                "no_repeated_measures", f"{self.n_groups} groups for {self.n_totobs} observations"
            )
        # X'X (k x k, already at hand) rather than X: cheap at a million rows
        if self.k_fe and np.linalg.matrix_rank(self._xtx, hermitian=True) < self.k_fe:
            raise NotEstimable(
                "collinear_fixed_effects", f"fixed effects {list(self.exog_names)} are collinear"
            )

    def _ols(self) -> tuple[np.ndarray, np.ndarray]:
        beta, *_ = np.linalg.lstsq(self.exog, self.endog, rcond=None)
        return beta, self.endog - self.exog @ beta

    def data_start(self) -> MixedLMParams:
        """OLS fixed effects and the between/within-group variance ratio of their residuals."""
        beta, resid = self._ols()
        means = self._group_sum(resid) / self._sizes
        within = float(
            ((resid[self._order] - np.repeat(means, self._sizes.astype(int))) ** 2).sum()
        )
        within /= self.n_totobs - self.n_groups
        between = float(np.var(means, ddof=1))
        ratio = float(np.clip(between / within, *START_RATIO_BOUNDS)) if within > 0 else 1.0
        return MixedLMParams.from_components(fe_params=beta, cov_re=np.array([[ratio]]))

    def boundary_start(self) -> MixedLMParams:
        beta, _ = self._ols()
        return MixedLMParams.from_components(
            fe_params=beta, cov_re=np.array([[BOUNDARY_START_RATIO]])
        )

    def boundary_loglike(self, reml: bool = True) -> float:
        """The (REML) log-likelihood with a family variance of 0: that of OLS, in
        statsmodels' profiled form."""
        _, resid = self._ols()
        n, k = self.n_totobs, self.k_fe
        rss = float(resid @ resid)
        if reml:
            _, logdet = np.linalg.slogdet(self.exog.T @ self.exog)
            m = n - k
            return (
                -m / 2 * np.log(rss)
                - logdet / 2
                - m / 2 * np.log(2 * np.pi)
                + m / 2 * (np.log(m) - 1)
            )
        return -n / 2 * np.log(rss) - n / 2 * np.log(2 * np.pi) + n / 2 * (np.log(n) - 1)

    def fit(self, start_params=None, reml=True, **kwargs):
        """statsmodels' fit, identification checked, from the caller's start (if any), then
        from the data and from next to the boundary until a converged fit is at least as
        likely as a zero family variance."""
        self.check_identifiable()
        starts = [start_params] if start_params is not None else []
        starts += [self.data_start(), self.boundary_start()]
        boundary = self.boundary_loglike(reml)
        best, error = None, None
        for start in starts:
            try:
                result = super().fit(start_params=start, reml=reml, **kwargs)
            except np.linalg.LinAlgError as caught:
                error = caught
                continue
            good = result.converged and result.llf >= boundary - BOUNDARY_TOLERANCE
            if good:
                return result
            if best is None or (result.converged, result.llf) > (best.converged, best.llf):
                best = result
        if best is None:
            raise NotEstimable("singular_model", str(error))
        return best

    # --- helpers -------------------------------------------------------------------------

    def _group_sum(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values[self._order], self._starts, axis=0)

    def _check_plain(self) -> None:
        plain = (getattr(self, name, None) is None for name in ("cov_pen", "fe_pen", "_freepat"))
        if not all(plain):
            raise NotImplementedError("penalties and fixed parameters need MixedLM itself")

    def _resid_sums(self, fe_params: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """sum of squared residuals, their sum per group, and X' resid."""
        resid = self.endog - self.exog @ fe_params
        return float(resid @ resid), self._group_sum(resid), self.exog.T @ resid

    def _weights(self, cov_re_inv: np.ndarray) -> np.ndarray:
        """1 / (n_g + 1/psi) per group: V_g^-1 = I - 1 1' / (n_g + 1/psi)."""
        return 1.0 / (self._sizes + float(cov_re_inv[0, 0]))

    def _xtvix(self, c: np.ndarray) -> np.ndarray:
        sx = self._group_exog
        return self._xtx - (sx * c[:, None]).T @ sx

    # --- statsmodels' MixedLM methods, per-group sums vectorised -------------------------

    def get_fe_params(self, cov_re, vcomp, tol=1e-10):
        if not self._vectorised:
            return super().get_fe_params(cov_re, vcomp, tol)
        if self.k_fe == 0:
            return np.array([]), False
        sing = False
        w, v = np.linalg.eigh(cov_re)
        if w.min() < tol:
            sing = True
            ii = np.flatnonzero(w >= tol)
            if len(ii) == 0:
                cov_re_inv = np.zeros_like(cov_re)
            else:
                vi = v[:, ii]
                cov_re_inv = np.dot(vi / w[ii], vi.T)
        else:
            cov_re_inv = np.linalg.inv(cov_re)
        c = self._weights(cov_re_inv)
        sx = self._group_exog
        xtvix = self._xtvix(c)
        xtviy = self._xty - (sx * c[:, None]).T @ self._group_endog
        solve = np.dot(np.linalg.pinv(xtvix), xtviy) if sing else np.linalg.solve(xtvix, xtviy)
        return solve, sing

    def loglike(self, params, profile_fe=True):
        if not self._vectorised:
            return super().loglike(params, profile_fe)
        if type(params) is not MixedLMParams:
            params = MixedLMParams.from_packed(
                params, self.k_fe, self.k_re, self.use_sqrt, has_fe=False
            )
        self._check_plain()
        cov_re = params.cov_re
        if profile_fe:
            fe_params, sing = self.get_fe_params(cov_re, params.vcomp)
            if sing:
                self._cov_sing += 1
        else:
            fe_params = params.fe_params
        try:
            cov_re_inv = np.linalg.inv(cov_re)
        except np.linalg.LinAlgError:
            cov_re_inv = np.linalg.pinv(cov_re)
            self._cov_sing += 1
        _, cov_re_logdet = np.linalg.slogdet(cov_re)

        c = self._weights(cov_re_inv)
        rr, group_resid, _ = self._resid_sums(fe_params)
        # log|V_g| = log(psi) + log(n_g + 1/psi)
        logdet = self.n_groups * cov_re_logdet + np.sum(np.log(self._sizes + cov_re_inv[0, 0]))
        likeval = -logdet / 2.0
        qf = rr - np.sum(group_resid**2 * c)

        n, k = self.n_totobs, self.k_fe
        if self.reml:
            _, ld = np.linalg.slogdet(self._xtvix(c))
            likeval -= (n - k) * np.log(qf) / 2.0
            likeval -= ld / 2.0
            likeval -= (n - k) * np.log(2 * np.pi) / 2.0
            likeval += (n - k) * np.log(n - k) / 2.0
            likeval -= (n - k) / 2.0
        else:
            likeval -= n * np.log(qf) / 2.0
            likeval -= n * np.log(2 * np.pi) / 2.0
            likeval += n * np.log(n) / 2.0
            likeval -= n / 2.0
        return likeval

    def score_full(self, params, calc_fe):
        if not self._vectorised:
            return super().score_full(params, calc_fe)
        self._check_plain()
        fe_params, cov_re = params.fe_params, params.cov_re
        try:
            cov_re_inv = np.linalg.inv(cov_re)
        except np.linalg.LinAlgError:
            cov_re_inv = np.linalg.pinv(cov_re)
            self._cov_sing += 1
        c = self._weights(cov_re_inv)
        rr, group_resid, xtr = self._resid_sums(fe_params)
        sx = self._group_exog
        # 1' V_g^-1 1, 1' V_g^-1 resid_g and 1' V_g^-1 X_g
        a = 1.0 - self._sizes * c
        dlv = np.sum(self._sizes * a)
        vir = group_resid * a
        vix = sx * a[:, None]
        rvir = rr - np.sum(group_resid**2 * c)
        fac = self.n_totobs - (self.k_fe if self.reml else 0)

        score_fe = np.zeros(self.k_fe)
        score_re = np.array([-0.5 * dlv + 0.5 * fac * np.sum(vir**2) / rvir])
        if calc_fe and self.k_fe > 0:
            xtvir = xtr - sx.T @ (group_resid * c)
            score_fe += fac * xtvir / rvir
        if self.reml:
            xtax = vix.T @ vix
            xtvixi = np.linalg.inv(self._xtvix(c))
            score_re[0] += 0.5 * np.sum(xtvixi.T * xtax)
        return score_fe, score_re, np.zeros(0)

    def hessian(self, params):
        if not self._vectorised:
            return super().hessian(params)
        if type(params) is not MixedLMParams:
            params = MixedLMParams.from_packed(
                params, self.k_fe, self.k_re, use_sqrt=self.use_sqrt, has_fe=True
            )
        fe_params, cov_re = params.fe_params, params.cov_re
        sing = False
        try:
            cov_re_inv = np.linalg.inv(cov_re)
        except np.linalg.LinAlgError:
            cov_re_inv = np.linalg.pinv(cov_re)
            sing = True
        c = self._weights(cov_re_inv)
        rr, group_resid, _ = self._resid_sums(fe_params)
        sx = self._group_exog
        a = 1.0 - self._sizes * c
        dlv = self._sizes * a  # 1' V_g^-1 1 per group
        vir = group_resid * a  # 1' V_g^-1 resid_g
        vix = sx * a[:, None]  # 1' V_g^-1 X_g
        fac = self.n_totobs - (self.exog.shape[1] if self.reml else 0)

        xtvix = self._xtvix(c)
        rvir = rr - np.sum(group_resid**2 * c)
        hess_fere = (vix.T @ vir)[None, :]
        big_b = np.array([np.sum(vir**2)])
        big_d = np.array([[np.sum(2.0 * dlv * vir**2)]])
        hess_re = np.array([[np.sum(dlv**2) / 2.0]])

        hess_fe = -fac * xtvix / rvir
        hess_re = hess_re - 0.5 * fac * (big_d / rvir - np.outer(big_b, big_b) / rvir**2)
        hess_fere = -fac * hess_fere / rvir
        if self.reml:
            xtax = vix.T @ vix
            f = 2.0 * (vix * dlv[:, None]).T @ vix
            ql = np.linalg.solve(xtvix, xtax)
            value = np.sum(ql.T * ql) - np.trace(np.linalg.solve(xtvix, f))
            hess_re[0, 0] += 0.5 * value

        m = self.k_fe + 1
        hess = np.zeros((m, m))
        hess[: self.k_fe, : self.k_fe] = hess_fe
        hess[: self.k_fe, self.k_fe :] = hess_fere.T
        hess[self.k_fe :, : self.k_fe] = hess_fere
        hess[self.k_fe :, self.k_fe :] = hess_re
        return hess, sing

    def get_scale(self, fe_params, cov_re, vcomp):
        if not self._vectorised:
            return super().get_scale(fe_params, cov_re, vcomp)
        try:
            cov_re_inv = np.linalg.inv(cov_re)
        except np.linalg.LinAlgError:
            cov_re_inv = np.linalg.pinv(cov_re)
            warnings.warn(_warn_cov_sing, SingularMatrixWarning, stacklevel=2)
        c = self._weights(cov_re_inv)
        rr, group_resid, _ = self._resid_sums(fe_params)
        qf = rr - np.sum(group_resid**2 * c)
        return qf / (self.n_totobs - self.k_fe if self.reml else self.n_totobs)


def fit_status(result) -> dict:
    """`status` (and `reason`) of a mixed-model fit for its records: not estimable when it
    did not converge."""
    if result.converged:
        return {"status": ESTIMATED}
    return {
        "status": NOT_ESTIMABLE,
        "reason": "not_converged",
        "reason_detail": REASONS["not_converged"],
    }


def fit_random_intercept(
    formula: str, data: pd.DataFrame, groups, **fit_options
) -> tuple[object | None, dict, str]:
    """Fit `formula` with a random intercept per group (`RandomInterceptMixedLM`): the fit,
    its status fields (`fit_status`) and the fit's warnings, one string. A model the data
    cannot identify or solve gives no fit and the not-estimable status with its reason: an
    analysis writes that into its records instead of stopping."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if len(data) == 0:
                raise NotEstimable("too_few_groups", "no observations")
            model = RandomInterceptMixedLM.from_formula(formula, data, groups=groups)
            fit = model.fit(**fit_options)
        except NotEstimable as failed:
            fit = None
            status = {
                "status": NOT_ESTIMABLE,
                "reason": failed.reason,
                "reason_detail": failed.detail,
            }
    messages = "; ".join(sorted({str(w.message) for w in caught}))
    return fit, (fit_status(fit) if fit is not None else status), messages


def rm_anova_test(row: dict, alpha: float, test: str = "anova_rm") -> dict:
    """The fields of a test record from a row of `rm_anova_oneway`: not estimable (no F, df
    or p) when the row is, `n` the subjects used."""
    n = row["n_subjects"]
    if row["status"] == NOT_ESTIMABLE:
        return not_estimable(test, row["reason"], row["reason_detail"], n=n)
    return {
        "test": test,
        "status": ESTIMATED,
        "statistic": row["F Value"],
        "df": row["Num DF"],
        "df1": row["Num DF"],
        "df2": row["Den DF"],
        "p": row["Pr > F"],
        "alternative": "two-sided",
        "verdict": verdict(row["Pr > F"], alpha),
        "n": n,
    }


def rm_anova_oneway(frame: pd.DataFrame, depvar: str, subject: str, within: str) -> dict:
    """One-way repeated-measures ANOVA as statsmodels' AnovaRM(...).fit() computes it: F of
    the within factor against the residual of the additive model subject + factor, one row
    per subject and level (balanced). Returns the fields of its table row, the number of
    subjects used and the status; F, df and p are None when the test is not estimable."""
    missing = frame[depvar].isna()
    if missing.any():  # listwise: a subject with a missing level is left out
        frame = frame[~frame[subject].isin(frame.loc[missing, subject])]
    counts = frame.groupby([subject, within], observed=True).size()
    subjects = frame[subject].nunique()
    levels = frame[within].nunique()
    if len(counts) != subjects * levels or (counts != 1).any():
        raise ValueError("Data is unbalanced.")
    empty = {"F Value": None, "Num DF": None, "Den DF": None, "Pr > F": None}
    if subjects < 2 or levels < 2:
        reason = "too_few_observations"
        detail = f"{subjects} complete subject(s), {levels} level(s)"
        return {
            **empty,
            "n_subjects": subjects,
            "status": NOT_ESTIMABLE,
            "reason": reason,
            "reason_detail": detail,
        }
    y = frame[depvar].to_numpy(dtype=float)
    if np.isinf(y).any():
        raise ValueError(f"{depvar} contains infinite values")
    s_codes = pd.factorize(frame[subject])[0]
    w_codes = pd.factorize(frame[within])[0]
    grand = y.mean()
    subject_mean = np.bincount(s_codes, weights=y, minlength=subjects) / levels
    level_mean = np.bincount(w_codes, weights=y, minlength=levels) / subjects
    # reduced model (subjects only) and full model (subjects + within factor)
    reduced = y - subject_mean[s_codes]
    full = reduced - (level_mean[w_codes] - grand)
    ssr, ssr1 = float(full @ full), float(reduced @ reduced)
    df1 = float(levels - 1)
    df2 = float((levels - 1) * (subjects - 1))
    if ssr <= 100 * np.finfo(float).eps * float(((y - grand) ** 2).sum()):
        return {
            **empty,
            "n_subjects": subjects,
            "status": NOT_ESTIMABLE,
            "reason": "no_variance",
            "reason_detail": "no residual variance (the change is the same for everyone)",
        }
    f = ((ssr1 - ssr) / df1) / (ssr / df2)
    return {
        "F Value": f,
        "Num DF": df1,
        "Den DF": df2,
        "Pr > F": float(stats.f.sf(f, df1, df2)),
        "n_subjects": subjects,
        "status": ESTIMATED,
    }
