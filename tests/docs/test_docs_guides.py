"""The guides' code runs: each guide's ```python blocks, in order, as one script in a
subprocess (all guides in the same subprocess, each with its own globals and folder).

A block whose first line is a `# doc:` marker runs only where the marker allows:
`# doc: training` (a backend that trains: skipped on numpy and openvino),
`# doc: backend=jax,torch` (only those backends), `# doc: needs=module` (only where the
module imports, e.g. `openvino` for IR export). Every other block runs on every backend,
so each tox env runs the guides on its own backend. A guide all of whose blocks are skipped
skips with the reasons.
"""

import glob
import importlib.util
import json
import os
import re
import subprocess
import sys

import pytest

from unikeras.backend import table

DOCS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs")
GUIDES = sorted(glob.glob(os.path.join(DOCS, "guides", "*.md")))
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(path):
    """Returns the code of every ```python block of the Markdown file `path`, in order."""
    with open(path) as f:
        return BLOCK.findall(f.read())


def skip_reason(block, info):
    """Why `block` does not run on the backend described by `info` (None: it runs)."""
    first = block.lstrip().splitlines()[0] if block.strip() else ""
    marker = re.match(r"#\s*doc:\s*(.*)", first)
    if not marker:
        return None
    for part in marker.group(1).split(";"):
        key, _, value = part.strip().partition("=")
        key = key.strip()
        if key == "training" and not info.get("training"):
            return f"needs a training backend; {info['name']!r} is inference only"
        if key == "backend" and info["name"] not in [v.strip() for v in value.split(",")]:
            return f"runs on {value.strip()} only, not {info['name']!r}"
        if key == "needs":
            for module in value.split(","):
                if importlib.util.find_spec(module.strip()) is None:
                    return f"needs {module.strip()!r}, not installed"
        if key not in ("training", "backend", "needs"):
            raise ValueError(f"unknown doc marker {part!r} in block:\n{block}")
    return None


def test_every_guide_has_code():
    assert len(GUIDES) >= 10, GUIDES
    for path in GUIDES:
        assert python_blocks(path), f"{path} has no ```python block"


# Runs every guide in one subprocess (one engine import for all of them), each guide's
# blocks as one script in its own globals and its own working directory; prints one JSON
# line per guide. Guides leave global settings as they found them (policy, distribution).
RUNNER = r"""
import json, os, sys, traceback
scripts = json.loads(sys.stdin.read())
for name, script in scripts.items():
    os.makedirs(name, exist_ok=True)
    os.chdir(name)
    try:
        exec(compile(script, name + ".md", "exec"), {"__name__": "__main__"})
        error = None
    except BaseException:
        error = traceback.format_exc()
    os.chdir(os.pardir)
    sys.stdout.flush()
    print("\nGUIDE-RESULT " + json.dumps({"guide": name, "error": error}), flush=True)
"""


def _plan():
    """`{guide: (script or None, skip reasons)}` for the active backend."""
    info = table.backend_info()
    plan = {}
    for path in GUIDES:
        run, reasons = [], []
        for block in python_blocks(path):
            reason = skip_reason(block, info)
            (reasons.append(reason) if reason else run.append(block))
        name = os.path.basename(path)[:-3]
        plan[name] = ("\n\n".join(run) if run else None, sorted(set(reasons)))
    return plan


@pytest.fixture(scope="module")
def guide_results(request, tmp_path_factory):
    """Runs the guides' code once per test session; `{guide: traceback or None}`. Only the
    guides whose `test_guide_runs` is selected run (`-k getting-started` runs one guide)."""
    selected = {
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_guide_runs" and hasattr(item, "callspec")
    }
    plan = _plan()
    scripts = {name: script for name, (script, _) in plan.items() if script and name in selected}
    env = {**os.environ, "UNIKERAS_BACKEND": table.backend_info()["name"]}
    env["PYTHONWARNINGS"] = "ignore"
    result = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(scripts),
        cwd=tmp_path_factory.mktemp("guides"),
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    results = {}
    for line in result.stdout.splitlines():
        if line.startswith("GUIDE-RESULT "):
            entry = json.loads(line[len("GUIDE-RESULT ") :])
            results[entry["guide"]] = entry["error"]
    missing = set(scripts) - set(results)
    assert not missing, (
        f"the guide runner stopped before {sorted(missing)} (exit {result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    )
    return results


NAMES = [os.path.basename(p)[:-3] for p in GUIDES]


@pytest.mark.parametrize("name", NAMES)
def test_guide_runs(name, guide_results):
    script, reasons = _plan()[name]
    if script is None:
        pytest.skip("; ".join(reasons))
    error = guide_results[name]
    assert error is None, f"{name}.md failed on {table.backend_info()['name']}:\n{error}"


def test_migration_differences_are_checked():
    """Each difference listed on the migration page has a code block with an assertion."""
    with open(os.path.join(DOCS, "guides", "migrating.md")) as f:
        text = f.read()
    differences = re.split(r"^#### ", text, flags=re.M)[1:]
    assert len(differences) >= 8, "the migration page lists its differences as #### headings"
    for section in differences:
        title = section.splitlines()[0]
        blocks = BLOCK.findall(section)
        assert blocks, f"difference {title!r} has no code block"
        assert any(re.search(r"^\s*(assert|raise AssertionError)\b", b, re.M) for b in blocks), (
            f"difference {title!r} has no assertion"
        )
        assert not any(b.lstrip().startswith("# doc:") for b in blocks), (
            f"difference {title!r} must be checked on every backend"
        )
