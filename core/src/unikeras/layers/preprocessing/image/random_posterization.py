"""`RandomPosterization`: keeps a random number of the high bits of each 8-bit value."""

from unikeras import ops, random
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.color_utils import rescale


class RandomPosterization(RandomColorLayer):
    """Posterizes images during training (the identity at inference).

    In the `[0, 255]` scale (images are mapped from `value_range` and back), each value is
    truncated to 8 bits and all but its `bits` highest bits are zeroed, `bits` drawn per
    image among the integers of `[lower, upper)` (always `lower` when they are equal).

    Args:
        factor: An int `f` in `[1, 8]` (range `(1, f)`) or a pair of ints `(lower, upper)`.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomPosterization(factor=(1, 1), seed=0)  # keep 1 bit
        >>> layer(np.array([[[[200.0], [100.0]]]], "float32"))[0, 0, :, 0]  # 0b11001000, 0b01100100
        array([128.,   0.], dtype=float32)
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        values = list(factor) if isinstance(factor, (list, tuple)) else [1, factor]
        if len(values) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 8 for v in values
        ):
            raise ValueError(
                f'Layer "{self.name}": `factor` must be an int or a list of two ints in '
                f"[1, 8]. Received: factor={factor!r}"
            )
        self.factor = tuple(sorted(values))

    def _draw(self, images):
        shape = (ops.shape(images)[0], 1, 1, 1)
        lower, upper = self.factor
        if lower == upper:
            bits = ops.full(shape, lower, "int32")
        else:
            bits = random.randint(shape, lower, upper, seed=self.generator)
        return ops.cast(ops.subtract(8, bits), "uint8")

    def _adjust(self, images, shift):
        x = ops.floor(ops.clip(rescale(images, self.value_range, (0, 255)), 0, 255))
        x = ops.cast(x, "uint8")
        x = ops.left_shift(ops.right_shift(x, shift), shift)
        return rescale(ops.cast(x, self.compute_dtype), (0, 255), self.value_range)
