"""The research-question seam: every study's questions go through one rule and one adapter,
and nothing the workflow runs imports the synthetic-data generator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ekc.core import research_question as rq
from ekc.core.code_inputs import imported_modules
from ekc.engine.tabulate import analyse as engine_analyse

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = [
    ROOT / "config" / "config.yaml",
    ROOT / "config" / "preventive.yaml",
    ROOT / "tests" / "fixtures" / "toy_study" / "config.yaml",
]
SCRIPTS = sorted((ROOT / "workflow" / "scripts").glob("*.py"))


def _config(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _workflow_modules() -> list[Path]:
    """Every module file a job may load: the adapters' imports, each research question's
    module and the study's export models, followed through the package."""
    files = {str(p) for script in SCRIPTS for p in imported_modules(script, src=ROOT / "src")}
    for path in CONFIGS:
        config = _config(path)
        loaded = [
            rq.module_file(entry, ROOT / "src") for entry in config["research_questions"].values()
        ]
        if "models" in config:
            loaded.append(rq.source_file(config["models"], ROOT / "src"))
        for module in loaded:
            assert module.is_file(), module
            files |= {str(module), *imported_modules(module, src=ROOT / "src")}
    return sorted(Path(f) for f in files)


def test_no_workflow_code_imports_the_generator():
    modules = _workflow_modules()
    assert len(modules) > 30
    for path in [*SCRIPTS, *modules]:
        assert "ekc_synthetic" not in path.read_text(encoding="utf-8"), path


def test_a_job_loads_no_generator_module_at_run_time():
    """Importing every research-question module and the models module (as the jobs do)
    leaves the generator unloaded."""
    names = sorted(
        {
            rq.module_name(entry)
            for path in CONFIGS
            for entry in _config(path)["research_questions"].values()
        }
        | {"ekc.youth_protection.schemas", "ekc.core.research_question"}
    )
    probe = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('ekc'))))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
    )
    assert any(m.startswith("ekc.youth_protection.analysis") for m in loaded)
    assert not [m for m in loaded if m.startswith("ekc_synthetic")]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_research_question_names_a_module_with_analyse(path):
    import importlib

    for name, entry in _config(path)["research_questions"].items():
        module = importlib.import_module(rq.module_name(entry))
        assert callable(module.analyse), name
        if "analyses" not in entry:
            assert entry["inputs"], name
            assert rq.table_names(entry) == list(entry.get("tables", [])), name


def test_inputs_are_private_tables_or_files_the_config_names():
    config = _config(CONFIGS[0])
    entry = config["research_questions"]["conference"]
    paths = rq.input_paths(entry, config, "secret", [])
    assert paths["families"] == "secret/analysis/families.parquet"
    assert paths["reference"] == config["external_reference"]
    engine = {"analyses": [{"id": "a", "kind": "count"}]}
    assert rq.input_paths(engine, {}, "p", ["x", "y"]) == {
        "sources": ["p/prepared/x.parquet", "p/prepared/y.parquet"]
    }


def test_a_module_must_return_the_tables_its_entry_declares(tmp_path, monkeypatch):
    package = tmp_path / "fake_rq.py"
    package.write_text(
        "import pandas as pd\n"
        "def analyse(tables, study, alpha):\n"
        "    return {'one': pd.DataFrame(), 'surprise': pd.DataFrame()}, []\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = {"module": "fake_rq", "inputs": {"x": "x.parquet"}, "tables": ["one"]}
    with pytest.raises(rq.ResearchQuestionError, match="surprise"):
        rq.run(entry, {}, study="t", alpha=0.05, config={})


def test_the_engine_decides_its_tests_at_the_configured_alpha():
    visits = pd.DataFrame(
        {
            "arm": ["a"] * 6 + ["b"] * 6,
            "score": [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13],
        }
    )
    spec = {
        "id": "score",
        "kind": "mean",
        "source": "visits",
        "value": "score",
        "table": "t",
        "variable": "score",
        "group": "{arm}",
        "compare": "arm",
    }
    verdicts = {}
    for alpha in (0.05, 0.001):
        _, records = engine_analyse(
            {"visits": visits},
            study="t",
            alpha=alpha,
            analyses=[spec],
            groups=["a", "b"],
            tests=True,
        )
        (test,) = [r for r in records if r.get("test")]
        verdicts[alpha] = test["verdict"]
        assert test["alpha"] == alpha
    # exact Mann-Whitney, complete separation of 6 vs 6: p = 2/924 = .0022
    assert test["p"] == pytest.approx(2 / 924)
    assert verdicts == {0.05: "significant", 0.001: "not_significant"}


def test_refused_input_in_a_module_is_named_by_its_research_question(tmp_path, monkeypatch):
    (tmp_path / "unequal_rq.py").write_text(
        "from ekc.core.stats.inference import pearson_chi2\n"
        "def analyse(tables, study, alpha):\n"
        "    return {}, [pearson_chi2([[3, -1], [2, 4]])]\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = {"module": "unequal_rq", "inputs": {}, "tables": []}
    with pytest.raises(ValueError, match=r"^t research question support: .*negative counts"):
        rq.run(entry, {}, study="t", alpha=0.05, config={}, name="support")


def test_refused_input_in_an_engine_analysis_names_the_analysis(monkeypatch):
    from ekc.core.stats.inference import paired_t
    from ekc.engine import tabulate

    def unequal(frames, spec, study, options):
        return [paired_t([1.0, 2.0], [1.0])]

    monkeypatch.setitem(tabulate.KINDS, "mean", unequal)
    spec = {"id": "B.1", "kind": "mean"}
    with pytest.raises(ValueError, match=r"^analysis B\.1: paired samples differ in length"):
        tabulate.run_analyses({}, [spec], "t", ["g"], tests=None, alpha=0.05)
