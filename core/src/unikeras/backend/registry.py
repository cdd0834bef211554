"""Backend discovery, selection, validation and the op dispatch table.

Backends are found through entry points in the group `unikeras.backends` without importing
them; only the selected one is loaded. Its objects are registered with a pluggy
`PluginManager` holding the contract (`spec_modules()`), after a strict check that
every hook implementation has exactly its spec's parameters. Then one implementation per hook
(the one pluggy would call first, so `tryfirst=True` in an add-on wins) is written into
`table`, and `unikeras.ops` calls `table.<op>(...)` directly: no pluggy machinery per call.

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
from unikeras.backend.hookspec import PROJECT_NAME, spec_modules

if sys.version_info >= (3, 10):
    from importlib.metadata import entry_points
else:  # pragma: no cover
    from importlib_metadata import entry_points

BACKEND_GROUP = "unikeras.backends"
ADDON_GROUP = "unikeras.addons"
EXPORTER_GROUP = "unikeras.exporters"
EXPORTER_PIP_NAMES = {"openvino": "unikeras-openvino"}
BUILTIN = "numpy"

#: When several training backends are installed and none is chosen, the first one found here
#: is used: JAX compiles the fastest steps, then PyTorch, TensorFlow, and the inference-only
#: OpenVINO.
PREFERENCE = ("jax", "torch", "tensorflow", "openvino")

PIP_NAMES = {
    "jax": "unikeras-jax",
    "torch": "unikeras-torch",
    "tensorflow": "unikeras-tf",
    "openvino": "unikeras-openvino",
}
ALIASES = {"tf": "tensorflow", "pytorch": "torch"}



def canonical_name(name):
    """Returns the canonical backend name: case-insensitive, aliases resolved
    (`"JAX"` -> `"jax"`, `"tf"` -> `"tensorflow"`)."""
    if not isinstance(name, str):
        raise TypeError(f"A backend name must be a string. Received: {name!r} of type "
                        f"{type(name).__name__}.")
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


_state = _State()


def _entry_points(group):
    return {ep.name: ep for ep in entry_points(group=group)}


def installed_backends():
    """Returns the names of installed backends (found by entry point, nothing imported)."""
    names = set(_entry_points(BACKEND_GROUP))
    names.add(BUILTIN)
    return sorted(names)


def pip_hint(name):
    """Returns the `pip install` line that provides backend `name`."""
    return f"pip install {PIP_NAMES.get(name, name)}"


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
    for name in PREFERENCE:
        if name in plugins:
            return name, f"first installed in the preference order {PREFERENCE}"
    warnings.warn(
        "No training backend is installed or selected; unikeras is using its built-in "
        "NumPy backend (inference only). Install one, e.g. `pip install unikeras-jax`, "
        "and/or select it with UNIKERAS_BACKEND.",
        stacklevel=3,
    )
    return BUILTIN, "no backend plugin installed (built-in fallback)"


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
        known = sorted(set(PIP_NAMES) | {BUILTIN})
        hint = f"To install it: `{pip_hint(name)}`."
        if name not in PIP_NAMES:
            hint = (f"Known backend names: {known} (case-insensitive; aliases "
                    f"{sorted(ALIASES)}). For a third-party backend, install its plugin "
                    f"(e.g. `{pip_hint(name)}`).")
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


def _build_manager(name, objects, addons):
    manager = pluggy.PluginManager(PROJECT_NAME)
    for module in spec_modules():
        if any(getattr(v, PROJECT_NAME + "_spec", None) for v in vars(module).values()):
            manager.add_hookspecs(module)
    # The core's default implementations (ops written with other ops) come first; being
    # `trylast` they only serve the ops the backend and its add-ons leave out.
    from unikeras.backend import defaults

    for obj, plugin_name in list(_plugin_objects(defaults, "defaults")) + list(objects) + list(
            addons):
        _check_signatures(obj, plugin_name)
        manager.register(obj, name=plugin_name)
    manager.check_pending()
    return manager


_TABLE_LISTENERS = []


def add_table_listener(callback):
    """Calls `callback()` after every rebuild of the dispatch table (e.g. to re-bind cached
    implementations)."""
    _TABLE_LISTENERS.append(callback)


def _fill_table(manager, name):
    new = {}
    for hook_name in _spec_functions():
        impls = getattr(manager.hook, hook_name).get_hookimpls()
        # pluggy calls the last implementation in this list first (tryfirst sorts last).
        new[hook_name] = impls[-1].function if impls else _missing(hook_name, name)
    table.__dict__.clear()
    table.__dict__.update(new)
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
    manager = _build_manager(name, objects, addons + _state.runtime_addons)
    _state.name, _state.reason, _state.manager = name, reason, manager
    _state.backend_objects, _state.entry_point_addons = objects, addons
    _fill_table(manager, name)
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
        manager = _build_manager(name, _load_backend(name), _load_addons(name))
        _SCOPE_TABLES[name] = {
            hook: (impls[-1].function if impls else _missing(hook, name))
            for hook, impls in ((h, getattr(manager.hook, h).get_hookimpls())
                                for h in _spec_functions())}
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
        if self.name not in PIP_NAMES and self.name != BUILTIN:
            raise BackendError(f"Unknown backend {self.name!r} for a graph scope.")
        try:
            implementations = _scope_table(self.name)
        except BackendError as e:
            raise BackendError(
                f"A layer was called on {self.name} graph tensors (e.g. inside a `tf.data` "
                f"pipeline) while the active backend is {_state.name!r}: running it needs "
                f"the {self.name} backend plugin (`{pip_hint(self.name)}`). ({e})") from e
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
    if cls.__module__.startswith("tensorflow") and cls.__name__ != "EagerTensor" and \
            _state.name != "tensorflow" and hasattr(x, "graph"):
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
    _state.runtime_addons.append((obj, name))
    _state.manager.register(obj, name=name)
    _fill_table(_state.manager, _state.name)


def unregister_plugin(obj):
    """Removes an add-on registered with `register_plugin` and rebuilds the dispatch table."""
    _state.runtime_addons[:] = [(o, n) for o, n in _state.runtime_addons if o is not obj]
    _state.manager.unregister(obj)
    _fill_table(_state.manager, _state.name)


def load_exporter(format):
    """Returns the export function registered for `format` (entry point group
    `unikeras.exporters`): `fn(model, filepath, input_signature=None, **kwargs)`.

    Exporters work whatever the active backend is, so a model trained on JAX can be written
    as OpenVINO IR when unikeras-openvino is installed.
    """
    eps = _entry_points(EXPORTER_GROUP)
    if format not in eps:
        hint = EXPORTER_PIP_NAMES.get(format)
        raise ValueError(
            f"Unknown export format {format!r}. Installed formats: {sorted(eps)}."
            + (f" To install it: `pip install {hint}`." if hint else "")
        )
    return eps[format].load()


def optional_hook(name):
    """The active backend's implementation of the optional hook `name` (one the contract
    lets a backend leave out, e.g. `lstm`), or `None` when it has none."""
    implementation = getattr(table, name)
    return None if getattr(implementation, "unikeras_missing", False) else implementation


def backend():
    """Returns the name of the active backend (e.g. `"jax"`), as `keras.backend.backend()`."""
    return _state.name


def selection_reason():
    """Returns why the active backend was chosen."""
    return _state.reason


def implemented_ops():
    """Returns the sorted names of contract hooks the active backend implements."""
    return sorted(k for k, v in table.__dict__.items() if not hasattr(v, "unikeras_missing"))


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
