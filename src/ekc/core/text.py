"""Text as it is compared and as it is shown.

Exports come from many tools: the same word may arrive composed (NFC, 'ë' as one code point)
or decomposed (NFD, 'e' + combining diaeresis, as some SPSS and macOS tools write it), with
non-breaking spaces or in another case. Text is compared in one normal form, and a long cell
is cut before it is shown in a message or written to a QC file.
"""

from __future__ import annotations

import unicodedata

SHOWN_CHARACTERS = 200


def nfc(text: str) -> str:
    """The composed Unicode form (a no-op for the ASCII text most cells hold)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def comparable(text: object) -> str:
    """The form two texts are compared in: NFC, single spaces, case-folded."""
    return " ".join(nfc(str(text)).split()).casefold()


def cut(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """The first `limit` characters and the length of a longer text."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"
