"""`Dropout`: randomly zeroes inputs during training."""

from unikeras import ops, random
from unikeras.layers.layer import Layer


class Dropout(Layer):
    """Sets input entries to 0 with frequency `rate` during training, scaling the others
    by `1 / (1 - rate)` so the expected sum is unchanged; the identity at inference.

    Args:
        rate: Fraction of the inputs to drop, in `[0, 1]`.
        noise_shape: Shape of the binary keep mask, broadcast against the inputs (e.g.
            `(batch_size, 1, features)` drops the same features at every timestep); `None`
            entries take the input's size on that axis.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.Dropout(0.5, seed=1)
        >>> x = np.ones((1, 4), 'float32')
        >>> layer(x, training=False)  # identity outside training
        array([[1., 1., 1., 1.]], dtype=float32)
        >>> kept = np.asarray(layer(x, training=True))
        >>> sorted({float(v) for v in kept.ravel()} - {0.0})  # kept values scaled by 1 / (1 - rate)
        [2.0]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                f'Layer "{self.name}": invalid value received for argument `rate`. Expected '
                f"a float value between 0 and 1. Received: rate={rate!r}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return ops.zeros_like(inputs)
        return random.dropout(
            inputs, self.rate, noise_shape=self._noise_shape(inputs), seed=self.seed_generator
        )

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        shape = tuple(inputs.shape)
        return tuple(shape[i] if d is None else d for i, d in enumerate(self.noise_shape))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
