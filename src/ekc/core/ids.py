"""One declared way of writing a study's case ids, applied to every export before linkage.

The same family arrives as `EK05-010`, `ek05-010`, ` EK05- 010`, `EK05-0010` or with a
decomposed character from another tool. A study declares in its config (`id_normalisation`)
how its ids are written; validation rewrites every case-key cell that way before the id is
checked, pseudonymised and linked, and reports how many it rewrote. An id that still does
not link after this is an orphan.

    id_normalisation:
      unicode: NFC          # composed characters
      whitespace: remove    # every space, tab and non-breaking space inside the id
      case: upper
      number_digits: 3      # the last number in the id: leading zeros beyond this many
                            # digits removed (EK05-0010 -> EK05-010; SCH-01 stays, and
                            # EK05-7 stays and fails the id's pattern)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


@dataclass(frozen=True)
class IdRule:
    unicode: str | None = "NFC"
    whitespace: str | None = "remove"
    case: str | None = "upper"
    number_digits: int | None = None

    @classmethod
    def from_config(cls, spec: dict | None) -> IdRule | None:
        if spec is None:
            return None
        return cls(
            unicode=spec.get("unicode", "NFC"),
            whitespace=spec.get("whitespace", "remove"),
            case=spec.get("case", "upper"),
            number_digits=spec.get("number_digits"),
        )

    def apply(self, text: str) -> str:
        if self.unicode:
            text = unicodedata.normalize(self.unicode, text)
        if self.whitespace == "remove":
            text = _SPACE.sub("", text)
        if self.case == "upper":
            text = text.upper()
        elif self.case == "lower":
            text = text.lower()
        if self.number_digits:
            text = _LAST_NUMBER.sub(lambda m: self._digits(m.group(1)), text)
        return text

    def _digits(self, number: str) -> str:
        if len(number) <= self.number_digits:
            return number
        return number.lstrip("0").rjust(self.number_digits, "0")

    def apply_column(self, cells: pd.Series) -> tuple[pd.Series, pd.Series]:
        """The column with every id rewritten, and a mask of the cells the rule changed."""
        present = cells.notna()
        rewritten = cells.copy()
        rewritten[present] = [self.apply(str(v)) for v in cells[present]]
        changed = present & (rewritten != cells).fillna(False).astype(bool)
        return rewritten, changed

    def changes(self, before: str) -> list[str]:
        """What the rule changed in one id, in words (for the QC summary; never the id)."""
        what = []
        text = before
        if self.unicode and unicodedata.normalize(self.unicode, text) != text:
            what.append("Unicode form")
            text = unicodedata.normalize(self.unicode, text)
        if self.whitespace == "remove" and _SPACE.search(text):
            what.append("spaces")
            text = _SPACE.sub("", text)
        cased = {"upper": text.upper(), "lower": text.lower()}.get(self.case or "", text)
        if cased != text:
            what.append("case")
            text = cased
        if self.number_digits and self.apply(text) != text:
            what.append("leading zeros")
        return what

    def describe(self) -> str:
        parts = []
        if self.unicode:
            parts.append(f"Unicode {self.unicode}")
        if self.whitespace == "remove":
            parts.append("no spaces")
        if self.case in ("upper", "lower"):
            parts.append(f"{self.case} case")
        if self.number_digits:
            parts.append(f"no leading zeros beyond {self.number_digits} digits")
        return ", ".join(parts)
