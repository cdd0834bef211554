"""TensorFlow backend: backend info and the core ops (casting, indexing, scatter, control flow,
custom gradients, devices, rematerialization).


The package's other hook modules are the standard ones (`registry.PLUGIN_MODULE_NAMES`).
"""

import builtins

import numpy as np
import tensorflow as tf

from unikeras.backend.common import eager_loops
from unikeras.backend.api import Variable as BaseVariable, dtypes, hookimpl, tree
from unikeras_tf.convert import convert_to_tensor, dims, to_tf_dtype


@hookimpl
def backend_info():
    return {
        "name": "tensorflow",
        "version": tf.__version__,
        "engine": "tensorflow",
        "training": True,
        "jit": True,
        # XLA only with a GPU: on CPU it measured slower on the fit workloads (MLP 1.5x,
        # CNN 7x the time of tf.function without XLA; see the README), as Keras 3 decides.
        "jit_compile_auto": bool(tf.config.list_physical_devices("GPU")),
        "dtypes": list(dtypes.ALLOWED_DTYPES),
        # Keras 3 on TensorFlow resolves `dtype="int"` to int64: the optimizer's counters.
        "counter_dtype": "int64",
        # Keras 3 on TensorFlow builds a model its own steps call differently in the first
        # traced step, not from the batch.
        "builds_in_steps": True,
        "notes": "devices: " + ", ".join(d.name for d in tf.config.list_logical_devices()),
    }


def _index(key):
    """Converts Variables inside an indexing key to tensors."""
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if isinstance(key, BaseVariable):
        return key.value
    return key


@hookimpl
def get_item(x, key):
    x = convert_to_tensor(x)
    key = _index(key)
    if isinstance(key, (list, np.ndarray, tf.Tensor)):  # integer or boolean array index
        key = convert_to_tensor(key)
        if key.dtype == tf.bool:
            return tf.boolean_mask(x, key)
        return tf.gather(x, key)
    return x[key]


@hookimpl
def shape(x):
    if isinstance(x, BaseVariable):
        return tuple(x.shape)
    x = convert_to_tensor(x)
    if x.shape.rank is None:
        raise ValueError(
            f"All tensors passed to `ops.shape` must have a statically known rank. Received: {x!r}"
        )
    # As Keras: a dimension unknown in a graph (the batch of a tf.data pipeline) is a scalar
    # tensor from `tf.shape`, so random draws and reshapes take per-batch sizes.
    return tuple(dims(x))


def dtype_limits(dtype):
    """Returns the (lowest, highest) value representable in the `tf.DType` `dtype`."""
    if dtype == tf.bool:
        return 0, 1
    return dtype.min, dtype.max


def _bound(value, limit, np_dtype, too_far):
    """`value` in `np_dtype`, stepped towards zero when rounding pushed it past `limit`."""
    bound = np.asarray(value).astype(np_dtype)
    if too_far(bound.item(), limit):
        bound = np.nextafter(bound, np.zeros((), np_dtype))
    return bound


@hookimpl
def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    target = to_tf_dtype(dtype)
    (in_lo, in_hi), (out_lo, out_hi) = dtype_limits(x.dtype), dtype_limits(target)
    if x.dtype == tf.bool:
        return tf.cast(x, target)
    # The bounds are constants computed on the host, rounded into the input dtype; rounding
    # can push them just outside the target's range (float32(2**32 - 1) == 2**32).
    np_dtype = x.dtype.as_numpy_dtype
    lo = _bound(builtins.max(in_lo, out_lo), out_lo, np_dtype, lambda b, lim: b < lim)
    hi = _bound(builtins.min(in_hi, out_hi), out_hi, np_dtype, lambda b, lim: b > lim)
    clipped = tf.minimum(tf.maximum(x, tf.constant(lo, x.dtype)), tf.constant(hi, x.dtype))
    return tf.cast(clipped, target)


def _block_starts(inputs, start_indices, sizes):
    """The block's start on every axis, clamped so the block lies inside `inputs`."""
    starts = tf.reshape(tf.cast(convert_to_tensor(start_indices), tf.int32), [-1])
    sizes = tf.reshape(tf.cast(sizes, tf.int32), [inputs.shape.rank])
    return tf.clip_by_value(starts, 0, tf.maximum(tf.shape(inputs) - sizes, 0))


def _block_sizes(shape):
    """`shape` as ints, or as one int32 vector where a size is only known when the graph
    runs (e.g. the batch size `ops.shape` gives inside a `tf.data` map)."""
    static = [tf.get_static_value(s) if tf.is_tensor(s) else s for s in shape]
    if all(s is not None for s in static):
        return [int(s) for s in static]
    return tf.stack([tf.cast(s, tf.int32) for s in shape])


@hookimpl
def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    sizes = _block_sizes(shape)
    return tf.slice(inputs, _block_starts(inputs, start_indices, sizes), sizes)


@hookimpl
def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = tf.cast(convert_to_tensor(updates), inputs.dtype)
    sizes = updates.shape.as_list()
    starts = _block_starts(inputs, start_indices, sizes)
    if builtins.any(s == 0 for s in sizes):
        return tf.identity(inputs)
    grids = tf.meshgrid(*[tf.range(n) for n in sizes], indexing="ij")
    indices = tf.stack(grids, axis=-1) + starts
    return tf.tensor_scatter_nd_update(inputs, indices, updates)


def _as_indices(indices):
    indices = convert_to_tensor(indices)
    return indices if indices.dtype in (tf.int32, tf.int64) else tf.cast(indices, tf.int32)


def _scatter_dtype(dtype):
    """TensorFlow's scatter reductions have no boolean kernels: bools compute as int32."""
    return tf.int32 if dtype == tf.bool else dtype


@hookimpl
def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    compute = _scatter_dtype(values.dtype)
    out = tf.scatter_nd(_as_indices(indices), tf.cast(values, compute), [int(s) for s in shape])
    return tf.cast(out, values.dtype)


def _scatter_mul(inputs, indices, updates):
    """`inputs` times the product of the updates at each index (duplicates multiply)."""
    k = indices.shape[-1]
    lead = tf.shape(inputs)[:k]
    flat = tf.reshape(indices, [-1, k])
    strides = tf.math.cumprod(lead, exclusive=True, reverse=True)
    linear = tf.reduce_sum(flat * tf.cast(strides, flat.dtype), axis=-1)
    count = tf.reduce_prod(lead)
    factors = tf.math.unsorted_segment_prod(updates, linear, count)
    factors = tf.reshape(factors, tf.shape(inputs))
    return inputs * factors


_SCATTER_REDUCTIONS = {
    None: tf.tensor_scatter_nd_update,
    "add": tf.tensor_scatter_nd_add,
    "max": tf.tensor_scatter_nd_max,
    "min": tf.tensor_scatter_nd_min,
    "mul": _scatter_mul,
}


@hookimpl
def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    compute = _scatter_dtype(inputs.dtype)
    indices = _as_indices(indices)
    updates = tf.cast(convert_to_tensor(updates), compute)
    k = indices.shape[-1]
    updates = tf.reshape(updates, tf.concat([tf.shape(indices)[:-1], tf.shape(inputs)[k:]], axis=0))
    out = _SCATTER_REDUCTIONS[reduction](tf.cast(inputs, compute), indices, updates)
    return tf.cast(out, inputs.dtype)


@hookimpl
def stop_gradient(variable):
    return tf.stop_gradient(convert_to_tensor(variable))


def _to_tensors(structure):
    return tree.map_structure(lambda v: None if v is None else convert_to_tensor(v), structure)


@hookimpl
def cond(pred, true_fn, false_fn):
    pred = tf.cast(convert_to_tensor(pred), tf.bool)
    return tf.cond(pred, lambda: _to_tensors(true_fn()), lambda: _to_tensors(false_fn()))


@hookimpl
def switch(index, branches, *operands):
    index = tf.clip_by_value(tf.cast(convert_to_tensor(index), tf.int32), 0, len(branches) - 1)
    fns = [(lambda b=b: _to_tensors(b(*operands))) for b in branches]
    return tf.switch_case(index, fns)


@hookimpl
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(_to_tensors(tuple(loop_vars) if is_sequence else (loop_vars,)))

    def step(*values):
        new = body(*values)
        new = tuple(new) if isinstance(new, (tuple, list)) else (new,)
        return tuple(tf.cast(convert_to_tensor(n), v.dtype) for n, v in zip(new, values))

    def keep_going(*values):
        return tf.cast(convert_to_tensor(cond(*values)), tf.bool)

    out = tf.while_loop(keep_going, step, state, maximum_iterations=maximum_iterations)
    if not is_sequence:
        return out[0]
    return list(out) if isinstance(loop_vars, list) else tuple(out)


@hookimpl
def fori_loop(lower, upper, body_fun, init_val):
    if tf.executing_eagerly() and isinstance(lower, int) and isinstance(upper, int):
        # Eagerly the body sees Python ints, as on the reference backend (TF would not
        # promote an int32 counter against other integer dtypes).
        value = init_val
        for i in range(lower, upper):
            value = body_fun(i, value)
        return _to_tensors(value)
    init = _to_tensors(init_val)
    flat = tree.flatten(init)

    def keep_going(i, *values):
        return i < upper

    def step(i, *values):
        new = tree.flatten(body_fun(i, tree.pack_sequence_as(init, list(values))))
        return (i + 1,) + tuple(tf.cast(convert_to_tensor(n), v.dtype) for n, v in zip(new, values))

    out = tf.while_loop(keep_going, step, (tf.constant(lower, tf.int32),) + tuple(flat))
    return tree.pack_sequence_as(init, list(out[1:]))


def _leading_size(structure):
    """The length of axis 0 of the first tensor in `structure`: an int, or a scalar tensor
    when unknown until run time."""
    leaves = [leaf for leaf in tree.flatten(structure) if leaf is not None]
    return dims(convert_to_tensor(leaves[0]))[0] if leaves else 0


def _row(structure, i):
    return tree.map_structure(lambda a: None if a is None else a[i], structure)


def _stack(results):
    return tree.map_structure(
        lambda *leaves: tf.stack([convert_to_tensor(v) for v in leaves]), *results
    )


def _is_weak(value):
    """Whether `value` is a Python scalar: weakly typed, as in JAX (its dtype is what `f`
    makes of it, e.g. `0 + int64` is int64, where TensorFlow would refuse int32 + int64)."""
    return value.__class__ in (bool, int, float)


def _carry_init(f, init, xs, n):
    """`init` as tensors. A Python scalar leaf takes the dtype that `f` gives that carry
    leaf, found by tracing one step (never run); every other leaf keeps its dtype."""
    flat = tree.flatten(init)
    weak = [_is_weak(v) for v in flat]
    dtypes_ = [None] * len(flat)
    if builtins.any(weak) and not (isinstance(n, int) and n == 0):
        row = None if xs is None else _row(xs, 0)

        def one_step():
            new_carry, _ = f(init, row)
            return [convert_to_tensor(c) for c in tree.flatten(new_carry)]

        try:
            if tf.executing_eagerly():
                traced = tf.function(one_step).get_concrete_function().structured_outputs
            else:
                traced = one_step()
            dtypes_ = [t.dtype for t in traced]
        except Exception:  # noqa: BLE001 - f needs concrete values: the default conversion
            pass
        if len(dtypes_) != len(flat):
            dtypes_ = [None] * len(flat)
    return tree.pack_sequence_as(
        init,
        [
            _cast(v, d) if w else None if v is None else convert_to_tensor(v)
            for v, w, d in zip(flat, weak, dtypes_)
        ],
    )


def _cast(value, dtype):
    """`value` as a tensor of `dtype` (`None`: its own dtype; a `None` value stays `None`)."""
    if value is None:
        return None
    value = convert_to_tensor(value)
    return value if dtype is None else tf.cast(value, dtype)


def _scan_eager(f, carry, xs, n, reverse):
    ys = [None] * n
    carry_dtypes = [None if c is None else c.dtype for c in tree.flatten(carry)]
    for i in reversed(range(n)) if reverse else range(n):
        carry, ys[i] = f(carry, None if xs is None else _row(xs, i))
        # The carry keeps its dtype from step to step (as in the graph loop and in JAX).
        carry = tree.pack_sequence_as(
            carry,
            [_cast(c, dtype) for c, dtype in zip(tree.flatten(carry), carry_dtypes)],
        )
    if n == 0 or builtins.all(y is None for y in tree.flatten(ys[0])):
        return carry, None
    return carry, _stack(ys)


def _scan_graph(f, init, xs, n, reverse):
    """`scan` as one `tf.while_loop` writing the `y`s into TensorArrays (no unrolling)."""
    _, first_y = f(init, None if xs is None else _row(xs, 0))  # traced for y's structure
    first_y = _to_tensors(first_y)
    y_leaves = [y for y in tree.flatten(first_y) if y is not None]
    arrays = tuple(tf.TensorArray(y.dtype, size=n, element_shape=y.shape) for y in y_leaves)
    carry_leaves = tree.flatten(init)
    # The rows of `xs` are read from TensorArrays: slicing `xs[i]` in the loop would give
    # each step's gradient a full-size `xs`-shaped tensor to sum.
    x_arrays = (
        None
        if xs is None
        else tree.map_structure(
            lambda x: (
                None
                if x is None
                else tf.TensorArray(x.dtype, size=n, element_shape=x.shape[1:]).unstack(x)
            ),
            xs,
        )
    )

    def step(i, carry_flat, arrays):
        index = n - 1 - i if reverse else i
        carry = tree.pack_sequence_as(init, list(carry_flat))
        row = (
            None
            if xs is None
            else tree.map_structure(lambda a: None if a is None else a.read(index), x_arrays)
        )
        new_carry, y = f(carry, row)
        new_flat = tuple(
            tf.cast(convert_to_tensor(c), old.dtype)
            for c, old in zip(tree.flatten(new_carry), carry_flat)
        )
        ys = [convert_to_tensor(v) for v in tree.flatten(y) if v is not None]
        return i + 1, new_flat, tuple(a.write(index, v) for a, v in zip(arrays, ys))

    # A known trip count lets XLA (`jit_compile=True`) compile the loop's gradient.
    _, carry_flat, arrays = tf.while_loop(
        lambda i, c, a: i < n,
        step,
        (tf.constant(0), tuple(carry_leaves), arrays),
        maximum_iterations=n,
    )
    carry = tree.pack_sequence_as(init, list(carry_flat))
    if not y_leaves:
        return carry, None
    stacked = iter([a.stack() for a in arrays])
    return carry, tree.map_structure(lambda y: None if y is None else next(stacked), first_y)


@hookimpl
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan: `length` is required when `xs` is None.")
    xs = _to_tensors(xs)
    n = int(length) if length is not None else _leading_size(xs)
    if (
        xs is not None
        and length is not None
        and isinstance(_leading_size(xs), int)
        and _leading_size(xs) != n
    ):
        raise ValueError(
            f"scan: `length` ({n}) must match the leading dimension of `xs` ({_leading_size(xs)})."
        )
    init = _carry_init(f, init, xs, n)
    if tf.executing_eagerly() or (isinstance(n, int) and unroll is True):
        return _scan_eager(f, init, xs, n, reverse)
    return _scan_graph(f, init, xs, n, reverse)


@hookimpl
def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [convert_to_tensor(leaf) for leaf in tree.flatten(elems)]
    if reverse:
        leaves = [tf.reverse(leaf, [axis]) for leaf in leaves]
    n = leaves[0].shape[axis] if leaves else 0
    rank = leaves[0].shape.rank if leaves else 0
    axis = axis % builtins.max(rank, 1)

    def part(leaf, start, stop):
        index = [builtins.slice(None)] * rank
        index[axis] = builtins.slice(start, stop)
        return leaf[tuple(index)]

    # Hillis-Steele: after the step with offset d, entry i combines entries i - 2d + 1 .. i.
    offset = 1
    while offset < n:
        earlier = [part(leaf, 0, n - offset) for leaf in leaves]
        later = [part(leaf, offset, n) for leaf in leaves]
        combined = tree.flatten(
            f(tree.pack_sequence_as(elems, earlier), tree.pack_sequence_as(elems, later))
        )
        leaves = [
            tf.concat([part(leaf, 0, offset), tf.cast(convert_to_tensor(c), leaf.dtype)], axis)
            for leaf, c in zip(leaves, combined)
        ]
        offset *= 2
    if reverse:
        leaves = [tf.reverse(leaf, [axis]) for leaf in leaves]
    return tree.pack_sequence_as(elems, leaves)


def _signature(structure):
    return tree.map_structure(
        lambda v: tf.TensorSpec(convert_to_tensor(v).shape, convert_to_tensor(v).dtype), structure
    )


@hookimpl
def map(f, xs):
    xs = _to_tensors(xs)
    if isinstance(_leading_size(xs), int) and _leading_size(xs) == 0:
        raise ValueError("map: `xs` has no entries along axis 0 to map over.")
    signature = _signature(f(_row(xs, 0)))
    return tf.map_fn(lambda row: _to_tensors(f(row)), xs, fn_output_signature=signature)


@hookimpl
def vectorized_map(function, elements):
    return tf.vectorized_map(function, _to_tensors(elements))


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    eager_loops.check_unstack_num(num, x.shape[axis], axis)
    return tf.unstack(x, num=num, axis=axis)


@hookimpl
def custom_gradient(f):
    @tf.custom_gradient
    def wrapped(*args):
        output, grad_fn = f(*args)

        def grad(*upstream, variables=None):
            return grad_fn(*upstream)

        return output, grad

    return wrapped


# --------------------------------------------------------------------------------------------
# Devices and rematerialization (`keras.device`, `keras.remat`)
# --------------------------------------------------------------------------------------------


@hookimpl
def clear_session():
    tf.compat.v1.reset_default_graph()
    if tf.executing_eagerly():
        from tensorflow.python.eager import context

        context.context().clear_kernel_cache()


@hookimpl
def device_scope(device_name):
    kind, _, index = device_name.partition(":")
    return tf.device(f"/{'GPU' if kind in ('gpu', 'cuda') else kind.upper()}:{index or 0}")


@hookimpl
def remat(f):
    return tf.recompute_grad(f)
