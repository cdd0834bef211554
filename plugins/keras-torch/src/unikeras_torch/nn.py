"""PyTorch backend: neural-network ops (`keras.ops.nn`).

Convolutions and pooling run through `torch.nn.functional` in channels_first layout; Keras
kernels `(*window, in, out)` are permuted to torch's `(out, in, *window)`. Integer inputs
(which torch's CPU kernels lack) compute in float64 and are cast back.
"""

import math

import torch
import torch.nn.functional as F

from unikeras.backend.api import Variable as BaseVariable, dtypes
from unikeras.backend.common.array_args import (
    check_attention_shapes,
    check_ctc_loss_shapes,
    check_ctc_strategy,
)
from unikeras.backend.common.axes import canonical_axes
from unikeras.backend.common.conv_args import (
    check_rank,
    pair,
    same_padding,
    spatial_tuple,
    transpose_padding,
)
from unikeras.backend.common.shape_rules import check_no_sparse
from unikeras.backend.api import epsilon as _epsilon, floatx, hookimpl, standardize_data_format
from unikeras.backend.api import table
from unikeras_torch.convert import convert_to_tensor, dtype_name, to_torch_dtype
from unikeras_torch.numpy import promote

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _float(x):
    """`x` as a tensor; integer and bool inputs become `floatx()`."""
    x = convert_to_tensor(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(to_torch_dtype(floatx()))
    return x


def _in_float32(fn, x, *others):
    """Runs `fn` in at least float32 and casts the result back to the dtype of `x`."""
    x = convert_to_tensor(x)
    compute = to_torch_dtype(dtypes.result_type(x.dtype, "float32"))
    others = [None if o is None else convert_to_tensor(o, dtype=compute) for o in others]
    return fn(x.to(compute), *others).to(x.dtype)


def _kernel_dtype(dtype):
    """The dtype torch's conv/pool kernels run in for `dtype` (and the one to cast back to)."""
    if dtype in (torch.float32, torch.float64):
        return dtype
    if dtype.is_floating_point:
        return torch.float32
    return torch.float64


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@hookimpl
def relu(x):
    if x.__class__ is torch.Tensor and x.dtype is not torch.bool:  # a layer's activation
        return torch.relu(x)
    x = convert_to_tensor(x)
    # torch.relu's threshold backward is one kernel; clamp's costs a comparison and a where.
    return torch.relu(x) if x.dtype != torch.bool else x.clone()


@hookimpl
def relu6(x):
    x = convert_to_tensor(x)
    return torch.clamp(x, 0, 6)


@hookimpl
def sigmoid(x):
    return torch.sigmoid(_float(x))


@hookimpl
def sparse_sigmoid(x):
    return torch.clamp((_float(x) + 1) * 0.5, 0, 1)


@hookimpl
def softplus(x):
    x = _float(x)
    return torch.logaddexp(x, torch.zeros((), dtype=x.dtype, device=x.device))


@hookimpl
def softsign(x):
    return F.softsign(_float(x))


@hookimpl
def soft_shrink(x, threshold=0.5):
    x = _float(x)
    return torch.where(
        x > threshold,
        x - threshold,
        torch.where(x < -threshold, x + threshold, torch.zeros_like(x)),
    )


@hookimpl
def sparse_plus(x):
    x = _float(x)
    middle = 0.25 * torch.square(x + 1)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, middle, x))


@hookimpl
def silu(x):
    return F.silu(_float(x))


@hookimpl
def squareplus(x, b=4):
    x = _float(x)
    return (x + torch.sqrt(torch.square(x) + b)) / 2


@hookimpl
def log_sigmoid(x):
    return F.logsigmoid(_float(x))


@hookimpl
def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return torch.where(x >= 0, x, negative_slope * x)


@hookimpl
def hard_sigmoid(x):
    x = _float(x)
    return torch.clamp(x / 6 + 0.5, 0, 1)


@hookimpl
def hard_silu(x):
    x = _float(x)
    return x * hard_sigmoid(x)


@hookimpl
def elu(x, alpha=1.0):
    x = _float(x)
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0)))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@hookimpl
def selu(x):
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


@hookimpl
def gelu(x, approximate=True):
    x = _float(x)
    return F.gelu(x, approximate="tanh" if approximate else "none")


@hookimpl
def celu(x, alpha=1.0):
    x = _float(x)
    return torch.clamp(x, min=0) + alpha * torch.expm1(torch.clamp(x, max=0) / alpha)


@hookimpl
def glu(x, axis=-1):
    x = _float(x)
    a, b = torch.chunk(x, 2, dim=axis)
    return a * torch.sigmoid(b)


@hookimpl
def tanh_shrink(x):
    x = _float(x)
    return x - torch.tanh(x)


@hookimpl
def hard_tanh(x):
    return torch.clamp(_float(x), -1, 1)


@hookimpl
def hard_shrink(x, threshold=0.5):
    x = _float(x)
    return torch.where(torch.abs(x) > threshold, x, torch.zeros_like(x))


@hookimpl
def threshold(x, threshold, default_value):
    x = _float(x)
    return torch.where(x > threshold, x, torch.full_like(x, default_value))


def _logsumexp(x, axis):
    peak = torch.amax(x, dim=axis, keepdim=True)
    peak = torch.where(torch.isfinite(peak), peak, torch.zeros_like(peak))
    return torch.log(torch.sum(torch.exp(x - peak), dim=axis, keepdim=True)) + peak


@hookimpl
def softmax(x, axis=-1):
    x = _float(x)
    if x.dim() == 0:
        return torch.ones_like(x)
    axis = canonical_axes(axis, x.dim()) if axis is not None else tuple(range(x.dim()))
    if len(axis) == 1:
        return torch.softmax(x, axis[0])
    e = torch.exp(x - torch.amax(x, dim=axis, keepdim=True))
    return e / torch.sum(e, dim=axis, keepdim=True)


@hookimpl
def log_softmax(x, axis=-1):
    x = _float(x)
    if x.dim() == 0:
        return torch.zeros_like(x)
    axis = canonical_axes(axis, x.dim()) if axis is not None else tuple(range(x.dim()))
    if len(axis) == 1:
        return torch.log_softmax(x, axis[0])
    return x - _logsumexp(x, axis)


@hookimpl
def sparsemax(x, axis=-1):
    x = torch.movedim(_float(x), axis, -1)
    z = torch.sort(x, dim=-1, descending=True).values
    k = torch.arange(1, x.shape[-1] + 1, dtype=x.dtype, device=x.device)
    cumsum = torch.cumsum(z, dim=-1)
    support = z * k > cumsum - 1
    k_z = torch.sum(support, dim=-1, keepdim=True)
    tau = (torch.gather(cumsum, -1, torch.clamp(k_z - 1, min=0)) - 1) / torch.clamp(k_z, min=1).to(
        x.dtype
    )
    return torch.movedim(torch.clamp(x - tau, min=0), -1, axis)


# --------------------------------------------------------------------------------------------
# Pooling and convolutions (channels_first internally)
# --------------------------------------------------------------------------------------------


def _channels_first(x, data_format):
    return x if data_format == "channels_first" else torch.movedim(x, -1, 1)


def _restore_format(x, data_format):
    return x if data_format == "channels_first" else torch.movedim(x, 1, -1)


def pad_spatial(x, windows, strides, padding, value=0.0):
    """Pads the spatial axes of a channels_first `x` for `padding` ("valid" or "same")."""
    padding = padding.lower()
    if padding == "valid":
        return x
    if padding != "same":
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    pads = []
    for size, w, st in reversed(list(zip(x.shape[2:], windows, strides))):
        pads += list(same_padding(size, w, st))
    return F.pad(x, pads, value=value)


# torch's own functions: `F.max_pool*` add a Python wrapper (return_indices dispatch).
_MAX_POOLS = {1: torch.max_pool1d, 2: torch.max_pool2d, 3: torch.max_pool3d}
_AVG_POOLS = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _pool_setup(op, inputs, pool_size, strides, data_format):
    x = convert_to_tensor(inputs)
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    n = x.dim() - 2
    pool_size = spatial_tuple(pool_size, n, "pool_size", op)
    strides = spatial_tuple(strides, n, "strides", op) or pool_size
    return _channels_first(x, data_format), n, pool_size, strides, data_format


def _empty_pool(x, pool_size, strides):
    """The output of a pool whose window does not fit (no output positions)."""
    sizes = [max((s - w) // st + 1, 0) for s, w, st in zip(x.shape[2:], pool_size, strides)]
    return torch.zeros(tuple(x.shape[:2]) + tuple(sizes), dtype=x.dtype, device=x.device)


#: How `max_pool` runs the engine for one call signature (input shape and dtype, the
#: layer's arguments): `(torch pool function, window, strides, channels_last)`, or None
#: where the general path runs every time. Filled by the first call of each signature.
_POOL_PLANS = {}


def _pool_plan(x, pool_size, strides, padding, data_format):
    """The plan of a `max_pool` call (see `_POOL_PLANS`): None for ranks the general path
    rejects, casts, "same" padding or empty outputs."""
    n = x.dim() - 2
    if n not in _MAX_POOLS or _kernel_dtype(x.dtype) is not x.dtype:
        return None
    if not isinstance(padding, str) or padding.lower() != "valid":
        return None
    pool_size = spatial_tuple(pool_size, n, "pool_size", "max_pool")
    strides = spatial_tuple(strides, n, "strides", "max_pool") or pool_size
    first = data_format == "channels_first"
    spatial = x.shape[2:] if first else x.shape[1:-1]
    if any(w > s for w, s in zip(pool_size, spatial)):
        return None
    return _MAX_POOLS[n], pool_size, strides, not first


@hookimpl
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    if (
        inputs.__class__ is torch.Tensor
        and data_format in ("channels_last", "channels_first")
        and not torch.compiler.is_compiling()
    ):
        try:
            key = (inputs.shape, inputs.dtype, pool_size, strides, padding, data_format)
            plan = _POOL_PLANS.get(key, False)
        except TypeError:  # unhashable arguments (lists): the general path
            plan = None
        else:
            if plan is False:
                if len(_POOL_PLANS) > 4096:
                    _POOL_PLANS.clear()
                plan = _POOL_PLANS[key] = _pool_plan(
                    inputs, pool_size, strides, padding, data_format
                )
        if plan is not None:
            fn, window, steps, channels_last = plan
            x = torch.movedim(inputs, -1, 1) if channels_last else inputs
            out = fn(x, window, steps)
            return torch.movedim(out, 1, -1) if channels_last else out
    x, n, pool_size, strides, data_format = _pool_setup(
        "max_pool", inputs, pool_size, strides, data_format
    )
    dtype = x.dtype
    compute = _kernel_dtype(dtype)
    work = x if compute is dtype else x.to(compute)
    work = pad_spatial(work, pool_size, strides, padding, value=-math.inf)
    if any(w > s for w, s in zip(pool_size, work.shape[2:])):
        out = _empty_pool(work, pool_size, strides)
    else:
        out = _MAX_POOLS[n](work, pool_size, strides)
    return _restore_format(out if compute is dtype else out.to(dtype), data_format)


@hookimpl
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, n, pool_size, strides, data_format = _pool_setup(
        "average_pool", _float(inputs), pool_size, strides, data_format
    )
    dtype = x.dtype
    work = pad_spatial(x.to(_kernel_dtype(dtype)), pool_size, strides, padding)
    if any(w > s for w, s in zip(pool_size, work.shape[2:])):
        return _restore_format(_empty_pool(work, pool_size, strides).to(dtype), data_format)
    window = math.prod(pool_size)
    total = _AVG_POOLS[n](work, pool_size, strides) * window
    # Padded positions do not count: divide by the number of real inputs per window.
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=work.dtype, device=x.device)
    ones = pad_spatial(ones, pool_size, strides, padding)
    counts = _AVG_POOLS[n](ones, pool_size, strides) * window
    return _restore_format((total / counts).to(dtype), data_format)


_ADAPTIVE = {
    "max": {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d},
    "avg": {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d},
}


def _adaptive_pool(op, x, output_size, data_format, kind):
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    x = _channels_first(x, data_format)
    n = x.dim() - 2
    sizes = spatial_tuple(output_size, n, "output_size", op)
    dtype = x.dtype
    out = _ADAPTIVE[kind][n](x.to(_kernel_dtype(dtype)), sizes)
    return _restore_format(out.to(dtype), data_format)


@hookimpl
def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(
        "adaptive_max_pool", convert_to_tensor(inputs), output_size, data_format, "max"
    )


@hookimpl
def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool("adaptive_average_pool", _float(inputs), output_size, data_format, "avg")


_CONVS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def _conv_setup(op, inputs, kernel, strides, data_format, dilation_rate):
    if inputs.__class__ is torch.Tensor and isinstance(kernel, torch.Tensor):
        x = inputs  # (a layer's call: tensors, and usually one dtype, nothing to promote)
        if x.dtype is not kernel.dtype:
            x, kernel = promote(x, kernel)
    else:
        x, kernel = promote(inputs, kernel)
    check_rank(op, x.shape)
    n = x.dim() - 2
    if kernel.dim() != n + 2:
        raise ValueError(
            f"{op}: expected a kernel of rank {n + 2} (*kernel_size, in, out) for inputs of "
            f"rank {x.dim()}. Received: inputs.shape={tuple(x.shape)}, "
            f"kernel.shape={tuple(kernel.shape)}"
        )
    data_format = standardize_data_format(data_format)
    strides = spatial_tuple(strides, n, "strides", op)
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", op)
    return _channels_first(x, data_format), kernel, n, strides, dilation, data_format


def _correlate(x, weight, strides, padding, dilation, groups, bias=None):
    """`F.conv*` on channels_first `x` (kernel dtype handled), "valid"/"same" padding."""
    n = x.dim() - 2
    dtype = x.dtype
    compute = _kernel_dtype(dtype)
    # Casts only where needed: each `.to` costs a dispatch even when it changes nothing.
    if compute is not dtype:
        x = x.to(compute)
    if weight.dtype is not compute:
        weight = weight.to(compute)
    if bias is not None and bias.dtype is not compute:
        bias = bias.to(compute)
    padding = padding.lower()
    if padding == "same" and all(s == 1 for s in strides):
        # torch pads "same" inside the kernel, split as Keras does (the extra cell after).
        pass
    else:
        span = tuple((k - 1) * d + 1 for k, d in zip(weight.shape[2:], dilation))
        x, padding = pad_spatial(x, span, strides, padding), 0
        if any(s > size for s, size in zip(span, x.shape[2:])):
            sizes = (x.shape[0], weight.shape[0]) + (0,) * n
            return torch.zeros(sizes, dtype=dtype, device=x.device)
    out = _CONVS[n](
        x, weight, bias, stride=strides, padding=padding, dilation=dilation, groups=groups
    )
    return out if compute is dtype else out.to(dtype)


def _torch_kernel(kernel, n):
    """Keras `(*window, in, out)` to torch `(out, in, *window)`."""
    return kernel.permute((n + 1, n) + tuple(range(n)))


def _conv(inputs, kernel, strides, padding, data_format, dilation_rate, bias=None):
    x, kernel, n, strides, dilation, data_format = _conv_setup(
        "conv", inputs, kernel, strides, data_format, dilation_rate
    )
    channels, per_group = x.shape[1], kernel.shape[-2]
    out = _correlate(
        x, _torch_kernel(kernel, n), strides, padding, dilation, channels // per_group, bias
    )
    return _restore_format(out, data_format)


@hookimpl
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    return _conv(inputs, kernel, strides, padding, data_format, dilation_rate)


#: How `conv_bias` runs the engine for one call signature (input and kernel shapes, dtype,
#: the layer's arguments): `(torch conv function, kernel permutation, strides, torch
#: padding, dilation, groups, channels_last)`, or None where the general path runs every
#: time. Filled by the first call of each signature, after the same checks as `_conv`.
_CONV_PLANS = {}


def _conv_plan(x, kernel, strides, padding, data_format, dilation_rate):
    """The plan of a `conv_bias` call (see `_CONV_PLANS`): None for ranks the general path
    rejects, casts, explicit padding or empty outputs."""
    n = x.dim() - 2
    if n not in _CONVS or kernel.dim() != n + 2 or _kernel_dtype(x.dtype) is not x.dtype:
        return None
    strides = spatial_tuple(strides, n, "strides", "conv")
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", "conv")
    first = data_format == "channels_first"
    channels, per_group = x.shape[1 if first else -1], kernel.shape[-2]
    if per_group == 0 or channels % per_group or kernel.shape[-1] % (channels // per_group):
        return None
    padding = padding.lower()
    if padding == "same" and all(s == 1 for s in strides):
        torch_padding = "same"
    elif padding == "valid":
        spatial = x.shape[2:] if first else x.shape[1:-1]
        span = tuple((k - 1) * d + 1 for k, d in zip(kernel.shape[:n], dilation))
        if any(s > size for s, size in zip(span, spatial)):
            return None
        torch_padding = 0
    else:
        return None
    permutation = (n + 1, n) + tuple(range(n))
    return (
        _CONVS[n],
        permutation,
        strides,
        torch_padding,
        dilation,
        channels // per_group,
        not first,
    )


_TENSORS = (torch.Tensor, torch.nn.Parameter)


def _read_operands(kernel, bias):
    """The torch tensors of a layer's kernel and bias, for the fused `linear` and `conv_bias`.

    The layer passes its Variables: their value is read directly (the same read
    `convert_to_tensor` makes, autocast and stateless scopes included) without its frame;
    anything else that is not a tensor goes through `convert_to_tensor`. One call for both
    operands: these hooks run on every Dense and Conv call.

    Args:
        kernel: The kernel: a Variable, a torch tensor or an array-like.
        bias: The bias, likewise.

    Returns:
        The tuple `(kernel, bias)` of torch tensors.
    """
    if isinstance(kernel, BaseVariable):
        kernel = kernel.value
    if kernel.__class__ not in _TENSORS:
        kernel = convert_to_tensor(kernel)
    if isinstance(bias, BaseVariable):
        bias = bias.value
    if bias.__class__ not in _TENSORS:
        bias = convert_to_tensor(bias)
    return kernel, bias


@hookimpl
def conv_bias(inputs, kernel, bias, strides, padding, data_format, dilation_rate):
    if inputs.__class__ is not torch.Tensor:
        inputs = convert_to_tensor(inputs)
    kernel, bias = _read_operands(kernel, bias)
    dtype = inputs.dtype
    if (
        kernel.dtype is not dtype
        or bias.dtype is not dtype
        or not dtype.is_floating_point
        or bias.dim() != 1
    ):
        return None
    if data_format in ("channels_last", "channels_first") and not torch.compiler.is_compiling():
        try:
            key = (inputs.shape, kernel.shape, dtype, strides, padding, data_format, dilation_rate)
            plan = _CONV_PLANS.get(key, False)
        except TypeError:  # unhashable arguments (lists): the general path
            plan = None
        else:
            if plan is False:
                if len(_CONV_PLANS) > 4096:
                    _CONV_PLANS.clear()
                plan = _CONV_PLANS[key] = _conv_plan(
                    inputs, kernel, strides, padding, data_format, dilation_rate
                )
        if plan is not None:
            fn, permutation, strides, padding, dilation, groups, channels_last = plan
            x = torch.movedim(inputs, -1, 1) if channels_last else inputs
            out = fn(x, kernel.permute(permutation), bias, strides, padding, dilation, groups)
            return torch.movedim(out, 1, -1) if channels_last else out
    return _conv(inputs, kernel, strides, padding, data_format, dilation_rate, bias)


@hookimpl
def linear(inputs, kernel, bias):
    # Called on every Dense layer call: no generator and one helper call (torch dtypes are
    # singletons, so `is` compares them).
    if inputs.__class__ is not torch.Tensor:
        inputs = convert_to_tensor(inputs)
    kernel, bias = _read_operands(kernel, bias)
    dtype = inputs.dtype
    if (
        kernel.dtype is not dtype
        or bias.dtype is not dtype
        or not dtype.is_floating_point
        or kernel.dim() != 2
        or bias.dim() != 1
    ):
        return None
    rank = inputs.dim()
    if rank == 2:
        return torch.addmm(bias, inputs, kernel)
    if rank < 1:
        return None
    # The transposed view makes F.linear run addmm on the (in, out) kernel as stored.
    return F.linear(inputs, kernel.t(), bias)


@hookimpl
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, n, strides, dilation, data_format = _conv_setup(
        "depthwise_conv", inputs, kernel, strides, data_format, dilation_rate
    )
    channels = x.shape[1]
    # (*window, C, M) -> (C * M, 1, *window): output channel c * M + m.
    weight = kernel.reshape(tuple(kernel.shape[:n]) + (1, -1))
    out = _correlate(x, _torch_kernel(weight, n), strides, padding, dilation, channels)
    return _restore_format(out, data_format)


@hookimpl
def conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    x, kernel = promote(inputs, kernel)
    check_rank("conv_transpose", x.shape)
    n = x.dim() - 2
    data_format = standardize_data_format(data_format)
    x = _channels_first(x, data_format)
    strides = spatial_tuple(strides, n, "strides", "conv_transpose")
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", "conv_transpose")
    extra = spatial_tuple(output_padding, n, "output_padding", "conv_transpose") or (None,) * n
    # Spread the input `stride` apart, pad it, and correlate with the flipped kernel.
    spread_shape = tuple((s - 1) * st + 1 if s else 0 for s, st in zip(x.shape[2:], strides))
    spread = torch.zeros(tuple(x.shape[:2]) + spread_shape, dtype=x.dtype, device=x.device)
    spread[(slice(None), slice(None)) + tuple(slice(None, None, st) for st in strides)] = x
    pads = [
        transpose_padding((k - 1) * d + 1, st, padding, e)
        for k, d, st, e in zip(kernel.shape[:n], dilation, strides, extra)
    ]
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]  # F.pad crops on negative widths
    spread = F.pad(spread, flat)
    flipped = torch.flip(kernel, tuple(range(n))).transpose(-1, -2)
    out = _correlate(spread, _torch_kernel(flipped, n), (1,) * n, "valid", dilation, 1)
    return _restore_format(out, data_format)


# --------------------------------------------------------------------------------------------
# Encodings and losses
# --------------------------------------------------------------------------------------------


@hookimpl
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    check_no_sparse("one_hot", sparse, "torch")
    x = convert_to_tensor(x)
    classes = torch.arange(int(num_classes), device=x.device)
    hot = x.to(torch.int64)[..., None] == classes
    return torch.movedim(hot, -1, axis).to(to_torch_dtype(dtype or floatx()))


@hookimpl
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    check_no_sparse("multi_hot", sparse, "torch")
    num_classes = kwargs.pop("num_tokens", num_classes)
    x = convert_to_tensor(inputs).to(torch.int32)
    hot = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return torch.amax(hot, dim=1 if x.dim() > 1 else 0)


def _clip_probs(p):
    eps = _epsilon()
    return torch.clamp(p, eps, 1 - eps)


@hookimpl
def binary_crossentropy(target, output, from_logits=False):
    target, output = promote(target, output)
    output = _float(output)
    target = _float(target).to(output.dtype)
    p = _clip_probs(torch.sigmoid(output) if from_logits else output)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p))


def _log_probs(output, from_logits, axis):
    if from_logits:
        return log_softmax(output, axis=axis)
    return torch.log(_clip_probs(output / torch.sum(output, dim=axis, keepdim=True)))


@hookimpl
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = promote(target, output)
    output = _float(output)
    target = target.to(output.dtype)
    return -torch.sum(target * _log_probs(output, from_logits, axis), dim=axis)


@hookimpl
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = convert_to_tensor(target).to(torch.int64)
    output = _float(output)
    if target.dim() == output.dim() and target.dim() and target.shape[-1] == 1:
        target = torch.squeeze(target, -1)
    a = axis % max(output.dim(), 1)
    # torch's fused kernels pick the target's log-probability (a one-hot product costs six
    # kernels more); targets outside [0, classes) give 0, as a one-hot product does.
    clamped = torch.clamp(target, 0, output.shape[a] - 1)
    scores = output if from_logits else _log_probs(output, False, a)
    if scores.dim() > 1:
        scores = torch.movedim(scores, a, 1)  # torch's class axis
    if scores.dim() > 2:
        # nll_loss2d's backward needs a contiguous input ("grad_input must be contiguous"
        # for a (batch, H, W, classes) output moved to (batch, classes, H, W)).
        scores = scores.contiguous()
    pick = F.cross_entropy if from_logits else F.nll_loss
    return pick(scores, clamped, reduction="none") * (clamped == target)


# --------------------------------------------------------------------------------------------
# Statistics and normalisation
# --------------------------------------------------------------------------------------------


@hookimpl
def moments(x, axes, keepdims=False, synchronized=False):
    x = _float(x)
    out_dtype = x.dtype
    if out_dtype in (torch.float16, torch.bfloat16):
        x = x.to(torch.float32)
    axes = canonical_axes(axes, x.dim()) if axes is not None else tuple(range(x.dim()))
    if not axes:
        return x.to(out_dtype), torch.zeros_like(x, dtype=out_dtype)
    mean = torch.mean(x, dim=axes, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=axes, keepdim=True)
    if not keepdims:
        mean, variance = torch.squeeze(mean, axes), torch.squeeze(variance, axes)
    return mean.to(out_dtype), variance.to(out_dtype)


@hookimpl
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    present = [v for v in (x, mean, variance, offset, scale) if v is not None]
    dtype = to_torch_dtype(
        dtypes.result_type(*[convert_to_tensor(v).dtype for v in present], float)
    )
    x = convert_to_tensor(x, dtype=dtype)
    shape = [1] * x.dim()
    shape[axis] = x.shape[axis]

    def laid_out(v):
        return None if v is None else torch.reshape(convert_to_tensor(v, dtype=dtype), shape)

    mean, variance, offset, scale = (laid_out(v) for v in (mean, variance, offset, scale))
    inv = torch.rsqrt(variance + epsilon)
    if scale is not None:
        inv = inv * scale
    out = (x - mean) * inv
    return out if offset is None else out + offset


@hookimpl
def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    if x.dim() == 0:
        x = x[None]
    eps = _epsilon() if epsilon is None else epsilon
    axis = canonical_axes(axis, x.dim()) if axis is not None else tuple(range(x.dim()))
    if order == 2:
        squares = torch.sum(torch.square(x), dim=axis, keepdim=True)
        return x / torch.sqrt(torch.clamp(squares, min=eps * eps))
    norm = torch.sum(torch.abs(x) ** order, dim=axis, keepdim=True) ** (1.0 / order)
    return x / torch.clamp(norm, min=eps)


@hookimpl
def psnr(x1, x2, max_val):
    x1, x2 = promote(x1, x2)
    x1 = _float(x1)
    x2 = _float(x2).to(x1.dtype)
    mse = torch.mean(torch.square(x1 - x2))
    max_val = convert_to_tensor(max_val, dtype=x1.dtype)
    return (20 * torch.log10(max_val) - 10 * torch.log10(mse)).to(x1.dtype)


@hookimpl
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    eps = _epsilon() if epsilon is None else epsilon

    def compute(x, scale):
        x = x[None] if x.dim() == 0 else x
        axes = canonical_axes(axis, x.dim())
        out = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + eps)
        return out if scale is None else out * scale

    return _in_float32(compute, x, scale)


@hookimpl
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    eps = _epsilon() if epsilon is None else epsilon
    rms_scaling = kwargs.pop("rms_scaling", False)

    def compute(x, gamma, beta):
        axes = canonical_axes(axis, x.dim())
        shape = [x.shape[a] if a in axes else 1 for a in range(x.dim())]

        def laid_out(v):
            if v is None or v.dim() == x.dim() or axes == (x.dim() - 1,):
                return v
            return torch.reshape(v, shape)

        trailing = axes == tuple(range(x.dim() - len(axes), x.dim()))
        normalized = tuple(x.shape[a] for a in axes)
        if (
            trailing
            and not rms_scaling
            and all(v is None or tuple(v.shape) == normalized for v in (gamma, beta))
        ):
            return F.layer_norm(x, normalized, gamma, beta, eps)  # one fused kernel
        gamma, beta = laid_out(gamma), laid_out(beta)
        mean = torch.mean(x, dim=axes, keepdim=True)
        variance = torch.mean(torch.square(x - mean), dim=axes, keepdim=True)
        inv = torch.rsqrt(variance + eps)
        out = x * inv if rms_scaling else (x - mean) * inv
        if gamma is not None:
            out = out * gamma
        return out if beta is None or rms_scaling else out + beta

    return _in_float32(compute, x, gamma, beta)


# --------------------------------------------------------------------------------------------
# Sequences and attention
# --------------------------------------------------------------------------------------------

_LOG_ZERO = -1e5  # a finite "log 0", so impossible alignments give a large, finite loss


@hookimpl
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = convert_to_tensor(target).to(torch.int64)
    output = convert_to_tensor(output)
    output = output.to(to_torch_dtype(dtypes.result_type(output.dtype, "float32")))
    target_length = convert_to_tensor(target_length).to(torch.int64).reshape(-1)
    output_length = convert_to_tensor(output_length).to(torch.int64).reshape(-1)
    check_ctc_loss_shapes(target.shape, output.shape)
    batch, steps, _ = output.shape
    device = output.device
    logp = log_softmax(output, axis=-1)
    # Extended labels: blank, l1, blank, l2, ..., blank.
    labels = torch.full(
        (batch, 2 * target.shape[1] + 1), mask_index, dtype=torch.int64, device=device
    )
    labels[:, 1::2] = target
    skip = torch.zeros(labels.shape, dtype=torch.bool, device=device)
    skip[:, 3::2] = labels[:, 3::2] != labels[:, 1:-2:2]
    rows = torch.arange(batch, device=device)[:, None]
    log_zero = torch.tensor(_LOG_ZERO, dtype=output.dtype, device=device)
    alpha = torch.full(labels.shape, _LOG_ZERO, dtype=output.dtype, device=device)
    alpha[:, 0] = logp[:, 0, mask_index]
    if labels.shape[1] > 1:
        alpha[:, 1] = torch.where(target_length > 0, logp[rows[:, 0], 0, labels[:, 1]], log_zero)
    for t in range(1, steps):
        shifted1 = F.pad(alpha[:, :-1], (1, 0), value=_LOG_ZERO)
        shifted2 = F.pad(alpha[:, :-2], (2, 0), value=_LOG_ZERO)
        shifted2 = torch.where(skip, shifted2, log_zero)
        stacked = torch.stack([alpha, shifted1, shifted2])
        new = _logsumexp(stacked, 0)[0] + logp[rows, t, labels]
        alpha = torch.where((t < output_length)[:, None], new, alpha)
    last = 2 * target_length
    index = torch.arange(batch, device=device)
    ends = torch.stack(
        [
            alpha[index, last],
            torch.where(last > 0, alpha[index, torch.clamp(last - 1, min=0)], log_zero),
        ]
    )
    return -_logsumexp(ends, 0)[0]


@hookimpl
def ctc_decode(
    inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index
):
    check_ctc_strategy(strategy, "torch")
    x = convert_to_tensor(inputs)
    x = x.to(to_torch_dtype(dtypes.result_type(x.dtype, "float32")))
    lengths = convert_to_tensor(sequence_lengths).to(torch.int64).reshape(-1)
    batch, steps, _ = x.shape
    scores, indices = torch.max(x, dim=-1)
    indices = indices.to(torch.int64)
    positions = torch.arange(steps, device=x.device)[None, :]
    past_end = positions >= lengths[:, None]
    indices = torch.where(past_end, torch.full_like(indices, mask_index), indices)
    scores = torch.where(past_end, torch.zeros_like(scores), scores)
    if merge_repeated:
        repeat = F.pad(indices[:, 1:] == indices[:, :-1], (1, 0))
        indices = torch.where(repeat, torch.full_like(indices, mask_index), indices)
    blank = indices == mask_index
    # Move the kept labels to the front (stable), the -1 padding to the back.
    order = torch.argsort(
        torch.where(blank, torch.full_like(indices, steps), positions.expand_as(indices)),
        dim=-1,
        stable=True,
    )
    decoded = torch.gather(torch.where(blank, torch.full_like(indices, -1), indices), -1, order)
    return decoded[None].to(torch.int32), -torch.sum(scores, dim=1, keepdim=True)


@hookimpl
def dot_product_attention(
    query, key, value, bias, mask, scale, is_causal, flash_attention, attn_logits_soft_cap
):
    query, key, value = promote(query, key, value)
    query, key, value = _float(query), _float(key), _float(value)
    dtype = query.dtype
    key, value = key.to(dtype), value.to(dtype)
    squeeze = query.dim() == 3
    if squeeze:
        query, key, value = query[None], key[None], value[None]
    check_attention_shapes(query.shape, key.shape, value.shape)
    repeats = query.shape[-2] // key.shape[-2]
    key = torch.repeat_interleave(key, repeats, dim=-2)
    value = torch.repeat_interleave(value, repeats, dim=-2)
    compute = to_torch_dtype(dtypes.result_type(dtype_name(dtype), "float32"))
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    if bias is None and mask is None and attn_logits_soft_cap is None and compute == dtype:
        # torch's fused kernel; it would give NaN (not uniform weights) on fully masked rows.
        out = F.scaled_dot_product_attention(
            query.transpose(1, 2),
            key.transpose(1, 2),
            value.transpose(1, 2),
            is_causal=is_causal,
            scale=scale,
        ).transpose(1, 2)
        return out[0] if squeeze else out
    logits = torch.einsum("btnh,bsnh->bnts", query.to(compute), key.to(compute)) * scale
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * torch.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).to(compute)
    keep = torch.ones(logits.shape, dtype=torch.bool, device=logits.device)
    if mask is not None:
        keep = keep & convert_to_tensor(mask).to(torch.bool)
    if is_causal:
        keep = keep & torch.tril(
            torch.ones(logits.shape[-2:], dtype=torch.bool, device=logits.device)
        )
    floor_value = torch.tensor(torch.finfo(compute).min * 0.7, dtype=compute, device=logits.device)
    logits = torch.where(keep, logits, floor_value)
    probs = softmax(logits, axis=-1).to(dtype)
    out = torch.einsum("bnts,bsnh->btnh", probs.to(compute), value.to(compute)).to(dtype)
    return out[0] if squeeze else out


@hookimpl
def polar(abs_, angle):
    abs_, angle = promote(abs_, angle)
    abs_, angle = _float(abs_), _float(angle)
    if abs_.dtype not in (torch.float32, torch.float64):
        abs_, angle = abs_.to(torch.float32), angle.to(torch.float32)
    return torch.polar(abs_, angle.to(abs_.dtype))


# --------------------------------------------------------------------------------------------
# Rearrangements
# --------------------------------------------------------------------------------------------


@hookimpl
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    dtype = x.dtype
    out = F.unfold(
        x.to(_kernel_dtype(dtype)), pair(kernel_size), pair(dilation), pair(padding), pair(stride)
    )
    return out.to(dtype)


@hookimpl
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    k = pair(kernel_size)
    dtype = x.dtype
    out = F.fold(
        x.to(_kernel_dtype(dtype)),
        pair(output_size),
        k,
        pair(dilation),
        pair(padding),
        pair(stride),
    )
    return out.to(dtype)


def _channels_last(x, data_format):
    return torch.movedim(x, 1, -1) if data_format == "channels_first" else x


def _from_channels_last(x, data_format):
    return torch.movedim(x, -1, 1) if data_format == "channels_first" else x


# --------------------------------------------------------------------------------------------
# Inference chains: channels-last convolutions and poolings kept channels-first in between,
# Dense layers on their engine calls
# --------------------------------------------------------------------------------------------

#: The elementwise activations a fused chain applies itself, in whatever layout its values
#: are (exact ones only: torch's vectorized kernels of `tanh`, `gelu`... may round
#: differently on a strided tensor than on the contiguous one the layer alone would see);
#: filled with `_CHAIN_KINDS` on the first chain.
_ELEMENTWISE = set()
_ELEMENTWISE_NAMES = ("relu", "linear", "relu6")
_DIRECT = {}
#: Layer class -> (kind, its `call`) of the layers a chain may hold ("conv", "pool",
#: "activation", "flatten", "dense"): the public classes exactly (a subclass may override
#: `call`).
_CHAIN_KINDS = {}


def _chain_kind(layer):
    """The kind of `layer` in a fused chain, or None when it cannot be one."""
    if not _CHAIN_KINDS:
        from unikeras import activations, layers

        kinds = {"Activation": "activation", "Flatten": "flatten", "Dense": "dense"}
        kinds.update({f"Conv{n}D": "conv" for n in (1, 2, 3)})
        kinds.update({f"MaxPooling{n}D": "pool" for n in (1, 2, 3)})
        for name, kind in kinds.items():
            cls = getattr(layers, name)
            _CHAIN_KINDS[cls] = (kind, cls.call)  # (a `call` patched since is honoured)
        _ELEMENTWISE.update(getattr(activations, name) for name in _ELEMENTWISE_NAMES)
        # What they come to on a float tensor (`relu`'s hook calls `torch.relu`), run directly
        _DIRECT.update({activations.relu: torch.relu, activations.linear: None})
    kind, call = _CHAIN_KINDS.get(type(layer), (None, None))
    if kind is None or type(layer).call is not call or "call" in layer.__dict__:
        return None
    if kind in ("conv", "activation", "dense") and layer.activation not in _ELEMENTWISE:
        return None
    if kind == "dense":
        plain = layer.bias is not None and not layer.lora_enabled
        return kind if plain and layer.quantization_mode is None else None
    if kind != "activation" and layer.data_format != "channels_last":
        return None
    if kind == "conv" and layer.bias is None:
        return None
    return kind


@hookimpl
def fuse_inference_layers(layers):
    # Runs of channels-last convolutions and max poolings (with exact activations between
    # them) move the channels axis once in and once out, where each layer alone moves it
    # in and out; Dense and Flatten layers run their engine calls without their frames.
    # Every layer makes the engine call its own hooks (`conv_bias`, `max_pool`, `linear`,
    # `reshape`) would make, on tensors of the same strides.
    if (
        table.conv_bias is not conv_bias
        or table.max_pool is not max_pool
        or table.linear is not linear
        or table.relu is not relu
    ):
        return None  # an add-on replaced a hook the chain would bypass
    segments, start = [], None
    kinds = [_chain_kind(layer) for layer in layers] + [None]
    for i, kind in enumerate(kinds):
        if kind is not None and start is None:
            start = i
        elif kind is None and start is not None:
            if i - start >= 2:
                segments.append((start, i, _InferenceChain(layers[start:i], kinds[start:i])))
            start = None
    return segments


class _InferenceChain:
    """`fuse_inference_layers`' function for one run of layers (see there)."""

    def __init__(self, layers, kinds):
        self.members = list(zip(layers, kinds))
        self.plans = {}  # input shape -> the engine calls of the run, or None

    def __call__(self, x):
        if x.__class__ is not torch.Tensor or torch.compiler.is_compiling():
            return None
        steps = self.plans.get(x.shape, False)
        if steps is False:
            return self._plan_and_run(x)
        if steps is None:
            return None
        y = x
        for kind, layer, activation, apply, fn, a, b, c, d, e in steps:
            if kind == "pool":
                y = fn(y, a, b)
                continue
            if kind == "move":
                y = torch.movedim(y, a, b)
                continue
            if kind == "flatten":
                y = torch.reshape(y, a)
                continue
            if layer.activation is not activation or (kind == "dense" and layer.lora_enabled):
                self.plans.clear()  # changed since: plan again
                return None
            if kind == "dense":
                y = fn(layer.bias.value, y, layer._kernel.value)
            elif kind == "conv":
                y = fn(y, layer._kernel.value.permute(a), layer.bias.value, b, c, d, e)
            if apply is not None:
                y = apply(y)
        return y

    def _plan_and_run(self, x):
        """Plans the run for the shape of `x` (None where a layer's own call would not make
        the engine call planned here) and runs it."""
        if len(self.plans) > 64:
            self.plans.clear()
        self.plans[x.shape] = None
        steps = []
        y, channels_first = x, False
        for layer, kind in self.members:
            activation = getattr(layer, "activation", None)
            if activation is not None and activation not in _ELEMENTWISE:
                return None
            if kind in ("conv", "pool") and not channels_first:
                steps.append(("move", None, None, None, None, -1, 1, None, None, None))
                y, channels_first = torch.movedim(y, -1, 1), True
            elif kind in ("flatten", "dense") and channels_first:
                steps.append(("move", None, None, None, None, 1, -1, None, None, None))
                y, channels_first = torch.movedim(y, 1, -1), False
            # What the layer alone would receive:
            channels_last = torch.movedim(y, 1, -1) if channels_first else y
            if kind == "pool":
                plan = _pool_plan(
                    channels_last, layer.pool_size, layer.strides, layer.padding, "channels_last"
                )
                if plan is None:
                    return None
                y = plan[0](y, plan[1], plan[2])
                steps.append(
                    ("pool", layer, None, None, plan[0], plan[1], plan[2], None, None, None)
                )
                continue
            if kind == "flatten":
                if y.dim() < 2:
                    return None
                shape = (-1, math.prod(y.shape[1:]))
                y = torch.reshape(y, shape)
                steps.append(("flatten", layer, None, None, None, shape, None, None, None, None))
                continue
            if kind == "dense":
                kernel, bias = layer._kernel.value, layer.bias.value
                if (
                    layer.lora_enabled
                    or not _same_float(y, kernel, bias)
                    or kernel.dim() != 2
                    or y.dim() != 2
                ):
                    return None
                y = activation(torch.addmm(bias, y, kernel))
                apply = _DIRECT.get(activation, activation)
                steps.append(("dense", layer, activation, apply, torch.addmm) + (None,) * 5)
                continue
            step = ("activation", layer, activation, _DIRECT.get(activation, activation))
            step += (None,) * 6
            if kind == "conv":
                kernel, bias = layer._kernel.value, layer.bias.value
                if not _same_float(y, kernel, bias):
                    return None
                plan = _conv_plan(
                    channels_last,
                    kernel,
                    layer.strides,
                    layer.padding,
                    "channels_last",
                    layer.dilation_rate,
                )
                if plan is None:
                    return None
                fn, permutation, strides, padding, dilation, groups, _ = plan
                step = ("conv", layer, activation, _DIRECT.get(activation, activation), fn)
                step += (permutation, strides, padding, dilation, groups)
                y = fn(y, kernel.permute(permutation), bias, strides, padding, dilation, groups)
            y = activation(y)
            steps.append(step)
        if channels_first:
            steps.append(("move", None, None, None, None, 1, -1, None, None, None))
            y = torch.movedim(y, 1, -1)
        self.plans[x.shape] = steps
        return y


def _same_float(x, kernel, bias):
    """Whether the fused `linear`/`conv_bias` hooks take their engine call for these
    operands (one floating dtype, a vector bias)."""
    dtype = x.dtype
    return (
        kernel.dtype is dtype
        and bias.dtype is dtype
        and dtype.is_floating_point
        and bias.dim() == 1
    )
