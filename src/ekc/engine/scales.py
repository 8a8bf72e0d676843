"""Answer scales of items: which answers an item has, and which one carries its meaning.

An export whose rows are answers to items (a checklist: one row per case, item and answer)
declares the scale of each item in its layout, so that an item answered "occurred / not
occurred" is never counted or shown as if it could be answered "agree":

    items:
      column: item          # the column naming the item
      answer: answer        # the column holding the answer (tokens after recoding)
      scales:
        agreement: {answers: [agree, neutral, disagree], meaning: agree}
        occurrence: {answers: [occurred, not_occurred], meaning: occurred}
      scale_of:
        enough_support: agreement
        recent_move: occurrence

`meaning` is the answer a table shows for the item (the share who agree, the share for whom
it occurred). Validation refuses an answer outside its item's scale; a count over the
answers completes each item with the zeros of its own scale only; a report table that asks
for an answer an item's scale does not have fails the build (`ekc.engine.report`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa


class ScaleError(ValueError):
    """An `items` declaration that does not fit the export's layout."""


@dataclass(frozen=True)
class Scale:
    name: str
    answers: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class ItemScales:
    """The `items` declaration of one export."""

    source: str
    column: str
    answer: str
    scale_of: dict[str, Scale]

    def of(self, item: str) -> Scale:
        try:
            return self.scale_of[item]
        except KeyError:
            raise ScaleError(
                f"{self.source}: item {item!r} has no scale in `items.scale_of`"
            ) from None


def _tokens(layout: dict, column: str) -> list[str]:
    """The tokens a column holds after recoding (its allowed codes, recoded)."""
    codes = layout["columns"][column].get("values") or []
    mapping = (layout.get("recode") or {}).get(column) or {}
    text = {str(code): token for code, token in mapping.items() if code is not None}
    return [str(text.get(str(code), code)) for code in codes]


def item_scales(source: str, layout: dict) -> ItemScales | None:
    """The declared scales of an export's items, checked against its layout; None when the
    layout declares none."""
    spec = layout.get("items")
    if not spec:
        return None
    where = f"{source}.items"
    for part in ("column", "answer"):
        if spec.get(part) not in layout["columns"]:
            raise ScaleError(f"{where}.{part}: {spec.get(part)!r} is not a column of {source}")
    answers = set(_tokens(layout, spec["answer"]))
    scales = {}
    for name, scale in (spec.get("scales") or {}).items():
        listed = [str(a) for a in scale["answers"]]
        unknown = sorted(set(listed) - answers)
        if unknown:
            raise ScaleError(f"{where}.scales.{name}: {unknown} are not answers of {source}")
        if str(scale["meaning"]) not in listed:
            raise ScaleError(
                f"{where}.scales.{name}: its meaning {scale['meaning']!r} is not one of its "
                f"answers {listed}"
            )
        scales[name] = Scale(name, tuple(listed), str(scale["meaning"]))
    scale_of = {}
    for item, name in (spec.get("scale_of") or {}).items():
        if name not in scales:
            raise ScaleError(
                f"{where}.scale_of.{item}: no scale {name!r} (scales: {sorted(scales)})"
            )
        scale_of[str(item)] = scales[name]
    items = set(_tokens(layout, spec["column"]))
    if items and items != set(scale_of):
        missing, extra = sorted(items - set(scale_of)), sorted(set(scale_of) - items)
        raise ScaleError(
            f"{where}.scale_of must give every item of {spec['column']!r} a scale"
            + (f"; without one: {missing}" if missing else "")
            + (f"; not items of the export: {extra}" if extra else "")
        )
    return ItemScales(source, spec["column"], spec["answer"], scale_of)


def answer_checks(source: str, layout: dict) -> list[pa.Check]:
    """One row-wise check per scale for the raw export: an item on the scale is answered
    with one of the scale's codes (or left empty where the answer column allows it)."""
    scales = item_scales(source, layout)
    if scales is None:
        return []
    mapping = (layout.get("recode") or {}).get(scales.answer) or {}
    codes_of: dict[str, list[str]] = {}
    for code in layout["columns"][scales.answer].get("values") or []:
        token = str(mapping.get(code, mapping.get(str(code), code)))
        codes_of.setdefault(token, []).append(str(code))
    checks = []
    for name in sorted({s.name for s in scales.scale_of.values()}):
        scale = next(s for s in scales.scale_of.values() if s.name == name)
        items = sorted(i for i, s in scales.scale_of.items() if s.name == name)
        codes = [code for token in scale.answers for code in codes_of.get(token, [token])]

        def on_scale(frame: pd.DataFrame, items=tuple(items), codes=tuple(codes)) -> pd.Series:
            item = frame[scales.column].astype("string")
            answer = frame[scales.answer].astype("string")
            return ~item.isin(items) | answer.isna() | answer.isin(codes)

        checks.append(
            pa.Check(
                on_scale,
                name=f"answer_on_scale_{name}",
                error=(
                    f"an item on the {name} scale ({', '.join(items)}) is answered "
                    f"{' or '.join(codes)}; this answer belongs to another scale"
                ),
            )
        )
    return checks
