"""Does a report's wording agree with the verdicts of its declared answers?

The shared partial `answers.html.j2` words a verdict with one message per verdict (and
expected direction). A sentence that answers a research question must carry the wording of
its primary analysis' verdict, in the report's language, and no other verdict's wording: a
text that says "no difference" where the primary analysis gives evidence, or "a decrease"
where it gives none, contradicts its own results. The check reads the rendered HTML: every
`<div class="answer" data-question="...">` block, or (`blocks`) any sentences a caller
attributes to a question.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Mapping

from babel.support import NullTranslations

from ekc.core.answers import EVIDENCE, NO_EVIDENCE
from ekc.core.stats.records import NOT_ESTIMABLE

# The messages of answers.html.j2 that word each verdict (tests check they are the
# template's own).
VERDICT_MESSAGES = {
    EVIDENCE: (
        "The data give evidence of a decrease in %(measure)s (%(test)s).",
        "The data give evidence of an increase in %(measure)s (%(test)s).",
        "The data give evidence of a difference in %(measure)s (%(test)s).",
        "The data give evidence that %(measure)s is lower than %(against)s (%(test)s).",
        "The data give evidence that %(measure)s is higher than %(against)s (%(test)s).",
        "The data give evidence that %(measure)s differs from %(against)s (%(test)s).",
    ),
    NO_EVIDENCE: (
        "The data show a significant change in %(measure)s, but against the expected "
        "direction (%(test)s): this is no evidence of the expected effect.",
        "The data give no evidence of a decrease in %(measure)s (%(test)s). That is not "
        "evidence that there is none: the study may be too small to detect it.",
        "The data give no evidence of an increase in %(measure)s (%(test)s). That is not "
        "evidence that there is none: the study may be too small to detect it.",
        "The data give no evidence of a difference in %(measure)s (%(test)s). That is not "
        "evidence that there is none: the study may be too small to detect it.",
        "The data show that %(measure)s differs from %(against)s, but against the expected "
        "direction (%(test)s): this is no evidence of the expected effect.",
        "The data give no evidence that %(measure)s is lower than %(against)s (%(test)s). That "
        "is not evidence that it is not: the study may be too small to detect it.",
        "The data give no evidence that %(measure)s is higher than %(against)s (%(test)s). That "
        "is not evidence that it is not: the study may be too small to detect it.",
        "The data give no evidence that %(measure)s differs from %(against)s (%(test)s). That "
        "is not evidence that it does not: the study may be too small to detect it.",
    ),
    NOT_ESTIMABLE: (
        "Whether there is a change in %(measure)s could not be tested (%(test)s).",
        "Whether %(measure)s differs from %(against)s could not be tested (%(test)s).",
    ),
}
_BLOCK = re.compile(
    r'<div class="answer" data-question="(?P<question>[^"]+)"[^>]*>(?P<body>.*?)</div>', re.S
)


def plain(text: str) -> str:
    """Text of an HTML fragment: tags dropped, entities resolved, spaces collapsed; an italic
    symbol reads as its letter ('<i>F</i>(1, 52)' is 'F(1, 52)')."""
    inline = re.sub(r"</?i>", "", text)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def _words(part: str) -> str:
    """A literal part of a message: its words, any white space between them."""
    return r"\s+".join(re.escape(word) for word in part.split()) if part.strip() else r"\s*"


def _pattern(message: str) -> re.Pattern:
    """A translated message as a pattern: its placeholders match any text."""
    parts = re.split(r"%\(\w+\)s", message.replace("%%", "%"))
    return re.compile(".+?".join(_words(part) for part in parts), re.S)


def worded_verdicts(text: str, translations: NullTranslations) -> set[str]:
    """The verdicts whose wording (in the catalog's language) the text carries."""
    found = set()
    for verdict, messages in VERDICT_MESSAGES.items():
        if any(_pattern(translations.gettext(m)).search(text) for m in messages):
            found.add(verdict)
    return found


def answer_blocks(rendered_html: str) -> list[tuple[str, str]]:
    """(question, text) of every answer block of a rendered report."""
    return [(m["question"], plain(m["body"])) for m in _BLOCK.finditer(rendered_html)]


def wording_problems(
    blocks: Iterable[tuple[str, str]],
    answers: Mapping[str, Mapping],
    translations: NullTranslations,
) -> list[str]:
    """What contradicts the verdicts: a sentence about a question that lacks the wording of
    its primary analysis' verdict, or carries another verdict's wording."""
    problems = []
    for question, text in blocks:
        verdict = answers[question]["verdict"]
        if verdict not in VERDICT_MESSAGES:  # a descriptive answer has no verdict wording
            continue
        worded = worded_verdicts(text, translations)
        if verdict not in worded:
            problems.append(f"{question}: the verdict is {verdict}; the text lacks it: {text}")
        for other in sorted(worded - {verdict}):
            problems.append(f"{question}: the verdict is {verdict}, the text words {other}: {text}")
    return problems
