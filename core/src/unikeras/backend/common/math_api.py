"""FFT helpers, `cdist`, `logdet` and `view_as_real` (`keras.ops.math`) whose code is the same for
every array namespace that follows the NumPy API, written once.

`bind_math_ops` defines them against `xp` (`numpy` for the built-in backend, `jax.numpy` for
JAX) and the backend's own helpers, and returns the hook implementations as a namespace that
the backend's `math` module adds to its globals (closures: no extra call per op).
"""

import types

from unikeras.backend import dtypes
from unikeras.backend.common.signal_args import check_lengths, check_stft_dtype
from unikeras.backend.hookspec import hookimpl


def bind_math_ops(xp, namespace, to_dtype, index_dtype, signal_dtype=None, stop_gradient=None):
    """Binds the shared `math` hook implementations to one array namespace and adds them to
    a backend's `math` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `math` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `to_float(x)`: `x` as an array, ints and bools as `floatx()`;
            - `_complex(real, imag)`: the complex array `real + i imag`;
            - `_window(window, sequence_length, fft_length, dtype, op_name)`: the
              `stft` / `istft` window, zero-padded to `fft_length`;
            - `extract_sequences(x, sequence_length, sequence_stride)`;
            The ops (and the helpers they share) are added to it.
        to_dtype: The backend's dtype conversion from a Keras dtype name.
        index_dtype: The Keras dtype of class indices (`"int64"` for NumPy, `"int32"` for JAX).
        signal_dtype: The float dtype `stft` / `istft` compute in; `None` for the input's.
        stop_gradient: The backend's `stop_gradient`, for the peak of `logsumexp`; `None` on a
            backend without gradients.

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    to_float = namespace["to_float"]
    complex_ = namespace["_complex"]
    signal_window = namespace["_window"]
    extract_sequences = namespace["extract_sequences"]
    if stop_gradient is None:

        def stop_gradient(x):
            return x

    ops = types.SimpleNamespace()

    def _hook(fn, name=None):
        impl = hookimpl(fn)
        setattr(ops, name or fn.__name__, impl)
        return impl

    def _helper(fn):
        setattr(ops, fn.__name__, fn)
        return fn

    @_helper
    def to_complex(x, op_name):
        """Returns the complex array of the pair `x = (real, imag)` and the pair's dtype."""
        if not isinstance(x, (tuple, list)) or len(x) != 2:
            raise ValueError(
                f"{op_name}: `x` must be a tuple (real, imag) of two float tensors. Received: {x!r}"
            )
        real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
        if real.shape != imag.shape:
            raise ValueError(
                f"{op_name}: real and imaginary parts must have the same shape. "
                f"Received: {real.shape} and {imag.shape}"
            )
        if not (xp.issubdtype(real.dtype, xp.floating) and xp.issubdtype(imag.dtype, xp.floating)):
            raise ValueError(
                f"{op_name}: real and imaginary parts must be float tensors. "
                f"Received dtypes {real.dtype} and {imag.dtype}"
            )
        return complex_(real, imag), real.dtype

    @_hook
    def in_top_k(targets, predictions, k):
        predictions = convert_to_tensor(predictions)
        targets = convert_to_tensor(targets, dtype=index_dtype)
        if predictions.shape[-1] == 0 or k <= 0:
            return xp.zeros(targets.shape, dtype=bool)
        n = predictions.shape[-1]
        kth = xp.sort(predictions, axis=-1)[..., -min(k, n)]
        # a class id outside [0, num_classes) is in no top k (False), as in Keras 3
        valid = (targets >= 0) & (targets < n)
        picked = xp.take_along_axis(predictions, xp.clip(targets, 0, n - 1)[..., None], axis=-1)
        return (picked[..., 0] >= kth) & valid

    @_hook
    def logsumexp(x, axis=None, keepdims=False):
        x = to_float(x)
        axis = tuple(axis) if isinstance(axis, list) else axis
        if x.size == 0:
            return xp.log(xp.sum(xp.exp(x), axis=axis, keepdims=keepdims))
        peak = xp.max(x, axis=axis, keepdims=True)
        peak = stop_gradient(xp.where(xp.isfinite(peak), peak, xp.zeros((), x.dtype)))
        out = xp.log(xp.sum(xp.exp(x - peak), axis=axis, keepdims=True)) + peak
        return xp.asarray(out if keepdims else xp.squeeze(out, axis=axis)).astype(x.dtype)

    @_hook
    def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
        x = convert_to_tensor(x)
        check_stft_dtype(dtypes.standardize_dtype(x.dtype))
        check_lengths("stft", sequence_length, fft_length)
        signal = x if signal_dtype is None else x.astype(signal_dtype)
        win = signal_window(window, sequence_length, fft_length, signal.dtype, "stft")
        if center:
            pad = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
            signal = xp.pad(signal, pad, mode="reflect")
        frames = extract_sequences(signal, fft_length, sequence_stride)
        return _split(xp.fft.rfft(frames * win, n=fft_length, axis=-1), x.dtype)

    @_helper
    def _istft_frames(x, sequence_length, fft_length, window):
        """The windowed frames of `istft` (before overlap-add), the window and the output
        dtype."""
        z, dtype = to_complex(x, "istft")
        check_lengths("istft", sequence_length, fft_length)
        compute = xp.real(z).dtype if signal_dtype is None else signal_dtype
        win = signal_window(window, sequence_length, fft_length, compute, "istft")
        return xp.fft.irfft(z, n=fft_length, axis=-1).astype(compute) * win, win, dtype

    @_helper
    def _istft_trim(signal, fft_length, length, center):
        """The overlap-added `istft` signal without the centring pad, cut to `length`."""
        total = signal.shape[-1]
        start = fft_length // 2 if center else 0
        if length is not None:
            return signal[..., start : start + length]
        return signal[..., start : total - fft_length // 2 if center else total]

    @_hook
    def view_as_complex(x):
        x = to_float(x)
        if x.ndim == 0 or x.shape[-1] != 2:
            raise ValueError(
                f"view_as_complex: expected a last dimension of size 2 (real, imag). "
                f"Received: x.shape={x.shape}"
            )
        return complex_(x[..., 0], x[..., 1])

    @_hook
    def cdist(x, y):
        x, y = convert_to_tensor(x), convert_to_tensor(y)
        dtype = to_dtype(dtypes.result_type(x.dtype, y.dtype, float))
        if x.ndim < 2 or y.ndim < 2 or x.shape[-1] != y.shape[-1]:
            raise ValueError(
                "cdist: expected inputs of rank >= 2 with the same last dimension. "
                f"Received: x.shape={x.shape}, y.shape={y.shape}"
            )
        diff = x.astype(dtype)[..., :, None, :] - y.astype(dtype)[..., None, :, :]
        return xp.sqrt(xp.sum(diff * diff, axis=-1))

    @_helper
    def _split(z, dtype):
        return xp.real(z).astype(dtype), xp.imag(z).astype(dtype)

    @_hook
    def fft(x):
        z, dtype = to_complex(x, "fft")
        return _split(xp.fft.fft(z, axis=-1), dtype)

    @_hook
    def fft2(x):
        z, dtype = to_complex(x, "fft2")
        return _split(xp.fft.fft2(z, axes=(-2, -1)), dtype)

    @_hook
    def ifft2(x):
        z, dtype = to_complex(x, "ifft2")
        return _split(xp.fft.ifft2(z, axes=(-2, -1)), dtype)

    @_hook
    def irfft(x, fft_length=None):
        z, dtype = to_complex(x, "irfft")
        return xp.fft.irfft(z, n=fft_length, axis=-1).astype(dtype)

    @_hook
    def logdet(x):
        x = to_float(x)
        if x.size == 0:
            return xp.zeros(x.shape[:-2], dtype=x.dtype)
        return xp.linalg.slogdet(x)[1].astype(x.dtype)

    @_hook
    def view_as_real(x):
        x = convert_to_tensor(x)
        dtype = xp.float64 if x.dtype == xp.complex128 else xp.float32
        return xp.stack([xp.real(x), xp.imag(x)], axis=-1).astype(dtype)

    namespace.update(vars(ops))
    return ops
