"""Alt text of the report's figures: what each figure shows, with its numbers, in the
report's language (catalog context 'alt'), read from the same records the figure is drawn
from. A screen reader reads it in place of the picture (the tagged PDF's /Alt)."""

from __future__ import annotations

from collections.abc import Mapping

from babel.support import NullTranslations

from ekc.core.report import numbers
from ekc.youth_protection.report import charts

FLOW_STEPS = (
    "registered",
    "retrospective",
    "prospective",
    "active",
    "withdrawn_or_refused",
    "restgroep",
    "conference",
    "no_conference",
    "with_follow_up_form",
    "with_registration_form",
    "case_file_analysed",
)


class AltText:
    def __init__(self, records: Mapping[str, dict], study: str, lang: str, t: NullTranslations):
        self.records, self.study, self.lang, self.t = records, study, lang, t

    def _alt(self, message: str, **values) -> str:
        return self.t.pgettext("alt", message) % values

    def _chart(self, key: str) -> str:
        return self.t.pgettext("chart", key)

    def _field(self, record_id: str, field: str):
        return (self.records.get(record_id) or {}).get(field)

    def _mean(self, record_id: str) -> str:
        mean = self._field(record_id, "mean")
        return self._alt("no data") if mean is None else numbers.number(mean, self.lang, 2)

    def flow(self, flow: Mapping[str, int]) -> str:
        counts = {step: numbers.integer(int(flow.get(step, 0)), self.lang) for step in FLOW_STEPS}
        return self._alt(
            "Flow chart of the %(registered)s registered families, divided in two independent "
            "ways. By study design: %(retrospective)s retrospective and %(prospective)s "
            "prospective families; of the prospective families %(active)s took part actively "
            "and %(withdrawn_or_refused)s refused or withdrew, and %(restgroep)s of them were "
            "added late, without nine-month follow-up or case-file analysis. By analysis group: "
            "%(conference)s families with a conference and %(no_conference)s without one; a "
            "follow-up form is available for %(with_follow_up_form)s of the families with a "
            "conference. A registration form is available for %(with_registration_form)s "
            "families, and the case file was analysed for %(case_file_analysed)s.",
            **counts,
        )

    def care_concerns(self) -> str:
        sentences = [
            self._alt(
                "Three line charts of the mean number of care concerns per family at the start, "
                "after three and after nine months, for families with a conference (solid line) "
                "and without one (dashed line)."
            )
        ]
        for table, variable in charts.DOMAINS:
            series = {
                group: "; ".join(
                    f"{self._chart(m)} "
                    + self._mean(f"{self.study}:{table}:{variable}:-:{group}:{m}")
                    for m in charts.MOMENTS
                )
                for group in ("conference", "no_conference")
            }
            sentences.append(
                self._alt(
                    "%(domain)s. With a conference: %(conference)s. Without a conference: "
                    "%(no_conference)s.",
                    domain=self._chart(variable),
                    **series,
                )
            )
        return " ".join(sentences)

    def bands(self, panels: list[tuple[str, str]]) -> str:
        sentences = [
            self._alt(
                "Stacked bar charts of the percentage of parents at each problem level (from "
                "none to very serious) at the start, after three and after nine months, one "
                "chart per scale; the number of parents is printed above each bar."
            )
        ]
        for table, variable in panels:
            for moment in charts.MOMENTS:
                n = self._field(f"{self.study}:{table}:{variable}:-:parents:{moment}", "n")
                levels = []
                for band in charts.BANDS:
                    count = self._field(
                        f"{self.study}:{table}:{variable}:{band}:parents:{moment}", "count"
                    )
                    share = 100.0 * count / n if count is not None and n else 0.0
                    levels.append(f"{self._chart(band)} {numbers.percent(share, self.lang)}")
                sentences.append(
                    self._alt(
                        "%(scale)s, %(moment)s (n = %(n)s): %(levels)s.",
                        scale=self._chart(variable),
                        moment=self._chart(moment),
                        n=numbers.integer(int(n or 0), self.lang),
                        levels="; ".join(levels),
                    )
                )
        return " ".join(sentences)

    def succint(self) -> str:
        sentences = [
            self._alt(
                "Bar charts of the mean SuccInt scores given by referrers (plain bars) and "
                "family informants (hatched bars) at three and nine months, one chart per "
                "scale; the number of questionnaires is printed on each bar."
            )
        ]
        for table, variable in charts.SUCCINT_SCALES:
            series = {}
            for informant in charts.INFORMANTS:
                parts = []
                for moment in ("3m", "9m"):
                    record_id = f"{self.study}:{table}:{variable}:-:{informant}:{moment}"
                    n = self._field(record_id, "n")
                    parts.append(
                        f"{self._chart(moment)} {self._mean(record_id)} "
                        f"(n = {numbers.integer(int(n or 0), self.lang)})"
                    )
                series[informant] = "; ".join(parts)
            sentences.append(
                self._alt(
                    "%(scale)s. Referrers: %(referrer)s. Family informants: %(family_informant)s.",
                    scale=self._chart(variable),
                    **series,
                )
            )
        return " ".join(sentences)
