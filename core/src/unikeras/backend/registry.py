"""Backend discovery, selection, validation and the op dispatch table.

Backends are found through entry points in the group `unikeras.backends` without importing
them; only the selected one is loaded. Each plugin declares itself (pip name, selection
priority, capabilities, export formats, required hooks) in a dict literal in its entry-point
module (`unikeras_plugin_info`), which the registry reads without importing the module (see
`declared_info`). The selected backend's objects are registered with a pluggy
`PluginManager` holding the contract (`spec_modules()`), after a strict check that every hook
implementation has exactly its spec's parameters (an implementation that declares no
default values gets its spec's: the spec is their one home). Then one implementation per hook is
written into `table`, chosen by an explicit rank (not pluggy's internal call order): an
add-on's `tryfirst=True` implementation, then the backend's own (its `tryfirst`, plain and
`trylast` ones in that order), then other add-on implementations, then the core's defaults
(`unikeras.backend.defaults`); among equals the one registered last. A backend missing one
of its required hooks (`hookspec.REQUIRED_HOOKS` plus those it declares) fails to load with
an error naming the plugin and the hooks. `unikeras.ops` calls `table.<op>(...)` directly:
no pluggy machinery per call.

Add-ons override single ops of a backend. They come from entry points in the group
`unikeras.addons`, named `<backend>.<addon>` (`*.<addon>` for every backend), or at run time
from `register_plugin`.
"""

import inspect
import json
import os
import sys
import warnings

import pluggy

from unikeras.backend import config
from unikeras.backend.common import autograph
from unikeras.backend.hookspec import (
    FAST_ENTRY_ATTRIBUTE,
    PROJECT_NAME,
    REQUIRED_HOOKS,
    spec_modules,
    takes_fast_entry,
)

if sys.version_info >= (3, 10):
    from importlib.metadata import entry_points
else:  # pragma: no cover
    from importlib_metadata import entry_points

BACKEND_GROUP = "unikeras.backends"
ADDON_GROUP = "unikeras.addons"
EXPORTER_GROUP = "unikeras.exporters"
BUILTIN = "numpy"

#: The one place the core names backend plugins: the distribution that provides each known
#: backend, used only for the `pip install` hint when that backend is asked for but NOT
#: installed. Everything else about a plugin (its pip name, selection priority,
#: capabilities, export formats, required hooks) comes from its own declaration
#: (`PLUGIN_INFO_ATTRIBUTE` in its entry-point module, see `declared_info`).
KNOWN_PLUGINS = {
    "jax": "unikeras-jax",
    "torch": "unikeras-torch",
    "tensorflow": "unikeras-tf",
    "openvino": "unikeras-openvino",
}
PIP_NAMES = KNOWN_PLUGINS  # the same table, under its earlier name

#: The known plugin names (kept for compatibility). Selection among several installed
#: plugins follows their declared `priority`, not this tuple.
PREFERENCE = tuple(KNOWN_PLUGINS)

ALIASES = {"tf": "tensorflow", "pytorch": "torch"}

#: The module attribute (of a backend's entry-point module) holding its declaration: a dict
#: literal, read without importing the module (so no engine is imported to select one).
PLUGIN_INFO_ATTRIBUTE = "unikeras_plugin_info"

#: Defaults of the declaration's keys (see `declared_info`).
PLUGIN_INFO_DEFAULTS = {
    "pip_name": None,
    "priority": 0,
    "training": False,
    "jit": False,
    "export_formats": (),
    "required_hooks": (),
    "test_only": False,
}


def canonical_name(name):
    """Returns the canonical backend name: case-insensitive, aliases resolved
    (`"JAX"` -> `"jax"`, `"tf"` -> `"tensorflow"`)."""
    if not isinstance(name, str):
        raise TypeError(
            f"A backend name must be a string. Received: {name!r} of type {type(name).__name__}."
        )
    name = name.strip().lower()
    return ALIASES.get(name, name)


CONFIG_PATH = os.path.join(os.path.expanduser("~"), ".unikeras", "unikeras.json")


class BackendError(ImportError):
    """A backend could not be found, loaded or validated."""


class PluginValidationError(BackendError):
    """A plugin's hook implementation does not match the contract."""


class DispatchTable:
    """Holds one attribute per hook: the implementation of the active backend."""

    def __repr__(self):
        return f"<DispatchTable {len(self.__dict__)} hooks>"


table = DispatchTable()


class _State:
    name = None
    reason = None
    manager = None
    backend_objects = ()
    runtime_addons = []  # (object, name)
    graph_scope = None  # the backend of an active `graph_scope`
    entry_point_addons = ()
    winners = {}  # hook name -> the plugin name whose implementation is in the table
    tiers = {}  # plugin name -> _DEFAULTS / _BACKEND / _ADDON


_state = _State()


def _entry_points(group):
    return {ep.name: ep for ep in entry_points(group=group)}


def installed_backends():
    """Returns the names of installed backends (found by entry point, nothing imported).

    Returns:
        A sorted list of backend names (e.g. `["jax", "numpy"]`).
    """
    names = set(_entry_points(BACKEND_GROUP))
    names.add(BUILTIN)
    return sorted(names)


def pip_hint(name):
    """Returns the `pip install` line that provides backend `name`: the pip name the plugin
    declares when it is installed, else the known-plugins table's, else `name` itself."""
    if name in _entry_points(BACKEND_GROUP) or name == BUILTIN:
        pip_name = declared_info(name)["pip_name"]
        if pip_name:
            return f"pip install {pip_name}"
    return f"pip install {KNOWN_PLUGINS.get(name, name)}"


def training_backend_hint():
    """Returns how to get a training backend, for error messages: the installed backend
    declaring `training` with the highest priority (else the first known plugin), its
    `pip install` line and how to select it."""
    installed = []
    for name in installed_backends():
        try:
            declared = declared_info(name)
        except BackendError:
            continue
        if declared["training"] and not declared["test_only"]:
            installed.append((-declared["priority"], name))
    name = min(installed)[1] if installed else next(iter(KNOWN_PLUGINS))
    return f"`{pip_hint(name)}`, and select it with UNIKERAS_BACKEND={name}"


_DECLARED = {}


def _module_source(module_name):
    """The source file of `module_name`, found without importing it (packages above it are
    imported only when they already are), or `None`."""
    import importlib.machinery
    import importlib.util

    parts = module_name.split(".")
    locations = None
    origin = None
    for i in range(len(parts)):
        prefix = ".".join(parts[: i + 1])
        loaded = sys.modules.get(prefix)
        if loaded is not None:
            origin = getattr(loaded, "__file__", None)
            locations = getattr(loaded, "__path__", None)
            continue
        try:
            spec = (
                importlib.util.find_spec(prefix)
                if i == 0
                else importlib.machinery.PathFinder.find_spec(prefix, locations)
            )
        except (ImportError, ValueError):
            return None
        if spec is None:
            return None
        origin, locations = spec.origin, spec.submodule_search_locations
    return origin


def _read_declaration(module_name):
    """The `unikeras_plugin_info` dict literal of a module (without running the module
    unless it is already imported), or `{}`."""
    import ast

    loaded = sys.modules.get(module_name)
    if loaded is not None:
        return dict(getattr(loaded, PLUGIN_INFO_ATTRIBUTE, None) or {})
    path = _module_source(module_name)
    if not path or not path.endswith(".py"):
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == PLUGIN_INFO_ATTRIBUTE for t in targets):
            try:
                return dict(ast.literal_eval(value))
            except (ValueError, TypeError, SyntaxError) as e:
                raise PluginValidationError(
                    f"The `{PLUGIN_INFO_ATTRIBUTE}` declaration in {path} must be a dict "
                    f"literal (it is read without importing the plugin): {e}"
                ) from None
    return {}


def _validate_declaration(name, info):
    expected = {
        "pip_name": (str, type(None)),
        "priority": (int,),
        "training": (bool,),
        "jit": (bool,),
        "export_formats": (list, tuple),
        "required_hooks": (list, tuple),
        "test_only": (bool,),
    }
    for key, value in info.items():
        if key in expected and (
            not isinstance(value, expected[key]) or (key == "priority" and isinstance(value, bool))
        ):
            raise PluginValidationError(
                f"Plugin {name!r}: `{PLUGIN_INFO_ATTRIBUTE}[{key!r}]` must be of type "
                f"{' or '.join(t.__name__ for t in expected[key])}; received {value!r}."
            )
    unknown = sorted(set(info.get("required_hooks", ())) - set(_spec_functions()))
    if unknown:
        raise PluginValidationError(
            f"Plugin {name!r} declares required hooks that are not in the unikeras "
            f"contract: {unknown}."
        )


def declared_info(name):
    """Returns what installed backend `name` declares about itself, without importing it.

    A plugin declares itself with a dict literal named `unikeras_plugin_info` in its
    entry-point module (read with `ast`, so selecting a backend imports no other engine):

    ```python
    unikeras_plugin_info = {
        "pip_name": "unikeras-jax",       # the distribution to `pip install`
        "priority": 40,                   # higher wins when several are installed
        "training": True,                 # capabilities
        "jit": True,
        "export_formats": ["tf_saved_model"],   # `model.export` formats it serves
        "required_hooks": ["trainer_mixin"],    # beyond `hookspec.REQUIRED_HOOKS`
        "test_only": False,               # hidden by `python -m unikeras info`
    }
    ```

    Args:
        name: An installed backend's name.

    Returns:
        A dict with every key above (defaults filled in; `pip_name` defaults to the
        distribution that holds the entry point).
    """
    if name in _DECLARED:
        return dict(_DECLARED[name])
    eps = _entry_points(BACKEND_GROUP)
    if name in eps:
        ep = eps[name]
        info = _read_declaration(ep.module)
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else None
    elif name == BUILTIN:
        info, dist_name = _read_declaration("unikeras.backend.numpy"), "unikeras"
    else:
        raise BackendError(
            f"Backend {name!r} is not installed; installed backends: {installed_backends()}."
        )
    _validate_declaration(name, info)
    full = dict(PLUGIN_INFO_DEFAULTS)
    full.update(info)
    if not full["pip_name"]:
        full["pip_name"] = dist_name
    full["export_formats"] = list(full["export_formats"])
    full["required_hooks"] = list(full["required_hooks"])
    _DECLARED[name] = full
    return dict(full)


def required_hooks(name):
    """Returns the hooks backend `name` must implement: the contract's `REQUIRED_HOOKS` plus
    the ones it declares."""
    declared = declared_info(name)["required_hooks"]
    return list(REQUIRED_HOOKS) + [h for h in declared if h not in REQUIRED_HOOKS]


def _config_file():
    try:
        with open(CONFIG_PATH) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _choose():
    """Returns (backend name, reason) following the documented selection order."""
    for var in ("UNIKERAS_BACKEND", "KERAS_BACKEND"):
        value = os.environ.get(var)
        if value:
            return canonical_name(value), f"environment variable {var}"
    settings = _config_file()
    if settings.get("backend"):
        return canonical_name(settings["backend"]), f"config file {CONFIG_PATH}"
    plugins = [n for n in installed_backends() if n != BUILTIN]
    if len(plugins) == 1:
        return plugins[0], "the only installed backend plugin"
    if plugins:
        # Highest declared priority first; equal priorities by name, so the order is stable.
        priorities = {n: declared_info(n)["priority"] for n in plugins}
        ranked = sorted(plugins, key=lambda n: (-priorities[n], n))
        order = ", ".join(f"{n} {priorities[n]}" for n in ranked)
        return ranked[0], f"first installed in the preference order (declared priorities: {order})"
    warnings.warn(
        "No training backend is installed or selected; unikeras is using its built-in "
        f"NumPy backend (inference only). Install one, e.g. {training_backend_hint()}.",
        stacklevel=3,
    )
    return BUILTIN, "no backend plugin installed (built-in fallback)"


#: The standard module names of a backend package, one per concern, in registration order
#: (see `plugin_modules`).
PLUGIN_MODULE_NAMES = (
    "convert",
    "variable",
    "layer",
    "symbolic",
    "core",
    "numpy",
    "nn",
    "math",
    "linalg",
    "image",
    "random",
    "rnn",
    "optimizers",
    "tensorboard",
    "layers",
    "distribution",
    "export",
)


def plugin_modules(package, names=PLUGIN_MODULE_NAMES):
    """Imports the hook modules of a backend package, for its `unikeras_plugins` tuple.

    A backend package keeps its hooks in modules named by concern (`PLUGIN_MODULE_NAMES`:
    `convert`, `variable`, `layer`, `symbolic`, `core`, `numpy`, `nn`, ...); this imports the
    ones the package has, in that order, and returns those that implement at least one hook,
    so the package need not list them itself. Hook implementations that declare no default
    values get their spec's here already (`take_spec_defaults`).

    Args:
        package: The package's `__name__`.
        names: The module names to look for, in registration order.

    Returns:
        A tuple of the imported modules.
    """
    import importlib
    import importlib.util

    marker = f"{PROJECT_NAME}_impl"
    modules = []
    for name in names:
        full = f"{package}.{name}"
        if full not in sys.modules and importlib.util.find_spec(full) is None:
            continue
        module = importlib.import_module(full)
        hooks = [
            (k, v) for k, v in vars(module).items() if inspect.isfunction(v) and hasattr(v, marker)
        ]
        if hooks:
            modules.append(module)
        specs = _spec_functions()
        for attr, fn in hooks:  # at import already, for direct calls before registration
            if attr in specs:
                take_spec_defaults(fn, specs[attr])
    return tuple(modules)


def _plugin_objects(loaded, name):
    """Returns [(object, plugin_name)] for what a backend or add-on entry point loaded."""
    members = getattr(loaded, "unikeras_plugins", None)
    if members is None:
        return [(loaded, name)]
    return [(m, getattr(m, "__name__", f"{name}[{i}]")) for i, m in enumerate(members)]


def _load_backend(name):
    eps = _entry_points(BACKEND_GROUP)
    if name == BUILTIN and name not in eps:
        from unikeras.backend import numpy as loaded
    elif name not in eps:
        known = sorted(set(KNOWN_PLUGINS) | {BUILTIN})
        hint = f"To install it: `{pip_hint(name)}`."
        if name not in KNOWN_PLUGINS:
            hint = (
                f"Known backend names: {known} (case-insensitive; aliases "
                f"{sorted(ALIASES)}). For a third-party backend, install its plugin "
                f"(e.g. `{pip_hint(name)}`)."
            )
        raise BackendError(
            f"Unknown or uninstalled unikeras backend {name!r}. Installed backends: "
            f"{installed_backends()}. {hint}"
        )
    else:
        try:
            loaded = eps[name].load()
        except ImportError as e:
            raise BackendError(
                f"The unikeras backend {name!r} is installed but failed to import ({e}). "
                f"Reinstall it with `{pip_hint(name)}`."
            ) from e
        if getattr(getattr(loaded, "__spec__", None), "_initializing", False):
            # `import unikeras_x` first: the plugin's own modules import unikeras, which
            # selects this half-imported package before its hooks exist.
            raise BackendError(
                f"The unikeras backend plugin package {loaded.__name__!r} was imported before "
                f"unikeras: `import unikeras` first (then `import {loaded.__name__}` if you "
                "need the plugin's own module)."
            )
    return _plugin_objects(loaded, name)


def _load_addons(name):
    found = []
    for ep_name, ep in sorted(_entry_points(ADDON_GROUP).items()):
        target = ep_name.split(".", 1)[0]
        if target in (name, "*"):
            found.extend(_plugin_objects(ep.load(), ep_name))
    return found


def _check_signatures(obj, plugin_name):
    """Raises PluginValidationError unless every hookimpl of `obj` matches its spec exactly."""
    specs = _spec_functions()
    for attr in dir(obj):
        fn = getattr(obj, attr, None)
        if not callable(fn) or getattr(fn, PROJECT_NAME + "_impl", None) is None:
            continue
        if attr not in specs:
            raise PluginValidationError(
                f"Plugin {plugin_name!r} implements unknown hook {attr!r}: no such op in the "
                "unikeras contract (unikeras.backend.hookspec)."
            )
        want = _params(specs[attr])
        got = _params(fn)
        if want != got:
            raise PluginValidationError(
                f"Plugin {plugin_name!r}: hook implementation {attr!r} has parameters "
                f"({', '.join(p for p, _ in got)}) but the unikeras contract specifies "
                f"{attr}({', '.join(p for p, _ in want)})."
            )
        if getattr(fn, FAST_ENTRY_ATTRIBUTE, None) is not None and not takes_fast_entry(
            specs[attr]
        ):
            raise PluginValidationError(
                f"Plugin {plugin_name!r}: hook implementation {attr!r} declares a fast entry, "
                f"but only ops of two `Tensor` operands take one; {attr} has parameters "
                f"({', '.join(p for p, _ in want)})."
            )
        take_spec_defaults(fn, specs[attr])


def take_spec_defaults(fn, spec):
    """Gives a hook implementation that declares no default values its spec's.

    The spec is the one home of an op's defaults: an implementation may leave them out (a
    long hook signature then fits on one line) and gets the spec's when it is registered, so
    that direct calls (`table.<op>(x)`, a plugin calling its own function) see the same
    defaults as the public op. An implementation that declares any default keeps its own.

    Args:
        fn: A hook implementation (a wrapper made with `functools.wraps` is unwrapped).
        spec: The hook's spec function.
    """
    target = inspect.unwrap(getattr(fn, "__func__", fn))
    source = inspect.unwrap(spec)
    if not hasattr(target, "__defaults__") or target.__defaults__ or target.__kwdefaults__:
        return
    if source.__defaults__ or source.__kwdefaults__:
        target.__defaults__ = source.__defaults__
        target.__kwdefaults__ = dict(source.__kwdefaults__ or {}) or None


def _params(fn):
    return [(p.name, p.kind) for p in inspect.signature(fn).parameters.values()]


_SPECS = {}


def _spec_functions():
    if not _SPECS:
        for module in spec_modules():
            for attr, fn in vars(module).items():
                if callable(fn) and getattr(fn, PROJECT_NAME + "_spec", None):
                    _SPECS[attr] = fn
    return _SPECS


def spec_functions():
    """Returns `{hook name: spec function}` for the whole contract."""
    return dict(_spec_functions())


def _missing(op_name, backend_name):
    def not_implemented(*args, **kwargs):
        raise NotImplementedError(
            f"`{op_name}` is not implemented by the unikeras backend {backend_name!r}."
        )

    not_implemented.unikeras_missing = True
    return not_implemented


# Tiers of the explicit implementation order (see `_rank`).
_DEFAULTS, _BACKEND, _ADDON = "defaults", "backend", "add-on"


def _build_manager(name, objects, addons):
    """Returns (manager, tiers): the validated plugin manager and {plugin name: tier}."""
    manager = pluggy.PluginManager(PROJECT_NAME)
    for module in spec_modules():
        if any(getattr(v, PROJECT_NAME + "_spec", None) for v in vars(module).values()):
            manager.add_hookspecs(module)
    from unikeras.backend import defaults

    tiers = {}
    for tier, group in (
        (_DEFAULTS, _plugin_objects(defaults, "defaults")),
        (_BACKEND, objects),
        (_ADDON, addons),
    ):
        for obj, plugin_name in group:
            _check_signatures(obj, plugin_name)
            manager.register(obj, name=plugin_name)
            tiers[plugin_name] = tier
    manager.check_pending()
    return manager, tiers


def _rank(impl, tier, index):
    """The sort key of one implementation (highest wins): an add-on's `tryfirst`
    implementation, then the backend's own (`tryfirst`, plain, `trylast`), then other add-on
    implementations, then the core's defaults; ties go to the one registered last."""
    if tier == _ADDON and impl.tryfirst:
        level = 3
    elif tier == _BACKEND:
        level = 2
    elif tier == _ADDON:
        level = 1
    else:
        level = 0
    return level, (2 if impl.tryfirst else 0 if impl.trylast else 1), index


def _resolve(manager, tiers, name):
    """Returns ({hook name: implementation}, {hook name: plugin name}) for backend `name`,
    raising `PluginValidationError` when a required hook is missing."""
    order = {plugin_name: i for i, (plugin_name, _) in enumerate(manager.list_name_plugin())}
    functions, winners = {}, {}
    for hook_name in _spec_functions():
        impls = getattr(manager.hook, hook_name).get_hookimpls()
        if not impls:
            functions[hook_name] = _missing(hook_name, name)
            continue
        best = max(
            impls,
            key=lambda i: _rank(i, tiers.get(i.plugin_name, _ADDON), order.get(i.plugin_name, -1)),
        )
        functions[hook_name], winners[hook_name] = best.function, best.plugin_name
    required = required_hooks(name) if name in installed_backends() else list(REQUIRED_HOOKS)
    missing = [h for h in required if h not in winners]
    if missing:
        raise PluginValidationError(
            f"The unikeras backend plugin {name!r} does not implement the required hook(s) "
            f"{', '.join(missing)}. Every backend must implement {', '.join(REQUIRED_HOOKS)} "
            "(see `unikeras.backend.hookspec.REQUIRED_HOOKS`; a plugin may declare more in "
            f"its `{PLUGIN_INFO_ATTRIBUTE}['required_hooks']`). Check it with "
            f"`python -m unikeras check-plugin {name}`."
        )
    return functions, winners


_TABLE_LISTENERS = []


def add_table_listener(callback):
    """Calls `callback()` after every rebuild of the dispatch table (e.g. to re-bind cached
    implementations)."""
    _TABLE_LISTENERS.append(callback)


def _fill_table(functions, winners):
    table.__dict__.clear()
    table.__dict__.update(functions)
    _state.winners = winners
    for callback in _TABLE_LISTENERS:
        callback()


def select(name=None):
    """Selects and loads a backend, then rebuilds the dispatch table.

    Args:
        name: Backend name; `None` applies the documented selection order.

    Returns:
        The selected backend's name.
    """
    if name is None:
        name, reason = _choose()
    else:
        name, reason = canonical_name(name), "set explicitly"
    objects = _load_backend(name)
    addons = _load_addons(name)
    manager, tiers = _build_manager(name, objects, addons + _state.runtime_addons)
    functions, winners = _resolve(manager, tiers, name)
    _state.name, _state.reason, _state.manager = name, reason, manager
    _state.backend_objects, _state.entry_point_addons = objects, addons
    _state.tiers = tiers
    _fill_table(functions, winners)
    return name


class use_backend:
    """Context manager: the dispatch table serves backend `name` inside the block.

    Only ops switch: layers, models and variables keep the classes they were built with, and
    variables' values are read through the temporary backend's `convert_to_tensor`. Meant
    for exporters that trace a model with another engine (e.g. writing OpenVINO IR from a
    model trained on JAX), not for general use.
    """

    def __init__(self, name):
        self.name = canonical_name(name)
        self._previous = None

    def __enter__(self):
        self._previous = _state.name
        if self._previous != self.name:
            select(self.name)
        return self

    def __exit__(self, *exc):
        if self._previous != self.name:
            select(self._previous)


_SCOPE_TABLES = {}  # backend name -> {hook name: implementation}, built once


def _scope_table(name):
    if name not in _SCOPE_TABLES:
        manager, tiers = _build_manager(name, _load_backend(name), _load_addons(name))
        _SCOPE_TABLES[name] = _resolve(manager, tiers, name)[0]
    return _SCOPE_TABLES[name]


class graph_scope:
    """Context manager: inside it, ops run on backend `name` (Keras 3's `TFGraphScope`).

    A preprocessing layer called in a `tf.data` pipeline (`dataset.map(layer)`) meets
    symbolic `tf.Tensor`s whatever the active backend; `Layer.__call__` then runs the call
    in `graph_scope("tensorflow")`, so the layer computes with TensorFlow ops inside the
    pipeline's graph, as Keras does. Variables keep their class; their values are read
    through the scope backend's `convert_to_tensor`, and `SeedGenerator`s draw seeds with
    the scope backend's stateful random ops. The switch is process-wide for the duration of
    the call (the pipeline's function is traced once, in the calling thread).

    Args:
        name: The backend serving the ops inside the block (it must be installed).
    """

    def __init__(self, name):
        self.name = canonical_name(name)
        self._saved = None

    def __enter__(self):
        if _state.name == self.name:
            return self
        if self.name not in KNOWN_PLUGINS and self.name not in installed_backends():
            raise BackendError(f"Unknown backend {self.name!r} for a graph scope.")
        if self.name == "tensorflow":
            autograph.keep_unikeras_unconverted()
        try:
            implementations = _scope_table(self.name)
        except BackendError as e:
            raise BackendError(
                f"A layer was called on {self.name} graph tensors (e.g. inside a `tf.data` "
                f"pipeline) while the active backend is {_state.name!r}: running it needs "
                f"the {self.name} backend plugin (`{pip_hint(self.name)}`). ({e})"
            ) from e
        self._saved = (dict(table.__dict__), _state.name)
        table.__dict__.clear()
        table.__dict__.update(implementations)
        _state.name, _state.graph_scope = self.name, self.name
        for callback in _TABLE_LISTENERS:
            callback()
        return self

    def __exit__(self, *exc):
        if self._saved is None:
            return
        saved_table, saved_name = self._saved
        self._saved = None
        table.__dict__.clear()
        table.__dict__.update(saved_table)
        _state.name, _state.graph_scope = saved_name, None
        for callback in _TABLE_LISTENERS:
            callback()


def foreign_graph_backend(x):
    """The backend whose graph tensor `x` is when it is not the active backend's (a
    symbolic `tf.Tensor` of a `tf.data` pipeline on jax or torch), else `None`."""
    cls = type(x)
    if (
        cls.__module__.startswith("tensorflow")
        and cls.__name__ != "EagerTensor"
        and _state.name != "tensorflow"
        and hasattr(x, "graph")
    ):
        return "tensorflow"
    return None


def in_graph_scope():
    """The backend of the active `graph_scope`, or `None` outside one."""
    return _state.graph_scope


def register_plugin(obj, name=None):
    """Registers an add-on whose hook implementations override the active backend's.

    Use `@hookimpl(tryfirst=True)` in the add-on so it wins over the backend. The dispatch
    table is rebuilt at once and the add-on stays registered across `set_backend` calls.

    Args:
        obj: A module or object with `@hookimpl` functions.
        name: Plugin name; defaults to the object's `__name__`.
    """
    name = name or getattr(obj, "__name__", repr(obj))
    _check_signatures(obj, name)
    _state.manager.register(obj, name=name)
    _state.tiers[name] = _ADDON
    try:
        functions, winners = _resolve(_state.manager, _state.tiers, _state.name)
    except BaseException:
        _state.manager.unregister(obj)
        raise
    _state.runtime_addons.append((obj, name))
    _fill_table(functions, winners)


def unregister_plugin(obj):
    """Removes an add-on registered with `register_plugin` and rebuilds the dispatch table.

    Args:
        obj: The add-on object that was passed to `register_plugin`.
    """
    _state.runtime_addons[:] = [(o, n) for o, n in _state.runtime_addons if o is not obj]
    _state.manager.unregister(obj)
    _fill_table(*_resolve(_state.manager, _state.tiers, _state.name))


def load_exporter(format):
    """Returns the export function registered for `format` (entry point group
    `unikeras.exporters`): `fn(model, filepath, input_signature=None, **kwargs)`.

    Exporters work whatever the active backend is, so a model trained on JAX can be written
    as OpenVINO IR when unikeras-openvino is installed.
    """
    eps = _entry_points(EXPORTER_GROUP)
    if format not in eps:
        # An exporter is named after the plugin that provides it (e.g. `openvino`).
        hint = KNOWN_PLUGINS.get(format)
        raise ValueError(
            f"Unknown export format {format!r}. Installed formats: {sorted(eps)}."
            + (f" To install it: `pip install {hint}`." if hint else "")
        )
    return eps[format].load()


def backends_exporting(format):
    """Returns the installed backends that declare export format `format` (in their
    `unikeras_plugin_info["export_formats"]`), lowest declared priority first."""
    names = [n for n in installed_backends() if format in declared_info(n)["export_formats"]]
    return sorted(names, key=lambda n: (declared_info(n)["priority"], n))


def optional_hook(name):
    """The active backend's implementation of the optional hook `name` (one the contract
    lets a backend leave out, e.g. `lstm`), or `None` when it has none."""
    implementation = getattr(table, name)
    return None if getattr(implementation, "unikeras_missing", False) else implementation


def backend():
    """Returns the name of the active backend (e.g. `"jax"`), as `keras.backend.backend()`.

    Returns:
        The backend name, a string such as `"jax"`, `"torch"`, `"tensorflow"` or `"numpy"`.
    """
    return _state.name


def selection_reason():
    """Returns why the active backend was chosen.

    Returns:
        A string naming the rule that chose it, e.g. `"environment variable UNIKERAS_BACKEND"`.
    """
    return _state.reason


def implemented_ops():
    """Returns the sorted names of contract hooks the active backend implements.

    Returns:
        A sorted list of op (hook) names.
    """
    return sorted(k for k, v in table.__dict__.items() if not hasattr(v, "unikeras_missing"))


def inspect_plugin(name):
    """Loads backend `name` without selecting it and reports which hooks it serves.

    Unlike `select`, a plugin missing required hooks is reported, not refused (signature
    mismatches still raise `PluginValidationError`).

    Args:
        name: An installed backend's name.

    Returns:
        A dict: `name`, `declared` (`declared_info(name)`), `required` (its required
        hooks), `missing_required`, `sources` (`{hook name: (plugin name, tier)}` for every
        hook served, tier `"backend"`, `"add-on"` or `"defaults"`), `info` (its
        `backend_info()`, or `None` when that hook is missing or fails), `info_error`.
    """
    name = canonical_name(name)
    declared = declared_info(name)
    manager, tiers = _build_manager(name, _load_backend(name), _load_addons(name))
    order = {plugin_name: i for i, (plugin_name, _) in enumerate(manager.list_name_plugin())}
    sources = {}
    for hook_name in _spec_functions():
        impls = getattr(manager.hook, hook_name).get_hookimpls()
        if impls:
            best = max(
                impls,
                key=lambda i: _rank(
                    i, tiers.get(i.plugin_name, _ADDON), order.get(i.plugin_name, -1)
                ),
            )
            sources[hook_name] = (best.plugin_name, tiers.get(best.plugin_name, _ADDON))
    required = required_hooks(name)
    info, info_error = None, None
    if "backend_info" in sources:
        impls = manager.hook.backend_info.get_hookimpls()
        best = [i for i in impls if i.plugin_name == sources["backend_info"][0]][-1]
        try:
            info = best.function()
        except Exception as e:  # reported by `check-plugin`, not raised
            info_error = f"{type(e).__name__}: {e}"
    return {
        "name": name,
        "declared": declared,
        "required": required,
        "missing_required": [h for h in required if h not in sources],
        "sources": sources,
        "info": info,
        "info_error": info_error,
    }


def addon_overrides():
    """Returns `{hook name: add-on plugin name}` for the hooks whose implementation in the
    dispatch table comes from an add-on rather than the active backend or the defaults."""
    return {
        hook: plugin
        for hook, plugin in sorted(_state.winners.items())
        if _state.tiers.get(plugin) == _ADDON
    }


def implementation_sources():
    """Returns `{hook name: (plugin name, tier)}` for the active dispatch table, tier being
    `"backend"`, `"add-on"` or `"defaults"`."""
    return {
        hook: (plugin, _state.tiers.get(plugin, _ADDON))
        for hook, plugin in sorted(_state.winners.items())
    }


def plugin_manager():
    """Returns the pluggy `PluginManager` of the active selection."""
    return _state.manager


def apply_config_file():
    """Applies `floatx`, `epsilon` and `image_data_format` from `~/.unikeras/unikeras.json`."""
    settings = _config_file()
    if "floatx" in settings:
        config.set_floatx(settings["floatx"])
    if "epsilon" in settings:
        config.set_epsilon(settings["epsilon"])
    if "image_data_format" in settings:
        config.set_image_data_format(settings["image_data_format"])
