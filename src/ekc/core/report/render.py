"""Render the summary report: jinja2 template + gettext catalog + Babel numbers -> PDF.

Templates hold no numbers: every figure is looked up by its results id in the records the
analysis rules wrote, and formatted for the language here.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

from ekc.core.report import numbers
from ekc.core.report.numbering import Numbering
from ekc.core.stats.inference import ALPHA
from ekc.core.stats.records import NOT_ESTIMABLE, REASONS, read_records

# Fixed PDF timestamps (WeasyPrint reads SOURCE_DATE_EPOCH): identical bytes per rerun.
DEFAULT_SOURCE_DATE_EPOCH = "1199145600"  # 2008-01-01, the study's publication year


def catalog_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "messages.po"


def load_translations(locale_dir: Path, lang: str) -> NullTranslations:
    """Compile the language's .po catalog in memory (no generated .mo files to keep)."""
    po_path = catalog_path(locale_dir, lang)
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def not_testable(reason: str | None, translations: NullTranslations) -> str:
    """'not testable: <reason>' in the catalog's language, for a test that could not be
    computed; the reason is a `records.REASONS` token (catalog context 'reason')."""
    token = reason if reason in REASONS else "missing_p"
    because = translations.pgettext("reason", token)
    return translations.gettext("not testable: %(reason)s") % {"reason": because}


def is_not_estimable(record: dict) -> bool:
    """A test that could not be computed: no p to print, no verdict to word."""
    return record.get("status") == NOT_ESTIMABLE or record.get("verdict") == NOT_ESTIMABLE


# A statistical symbol is one followed by '=', '<', '>' or '(': 'p = .036', 'F(1, 52)', 'n = 9'.
_SYMBOL = re.compile(r"(?<![\w.\-/])(p|n|t|F|z|U|V|W|χ²)(?=\s?(?:=|&lt;|&gt;|\())")


def notation(text: str) -> Markup:
    """Statistical symbols in italics, as APA and DGPs set them: '<i>p</i> = .036'."""
    return Markup(_SYMBOL.sub(r"<i>\1</i>", str(escape(text))))


# An abbreviation with a hyphen ("EK-c") is not broken after its hyphen ("EK-" / "c").
_SHORT_TAIL = re.compile(r"(?<![\w-])(\w+-\w{1,2})(?![\w-])")


def keep_abbreviations(text: str) -> Markup:
    """Hyphenated abbreviations kept on one line, in text that is already markup or not."""
    return Markup(_SHORT_TAIL.sub(r'<span class="nb">\1</span>', str(escape(text))))


def record_id_breaks(record_id: str) -> Markup:
    """A record id in a narrow column breaks after its colons, never inside a token (as
    'pd:B.' / '1:able_…' did); <wbr> adds no character, so a copied id stays searchable."""
    return Markup(":<wbr>").join(escape(part) for part in str(record_id).split(":"))


def _unbroken(text: str) -> Markup:
    """A statistic is never split over two lines ('p = ' / '.272'): its spaces are
    non-breaking, and the span keeps the line from breaking after a decimal point ('p < .' /
    '001'), which a no-break space alone allows; its symbols are in italics."""
    return Markup('<span class="nb">{}</span>').format(notation(text.replace(" ", "\u00a0")))


class Results:
    """Records of all results files, addressed by id, with formatting for one language."""

    def __init__(
        self,
        records: Iterable[dict[str, Any]],
        lang: str,
        p_style: str = "apa",
        alpha: float = ALPHA,
        translations: NullTranslations | None = None,
    ):
        self.by_id = {r["id"]: r for r in records}
        self.lang = lang
        self.p_style = p_style
        self.alpha = alpha
        self.translations = translations or NullTranslations()

    def __getitem__(self, record_id: str) -> dict[str, Any]:
        try:
            return self.by_id[record_id]
        except KeyError:
            raise KeyError(
                f"the report asks for {record_id!r}, which no results file has"
            ) from None

    # formatting helpers used by the templates
    def num(self, value: float | None, decimals: int = 2) -> str:
        return numbers.number(value, self.lang, decimals)

    def int(self, value: int | None) -> str:
        return numbers.integer(value, self.lang)

    def pct(self, value: float | None) -> str:
        return numbers.percent(value, self.lang)

    def p(self, value: float | None, reason: str | None = None) -> str:
        if value is None:
            return not_testable(reason, self.translations)
        return _unbroken(numbers.p_value(value, self.lang, self.p_style, self.alpha))

    def date(self, value: Any) -> str:
        return numbers.date(value, self.lang)

    def count_pct(self, record_id: str) -> str:
        rec = self[record_id]
        if not rec.get("count"):
            return "–"
        return f"{self.int(rec['count'])} ({self.pct(rec['pct'])})"

    def has(self, record_id: str) -> bool:
        return record_id in self.by_id

    def _df(self, value: float | None) -> str:
        if value is None:
            return ""
        if float(value).is_integer():
            return numbers.statistic(value, self.lang, 0)
        return numbers.statistic(value, self.lang, 1)

    def sided(self, record: dict) -> Markup:
        """', one-sided, n = 22': every test in the text says its sidedness and its n (each
        part unbroken, the line may break between them)."""
        parts = []
        if record.get("alternative") in ("two-sided", "less", "greater"):
            side = "two-sided" if record["alternative"] == "two-sided" else "one-sided"
            parts.append(self.translations.pgettext("alternative", side))
        if record.get("n") is not None:
            parts.append(f"n = {self.int(record['n'])}")
        return Markup("").join(Markup(", ") + _unbroken(part) for part in parts)

    def test(self, record_id: str) -> str:
        """APA-style test statistic with its sidedness and n, e.g. 't(106) = −2.12,
        p = .036, two-sided, n = 108'; 'not testable: ...' for a test that could not be
        computed."""
        rec = self[record_id]
        if is_not_estimable(rec) or rec.get("p") is None:
            return not_testable(rec.get("reason"), self.translations)
        name = str(rec.get("test", ""))
        p_text = numbers.p_value(rec["p"], self.lang, self.p_style, self.alpha)
        if "chi2" in name or "chi2" in rec:
            symbol = "χ²"
        elif "anova" in name or "F" in rec or rec.get("df2") is not None:
            symbol = "F"
        elif "wilcoxon" in name or "mann_whitney" in name:
            symbol = "z" if "z" in rec else ("V" if "signed_rank" in name else "W")
        elif "wald_z" in name:
            symbol = "z"
        elif "fisher" in name:
            return _unbroken(f"Fisher, {p_text}") + self.sided(rec)
        elif "binomial" in name:
            exact = self.translations.pgettext("test", "exact binomial test")
            return _unbroken(f"{exact}, {p_text}") + self.sided(rec)
        else:
            symbol = "t"
        df1 = rec.get("df1", rec.get("df"))
        df_text = self._df(df1)
        if rec.get("df2") is not None:
            df_text = f"{df_text}, {self._df(rec['df2'])}"
        statistic = rec.get("z", rec["statistic"]) if symbol == "z" else rec["statistic"]
        head = f"{symbol}({df_text})" if df_text else symbol
        report = f"{head} = {numbers.statistic(statistic, self.lang)}, {p_text}"
        return _unbroken(report) + self.sided(rec)

    def outcome(self, test_id: str, before: float | None, after: float | None) -> str:
        """How a finding is worded: 'significant_decrease', 'significant_increase',
        'no_significant_difference' or, for a test that could not be computed,
        'not_testable', from the test's verdict and the direction of the means."""
        rec = self[test_id]
        if is_not_estimable(rec) or rec.get("verdict") not in ("significant", "not_significant"):
            return "not_testable"
        if rec.get("verdict") != "significant" or before is None or after is None:
            return "no_significant_difference"
        return "significant_decrease" if after < before else "significant_increase"


def load_results(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in paths:
        records.extend(read_records(path))
    return records


@functools.lru_cache(maxsize=16)
def _environment(
    template_dir: str, locale_dir: str, lang: str, catalog_stamp: tuple[int, int] | None
) -> tuple[jinja2.Environment, NullTranslations]:
    """The templates' environment in one language, kept for the next report in the same
    process (its compiled templates are reloaded when a file changes; a changed catalog,
    known by its time and size, gives a new environment)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["notation"] = notation
    env.filters["keep_abbreviations"] = keep_abbreviations
    env.filters["record_id_breaks"] = record_id_breaks
    translations = load_translations(Path(locale_dir), lang)
    env.install_gettext_translations(translations, newstyle=True)
    return env, translations


def render_html(
    *,
    lang: str,
    template_dir: Path,
    locale_dir: Path,
    records: list[dict[str, Any]],
    context: dict[str, Any],
    p_style: str = "apa",
    template: str = "summary.html.j2",
    alpha: float = ALPHA,
) -> str:
    catalog = catalog_path(locale_dir, lang)
    stat = catalog.stat() if catalog.exists() else None
    stamp = (stat.st_mtime_ns, stat.st_size) if stat else None
    env, translations = _environment(str(template_dir), str(locale_dir), lang, stamp)
    results = Results(records, lang, p_style, alpha, translations)
    # Twice: the first pass learns the order of the captions, so that the text can refer to
    # a table by its number before the table itself.
    first = Numbering()
    env.get_template(template).render(lang=lang, R=results, N=first, **context)
    second = Numbering(previous=first)
    html = env.get_template(template).render(lang=lang, R=results, N=second, **context)
    if not second.settled():
        raise RuntimeError("tables and figures came out in another order in the second pass")
    return html


# PDF/A-3a: an archival PDF (fonts embedded, colour profile, no external content) whose
# level A requires what a screen reader needs: a tagged structure tree, Unicode text, the
# document language and alt text on every figure. docs/accessibility.md says why not PDF/UA-1.
PDF_VARIANT = "pdf/a-3a"


def write_pdf(html: str, out: Path, base_url: Path) -> None:
    from weasyprint import HTML

    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    tmp = out.with_suffix(out.suffix + ".part")
    HTML(string=html, base_url=str(base_url)).write_pdf(tmp, pdf_variant=PDF_VARIANT)
    tmp.replace(out)
