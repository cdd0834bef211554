"""The plugin system: discovery, selection order, validation, add-ons, the dispatch table.

Selection happens at `import unikeras`, so most tests run a fresh interpreter
(`run_python`). The test plugins live in `tests/plugins/unikeras-testplugins` (tox installs
them; `pip install -e tests/plugins/unikeras-testplugins` does it by hand).
"""

import json
import sys

import pytest

import unikeras
from unikeras.backend import registry

needs_test_plugins = pytest.mark.skipif(
    "testbackend" not in registry.installed_backends(),
    reason="test plugins not installed: pip install -e tests/plugins/unikeras-testplugins",
)

REPORT = (
    "import unikeras\nprint(unikeras.backend.backend(), '|', unikeras.backend.selection_reason())\n"
)


def _fake_installed(names, extra=()):
    """Code that makes only backends `names` (plus `extra` (name, module) pairs) look installed.

    It wraps `importlib.metadata.entry_points` before `unikeras` is imported, so the
    selection rules that depend on what is installed can be tested whatever is installed.
    """
    return f"""
import importlib.metadata as md
_real = md.entry_points
def _entry_points(**kw):
    found = _real(**kw)
    if kw.get("group") != "unikeras.backends":
        return found
    kept = [ep for ep in found if ep.name in {list(names)!r}]
    extra = [md.EntryPoint(name=n, value=v, group=kw["group"]) for n, v in {list(extra)!r}]
    return kept + extra
md.entry_points = _entry_points
"""


def _selected(result):
    assert result.returncode == 0, result.stderr
    name, reason = result.stdout.strip().split(" | ")
    return name, reason


# --- discovery and loading -------------------------------------------------------------------


@needs_test_plugins
def test_installed_backends_come_from_entry_points():
    names = registry.installed_backends()
    assert {"numpy", "testbackend", "brokenbackend"} <= set(names)
    assert names == sorted(names)


@needs_test_plugins
def test_third_party_backend_is_selectable(run_python):
    code = REPORT + "print(unikeras.backend.table.backend_info()['name'])"
    result = run_python(code, UNIKERAS_BACKEND="testbackend")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "testbackend | environment variable UNIKERAS_BACKEND"
    assert lines[1] == "testbackend"  # its own backend_info hook wins over numpy's


@needs_test_plugins
def test_entry_point_addon_loads_only_for_its_backend(run_python):
    code = (
        "import sys, unikeras\n"
        "addon = sys.modules.get('unikeras_testplugins.testbackend_addon')\n"
        "print(addon is not None, addon is not None and unikeras.backend.table.add is addon.add)\n"
        "print(unikeras.backend.convert_to_numpy(unikeras.ops.add(1.0, 2.0)))"
    )
    loaded = run_python(code, UNIKERAS_BACKEND="testbackend").stdout.split()
    assert loaded == ["True", "True", "3.0"]
    assert run_python(code, UNIKERAS_BACKEND="numpy").stdout.split() == ["False", "False", "3.0"]


@needs_test_plugins
def test_broken_plugin_fails_at_load_naming_plugin_and_op(run_python):
    result = run_python("import unikeras", UNIKERAS_BACKEND="brokenbackend")
    assert result.returncode != 0
    assert "PluginValidationError" in result.stderr
    assert "Plugin 'brokenbackend'" in result.stderr
    assert "'add' has parameters (a, b)" in result.stderr
    assert "add(x1, x2)" in result.stderr


@needs_test_plugins
def test_set_backend_to_a_broken_plugin_keeps_the_active_backend():
    active, table_add = registry.backend(), registry.table.add
    with pytest.raises(registry.PluginValidationError, match="'add'"):
        unikeras.config.set_backend("brokenbackend")
    assert registry.backend() == active
    assert registry.table.add is table_add


def test_unknown_backend_error_lists_installed_and_pip_line(run_python):
    missing = [n for n in registry.PREFERENCE if n not in registry.installed_backends()]
    if not missing:
        pytest.skip("every known backend plugin is installed")
    result = run_python("import unikeras", UNIKERAS_BACKEND=missing[0])
    assert result.returncode != 0
    assert f"Unknown or uninstalled unikeras backend {missing[0]!r}" in result.stderr
    assert f"Installed backends: {registry.installed_backends()}" in result.stderr
    assert f"pip install {registry.PIP_NAMES[missing[0]]}" in result.stderr


def test_unknown_third_party_name_suggests_its_own_pip_line():
    with pytest.raises(registry.BackendError, match="`pip install nosuchbackend`"):
        registry.select("nosuchbackend")
    assert registry.backend() is not None


# --- selection order -------------------------------------------------------------------------


def _write_config(home, backend):
    (home / ".unikeras").mkdir()
    (home / ".unikeras" / "unikeras.json").write_text(json.dumps({"backend": backend}))


@needs_test_plugins
def test_unikeras_backend_beats_keras_backend(run_python):
    result = run_python(REPORT, UNIKERAS_BACKEND="testbackend", KERAS_BACKEND="numpy")
    assert _selected(result) == ("testbackend", "environment variable UNIKERAS_BACKEND")


@needs_test_plugins
def test_keras_backend_beats_config_file(run_python, tmp_path):
    _write_config(tmp_path, "numpy")
    result = run_python(REPORT, KERAS_BACKEND="testbackend")
    assert _selected(result) == ("testbackend", "environment variable KERAS_BACKEND")


@needs_test_plugins
def test_config_file_beats_installed_plugins(run_python, tmp_path):
    _write_config(tmp_path, "testbackend")
    # Without the file, the preference order would pick the fake `jax`.
    fake = _fake_installed(["numpy", "testbackend"], [("jax", "unikeras_testplugins.testbackend")])
    name, reason = _selected(run_python(fake + REPORT))
    assert name == "testbackend"
    assert reason.startswith("config file") and str(tmp_path) in reason


@needs_test_plugins
def test_single_installed_plugin_is_selected(run_python):
    result = run_python(_fake_installed(["numpy", "testbackend"]) + REPORT)
    assert _selected(result) == ("testbackend", "the only installed backend plugin")


@needs_test_plugins
def test_preference_order_among_several_plugins(run_python):
    # `jax` here is the testbackend module under jax's name: no engine is needed.
    fake = _fake_installed(["numpy", "testbackend"], [("jax", "unikeras_testplugins.testbackend")])
    name, reason = _selected(run_python(fake + REPORT))
    assert (name, reason.split(" (")[0]) == ("jax", "first installed in the preference order")


def test_no_plugin_falls_back_to_numpy_with_one_warning(run_python):
    result = run_python(_fake_installed(["numpy"]) + REPORT)
    assert _selected(result) == ("numpy", "no backend plugin installed (built-in fallback)")
    assert result.stderr.count("UserWarning") == 1
    assert "pip install unikeras-jax" in result.stderr


# --- add-ons and the dispatch table ----------------------------------------------------------


@needs_test_plugins
def test_runtime_addon_overrides_one_op_and_unregistering_restores_it():
    from unikeras_testplugins import addon

    original_add, original_multiply = registry.table.add, registry.table.multiply
    unikeras.backend.register_plugin(addon)
    try:
        assert registry.table.add is addon.add
        assert unikeras.ops.add(1.0, 2.0) == addon.MARK
        assert registry.table.multiply is original_multiply
    finally:
        unikeras.backend.unregister_plugin(addon)
    assert registry.table.add is original_add
    assert unikeras.backend.convert_to_numpy(unikeras.ops.add(1.0, 2.0)) == 3.0


def test_dispatch_table_holds_the_implementations_themselves():
    for name in registry.implemented_ops():
        impls = getattr(registry.plugin_manager().hook, name).get_hookimpls()
        assert getattr(registry.table, name) is impls[-1].function, name


def test_op_call_does_not_enter_pluggy():
    x = unikeras.backend.convert_to_tensor([1.0, 2.0])
    unikeras.ops.add(x, x)  # warm up anything lazy
    modules = set()

    def trace(frame, event, arg):
        if event == "call":
            modules.add(frame.f_globals.get("__name__", ""))

    sys.setprofile(trace)
    try:
        unikeras.ops.add(x, x)
    finally:
        sys.setprofile(None)
    assert not [m for m in modules if m.startswith("pluggy")], modules


# --- python -m unikeras info -----------------------------------------------------------------


def test_info_reports_active_backend_reason_and_coverage(run_python):
    code = "import sys; from unikeras.info import main; sys.exit(main(['info']))"
    result = run_python(code, UNIKERAS_BACKEND="numpy")
    assert result.returncode == 0, result.stderr
    assert "active backend: numpy (selected by environment variable UNIKERAS_BACKEND)" in (
        result.stdout
    )
    row = next(line for line in result.stdout.splitlines() if line.startswith("numpy *"))
    from unikeras.info import contract_ops

    assert f"/{len(contract_ops())} ops" in row


@needs_test_plugins
def test_info_all_loads_each_backend_in_a_subprocess(run_python):
    code = "import sys; from unikeras.info import main; sys.exit(main(['info', '--all', '--json']))"
    result = run_python(code, UNIKERAS_BACKEND="numpy")
    assert result.returncode == 0, result.stderr
    report = {b["name"]: b["details"] for b in json.loads(result.stdout)["backends"]}
    assert report["testbackend"]["info"]["name"] == "testbackend"
    assert report["testbackend"]["implemented"] == report["numpy"]["implemented"]
    assert "Plugin 'brokenbackend'" in report["brokenbackend"]["error"]


def test_importing_a_plugin_package_before_unikeras_names_the_fix(run_python):
    """`import unikeras_x` as the first import: a clear error saying to import unikeras first
    (not a misleading "missing required hooks"); importing unikeras first works."""
    backend = unikeras.backend.backend()
    package = registry._entry_points(registry.BACKEND_GROUP)[backend].value
    if package.startswith("unikeras."):
        pytest.skip("the built-in numpy backend is a subpackage of unikeras")
    first = run_python(f"import {package}", UNIKERAS_BACKEND=backend)
    assert first.returncode != 0
    assert "import unikeras` first" in first.stderr, first.stderr[-2000:]
    assert "required hook" not in first.stderr
    after = run_python(
        f"import unikeras, {package}; print(unikeras.backend.backend())", UNIKERAS_BACKEND=backend
    )
    assert after.returncode == 0, after.stderr[-2000:]
    assert after.stdout.strip().splitlines()[-1] == backend
