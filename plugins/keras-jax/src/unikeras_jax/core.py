"""JAX backend: backend info, tensor conversion, variables, symbolic shapes, core ops."""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from unikeras.backend import dtypes
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.stateless_scope import StatelessScope
from unikeras.backend.symbolic_scope import SymbolicScope
from unikeras.backend.variable import Variable as BaseVariable
from unikeras.utils import tree

_ARRAY = jax.Array
_SCALARS = (bool, int, float, complex)
_JNP_DTYPES = {False: {}, True: {}}  # per state of JAX's x64 mode

try:  # JAX's x64 switch, read on every dtype lookup: the state object is the fast way
    from jax._src.config import enable_x64 as _ENABLE_X64

    def x64_enabled():
        """Whether JAX's 64-bit mode (`jax_enable_x64`) is on."""
        return bool(_ENABLE_X64.value)
except ImportError:  # pragma: no cover - another JAX layout: the public (slower) flag
    def x64_enabled():
        """Whether JAX's 64-bit mode (`jax_enable_x64`) is on."""
        return bool(jax.config.jax_enable_x64)

_64_BIT = ("float64", "int64", "uint64", "complex128")


def to_jnp_dtype(dtype):
    """Returns the JAX (NumPy-compatible) dtype for a unikeras dtype name.

    Without JAX's x64 mode, 64-bit names give their 32-bit counterparts (as JAX itself
    truncates them), so `float64` requests compute in `float32` like Keras 3 on JAX.
    """
    cache = _JNP_DTYPES[x64_enabled()]
    found = cache.get(dtype)
    if found is None:
        name = dtypes.standardize_dtype(dtype)
        if name == "string":
            raise ValueError("The jax backend has no string tensors.")
        found = jnp.dtype(jnp.bfloat16) if name == "bfloat16" else jnp.dtype(name)
        found = jax.dtypes.canonicalize_dtype(found)
        if isinstance(dtype, str):
            cache[dtype] = found
    return found


def dtype_of(x):
    """The dtype to promote with: tensors give theirs, Python scalars stay weak types."""
    dtype = getattr(x, "dtype", None)
    return dtype if dtype is not None else type(x)


def _default_dtype(x):
    """The dtype `convert_to_tensor` gives a value without one (Python scalars, lists)."""
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        if not leaves:
            return to_jnp_dtype(floatx())
        return to_jnp_dtype(dtypes.result_type(*[dtype_of(v) for v in leaves]))
    if isinstance(x, _SCALARS):
        return to_jnp_dtype(dtypes.result_type(type(x)))
    return None


@hookimpl
def backend_info():
    x64 = x64_enabled()
    return {
        "name": "jax",
        "version": jax.__version__,
        "engine": "jax",
        "training": True,
        "jit": True,
        # Without JAX's x64 mode (its default, and Keras 3's) there are no 64-bit tensors.
        "dtypes": [d for d in dtypes.ALLOWED_DTYPES
                   if d != "string" and (x64 or d not in _64_BIT)],
        "x64": x64,
        "notes": f"devices: {', '.join(str(d) for d in jax.devices())}; 64-bit types "
                 f"{'on' if x64 else 'off'} (jax_enable_x64)",
    }


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, BaseVariable):
        x = x.value
    if dtype is not None:
        dtype = to_jnp_dtype(dtype)
    if isinstance(x, _ARRAY):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if dtype is None:
        dtype = _default_dtype(x)
    if isinstance(x, str):
        raise TypeError("convert_to_tensor: the jax backend has no string tensors.")
    if isinstance(x, (list, tuple)) and any(isinstance(v, _ARRAY) for v in tree.flatten(x)):
        return jnp.stack([convert_to_tensor(v, dtype) for v in x]) if x else \
            jnp.zeros((0,), dtype)
    return jnp.asarray(x, dtype=dtype)


@hookimpl
def convert_to_numpy(x):
    if isinstance(x, BaseVariable):
        x = x.value
    return np.asarray(x)


@hookimpl
def is_tensor(x):
    return isinstance(x, _ARRAY)


@hookimpl
def standardize_native_dtype(dtype):
    return to_jnp_dtype(dtype)


class JaxVariable(BaseVariable):
    """A Variable holding an immutable `jax.Array`; assignment replaces the array."""

    def _initialize(self, value):
        self._value = jnp.asarray(value)

    def _direct_assign(self, value):
        value = jnp.asarray(value)
        if self._layout is not None:  # keep the keras.distribution placement
            from unikeras_jax.distribution import backend_layout, _place

            value = _place(value, backend_layout(self._layout))
        self._value = value

    @property
    def value(self):
        return self._value

    def __jax_array__(self):
        return self.value


@hookimpl
def variable_class():
    return JaxVariable


@hookimpl
def layer_mixin():
    return object


@hookimpl
def trainer_mixin():
    from unikeras_jax.trainer import JaxTrainer  # imports unikeras.utils: load it lazily

    return JaxTrainer


# --------------------------------------------------------------------------------------------
# Symbolic shape inference: jax.eval_shape, unknown dimensions probed at two sizes
# --------------------------------------------------------------------------------------------

_PROBE_SIZES = (83, 89)  # two unlikely sizes stand in for unknown dimensions


def _probe_shape(tensor, size):
    return tuple(size if d is None else d for d in tensor.shape)


def _trace_specs(fn, args, kwargs, size):
    """Output of `fn` as ShapeDtypeStructs, traced without computing anything."""
    leaves = tree.flatten((args, kwargs))
    symbolic = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
    structs = [jax.ShapeDtypeStruct(_probe_shape(leaves[i], size), to_jnp_dtype(leaves[i].dtype))
               for i in symbolic]

    def call(arrays):
        filled = list(leaves)
        for i, array in zip(symbolic, arrays):
            filled[i] = array
        a, k = tree.pack_sequence_as((args, kwargs), filled)
        return fn(*a, **k)

    return jax.eval_shape(call, structs)


def _run_on_zeros(fn, args, kwargs, size):
    """Output of `fn` run on zeros: for ops whose output shape depends on values."""

    def make(leaf):
        if isinstance(leaf, KerasTensor):
            return jnp.zeros(_probe_shape(leaf, size), to_jnp_dtype(leaf.dtype))
        return leaf

    a, k = tree.map_structure(make, (args, kwargs))
    return fn(*a, **k)


def _infer(fn, args, kwargs, size):
    try:
        return _trace_specs(fn, args, kwargs, size)
    except (jax.errors.ConcretizationTypeError, jax.errors.TracerIntegerConversionError,
            jax.errors.TracerBoolConversionError, jax.errors.TracerArrayConversionError,
            jax.errors.NonConcreteBooleanIndexError, TypeError):
        return _run_on_zeros(fn, args, kwargs, size)


def _spec_of(leaf):
    if hasattr(leaf, "shape") and hasattr(leaf, "dtype"):
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
    first = _infer(fn, args, kwargs, _PROBE_SIZES[0])
    if not has_unknown:
        return tree.map_structure(_spec_of, first)
    second = _infer(fn, args, kwargs, _PROBE_SIZES[1])

    def merge(a, b):
        spec = _spec_of(a)
        if isinstance(spec, KerasTensor):
            shape = tuple(None if da != db else da for da, db in zip(spec.shape, np.shape(b)))
            spec = KerasTensor(shape, dtype=spec.dtype)
        return spec

    return tree.map_structure(merge, first, second)


# --------------------------------------------------------------------------------------------
# Core ops
# --------------------------------------------------------------------------------------------


@hookimpl
def cast(x, dtype):
    return convert_to_tensor(x, dtype=dtype)


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


@hookimpl
def shape(x):
    return tuple(convert_to_tensor(x).shape)


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


def _starts(inputs, start_indices, sizes, op_name):
    starts = start_indices
    if isinstance(starts, (list, tuple)):
        starts = [convert_to_tensor(s) if isinstance(s, BaseVariable) else s for s in starts]
    else:
        starts = list(convert_to_tensor(starts).reshape(-1))
    if len(starts) != inputs.ndim or len(sizes) != inputs.ndim:
        raise ValueError(
            f"{op_name}: `start_indices` and `shape` need one entry per axis of the input "
            f"(rank {inputs.ndim}). Received: start_indices={start_indices}, shape={sizes}"
        )
    return starts


@hookimpl
def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    shape = tuple(int(s) for s in shape)
    return lax.dynamic_slice(inputs, _starts(inputs, start_indices, shape, "slice"), shape)


@hookimpl
def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    starts = _starts(inputs, start_indices, updates.shape, "slice_update")
    return lax.dynamic_update_slice(inputs, updates, starts)


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
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"scatter_update: `reduction` must be one of None, {sorted(_REDUCTIONS)}. "
            f"Received: reduction={reduction!r}"
        )
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
        lambda v, t: None if v is None else convert_to_tensor(v, dtype=t.dtype),
        structure, template)


@hookimpl
def cond(pred, true_fn, false_fn):
    return lax.cond(convert_to_tensor(pred).astype(bool), true_fn, false_fn)


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
    if num is not None and num != x.shape[axis]:
        raise ValueError(
            f"unstack: `num` ({num}) must equal the size of axis {axis} ({x.shape[axis]})."
        )
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
