"""`Solarization`: inverts the pixels above a threshold."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import RandomImageLayer
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.color_utils import rescale, unit_factor


class Solarization(RandomColorLayer):
    """Solarizes images during training (the identity at inference).

    In the `[0, 255]` scale (images are mapped from `value_range` and back), each image gets
    `a` added and clipped to `[0, 255]`, then each value `v >= t` becomes `255 - v`; `a`
    and `t` are drawn per image in `255 * addition_factor` and `255 * threshold_factor`.
    With the defaults every value is inverted.

    Args:
        addition_factor: A number `f` in `[0, 1]` (range `(0, f)`) or a pair. Defaults
            to `0.0`.
        threshold_factor: A number `f` in `[0, 1]` (range `(0, f)`) or a pair. Defaults
            to `0.0`.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        seed: Int seed of the layer's random generator.
        data_format: (keyword) `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.Solarization()  # threshold 0: every value inverted
        >>> layer(np.array([[[[0.0], [200.0]]]], "float32"))[0, 0, :, 0]
        array([255.,  55.], dtype=float32)
        >>> layer(np.array([[[[0.0], [200.0]]]], "float32"), training=False)[0, 0, :, 0]
        array([  0., 200.], dtype=float32)
    """

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.addition_factor = unit_factor(self, "addition_factor", addition_factor)
        self.threshold_factor = unit_factor(self, "threshold_factor", threshold_factor)

    def _draw(self, images):
        shape = (ops.shape(images)[0], 1, 1, 1)
        return [
            self._uniform(shape, 255 * lower, 255 * upper)
            for lower, upper in (self.addition_factor, self.threshold_factor)
        ]

    def _adjust(self, images, draws):
        additions, thresholds = draws
        x = ops.clip(ops.add(rescale(images, self.value_range, (0, 255)), additions), 0, 255)
        x = ops.where(ops.less(x, thresholds), x, ops.subtract(255.0, x))
        return rescale(x, (0, 255), self.value_range)

    def get_config(self):
        config = RandomImageLayer.get_config(self)
        config.update(
            {
                "addition_factor": list(self.addition_factor),
                "threshold_factor": list(self.threshold_factor),
                "value_range": list(self.value_range),
            }
        )
        return config
