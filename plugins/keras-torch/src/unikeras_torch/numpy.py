"""PyTorch backend: the NumPy-like ops (`keras.ops.numpy`).

torch promotes differently from Keras 3 (Python floats are weak towards the default dtype,
not `floatx()`; there is no `uint32 + int8` rule...), so every op resolves its result dtype
with `unikeras.backend.dtypes.result_type` first and casts its operands to it.
"""

import builtins
import math as pymath

import numpy as np
import torch

from unikeras.backend.api import dtypes
from unikeras.backend.common.array_args import (
    check_correlate_ranks,
    check_pad_args,
    check_rot90_axes,
    correlate_dtypes,
)
from unikeras.backend.common.axes import axis_arg
from unikeras.backend.common.dtype_rules import (
    accumulation_dtype,
    float_dtype,
    numeric_dtype,
    wide_float_dtype,
)
from unikeras.backend.api import fast_entry, floatx, hookimpl
from unikeras_torch.convert import (
    DEVICE,
    NARROW_UNSIGNED,
    convert_to_numpy,
    convert_to_tensor,
    dtype_name,
    dtype_of,
    to_torch_dtype,
)

_TENSOR = torch.Tensor
_SCALARS = (bool, int, float, complex)
_OPERAND_TYPES = (*_SCALARS, _TENSOR)  # flat: torch.compile rejects nested type tuples

# --------------------------------------------------------------------------------------------
# Promotion helpers
# --------------------------------------------------------------------------------------------

_RESULT_DTYPES = {}  # (input dtypes or Python types, resolve, floatx) -> torch dtype


def result_dtype(xs, resolve=None):
    """The torch dtype of `result_type(*xs)` (then `resolve`d), cached per input dtypes."""
    key = (*[dtype_of(x) for x in xs], resolve, floatx())
    dtype = _RESULT_DTYPES.get(key)
    if dtype is None:
        name = dtypes.result_type(*key[:-2])
        dtype = _RESULT_DTYPES[key] = to_torch_dtype(resolve(name) if resolve else name)
    return dtype


def _operand(x):
    """Keeps Python scalars (weak types) and tensors as they are; converts the rest."""
    if isinstance(x, _OPERAND_TYPES):
        return x
    return convert_to_tensor(x)


def promote(*xs):
    """Converts `xs` to tensors of their Keras 3 result dtype."""
    xs = [_operand(x) for x in xs]
    dtype = result_dtype(xs)
    return [convert_to_tensor(x, dtype) for x in xs]


def compute_dtype(dtype):
    """The dtype torch kernels run in for `dtype` (uint16/32/64 have few kernels)."""
    return torch.int64 if dtype in NARROW_UNSIGNED else dtype


def widen(x):
    """`x` in its compute dtype (see `compute_dtype`)."""
    return x.to(torch.int64) if x.dtype in NARROW_UNSIGNED else x


_TENSOR_TYPES = frozenset((torch.Tensor, torch.nn.Parameter))
_VIA_INT64 = (torch.uint16, torch.uint32)
_FLOATS = frozenset((torch.float16, torch.bfloat16, torch.float32, torch.float64))


def binary(fn, resolve=None):
    """Wraps a torch binary function with Keras 3 promotion.

    Args:
        fn: The torch function.
        resolve: Optional function from the promoted dtype name to the dtype the op computes
            in and returns (e.g. ints to `floatx()` for division).
    """

    def slow(x1, x2):
        x1, x2 = _operand(x1), _operand(x2)
        dtype = result_dtype((x1, x2), resolve)
        compute = compute_dtype(dtype)
        result = fn(convert_to_tensor(x1, compute), convert_to_tensor(x2, compute))
        return result if result.dtype == dtype else result.to(dtype)

    # Fast path for two tensors: when torch's result has one input's dtype, Keras 3 promotion
    # agrees (torch only ever promotes wider: uint8 + int8 to int16, float16 + bfloat16 to
    # float32, ...), so the promotion lookup is skipped. `resolve` never changes floats.
    kinds = None if resolve is None else _FLOATS

    def op(x1, x2):
        if (
            x1.__class__ in _TENSOR_TYPES
            and x2.__class__ in _TENSOR_TYPES
            # uint16/32 have few kernels: eagerly `fn` raises below, but a Dynamo trace
            # would record it and the compiled graph fail when run (int64 computes them
            # exactly; uint64 keeps its kernels, as int64 cannot hold its values).
            and x1.dtype not in _VIA_INT64
        ):
            try:
                result = fn(x1, x2)
            except (RuntimeError, NotImplementedError, TypeError):  # e.g. no int kernel
                return slow(x1, x2)
            dtype = result.dtype
            if (dtype is x1.dtype or dtype is x2.dtype) and (kinds is None or dtype in kinds):
                return result
        return slow(x1, x2)

    return op


def _dims(axis, ndim):
    """`axis` (None, int or sequence) as a tuple of non-negative dims."""
    if axis is None:
        return tuple(range(ndim))
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    return tuple(sorted(a % builtins.max(ndim, 1) for a in axis))


def _reduce(fn, x, axis, keepdims, **kwargs):
    """Applies a torch reduction over `axis` (None: all axes; `()`: none)."""
    dims = _dims(axis, x.dim())
    if x.dim() == 0 or not dims:
        return (
            fn(x.unsqueeze(0), dim=0, keepdim=False, **kwargs)
            if x.dim() == 0
            else fn(x.unsqueeze(-1), dim=-1, keepdim=False, **kwargs)
        )
    return fn(x, dim=dims, keepdim=keepdims, **kwargs)


def floats(x, wide_int64=False):
    """`x` as a tensor of the float dtype a float-valued op computes in."""
    x = convert_to_tensor(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(float_dtype(x.dtype, wide_int64)))


def unary_float(fn, wide_int64=False):
    """Wraps a torch unary function whose result is float (ints and bools give `floatx()`)."""

    def op(x):
        return fn(floats(x, wide_int64))

    return op


def _float_result(*values):
    """`result_type(*values, float)` as a torch dtype."""
    return to_torch_dtype(dtypes.result_type(*[dtype_of(_operand(v)) for v in values], float))


# --------------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------------

add = hookimpl(binary(torch.add))


def _subtract(a, b):
    if a.dtype == torch.bool and b.dtype == torch.bool:  # (the fast path passes mixed pairs)
        return torch.logical_xor(a, b)
    return torch.subtract(a, b)


subtract = hookimpl(binary(_subtract))
multiply = hookimpl(binary(torch.multiply))


@hookimpl
def matmul(x1, x2):
    if x1.__class__ in _TENSOR_TYPES and x2.__class__ in _TENSOR_TYPES:
        dtype = x1.dtype
        if dtype is x2.dtype and dtype in _FLOATS:  # nothing to promote or widen
            try:
                return torch.matmul(x1, x2)
            except RuntimeError:
                pass  # (rank 0, mismatched shapes: raised below)
    x1, x2 = _operand(x1), _operand(x2)
    int8_pair = getattr(x1, "dtype", None) == torch.int8 == getattr(x2, "dtype", None)
    x1, x2 = promote(x1, x2)
    # Keras 3: two int8 operands give int32, any other pair its promoted dtype (uint8, int16
    # and bool products are computed in int32, then cast to it).
    dtype = torch.int32 if int8_pair else x1.dtype
    compute = torch.int32 if dtype in (torch.uint8, torch.int16, torch.bool) else dtype
    compute = compute_dtype(compute)
    if x1.dim() == 0 or x2.dim() == 0:
        raise ValueError("matmul: inputs must have rank >= 1.")
    return torch.matmul(x1.to(compute), x2.to(compute)).to(dtype)


@hookimpl
def reshape(x, newshape):
    x = convert_to_tensor(x)
    if newshape.__class__ is tuple:  # usually Python ints, which torch takes as they are
        try:
            return torch.reshape(x, newshape)
        except (TypeError, RuntimeError):
            pass  # numpy ints, floats, tensors: normalized below (a bad shape raises again)
    newshape = (newshape,) if isinstance(newshape, int) else tuple(int(d) for d in newshape)
    return torch.reshape(x, newshape)


@hookimpl
def transpose(x, axes=None):
    x = convert_to_tensor(x)
    axes = tuple(reversed(range(x.dim()))) if axes is None else tuple(axes)
    return x.permute(axes)


_SUM_DTYPES = {}  # torch dtype -> the torch dtype `sum` returns (Keras 3's accumulation)


@hookimpl
def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = _SUM_DTYPES.get(x.dtype)
    if dtype is None:
        dtype = _SUM_DTYPES[x.dtype] = to_torch_dtype(accumulation_dtype(dtype_name(x.dtype)))
    if axis is None and not keepdims and dtype is x.dtype and dtype.is_floating_point:
        return torch.sum(x)  # the whole-tensor sum of a float: torch's own result
    out = _reduce(torch.sum, widen(x), axis, keepdims)
    return out if out.dtype is dtype else out.to(dtype)


@hookimpl
def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    name = dtype_name(x.dtype)
    out = name if dtypes.is_float_dtype(name) or dtypes.is_complex_dtype(name) else floatx()
    compute = (
        torch.float64
        if out == "float64" or name in ("int64", "uint64", "uint32")
        else (torch.float32 if not x.is_complex() else x.dtype)
    )
    return _reduce(torch.mean, x.to(compute), axis, keepdims).to(to_torch_dtype(out))


@hookimpl
def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        return torch.cat([x.reshape(-1) for x in xs])
    return torch.cat(xs, dim=axis)


def _new(shape, dtype, fill):
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    return torch.full(shape, fill, dtype=to_torch_dtype(dtype or floatx()), device=DEVICE)


@hookimpl
def zeros(shape, dtype=None):
    return _new(shape, dtype, 0)


@hookimpl
def ones(shape, dtype=None):
    return _new(shape, dtype, 1)


# --------------------------------------------------------------------------------------------
# Array creation
# --------------------------------------------------------------------------------------------


@hookimpl
def array(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype).clone()


def _number(x):
    return x.item() if isinstance(x, _TENSOR) else x


@hookimpl
def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = dtypes.result_type(*[dtype_of(v) for v in given])
    if stop is None:
        start, stop = 0, start
    start, stop = _number(start), _number(stop)
    step = 1 if step is None else _number(step)
    dtype = to_torch_dtype(dtype)
    return torch.arange(
        start,
        stop,
        step,
        dtype=torch.float64 if dtype.is_floating_point else compute_dtype(dtype),
        device=DEVICE,
    ).to(dtype)


def _move_samples(samples, axis):
    return torch.movedim(samples, 0, axis) if axis != 0 else samples


def _line(start, stop, num, endpoint):
    """`num` float64 samples from `start` to `stop` along a new leading axis, and the step."""
    start = convert_to_tensor(start, "float64")
    stop = convert_to_tensor(stop, "float64")
    start, stop = torch.broadcast_tensors(start, stop)
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else torch.full_like(start, float("nan"))
    index = torch.arange(num, dtype=torch.float64, device=DEVICE).reshape(
        (-1,) + (1,) * start.dim()
    )
    samples = start + index * (step if div > 0 else 0)
    if endpoint and num > 1:
        samples[-1] = stop
    return samples, step


@hookimpl
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = to_torch_dtype(dtype) if dtype is not None else _float_result(start, stop)
    samples, step = _line(start, stop, num, endpoint)
    if not dtype.is_floating_point:
        samples = torch.floor(samples)
    samples = _move_samples(samples, axis).to(dtype)
    return (samples, step.to(dtype)) if retstep else samples


@hookimpl
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = to_torch_dtype(dtype) if dtype is not None else _float_result(start, stop)
    samples, _ = _line(start, stop, num, endpoint)
    return _move_samples(torch.pow(convert_to_tensor(base, "float64"), samples), axis).to(dtype)


@hookimpl
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = to_torch_dtype(dtype) if dtype is not None else _float_result(start, stop)
    start = convert_to_tensor(start, "float64")
    stop = convert_to_tensor(stop, "float64")
    sign = torch.sign(start)
    samples, _ = _line(torch.log10(torch.abs(start)), torch.log10(torch.abs(stop)), num, endpoint)
    samples = sign * torch.pow(10.0, samples)
    if num > 0:
        samples[0] = start
        if endpoint and num > 1:
            samples[-1] = stop
    return _move_samples(samples, axis).to(dtype)


@hookimpl
def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    ones_ = torch.ones((int(N), int(M)), dtype=torch.bool, device=DEVICE)
    mask = torch.triu(ones_, diagonal=k) & torch.tril(ones_, diagonal=k)
    return mask.to(to_torch_dtype(dtype or floatx()))


@hookimpl
def identity(n, dtype=None):
    return eye(n, dtype=dtype)


@hookimpl
def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    ones_ = torch.ones((int(N), int(M)), dtype=torch.bool, device=DEVICE)
    return torch.tril(ones_, diagonal=k).to(to_torch_dtype(dtype or floatx()))


@hookimpl
def full(shape, fill_value, dtype=None):
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    dtype = to_torch_dtype(dtype or floatx())
    value = convert_to_tensor(fill_value)
    return torch.broadcast_to(value.to(dtype), shape).clone()


def _like_dtype(x, dtype):
    return to_torch_dtype(dtype) if dtype is not None else x.dtype


@hookimpl
def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    value = convert_to_tensor(fill_value).to(_like_dtype(x, dtype))
    return torch.broadcast_to(value, x.shape).clone()


@hookimpl
def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.zeros(x.shape, dtype=_like_dtype(x, dtype), device=x.device)


@hookimpl
def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.ones(x.shape, dtype=_like_dtype(x, dtype), device=x.device)


@hookimpl
def empty(shape, dtype=None):
    return zeros(shape, dtype=dtype)


@hookimpl
def empty_like(x, dtype=None):
    return zeros_like(x, dtype=dtype)


@hookimpl
def copy(x):
    return convert_to_tensor(x).clone()


@hookimpl
def view(x, dtype=None):
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(to_torch_dtype(dtype))


# --------------------------------------------------------------------------------------------
# Shape manipulation
# --------------------------------------------------------------------------------------------


@hookimpl
def expand_dims(x, axis):
    x = convert_to_tensor(x)
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    ndim = x.dim() + len(axes)
    for a in sorted(a % ndim for a in axes):
        x = x.unsqueeze(a)
    return x


@hookimpl
def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    dims = _dims(axis, x.dim())
    for d in dims:
        if x.shape[d] != 1:
            raise ValueError(f"squeeze: cannot squeeze axis {d} of size {x.shape[d]}.")
    return torch.squeeze(x, dims) if dims else x


@hookimpl
def ravel(x):
    return torch.ravel(convert_to_tensor(x))


@hookimpl
def broadcast_to(x, shape):
    return torch.broadcast_to(convert_to_tensor(x), tuple(shape))


@hookimpl
def moveaxis(x, source, destination):
    return torch.movedim(convert_to_tensor(x), axis_arg(source), axis_arg(destination))


@hookimpl
def swapaxes(x, axis1, axis2):
    return torch.swapaxes(convert_to_tensor(x), axis1, axis2)


@hookimpl
def flip(x, axis=None):
    x = convert_to_tensor(x)
    return torch.flip(x, _dims(axis, x.dim()))


@hookimpl
def fliplr(x):
    return torch.fliplr(convert_to_tensor(x))


@hookimpl
def flipud(x):
    return torch.flipud(convert_to_tensor(x))


@hookimpl
def roll(x, shift, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.roll(x.reshape(-1), axis_arg(shift)).reshape(x.shape)
    return torch.roll(x, axis_arg(shift), axis_arg(axis))


@hookimpl
def rot90(array, k=1, axes=(0, 1)):
    array = convert_to_tensor(array)
    check_rot90_axes(array.dim(), array.shape, axes)
    return torch.rot90(array, k, tuple(axes))


@hookimpl
def tile(x, repeats):
    x = convert_to_tensor(x)
    repeats = (repeats,) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    return torch.tile(x, repeats)


@hookimpl
def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if not isinstance(repeats, int):
        repeats = convert_to_tensor(repeats).to(torch.int64)
        if repeats.dim() == 0 or repeats.numel() == 1:
            repeats = int(repeats.reshape(-1)[0])
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    return torch.repeat_interleave(x, repeats, dim=axis)


@hookimpl
def stack(x, axis=0):
    return torch.stack(promote(*x), dim=axis)


@hookimpl
def hstack(xs):
    return torch.hstack(promote(*xs))


@hookimpl
def vstack(xs):
    return torch.vstack(promote(*xs))


@hookimpl
def dstack(xs):
    return torch.dstack(promote(*xs))


@hookimpl
def column_stack(xs):
    return torch.column_stack(promote(*xs))


def _split_points(size, indices_or_sections, even):
    """Split sizes along an axis of `size` for an int section count or split points."""
    if isinstance(indices_or_sections, (int, np.integer)):
        n = int(indices_or_sections)
        if even and size % n:
            raise ValueError(
                f"split: array split does not result in an equal division "
                f"({size} into {n} sections)."
            )
        base, extra = divmod(size, n)
        return [base + 1] * extra + [base] * (n - extra)
    points = [
        builtins.min(builtins.max(int(i), 0), size)
        for i in np.asarray(convert_to_numpy(indices_or_sections)).reshape(-1)
    ]
    bounds = [0] + points + [size]
    return [builtins.max(b - a, 0) for a, b in zip(bounds[:-1], bounds[1:])]


def _split_along(x, indices_or_sections, axis, even):
    x = convert_to_tensor(x)
    sizes = _split_points(x.shape[axis], indices_or_sections, even)
    return list(torch.split(x, sizes, dim=axis))


@hookimpl
def split(x, indices_or_sections, axis=0):
    return _split_along(x, indices_or_sections, axis, True)


@hookimpl
def array_split(x, indices_or_sections, axis=0):
    return _split_along(x, indices_or_sections, axis, False)


@hookimpl
def hsplit(x, indices_or_sections):
    x = convert_to_tensor(x)
    return _split_along(x, indices_or_sections, 0 if x.dim() == 1 else 1, True)


@hookimpl
def vsplit(x, indices_or_sections):
    return _split_along(x, indices_or_sections, 0, True)


@hookimpl
def dsplit(x, indices_or_sections):
    return _split_along(x, indices_or_sections, 2, True)


@hookimpl
def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    if axis is None:
        return torch.cat([x1.reshape(-1), x2.reshape(-1)])
    return torch.cat([x1, x2], dim=axis)


_TORCH_PAD = {"edge": "replicate", "reflect": "reflect", "wrap": "circular", "circular": "circular"}


def _pad_axis(x, axis, before, after, mode):
    """Pads one axis with the NumPy `mode` (symmetric and statistics modes by gathering)."""
    if before == 0 and after == 0:
        return x
    n = x.shape[axis]
    if mode in ("edge", "reflect", "symmetric", "wrap", "circular"):
        index = torch.arange(-before, n + after, device=x.device)
        if mode == "edge":
            index = index.clamp(0, n - 1)
        elif mode in ("wrap", "circular"):
            index = torch.remainder(index, n)
        elif mode == "reflect":
            period = 2 * n - 2 if n > 1 else 1
            index = torch.remainder(index, period)
            index = torch.where(index < n, index, period - index)
        else:
            period = 2 * n
            index = torch.remainder(index, period)
            index = torch.where(index < n, index, period - 1 - index)
        return torch.index_select(x, axis, index)
    stat = {"maximum": torch.amax, "minimum": torch.amin}.get(mode)
    if stat is not None:
        value = stat(x, dim=axis, keepdim=True)
    elif mode == "mean":
        value = torch.mean(floats(x), dim=axis, keepdim=True)
        value = value if x.is_floating_point() else torch.round(value)
    else:  # median: NumPy averages the two middle values
        value = torch.quantile(x.to(torch.float64), 0.5, dim=axis, keepdim=True)
        value = value if x.is_floating_point() else torch.round(value)
    value = value.to(x.dtype)
    shape_b, shape_a = list(x.shape), list(x.shape)
    shape_b[axis], shape_a[axis] = before, after
    return torch.cat([value.expand(shape_b), x, value.expand(shape_a)], dim=axis)


@hookimpl
def pad(x, pad_width, mode="constant", constant_values=None):
    check_pad_args(mode, constant_values)
    x = convert_to_tensor(x)
    widths = np.broadcast_to(
        np.asarray(pad_width, dtype="int64").reshape((-1, 2) if np.size(pad_width) > 1 else (1, 1)),
        (x.dim(), 2),
    )
    if mode in ("constant", "empty"):
        flat = []
        for before, after in reversed(widths.tolist()):
            flat += [before, after]
        value = 0 if constant_values is None else _number(constant_values)
        wide = widen(x)
        return torch.nn.functional.pad(wide, flat, value=value).to(x.dtype)
    if mode == "linear_ramp":
        raise NotImplementedError(
            "pad: mode='linear_ramp' is not implemented by the torch backend."
        )
    for axis, (before, after) in enumerate(widths.tolist()):
        x = _pad_axis(x, axis, before, after, mode)
    return x


@hookimpl
def meshgrid(*x, indexing="xy"):
    xs = [convert_to_tensor(v).reshape(-1) for v in x]
    shape = [v.shape[0] for v in xs]
    grids = []
    for i, v in enumerate(xs):  # torch.meshgrid needs one dtype; NumPy keeps each
        view = [1] * len(xs)
        view[i] = -1
        grids.append(v.reshape(view).expand(shape))
    if indexing == "xy" and len(xs) >= 2:
        grids = [g.transpose(0, 1) for g in grids]
    return grids


@hookimpl
def ndim(x):
    return convert_to_tensor(x).dim()


@hookimpl
def size(x):
    return int(convert_to_tensor(x).numel())


@hookimpl
def tril(x, k=0):
    return torch.tril(convert_to_tensor(x), diagonal=k)


@hookimpl
def triu(x, k=0):
    return torch.triu(convert_to_tensor(x), diagonal=k)


@hookimpl
def diag(x, k=0):
    x = convert_to_tensor(x)
    return torch.diag(x, k)


@hookimpl
def diagflat(x, k=0):
    return torch.diagflat(convert_to_tensor(x), k)


@hookimpl
def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(convert_to_tensor(x), offset, axis1, axis2).clone()


@hookimpl
def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(accumulation_dtype(dtype_name(x.dtype)))
    return torch.sum(torch.diagonal(widen(x), offset, axis1, axis2), dim=-1).to(dtype)


def _indices(indices):
    indices = convert_to_tensor(indices)
    return indices.to(torch.int64)


@hookimpl
def take(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = axis % x.dim()
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(tuple(x.shape[:axis]) + tuple(indices.shape) + tuple(x.shape[axis + 1 :]))


@hookimpl
def take_along_axis(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    if axis is None:
        x, indices, axis = x.reshape(-1), indices.reshape(-1), 0
    axis = axis % x.dim()
    x_shape, i_shape = list(x.shape), list(indices.shape)
    x_shape[axis] = i_shape[axis] = 1
    batch = list(torch.broadcast_shapes(tuple(x_shape), tuple(i_shape)))
    x = x.expand(batch[:axis] + [x.shape[axis]] + batch[axis + 1 :])
    indices = indices.expand(batch[:axis] + [indices.shape[axis]] + batch[axis + 1 :])
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    return torch.gather(x, axis, indices)


@hookimpl
def nonzero(x):
    x = convert_to_tensor(x)
    return tuple(i.to(torch.int32) for i in torch.nonzero(widen(x), as_tuple=True))


@hookimpl
def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    out, rest = [], widen(indices).to(torch.int64)
    for dim in reversed(tuple(shape)):
        out.append(torch.remainder(rest, dim))
        rest = torch.div(rest, dim, rounding_mode="floor")
    return tuple(c.to(indices.dtype) for c in reversed(out))


@hookimpl
def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    return torch.isin(widen(x1), widen(x2), assume_unique=assume_unique, invert=invert)


@hookimpl
def sort(x, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    if x.dim() == 0:
        return x.clone()
    return torch.sort(widen(x), dim=axis, stable=True).values.to(x.dtype)


@hookimpl
def argsort(x, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    if x.dim() == 0:
        return torch.zeros((), dtype=torch.int32, device=x.device)
    return torch.argsort(widen(x), dim=axis, stable=True).to(torch.int32)


@hookimpl
def argpartition(x, kth, axis=-1):
    return argsort(x, axis=axis)


@hookimpl
def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = promote(sorted_sequence, values)
    return torch.searchsorted(widen(sorted_sequence), widen(values), right=side == "right").to(
        torch.int32
    )


@hookimpl
def digitize(x, bins):
    x, bins = promote(x, bins)
    x, bins = widen(x), widen(bins)
    if bins.numel() > 1 and bool(bins[0] > bins[-1]):  # decreasing bins
        flipped = torch.flip(bins, (0,))
        return (bins.numel() - torch.searchsorted(flipped, x, right=False)).to(torch.int32)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


@hookimpl
def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    data = x.to(torch.float64).reshape(-1)
    if range is None:
        lo = data.min().item() if data.numel() else 0.0
        hi = data.max().item() if data.numel() else 1.0
    else:
        lo, hi = float(range[0]), float(range[1])
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    edges = torch.linspace(lo, hi, bins + 1, dtype=torch.float64, device=x.device)
    inside = (data >= lo) & (data <= hi)
    index = torch.bucketize(data[inside], edges, right=True) - 1
    index = index.clamp(0, bins - 1)
    counts = torch.bincount(index, minlength=bins)
    return counts.to(torch.int32), edges.to(_float_result(x))


@hookimpl
def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the torch backend.")
    x = convert_to_tensor(x)
    if weights is None:
        dtype = torch.int32
    else:
        weights = convert_to_tensor(weights)
        dtype = to_torch_dtype(dtypes.result_type(x.dtype, weights.dtype))
    x = x.to(torch.int64)
    w = None if weights is None else weights.to(torch.float64)
    if x.dim() == 1:
        return torch.bincount(x, w, minlength).to(dtype)
    length = builtins.max(int(x.max()) + 1 if x.numel() else 0, minlength)
    rows = [torch.bincount(row, None if w is None else w[i], length) for i, row in enumerate(x)]
    if not rows:
        return torch.zeros((0, length), dtype=dtype, device=x.device)
    return torch.stack(rows).to(dtype)


def _fixed_length(values, axis, size, fill):
    """Truncates or pads `values` along `axis` to `size` entries."""
    values = values.narrow(axis, 0, builtins.min(size, values.shape[axis]))
    missing = size - values.shape[axis]
    if missing == 0:
        return values
    shape = list(values.shape)
    shape[axis] = missing
    padding = torch.full(shape, fill, dtype=values.dtype, device=values.device)
    return torch.cat([values, padding], dim=axis)


@hookimpl
def unique(x, sorted, return_index, return_inverse, return_counts, axis, size, fill_value):
    x = convert_to_tensor(x)
    work = widen(x)
    values, inverse, counts = torch.unique(
        work if axis is not None else work.reshape(-1),
        sorted=True,
        return_inverse=True,
        return_counts=True,
        dim=axis,
    )
    value_axis = 0 if axis is None else axis % x.dim()
    positions = torch.arange(inverse.numel(), device=x.device)
    index = torch.full(
        (counts.numel(),), inverse.numel(), dtype=torch.int64, device=x.device
    ).scatter_reduce(0, inverse.reshape(-1), positions, "amin")
    if not sorted:  # order of first occurrence
        order = torch.argsort(index, stable=True)
        values = torch.index_select(values, value_axis, order)
        index, counts = index[order], counts[order]
        inverse = torch.argsort(order)[inverse]
    inverse = inverse.reshape(tuple(x.shape) if axis is None else (x.shape[value_axis],))
    if size is not None:
        values = _fixed_length(values, value_axis, size, 0 if fill_value is None else fill_value)
        index, counts = _fixed_length(index, 0, size, 0), _fixed_length(counts, 0, size, 0)
    values = values.to(x.dtype)
    extras = [
        a.to(torch.int32)
        for a, wanted in ((index, return_index), (inverse, return_inverse), (counts, return_counts))
        if wanted
    ]
    return tuple([values] + extras) if extras else values


# --------------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------------


def _product_operands(x1, x2):
    """Promoted operands in a dtype torch multiplies in, and the result dtype."""
    x1, x2 = promote(x1, x2)
    dtype = x1.dtype
    compute = torch.int64 if dtype == torch.bool or dtype in NARROW_UNSIGNED else dtype
    return x1.to(compute), x2.to(compute), dtype


@hookimpl
def dot(x1, x2):
    x1, x2, dtype = _product_operands(x1, x2)
    if x1.dim() == 0 or x2.dim() == 0:
        out = x1 * x2
    elif x2.dim() == 1:
        out = torch.tensordot(x1, x2, dims=([-1], [0]))
    else:
        out = torch.tensordot(x1, x2, dims=([-1], [-2]))
    return out.to(dtype) if dtype != torch.bool else out.bool()


@hookimpl
def inner(x1, x2):
    x1, x2, dtype = _product_operands(x1, x2)
    out = x1 * x2 if x1.dim() == 0 or x2.dim() == 0 else torch.tensordot(x1, x2, dims=([-1], [-1]))
    return out.to(dtype)


@hookimpl
def outer(x1, x2):
    x1, x2, dtype = _product_operands(x1, x2)
    return torch.outer(x1.reshape(-1), x2.reshape(-1)).to(dtype)


@hookimpl
def vdot(x1, x2):
    x1, x2, dtype = _product_operands(x1, x2)
    return torch.sum(torch.conj(x1.reshape(-1)) * x2.reshape(-1)).to(dtype)


@hookimpl
def tensordot(x1, x2, axes=2):
    x1, x2, dtype = _product_operands(x1, x2)
    if isinstance(axes, (list, tuple)):
        axes = [list(a) if isinstance(a, (list, tuple)) else [a] for a in axes]
    return torch.tensordot(x1, x2, dims=axes).to(dtype)


@hookimpl
def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    names = {dtype_name(x.dtype) for x in operands}
    dtype = "int32" if names == {"int8"} else dtypes.result_type(*names)
    compute = to_torch_dtype(dtype)
    compute = torch.int64 if compute in NARROW_UNSIGNED or compute == torch.bool else compute
    return torch.einsum(subscripts, *[x.to(compute) for x in operands]).to(to_torch_dtype(dtype))


def _as_3_vectors(x):
    """Pads 2-vectors (last axis) with a zero z component."""
    if x.shape[-1] == 2:
        return torch.cat([x, torch.zeros_like(x[..., :1])], dim=-1)
    return x


@hookimpl
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2, dtype = _product_operands(x1, x2)
    x1, x2 = torch.movedim(x1, axisa, -1), torch.movedim(x2, axisb, -1)
    a, b = torch.broadcast_tensors(_as_3_vectors(x1), _as_3_vectors(x2))
    result = torch.linalg.cross(a, b, dim=-1)
    if x1.shape[-1] == 2 and x2.shape[-1] == 2:
        return result[..., 2].to(dtype)
    return torch.movedim(result, -1, axisc).to(dtype)


@hookimpl
def kron(x1, x2):
    x1, x2, dtype = _product_operands(x1, x2)
    return torch.kron(x1, x2).to(dtype)


@hookimpl
def correlate(x1, x2, mode="valid"):
    dtype, compute = correlate_dtypes(
        dtypes.result_type(dtype_of(_operand(x1)), dtype_of(_operand(x2)))
    )
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    check_correlate_ranks(x1.shape, x2.shape)
    compute = to_torch_dtype(compute)
    n, m = x1.shape[0], x2.shape[0]
    full_ = (
        torch.nn.functional.conv1d(
            x1.to(compute)[None, None], x2.to(compute)[None, None], padding=m - 1
        )[0, 0]
        if n >= m
        else torch.flip(
            torch.nn.functional.conv1d(
                x2.to(compute)[None, None], x1.to(compute)[None, None], padding=n - 1
            )[0, 0],
            (0,),
        )
    )
    if mode == "full":
        out = full_
    elif mode == "same":
        length = builtins.max(n, m)
        start = (full_.shape[0] - length) // 2 + ((full_.shape[0] - length) % 2 and n < m)
        out = full_[start : start + length]
    else:
        out = full_[builtins.min(n, m) - 1 : builtins.max(n, m)]
    return out.to(to_torch_dtype(dtype))


@hookimpl
def corrcoef(x):
    x = convert_to_tensor(x)
    name = dtype_name(x.dtype)
    dtype = "float64" if name == "int64" else dtypes.result_type(name, float)
    return torch.corrcoef(x.to(torch.float64)).to(to_torch_dtype(dtype))


@hookimpl
def diff(a, n=1, axis=-1):
    a = convert_to_tensor(a)
    if a.dtype == torch.bool:
        for _ in range(n):
            a = torch.logical_xor(
                a.narrow(axis, 1, a.shape[axis] - 1), a.narrow(axis, 0, a.shape[axis] - 1)
            )
        return a
    return torch.diff(widen(a), n=n, dim=axis).to(a.dtype)


@hookimpl
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = convert_to_tensor(y)
    dtype = _float_result(y)
    y = y.to(torch.float64)
    if x is None:
        out = torch.trapezoid(y, dx=float(dx), dim=axis)
    else:
        out = torch.trapezoid(y, convert_to_tensor(x).to(torch.float64), dim=axis)
    return out.to(dtype)


@hookimpl
def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    compute = to_torch_dtype(dtypes.result_type(x.dtype, floatx()))
    out = torch.linalg.vander(x.to(compute), N=N)
    if not increasing:
        out = torch.flip(out, (-1,))
    return out.to(x.dtype)


def _window_length(x):
    return int(convert_to_tensor(x))


def _cosine_window(coefficients):
    def window(x):
        n = _window_length(x)
        if n == 1:
            return torch.ones(1, dtype=to_torch_dtype(floatx()), device=DEVICE)
        k = torch.arange(n, dtype=torch.float64, device=DEVICE)
        out = torch.zeros(n, dtype=torch.float64, device=DEVICE)
        for i, c in enumerate(coefficients):
            out = out + c * torch.cos(2 * pymath.pi * i * k / (n - 1))
        return out.to(to_torch_dtype(floatx()))

    return window


@hookimpl
def bartlett(x):
    n = _window_length(x)
    k = torch.arange(n, dtype=torch.float64, device=DEVICE)
    out = 1 - torch.abs(2 * k / (n - 1) - 1) if n > 1 else torch.ones(n, dtype=torch.float64)
    return out.to(to_torch_dtype(floatx()))


blackman = hookimpl(_cosine_window((0.42, -0.5, 0.08)))
hamming = hookimpl(_cosine_window((0.54, -0.46)))
hanning = hookimpl(_cosine_window((0.5, -0.5)))


@hookimpl
def kaiser(x, beta):
    n = _window_length(x)
    if n == 1:
        return torch.ones(1, dtype=to_torch_dtype(floatx()), device=DEVICE)
    k = torch.arange(n, dtype=torch.float64, device=DEVICE)
    alpha = (n - 1) / 2.0
    ratio = (k - alpha) / alpha
    beta = torch.tensor(float(beta), dtype=torch.float64, device=DEVICE)
    out = torch.special.i0(
        beta * torch.sqrt(torch.clamp(1 - ratio * ratio, min=0))
    ) / torch.special.i0(beta)
    return out.to(to_torch_dtype(floatx()))


# --------------------------------------------------------------------------------------------
# Element-wise math
# --------------------------------------------------------------------------------------------

sqrt = hookimpl(unary_float(torch.sqrt))
cbrt = hookimpl(
    unary_float(lambda x: torch.sign(x) * torch.pow(torch.abs(x), 1.0 / 3.0), wide_int64=True)
)
reciprocal = hookimpl(unary_float(torch.reciprocal))
exp = hookimpl(unary_float(torch.exp))
exp2 = hookimpl(unary_float(torch.exp2))
expm1 = hookimpl(unary_float(torch.expm1))
log = hookimpl(unary_float(torch.log))
log10 = hookimpl(unary_float(torch.log10))
log1p = hookimpl(unary_float(torch.log1p))
log2 = hookimpl(unary_float(torch.log2))
sin = hookimpl(unary_float(torch.sin))
cos = hookimpl(unary_float(torch.cos))
tan = hookimpl(unary_float(torch.tan))
arcsin = hookimpl(unary_float(torch.arcsin))
arccos = hookimpl(unary_float(torch.arccos))
arctan = hookimpl(unary_float(torch.arctan))
sinh = hookimpl(unary_float(torch.sinh))
cosh = hookimpl(unary_float(torch.cosh))
tanh = hookimpl(unary_float(torch.tanh))
arcsinh = hookimpl(unary_float(torch.arcsinh))
arccosh = hookimpl(unary_float(torch.arccosh))
arctanh = hookimpl(unary_float(torch.arctanh))
deg2rad = hookimpl(unary_float(torch.deg2rad, wide_int64=True))
rad2deg = hookimpl(unary_float(torch.rad2deg, wide_int64=True))
floor = hookimpl(unary_float(torch.floor))
ceil = hookimpl(unary_float(torch.ceil))


@hookimpl
def angle(x):
    x = floats(x)
    if x.is_complex():
        return torch.angle(x)
    return torch.where(x < 0, torch.full_like(x, pymath.pi), torch.zeros_like(x))


def _logaddexp2(a, b):
    return torch.logaddexp2(a, b)


def _heaviside(a, b):
    return torch.where(a < 0, torch.zeros_like(a), torch.where(a > 0, torch.ones_like(a), b))


logaddexp = hookimpl(binary(torch.logaddexp, float_dtype))
logaddexp2 = hookimpl(binary(_logaddexp2, float_dtype))
arctan2 = hookimpl(binary(torch.arctan2, float_dtype))
hypot = hookimpl(binary(torch.hypot, wide_float_dtype))
heaviside = hookimpl(binary(_heaviside, wide_float_dtype))
divide = hookimpl(binary(torch.true_divide, float_dtype))
true_divide = hookimpl(binary(torch.true_divide, float_dtype))
maximum = hookimpl(binary(torch.maximum))
minimum = hookimpl(binary(torch.minimum))


def _power(a, b):
    if a.dtype == torch.bool and b.dtype == torch.bool:  # (the fast path passes mixed pairs)
        return torch.logical_or(a, torch.logical_not(b))
    return torch.pow(a, b)


def _floor_divide(a, b):
    if a.dtype == torch.bool and b.dtype == torch.bool:
        return a & b
    if a.is_floating_point():
        return torch.div(a, b, rounding_mode="floor")
    # NumPy gives 0 for an integer division by zero where torch raises.
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return torch.where(b == 0, torch.zeros_like(a), torch.div(a, safe, rounding_mode="floor"))


def _mod(a, b):
    if a.is_floating_point():
        return torch.remainder(a, b)
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return torch.where(b == 0, torch.zeros_like(a), torch.remainder(a, safe))


power = hookimpl(binary(_power))
floor_divide = hookimpl(binary(_floor_divide))
mod = hookimpl(binary(_mod, numeric_dtype))
gcd = hookimpl(binary(torch.gcd))
lcm = hookimpl(binary(torch.lcm))


def compare(fn):
    """Wraps a torch comparison: operands promoted as Keras 3 does, `bool` result."""

    def op(x1, x2):
        x1, x2 = promote(x1, x2)
        return fn(widen(x1), widen(x2))

    return op


equal = hookimpl(compare(torch.eq))
not_equal = hookimpl(compare(torch.ne))
greater = hookimpl(compare(torch.gt))
greater_equal = hookimpl(compare(torch.ge))
less = hookimpl(compare(torch.lt))
less_equal = hookimpl(compare(torch.le))
logical_and = hookimpl(compare(torch.logical_and))
logical_or = hookimpl(compare(torch.logical_or))
logical_xor = hookimpl(compare(torch.logical_xor))


def _xy(fn):
    """Renames the operands of a binary op to `x, y` (the bitwise ops' parameter names)."""

    def op(x, y):
        return fn(x, y)

    return op


def _shift(fn):
    def op(a, b):
        bits = torch.iinfo(a.dtype).bits if a.dtype != torch.bool else 1
        out = fn(a, b.clamp(0, 63))
        return torch.where((b >= bits) | (b < 0), torch.zeros_like(out), out)

    return op


bitwise_and = hookimpl(_xy(binary(torch.bitwise_and)))
bitwise_or = hookimpl(_xy(binary(torch.bitwise_or)))
bitwise_xor = hookimpl(_xy(binary(torch.bitwise_xor)))
bitwise_left_shift = hookimpl(_xy(binary(_shift(torch.bitwise_left_shift))))
left_shift = hookimpl(_xy(binary(_shift(torch.bitwise_left_shift))))
bitwise_right_shift = hookimpl(_xy(binary(torch.bitwise_right_shift)))
right_shift = hookimpl(_xy(binary(torch.bitwise_right_shift)))


@hookimpl
def divide_no_nan(x1, x2):
    x1, x2 = promote(x1, x2)
    dtype = to_torch_dtype(float_dtype(x1.dtype))
    x1, x2 = x1.to(dtype), x2.to(dtype)
    return torch.where(x2 == 0, torch.zeros((), dtype=dtype, device=x1.device), x1 / x2)


def _same_dtype_unary(fn):
    def op(x):
        x = convert_to_tensor(x)
        return fn(widen(x)).to(x.dtype)

    return op


abs = hookimpl(_same_dtype_unary(lambda x: x if x.dtype == torch.bool else torch.abs(x)))
absolute = hookimpl(_same_dtype_unary(lambda x: x if x.dtype == torch.bool else torch.abs(x)))
negative = hookimpl(_same_dtype_unary(torch.negative))
sign = hookimpl(_same_dtype_unary(lambda x: x.clone() if x.dtype == torch.bool else torch.sgn(x)))


@hookimpl
def signbit(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool or x.dtype in NARROW_UNSIGNED or x.dtype == torch.uint8:
        return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
    return torch.signbit(x)


@hookimpl
def square(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return (widen(x) * widen(x)).to(x.dtype)


@hookimpl
def round(x, decimals=0):
    x = convert_to_tensor(x)
    if x.is_floating_point():
        return torch.round(x, decimals=decimals)
    if decimals >= 0 or x.dtype == torch.bool:
        return x.clone()
    factor = 10 ** (-decimals)
    return (torch.round(widen(x).to(torch.float64) / factor) * factor).to(x.dtype)


@hookimpl
def trunc(x):
    x = convert_to_tensor(x)
    return torch.trunc(x) if x.is_floating_point() else x.clone()


@hookimpl
def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    dtype = torch.int32 if x.dtype == torch.bool else x.dtype
    work = widen(x.to(dtype))
    low = None if x_min is None else convert_to_tensor(x_min).to(work.dtype)
    high = None if x_max is None else convert_to_tensor(x_max).to(work.dtype)
    return torch.clamp(work, low, high).to(dtype)


@hookimpl
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    if not (x1.is_floating_point() or x1.is_complex()):
        x1, x2 = x1.to(torch.float64), x2.to(torch.float64)
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _float_predicate(fn, for_ints):
    def op(x):
        x = convert_to_tensor(x)
        if x.is_floating_point() or x.is_complex():
            return fn(x)
        return torch.full(x.shape, for_ints, dtype=torch.bool, device=x.device)

    return op


isfinite = hookimpl(_float_predicate(torch.isfinite, True))
isinf = hookimpl(_float_predicate(torch.isinf, False))
isnan = hookimpl(_float_predicate(torch.isnan, False))
isneginf = hookimpl(_float_predicate(torch.isneginf, False))
isposinf = hookimpl(_float_predicate(torch.isposinf, False))


@hookimpl
def isreal(x):
    x = convert_to_tensor(x)
    return torch.isreal(x)


@hookimpl
def logical_not(x):
    return torch.logical_not(convert_to_tensor(x))


@hookimpl
def bitwise_invert(x):
    return torch.bitwise_not(convert_to_tensor(x))


@hookimpl
def bitwise_not(x):
    return torch.bitwise_not(convert_to_tensor(x))


@hookimpl
def where(condition, x1=None, x2=None):
    condition = convert_to_tensor(condition)
    if x1 is None and x2 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    return torch.where(condition.to(torch.bool), x1, x2)


@hookimpl
def select(condlist, choicelist, default=0):
    *choicelist, default = promote(*choicelist, default)
    out = default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = torch.where(convert_to_tensor(cond).to(torch.bool), choice, out)
    shape = torch.broadcast_shapes(
        *[convert_to_tensor(c).shape for c in condlist],
        *[c.shape for c in choicelist],
        default.shape,
    )
    return torch.broadcast_to(out, shape).clone()


@hookimpl
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        return x.clone()
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@hookimpl
def real(x):
    x = convert_to_tensor(x)
    return torch.real(x).clone() if x.is_complex() else x.clone()


@hookimpl
def imag(x):
    x = convert_to_tensor(x)
    return torch.imag(x).clone() if x.is_complex() else torch.zeros_like(x)


@hookimpl
def conj(x):
    x = convert_to_tensor(x)
    return torch.conj(x).resolve_conj() if x.is_complex() else x.clone()


@hookimpl
def conjugate(x):
    return conj(x)


# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------


def _flatten_dims(x, keep, dims):
    """`x` with the `keep` axes first and the reduced `dims` flattened into the last one."""
    if not x.dim():
        return x.reshape(1)
    size = int(np.prod([x.shape[d] for d in dims], dtype=np.int64))
    return x.permute(keep + list(dims)).reshape([x.shape[d] for d in keep] + [size])


def _extreme(x, axis, keepdims, initial, fn, bool_fn):
    x = convert_to_tensor(x)
    work = widen(x)
    if initial is not None:
        dims = _dims(axis, x.dim())
        keep = [d for d in range(x.dim()) if d not in dims]
        moved = _flatten_dims(work, keep, dims)
        fill = torch.full(moved.shape[:-1] + (1,), initial, dtype=work.dtype, device=x.device)
        out = fn(torch.cat([moved, fill], dim=-1), dim=-1)
        if keepdims:
            out = out.reshape([1 if d in dims else x.shape[d] for d in range(x.dim())])
        return out.to(x.dtype)
    if x.dtype == torch.bool:
        return _reduce(bool_fn, x, axis, keepdims)
    return _reduce(fn, work, axis, keepdims).to(x.dtype)


def _all_or_any(fn):
    def reduce_bool(x, dim, keepdim):
        if isinstance(dim, tuple):
            for d in sorted(dim, reverse=True):
                x = fn(x, dim=d, keepdim=keepdim)
            return x
        return fn(x, dim=dim, keepdim=keepdim)

    return reduce_bool


_ALL = _all_or_any(torch.all)
_ANY = _all_or_any(torch.any)


@hookimpl
def max(x, axis=None, keepdims=False, initial=None):
    return _extreme(x, axis, keepdims, initial, torch.amax, _ANY)


@hookimpl
def min(x, axis=None, keepdims=False, initial=None):
    return _extreme(x, axis, keepdims, initial, torch.amin, _ALL)


@hookimpl
def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


@hookimpl
def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def _prod_dims(x, dim, keepdim, dtype=None):
    for d in sorted(dim if isinstance(dim, tuple) else (dim,), reverse=True):
        x = torch.prod(x, dim=d, keepdim=keepdim)
    return x


@hookimpl
def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtype or accumulation_dtype(dtype_name(x.dtype)))
    return _reduce(_prod_dims, widen(x).to(compute_dtype(dtype)), axis, keepdims).to(dtype)


def _moment(x, axis, keepdims, take_root):
    x = convert_to_tensor(x)
    out = to_torch_dtype(float_dtype(x.dtype))
    compute = out if out in (torch.float64,) or out.is_complex else torch.float32
    if out == torch.float64 or x.dtype in (torch.int64,):
        compute = torch.float64
    work = x.to(compute)
    centred = work - _reduce(torch.mean, work, axis, True)
    result = _reduce(
        torch.mean,
        (centred * torch.conj(centred)).real if work.is_complex() else centred * centred,
        axis,
        keepdims,
    )
    result = torch.sqrt(result) if take_root else result
    return result.to(out if not out.is_complex else result.dtype)


@hookimpl
def std(x, axis=None, keepdims=False):
    return _moment(x, axis, keepdims, True)


@hookimpl
def var(x, axis=None, keepdims=False):
    return _moment(x, axis, keepdims, False)


@hookimpl
def all(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return _reduce(_ALL, x.to(torch.bool), axis, keepdims)


@hookimpl
def any(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return _reduce(_ANY, x.to(torch.bool), axis, keepdims)


def _arg_extreme(fn, x, axis, keepdims):
    x = widen(convert_to_tensor(x))
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if axis is None:
        out = fn(x.reshape(-1))
        if keepdims:
            out = out.reshape((1,) * x.dim())
        return out.to(torch.int32)
    return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)


@hookimpl
def argmax(x, axis=None, keepdims=False):
    return _arg_extreme(torch.argmax, x, axis, keepdims)


@hookimpl
def argmin(x, axis=None, keepdims=False):
    return _arg_extreme(torch.argmin, x, axis, keepdims)


def _weights_like(x, weights, axis):
    """`weights` broadcast to x's shape: given with it, or 1-D along a single `axis` (the op's
    `_check_average` has checked which)."""
    if weights.dim() == x.dim():
        return weights
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    shape = [1] * x.dim()
    shape[axes[0]] = -1
    return torch.broadcast_to(weights.reshape(shape), x.shape)


@hookimpl
def average(x, axis=None, weights=None):
    given = [x] if weights is None else [x, weights]
    dtype = _float_result(*given)
    x = convert_to_tensor(x, dtype=dtype)
    if weights is None:
        return _reduce(torch.mean, x, axis, False)
    weights = _weights_like(x, convert_to_tensor(weights, dtype=dtype), axis)
    total = _reduce(torch.sum, x * weights, axis, False)
    return total / _reduce(torch.sum, weights, axis, False)


def _quantile(x, q, axis, keepdims, method):
    """`torch.quantile` over several axes (moved last and flattened), computed in float64."""
    dims = _dims(axis, x.dim())
    keep = [d for d in range(x.dim()) if d not in dims]
    work = x.to(torch.float64)
    moved = _flatten_dims(work, keep, dims)
    out = torch.quantile(moved, q.to(torch.float64), dim=-1, interpolation=method)
    if keepdims:
        shape = [1 if d in dims else x.shape[d] for d in range(x.dim())]
        out = out.reshape(tuple(q.shape) + tuple(shape))
    return out.to(x.dtype)


@hookimpl
def median(x, axis=None, keepdims=False):
    x = floats(x)
    return _quantile(x, torch.tensor(0.5, device=x.device), axis, keepdims, "linear")


@hookimpl
def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = floats(x)
    return _quantile(x, convert_to_tensor(q), axis, keepdims, method)


@hookimpl
def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    return _reduce(torch.sum, (widen(x) != 0).to(torch.int64), axis, False).to(torch.int32)


def _cumulative(fn, x, axis, dtype):
    """Runs `torch.cumsum`/`torch.cumprod` in `dtype`, else x's dtype (`bool` as `int32`)."""
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtype) if dtype is not None else x.dtype
    dtype = torch.int32 if dtype == torch.bool else dtype
    if axis is None:
        x, axis = x.reshape(-1), 0
    return fn(widen(x).to(compute_dtype(dtype)), dim=axis).to(dtype)


@hookimpl
def cumsum(x, axis=None, dtype=None):
    return _cumulative(torch.cumsum, x, axis, dtype)


@hookimpl
def cumprod(x, axis=None, dtype=None):
    return _cumulative(torch.cumprod, x, axis, dtype)


# --------------------------------------------------------------------------------------------
# Issue 15 ops with a torch kernel (the others use the core defaults)
# --------------------------------------------------------------------------------------------


def _wide_floats(x):
    """`x` as floats to compute in (at least float32) and the torch dtype to return."""
    x = floats(x)
    compute = torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype
    return x.to(compute), x.dtype


@hookimpl
def fabs(x):
    return torch.abs(floats(x))


fmax = hookimpl(binary(torch.fmax))
fmin = hookimpl(binary(torch.fmin))


def _fmod(x1, x2):
    if x1.is_floating_point():
        return torch.fmod(x1, x2)
    zero = x2 == 0  # torch raises on an integer division by zero; NumPy gives 0
    return torch.where(
        zero, torch.zeros_like(x1), torch.fmod(x1, torch.where(zero, torch.ones_like(x2), x2))
    )


fmod = hookimpl(binary(_fmod, numeric_dtype))


@hookimpl
def i0(x):
    x, out = _wide_floats(x)
    return torch.special.i0(x).to(out)


@hookimpl
def sinc(x):
    x, out = _wide_floats(x)
    return torch.sinc(x).to(out)


@hookimpl
def ldexp(x1, x2):
    x2 = convert_to_tensor(x2)
    if x2.is_floating_point() or x2.is_complex():
        raise TypeError(
            f"ldexp: the exponent `x2` must be an integer tensor, received dtype "
            f"{dtype_name(x2.dtype)}."
        )
    x1, out = _wide_floats(x1)
    return torch.ldexp(x1, widen(x2).to(torch.int32)).to(out)


@hookimpl
def nextafter(x1, x2):
    dtype = _float_result(x1, x2)
    if dtype not in (torch.float32, torch.float64):  # no half-precision kernel
        from unikeras.backend.api import numpy_defaults as defaults

        return defaults.nextafter(x1, x2)
    return torch.nextafter(convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype))


@hookimpl
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return torch.all(isclose(x1, x2, rtol, atol, equal_nan))


@hookimpl
def slogdet(x):
    x, out = _wide_floats(x)
    sign, logabsdet = torch.linalg.slogdet(x)
    return sign.to(out), logabsdet.to(out)


@hookimpl
def nansum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(accumulation_dtype(dtype_name(x.dtype)))
    if not x.is_floating_point():
        return _reduce(torch.sum, widen(x), axis, keepdims).to(dtype)
    return _reduce(torch.nansum, x, axis, keepdims).to(dtype)


@hookimpl
def nanmean(x, axis=None, keepdims=False):
    x, out = _wide_floats(x)
    return _reduce(torch.nanmean, x, axis, keepdims).to(out)


def _nan_quantile(x, q, axis, keepdims, method):
    """`torch.nanquantile` over several axes (moved last and flattened), in float64."""
    x, out = _wide_floats(x)
    dims = _dims(axis, x.dim())
    keep = [d for d in range(x.dim()) if d not in dims]
    moved = _flatten_dims(x.to(torch.float64), keep, dims)
    q = convert_to_tensor(q).to(torch.float64)
    result = torch.nanquantile(moved, q, dim=-1, interpolation=method)
    if keepdims:
        shape = [1 if d in dims else x.shape[d] for d in range(x.dim())]
        result = result.reshape(tuple(q.shape) + tuple(shape))
    return result.to(out)


@hookimpl
def nanmedian(x, axis=None, keepdims=False):
    return _nan_quantile(x, 0.5, axis, keepdims, "linear")


@hookimpl
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _nan_quantile(x, q, axis, keepdims, method)


@hookimpl
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _nan_quantile(x, convert_to_tensor(q).to(torch.float64) / 100, axis, keepdims, method)


# --------------------------------------------------------------------------------------------
# Fast entries (`unikeras.backend.api.fast_entry`): for two tensors (exactly `torch.Tensor`)
# of one of these dtypes, torch's own function returns the op's result (an equal dtype stays
# that dtype under Keras 3 promotion), so the public op calls it without entering the
# implementation. Not uint16/32/64 (few kernels, see `compute_dtype`); division and matmul
# serve floats only (ints divide to `floatx()`; small ints multiply into int32).
# --------------------------------------------------------------------------------------------

_FAST_INTS = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)
_FAST_NUMBERS = (*_FLOATS, *_FAST_INTS)
for _name, _fn, _dtypes in (
    ("add", torch.add, (*_FAST_NUMBERS, torch.bool)),
    ("subtract", torch.sub, _FAST_NUMBERS),  # (torch.sub/mul/div: the shorter dispatch)
    ("multiply", torch.mul, (*_FAST_NUMBERS, torch.bool)),
    ("maximum", torch.maximum, (*_FAST_NUMBERS, torch.bool)),
    ("minimum", torch.minimum, (*_FAST_NUMBERS, torch.bool)),
    ("divide", torch.div, _FLOATS),
    ("true_divide", torch.div, _FLOATS),
    ("matmul", torch.matmul, _FLOATS),
):
    fast_entry(torch.Tensor, _dtypes, _fn)(globals()[_name])
