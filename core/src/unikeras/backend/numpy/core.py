"""NumPy backend: backend info and the core ops (casting, indexing, scatter, control flow).


The package's other hook modules are the standard ones (`registry.PLUGIN_MODULE_NAMES`).
"""

import builtins

import numpy as np

from unikeras.backend import dtypes, tree
from unikeras.backend.common import eager_loops
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy.convert import (
    convert_to_numpy,
    convert_to_tensor,
    has_bfloat16,
    to_np_dtype,
)


@hookimpl
def backend_info():
    return {
        "name": "numpy",
        "version": np.__version__,
        "engine": "numpy",
        "training": False,
        "jit": False,
        "dtypes": [d for d in dtypes.ALLOWED_DTYPES if d != "bfloat16" or has_bfloat16()],
        "notes": "built-in reference backend, inference only",
    }


@hookimpl
def get_item(x, key):
    return convert_to_tensor(x)[key]


def dtype_limits(np_dtype):
    """Returns the (lowest, highest) value representable in `np_dtype`."""
    if np_dtype == np.bool_:
        return 0, 1
    if np.issubdtype(np_dtype, np.integer):
        info = np.iinfo(np_dtype)
    else:
        if np.dtype(np_dtype).name == "bfloat16":  # an ml_dtypes dtype: ml_dtypes is loaded
            import ml_dtypes

            info = ml_dtypes.finfo(np_dtype)
        else:
            info = np.finfo(np_dtype)
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
    index = tuple(
        np.asarray(convert_to_tensor(indices)).astype(np.int64).reshape(-1, np.shape(indices)[-1]).T
    )
    updates = (
        convert_to_tensor(updates)
        .astype(out.dtype)
        .reshape((len(index[0]) if index else 1,) + out.shape[len(index) :])
    )
    if reduction is None:
        out[index] = updates
    else:
        _REDUCTIONS[reduction].at(out, index, updates)
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
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return eager_loops.scan(f, init, xs, length, reverse, convert_to_tensor, np.stack)


@hookimpl
def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [convert_to_tensor(leaf) for leaf in tree.flatten(elems)]
    if reverse:
        leaves = [np.flip(leaf, axis) for leaf in leaves]
    n = leaves[0].shape[axis] if leaves else 0
    steps = [[np.take(leaf, [i], axis=axis) for leaf in leaves] for i in range(n)]
    for i in range(1, n):
        combined = f(
            tree.pack_sequence_as(elems, steps[i - 1]), tree.pack_sequence_as(elems, steps[i])
        )
        steps[i] = [convert_to_tensor(v) for v in tree.flatten(combined)]
    out = [np.concatenate(parts, axis=axis) for parts in zip(*steps)] if n else leaves
    if reverse:
        out = [np.flip(leaf, axis) for leaf in out]
    return tree.pack_sequence_as(elems, out)


@hookimpl
def map(f, xs):
    return eager_loops.map(f, xs, convert_to_tensor, np.stack)


@hookimpl
def vectorized_map(function, elements):
    return map(function, elements)


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    eager_loops.check_unstack_num(num, x.shape[axis], axis)
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]
