"""NumPy backend: backend info, tensor conversion, variables, symbolic shapes, core ops."""

import builtins

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.stateless_scope import StatelessScope
from unikeras.backend.symbolic_scope import SymbolicScope
from unikeras.backend.variable import Variable as BaseVariable
from unikeras.utils import tree

try:  # bfloat16 in NumPy comes from ml_dtypes when it is installed
    import ml_dtypes

    _BFLOAT16 = np.dtype(ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover
    _BFLOAT16 = None

_ndarray = np.ndarray


def to_np_dtype(dtype):
    """Returns the NumPy dtype for a unikeras dtype name."""
    name = dtypes.standardize_dtype(dtype)
    if name == "bfloat16":
        if _BFLOAT16 is None:
            raise ValueError("bfloat16 on the numpy backend needs `pip install ml-dtypes`.")
        return _BFLOAT16
    if name == "string":
        return np.dtype(object)
    return np.dtype(name)


def _leaf_dtype(leaf):
    dtype = getattr(leaf, "dtype", None)
    return dtype if dtype is not None else type(leaf)


@hookimpl
def backend_info():
    return {
        "name": "numpy",
        "version": np.__version__,
        "engine": "numpy",
        "training": False,
        "jit": False,
        "dtypes": [d for d in dtypes.ALLOWED_DTYPES if d != "bfloat16" or _BFLOAT16 is not None],
        "notes": "built-in reference backend, inference only",
    }


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, BaseVariable):
        x = x.value
    if dtype is not None:
        dtype = to_np_dtype(dtype)
    if x.__class__ is _ndarray:
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if dtype is None:
        if isinstance(x, (list, tuple)):
            leaves = tree.flatten(x)
            dtype = to_np_dtype(dtypes.result_type(*[_leaf_dtype(v) for v in leaves])) \
                if leaves else to_np_dtype(floatx())
        elif isinstance(x, (bool, int, float, complex)) and not isinstance(x, np.generic):
            dtype = to_np_dtype(dtypes.result_type(type(x)))
    if hasattr(x, "__array__") or isinstance(x, (list, tuple, np.generic, int, float, bool,
                                                   complex)):
        return np.asarray(x, dtype=dtype)
    if isinstance(x, str):
        return np.asarray(x, dtype=object)
    raise TypeError(f"convert_to_tensor: cannot convert {type(x).__name__} to a tensor.")


@hookimpl
def convert_to_numpy(x):
    if isinstance(x, BaseVariable):
        x = x.value
    return np.asarray(x)


@hookimpl
def is_tensor(x):
    return isinstance(x, (np.ndarray, np.generic))


@hookimpl
def standardize_native_dtype(dtype):
    return to_np_dtype(dtype)


class NumpyVariable(BaseVariable):
    """A Variable holding a NumPy array."""

    def _initialize(self, value):
        self._value = np.array(value, copy=True)

    def _direct_assign(self, value):
        self._value = np.asarray(value)

    @property
    def value(self):
        return self._value


@hookimpl
def variable_class():
    return NumpyVariable


@hookimpl
def layer_mixin():
    return object


class NumpyTrainer:
    """Trainer mixin of the inference-only NumPy backend: no gradients, so no `train_step`.

    The core `Trainer`'s eager `test_step`/`predict_step` work, so `evaluate` and `predict`
    run; a user model that overrides `train_step` without gradients can still `fit`.
    """

    def train_step(self, data):
        from unikeras.backend.registry import backend

        raise RuntimeError(
            f"The active unikeras backend {backend()!r} is inference only: it cannot compute "
            "gradients, so `fit`/`train_on_batch` cannot train this model. Install a training "
            "backend, e.g. `pip install unikeras-jax`, and select it with UNIKERAS_BACKEND=jax."
        )


@hookimpl
def trainer_mixin():
    return NumpyTrainer


_PROBE_SIZES = (83, 89)  # two unlikely sizes stand in for unknown dimensions


def _concrete(structure, size):
    def make(leaf):
        if isinstance(leaf, KerasTensor):
            shape = tuple(size if d is None else d for d in leaf.shape)
            return np.zeros(shape, dtype=to_np_dtype(leaf.dtype))
        return leaf

    return tree.map_structure(make, structure)


def _spec_of(leaf):
    if isinstance(leaf, (np.ndarray, np.generic)):
        return KerasTensor(leaf.shape, dtype=dtypes.standardize_dtype(leaf.dtype))
    if isinstance(leaf, (bool, int, float)):
        return KerasTensor((), dtype=dtypes.result_type(type(leaf)))
    return leaf


@hookimpl
def compute_output_spec(fn, args, kwargs):
    # Stateless (variables created inside get real values afterwards, assignments are
    # captured, not applied) and symbolic, as in Keras.
    with StatelessScope(), SymbolicScope():
        return _compute_output_spec(fn, args, kwargs)


def _compute_output_spec(fn, args, kwargs):
    has_unknown = any(
        isinstance(leaf, KerasTensor) and None in leaf.shape
        for leaf in tree.flatten((args, kwargs))
    )
    with np.errstate(all="ignore"):
        first = fn(*_concrete(args, _PROBE_SIZES[0]), **_concrete(kwargs, _PROBE_SIZES[0]))
        if not has_unknown:
            return tree.map_structure(_spec_of, first)
        second = fn(*_concrete(args, _PROBE_SIZES[1]), **_concrete(kwargs, _PROBE_SIZES[1]))

    def merge(a, b):
        spec = _spec_of(a)
        if isinstance(spec, KerasTensor):
            shape = tuple(None if da != db else da for da, db in zip(spec.shape, np.shape(b)))
            spec = KerasTensor(shape, dtype=spec.dtype)
        return spec

    return tree.map_structure(merge, first, second)


@hookimpl
def cast(x, dtype):
    return convert_to_tensor(x, dtype=dtype)


@hookimpl
def get_item(x, key):
    return convert_to_tensor(x)[key]


@hookimpl
def shape(x):
    return tuple(convert_to_tensor(x).shape)


def dtype_limits(np_dtype):
    """Returns the (lowest, highest) value representable in `np_dtype`."""
    if np_dtype == np.bool_:
        return 0, 1
    if np.issubdtype(np_dtype, np.integer):
        info = np.iinfo(np_dtype)
    else:
        is_bfloat16 = _BFLOAT16 is not None and np_dtype == _BFLOAT16
        info = ml_dtypes.finfo(np_dtype) if is_bfloat16 else np.finfo(np_dtype)
    return info.min, info.max


@hookimpl
def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    target = to_np_dtype(dtype)
    (in_lo, in_hi), (out_lo, out_hi) = dtype_limits(x.dtype), dtype_limits(target)
    # The bounds are rounded into the input dtype, which can push them just outside the
    # target's range (float32(2**32 - 1) == 2**32): step them back towards zero then.
    lo = np.asarray(max(in_lo, out_lo)).astype(x.dtype)
    if lo.item() < out_lo:
        lo = np.nextafter(lo, np.zeros((), x.dtype))
    hi = np.asarray(min(in_hi, out_hi)).astype(x.dtype)
    if hi.item() > out_hi:
        hi = np.nextafter(hi, np.zeros((), x.dtype))
    return np.clip(x, lo, hi).astype(target)


def _block(inputs, start_indices, sizes):
    """The index of the block of `sizes` at `start_indices`, clamped to lie inside `inputs`."""
    starts = np.asarray(convert_to_numpy(start_indices)).reshape(-1).astype(np.int64)
    if len(starts) != inputs.ndim or len(sizes) != inputs.ndim:
        raise ValueError(
            f"slice: `start_indices` and `shape` need one entry per axis of the input "
            f"(rank {inputs.ndim}). Received: start_indices={list(starts)}, shape={sizes}"
        )
    starts = np.clip(starts, 0, np.maximum(np.asarray(inputs.shape) - sizes, 0))
    return tuple(builtins.slice(int(s), int(s) + int(n)) for s, n in zip(starts, sizes))


@hookimpl
def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    return inputs[_block(inputs, start_indices, tuple(shape))].copy()


@hookimpl
def slice_update(inputs, start_indices, updates):
    inputs, updates = convert_to_tensor(inputs), convert_to_tensor(updates)
    out = inputs.copy()
    out[_block(inputs, start_indices, updates.shape)] = updates
    return out


_REDUCTIONS = {"add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum}


def _scatter_into(out, indices, updates, reduction):
    index = tuple(np.asarray(convert_to_tensor(indices)).astype(np.int64).reshape(
        -1, np.shape(indices)[-1]).T)
    updates = convert_to_tensor(updates).astype(out.dtype).reshape(
        (len(index[0]) if index else 1,) + out.shape[len(index):])
    if reduction is None:
        out[index] = updates
    elif reduction in _REDUCTIONS:
        _REDUCTIONS[reduction].at(out, index, updates)
    else:
        raise ValueError(
            f"scatter_update: `reduction` must be one of None, {sorted(_REDUCTIONS)}. "
            f"Received: reduction={reduction!r}"
        )
    return out


@hookimpl
def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    return _scatter_into(np.zeros(tuple(shape), values.dtype), indices, values, "add")


@hookimpl
def scatter_update(inputs, indices, updates, reduction=None):
    return _scatter_into(convert_to_tensor(inputs).copy(), indices, updates, reduction)


@hookimpl
def stop_gradient(variable):
    return convert_to_tensor(variable)


@hookimpl
def cond(pred, true_fn, false_fn):
    return true_fn() if bool(convert_to_numpy(pred)) else false_fn()


@hookimpl
def switch(index, branches, *operands):
    index = int(np.clip(convert_to_numpy(index), 0, len(branches) - 1))
    return branches[index](*operands)


@hookimpl
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*state)):
        state = body(*state)
        state = tuple(state) if isinstance(state, (tuple, list)) else (state,)
        count += 1
    if not is_sequence:
        return state[0]
    return type(loop_vars)(state) if isinstance(loop_vars, list) else state


@hookimpl
def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def _leading_size(structure):
    leaves = [leaf for leaf in tree.flatten(structure) if leaf is not None]
    return int(np.shape(leaves[0])[0]) if leaves else 0


def _row(structure, i):
    return tree.map_structure(lambda a: None if a is None else convert_to_tensor(a)[i], structure)


def _stack(results):
    """Stacks a non-empty list of equally structured results along a new leading axis."""
    return tree.map_structure(lambda *leaves: np.stack([convert_to_tensor(v) for v in leaves]),
                              *results)


@hookimpl
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan: `length` is required when `xs` is None.")
    n = int(length) if length is not None else _leading_size(xs)
    if xs is not None and length is not None and _leading_size(xs) != n:
        raise ValueError(
            f"scan: `length` ({n}) must match the leading dimension of `xs` "
            f"({_leading_size(xs)})."
        )
    carry, ys = init, [None] * n
    for i in (reversed(range(n)) if reverse else range(n)):
        carry, ys[i] = f(carry, None if xs is None else _row(xs, i))
    if n == 0 or all(y is None for y in tree.flatten(ys[0])):
        return carry, None
    return carry, _stack(ys)


@hookimpl
def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [convert_to_tensor(leaf) for leaf in tree.flatten(elems)]
    if reverse:
        leaves = [np.flip(leaf, axis) for leaf in leaves]
    n = leaves[0].shape[axis] if leaves else 0
    steps = [[np.take(leaf, [i], axis=axis) for leaf in leaves] for i in range(n)]
    for i in range(1, n):
        combined = f(tree.pack_sequence_as(elems, steps[i - 1]),
                     tree.pack_sequence_as(elems, steps[i]))
        steps[i] = [convert_to_tensor(v) for v in tree.flatten(combined)]
    out = [np.concatenate(parts, axis=axis) for parts in zip(*steps)] if n else leaves
    if reverse:
        out = [np.flip(leaf, axis) for leaf in out]
    return tree.pack_sequence_as(elems, out)


@hookimpl
def map(f, xs):
    n = _leading_size(xs)
    if n == 0:
        raise ValueError("map: `xs` has no entries along axis 0 to map over.")
    return _stack([f(_row(xs, i)) for i in range(n)])


@hookimpl
def vectorized_map(function, elements):
    return map(function, elements)


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(
            f"unstack: `num` ({num}) must equal the size of axis {axis} ({x.shape[axis]})."
        )
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


@hookimpl
def custom_gradient(f):
    def forward(*args, **kwargs):
        output, _ = f(*args, **kwargs)
        return output

    return forward
