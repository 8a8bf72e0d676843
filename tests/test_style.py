"""The catalogs follow the style guide (docs/style.md): the words and forms it rules out are
not in the report, in any of its languages (issue 21)."""

from __future__ import annotations

import re

import pytest
import yaml
from babel.messages.pofile import read_po

from .conftest import ROOT

LOCALE = ROOT / "resources" / "locale"
PD = ROOT / "resources" / "studies" / "pd"


def catalog(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def texts(lang: str) -> list[tuple[str, str]]:
    """(msgid, text) of every translated message, and every pd label and text."""
    found = [(m.id, m.string) for m in catalog(lang) if m.id and isinstance(m.string, str)]
    for name in ("labels.yaml", "texts.yaml"):
        data = yaml.safe_load((PD / name).read_text(encoding="utf-8")) or {}
        for section in ("labels", "texts"):
            for key, entry in (data.get(section) or {}).items():
                if isinstance(entry, dict) and entry.get(lang):
                    found.append((key, str(entry[lang])))
    return found


RULED_OUT = {
    "de": ["Sorgepunkt", "Familienvormund", "Schattengruppe", "indikativ", "Wertebereich",
           "Erzeugt von Regel", "über die Messzeitpunkte", "über die drei Messzeitpunkte"],
    "nl": ["Gemaakt door regel", "ga na drie maanden na", "over de meetmomenten",
           "over de drie meetmomenten", "vervolgformulier"],
    "en": ["more different problems", "fewer different problems", "in upbringing",
           "Source rule", "over the moments", "over moments"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "en", "de"])
def test_words_the_style_guide_rules_out_are_not_used(lang):
    used = [(key, word) for key, text in texts(lang) for word in RULED_OUT[lang] if word in text]
    assert not used, used


def test_german_keeps_the_plural_where_english_has_referrers():
    german = catalog("de")
    singular = [
        m.id for m in catalog("en")
        if m.id and re.search(r"\b[Rr]eferrers\b", m.string or m.id)
        and "zuweisende Fachkraft" in (german.get(m.id, context=m.context).string or "")
    ]  # fmt: skip
    assert not singular, singular


@pytest.mark.parametrize("lang", ["en", "de"])
def test_headings_are_capitalised_after_the_colon(lang):
    headings = [
        m for m in catalog(lang) if m.id and re.match(r"(Research question \d|Appendix):", m.id)
    ]
    assert headings
    lower = [m.string for m in headings if re.search(r": [a-zäöü]", m.string)]
    assert not lower, lower


def test_english_sentences_do_not_start_with_a_number():
    numeric = r"%\((n|count|total|a|b|pct|mean|conf|noconf|k|full)\)s"
    starts = [
        m.string for m in catalog("en")
        if m.id and isinstance(m.string, str) and re.search(rf"(^|[.:] ){numeric}", m.string)
    ]  # fmt: skip
    assert not starts, starts
    facts = [text for key, text in texts("en") if re.search(r"(^|\. )\{\w+\}", text)]
    assert not facts, facts  # the preventive study's texts: a fact is a number


def test_sentences_are_whole_per_language_with_the_verb_where_the_language_wants_it():
    """The change sentences take their subject and time phrase as placeholders of one
    sentence per language: in Dutch and German the finite verb comes straight after the
    subject (verb second), before the time phrase ('Het aantal zorgpunten daalde tussen …
    significant'), never at the end as the English order glued them."""
    frames = [m for m in catalog("en") if m.id and "%(measure)s" in m.id and "%(period)s" in m.id]
    assert len(frames) == 4
    for lang in ("nl", "de"):
        for m in frames:
            text = catalog(lang).get(m.id).string
            assert re.match(r"%\(measure\)s \w+ (sich )?%\(period\)s", text), (lang, text)


# --- typography of rendered text ----------------------------------------------------------


def test_statistical_symbols_are_italic_and_only_they():
    from ekc.core.report.render import notation

    text = str(notation("t(106) = −2.12, p = .036; n = 9; χ²(8) = 5.15; F(1, 52) < 1; top = 3"))
    assert text.count("<i>") == 5
    for symbol in ("t", "p", "n", "χ²", "F"):
        assert f"<i>{symbol}</i>" in text
    assert "<i>" not in str(notation("pd:B.1:n_parents; Aantal kinderen; the p-value; t-test"))


def test_hyphenated_abbreviations_are_kept_on_one_line():
    from ekc.core.report.render import keep_abbreviations

    assert str(keep_abbreviations("vóór de EK-c)")) == 'vóór de <span class="nb">EK-c</span>)'
    assert "nb" not in str(keep_abbreviations("well-being, t-toets, 0–4 jaar"))


@pytest.mark.unit
def test_record_ids_break_after_their_colons_only():
    from ekc.core.report.render import record_id_breaks

    shown = str(record_id_breaks("pd:B.1:able_to_tackle:<x>:cjg"))
    assert shown == "pd:<wbr>B.1:<wbr>able_to_tackle:<wbr>&lt;x&gt;:<wbr>cjg"
    assert shown.replace("<wbr>", "") == "pd:B.1:able_to_tackle:&lt;x&gt;:cjg"
