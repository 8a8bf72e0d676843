"""The embedded raw exports are exactly what the generator makes, every time."""

from __future__ import annotations

import filecmp

from ekc.generate.cli import generate

from .conftest import ROOT


def test_committed_raw_exports_equal_a_fresh_generation(tmp_path):
    written = generate(tmp_path)
    assert written
    for path in written:
        committed = ROOT / "resources" / "raw" / path.name
        assert committed.exists(), f"{path.name} is generated but not committed"
        assert filecmp.cmp(path, committed, shallow=False), f"{path.name} differs"


def test_generation_is_byte_identical_twice(tmp_path):
    first = generate(tmp_path / "a")
    second = generate(tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
