"""Translation catalogs: complete, not fuzzy, and covering every message of the templates."""

from __future__ import annotations

import io

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from .conftest import ROOT

LOCALE = ROOT / "resources" / "locale"


def template_messages() -> set[tuple[str | None, str]]:
    found = set()
    method_map = [("**.j2", "jinja2")]
    options = {"**.j2": {"extensions": "jinja2.ext.i18n"}}
    for _, _, message, _, context in extract_from_dir(
        str(ROOT / "resources" / "templates"), method_map, options
    ):
        text = message[1] if isinstance(message, tuple) else message
        found.add((context, text))
    return found


@pytest.mark.parametrize("lang", ["nl", "en", "de"])
def test_catalog_is_complete_and_not_fuzzy(lang):
    path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=lang)
    entries = {(m.context, m.id): m for m in catalog if m.id}
    missing = template_messages() - set(entries)
    assert not missing, f"{lang}: messages used in templates but not in the catalog: {missing}"
    empty = [key for key, m in entries.items() if not m.string]
    assert not empty, f"{lang}: untranslated: {empty}"
    fuzzy = [key for key, m in entries.items() if m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("lang", ["nl", "de"])
def test_placeholders_survive_translation(lang):
    import re

    catalog = read_po(io.BytesIO((LOCALE / lang / "LC_MESSAGES/messages.po").read_bytes()))
    for message in catalog:
        if message.id:
            names = set(re.findall(r"%\((\w+)\)s", message.id))
            assert names == set(re.findall(r"%\((\w+)\)s", message.string)), message.id
