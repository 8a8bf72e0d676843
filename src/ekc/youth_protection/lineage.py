"""Where every validated export row of the youth-protection study belongs: its unit and form.

The linkage decides the fate of each export row (kept, orphaned, unexpected) from what the
row is about: the family (or interview case, or interview) it names, the instrument and
moment it measures and the date it was filled in. This module reads those from the
validated exports, with the case numbers already pseudonymised, so that the linkage can name
each row a data manager sees (`source_row`) without ever holding a case number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ekc.core.pseudonym import pseudonym
from ekc.core.readers import SOURCE_ROW

LINEAGE_COLUMNS = [
    "source",
    SOURCE_ROW,
    "unit",
    "links_to",
    "row_id",
    "instrument",
    "moment",
    "date",
]
QUESTIONNAIRE_MOMENTS = {0: "start", 1: "3m", 2: "9m"}
SUCCINT_MOMENTS = {1: "3m", 2: "9m"}


@dataclass(frozen=True)
class Unit:
    """What one export's rows are about.

    `key`: the column naming the unit; `links_to`: what the unit must be found in (the
    register's families, the interview cases, the interviews; `None` for the register
    itself); `instrument` and a fixed `moment` or a `moment_column` with its codes; `date`:
    the column with the date the form refers to; `row_id`: the column other exports link
    to this row by; `outside_register`: a (column, value) marking rows that belong outside
    the register by design (the shadow cases of the interviews).
    """

    key: str
    links_to: str | None = "register"
    instrument: str | None = None
    moment: str | None = None
    moment_column: str | None = None
    moments: dict[int, str] | None = None
    date: str | None = None
    row_id: str | None = None
    outside_register: tuple[str, str] | None = None


def _zap(moment: str) -> Unit:
    return Unit("gezinsnr", instrument="zap_kort", moment=moment, date="peildatum")


def _questionnaire(instrument: str) -> Unit:
    return Unit(
        "gezinsnr",
        instrument=instrument,
        moment_column="meetmoment",
        moments=QUESTIONNAIRE_MOMENTS,
        date="invuldatum",
    )


def _succint(instrument: str) -> Unit:
    return Unit(
        "gezinsnr",
        instrument=instrument,
        moment_column="meetmoment",
        moments=SUCCINT_MOMENTS,
        date="invuldatum",
    )


EXPORT_UNITS = {
    "register": Unit("gezinsnummer", links_to=None),
    "frek_families": Unit("Gezinsnummer", instrument="frek", moment="start"),
    "frek_children": Unit("Gezinsnummer", instrument="frek_children", moment="start"),
    "fufrek": Unit("Gezinsnummer", instrument="fufrek", moment="3m", date="Datum follow-up"),
    "zap_kort_aanvang": _zap("start"),
    "zap_kort_3mnd": _zap("3m"),
    "zap_kort_9mnd": _zap("9m"),
    "cvc": Unit("gezinsnr", instrument="cvc", moment="start", date="invuldatum"),
    "nosik_aanvang": Unit("gezinsnr", instrument="nosik", moment="start", date="invuldatum"),
    "veo": _questionnaire("veo"),
    "pul": _questionnaire("pul"),
    "succint_aanmelder": _succint("succint_referrer"),
    "succint_gezinsinformant": _succint("succint_family_informant"),
    "interview_cases": Unit("gezinsnr", outside_register=("groep", "schaduw")),
    "interview_children": Unit("gezinsnr", links_to="interview_cases"),
    "interviews": Unit("gezinsnr", links_to="interview_cases", row_id="interviewnr"),
    "interview_statements": Unit("interviewnr", links_to="interviews"),
}


def _hashed(values: pd.Series, key: bytes, prefix: str) -> list[str | None]:
    return [None if pd.isna(v) else pseudonym(str(v), key, prefix=prefix) for v in values]


def export_lineage(source: str, frame: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """One row per validated export row: its source row, unit (pseudonymised), instrument,
    moment and date."""
    unit = EXPORT_UNITS[source]
    # Interviews are named by their own number, everything else by a family or case number.
    unit_prefix = "I" if unit.links_to == "interviews" else "F"
    out = pd.DataFrame(
        {
            "source": source,
            SOURCE_ROW: frame[SOURCE_ROW].astype("int64").to_numpy(),
            "unit": _hashed(frame[unit.key], key, unit_prefix),
            "links_to": unit.links_to,
            "row_id": _hashed(frame[unit.row_id], key, "I") if unit.row_id else None,
            "instrument": unit.instrument,
        }
    )
    if unit.outside_register:
        column, value = unit.outside_register
        out.loc[(frame[column] == value).to_numpy(dtype=bool), "links_to"] = None
    if unit.moment_column:
        codes = pd.to_numeric(frame[unit.moment_column]).astype("Int64")
        out["moment"] = [None if pd.isna(c) else unit.moments.get(int(c)) for c in codes]
    else:
        out["moment"] = unit.moment
    out["date"] = pd.to_datetime(frame[unit.date]).to_numpy() if unit.date else pd.NaT
    out["date"] = pd.to_datetime(out["date"])
    return out[LINEAGE_COLUMNS]


def lineage(frames: dict[str, pd.DataFrame], key: bytes) -> pd.DataFrame:
    """The lineage of every export of the study, in source and row order."""
    parts = [export_lineage(source, frame, key) for source, frame in sorted(frames.items())]
    return pd.concat(parts, ignore_index=True)
