"""The builds the test workers share (conftest.shared_build): made once, a failure reported
to every test that needs the build without a second try, and never run in once finished."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from .conftest import SHARED_BUILT, copy_build, run_snakemake, shared_build


@pytest.fixture
def factory(tmp_path, monkeypatch):
    """A stand-in for tmp_path_factory whose run folder is `tmp_path` (no xdist worker)."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    return SimpleNamespace(getbasetemp=lambda: tmp_path)


def test_a_shared_build_is_made_once(factory, tmp_path):
    made = []

    def make(workdir):
        made.append(workdir)
        workdir.mkdir(parents=True)
        (workdir / "result.txt").write_text("built")

    first = shared_build(factory, "b", make)
    second = shared_build(factory, "b", make)
    assert first == second == tmp_path / "b" / "ekc"
    assert made == [first]
    assert (first.parent / SHARED_BUILT).exists()


def test_a_failed_build_fails_the_next_user_without_a_second_try(factory):
    calls = []

    def make(workdir):
        calls.append(workdir)
        raise AssertionError("snakemake failed: rule link")

    with pytest.raises(AssertionError, match="rule link"):
        shared_build(factory, "b", make)
    with pytest.raises(AssertionError, match="failed in another worker:\nsnakemake failed"):
        shared_build(factory, "b", make)
    assert len(calls) == 1


def test_snakemake_never_runs_in_a_finished_shared_build_only_in_a_copy(factory, tmp_path):
    build = shared_build(factory, "b", lambda workdir: workdir.mkdir(parents=True))
    with pytest.raises(AssertionError, match="is a shared build: run Snakemake in a copy_build"):
        run_snakemake(build, "--version")
    copy = copy_build(build, tmp_path / "w")
    assert copy.is_dir() and not (copy.parent / SHARED_BUILT).exists()
