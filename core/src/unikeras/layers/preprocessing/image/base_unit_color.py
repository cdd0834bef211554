"""Base of the random colour layers whose factor lies in `[0, 1]`."""

from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.color_utils import unit_factor


class RandomUnitColorLayer(RandomColorLayer):
    """Base of the random colour layers drawing one factor per image in `factor`, a number
    `f` in `[0, 1]` (range `(0, f)`) or a pair `(lower, upper)`.

    Pairs may start below 0 where `_FACTOR_LOW` says so (Keras 3 configs of some layers).

    Args:
        factor: The factor range.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.
    """

    _FACTOR_LOW = 0.0

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor, self._FACTOR_LOW)

    def _factor_bounds(self):
        return self.factor
