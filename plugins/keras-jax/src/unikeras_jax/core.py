"""JAX backend: backend info and the core ops (casting, indexing, scatter, control flow with
`jax.lax`, devices, rematerialization).


The package's other hook modules are the standard ones (`registry.PLUGIN_MODULE_NAMES`).
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from unikeras.backend.common import eager_loops
from unikeras.backend.api import Variable as BaseVariable, dtypes, hookimpl, tree
from unikeras_jax.convert import BITS_64, convert_to_tensor, to_jnp_dtype, x64_enabled


@hookimpl
def backend_info():
    x64 = x64_enabled()
    return {
        "name": "jax",
        "version": jax.__version__,
        "engine": "jax",
        "training": True,
        "jit": True,
        "jit_compile_auto": True,  # XLA: eager JAX dispatches every op on its own
        # Without JAX's x64 mode (its default, and Keras 3's) there are no 64-bit tensors.
        "dtypes": [d for d in dtypes.ALLOWED_DTYPES if d != "string" and (x64 or d not in BITS_64)],
        "x64": x64,
        "notes": f"devices: {', '.join(str(d) for d in jax.devices())}; 64-bit types "
        f"{'on' if x64 else 'off'} (jax_enable_x64)",
    }


def _index(key):
    """Converts Variables and lists inside an indexing key to arrays."""
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if isinstance(key, (BaseVariable, list)):
        return convert_to_tensor(key)
    return key


@hookimpl
def get_item(x, key):
    return convert_to_tensor(x)[_index(key)]


def dtype_limits(dtype):
    """Returns the (lowest, highest) value representable in the JAX dtype `dtype`."""
    if dtype == jnp.bool_:
        return 0, 1
    info = jnp.iinfo(dtype) if jnp.issubdtype(dtype, jnp.integer) else jnp.finfo(dtype)
    return info.min, info.max


def _bound(value, limit, dtype, too_far):
    """`value` in `dtype`, stepped towards zero when rounding pushed it past `limit`."""
    bound = jnp.asarray(np.asarray(value).astype(dtype))
    if too_far(np.asarray(bound).item(), limit):
        bound = jnp.nextafter(bound, jnp.zeros((), dtype))
    return bound


@hookimpl
def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    target = to_jnp_dtype(dtype)
    (in_lo, in_hi), (out_lo, out_hi) = dtype_limits(x.dtype), dtype_limits(target)
    # The bounds are rounded into the input dtype, which can push them just outside the
    # target's range (float32(2**32 - 1) == 2**32): step them back towards zero then.
    lo = _bound(max(in_lo, out_lo), out_lo, x.dtype, lambda b, lim: b < lim)
    hi = _bound(min(in_hi, out_hi), out_hi, x.dtype, lambda b, lim: b > lim)
    return jnp.clip(x, lo, hi).astype(target)


def _starts(start_indices):
    """`start_indices` as a list of scalars (lax's dynamic slices take one per axis)."""
    starts = start_indices
    if isinstance(starts, (list, tuple)):
        starts = [convert_to_tensor(s) if isinstance(s, BaseVariable) else s for s in starts]
    else:
        starts = list(convert_to_tensor(starts).reshape(-1))
    return starts


@hookimpl
def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    shape = tuple(int(s) for s in shape)
    return lax.dynamic_slice(inputs, _starts(start_indices), shape)


@hookimpl
def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    return lax.dynamic_update_slice(inputs, updates, _starts(start_indices))


_REDUCTIONS = {"add": "add", "mul": "multiply", "max": "max", "min": "min"}


def _scatter_into(out, indices, updates, reduction):
    indices = convert_to_tensor(indices)
    depth = indices.shape[-1]
    index = tuple(jnp.moveaxis(indices.reshape(-1, depth), -1, 0))
    count = index[0].shape[0] if index else 1
    updates = convert_to_tensor(updates, dtype=out.dtype).reshape((count,) + out.shape[depth:])
    at = out.at[index]
    if reduction is None:
        return at.set(updates)
    return getattr(at, _REDUCTIONS[reduction])(updates)


@hookimpl
def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    return _scatter_into(jnp.zeros(tuple(shape), values.dtype), indices, values, "add")


@hookimpl
def scatter_update(inputs, indices, updates, reduction=None):
    return _scatter_into(convert_to_tensor(inputs), indices, updates, reduction)


@hookimpl
def stop_gradient(variable):
    return lax.stop_gradient(convert_to_tensor(variable))


# --------------------------------------------------------------------------------------------
# Control flow with jax.lax. Loop state is converted to tensors first, and each step's
# result cast back to the state's dtypes: lax loops need a fixed carry type.
# --------------------------------------------------------------------------------------------


def _tensors(structure):
    return tree.map_structure(lambda v: None if v is None else convert_to_tensor(v), structure)


def _like(structure, template):
    """`structure` with each leaf converted to the dtype of the matching `template` leaf."""
    return tree.map_structure(
        lambda v, t: None if v is None else convert_to_tensor(v, dtype=t.dtype), structure, template
    )


@hookimpl
def cond(pred, true_fn, false_fn):
    return lax.cond(convert_to_tensor(pred).astype(bool), true_fn, false_fn)


@hookimpl
def conditional_update(condition, fn, variables):
    """`fn()` (assigning some of `variables`) under `lax.cond`: inside a jitted step the
    update is skipped, not computed and discarded, where `condition` is false, and no
    weight or slot is where-selected on the steps that update (mixed_float16 MLP fit with
    LossScaleOptimizer(Adam) on a 2-core CPU, paired epochs: 0.73x the time of the
    where-select, 1.02x the native loop). Eagerly, the concrete flag is read and `fn` runs
    or not."""
    condition = convert_to_tensor(condition)
    if not isinstance(condition, jax.core.Tracer):
        if bool(condition):
            fn()
        return True
    old = [variable.value for variable in variables]

    def update(values):
        # The branch's own tracers go in and come out; the variables get the outer values
        # back, so nothing of this trace is left in them.
        try:
            for variable, value in zip(variables, values):
                variable.assign(value)
            fn()
            return [
                lax.convert_element_type(variable.value, value.dtype)
                for variable, value in zip(variables, values)
            ]
        finally:
            for variable, value in zip(variables, old):
                variable.assign(value)

    new = lax.cond(condition.astype(bool), update, lambda values: list(values), old)
    for variable, value in zip(variables, new):
        variable.assign(value)
    return True


@hookimpl
def switch(index, branches, *operands):
    return lax.switch(convert_to_tensor(index, dtype="int32"), branches, *operands)


@hookimpl
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = _tensors(tuple(loop_vars) if is_sequence else (loop_vars,))

    def step(state):
        new = body(*state)
        return _like(tuple(new) if isinstance(new, (tuple, list)) else (new,), state)

    def keep_going(state):
        return convert_to_tensor(cond(*state)).astype(bool).reshape(())

    if maximum_iterations is None:
        state = lax.while_loop(keep_going, step, state)
    else:
        limit = maximum_iterations

        def counted_step(counted):
            return step(counted[0]), counted[1] + 1

        def counted_cond(counted):
            return jnp.logical_and(counted[1] < limit, keep_going(counted[0]))

        state = lax.while_loop(counted_cond, counted_step, (state, jnp.int32(0)))[0]
    if not is_sequence:
        return state[0]
    return list(state) if isinstance(loop_vars, list) else state


@hookimpl
def fori_loop(lower, upper, body_fun, init_val):
    init = _tensors(init_val)
    return lax.fori_loop(lower, upper, lambda i, v: _like(body_fun(i, v), init), init)


@hookimpl
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan: `length` is required when `xs` is None.")
    init = _tensors(init)

    def step(carry, x):
        new_carry, y = f(carry, x)
        return _like(new_carry, carry), y

    return lax.scan(step, init, _tensors(xs), length=length, reverse=reverse, unroll=unroll)


@hookimpl
def associative_scan(f, elems, reverse=False, axis=0):
    return lax.associative_scan(f, _tensors(elems), reverse=reverse, axis=axis)


def _leading_size(structure):
    leaves = [leaf for leaf in tree.flatten(structure) if leaf is not None]
    return int(jnp.shape(leaves[0])[0]) if leaves else 0


@hookimpl
def map(f, xs):
    if _leading_size(xs) == 0:
        raise ValueError("map: `xs` has no entries along axis 0 to map over.")
    return lax.map(f, _tensors(xs))


@hookimpl
def vectorized_map(function, elements):
    return jax.vmap(function)(_tensors(elements))


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    eager_loops.check_unstack_num(num, x.shape[axis], axis)
    return [jnp.take(x, i, axis=axis) for i in range(x.shape[axis])]


@hookimpl
def custom_gradient(f):
    return jax.custom_gradient(fun=f)


# --------------------------------------------------------------------------------------------
# Devices and rematerialization (`keras.device`, `keras.remat`)
# --------------------------------------------------------------------------------------------


@hookimpl
def device_scope(device_name):
    kind, _, index = device_name.partition(":")
    platform = "gpu" if kind in ("gpu", "cuda") else kind
    try:
        target = jax.devices(platform)[int(index or 0)]
    except (RuntimeError, IndexError) as error:
        raise ValueError(f"keras.device: no JAX device {device_name!r} ({error}).") from None
    return jax.default_device(target)


@hookimpl
def remat(f):
    return jax.checkpoint(f)
