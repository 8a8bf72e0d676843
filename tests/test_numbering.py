"""Tables and figures are numbered 1 … n by a counter, and the text refers to them by number
(issue 21): the report is rendered twice, so a reference may come before its table."""

from __future__ import annotations

import re
import shutil

import pytest

from ekc.core.report.numbering import Numbering
from ekc.core.report.render import render_html

from .conftest import ROOT

TEMPLATES = ROOT / "resources" / "templates"
LOCALE = ROOT / "resources" / "locale"


def test_captions_are_numbered_in_order_per_kind():
    first = Numbering()
    assert [first.caption("table", k) for k in ("3.1", "3.2")] == [1, 2]
    assert first.caption("figure", "flow") == 1
    assert first.ref("table", "3.2") == 0  # not known before the pass is over
    second = Numbering(previous=first)
    assert second.ref("table", "3.2") == 2  # referred to before its caption
    second.caption("table", "3.1"), second.caption("table", "3.2"), second.caption("figure", "flow")
    assert second.settled()
    assert second.find("flow") == ("figure", 1)


def test_a_reference_without_a_caption_fails_and_a_key_has_one_caption():
    first = Numbering()
    first.caption("table", "3.1")
    with pytest.raises(ValueError):
        first.caption("table", "3.1")
    with pytest.raises(KeyError):
        Numbering(previous=first).ref("table", "9.9")
    with pytest.raises(KeyError):
        Numbering(previous=first).find("response")


@pytest.fixture
def template_dir(tmp_path):
    shutil.copy(TEMPLATES / "macros.html.j2", tmp_path)
    (tmp_path / "page.html.j2").write_text(
        '{% from "macros.html.j2" import caption, see, label_of with context %}'
        '<p>{{ see(["b"], "f") }}</p>'
        '<figure>{{ caption("table", "a", "First") }}</figure>'
        '<figure>{{ caption("table", "b", "Second", "6.1–6.3") }}</figure>'
        '<figure>{{ caption("figure", "f", "Chart") }}</figure>'
        "<p>{{ see(['a', 'b']) }} {{ label_of('b') }}</p>",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "See table 2 and figure 1.",
                "Table 1",
                "Table 2",
                "(table\u00a06.1–6.3 in the original report)",
                "Figure 1",
                "See tables 1 and 2.",
            ],
        ),
        (
            "nl",
            [
                "Zie tabel 2 en figuur 1.",
                "Tabel 1",
                "Tabel 2",
                "(tabel\u00a06.1–6.3 in het oorspronkelijke rapport)",
                "Figuur 1",
                "Zie de tabellen 1 en 2.",
            ],
        ),
        (
            "de",
            [
                "Siehe Tabelle 2 und Abbildung 1.",
                "Tabelle 1",
                "Tabelle 2",
                "(Tabelle\u00a06.1–6.3 im Originalbericht)",
                "Abbildung 1",
                "Siehe Tabellen 1 und 2.",
            ],
        ),
    ],
)
def test_the_text_refers_to_tables_by_their_number_in_every_language(template_dir, lang, expected):
    html = render_html(
        lang=lang, template_dir=template_dir, locale_dir=LOCALE, records=[], context={},
        template="page.html.j2",
    )  # fmt: skip
    text = re.sub(r"<[^>]+>", "", html)
    at = 0
    for part in expected:  # each in the order given
        at = text.find(part, at)
        assert at >= 0, (part, text)
        at += len(part)


def test_a_reference_to_a_table_that_is_not_there_fails_the_build(template_dir):
    page = template_dir / "page.html.j2"
    page.write_text(page.read_text().replace('see(["b"], "f")', 'see(["missing"])'))
    with pytest.raises(KeyError, match="missing"):
        render_html(
            lang="en", template_dir=template_dir, locale_dir=LOCALE, records=[], context={},
            template="page.html.j2",
        )  # fmt: skip


@pytest.mark.parametrize(
    "name", ["summary.html.j2", "findings.html.j2", "closing.html.j2", "study.html.j2"]
)
def test_no_template_types_a_table_or_figure_number(name):
    """Numbers come from the counter: no 'Table 3.1' or bare 'Figure' label in a template."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    assert not re.search(r'_\("(Table|Figure)"\)\s*\}\}\s*[\d{]', text)
    assert '_("Figure")' not in text
