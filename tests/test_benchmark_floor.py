"""The benchmark's import floor finds the script of every rule the workflow schedules."""

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_validation_batch_has_the_validation_script_as_floor():
    bench = _bench()
    scripts = bench.rule_scripts(ROOT)
    per_rule = {rule: {"script": path.name} for rule, path in scripts.items()}
    sources = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["sources"]
    batches = {spec.get("batch", name) for name, spec in sources.items()}
    assert len(batches) < len(sources)  # the default config does group exports
    for batch in batches:
        assert bench.rule_floor(per_rule, f"validate_{batch}") == {"script": "validate_export.py"}


def test_named_rules_are_found_by_name_not_by_a_shorter_prefix():
    bench = _bench()
    per_rule = {"rq_": {"script": "a"}, "rq1_target_group": {"script": "b"}}
    assert bench.rule_floor(per_rule, "rq1_target_group") == {"script": "b"}
    assert bench.rule_floor(per_rule, "rq_bonding") == {"script": "a"}
    assert bench.rule_floor(per_rule, "link") == {}
