"""The catalogs use the glossary's terms: one glossary, three languages."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ekc.core.report.glossary import follows_glossary, read_glossary

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = read_glossary(ROOT / "resources/glossary.csv")


def catalog(lang):
    with (ROOT / f"resources/locale/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", ["nl", "de"])
def test_translations_use_the_glossary_terms(lang):
    english, translated = catalog("en"), catalog(lang)
    violations = []
    for message in english:
        if not message.id or not isinstance(message.id, str):
            continue
        target = translated.get(message.id, context=message.context)
        if target is None or not target.string:
            continue
        source = message.string or message.id
        for entry in GLOSSARY:
            if not follows_glossary(entry, source, target.string, lang):
                violations.append((entry["key"][0], message.id[:50], target.string[:60]))
    assert not violations, violations


def test_the_check_catches_a_wrong_term():
    placement = next(e for e in GLOSSARY if e["key"] == ["placement"])
    assert follows_glossary(placement, "an out-of-home placement", "eine Fremdunterbringung", "de")
    assert not follows_glossary(placement, "an out-of-home placement", "eine Heimeinweisung", "de")
    assert follows_glossary(placement, "no term here", "anything", "de")


def test_every_entry_has_three_languages():
    for entry in GLOSSARY:
        assert all(entry[lang] and all(entry[lang]) for lang in ("nl", "en", "de")), entry
