"""Tables and figures numbered 1 … n in the order a report shows them.

A template gives each table and figure a key when it prints its caption
(`N.caption("table", "3.1")`) and refers to it by that key anywhere in the text
(`N.ref("table", "3.1")`), also before the caption. The report is therefore rendered twice
(`render.render_html`): the first pass records the order of the captions, the second prints
the numbers and fails on a reference to a key that has no caption.
"""

from __future__ import annotations

KINDS = ("table", "figure")


class Numbering:
    def __init__(self, previous: Numbering | None = None):
        self.order: dict[str, list[str]] = {kind: [] for kind in KINDS}
        self.previous = previous

    def caption(self, kind: str, key: str) -> int:
        """The number of the table or figure whose caption is printed now."""
        keys = self.order[kind]
        if key in keys:
            raise ValueError(f"{kind} {key!r} has two captions")
        keys.append(key)
        return len(keys)

    def ref(self, kind: str, key: str) -> int:
        """The number of a captioned table or figure, for the text that refers to it."""
        if self.previous is None:  # first pass: numbers are not known yet
            return 0
        keys = self.previous.order[kind]
        if key not in keys:
            raise KeyError(f"the text refers to {kind} {key!r}, which has no caption")
        return keys.index(key) + 1

    def find(self, key: str) -> tuple[str, int]:
        """Kind and number of a key, whatever its kind (the provenance appendix lists both)."""
        order = (self.previous or self).order
        for kind in KINDS:
            if key in order[kind]:
                return kind, order[kind].index(key) + 1
        raise KeyError(f"no table or figure has the key {key!r}")

    def settled(self) -> bool:
        """The second pass printed the captions in the order the first pass recorded."""
        return self.previous is not None and self.order == self.previous.order
