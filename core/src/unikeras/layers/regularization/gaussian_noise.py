"""`GaussianNoise`, `GaussianDropout`, `AlphaDropout`: random perturbations in training."""

import math

from unikeras import ops, random
from unikeras.layers.layer import Layer


class RandomInTraining(Layer):
    """Base of the layers that perturb their inputs randomly in training only.

    `_value` names the constructor argument in `[0, 1]` that switches the noise off at 0.
    """

    _value = "rate"

    def __init__(self, value, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(
                f'Layer "{self.name}": invalid value received for argument `{self._value}`. '
                f"Expected a float value between 0 and 1. Received: {self._value}={value!r}"
            )
        setattr(self, self._value, value)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if value > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and getattr(self, self._value) > 0:
            return self._perturb(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({self._value: getattr(self, self._value), "seed": self.seed})
        return config


class GaussianNoise(RandomInTraining):
    """Adds zero-mean Gaussian noise of standard deviation `stddev` in training.

    Args:
        stddev: Standard deviation of the noise, in `[0, 1]`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> keras.layers.GaussianNoise(0.1)(np.ones((1, 2), 'float32'), training=False)  # identity
        array([[1., 1.]], dtype=float32)
    """

    _value = "stddev"

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(stddev, seed=seed, **kwargs)

    def _perturb(self, inputs):
        noise = random.normal(
            tuple(inputs.shape),
            stddev=self.stddev,
            dtype=self.compute_dtype,
            seed=self.seed_generator,
        )
        return ops.add(inputs, ops.cast(noise, inputs.dtype))


class GaussianDropout(RandomInTraining):
    """Multiplies the inputs by Gaussian noise of mean 1 and standard deviation
    `sqrt(rate / (1 - rate))` in training.

    Args:
        rate: Drop probability of the equivalent dropout, in `[0, 1]`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.GaussianDropout(0.5, seed=0)
        >>> x = np.ones((2, 3), "float32")
        >>> layer(x)  # the identity at inference
        array([[1., 1., 1.],
               [1., 1., 1.]], dtype=float32)
        >>> layer(x, training=True).shape
        (2, 3)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)

    def _perturb(self, inputs):
        noise = random.normal(
            tuple(inputs.shape),
            mean=1.0,
            stddev=math.sqrt(self.rate / (1.0 - self.rate)),
            dtype=self.compute_dtype,
            seed=self.seed_generator,
        )
        return ops.multiply(inputs, ops.cast(noise, inputs.dtype))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(RandomInTraining):
    """Dropout that keeps the mean and variance of SELU-normalized inputs: dropped entries
    take SELU's negative saturation value, then an affine map restores the moments.

    Args:
        rate: Fraction of the inputs to drop, in `[0, 1]`.
        noise_shape: Shape of the keep mask, broadcast against the inputs (`None` entries:
            the input's size).
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.AlphaDropout(0.5, seed=0)
        >>> x = np.ones((2, 3), "float32")
        >>> layer(x)  # the identity at inference
        array([[1., 1., 1.],
               [1., 1., 1.]], dtype=float32)
        >>> layer(x, training=True).shape
        (2, 3)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)

    def _perturb(self, inputs):
        shape = tuple(inputs.shape)
        if self.noise_shape is not None:
            shape = tuple(shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        kept = ops.cast(
            ops.greater_equal(random.uniform(shape, seed=self.seed_generator), self.rate),
            inputs.dtype,
        )
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = ops.add(ops.multiply(inputs, kept), ops.multiply(alpha_p, ops.subtract(1.0, kept)))
        return ops.add(ops.multiply(a, x), b)

    def get_config(self):
        config = super().get_config()
        config["noise_shape"] = self.noise_shape
        return config
