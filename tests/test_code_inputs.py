"""Rules declare the package modules their scripts import, so that code edits rerun jobs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from ekc.core.code_inputs import imported_modules

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "workflow" / "scripts").glob("*.py"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_follows_imports_through_the_package(tmp_path):
    src = tmp_path / "src"
    _write(src / "pkg" / "__init__.py", "")
    _write(src / "pkg" / "sub" / "__init__.py", "from pkg.sub.deep import VALUE\n")
    _write(src / "pkg" / "sub" / "deep.py", "VALUE = 1\n")
    _write(src / "pkg" / "a.py", "import json\nfrom pkg import b\n")
    _write(src / "pkg" / "b.py", "def f():\n    import pkg.lazy\n")
    _write(src / "pkg" / "lazy.py", "")
    _write(src / "pkg" / "unused.py", "")
    _write(
        src / "pkg" / "c.py",
        "from pkg.sub import VALUE\nfrom pkg import (  # why, here\n    d,\n)\n",
    )
    _write(src / "pkg" / "d.py", "")
    script = tmp_path / "script.py"
    _write(script, "import pandas\nfrom pkg.a import something\nimport pkg.c\n")

    found = imported_modules(script, src=src, package="pkg")

    names = {Path(p).relative_to(src).as_posix() for p in found}
    assert names == {
        "pkg/__init__.py",
        "pkg/a.py",
        "pkg/b.py",  # `from pkg import b` names a module
        "pkg/lazy.py",  # imported inside a function
        "pkg/c.py",
        "pkg/sub/__init__.py",
        "pkg/sub/deep.py",  # reached through the package's __init__
        "pkg/d.py",  # named in a parenthesised list after a comment
    }
    assert found == sorted(found)


# Imports each script's top-level imports in turn (ekc modules unloaded in between) and
# reports the ekc module files then loaded.
_PROBE = """
import ast, json, sys
out = {}
for script in sys.argv[1:]:
    for name in [m for m in sys.modules if m == "ekc" or m.startswith("ekc.")]:
        del sys.modules[name]
    tree = ast.parse(open(script, encoding="utf-8").read())
    body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    exec(compile(ast.Module(body=body, type_ignores=[]), script, "exec"), {})
    out[script] = sorted(
        m.__file__ for n, m in sys.modules.items()
        if (n == "ekc" or n.startswith("ekc.")) and getattr(m, "__file__", None)
    )
print(json.dumps(out))
"""


def test_every_module_a_job_loads_is_declared():
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", _PROBE, *map(str, SCRIPTS)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        ).stdout
    )
    for script in SCRIPTS:
        declared = {(ROOT / p).resolve() for p in imported_modules(script, src=ROOT / "src")}
        actual = {Path(f).resolve() for f in loaded[str(script)]}
        assert actual, script.name
        assert actual <= declared, (script.name, sorted(map(str, actual - declared)))


def test_each_rule_declares_the_modules_of_its_own_script():
    checked = 0
    for smk in sorted((ROOT / "workflow" / "rules").glob("**/*.smk")):
        for block in re.split(r"(?m)^\s*rule\b", smk.read_text(encoding="utf-8"))[1:]:
            script = re.search(r'script:\s*\n\s*"\.\./\.\./scripts/(\w+\.py)"', block)
            if not script:
                continue
            code = re.search(r'code=script_code\("(\w+\.py)"', block)
            assert code, (smk.name, block.split(":")[0])
            assert code.group(1) == script.group(1), (smk.name, block.split(":")[0])
            checked += 1
    assert checked == len(SCRIPTS)
