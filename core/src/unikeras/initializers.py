"""`keras.initializers`: functions of `(shape, dtype)` giving a weight's initial value."""

import math

import numpy as np

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.backend.registry import table as _table
from unikeras.saving import serialization
from unikeras import random


class Initializer:
    """Base class: `initializer(shape, dtype=None) -> tensor`."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        """Returns the initializer's config: a JSON-able dict of its constructor arguments."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates an initializer from its config (the output of `get_config`)."""
        return cls(**config)

    def clone(self):
        """Returns a new initializer with the same config."""
        return type(self).from_config(self.get_config())


class Constant(Initializer):
    """Fills with a constant `value` (a scalar, or an array broadcast to the shape).

    Args:
        value: A scalar, or an array broadcast to the requested shape (default `0.0`).
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        value = _table.convert_to_tensor(self.value, dtype=dtypes.standardize_dtype(dtype))
        return ops.broadcast_to(value, shape)

    def get_config(self):
        value = self.value
        return {"value": value.tolist() if hasattr(value, "tolist") else value}


class Zeros(Initializer):
    """Fills with zeros."""

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


class Ones(Initializer):
    """Fills with ones."""

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=dtypes.standardize_dtype(dtype))


class Identity(Initializer):
    """A 2-D identity matrix times `gain`.

    Args:
        gain: Multiplier of the identity matrix (default `1.0`).
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2-D shape; received shape={shape}")
        return ops.multiply(
            ops.eye(shape[0], shape[1], dtype=dtypes.standardize_dtype(dtype)), self.gain
        )

    def get_config(self):
        return {"gain": self.gain}


def _fixed_seed(seed):
    """Unseeded initializers draw one seed at construction: every call gives the same values."""
    if seed is None:
        return int(np.random.randint(0, 2**31 - 1))
    return seed


class _RandomInitializer(Initializer):
    """Base of random initializers; `seed` is an int, `None`, or a `SeedGenerator`.

    Args:
        seed: An int, `None` (default: a seed drawn once at construction, so every call gives the
            same values) or a `keras.random.SeedGenerator`.
    """

    def __init__(self, seed=None):
        self._init_seed = seed
        self.seed = _fixed_seed(seed)

    def get_config(self):
        seed = self._init_seed
        return {"seed": seed if seed is None or isinstance(seed, int) else None}


class RandomNormal(_RandomInitializer):
    """Normal distribution with `mean` and `stddev`.

    Args:
        mean: Mean of the distribution (default `0.0`).
        stddev: Standard deviation (default `0.05`).
        seed: An int, `None` (default: a seed drawn once at construction, so every call gives the
            same values) or a `keras.random.SeedGenerator`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        return random.normal(
            shape,
            mean=self.mean,
            stddev=self.stddev,
            dtype=dtypes.standardize_dtype(dtype),
            seed=self.seed,
        )

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomNormal):
    """Normal distribution with `mean`/`stddev`, redrawn beyond two standard deviations.

    Args:
        mean: Mean of the distribution (default `0.0`).
        stddev: Standard deviation before truncation (default `0.05`).
        seed: An int, `None` (default: a seed drawn once at construction, so every call gives the
            same values) or a `keras.random.SeedGenerator`.
    """

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(
            shape,
            mean=self.mean,
            stddev=self.stddev,
            dtype=dtypes.standardize_dtype(dtype),
            seed=self.seed,
        )


class RandomUniform(_RandomInitializer):
    """Uniform distribution on `[minval, maxval)`.

    Args:
        minval: Lower bound, inclusive (default `-0.05`).
        maxval: Upper bound, exclusive (default `0.05`).
        seed: An int, `None` (default: a seed drawn once at construction, so every call gives the
            same values) or a `keras.random.SeedGenerator`.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None):
        return random.uniform(
            shape,
            minval=self.minval,
            maxval=self.maxval,
            dtype=dtypes.standardize_dtype(dtype),
            seed=self.seed,
        )

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


def _compute_fans(shape, input_axes=None, output_axes=None):
    """Returns `(fan_in, fan_out)` of a weight shape.

    For kernels of rank > 2 the fans are the receptive field size times the input and output
    channels; with both `input_axes` and `output_axes`, the products of the sizes on those axes.

    Args:
        shape: The weight shape (a tuple of ints).
        input_axes: Optional axes whose sizes multiply to `fan_in` (default `None`).
        output_axes: Optional axes whose sizes multiply to `fan_out` (default `None`).

    Returns:
        A tuple of two ints `(fan_in, fan_out)`.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(_RandomInitializer):
    """Samples with variance `scale / n`, `n` chosen by `mode` (fan_in, fan_out, fan_avg).

    Args:
        scale: Positive scale factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or `"uniform"`.
        seed: Random seed.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if scale <= 0.0:
            raise ValueError(f"VarianceScaling: `scale` must be positive. Received: {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"VarianceScaling: invalid `mode` {mode!r}.")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"VarianceScaling: invalid `distribution` {distribution!r}.")
        super().__init__(seed)
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        fan_in, fan_out = _compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / 0.87962566103423978  # std of a N(0,1) cut at +-2
            return random.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, 0.0, math.sqrt(variance), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
            **super().get_config(),
        }


class _VarianceScalingPreset(VarianceScaling):
    """A `VarianceScaling` with fixed `scale`, `mode` and `distribution` (class attributes).

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.
    """

    _SCALE, _MODE, _DISTRIBUTION = 1.0, "fan_in", "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            scale=self._SCALE,
            mode=self._MODE,
            distribution=self._DISTRIBUTION,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self):
        """Returns the initializer's config: its `seed` and fan axes."""
        return {
            **_RandomInitializer.get_config(self),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_VarianceScalingPreset):
    """Glorot (Xavier) uniform initializer: uniform on `[-limit, limit]`.

    With `limit = sqrt(6 / (fan_in + fan_out))`.

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.

    Examples:
        >>> keras.initializers.GlorotUniform(seed=1)((3, 2)).shape
        (3, 2)
    """

    _SCALE, _MODE, _DISTRIBUTION = 1.0, "fan_avg", "uniform"


class GlorotNormal(_VarianceScalingPreset):
    """Glorot (Xavier) normal initializer: a truncated normal centred on 0.

    With standard deviation `sqrt(2 / (fan_in + fan_out))` (after the truncation at two
    standard deviations).

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.

    Examples:
        >>> keras.initializers.GlorotNormal(seed=1)((3, 2)).shape
        (3, 2)
    """

    _SCALE, _MODE, _DISTRIBUTION = 1.0, "fan_avg", "truncated_normal"


class HeUniform(_VarianceScalingPreset):
    """He uniform initializer: uniform on `[-limit, limit]`.

    With `limit = sqrt(6 / fan_in)`.

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.

    Examples:
        >>> keras.initializers.HeUniform(seed=1)((3, 2)).shape
        (3, 2)
    """

    _SCALE, _MODE, _DISTRIBUTION = 2.0, "fan_in", "uniform"


class HeNormal(_VarianceScalingPreset):
    """He normal initializer: a truncated normal centred on 0.

    With standard deviation `sqrt(2 / fan_in)` (after the truncation at two standard
    deviations).

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.

    Examples:
        >>> keras.initializers.HeNormal(seed=1)((3, 2)).shape
        (3, 2)
    """

    _SCALE, _MODE, _DISTRIBUTION = 2.0, "fan_in", "truncated_normal"


class LecunUniform(_VarianceScalingPreset):
    """LeCun uniform initializer: uniform on `[-limit, limit]`.

    With `limit = sqrt(3 / fan_in)`.

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.

    Examples:
        >>> keras.initializers.LecunUniform(seed=1)((3, 2)).shape
        (3, 2)
    """

    _SCALE, _MODE, _DISTRIBUTION = 1.0, "fan_in", "uniform"


class LecunNormal(_VarianceScalingPreset):
    """LeCun normal initializer: a truncated normal centred on 0.

    With standard deviation `sqrt(1 / fan_in)` (after the truncation at two standard
    deviations).

    Args:
        seed: An int, `None` (default: a seed drawn once at construction) or a
            `keras.random.SeedGenerator`.
        input_axes: Optional list of the axes whose sizes multiply to `fan_in`; only used
            together with `output_axes` (default `None`: the shape's usual fans).
        output_axes: Optional list of the axes whose sizes multiply to `fan_out`; only used
            together with `input_axes`.

    Examples:
        >>> keras.initializers.LecunNormal(seed=1)((3, 2)).shape
        (3, 2)
    """

    _SCALE, _MODE, _DISTRIBUTION = 1.0, "fan_in", "truncated_normal"


class Orthogonal(_RandomInitializer):
    """A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a normal sample.

    Shapes of rank > 2 are flattened to `(prod(shape[:-1]), shape[-1])`.

    Args:
        gain: Multiplier of the orthogonal matrix (default `1.0`).
        seed: An int, `None` (default: a seed drawn once at construction, so every call gives the
            same values) or a `keras.random.SeedGenerator`.
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs rank >= 2; received shape={shape}")
        dtype = dtypes.standardize_dtype(dtype)
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        sample = random.normal(flat, dtype="float32", seed=self.seed)
        q, r = ops.qr(sample)
        q = ops.multiply(q, ops.sign(ops.diagonal(r)))
        if rows < cols:
            q = ops.transpose(q)
        return ops.cast(ops.reshape(ops.multiply(q, self.gain), shape), dtype)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


# Generalized cosine windows: w[n] = sum_k (-1)^k a_k cos(2 pi k n / d).
_COSINE_WINDOWS = {
    "hann": (0.5, 0.5),
    "hamming": (0.54, 0.46),
    "blackman": (0.42, 0.5, 0.08),
    "boxcar": (1.0,),
}


def _window(name, length, periodic, dtype):
    """The named window of `length` samples (`periodic`: the first `length` samples of a
    symmetric window of `length + 1`, as used for spectral analysis)."""
    denominator = length if periodic else length - 1
    if denominator <= 0:
        return ops.ones((length,), dtype=dtype)
    phase = ops.arange(length, dtype=dtype) * (2.0 * math.pi / denominator)
    window = ops.zeros((length,), dtype=dtype)
    for k, a in enumerate(_COSINE_WINDOWS[name]):
        window = window + ((-1) ** k) * a * ops.cos(k * phase)
    return window


def _check_window(owner, window):
    if isinstance(window, str) and window not in _COSINE_WINDOWS:
        raise ValueError(
            f"{owner}: unknown `window` {window!r}; expected one of "
            f"{sorted(_COSINE_WINDOWS)}, an array of `frame_length` values, "
            "or None."
        )


class STFT(Initializer):
    """Kernels of a short-time Fourier transform computed by convolution.

    For a shape `(frame_length, input_channels, freq_bins)` the value at `[t, :, k]` is
    `cos(-2 pi t k / n)` (`side="real"`) or `sin(-2 pi t k / n)` (`side="imag"`) with
    `n = 2 * (freq_bins - 1)`, times the window at `t`, divided by the window's L2 norm
    (`scaling="density"`) or L1 norm (`"spectrum"`).

    Args:
        side: `"real"` or `"imag"`.
        window: `"hann"`, `"hamming"`, `"blackman"`, `"boxcar"`, an array of
            `frame_length` values, or `None` (no window).
        scaling: `"density"`, `"spectrum"` or `None`.
        periodic: Use the periodic rather than the symmetric form of a named window.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(
                f"STFT initializer: `side` must be 'real' or 'imag'. Received: side={side!r}"
            )
        _check_window("STFT initializer", window)
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                "STFT initializer: `scaling` must be None, 'density' or "
                f"'spectrum'. Received: scaling={scaling!r}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        if len(shape) != 3:
            raise ValueError(
                "STFT initializer needs a shape (frame_length, input_channels, "
                f"freq_bins). Received: shape={tuple(shape)}"
            )
        frame_length, _, bins = shape
        time = ops.reshape(ops.arange(frame_length, dtype=dtype), (frame_length, 1, 1))
        freq = ops.reshape(ops.arange(bins, dtype=dtype), (1, 1, bins))
        angle = time * freq * (-2.0 * math.pi / max(2 * (bins - 1), 1))
        kernel = ops.cos(angle) if self.side == "real" else ops.sin(angle)
        kernel = ops.broadcast_to(kernel, tuple(shape))
        if self.window is None:
            return kernel
        if isinstance(self.window, str):
            window = _window(self.window, frame_length, self.periodic, dtype)
        else:
            window = _table.convert_to_tensor(self.window, dtype=dtype)
        if tuple(window.shape) != (frame_length,):
            raise ValueError(
                f"STFT initializer: the window must have shape ({frame_length},)"
                f". Received: window shape={tuple(window.shape)}"
            )
        if self.scaling == "density":
            window = window / ops.sqrt(ops.sum(ops.square(window)))
        elif self.scaling == "spectrum":
            window = window / ops.sum(ops.absolute(window))
        return kernel * ops.reshape(window, (frame_length, 1, 1))

    def get_config(self):
        window = self.window
        return {
            "side": self.side,
            "window": window.tolist() if hasattr(window, "tolist") else window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


# Keras 3 aliases (snake_case and short names).
constant = Constant
zeros = Zeros
ones = Ones
identity = IdentityInitializer = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal
orthogonal = OrthogonalInitializer = Orthogonal
stft = STFTInitializer = STFT


# Other names `get` accepts (as Keras 3, which keeps them out of the namespace).
_ALIASES = {"uniform": RandomUniform, "normal": RandomNormal, "zero": Zeros, "one": Ones}


def get(identifier):
    """Returns an initializer from an identifier.

    Accepts an initializer, a name, a config dict, an initializer class, a tensor or array
    (returned as is, for a call with its own shape) or a callable.

    Args:
        identifier: The identifier; `None` gives `None`.

    Returns:
        An initializer (or callable), or `None`.

    Raises:
        ValueError: For an unknown name or an identifier of another type.
    """
    if identifier is None:
        return None
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        obj = globals().get(identifier) or _ALIASES.get(identifier)
        if isinstance(obj, type) and issubclass(obj, Initializer):
            return obj()
        raise ValueError(f"Unknown initializer: {identifier!r}")
    if isinstance(identifier, dict):
        return serialization._deserialize_object(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if _table.is_tensor(identifier) or isinstance(identifier, (np.ndarray, np.generic)):
        return _from_value(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


def _from_value(value):
    """An initializer returning `value` itself (the requested shape must be its shape)."""

    def initialize(shape, dtype=None):
        if tuple(shape) != tuple(value.shape):
            raise ValueError(
                f"Expected `shape` to be {tuple(value.shape)} for a tensor used "
                f"as initializer. Received shape={tuple(shape)}"
            )
        return ops.cast(value, dtypes.standardize_dtype(dtype))

    return initialize


def serialize(initializer):
    """Returns the config of `initializer` (for `deserialize`).

    Args:
        initializer: An initializer object.

    Returns:
        Its config dict (for `deserialize`).
    """
    return serialization.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Returns an initializer from its config (the output of `serialize`).

    Args:
        config: A config dict from `serialize` (or a name).
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The initializer.
    """
    return serialization._deserialize_object(config, custom_objects)
