"""Symbolic shape inference shared by every backend: probe-and-merge.

`compute_output_spec` runs a function on `KerasTensor` inputs without real data. A backend
supplies only how to run it on stand-ins for the inputs (JAX: `jax.eval_shape`; PyTorch: meta
tensors; TensorFlow: a concrete function; OpenVINO: a graph on Parameters; NumPy: zeros). The
unknown (`None`) dimensions are replaced by one probe size, then by a second one; a dimension
of the output that differs between the two runs is unknown (`None`) in the resulting spec.

Inference is stateless (variables created inside get real values afterwards, assignments
are captured, not applied) and symbolic, as in Keras.
"""

from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.stateless_scope import StatelessScope
from unikeras.backend.symbolic_scope import SymbolicScope
from unikeras.backend import tree

#: Two unlikely sizes that stand in for unknown dimensions.
PROBE_SIZES = (83, 89)


def probe_shape(spec, size):
    """The shape of `spec` with every unknown dimension set to `size` (`None`: kept)."""
    return tuple(size if d is None else d for d in spec.shape)


def has_unknown_dims(structure):
    """Whether a `KerasTensor` in `structure` has an unknown dimension."""
    return any(
        isinstance(leaf, KerasTensor) and None in leaf.shape for leaf in tree.flatten(structure)
    )


def replace_specs(structure, make):
    """`structure` with every `KerasTensor` leaf replaced by `make(leaf)`."""
    return tree.map_structure(
        lambda leaf: make(leaf) if isinstance(leaf, KerasTensor) else leaf, structure
    )


def call_on_concrete(fn, args, kwargs, make):
    """`fn(*args, **kwargs)` with every `KerasTensor` leaf replaced by `make(leaf)`."""
    a, k = replace_specs((args, kwargs), make)
    return fn(*a, **k)


def call_on_zeros(fn, args, kwargs, size, zeros):
    """`fn(*args, **kwargs)` with every `KerasTensor` leaf replaced by a zero tensor of its
    shape (unknown dimensions set to `size`) made by `zeros(shape, dtype)` (`dtype`: the
    Keras dtype name), for functions whose output shape depends on values."""
    return call_on_concrete(
        fn, args, kwargs, lambda spec: zeros(probe_shape(spec, size), spec.dtype)
    )


def positional(fn, args, kwargs):
    """Splits a call into its `KerasTensor` inputs and a function of their stand-ins.

    Returns `(specs, call)`: `specs` lists the `KerasTensor` leaves of `(args, kwargs)` in
    flattening order, and `call(*values)` runs `fn` with those leaves replaced by `values`
    (what `jax.eval_shape` or `tf.function` need: a function of tensors only).
    """
    leaves = tree.flatten((args, kwargs))
    positions = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]

    def call(*values):
        filled = list(leaves)
        for i, value in zip(positions, values):
            filled[i] = value
        a, k = tree.pack_sequence_as((args, kwargs), filled)
        return fn(*a, **k)

    return [leaves[i] for i in positions], call


def spec_of(leaf):
    """A `KerasTensor` for a tensor-like output leaf (anything with `shape` and `dtype`, or a
    Python scalar); other leaves (None, strings, ...) are returned as they are."""
    if isinstance(leaf, KerasTensor):
        return leaf
    shape, dtype = getattr(leaf, "shape", None), getattr(leaf, "dtype", None)
    if shape is not None and dtype is not None:  # before scalars: NumPy scalars have both
        return KerasTensor(tuple(shape), dtype=dtypes.standardize_dtype(dtype))
    if isinstance(leaf, (bool, int, float)):
        return KerasTensor((), dtype=dtypes.result_type(type(leaf)))
    return leaf


def merge_specs(first, second):
    """The specs of two probe runs, merged: dimensions that differ become `None`."""

    def merge(a, b):
        spec = spec_of(a)
        if isinstance(spec, KerasTensor):
            other = spec_of(b).shape
            shape = tuple(None if da != db else da for da, db in zip(spec.shape, other))
            spec = KerasTensor(shape, dtype=spec.dtype)
        return spec

    return tree.map_structure(merge, first, second)


def _from_clean_state(fn, scope):
    """`fn` starting each run with none of the updates earlier runs captured in `scope`.

    Every probe run (a trace, its fallback on zeros, the second size) is independent: a
    variable assigned in one (a seed generator's state) must not hand the next a value
    of that run's trace, which would leak a tracer (JAX) or a graph tensor (TensorFlow)
    when the trace failed and the run falls back on concrete zeros.
    """

    def run(*args, **kwargs):
        scope.state_mapping.clear()
        return fn(*args, **kwargs)

    return run


def output_spec(fn, args, kwargs, run, run_unknown=None):
    """The output spec of `fn(*args, **kwargs)` for `KerasTensor` inputs (probe-and-merge).

    Args:
        fn: The function (an op's or a layer's `call`).
        args, kwargs: Its arguments; `KerasTensor` leaves stand for tensors.
        run: `run(fn, args, kwargs, size)`: the backend runs `fn` on stand-ins of the
            `KerasTensor` leaves whose unknown dimensions are `size` (see `probe_shape`),
            and returns the output (tensors or anything with `shape` and `dtype`).
        run_unknown: Optional `run_unknown(fn, args, kwargs)`: the backend runs `fn` on
            stand-ins that keep unknown dimensions unknown (a graph with dynamic
            dimensions). Tried first; any error falls back to probing with `run`.

    Returns:
        The output structure with `KerasTensor` leaves.
    """
    with StatelessScope() as scope, SymbolicScope():
        fn = _from_clean_state(fn, scope)
        if run_unknown is not None:
            try:
                return tree.map_structure(spec_of, run_unknown(fn, args, kwargs))
            except Exception:  # noqa: BLE001 - needs static sizes (or values): probe them
                pass
        first = run(fn, args, kwargs, PROBE_SIZES[0])
        if not has_unknown_dims((args, kwargs)):
            return tree.map_structure(spec_of, first)
        return merge_specs(first, run(fn, args, kwargs, PROBE_SIZES[1]))
