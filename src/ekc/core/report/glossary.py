"""The project's glossary (`resources/glossary.csv`): one file, three languages."""

from __future__ import annotations

import csv
from pathlib import Path

LANGUAGES = ("nl", "en", "de")


def read_glossary(path: str | Path) -> list[dict[str, list[str]]]:
    """Entries with every accepted form per language ("|"-separated in the file)."""
    with Path(path).open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [
            {"key": [row["key"]], **{lang: row[lang].split("|") for lang in LANGUAGES}}
            for row in rows
        ]


def follows_glossary(entry: dict[str, list[str]], english: str, translated: str, lang: str) -> bool:
    """A translated sentence whose English source uses the term uses one of its forms."""
    if not any(form.lower() in english.lower() for form in entry["en"]):
        return True
    return any(form.lower() in translated.lower() for form in entry[lang])
