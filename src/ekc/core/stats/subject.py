"""What a test is run for: a research question, an analysis, a variable. Invalid input a test
refuses is reported with that name, so the message says where to look. Kept free of heavy
imports: the seam imports it when Snakemake reads the rules."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_SUBJECT: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("subject", default=())


class InvalidInput(ValueError):
    """Input a test must refuse (unequal paired samples, negative counts …), named by the
    analysis and variable it was given for (`about`) so the message says where to look."""

    def __init__(self, problem: str):
        subject = ", ".join(_SUBJECT.get())
        super().__init__(f"{subject}: {problem}" if subject else problem)


@contextlib.contextmanager
def about(*subject: str) -> Iterator[None]:
    """Name what the tests inside the block are run for (a research question, an analysis,
    a variable); nested blocks add to the name."""
    token = _SUBJECT.set((*_SUBJECT.get(), *subject))
    try:
        yield
    finally:
        _SUBJECT.reset(token)
