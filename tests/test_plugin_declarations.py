"""Plugins declare themselves (issue 16): `unikeras_plugin_info`, selection by declared priority,
the explicit implementation order, required hooks, `check-plugin` and `info`'s filtering.

In-process tests load throw-away plugins through a patched entry-point list (no selection of
the active backend changes); selection tests run a fresh interpreter (`run_python`).
"""

import importlib.metadata as md
import json
import sys
import textwrap

import numpy as np
import pytest

import unikeras
from unikeras import info
from unikeras.backend import hookimpl, hookspec, registry

BACKEND = registry.backend()
needs_test_plugins = pytest.mark.skipif(
    "testbackend" not in registry.installed_backends(),
    reason="test plugins not installed: pip install -e tests/plugins/unikeras-testplugins",
)


@pytest.fixture
def fake_backends(monkeypatch, tmp_path):
    """Returns `add(name, source)`: writes module `source` and makes it look installed as
    backend `name` (for this process only)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    added = {}
    real = registry._entry_points

    def entry_points(group):
        found = dict(real(group))
        if group == registry.BACKEND_GROUP:
            found.update(added)
        return found

    monkeypatch.setattr(registry, "_entry_points", entry_points)
    registry._DECLARED.clear()

    def add(name, source):
        module = f"fake_plugin_{name}"
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source))
        added[name] = md.EntryPoint(name=name, value=module, group=registry.BACKEND_GROUP)
        registry._DECLARED.pop(name, None)
        return module

    yield add
    registry._DECLARED.clear()
    for name in added:
        sys.modules.pop(f"fake_plugin_{name}", None)


# --- declarations ----------------------------------------------------------------------------


def test_declared_keys_and_defaults():
    for name in registry.installed_backends():
        declared = registry.declared_info(name)
        assert set(declared) == set(registry.PLUGIN_INFO_DEFAULTS), name
        assert isinstance(declared["priority"], int) and not isinstance(declared["priority"], bool)
        assert set(declared["required_hooks"]) <= set(registry.spec_functions()), name
        assert declared["pip_name"], name


def test_known_plugins_declare_the_documented_priorities_and_pip_names():
    expected = {"jax": 40, "torch": 30, "tensorflow": 20, "openvino": 10}
    for name, priority in expected.items():
        if name not in registry.installed_backends():
            continue
        declared = registry.declared_info(name)
        assert declared["priority"] == priority
        assert declared["pip_name"] == registry.KNOWN_PLUGINS[name]
        dist = registry._entry_points(registry.BACKEND_GROUP)[name].dist
        assert dist.metadata["Name"] == declared["pip_name"]
    assert registry.declared_info("numpy")["priority"] < min(expected.values())
    assert registry.declared_info("numpy")["pip_name"] == "unikeras"


def test_active_backend_declaration_matches_its_backend_info():
    declared = registry.declared_info(BACKEND)
    backend_info = registry.table.backend_info()
    if backend_info["name"] == BACKEND:  # (a plugin reusing another's modules may differ)
        assert bool(backend_info["training"]) == declared["training"]
        assert bool(backend_info["jit"]) == declared["jit"]
    for hook in registry.required_hooks(BACKEND):
        assert not getattr(getattr(registry.table, hook), "unikeras_missing", False), hook


@needs_test_plugins
def test_test_plugins_are_declared_test_only():
    for name in ("testbackend", "brokenbackend"):
        assert registry.declared_info(name)["test_only"] is True
    assert not any(
        registry.declared_info(n)["test_only"]
        for n in registry.KNOWN_PLUGINS
        if n in registry.installed_backends()
    )


def test_declaration_is_read_without_importing_the_module(fake_backends):
    module = fake_backends(
        "loud",
        """
        unikeras_plugin_info = {"pip_name": "loud-dist", "priority": 7,
                                "export_formats": ["loudformat"], "training": True}
        raise RuntimeError("importing this module is not allowed")
    """,
    )
    declared = registry.declared_info("loud")
    assert module not in sys.modules
    assert (declared["pip_name"], declared["priority"], declared["training"]) == (
        "loud-dist",
        7,
        True,
    )
    assert declared["export_formats"] == ["loudformat"]
    assert declared["required_hooks"] == [] and declared["test_only"] is False
    assert registry.backends_exporting("loudformat") == ["loud"]
    assert registry.pip_hint("loud") == "pip install loud-dist"


def test_missing_declaration_uses_defaults(fake_backends):
    fake_backends("plain", "X = 1\n")
    declared = registry.declared_info("plain")
    assert declared["priority"] == 0 and declared["training"] is False
    assert declared["pip_name"] is None  # a fake entry point has no distribution


@pytest.mark.parametrize(
    "literal, match",
    [
        ('{"priority": "high"}', r"\['priority'\].*int"),
        ('{"priority": True}', r"\['priority'\]"),
        ('{"required_hooks": ["no_such_hook"]}', "no_such_hook"),
        ("dict(priority=3)", "dict literal"),
    ],
)
def test_bad_declarations_fail_naming_the_plugin(fake_backends, literal, match):
    fake_backends("bad", f"unikeras_plugin_info = {literal}\n")
    with pytest.raises(registry.PluginValidationError, match=match):
        registry.declared_info("bad")


# --- selection by declared priority ----------------------------------------------------------

_SELECT = """
import importlib.metadata as md
_real = md.entry_points
def _entry_points(**kw):
    found = _real(**kw)
    if kw.get("group") != "unikeras.backends":
        return found
    extra = [md.EntryPoint(name=n, value=v, group=kw["group"]) for n, v in {extra!r}]
    return [ep for ep in found if ep.name == "numpy"] + extra
md.entry_points = _entry_points
import sys, unikeras
print(unikeras.backend.backend(), "|", unikeras.backend.selection_reason())
print(sorted(m for m in {modules!r} if m in sys.modules))
"""

_REUSE = """
unikeras_plugin_info = {{"priority": {priority}}}
from unikeras.backend import numpy as _numpy
unikeras_plugins = _numpy.unikeras_plugins
"""


def test_highest_declared_priority_wins_and_others_are_not_imported(run_python, tmp_path):
    for name, priority in (("aaa", 1), ("mmm", 25), ("zzz", 3)):
        (tmp_path / f"prio_{name}.py").write_text(_REUSE.format(priority=priority))
    extra = [(n, f"prio_{n}") for n in ("aaa", "mmm", "zzz")]
    code = _SELECT.format(extra=extra, modules=[m for _, m in extra])
    result = run_python(code, PYTHONPATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()
    name, reason = first.split(" | ")
    assert name == "mmm"
    assert reason.startswith("first installed in the preference order")
    assert "mmm 25, zzz 3, aaa 1" in reason
    assert second == "['prio_mmm']"


def test_equal_priorities_fall_back_to_name_order(run_python, tmp_path):
    for name in ("beta", "alpha"):
        (tmp_path / f"prio_{name}.py").write_text(_REUSE.format(priority=5))
    extra = [(n, f"prio_{n}") for n in ("beta", "alpha")]
    result = run_python(_SELECT.format(extra=extra, modules=[]), PYTHONPATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" | ")[0] == "alpha"


# --- required hooks --------------------------------------------------------------------------

_PARTIAL = """
from unikeras.backend import numpy as _numpy
unikeras_plugin_info = {{"required_hooks": {required!r}}}
unikeras_plugins = tuple(m for m in _numpy.unikeras_plugins
                         if not any(hasattr(m, h) for h in {dropped!r}))
"""


def test_required_hooks_are_the_documented_ones():
    assert set(hookspec.REQUIRED_HOOKS) >= {"variable_class", "layer_mixin", "random_uniform"}
    assert set(hookspec.REQUIRED_HOOKS) <= set(registry.spec_functions())


@pytest.mark.parametrize("dropped", [("variable_class",), ("layer_mixin",), ("random_uniform",)])
def test_missing_required_hook_fails_naming_plugin_and_hooks(fake_backends, dropped):
    fake_backends("partial", _PARTIAL.format(required=[], dropped=list(dropped)))
    active, table_add = registry.backend(), registry.table.add
    with pytest.raises(registry.PluginValidationError) as error:
        unikeras.config.set_backend("partial")
    message = str(error.value)
    assert "'partial'" in message
    assert f"required hook(s) {dropped[0]}" in message
    assert "check-plugin partial" in message
    assert registry.backend() == active and registry.table.add is table_add


def test_declared_required_hook_is_enforced(fake_backends):
    fake_backends("needy", _PARTIAL.format(required=["lstm", "trainer_mixin"], dropped=[]))
    with pytest.raises(registry.PluginValidationError, match=r"'needy'.*hook\(s\) lstm\."):
        registry.select("needy")
    assert registry.backend() == BACKEND
    assert registry.required_hooks("needy") == list(hookspec.REQUIRED_HOOKS) + [
        "lstm",
        "trainer_mixin",
    ]


# --- explicit implementation order -----------------------------------------------------------

MARK = "plain add-on"


class _PlainAddon:
    @staticmethod
    @hookimpl
    def add(x1, x2):
        return MARK

    @staticmethod
    @hookimpl
    def variable_snapshot(value):
        return MARK


class _FirstAddon:
    @staticmethod
    @hookimpl(tryfirst=True)
    def add(x1, x2):
        return MARK


def test_backend_beats_a_plain_addon_which_beats_missing_hooks():
    backend_add = registry.table.add
    had_snapshot = registry.optional_hook("variable_snapshot") is not None
    unikeras.backend.register_plugin(_PlainAddon, name="plain_addon")
    try:
        assert registry.table.add is backend_add  # the backend implements add
        overrides = registry.addon_overrides()
        assert "add" not in overrides
        if not had_snapshot:  # the backend leaves the optional hook out: the add-on serves it
            assert registry.table.variable_snapshot is _PlainAddon.variable_snapshot
            assert overrides["variable_snapshot"] == "plain_addon"
    finally:
        unikeras.backend.unregister_plugin(_PlainAddon)
    assert registry.table.add is backend_add
    assert "variable_snapshot" not in registry.addon_overrides()


def test_tryfirst_addon_beats_the_backend_and_is_reported():
    backend_add = registry.table.add
    unikeras.backend.register_plugin(_FirstAddon, name="first_addon")
    try:
        assert registry.table.add is _FirstAddon.add
        assert registry.addon_overrides() == {"add": "first_addon"}
        assert registry.implementation_sources()["add"] == ("first_addon", "add-on")
        report = info.format_report(info.gather())
        assert "add-on overrides: add (first_addon)" in report
    finally:
        unikeras.backend.unregister_plugin(_FirstAddon)
    assert registry.table.add is backend_add
    assert registry.implementation_sources()["add"][1] == "backend"


def test_core_defaults_serve_only_what_the_backend_leaves_out():
    from unikeras.backend import defaults

    default_hooks = {
        name
        for module in defaults.unikeras_plugins
        for name, fn in vars(module).items()
        if getattr(fn, "unikeras_impl", None) is not None
    }
    sources = registry.implementation_sources()
    backend_hooks = {
        name
        for obj, _ in registry._state.backend_objects
        for name in dir(obj)
        if getattr(getattr(obj, name, None), "unikeras_impl", None) is not None
    }
    overridden = registry.addon_overrides()
    for hook, (plugin, tier) in sources.items():
        if hook in overridden:
            continue
        if hook in backend_hooks:
            assert tier == "backend", hook
        elif hook in default_hooks:
            assert tier == "defaults", hook


# --- python -m unikeras check-plugin ---------------------------------------------------------


def _own_hooks(objects):
    return {
        name
        for obj in objects
        for name in dir(obj)
        if getattr(getattr(obj, name, None), "unikeras_impl", None) is not None
    }


def test_check_plugin_counts_ops_by_namespace(fake_backends):
    fake_backends("partial", _PARTIAL.format(required=[], dropped=["variable_class", "lstm"]))
    from unikeras.backend import numpy as numpy_backend

    served = _own_hooks(
        m for m in numpy_backend.unikeras_plugins if not hasattr(m, "variable_class")
    )
    report = info.check_plugin("partial")
    assert report["missing_required"] == ["variable_class"]
    namespaces = info.contract_namespaces()
    assert set(report["namespaces"]) == set(namespaces)
    for namespace, ops in namespaces.items():
        row = report["namespaces"][namespace]
        assert row["total"] == len(ops)
        assert row["implemented"] == len([op for op in ops if op in report["sources"]])
        assert set(row["missing"]) == {op for op in ops if op not in report["sources"]}
        # everything the plugin's own modules define is served by them
        for op in ops:
            if op in served:
                assert report["sources"][op][1] == "backend", op
    text = info.format_check(report)
    assert "MISSING  variable_class" in text
    assert (
        f"required hooks: {len(hookspec.REQUIRED_HOOKS) - 1}/{len(hookspec.REQUIRED_HOOKS)}" in text
    )
    assert "UNIKERAS_BACKEND=partial python -m pytest --pyargs unikeras.testing.conformance" in text
    assert report["optional"]["variable_snapshot"] is False
    assert not set(report["optional"]) & set(report["required"])


def test_check_plugin_on_the_active_backend(capsys):
    status = info.main(["check-plugin", BACKEND])
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith(
        f"plugin {BACKEND}: pip install {registry.declared_info(BACKEND)['pip_name']}"
    )
    implemented = set(registry.implemented_ops())
    served = len([op for op in info.contract_ops() if op in implemented])
    total_line = next(line for line in out.splitlines() if line.strip().startswith("total"))
    assert total_line.split()[1] == f"{served}/{len(info.contract_ops())}"
    dtypes_line = next(line for line in out.splitlines() if line.startswith("dtypes: "))
    assert dtypes_line[len("dtypes: ") :].split(", ") == list(
        registry.table.backend_info()["dtypes"]
    )


def test_check_plugin_json_and_unknown_name(capsys):
    assert info.main(["check-plugin", BACKEND, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["missing_required"] == []
    assert sum(r["implemented"] for r in report["namespaces"].values()) == len(
        [op for op in info.contract_ops() if op in set(registry.implemented_ops())]
    )
    assert info.main(["check-plugin", "nosuchbackend"]) == 2
    assert "pip install nosuchbackend" in capsys.readouterr().err


# --- python -m unikeras info -----------------------------------------------------------------


@needs_test_plugins
def test_info_table_hides_test_only_plugins_unless_asked(capsys):
    info.main(["info"])
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[3:] if line]
    assert "testbackend" not in rows and "brokenbackend" not in rows
    info.main(["info", "--test-plugins"])
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[3:] if line]
    assert {"testbackend", "brokenbackend"} <= set(rows)
    info.main(["info", "--json"])
    report = json.loads(capsys.readouterr().out)
    flags = {b["name"]: b["declared"]["test_only"] for b in report["backends"]}
    assert flags["testbackend"] is True and flags[BACKEND] is False


# --- export hints ----------------------------------------------------------------------------


def test_unknown_export_format_names_the_pip_install(monkeypatch):
    real = registry._entry_points
    monkeypatch.setattr(
        registry,
        "_entry_points",
        lambda group: {} if group == registry.EXPORTER_GROUP else real(group),
    )
    model = unikeras.Sequential([unikeras.Input((3,)), unikeras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"'openvino'.*`pip install unikeras-openvino`"):
        model.export("unused", format="openvino")
    with pytest.raises(ValueError, match="Unknown export format 'nosuch'. Installed formats"):
        model.export("unused", format="nosuch")


def test_saved_model_backends_come_from_declarations():
    exporting = registry.backends_exporting("tf_saved_model")
    installed = registry.installed_backends()
    assert [n for n in ("tensorflow", "jax") if n in installed] == [
        n for n in exporting if n in ("tensorflow", "jax")
    ]  # lowest priority first
    assert not {"torch", "openvino", "numpy"} & set(exporting)
    openvino = registry.backends_exporting("openvino")
    assert openvino == (["openvino"] if "openvino" in installed else [])


# --- variable_snapshot -----------------------------------------------------------------------


def test_stateless_call_restores_variables_and_returns_new_state():
    layer = unikeras.layers.BatchNormalization(momentum=0.5)
    layer.build((None, 3))
    before = [np.array(unikeras.ops.convert_to_numpy(v)) for v in layer.variables]
    x = np.arange(12, dtype="float32").reshape(4, 3)
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    outputs, new_state = layer.stateless_call(trainable, non_trainable, x, training=True)
    after = [np.array(unikeras.ops.convert_to_numpy(v)) for v in layer.variables]
    for old, new in zip(before, after):
        np.testing.assert_array_equal(old, new)
    mean = x.mean(axis=0)
    np.testing.assert_allclose(unikeras.ops.convert_to_numpy(new_state[0]), 0.5 * mean, rtol=1e-6)
    expected = (x - mean) / np.sqrt(x.var(axis=0) + layer.epsilon)
    np.testing.assert_allclose(
        unikeras.ops.convert_to_numpy(outputs), expected, rtol=1e-5, atol=1e-5
    )
    snapshot = registry.optional_hook("variable_snapshot")
    if snapshot is not None:  # a backend writing variables in place returns a copy
        value = layer.non_trainable_variables[0].value
        copy = snapshot(value)
        assert copy is not value
        np.testing.assert_array_equal(
            unikeras.ops.convert_to_numpy(copy), unikeras.ops.convert_to_numpy(value)
        )


# --- hints -----------------------------------------------------------------------------------


def test_training_hint_names_the_best_installed_training_backend(fake_backends):
    fake_backends(
        "trainer",
        'unikeras_plugin_info = {"pip_name": "trainer-dist", "priority": 999, "training": True}\n',
    )
    fake_backends("fast", 'unikeras_plugin_info = {"priority": 1000, "training": False}\n')
    assert registry.training_backend_hint() == (
        "`pip install trainer-dist`, and select it with UNIKERAS_BACKEND=trainer"
    )


def test_training_hint_falls_back_to_the_known_table(monkeypatch):
    monkeypatch.setattr(registry, "installed_backends", lambda: [registry.BUILTIN])
    name, pip_name = next(iter(registry.KNOWN_PLUGINS.items()))
    assert registry.training_backend_hint() == (
        f"`pip install {pip_name}`, and select it with UNIKERAS_BACKEND={name}"
    )
