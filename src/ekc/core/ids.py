"""One declared way of writing a study's case ids, applied to every export before linkage.

The same family arrives as `EK99-042`, `ek99-042`, ` EK99- 042`, `EK99-0042` or with a
decomposed character from another tool. A study declares in its config (`id_normalisation`)
how its ids are written; validation rewrites every case-key cell that way before the id is
checked, pseudonymised and linked, and reports how many it rewrote. An id that still does
not link after this is an orphan.

    id_normalisation:
      unicode: NFC          # composed characters
      whitespace: remove    # every space, tab and non-breaking space inside the id
      case: upper
      number_digits: 3      # the last number in the id: leading zeros beyond this many
                            # digits removed (EK99-0042 -> EK99-042; SCH-01 stays, and
                            # EK99-7 stays and fails the id's pattern)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

# Every Unicode space and the zero-width characters, spelled out so that Python's re and
# Arrow's RE2 (whose \s is ASCII only) read the same class.
_SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()] + list(
    "\u200b\u200c\u200d\u2060\ufeff"
)
_SPACE = re.compile("[" + "".join(_SPACES) + "]+")
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
        """The column with every id rewritten (`apply`, cell by cell, done with Arrow's string
        kernels: a million ids take a fraction of a second), and a mask of the cells the rule
        changed."""
        import pyarrow as pa
        import pyarrow.compute as pc

        values = cells.to_numpy(dtype=object)
        try:  # the reader's cells: text or None
            original = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            is_text = cells.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
            values = cells.where(is_text, None).to_numpy(dtype=object)
            original = pa.array(values, type=pa.string(), from_pandas=True)
        text = original
        if self.unicode:
            text = pc.utf8_normalize(text, form=self.unicode)
        if self.whitespace == "remove":
            text = pc.replace_substring_regex(text, _SPACE.pattern, "")
        if self.case == "upper":
            text = pc.utf8_upper(text)
        elif self.case == "lower":
            text = pc.utf8_lower(text)
        if self.number_digits:
            # Leading zeros of the last number while it has more than the declared digits.
            pattern = rf"(^|\D)0+(\d{{{self.number_digits},}})(\D*)$"
            text = pc.replace_substring_regex(text, pattern, r"\1\2\3")
        changed = pc.fill_null(pc.not_equal(text, original), False).to_numpy(zero_copy_only=False)
        rewritten = cells.copy()
        if changed.any():
            rewritten = rewritten.astype(object)
            rewritten[changed] = text.filter(pa.array(changed)).to_pylist()
        return rewritten, pd.Series(changed, index=cells.index)

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
