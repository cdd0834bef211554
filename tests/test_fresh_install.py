"""`pip install unikeras <plugin>` into a fresh virtual environment, by distribution name.

The core and a backend plugin are built into wheels from this checkout and installed by
their names (`unikeras`, `unikeras-arrayapi`, `unikeras-jax`, ...) from a local wheel folder
into a new venv with no access to this checkout or to the package index. Their third-party
dependencies (numpy, pluggy, h5py, optree and the engine) are not downloaded: a `.pth` file
points the venv at a folder linking exactly those distributions (packages and metadata) from
the running interpreter, so `pip check` proves the wheels' declared requirements hold. The
venv then selects the plugin on its own (the only installed backend plugin) and runs a small
model: `predict` (checked against NumPy) and one training step (its loss checked), or, on an
inference-only backend, the error `fit` raises there.

Each run tests the active backend's plugin in its tox env, else (the core and example envs)
the example plugin (`examples/unikeras-arrayapi`).
"""

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "arrayapi"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("setuptools") is None,
    reason="building the wheels offline needs setuptools in the test environment",
)


def _source_dirs():
    """{backend name: (distribution name, source folder)} of the plugins in this checkout."""
    found = {}
    for pyproject in sorted(
        [*ROOT.glob("plugins/*/pyproject.toml"), *ROOT.glob("examples/*/pyproject.toml")]
    ):
        text = pyproject.read_text()
        dist = re.search(r'^name\s*=\s*"([^"]+)"', text, re.M)
        entry = re.search(
            r'\[project\.entry-points\."unikeras\.backends"\]\s*\n\s*'
            r'"?([\w.-]+)"?\s*=',
            text,
        )
        if dist and entry:
            found[entry.group(1)] = (dist.group(1), pyproject.parent)
    return found


SOURCES = _source_dirs()


def _plugins_to_test():
    """The active backend's plugin in its env, else (core and example envs) the example."""
    active = os.environ.get("UNIKERAS_BACKEND", "").lower()
    active = {"tf": "tensorflow", "pytorch": "torch"}.get(active, active)
    return [active if active in SOURCES else EXAMPLE]


def _requirement_names(dist):
    """Names of the distributions `dist` requires in this interpreter (no extras)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover
        from pip._vendor.packaging.requirements import Requirement
    names = []
    for line in dist.requires or ():
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        names.append(requirement.name)
    return names


def _source_requirement_names(folder):
    """Names of the distributions the package in `folder` requires, read from its
    `pyproject.toml` (so a plugin this env does not have installed can be tested)."""
    import tomllib

    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover
        from pip._vendor.packaging.requirements import Requirement
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    names = []
    for line in project.get("dependencies", ()):
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(requirement.name)
    return names


def _third_party_closure(requirements):
    """The installed distributions needed by `requirements`, recursively, without ours."""
    seen, todo = {}, list(requirements)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen or key.startswith("unikeras"):
            continue
        dist = importlib.metadata.distribution(name)
        seen[key] = dist
        todo.extend(_requirement_names(dist))
    return list(seen.values())


def _link_distributions(dists, folder):
    """Links each distribution's top-level files (packages, modules, bundled libraries and
    its metadata folder) from the running interpreter's site-packages into `folder`."""
    folder.mkdir()
    for dist in dists:
        base = Path(dist.locate_file(""))
        tops = {Path(f).parts[0] for f in dist.files or () if not str(f).startswith("..")}
        tops.discard("__pycache__")
        for top in sorted(tops):
            if (base / top).exists() and not (folder / top).exists():
                (folder / top).symlink_to(base / top)


def _pip(*args, cwd):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=_clean_env(cwd),
    )
    assert result.returncode == 0, f"pip {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _clean_env(home):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("UNIKERAS_BACKEND", "KERAS_BACKEND", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(HOME=str(home), PIP_NO_INDEX="1", PIP_NO_CACHE_DIR="1")
    return env


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """A folder with the wheels of the core and of every plugin the module tests, built
    offline from copies of their sources (so the checkout gets no build folders)."""
    work = tmp_path_factory.mktemp("wheels")
    folders = [ROOT / "core"] + [SOURCES[name][1] for name in _plugins_to_test()]
    copies = []
    for folder in folders:
        copies.append(work / "src" / folder.name)
        shutil.copytree(
            folder,
            copies[-1],
            ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "tests"),
        )
    _pip(
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        str(work / "dist"),
        *map(str, copies),
        cwd=work,
    )
    return work / "dist"


MODEL_SCRIPT = """
import json, sys
import numpy as np
import unikeras as keras

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(5, activation="relu"),
    keras.layers.Dense(3, activation="softmax"),
])
x = np.random.default_rng(0).random((6, 4)).astype("float32")
y = keras.ops.convert_to_numpy(model.predict(x, verbose=0))
kernel, bias, kernel2, bias2 = model.get_weights()

# Training: a step on a training backend; the documented error on an inference-only one.
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", run_eagerly=True)
training = keras.backend.table.backend_info()["training"]
try:
    losses = model.fit(x, np.arange(6) % 3, epochs=1, batch_size=6, verbose=0).history["loss"]
    fit_error = None
except RuntimeError as e:
    losses, fit_error = None, str(e)

import importlib
print(json.dumps({
    "training": training, "losses": losses, "fit_error": fit_error,
    "backend": keras.backend.backend(),
    "reason": keras.backend.selection_reason(),
    "installed": keras.backend.installed_backends(),
    "unikeras_file": keras.__file__,
    "plugin_file": importlib.import_module(sys.argv[1]).__file__,
    "x": x.tolist(), "y": y.tolist(), "dtype": str(y.dtype),
    "weights": [w.tolist() for w in (kernel, bias, kernel2, bias2)],
}))
"""


@pytest.mark.parametrize("backend", _plugins_to_test())
def test_fresh_venv_runs_a_model_on_the_plugin(backend, wheels, tmp_path):
    dist_name, _ = SOURCES[backend]
    venv = tmp_path / "fresh"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )

    # Third-party dependencies: linked from this interpreter, nothing of unikeras' own.
    needed = [
        *_requirement_names(importlib.metadata.distribution("unikeras")),
        *_source_requirement_names(SOURCES[backend][1]),
    ]
    deps = tmp_path / "third_party"
    _link_distributions(_third_party_closure(needed), deps)
    (site_packages / "third_party.pth").write_text(f"{deps}\n")

    # unikeras + the plugin, by distribution name, from the local wheels only.
    _pip(
        "--python",
        str(python),
        "install",
        "--no-index",
        "--no-deps",
        "--find-links",
        str(wheels),
        "unikeras",
        dist_name,
        cwd=tmp_path,
    )
    _pip("--python", str(python), "check", cwd=tmp_path)

    import_name = dist_name.replace("-", "_")
    result = subprocess.run(
        [str(python), "-c", MODEL_SCRIPT, import_name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=_clean_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["backend"] == backend
    assert report["reason"] == "the only installed backend plugin"
    assert report["installed"] == sorted({"numpy", backend})
    for key in ("unikeras_file", "plugin_file"):  # the installed copies, not this checkout
        assert Path(report[key]).resolve().is_relative_to(site_packages.resolve()), report[key]

    import numpy as np

    x = np.asarray(report["x"], "float32")
    kernel, bias, kernel2, bias2 = (np.asarray(w, "float32") for w in report["weights"])
    logits = np.maximum(x @ kernel + bias, 0) @ kernel2 + bias2
    expected = np.exp(logits - logits.max(-1, keepdims=True))
    expected /= expected.sum(-1, keepdims=True)
    assert report["dtype"] == "float32"
    np.testing.assert_allclose(np.asarray(report["y"]), expected, rtol=1e-5, atol=1e-6)

    # The loss of the first (only) step is that of the weights predict used.
    labels = np.arange(6) % 3
    expected_loss = -np.mean(np.log(expected[np.arange(6), labels]))
    if report["training"]:
        assert report["fit_error"] is None
        np.testing.assert_allclose(report["losses"], [expected_loss], rtol=1e-5)
    else:
        assert report["losses"] is None
        assert "inference only" in report["fit_error"], report["fit_error"]


def test_fresh_install_knows_every_plugin_of_the_checkout():
    # The test above finds plugins by their pyproject; a renamed entry point or distribution
    # must not silently drop a plugin from it.
    assert EXAMPLE in SOURCES
    assert {name: dist for name, (dist, _) in SOURCES.items()} == {
        "arrayapi": "unikeras-arrayapi",
        "jax": "unikeras-jax",
        "torch": "unikeras-torch",
        "tensorflow": "unikeras-tf",
        "openvino": "unikeras-openvino",
    }
