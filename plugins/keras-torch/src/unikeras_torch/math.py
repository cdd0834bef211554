"""PyTorch backend: `math` ops."""

import torch
import torch.nn.functional as F

from unikeras.backend.api import dtypes
from unikeras.backend.common.signal_args import check_stft_dtype
from unikeras.backend.common.signal_args import (
    check_lengths,
    check_window_shape,
    named_window,
    window_padding,
)
from unikeras.backend.api import hookimpl
from unikeras_torch.convert import convert_to_tensor, dtype_name, to_torch_dtype
from unikeras_torch.core import dtype_limits


def to_float(x):
    """Converts `x` to a tensor, casting ints and bools to `floatx()` (floats keep theirs)."""
    x = convert_to_tensor(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(dtypes.result_type(dtype_name(x.dtype), float)))


# --- segments ---------------------------------------------------------------------------------


def _segment(data, segment_ids, num_segments, reduce, fill):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids).to(torch.int64).reshape(-1)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    num_segments = int(num_segments)
    keep = (ids >= 0) & (ids < num_segments)
    rows, values = ids[keep], data[keep]
    out = torch.full(
        (num_segments,) + tuple(data.shape[1:]), fill, dtype=data.dtype, device=data.device
    )
    index = rows.reshape((-1,) + (1,) * (data.dim() - 1)).expand_as(values)
    return out.scatter_reduce(0, index, values, reduce, include_self=True)


def _extreme(dtype, highest):
    if dtype.is_floating_point:
        return float("inf") if highest else float("-inf")
    return dtype_limits(dtype)[1 if highest else 0]


@hookimpl
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, "sum", 0)


@hookimpl
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    fill = _extreme(convert_to_tensor(data).dtype, highest=False)
    return _segment(data, segment_ids, num_segments, "amax", fill)


@hookimpl
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    fill = _extreme(convert_to_tensor(data).dtype, highest=True)
    return _segment(data, segment_ids, num_segments, "amin", fill)


@hookimpl
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, "prod", 1)


# --- ranking and reductions -------------------------------------------------------------------


@hookimpl
def top_k(x, k, sorted=True, is_stable=True):
    x = convert_to_tensor(x)
    # A stable descending sort keeps equal values in their original order.
    indices = torch.sort(x, dim=-1, descending=True, stable=True).indices[..., :k]
    return torch.gather(x, -1, indices), indices.to(torch.int32)


@hookimpl
def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = convert_to_tensor(targets).to(torch.int64)
    if predictions.shape[-1] == 0 or k <= 0:
        return torch.zeros(targets.shape, dtype=torch.bool, device=predictions.device)
    n = predictions.shape[-1]
    kth = torch.sort(predictions, dim=-1).values[..., -min(k, n)]
    # a class id outside [0, num_classes) is in no top k (False), as in Keras 3
    valid = (targets >= 0) & (targets < n)
    picked = torch.gather(predictions, -1, targets.clamp(0, n - 1)[..., None])[..., 0]
    return (picked >= kth) & valid


@hookimpl
def logsumexp(x, axis=None, keepdims=False):
    x = to_float(x)
    dims = (
        tuple(range(x.dim()))
        if axis is None
        else tuple(axis)
        if isinstance(axis, (list, tuple))
        else (axis,)
    )
    if x.dim() == 0:
        return x.clone()
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


@hookimpl
def cdist(x, y):
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    dtype = to_torch_dtype(dtypes.result_type(x.dtype, y.dtype, float))
    if x.dim() < 2 or y.dim() < 2 or x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "cdist: expected inputs of rank >= 2 with the same last dimension. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    diff = x.to(dtype)[..., :, None, :] - y.to(dtype)[..., None, :, :]
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


# --- framing and Fourier transforms -----------------------------------------------------------


@hookimpl
def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    if x.shape[-1] < sequence_length:
        return torch.zeros(
            tuple(x.shape[:-1]) + (0, sequence_length), dtype=x.dtype, device=x.device
        )
    return x.unfold(-1, sequence_length, sequence_stride).clone()


def to_complex(x, op_name):
    """Returns the complex tensor of the pair `x = (real, imag)` and the pair's dtype."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op_name}: `x` must be a tuple (real, imag) of two float tensors. Received: {x!r}"
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"{op_name}: real and imaginary parts must have the same shape. "
            f"Received: {tuple(real.shape)} and {tuple(imag.shape)}"
        )
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(
            f"{op_name}: real and imaginary parts must be float tensors. "
            f"Received dtypes {real.dtype} and {imag.dtype}"
        )
    compute = torch.float64 if real.dtype == torch.float64 else torch.float32
    return torch.complex(real.to(compute), imag.to(compute)), real.dtype


def _split(z, dtype):
    return z.real.to(dtype), z.imag.to(dtype)


@hookimpl
def fft(x):
    z, dtype = to_complex(x, "fft")
    return _split(torch.fft.fft(z, dim=-1), dtype)


@hookimpl
def fft2(x):
    z, dtype = to_complex(x, "fft2")
    return _split(torch.fft.fft2(z, dim=(-2, -1)), dtype)


@hookimpl
def ifft2(x):
    z, dtype = to_complex(x, "ifft2")
    return _split(torch.fft.ifft2(z, dim=(-2, -1)), dtype)


@hookimpl
def rfft(x, fft_length=None):
    x = to_float(x)
    compute = torch.float64 if x.dtype == torch.float64 else torch.float32
    return _split(torch.fft.rfft(x.to(compute), n=fft_length, dim=-1), x.dtype)


@hookimpl
def irfft(x, fft_length=None):
    z, dtype = to_complex(x, "irfft")
    return torch.fft.irfft(z, n=fft_length, dim=-1).to(dtype)


def _window(window, sequence_length, fft_length, device, op_name):
    """The float64 window of length `sequence_length`, zero-padded on both sides to
    `fft_length`."""
    win = named_window(op_name, window, sequence_length, fft_length)
    if win is not None:
        return torch.as_tensor(win, dtype=torch.float64, device=device)
    win = convert_to_tensor(window).to(torch.float64)
    check_window_shape(op_name, win.shape, sequence_length)
    return F.pad(win, window_padding(sequence_length, fft_length))


@hookimpl
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    check_stft_dtype(dtypes.standardize_dtype(x.dtype))
    check_lengths("stft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, x.device, "stft")
    signal = x.to(torch.float64)
    if center:
        flat = signal.reshape((-1, 1, signal.shape[-1]))
        flat = F.pad(flat, (fft_length // 2, fft_length // 2), mode="reflect")
        signal = flat.reshape(tuple(signal.shape[:-1]) + (flat.shape[-1],))
    frames = extract_sequences(signal, fft_length, sequence_stride)
    return _split(torch.fft.rfft(frames * win, n=fft_length, dim=-1), x.dtype)


@hookimpl
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = to_complex(x, "istft")
    check_lengths("istft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, z.device, "istft")
    frames = torch.fft.irfft(z.to(torch.complex128), n=fft_length, dim=-1) * win
    num_frames = frames.shape[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    signal = torch.zeros(tuple(frames.shape[:-2]) + (total,), dtype=torch.float64, device=z.device)
    weight = torch.zeros(total, dtype=torch.float64, device=z.device)
    for t in range(num_frames):
        start = t * sequence_stride
        signal[..., start : start + fft_length] += frames[..., t, :]
        weight[start : start + fft_length] += win * win
    signal = signal / torch.where(weight > 1e-10, weight, torch.ones_like(weight))
    if window is None:
        # Without a window the overlap count is not divided out where frames overlap fully.
        signal = signal * (fft_length / sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - fft_length // 2 if center else total
    return signal[..., start:end].to(dtype)


# --- special functions ------------------------------------------------------------------------


def _float_unary(fn):
    def op(x):
        x = to_float(x)
        compute = torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype
        return fn(x.to(compute)).to(x.dtype)

    return op


rsqrt = hookimpl(_float_unary(torch.rsqrt))
erf = hookimpl(_float_unary(torch.erf))
erfc = hookimpl(_float_unary(torch.erfc))
erfinv = hookimpl(_float_unary(torch.erfinv))


@hookimpl
def logdet(x):
    x = to_float(x)
    if x.numel() == 0:
        return torch.zeros(tuple(x.shape[:-2]), dtype=x.dtype, device=x.device)
    compute = torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype
    return torch.linalg.slogdet(x.to(compute))[1].to(x.dtype)


@hookimpl
def gammainc(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_torch_dtype(dtypes.result_type(x1.dtype, x2.dtype, float))
    a, x = torch.broadcast_tensors(x1.to(torch.float64), x2.to(torch.float64))
    out = torch.special.gammainc(a, x)
    out = torch.where((a <= 0) | (x < 0), torch.full_like(out, float("nan")), out)
    return out.to(dtype)


# --- complex views ----------------------------------------------------------------------------


@hookimpl
def view_as_complex(x):
    x = to_float(x)
    if x.dim() == 0 or x.shape[-1] != 2:
        raise ValueError(
            f"view_as_complex: expected a last dimension of size 2 (real, imag). "
            f"Received: x.shape={tuple(x.shape)}"
        )
    compute = torch.float64 if x.dtype == torch.float64 else torch.float32
    return torch.complex(x[..., 0].to(compute), x[..., 1].to(compute))


@hookimpl
def view_as_real(x):
    x = convert_to_tensor(x)
    dtype = torch.float64 if x.dtype == torch.complex128 else torch.float32
    if not x.is_complex():
        return torch.stack([x, torch.zeros_like(x)], dim=-1).to(dtype)
    return torch.stack([x.real, x.imag], dim=-1).to(dtype)
