"""What a backend plugin may use of the core: the plugin author's API.

A plugin module imports this module, the argument rules of `unikeras.backend.common`, and
otherwise only the public `unikeras` API (`unikeras.layers`, `unikeras.ops`, ...), the
latter only inside functions that run after `import unikeras` has finished (e.g. the engine
layers of the `engine_layer` hook, the trainer mixin). Everything here lives in the backend
layer of the core, which imports nothing above it, so it is complete when the core loads the
selected plugin. The `lint` tox env checks the rule (import-linter contracts in
`.importlinter`).

Contents:
    hookimpl: Marks a function as the implementation of a hook of the contract.
    fast_entry: Declares the engine function the public op of a binary op (`add`,
        `matmul`, ...) calls itself for two engine tensors of one dtype (one frame less).
    dtypes: Dtype names, promotion (`result_type`) and predicates.
    config: The backend config module (`floatx`, `epsilon`, `image_data_format`, ...);
        `floatx`, `epsilon` and `standardize_data_format` are also here by name.
    tree: Nested-structure helpers (`flatten`, `map_structure`, `pack_sequence_as`, ...).
    register_tree_node: Registers a container type with `keras.tree` (optree).
    common: Engine-neutral argument rules shared by every backend.
    Variable: The backend-neutral base class of `keras.Variable` (hook `variable_class`).
    KerasTensor, is_keras_tensor: The symbolic tensor of functional models.
    StatelessScope, SymbolicScope, in_stateless_scope, get_stateless_scope,
        in_symbolic_scope, name_scope: The scopes a backend's variables and shape
        inference honour.
    table: The dispatch table of the active backend (one attribute per hook).
    plugin_modules: Imports a backend package's hook modules (its `unikeras_plugins`).
    optional_hook: The active implementation of an optional hook, or `None`.
    use_backend: Runs a block with another backend's ops (exporters).
    numpy_defaults: The core's default implementations of ops written with other ops, for
        a plugin that falls back to them in some cases.
    global_seed_state: `{"generator": ...}`, the `SeedGenerator` behind `seed=None` draws
        (`None` until one is needed).
    draw_seed: Resolves a `seed` argument into a `(2,)` uint32 seed tensor.
    distribute_data: Places an input batch over the active `keras.distribution`.
    train_validation_split: Splits arrays as `fit(validation_split=...)` does.

The last three are served by layers above the backend (`unikeras.random`,
`unikeras.distribution`, `unikeras.trainers`), which install them with `provide` when they
are imported.
"""

from unikeras.backend import common, config, dtypes, tree  # noqa: F401
from unikeras.backend.config import epsilon, floatx, standardize_data_format  # noqa: F401
from unikeras.backend.defaults import numpy as numpy_defaults  # noqa: F401
from unikeras.backend.global_state import GLOBAL_SEED as global_seed_state  # noqa: F401
from unikeras.backend.hookspec import fast_entry, hookimpl  # noqa: F401
from unikeras.backend.keras_tensor import KerasTensor, is_keras_tensor  # noqa: F401
from unikeras.backend.name_scope import name_scope  # noqa: F401
from unikeras.backend.registry import (  # noqa: F401
    optional_hook,
    plugin_modules,
    table,
    use_backend,
)
from unikeras.backend.stateless_scope import (  # noqa: F401
    StatelessScope,
    get_stateless_scope,
    in_stateless_scope,
)
from unikeras.backend.symbolic_scope import SymbolicScope, in_symbolic_scope  # noqa: F401
from unikeras.backend.variable import Variable  # noqa: F401
from unikeras.tree.tree_api import register_tree_node  # noqa: F401


_PROVIDED = {}


def provide(name, function):
    """Installs `function` as the service `name` of this API (called by the core's upper
    layers when they are imported, so this module needs no import of them).

    Args:
        name: `"draw_seed"`, `"distribute_data"` or `"train_validation_split"`.
        function: Its implementation.
    """
    _PROVIDED[name] = function


def _provided(name):
    try:
        return _PROVIDED[name]
    except KeyError:
        raise RuntimeError(
            f"`unikeras.backend.api.{name}` is available once `import unikeras` has finished."
        ) from None


def draw_seed(seed):
    """Resolves a `seed` argument into a concrete `(2,)` uint32 seed tensor.

    Args:
        seed: An int (the same int always gives the same seed), `None` (the next seed of
            the global generator) or a `keras.random.SeedGenerator` (its next seed).

    Returns:
        The seed tensor, as `unikeras.random` draws it.
    """
    return _provided("draw_seed")(seed)


def distribute_data(batch):
    """Returns an input batch placed over the active `keras.distribution` (each leaf split
    along its first axis), or `batch` unchanged when no distribution is active.

    Args:
        batch: A nested structure of arrays.
    """
    return _provided("distribute_data")(batch)


def train_validation_split(arrays, validation_split):
    """Splits `arrays` (a structure of arrays) into training and validation parts, as
    `fit(validation_split=...)` does: the last `validation_split` fraction of the samples
    (before any shuffling) is the validation part.

    Args:
        arrays: A nested structure of arrays (`None` leaves allowed).
        validation_split: Float between 0 and 1.

    Returns:
        `(training arrays, validation arrays)`, each in the structure of `arrays`.
    """
    return _provided("train_validation_split")(arrays, validation_split)
